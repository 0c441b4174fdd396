"""MyST-Parser's internals the project relies on, written against myst-parser 5.2.0.

- ``MAKE_DOCUMENT``: ``myst_parser.mdit_to_docutils.base.make_document``,
  which ``DocutilsRenderer.setup_render`` calls for every document it
  renders (``options.get("document", make_document())``: the document it
  makes is thrown away whenever Sphinx passed its own). Replaced per build by
  ``essaysite.speed.docutils_settings``, only with ``essays_speedups`` on.
"""

from __future__ import annotations

from essaysite.patches.guard import Replacement

PACKAGE, WRITTEN_FOR = "myst-parser", "5.2.0"

MAKE_DOCUMENT = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "MyST's throw-away document made from shared defaults",
    owner="myst_parser.mdit_to_docutils.base",
    attribute="make_document",
    parameters=("source_path", "parser_cls"),
    callers=("myst_parser.mdit_to_docutils.base:DocutilsRenderer.setup_render",),
)
