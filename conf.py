"""Sphinx configuration of the essay site.

Read it as the site's table of contents: one short section per concern.
ABlog's known pitfalls (docs/writing.md, "Rules") are the reason for most
settings below.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

# -- Project -----------------------------------------------------------------
project = "Essays"
author = "The Author"
copyright = "2026, The Author"
language = "en"

# -- Sources: only these are pages -------------------------------------------
# README, CHANGELOG, tests, .github, the virtualenv and node_modules are never
# picked up: Sphinx reads what is listed here and nothing else.
include_patterns = ["index.md", "posts/**", "docs/**"]
exclude_patterns = ["_build", ".venv", "node_modules", "**/.ipynb_checkpoints"]
root_doc = "index"

# -- Extensions ----------------------------------------------------------------
extensions = [
    "myst_parser",
    "ablog",
    # The project's own extensions (package `essaysite`), after ABlog so that
    # they can replace its feed writer and templates.
    "essaysite",
    "sphinxext.opengraph",  # previews when shared (essaysite.features.previews completes it)
    "notfound.extension",  # the 404 page
    # The theme and the theme it builds on, set up with the extensions: set up
    # only when the builder starts (a theme's default), they add their template
    # folders to `templates_path` after Sphinx has compared the configuration
    # with the last build's, and every rebuild said "The configuration has
    # changed".
    "sphinx_book_theme",
    "pydata_sphinx_theme",
]

# -- Markdown (MyST) -----------------------------------------------------------
source_suffix = {".md": "markdown"}
myst_enable_extensions = [
    "colon_fence",  # ::: fences for directives that hold Markdown
    "attrs_inline",  # {width=...} on images imported from kramdown
    "attrs_block",  # {.class} on blocks imported from kramdown
    "deflist",  # kramdown definition lists
    "dollarmath",  # $$ maths
]
# Smart quotes would rewrite the author's straight quotes: the text must stay
# as written, so docutils does not touch typography.
smartquotes = False
# Heading anchors let essays link to a section of another essay.
myst_heading_anchors = 3

# -- Blog (ABlog) --------------------------------------------------------------
# Canonical address: Read the Docs sets READTHEDOCS_CANONICAL_URL (with its
# /<lang>/<version>/ prefix); locally an absolute default keeps canonical
# links and feed URLs absolute, as crawlers and feed readers require.
site_url = os.environ.get("READTHEDOCS_CANONICAL_URL", "http://127.0.0.1:8000/")
if not site_url.endswith("/"):
    site_url += "/"
html_baseurl = site_url
blog_baseurl = site_url  # ABlog writes feeds only when this is set
blog_title = "Essays"
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_feed_archives = True  # a feed per tag, category and year
blog_feed_fulltext = True  # readers get the whole essay in their feed reader
# Each feed's subscription document holds its newest essays (20 to 39); the
# older ones are in archives of 20 that never change (RFC 5005: readers that
# know archives fetch the whole history once). essaysite/features/feed_archives.py
essays_feed_length = 20
post_auto_excerpt = 1
post_date_format = "%d %B %Y"
post_date_format_short = "%d %B %Y"
# The theme and ABlog disagree about this value; unset, every build re-reads
# every document. The book theme ships Font Awesome, so it is included.
fontawesome_included = True
# ABlog's "Posts tagged" pages with excerpts are invalid HTML; the project
# ships a valid template (essaysite/templates/ablog/collection.html).
blog_archive_titles = False

# -- Essays that know each other (essaysite: xrefs, backlinks, related, series,
#    reading_time, pagination) ------------------------------------------------
# Lists of essays (all, per tag, category, year) show this many a page; the
# indexes of tags, categories and years show each name with its count.
essays_per_page = 10
# Reading time = MyST's word count / this rate (MyST's default, stated in
# docs/writing.md).
myst_words_per_minute = 200

# -- Theme (sphinx-book-theme) -------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Essays"
html_static_path = ["_static"]
html_theme_options = {
    # ABlog draws the prev/next bar between essays; the theme's would be a
    # second one.
    "show_prev_next": False,
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    # The sidebar has the search field; the header would show a second one.
    "navbar_persistent": [],
    # The values the theme fills in when the builder starts (see below).
    "icon_links": [],
    "logo": {},
}
# Light or dark follows the reader's system setting until they choose; unset,
# the theme logs an error on a first visit ("invalid theme mode").
html_context = {"default_mode": "auto"}
# The next values are given as the theme, Sphinx and MyST would set them when
# the builder starts; left to them, the configuration saved with the last build
# differed from conf.py's and every rebuild said it had changed. Sphinx gives
# the site's stylesheet priority 800; the theme links headings with "#" and
# names no copied sources; MyST's $$ maths (dollarmath) sets MathJax's classes.
html_css_files = [("essays.css", {"priority": 800})]
html_permalinks_icon = "#"
html_sourcelink_suffix = ""
mathjax4_config = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}
html_favicon = "_static/essays-mark.svg"
# One list for every page: the theme's defaults, the site's own links, then
# ABlog's widgets (each hides itself where it does not apply). Two wildcard
# patterns would overlap and fail -W.
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
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
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# Essays have no index entries: the general index would be an empty page,
# written on every build.
html_use_index = False

# -- Previews when shared (OpenGraph, Twitter cards) --------------------------
# Essays give their cover (front matter `cover:`) and excerpt; other pages get
# the site's card (essaysite/features/site_card.py, drawn with Pillow in the
# DejaVu Sans of essaysite/fonts). essaysite/features/previews.py does the rest.
ogp_site_url = site_url
ogp_site_name = "Essays"
# One generated card, drawn once, for every page without a cover: the site's
# name and this line (a card per page cost half of a full build).
essays_site_description = "Long-form essays on technology, film and the people caught between them"
ogp_social_cards = {
    "enable": True,
    "image_mini": "_static/essays-mark.png",  # instead of the Sphinx logo
    "line_color": "#c9514a",
}

# -- Findable: sitemap, robots.txt, 404 page -----------------------------------
# html_baseurl already carries Read the Docs' /<lang>/<version>/ prefix.
sitemap_excludes = ["search.html", "404.html"]
# The 404 page is served at any depth: its links start from the site's root
# path ("/" locally, "/en/latest/" on Read the Docs).
notfound_urls_prefix = urlsplit(site_url).path
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>\n"
        "<p>There is no page at this address. It may have moved: try the "
        '<a href="' + urlsplit(site_url).path + 'blog.html">list of all essays</a>, the '
        '<a href="' + urlsplit(site_url).path + 'blog/archive.html">archive</a> or the search '
        "field in the sidebar.</p>"
    ),
}
# -- Redirects ------------------------------------------------------------------
# Old URLs (an imported Jekyll blog's, see docs/jekyll.md) -> the essays that
# replaced them. `make import-jekyll` writes redirects.json; each old path
# gets a page that forwards readers (essaysite/features/redirects.py).
essay_redirects_file = "redirects.json"
_redirects = Path(__file__).with_name(essay_redirects_file)
essay_redirects = json.loads(_redirects.read_text(encoding="utf-8")) if _redirects.exists() else {}

# -- Checks --------------------------------------------------------------------
# Every reference must resolve (the Makefile also passes -n -W).
nitpicky = True

# -- External links (make linkcheck) ------------------------------------------
# The live preview's address is only up while `make live` runs.
linkcheck_ignore = [r"http://127\.0\.0\.1:8000/"]
