"""Work dealt out to forked processes, the way Sphinx's parallel writing does it.

When a build writes in parallel (``-j``; ``essaysite.speed.parallel`` decides from
how many pages it rewrites), Sphinx writes the documents in forked
processes but leaves everything extensions write at the end (generated
pages, feeds) to the main process. The helpers here deal such work out to
as many forked processes as ``-j`` asks for, round-robin so that each gets a
like share, with Sphinx's own ``ParallelTasks``: a forked process inherits
the whole build (no pickling of pages or essays), sends its result back
pickled, and its log records are replayed in the main process.

With ``essays_speedups`` off the work is done in the main process, as
stock Sphinx does everything extensions write.
"""

from __future__ import annotations

import gc
import os
from typing import Any, Callable, Sequence

from sphinx.application import Sphinx
from sphinx.util.parallel import ParallelTasks, parallel_available

from essaysite import state
from essaysite.speed import speedups_on

# Fewer items than this per process are not worth a fork (a fork costs about
# as much as rendering a few pages).
MIN_ITEMS_PER_PROCESS = 4


def processes(app: Sphinx) -> int:
    """How many processes may share the work: what ``-j`` asked, if this build writes in parallel."""
    if not parallel_available or app.parallel <= 1 or not speedups_on(app):
        return 1
    return max(1, state.of(app).processes.requested or app.parallel)


def forks_later(app: Sphinx) -> bool:
    """Whether this process deals pages out to processes it forks later in this build.

    True in the main process of a build that writes in parallel, while it
    resolves the documents for the writing processes: what it computes then
    for a page (an essay's excerpt, say) is inherited by every process forked
    afterwards, the later writing processes and those of the generated
    pages, instead of being computed again in each of them.
    """
    return processes(app) > 1 and state.of(app).processes.main == os.getpid()


def shares_for(app: Sphinx, count: int) -> int:
    return max(1, min(processes(app), count // MIN_ITEMS_PER_PROCESS))


def run_share(work: Callable[[list], Any], items: list) -> Any:
    # What the process inherited lives until it ends: out of the collector's
    # sight, its scans do not copy the main process's memory page by page.
    gc.freeze()
    return work(items)


def deal_out(tasks: ParallelTasks, app: Sphinx, items: Sequence, work: Callable[[list], Any], done: Callable[[Any], None]) -> int:
    """Start ``work`` on shares of ``items`` in forked processes; ``done(result)`` runs in this one.

    Returns how many processes were started (0: too few items, or a serial
    build; the caller does the work itself).
    """
    shares = shares_for(app, len(items))
    if shares < 2:
        return 0
    for share in range(shares):
        tasks.add_task(lambda chunk: run_share(work, chunk), list(items[share::shares]), lambda _, result: done(result))
    return shares


def map_in_processes(app: Sphinx, items: Sequence, work: Callable[[Any], Any]) -> list:
    """``[work(item) for item in items]``, computed by several processes when the build writes in parallel."""
    results: list = [None] * len(items)

    def keep(computed: list[tuple[int, Any]]) -> None:
        for index, value in computed:
            results[index] = value

    tasks = ParallelTasks(processes(app))
    # Dealt out by position, so that each result goes back to its place.
    if not deal_out(tasks, app, range(len(items)), lambda share: [(i, work(items[i])) for i in share], keep):
        return [work(item) for item in items]
    tasks.join()
    return results
