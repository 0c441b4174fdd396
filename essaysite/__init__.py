"""The essay site's own Sphinx extensions and tools.

Each module handles one concern and has its own ``setup()``; this package's
``setup()`` loads them all, so ``conf.py`` lists just ``"essaysite"``.
"""

from sphinx.application import Sphinx

EXTENSIONS = [
    "essaysite.state",
    "essaysite.features.output_faults",
    "essaysite.features.identity",
    "essaysite.incremental.store",
    "essaysite.patches.ablog",
    "essaysite.speed.collector",
    "essaysite.speed.log_records",
    "essaysite.speed.docutils_settings",
    "essaysite.speed.shared_page_work",
    "essaysite.speed.translators",
    "essaysite.speed.compiled_templates",
    "essaysite.features.drafts",
    "essaysite.features.rendering",
    "essaysite.speed.lean_posts",
    "essaysite.speed.doctree_cache",
    "essaysite.features.templates",
    "essaysite.features.catalogs",
    "essaysite.features.metadata_text",
    "essaysite.features.wording",
    "essaysite.features.feed_archives",
    "essaysite.features.feeds",
    "essaysite.speed.sidebars",
    "essaysite.speed.page_toc",
    "essaysite.features.frontmatter",
    "essaysite.speed.parallel",
    "essaysite.speed.clearing",
    "essaysite.speed.parallel_pages",
    "essaysite.incremental.freshness",
    "essaysite.incremental.search_index",
    "essaysite.features.xrefs",
    "essaysite.features.backlinks",
    "essaysite.features.related",
    "essaysite.features.further_reading",
    "essaysite.features.series",
    "essaysite.features.citations",
    "essaysite.features.reading_time",
    "essaysite.features.byline",
    "essaysite.features.pagination",
    "essaysite.incremental.unchanged_lists",
    "essaysite.features.site_card",
    "essaysite.features.previews",
    "essaysite.features.thumbnails",
    "essaysite.features.contents_panel",
    "essaysite.features.pictures",
    "essaysite.features.sitemap",
    "essaysite.features.robots",
    "essaysite.features.lightpages",
    "essaysite.features.source_maps",
    "essaysite.features.redirects",
    "essaysite.features.rawimages",
    "essaysite.features.rawlinks",
    "essaysite.features.rawfiles",
    "essaysite.features.ebook",
    "essaysite.features.quiet_log",
]


def setup(app: Sphinx) -> dict:
    for name in EXTENSIONS:
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
