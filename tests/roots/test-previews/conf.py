"""Previews when shared: OpenGraph and Twitter card tags, an essay's cover as PNG, one generated card for the rest.

Essays in a series, linked and related, so that their pages show what the
site adds around an essay, which their descriptions must leave out.
"""

project = "Previews"
extensions = [
    "myst_parser",
    "ablog",
    "essaysite.features.templates",
    "essaysite.features.drafts",
    "essaysite.features.xrefs",
    "essaysite.features.backlinks",
    "essaysite.features.related",
    "essaysite.features.further_reading",
    "essaysite.features.series",
    "essaysite.features.pagination",
    "essaysite.features.previews",
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
post_date_format = "%d %B %Y"
post_date_format_short = "%d %B %Y"
essays_per_page = 2

ogp_site_url = html_baseurl
ogp_site_name = "Previews"
essays_site_description = "Essays about rivers, bridges and the towns between them"
ogp_social_cards = {"enable": True, "image_mini": "_static/essays-mark.png", "line_color": "#c9514a"}

notfound_urls_prefix = "/"
notfound_context = {"title": "Page not found", "body": '<h1>Page not found</h1>\n<p>Try the <a href="/blog.html">list of all essays</a>.</p>'}
