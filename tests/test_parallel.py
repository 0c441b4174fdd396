"""`sphinx-build -j auto -W` reads in parallel and writes the same site as a serial build."""

import pytest

from helpers import LINKED_OPTIONS, copy_linked_site, sphinx_build


def site_files(outdir):
    """Every file the build wrote, by path relative to outdir."""
    return {p.relative_to(outdir).as_posix(): p for p in outdir.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel")
    # -j 2 rather than auto: a machine with one core would otherwise read serially.
    build = sphinx_build(copy_linked_site(root / "src"), root / "html", options=(*LINKED_OPTIONS, "-j", "2"))
    assert build.ok, build.log
    return build


def test_parallel_build_succeeds_with_warnings_as_errors(parallel):
    assert "WARNING" not in parallel.log
    assert "doing serial read" not in parallel.log
    # Sphinx reports parallel reading by chunks of documents ("a .. b").
    assert any("reading sources..." in line and " .. " in line for line in parallel.log.splitlines())


def test_parallel_output_equals_serial_output(parallel, linked_site):
    """Every page, feed, search index and asset, byte for byte; nothing normalised."""
    theirs, ours = site_files(linked_site.outdir), site_files(parallel.outdir)
    assert sorted(ours) == sorted(theirs)
    pages = [name for name in ours if name.endswith((".html", ".xml"))]
    assert len(pages) > 50
    different = [name for name in sorted(ours) if ours[name].read_bytes() != theirs[name].read_bytes()]
    assert different == []


def test_j_auto_with_warnings_as_errors_succeeds(tmp_path):
    build = sphinx_build(copy_linked_site(tmp_path / "src"), tmp_path / "html", options=(*LINKED_OPTIONS, "-j", "auto"))
    assert build.ok, build.log
    assert "WARNING" not in build.log
