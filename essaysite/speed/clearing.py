"""Documents read serially are cleared before reading starts, not one by one.

Before it reads a document, Sphinx's serial reading (``Builder._read_serial``,
which Read the Docs uses: ``sphinx-build`` without ``-j``) calls
``env.clear_doc``, and every domain's ``clear_doc``: the standard domain's
scans every label, anonymous label, object, term and option of the site for
that document's. Read serially, those tables fill as documents are read, so
a first build scans about N²/2 entries for N documents (measured in
``clear_doc`` itself: 0.51 s at 1,000 essays, 4.9 s at 3,000; see
docs/performance.md). Sphinx's parallel reading clears
every document it will read before it reads any, while the tables hold only
documents not being read.

Here serial reading does the same. When the documents to read are known
(``env-before-read-docs``, after every handler that adds some), each one's
domain data is cleared, by the domains' own ``_clear_doc``, and the
document is remembered; when ``_read_serial`` then clears it (through
``BuildEnvironment.clear_doc``, whose own part, and ``env-purge-doc``
before it, run as Sphinx ships them), the domains have nothing of it to
find, and their clearing is skipped, once: a document read since
(``source-read``) or cleared a second time is cleared for real. Documents
removed from the project are cleared by Sphinx before the event, as it
ships; a build that reads in parallel is left to Sphinx's own up-front
clearing. What is remembered is forgotten when reading ends.

The replacement (``essaysite.patches.sphinx.DOMAINS_CLEARING``) is applied
per build, only with ``essays_speedups`` on; the pages are the same bytes
(tests/test_speedups.py), and an incremental build resolves and forgets
labels as a clean one does (tests/test_freshness.py, tests/test_clearing.py).
"""

from __future__ import annotations

from typing import Any, Callable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from essaysite.patches.sphinx import DOMAINS_CLEARING, SERIAL_CLEARING, reads_in_parallel
from essaysite.speed import speedups_on


class Cleared:
    """The documents whose domain data was cleared before reading, in one environment's domains."""

    domains: Any = None
    docnames: set[str] = set()


def clearing_once(original: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
    """The domains' ``_clear_doc``, skipped once for a document cleared before reading."""

    def _clear_doc(self: Any, docname: str) -> None:
        if self is Cleared.domains and docname in Cleared.docnames:
            Cleared.docnames.discard(docname)  # nothing of it since: the next call clears for real
            return
        original(self, docname)

    return _clear_doc


def clear_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Clear every document about to be read serially, while the tables hold only the others."""
    forget()
    if not docnames or reads_in_parallel(app) or not DOMAINS_CLEARING.applied():
        return
    if not SERIAL_CLEARING.holds(app):
        return
    clear = DOMAINS_CLEARING.stock()
    for docname in docnames:
        clear(env.domains, docname)
    Cleared.domains, Cleared.docnames = env.domains, set(docnames)


def read_since(app: Sphinx, docname: str, source: list[str]) -> None:
    """A document being read is no longer as cleared: clearing it again does the work."""
    Cleared.docnames.discard(docname)


def forget(*args: Any) -> list:
    Cleared.domains, Cleared.docnames = None, set()
    return []


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    app.setup_extension("essaysite.speed.parallel")  # chooses how to read first
    if speedups_on(app):
        forget()
        DOMAINS_CLEARING.apply(app, clearing_once)
        # Last: after the handlers that add documents (freshness, 900) and choose parallel reading (950).
        app.connect("env-before-read-docs", clear_before_reading, priority=1000)
        app.connect("source-read", read_since, priority=0)
        app.connect("env-updated", forget, priority=0)
        app.connect("build-finished", forget)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
