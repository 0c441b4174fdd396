"""The contents panel only where it helps: on pages with enough sections.

The book theme shows a page's table of contents in a panel beside the text
(under a "Contents" button on a phone). On the home page it had one entry,
on the lists none, on a short essay two: a second column that made an essay
look like documentation. A page keeps it when its text has at least
``essays_contents_min_sections`` sections (4 by default; headings ``##``
directly under its title); the home page, the lists and every page without
a source have no panel.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def sections(doctree: nodes.document) -> int:
    """The sections right under the page's title (its ``##`` headings)."""
    top = next(iter(doctree.findall(nodes.section)), None)
    return 0 if top is None else sum(1 for child in top.children if isinstance(child, nodes.section))


def needs_contents(app: Sphinx, pagename: str, doctree) -> bool:
    if doctree is None or pagename == app.config.root_doc:
        return False
    return sections(doctree) >= app.config.essays_contents_min_sections


def drop_contents_panel(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """No secondary sidebar for a page that does not need one (before the theme lists its items, 500)."""
    if "theme_secondary_sidebar_items" in context and not needs_contents(app, pagename, doctree):
        context["theme_secondary_sidebar_items"] = []


def setup(app: Sphinx) -> dict:
    app.add_config_value("essays_contents_min_sections", 4, "html", types=frozenset({int}))
    app.connect("html-page-context", drop_contents_panel, priority=450)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
