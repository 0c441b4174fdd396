"""Linked essays: two series, a chain of links, a draft, lists of three a page.

The features that show one essay on another's page: cross-references,
backlinks, related essays, series, reading time and paginated lists.
"""

project = "Linked essays"
extensions = [
    "myst_parser",
    "ablog",
    "essaysite.features.templates",
    "essaysite.features.frontmatter",
    "essaysite.features.drafts",
    "essaysite.features.feeds",
    "essaysite.features.xrefs",
    "essaysite.features.backlinks",
    "essaysite.features.related",
    "essaysite.features.further_reading",
    "essaysite.features.series",
    "essaysite.features.reading_time",
    "essaysite.features.byline",
    "essaysite.features.pagination",
    "notfound.extension",
]
root_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
myst_words_per_minute = 200
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

blog_baseurl = html_baseurl
blog_title = "Essays"
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_feed_archives = True
blog_feed_fulltext = True
blog_feed_length = None
blog_archive_titles = False
post_auto_excerpt = 1
post_date_format = "%d %B %Y"
post_date_format_short = "%d %B %Y"
essays_per_page = 3

# The 404 page's links start from the site's root path.
notfound_urls_prefix = "/"
notfound_context = {
    "title": "Page not found",
    "body": '<h1>Page not found</h1>\n<p>Try the <a href="/blog.html">list of all essays</a> or the <a href="/blog/archive.html">archive</a>.</p>',
}
