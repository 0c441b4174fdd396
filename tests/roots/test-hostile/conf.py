"""A hostile corpus: essays whose metadata is markup, pictures and addresses that lead out, faults.

``posts/`` builds (with warnings for the pictures and redirects refused):
every page, list, feed, sitemap and search index is scanned for what must
never appear (tests/test_hostile.py). ``refused/`` holds essays the build
must refuse before reading anything; each ends with the lines it must
produce (``<!-- expect LINE: key: message -->``). They are copied into
``posts/`` by the test, never built from here.
"""

project = "Hostile"
extensions = ["myst_parser", "ablog", "essaysite", "sphinxext.opengraph", "sphinx_book_theme", "pydata_sphinx_theme"]
root_doc = "index"
include_patterns = ["index.md", "posts/**"]
exclude_patterns = ["_build", "refused/**", "outside/**"]
smartquotes = False
nitpicky = True
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3

# Lists of this site's own: essaysite's templates and lightpages add to these
# in place, and Sphinx's default lists are shared by every app of the process.
templates_path = []
html_static_path = []

html_theme = "sphinx_book_theme"
html_theme_options = {"show_prev_next": False, "icon_links": [], "logo": {}}
html_context = {"default_mode": "auto"}
fontawesome_included = True
html_baseurl = "http://127.0.0.1:8000/"
html_use_index = False
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "essays-nav.html",
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
    ]
}

blog_baseurl = html_baseurl
blog_title = "Essays"
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_feed_archives = True
blog_feed_fulltext = True
blog_archive_titles = False
post_auto_excerpt = 1
post_date_format = "%d %B %Y"
post_date_format_short = "%d %B %Y"

ogp_site_url = html_baseurl
ogp_site_name = "Hostile"
ogp_social_cards = {"enable": False}

essay_redirects_file = "redirects.json"
import json as _json
from pathlib import Path as _Path

essay_redirects = _json.loads(_Path(__file__).with_name(essay_redirects_file).read_text(encoding="utf-8"))
