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
