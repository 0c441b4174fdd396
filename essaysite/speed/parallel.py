"""Parallel builds (``sphinx-build -j auto``) that pay.

ABlog's reading is declared parallel-safe, and its posts merged from the
reading processes, by ``essaysite.patches.ablog``: that is needed for
``-j N -W`` to work at all, so it stays on with ``essays_speedups`` off.
This module only decides how many processes read and write; with the
switch off, Sphinx decides as it ships.

Reading in as many shares as there are processes. Sphinx deals the
documents out in many small shares (15 for 1,000 documents and -j 2), one
forked process each, started as earlier ones end. A process forked later
inherits everything merged from the earlier ones, and sends its whole
environment back pickled: the main process unpickled about seven times the
environment, and collected the garbage (a million objects). With one share
per process (``reading_shares``) every reading process starts at once, from
the environment as it was before reading, and sends back only what it read:
the main process unpickles the environment once, and merging leaves almost
no garbage (at 1,000 essays 5,600 objects against 136,000 with two shares
per process, 22 MB less in the main process), so nothing has to be
collected before writing (``essaysite.speed.collector``). The shares are
alike (the documents in order, cut in equal parts), so the processes end
together.

Parallel only where it pays: forking the reading and writing processes
costs a few tenths of a second, more than reading or writing a few pages
takes. So with ``-j`` a build reads in parallel only when it reads at least
``essays_parallel_min_pages`` documents (100 by default), and writes in
parallel only when it writes that many; a rebuild after an edit stays as
quick as a serial one, and a full build uses every core. Writing with
``-j N`` uses N writing processes besides the main one (Sphinx's N - 1 left a
core half idle), and the generated pages and feeds are written in N
processes too (``essaysite.speed.parallel_pages``, ``essaysite.features.feeds``).
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from essaysite.patches.sphinx import READING_SHARES, set_processes
from essaysite.speed import speedups_on

from essaysite import state

SHARES_PER_PROCESS = 1
_reading: list[bool] = [False]  # set while this process reads in parallel
_reading_app: list[Sphinx] = []  # the build that reads (make_chunks is given no application)

MIN_PAGES = "essays_parallel_min_pages"


def choose_parallel_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read in parallel only many documents (env-before-read-docs, after other handlers)."""
    requested = requested_processes(app)
    set_processes(app, requested if len(docnames) >= getattr(app.config, MIN_PAGES) else 1)
    _reading[0] = app.parallel > 1
    _reading_app[:] = [app]


def requested_processes(app: Sphinx) -> int:
    """``-j`` as asked, noted before this module first changes ``app.parallel``."""
    processes = state.of(app).processes
    if processes.requested is None:
        processes.requested = app.parallel
    return processes.requested


def note_main_process(app: Sphinx) -> None:
    state.of(app).processes.main = os.getpid()


def reading_shares(docnames, nproc: int, maxbatch: int = 10) -> list:
    """Sphinx's ``make_chunks``, but for reading: SHARES_PER_PROCESS equal shares per process."""
    if not _reading[0] or not docnames:
        return READING_SHARES.stock()(docnames, nproc, maxbatch)
    count = max(1, min(len(docnames), nproc * SHARES_PER_PROCESS))
    size = -(-len(docnames) // count)
    shares = [docnames[i : i + size] for i in range(0, len(docnames), size)]
    if _reading_app:
        state.of(_reading_app[0]).processes.readers_start_together = len(shares) <= nproc
    return shares


def reading_done(app: Sphinx, env: BuildEnvironment) -> list:
    _reading[0] = False
    _reading_app.clear()
    return []


def choose_parallel_writing(app: Sphinx, env: BuildEnvironment) -> list:
    """Write in parallel only many pages (env-get-updated, after essaysite.incremental.freshness), in N processes for -j N.

    The pages written are those read and those whose inputs changed (both
    counted by essaysite.incremental.freshness); Sphinx decides how to write after this
    event, from ``app.parallel``.
    """
    requested = requested_processes(app)
    rewritten = len(state.of(app).rebuild.rewrite) + (state.of(app).rebuild.reading or 0)
    if requested > 1 and rewritten >= getattr(app.config, MIN_PAGES):
        # Sphinx writes with parallel - 1 processes: the main one loads and
        # resolves each document for them. That is a quarter of what writing
        # a page takes, so here -j N means N writing processes, and the main
        # one's share of a core is not left idle.
        set_processes(app, requested + 1)
    else:
        set_processes(app, 1)
    return []


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")  # ABlog read in parallel at all
    app.setup_extension("essaysite.incremental.freshness")
    app.setup_extension("essaysite.speed")
    app.add_config_value(MIN_PAGES, 100, "", types=frozenset({int}))
    if not speedups_on(app):
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    app.connect("builder-inited", note_main_process)
    app.connect("env-before-read-docs", choose_parallel_reading, priority=950)
    app.connect("env-updated", reading_done, priority=0)
    # Sphinx's reading looks make_chunks up in its module when it deals out the documents.
    READING_SHARES.apply(app, lambda original: reading_shares)
    app.connect("env-get-updated", choose_parallel_writing, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
