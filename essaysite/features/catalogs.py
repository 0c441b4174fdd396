"""Compact indexes: each tag, category and year once, with its count and a link to its list.

ABlog's index pages (``blog/tag.html``, ``blog/category.html``,
``blog/archive.html``, and the authors', locations' and languages') list,
under every name, every essay it holds: at 1,000 essays ``blog/tag.html``
was 430 KB, and it grew with every essay. Here ABlog's generator gives the
index template, instead of its catalog of essays, one entry per name that
holds an essay: the name, how many essays it holds and the list page it
links to (paginated: ``essaysite.features.pagination``). An index grows
with the number of names, not of essays, and is written again only when a
name or a count changes (``essaysite.incremental.unchanged_lists``
compares what the page is given).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx

from essaysite.patches import ablog

TEMPLATE = "ablog/catalog.html"


@dataclass(frozen=True)
class CatalogEntry:
    """One name on an index page (``catalog_entries`` in the template)."""

    name: str
    count: int  # essays under the name, as its list shows them
    docname: str  # its list page


def compact(context: dict) -> dict:
    """The index page's context with ``catalog_entries`` instead of ABlog's ``catalog`` of essays."""
    page = {key: value for key, value in context.items() if key != "catalog"}
    page["catalog_entries"] = [CatalogEntry(str(c), len(c), c.docname) for c in context["catalog"] if len(c)]
    return page


def compact_indexes(handler):
    """Wrap ABlog's page generator so that its index pages get names and counts only."""

    def generate(app: Sphinx):
        for name, context, template in handler(app) or ():
            if template == TEMPLATE and "catalog" in context:
                context = compact(context)
            yield name, context, template

    generate.__name__ = handler.__name__
    return generate


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    ablog.wrap_handler(app, "html-collect-pages", "generate_archive_pages", compact_indexes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
