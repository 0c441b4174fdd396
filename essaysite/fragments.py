"""A page's own doctree, or a fragment of an essay rendered for another page.

``essaysite.features.rendering`` renders essays and excerpts for the lists
and the feeds, and Sphinx resolves each such fragment under the name of the
page it is for (``doctree-resolved``). Handlers that add to an essay's own
page (backlinks, the series box, the reading time) or count the pages
written (``essaysite.incremental.freshness``) tell the two apart here.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

MARK = "essay_fragment"


def mark_as_fragment(doctree: nodes.document) -> None:
    doctree[MARK] = True


def is_own_page(app: Sphinx, doctree: nodes.document) -> bool:
    """True for the doctree of a page being written (not a fragment for a list or feed), in HTML."""
    return app.builder.format == "html" and not doctree.get(MARK)
