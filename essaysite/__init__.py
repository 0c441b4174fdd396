"""The essay site's own Sphinx extensions and tools.

Each module handles one concern and has its own ``setup()``; this package's
``setup()`` loads them all, so ``conf.py`` lists just ``"essaysite"``.
"""

from sphinx.application import Sphinx

EXTENSIONS = [
    "essaysite.collector",
    "essaysite.log_records",
    "essaysite.docutils_settings",
    "essaysite.shared_page_work",
    "essaysite.compiled_templates",
    "essaysite.drafts",
    "essaysite.lean_posts",
    "essaysite.templates",
    "essaysite.feeds",
    "essaysite.sidebars",
    "essaysite.frontmatter_check",
    "essaysite.parallel",
    "essaysite.parallel_pages",
    "essaysite.freshness",
    "essaysite.xrefs",
    "essaysite.backlinks",
    "essaysite.related",
    "essaysite.series",
    "essaysite.reading_time",
    "essaysite.pagination",
    "essaysite.unchanged_lists",
    "essaysite.previews",
    "essaysite.sitemap",
    "essaysite.robots",
    "essaysite.lightpages",
    "essaysite.redirects",
    "essaysite.rawimages",
    "essaysite.rawlinks",
]


def setup(app: Sphinx) -> dict:
    for name in EXTENSIONS:
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
