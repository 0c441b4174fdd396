"""The environment loads with the garbage collector paused, and the build runs with it on.

A probe extension records, in the build's own process, whether the
collector is on when the environment has been loaded (``builder-inited``,
after essaysite.quick_load resumes it), when the build ends, and how many
objects were moved out of its sight (``gc.get_freeze_count``); an ``atexit``
handler records the same at exit.
"""

import json

from helpers import sphinx_build

PROBE = '''
import atexit, gc, json, pathlib

OUTDIR = []


@atexit.register
def at_exit():
    if OUTDIR:
        path = pathlib.Path(OUTDIR[0]).parent / "gc.json"
        seen = json.loads(path.read_text())
        seen.append({"event": "exit", "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(), "docs": None})
        path.write_text(json.dumps(seen))

def record(app, *args):
    OUTDIR[:] = [str(app.outdir)]
    path = pathlib.Path(app.outdir).parent / "gc.json"
    seen = json.loads(path.read_text()) if path.exists() else []
    seen.append({"event": "done" if args else "loaded", "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(), "docs": len(app.env.all_docs)})
    path.write_text(json.dumps(seen))

def setup(app):
    app.connect("builder-inited", record, priority=900)
    app.connect("build-finished", record)
    return {"parallel_read_safe": True}
'''

CONF = '''
import sys, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).parent))
extensions = ["myst_parser", "essaysite.quick_load", "probe"]
'''


def test_collector_paused_only_while_the_environment_loads(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "probe.py").write_text(PROBE)
    (src / "index.md").write_text("# Home\n\n```{toctree}\na\n```\n")
    (src / "a.md").write_text("# A\n\nText.\n")
    out = tmp_path / "html"
    for _ in range(2):  # a first build, then a rebuild that loads the pickled environment
        build = sphinx_build(src, out)
        assert build.ok, build.log
    seen = json.loads((tmp_path / "gc.json").read_text())
    assert [s["event"] for s in seen] == ["loaded", "done", "exit", "loaded", "done", "exit"]
    assert all(s["enabled"] for s in seen if s["event"] != "exit")  # never left paused
    rebuild_loaded = seen[3]
    assert rebuild_loaded["docs"] == 2  # the environment came from the pickle
    assert rebuild_loaded["frozen"] > 1000  # ...and its objects were frozen after loading


def test_everything_is_frozen_at_exit(tmp_path):
    """Python's last collection at exit has nothing left to scan: what the build made is frozen too."""
    src = tmp_path / "src"
    src.mkdir()
    # The probe first: its exit handler is registered before essaysite's, so it runs after it.
    (src / "conf.py").write_text(CONF.replace('["myst_parser", "essaysite.quick_load", "probe"]', '["probe", "myst_parser", "essaysite.quick_load"]'))
    (src / "probe.py").write_text(PROBE)
    (src / "index.md").write_text("# Home\n")
    build = sphinx_build(src, tmp_path / "html")
    assert build.ok, build.log
    done, at_exit = json.loads((tmp_path / "gc.json").read_text())[-2:]
    assert at_exit["event"] == "exit"
    assert at_exit["frozen"] > done["frozen"]
