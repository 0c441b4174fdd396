"""Fixtures: small sites built in this process, and the project's own site built in a subprocess.

Feature tests build a small site of ``tests/roots/test-<name>/`` in the
test process with Sphinx's own test fixtures (``sphinx.testing``), as
Sphinx's and sphinxext-opengraph's test suites do:

- ``@pytest.mark.sphinx("html", testroot="<name>")`` and the ``app`` fixture
  for a build of its own (``app.build()``, then read ``app.outdir`` and
  ``app.warning``);
- ``pytestmark = pytest.mark.sphinx(...)`` on a module and the ``built``
  fixture for one build shared by the module's tests.

Whole-site builds run in a subprocess (``helpers.sphinx_build``) only for
the oracles (incremental = clean, parallel = serial, reproducible, the
browser) and the checks of the project's own site (``site``); those of
feature tests are forked from ``build_server`` (tests/forked_builds.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from sphinx.util.console import nocolor

from helpers import ROOT, ROOTS, Built, build_root, collector_as_found, sphinx_build

pytest_plugins = ("sphinx.testing.fixtures",)


def pytest_configure(config):
    nocolor()  # plain messages in app.status and app.warning
    bytecode_kept_aside(config)
    # MyST, ABlog and the themes still read attributes that Sphinx 11 removes
    # (shown by builds in this process): not this project's to fix.
    for package in ("myst_parser", "ablog", "sphinx_book_theme", "pydata_sphinx_theme", "sphinxext", "notfound"):
        config.addinivalue_line("filterwarnings", rf"ignore:'{package}\..*' is deprecated")
    config.addinivalue_line("filterwarnings", "ignore:'tags' will become a required keyword argument")  # notfound


_bytecode_folder: list[str] = []  # the folder this process made for the session's bytecode


def bytecode_kept_aside(config) -> None:
    """With PYTHONDONTWRITEBYTECODE set, every Python the tests start compiles from source: not twice.

    Some machines (this project's CI sandbox among them) set it, and pip
    installs the packages without bytecode (the Makefile's --no-compile):
    each of the suite's few hundred ``python -m sphinx`` processes then
    compiled Sphinx, docutils, ABlog, MyST, Pygments... again, about 2 s of
    a 4.7 s build of the linked essays. The machine's wish is kept (nothing
    is written beside the sources) and the work is done once: the
    session's processes (the xdist workers, started after this, and every
    process they start) keep their bytecode in one temporary folder
    (PYTHONPYCACHEPREFIX), removed at the end. Bytecode changes no output:
    Python checks each file against its source.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return  # bytecode beside the sources as usual, or kept already (an xdist worker)
    folder = tempfile.mkdtemp(prefix="essays-tests-bytecode-")
    _bytecode_folder.append(folder)
    os.environ["PYTHONPYCACHEPREFIX"] = folder
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    sys.pycache_prefix, sys.dont_write_bytecode = folder, False  # this process's own later imports too


def pytest_unconfigure(config):
    for folder in _bytecode_folder:
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.pycache_prefix, sys.dont_write_bytecode = None, True
        shutil.rmtree(folder, ignore_errors=True)
    _bytecode_folder.clear()


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds ``testroot="<name>"``: tests/roots/test-<name>."""
    return ROOTS


# -- In-process builds leave the test process as they found it -------------------


@pytest.fixture(autouse=True)
def collector_restored():
    with collector_as_found():
        yield


def forget_earlier_essays() -> None:
    """Empty ABlog's process-wide ``Blog`` singleton, which holds the essays of the last build.

    essaysite.incremental.freshness empties it when a build starts; a root
    that does not load it (test-feeds) would otherwise list the essays of
    a site built before it in this process (tests/test_in_process.py).
    """
    from ablog.blog import Blog

    Blog._dict.clear()


@pytest.fixture(autouse=True)
def no_earlier_essays():
    forget_earlier_essays()


@pytest.fixture(scope="session", autouse=True)
def no_freeze_at_exit():
    """essaysite.speed.collector's exit handler freezes everything: not in the test process."""
    yield
    from essaysite.speed.collector import freeze_at_exit

    atexit.unregister(freeze_at_exit)


# -- One build of a root shared by a module's tests --------------------------------


@pytest.fixture(scope="module")
def built(request, tmp_path_factory) -> Built:
    """One build of the module's root: ``pytestmark = pytest.mark.sphinx("html", testroot=...)``.

    The marker takes sphinx.testing's arguments (``confoverrides``,
    ``freshenv``...) and ``env`` (environment variables set while it builds).
    """
    marker = request.node.get_closest_marker("sphinx")
    assert marker is not None, f"{request.node.name}: no pytestmark = pytest.mark.sphinx(...)"
    kwargs = dict(marker.kwargs)
    name = kwargs.pop("testroot")
    buildername = marker.args[0] if marker.args else kwargs.pop("buildername", "html")
    forget_earlier_essays()
    with collector_as_found():
        return build_root(name, tmp_path_factory.mktemp(f"root-{name}"), buildername, **kwargs)


# -- The project's own site, built in a subprocess -----------------------------------


@pytest.fixture(scope="session")
def build_server():
    """Whole-site builds for feature tests, forked from a process that imported Sphinx once (tests/forked_builds.py).

    Not for the oracles (each has its own processes) nor for tests about the
    process itself (exit statuses, the garbage collector at exit, imports).
    """
    from forked_builds import BuildServer
    from helpers import clean_env

    server = BuildServer(clean_env())
    yield server
    server.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory, build_server):
    """The project's own site, built as `make html` builds it."""
    out = tmp_path_factory.mktemp("site") / "html"
    build = sphinx_build(ROOT, out, server=build_server)
    assert build.ok, build.log
    return build


@pytest.fixture(scope="session")
def linked_site(tmp_path_factory, build_server):
    """The project's site with the linked essays (tests/roots/test-linked/posts), three essays a list page."""
    from helpers import LINKED_OPTIONS, copy_linked_site

    root = tmp_path_factory.mktemp("linked")
    build = sphinx_build(copy_linked_site(root / "src"), root / "html", options=LINKED_OPTIONS, server=build_server)
    assert build.ok, build.log
    return build
