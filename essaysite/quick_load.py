"""The pickled environment loads without pauses of the garbage collector.

On a rebuild Sphinx first unpickles the environment: with 1,000 essays
several hundred thousand objects (tables of contents, cross-references, the
essays' excerpts), none of them garbage. Python's cyclic garbage collector
runs again and again while they are created and scans them all each time:
loading took about a second, against 0.05 s with the collector paused.

The collector is paused once the configuration is read (``config-inited``,
the last step before the environment is loaded) and resumed as soon as the
builder exists (``builder-inited``). What was loaded is then moved out of
the collector's sight (``gc.freeze``): it lives until the build ends, and
the collections during the build no longer scan it.

A parallel build (``-j``) loads environments all through its reading: each
reading process sends its environment back pickled, and the main process
unpickles and merges it. The collector is paused in the main process for
that too (from ``env-before-read-docs`` to ``env-updated``); the reading
processes, forked from it, freeze what they inherited and turn it back on
before they read.

At exit, Python runs the collector once more over everything still alive
before the process ends: with 1,000 essays that final scan took 1.1 s of
a 19 s full build, to find garbage nobody would wait for. Everything is
frozen at exit instead (``atexit``, which runs before that scan): the
process ends 0.05 s after the build. Cleanup code (``atexit`` handlers,
``finally`` blocks, files closing) runs as before.
"""

from __future__ import annotations

import atexit
import gc
import os

from sphinx.application import Sphinx
from sphinx.config import Config


def pause_collector(app: Sphinx, config: Config) -> None:
    if gc.isenabled():
        gc.disable()
        app._essays_collector_paused = True


def resume_collector(app: Sphinx) -> None:
    if getattr(app, "_essays_collector_paused", False):
        app._essays_collector_paused = False
        gc.freeze()
        gc.enable()


def pause_while_merging(app: Sphinx, env, docnames: list[str]) -> None:
    if app.parallel > 1 and len(docnames) > 1 and gc.isenabled():
        gc.disable()
        app._essays_merging_in = os.getpid()


def collect_in_reading_process(app: Sphinx, docname: str, source: list[str]) -> None:
    """A reading process, forked while the main one merges, reads with the collector on."""
    merging_in = getattr(app, "_essays_merging_in", None)
    if merging_in is not None and merging_in != os.getpid() and not gc.isenabled():
        # What it inherited is out of the collector's sight: scanning it would
        # copy every page of the main process's memory (copy-on-write), and
        # each reading process inherits more than the one before.
        gc.freeze()
        gc.enable()


def resume_after_merging(app: Sphinx, env) -> list:
    if getattr(app, "_essays_merging_in", None) == os.getpid():
        app._essays_merging_in = None
        gc.enable()
    return []


def freeze_at_exit() -> None:
    gc.freeze()


def setup(app: Sphinx) -> dict:
    # Registered once per process; atexit runs the handlers registered first last.
    atexit.unregister(freeze_at_exit)
    atexit.register(freeze_at_exit)
    # Last at config-inited, first at builder-inited: as little as possible runs paused.
    app.connect("config-inited", pause_collector, priority=1000)
    app.connect("builder-inited", resume_collector, priority=0)
    app.connect("env-before-read-docs", pause_while_merging, priority=1000)
    app.connect("source-read", collect_in_reading_process, priority=0)
    app.connect("env-updated", resume_after_merging, priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
