"""Sphinx configuration of the essay site.

Read it as the site's table of contents: one short section per concern.
ABlog's known pitfalls (docs/writing.md, "Rules") are the reason for most
settings below.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

# -- Make it yours: the site's name, its owner, a line about it, its address ---
# Everything else a reader sees of them is derived when the build starts
# (essaysite/features/identity.py): the page titles, the feeds' titles and
# authors, the copyright line, the preview card, the 404 page. docs/writing.md,
# "Make it yours".
project = "Essays"  # the site's name: the sidebar, every page title, the feeds, the card
# Your name: the byline of every essay, the feeds and the copyright line. Empty
# is the placeholder: local builds show no name, a Read the Docs build stops.
author = ""
essays_site_description = "Long-form essays on technology, film and the people caught between them"
# The site's address: Read the Docs sets READTHEDOCS_CANONICAL_URL (with its
# /<lang>/<version>/ prefix); locally an absolute default keeps canonical links
# and feed URLs absolute, as crawlers and feed readers require.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "http://127.0.0.1:8000/")
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

# -- Cited sources (sphinxcontrib-bibtex; essaysite.features.citations) --------
# The works essays cite, in BibTeX. Another file is added to this list (see
# docs/writing.md, "Citing sources"). A site without any of them does not load
# the extension, so it pays nothing for citations.
bibtex_bibfiles = ["posts/references.bib"]
if any((Path(__file__).parent / name).is_file() for name in bibtex_bibfiles):
    extensions.append("sphinxcontrib.bibtex")
# Author and year, in round brackets: {cite:p} "(Turing, 1950)", {cite:t}
# "Turing (1950)"; each essay ends with a "Sources" list sorted by author, DOIs
# and URLs as links (both styles: essaysite/features/citation_style.py).
bibtex_reference_style = "author_year_round"
bibtex_default_style = "essays"
# An essay's list of sources gets this heading.
essays_sources_title = "Sources"

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
# blog_title and blog_baseurl (ABlog writes feeds only when it is set) come
# from the first section.
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_feed_archives = True  # a feed per tag, category and year
blog_feed_fulltext = True  # readers get the whole essay in their feed reader
# Each feed's subscription document holds its newest essays (20 to 39), the
# newest 20 in full text and the others as summaries; the older ones are in
# archives of 20 summaries that never change (RFC 5005: readers that
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
html_static_path = ["_static"]
html_theme_options = {
    # ABlog draws the prev/next bar between essays; the theme's would be a
    # second one.
    "show_prev_next": False,
    # Footnotes as sidenotes: in the margin beside the text on wide screens,
    # under the paragraph (behind their number) on phones.
    "use_sidenotes": True,
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
# One navigation for readers, on every page: the site's name, the search
# field, then essays, tags, categories, archive, about and feeds
# (essaysite/templates/essays-nav.html). No list that changes whenever an
# essay is added (ABlog's recent posts, tag cloud, archives): a new essay
# rewrites the pages that show it, not every page. An essay's date, author,
# tags and category are in its byline, under its title.
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "search-button-field.html",
        "essays-nav.html",
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
# ogp_site_url and ogp_site_name come from the first section; so does the one
# card drawn for every page without a cover: the site's name and description
# (a card per page cost half of a full build).
ogp_social_cards = {
    "enable": True,
    "image_mini": "_static/essays-mark.png",  # instead of the Sphinx logo
    "line_color": "#c9514a",
}

# -- The e-book (make epub; Read the Docs' EPUB download) ----------------------
# Every published essay a chapter, oldest first, behind a title page and a
# drawn cover (essaysite/features/ebook.py); Sphinx's epub theme, no sidebars.
# The book's title, author, publisher, copyright, description and identifier
# come from the first section (essaysite/features/identity.py); its file is
# named after the site (_build/epub/Essays.epub).
epub_cover = ("_images/essays-cover.png", "epub-cover.html")
# Links stay links; no address printed after each.
epub_show_urls = "no"
# Where Read the Docs offers the book (.readthedocs.yaml: formats: [epub]); the
# About page links it with {ebook}`...`. Nothing to link in a local build.
_rtd = urlsplit(os.environ.get("READTHEDOCS_CANONICAL_URL", ""))
essays_ebook_url = (
    f"{_rtd.scheme}://{_rtd.netloc}/_/downloads/{os.environ.get('READTHEDOCS_LANGUAGE', language)}"
    f"/{os.environ.get('READTHEDOCS_VERSION', 'latest')}/epub/"
    if _rtd.netloc
    else ""
)

# -- Findable: sitemap, robots.txt, 404 page -----------------------------------
# html_baseurl already carries Read the Docs' /<lang>/<version>/ prefix. The
# 404 page is served at any depth: its links start from the site's root path
# ("/" locally, "/en/latest/" on Read the Docs), derived from html_baseurl.
sitemap_excludes = ["search.html", "404.html"]

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
