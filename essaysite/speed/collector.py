"""When Python's cyclic garbage collector runs during a build.

A build makes and drops millions of objects in cycles (every docutils node
points at its parent), and keeps an environment of hundreds of thousands of
objects alive to the end. The collector's automatic runs scan what is alive
again and again; with 1,000 essays that was 5-7 s of CPU in a 20 s
parallel build, most of it in the main process, which the writing processes
wait for. Four rules, each for a part of the build where the collector
finds little or nothing it must free in time:

Loading the pickled environment. On a rebuild Sphinx first unpickles the
environment: several hundred thousand objects, none of them garbage, which
set off collection after collection (about a second, against 0.05 s with
the collector paused). The collector is paused once the configuration is
read (``config-inited``, the last step before the environment is loaded)
and resumed as soon as the builder exists (``builder-inited``); what was
loaded is then frozen (``gc.freeze``: out of the collector's sight), as it
lives until the build ends.

Parallel reading (``-j``). Each reading process sends its environment back
pickled, and the main process unpickles and merges it: the collector is
paused in the main process for that (from ``env-before-read-docs`` until
the build has decided how to write, ``env-get-updated``). The reading processes are forked while it is paused and
leave it so, with what they inherited frozen (``gc.freeze``): had the
collector scanned that, it would have copied the main process's memory page
by page. What a reading process drops (each document is a web of nodes
pointing at their parents, which only the collector frees) is collected
every ``COLLECT_EVERY`` documents, and what is alive then frozen, as it is
sent back at the end: each collection scans only the documents read since
the last. Left to the end of the process, the garbage grew with the share:
at 10,000 essays each of two reading processes held 1.3 GB. A build
reading fewer than ``COLLECT_FROM`` documents leaves it to the end.

Parallel writing. The main process loads and resolves every document for
the writing processes, and keeps each until the process writing it is
done: the documents are alive, not garbage, until then. Once the build has
decided to write in parallel (``env-get-updated``, after
``essaysite.speed.parallel``), what is alive is frozen and the collector
paused until the documents are written (the first ``html-collect-pages``
handler, or ``build-finished`` for builders without generated pages); the
writing processes, forked meanwhile, never run it. The main process drops
each document once the process writing it is done; it collects every
``COLLECT_EVERY`` documents it resolves (what is not frozen is only the
documents in flight), as at 10,000 essays the dropped documents came to
1.2 GB by the end of writing; a build writing fewer than ``COLLECT_FROM``
documents does not. Merging leaves garbage
worth collecting first only when the reading processes inherited documents
read before (an incremental build that reads in parallel, or Sphinx's own
shares, started as earlier ones end): each sends them back with its
environment. A first build's reading processes start
from an empty environment, one per process (``essaysite.speed.parallel``),
and merging them left 5,600 objects of garbage at 1,000 essays: the
collection that found them scanned the whole environment, 0.45 s of the
main process while the other cores waited, and is not made. What writing
left since the last collection is not collected but frozen: the process
ends after the generated pages. Serial builds keep the collector's
own schedule: there each page's document is garbage as soon as it is
written.

At exit. Python runs the collector once more over everything still alive
before the process ends: with 1,000 essays that final scan took 1.1 s, to
find garbage nobody would wait for. Everything is frozen at exit instead
(``atexit``, which runs before that scan): the process ends 0.05 s after
the build. Cleanup code (``atexit`` handlers, ``finally`` blocks, files
closing) runs as before.

With ``essays_speedups`` off none of this is done: the collector keeps
Python's own schedule.
"""

from __future__ import annotations

import atexit
import gc
import os

from sphinx.application import Sphinx
from sphinx.config import Config

from essaysite import state
from essaysite.speed import speedups_on


# Documents read, or resolved for writing, between two collections in a
# process whose collector is paused. Fewer: more scans of the documents in
# flight; more: more garbage at once (about 0.25 MB a document). Freeing is
# most of a collection's cost in the main process while writing (0.15-0.8 s
# each at 3,000 essays, against 0.1-0.2 s for the scan alone: the pages
# freed are shared with the writing processes), and it does not depend on
# how often it is done.
COLLECT_EVERY = 200
# Documents a build reads, or writes, before its reading processes and its
# main process collect at all. Below, what they drop is left to the end of
# the process (at 1,000 essays about 170 MB more at the peak, 480 MB in
# all), and the main process, which the writing processes wait for, is
# spared the collections' cost (at 1,000 essays, `-j auto`, the full build
# took 10% longer with them).
COLLECT_FROM = 2000


def collection_due(processes: state.Processes) -> bool:
    """One more document read or resolved: whether the garbage is to be collected now."""
    processes.since_collection += 1
    if processes.since_collection < COLLECT_EVERY:
        return False
    processes.since_collection = 0
    return True


def collect_while_reading(app: Sphinx, docname: str, source: list[str]) -> None:
    """In a forked reading process, at each document's start (source-read): the last is garbage by then."""
    processes = state.of(app).processes
    pid = os.getpid()
    if processes.merging_in is None or processes.merging_in == pid or (state.of(app).rebuild.reading or 0) < COLLECT_FROM:
        return
    if processes.reader_frozen_in != pid:
        processes.reader_frozen_in = pid
        processes.since_collection = 0
        gc.freeze()
        return
    if collection_due(processes):
        gc.collect()
        gc.freeze()


def collect_while_writing(app: Sphinx, doctree, docname: str) -> None:
    """In the main process of a parallel write, as it resolves each document (doctree-resolved)."""
    processes = state.of(app).processes
    if processes.writing_in == os.getpid() and processes.collect_while_writing and collection_due(processes):
        gc.collect()


def documents_written(app: Sphinx) -> int:
    """How many documents the build writes: those read and those whose inputs changed."""
    rebuild = state.of(app).rebuild
    return len(rebuild.read | set(rebuild.rewrite))


def pause_collector(app: Sphinx, config: Config) -> None:
    if gc.isenabled():
        gc.disable()
        state.of(app).processes.collector_paused = True


def resume_collector(app: Sphinx) -> None:
    if state.of(app).processes.collector_paused:
        state.of(app).processes.collector_paused = False
        gc.freeze()
        gc.enable()


def pause_while_merging(app: Sphinx, env, docnames: list[str]) -> None:
    if app.parallel > 1 and len(docnames) > 1 and gc.isenabled():
        gc.disable()
        processes = state.of(app).processes
        processes.merging_in = os.getpid()
        # Documents known before reading and not read again go to every reading process, and back.
        processes.readers_carry_documents = bool(set(env.all_docs) - set(docnames))


def choose_collection_for_writing(app: Sphinx, env) -> list:
    """Once the build has chosen how to write (``app.parallel``, set by essaysite.speed.parallel).

    Writing in parallel: what merging left behind is collected if a reading
    process carried documents read before it (by an earlier build, or by
    the processes that ended before it started), what is alive frozen, and the
    collector stays paused until the pages are written. Writing serially:
    the collector resumes if it was paused for merging.
    """
    processes = state.of(app).processes
    merged_here = processes.merging_in == os.getpid()
    processes.merging_in = None
    if app.parallel > 1 and (merged_here or gc.isenabled()):
        if not merged_here or processes.readers_carry_documents or not processes.readers_start_together:
            gc.collect()
        gc.freeze()
        gc.disable()
        state.of(app).processes.writing_in = os.getpid()
        state.of(app).processes.since_collection = 0
        state.of(app).processes.collect_while_writing = documents_written(app) >= COLLECT_FROM
    elif merged_here:
        gc.enable()
    return []


def resume_after_writing(app: Sphinx, *args):
    """First at html-collect-pages; at build-finished for builders without generated pages."""
    if state.of(app).processes.writing_in == os.getpid():
        state.of(app).processes.writing_in = None
        # Not collected: the pages' documents were alive until their writing
        # process was done, so memory is at its peak already, and the process
        # ends after the generated pages; a collection here took 0.8 s.
        gc.freeze()
        gc.enable()
    return []


def freeze_at_exit() -> None:
    gc.freeze()


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if not speedups_on(app):
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    # Registered once per process; atexit runs the handlers registered first last.
    atexit.unregister(freeze_at_exit)
    atexit.register(freeze_at_exit)
    # Last at config-inited, first at builder-inited: as little as possible runs paused.
    app.connect("config-inited", pause_collector, priority=1000)
    app.connect("builder-inited", resume_collector, priority=0)
    app.connect("env-before-read-docs", pause_while_merging, priority=1000)
    # After essaysite.speed.parallel (900) has chosen how to write.
    app.connect("env-get-updated", choose_collection_for_writing, priority=1000)
    app.connect("source-read", collect_while_reading, priority=0)
    app.connect("doctree-resolved", collect_while_writing, priority=1000)
    app.connect("html-collect-pages", resume_after_writing, priority=0)
    app.connect("build-finished", resume_after_writing, priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
