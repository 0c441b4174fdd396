"""Findable: a sitemap of canonical URLs, robots.txt pointing at it, a 404 page served at any depth."""

project = "Findable"
extensions = [
    "myst_parser",
    "ablog",
    "essaysite.features.templates",
    "essaysite.features.drafts",
    "essaysite.features.sitemap",
    "essaysite.features.robots",
    "essaysite.features.source_maps",
    "notfound.extension",
]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False
nitpicky = True

# Lists of this site's own: essaysite's templates and lightpages add to these
# in place, and Sphinx's default lists are shared by every app of the process.
templates_path = []
html_static_path = []

html_theme = "sphinx_book_theme"
html_theme_options = {"show_prev_next": False}
fontawesome_included = True
html_baseurl = "http://127.0.0.1:8000/"
html_use_index = False

blog_baseurl = html_baseurl
blog_title = "Essays"
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_archive_titles = False
post_auto_excerpt = 1

sitemap_excludes = ["search.html", "404.html"]
notfound_urls_prefix = "/"
notfound_context = {
    "title": "Page not found",
    "body": '<h1>Page not found</h1>\n<p>Try the <a href="/blog.html">list of all essays</a> or the <a href="/blog/archive.html">archive</a>.</p>',
}
