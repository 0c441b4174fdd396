"""Feed cleaning: an essay with a footnote (a sidenote on its page), a code block and cross-references."""

project = "Feed cleaning"
author = "The Author"
extensions = ["myst_parser", "ablog", "essaysite.features.templates", "essaysite.features.feeds", "essaysite.features.xrefs"]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False
nitpicky = True

# Lists of this site's own: essaysite's templates and lightpages add to these
# in place, and Sphinx's default lists are shared by every app of the process.
templates_path = []
html_static_path = []

html_theme = "sphinx_book_theme"
html_theme_options = {"show_prev_next": False, "use_sidenotes": True}
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
