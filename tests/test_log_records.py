"""Log records are made only when shown (essaysite.speed.log_records), and what is shown is unchanged.

A probe extension logs one message at each level when the builder starts,
and counts the debug records the build makes (every event Sphinx emits
logs one). Built quietly, normally, with -v and with -vv: each output shows
exactly the messages of its verbosity, warnings always, and only -vv makes
debug records.
"""

import json

from helpers import probe_site, sphinx_build

PROBE = '''
import json, logging, pathlib
from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger("probe")
made = {"debug": 0}
make_record = logging.Logger.makeRecord

def counting_make_record(self, name, level, *args, **kwargs):
    if level == logging.DEBUG and name.startswith("sphinx"):
        made["debug"] += 1
    return make_record(self, name, level, *args, **kwargs)

logging.Logger.makeRecord = counting_make_record

def start(app):
    logger.debug("probe-debug")
    logger.verbose("probe-verbose")
    logger.info("probe-info")

def done(app, exc):
    (pathlib.Path(app.outdir).parent / "made.json").write_text(json.dumps(made))

def setup(app):
    app.connect("builder-inited", start)
    app.connect("build-finished", done)
    return {"parallel_read_safe": True}
'''

EXTENSIONS = ["myst_parser", "essaysite.speed.log_records", "probe"]


def test_shown_messages_unchanged_and_no_hidden_records(tmp_path):
    src = probe_site(tmp_path / "src", EXTENSIONS, PROBE, {"index": "# Home\n\n[a link to nowhere](missing.md)\n"})
    shown = {}
    for name, options in [("quiet", ("-q",)), ("normal", ()), ("verbose", ("-v",)), ("debug", ("-vv",))]:
        out = tmp_path / name
        build = sphinx_build(src, out, options=("-n", "--keep-going", *options))
        assert build.ok, build.log
        made = json.loads((tmp_path / "made.json").read_text())["debug"]
        log = build.log
        shown[name] = ([m for m in ("probe-debug", "probe-verbose", "probe-info") if m in log], "missing.md" in log, made)
    assert shown["quiet"] == ([], True, 0)  # the warning (a dangling link) whatever the verbosity
    assert shown["normal"] == (["probe-info"], True, 0)
    assert shown["verbose"] == (["probe-verbose", "probe-info"], True, 0)
    debug_shown, warned, made = shown["debug"]
    assert debug_shown == ["probe-debug", "probe-verbose", "probe-info"] and warned
    assert made > 20  # one per event emitted, and more: all made (and shown) at -vv
