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
"""

from __future__ import annotations

import gc

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


def setup(app: Sphinx) -> dict:
    # Last at config-inited, first at builder-inited: as little as possible runs paused.
    app.connect("config-inited", pause_collector, priority=1000)
    app.connect("builder-inited", resume_collector, priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
