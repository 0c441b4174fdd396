"""The site is built once per test session, in a subprocess, and shared."""

import pytest

from helpers import ROOT, sphinx_build


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The project's own site, built as `make html` builds it."""
    out = tmp_path_factory.mktemp("site") / "html"
    build = sphinx_build(ROOT, out)
    assert build.ok, build.log
    return build


@pytest.fixture(scope="session")
def linked_site(tmp_path_factory):
    """The linked-essays fixture (tests/data/linked-essays), three essays a list page."""
    from helpers import LINKED_OPTIONS, copy_linked_site

    root = tmp_path_factory.mktemp("linked")
    build = sphinx_build(copy_linked_site(root / "src"), root / "html", options=LINKED_OPTIONS)
    assert build.ok, build.log
    return build
