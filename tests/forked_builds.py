"""Builds forked from a process that has imported Sphinx and its kin already: a build server.

A ``python -m sphinx`` process spends about 0.6 s of the 1 to 1.5 s that a
build of a small site takes importing Sphinx, docutils, Pygments, Jinja,
Babel, MyST, ABlog and the themes (their bytecode cached). A server imports
them once; each build is a child forked from it: a process of its own, which
knows only what is on disk and what those imports made, as a new
``python -m sphinx`` knows after making the same imports. Measured on the
linked essays' site: a clean build 1.45 s of processor time as a new
process, 0.9 s forked.

What differs from a new process, and why it changes no output:

- The server imports no module of the project (``essaysite``), no conf.py,
  and none of the packages the project takes care to import its own way
  (sphinxext-opengraph without its card drawing, sphinxcontrib-bibtex only
  for a site that cites): each build imports them, reading its own
  arguments, environment and folder.
- The packages the server imports read nothing of the environment, the
  arguments or the folder when imported (Sphinx decides colours, locale and
  paths when it runs). A build whose environment changes how Python starts
  (``PYTHON*`` variables, the locale) is started as a new process instead.
- The build gets ``python -m sphinx``'s arguments, ``sys.argv``, folder
  (first on ``sys.path``), environment and standard streams, and ends as it
  does: exit handlers run, streams flushed, then the process exits (without
  the interpreter's last collection, which writes nothing).
- Python salts string hashes once per process: builds forked from one
  server share its salt. Builds that an oracle compares come from different
  servers (tests/test_freshness.py: one for each chain of rebuilds, one for
  the clean builds), so that an output depending on the order of a set
  still differs between them. tests/test_freshness.py also checks that a
  forked build writes what ``python -m sphinx`` writes, byte for byte, and
  that a new process finds the forked builds' state current.

Tests about the process itself (the garbage collector at exit, exit statuses
of faults, what is imported) build in new processes (helpers.sphinx_build
without a server).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# Run by the server (python -c): imports, then one forked build per request line.
SERVER = r'''
import atexit, importlib.util, json, os, sys, traceback

import sphinx.cmd.build, sphinx.application, sphinx.builders.html, sphinx.environment  # noqa: F401
import docutils.parsers.rst, docutils.writers.html5_polyglot, jinja2, babel.dates  # noqa: F401
import pygments.lexers.python, pygments.formatters.html  # noqa: F401
import myst_parser.sphinx_ext.main, ablog, ablog.post, ablog.blog  # noqa: F401
import sphinx_book_theme, pydata_sphinx_theme, lxml.html, lxml.etree, PIL.Image, yaml  # noqa: F401

MAIN = importlib.util.find_spec("sphinx.__main__").origin


def build(request):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.argv = [MAIN, *request["args"]]
    sys.path[0] = os.getcwd()  # python -m puts its folder first
    try:
        status = sphinx.cmd.build.main(request["args"])
    except SystemExit as exit:
        status = exit.code
    except BaseException:
        traceback.print_exc()
        status = 1
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    try:
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


print(json.dumps({"ready": os.getpid()}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    child = os.fork()
    if child == 0:
        build(request)
    _, status = os.waitpid(child, 0)
    print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)
'''


def starts_python(name: str) -> bool:
    """Environment variables read when Python starts, before any build runs."""
    return name.startswith(("PYTHON", "LC_")) or name in ("LANG", "LANGUAGE")


class BuildServer:
    """One server process: ``run(args, env, cwd)`` is ``subprocess.run([python, -m, sphinx, *args], ...)``."""

    def __init__(self, env: dict[str, str]):
        self.env = dict(env)
        self.lock = threading.Lock()
        self.folder = tempfile.TemporaryDirectory(prefix="essays-build-server-")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.env, cwd=self.folder.name
        )
        ready = self.process.stdout.readline()
        assert ready and "ready" in json.loads(ready), "the build server did not start"
        self.count = 0

    def serves(self, env: dict[str, str]) -> bool:
        names = {name for name in (*env, *self.env) if starts_python(name)}
        return all(env.get(name) == self.env.get(name) for name in names)

    def run(self, args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "sphinx", *args]
        if not self.serves(env):
            return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
        with self.lock:
            self.count += 1
            out, err = (Path(self.folder.name) / f"{self.count}.{name}" for name in ("stdout", "stderr"))
            request = {"args": list(args), "env": env, "cwd": str(cwd), "stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            assert answer, "the build server ended"
            status = json.loads(answer)["returncode"]
            result = subprocess.CompletedProcess(command, status, out.read_text(), err.read_text())
            out.unlink()
            err.unlink()
            return result

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.folder.cleanup()
