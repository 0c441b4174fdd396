"""Raw HTML kept from essays written in HTML: its pictures are published and its links checked like Markdown's."""

project = "Raw HTML"
extensions = [
    "myst_parser",
    "ablog",
    "essaysite.features.templates",
    "essaysite.features.frontmatter",
    "essaysite.features.drafts",
    "essaysite.features.rawimages",
    "essaysite.features.rawlinks",
    "essaysite.features.rawfiles",
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

