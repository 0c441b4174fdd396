"""Citations: two essays citing works (one of them a work both cite), one
citing nothing, a draft citing a work of its own, and the site's .bib file.

Loads sphinxcontrib-bibtex as the project's conf.py does: only when a
configured .bib file exists (the tests remove it to see a site without).
"""

from pathlib import Path

project = "Citations"
author = "The Author"
extensions = [
    "myst_parser",
    "ablog",
    "essaysite.features.templates",
    "essaysite.features.frontmatter",
    "essaysite.features.drafts",
    "essaysite.incremental.freshness",
    "essaysite.features.feeds",
    "essaysite.features.citations",
]
bibtex_bibfiles = ["posts/references.bib"]
if any((Path(__file__).parent / name).is_file() for name in bibtex_bibfiles):
    extensions.append("sphinxcontrib.bibtex")
bibtex_reference_style = "author_year_round"
bibtex_default_style = "essays"

root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False
nitpicky = True

# Lists of this site's own: essaysite's templates and lightpages add to these
# in place, and Sphinx's default lists are shared by every app of the process.
templates_path = []
html_static_path = []
suppress_warnings = []

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
