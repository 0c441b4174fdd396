"""The speedups change no byte: the site built with and without them is the same site.

The project's site plus 10 generated essays (benchmarks/essays.py) is built
four ways, each in its own process: speedups on and off
(``-D essays_speedups=0``: stock Sphinx, ABlog and MyST plus the project's
features), serially and with ``-j 2`` (``essays_parallel_min_pages=0``, so
that the parallel reading, writing, generated pages and feeds really run).
Every build must write the same files, byte for byte, .buildinfo included.

Lists of 3 essays a page and feeds of 3 (``essays_per_page``,
``essays_feed_length``) give 10 essays what 30 had at the site's 10 and 20
and more: several pages of every long list, and feed archives (30 essays
were all in the site's subscription document); the site's own pages, the
documentation's code, tables and pictures, are all there.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import ROOT, copy_site, probe_site, sphinx_build

sys.path.insert(0, str(ROOT / "benchmarks"))
import essays  # noqa: E402

ESSAYS = 10
SMALL_LISTS = ("-D", "essays_per_page=3", "-D", "essays_feed_length=3")
WAYS = {
    "speedups on, serial": (),
    "speedups off, serial": ("-D", "essays_speedups=0"),
    "speedups on, -j 2": ("-j", "2"),
    "speedups off, -j 2": ("-j", "2", "-D", "essays_speedups=0"),
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("speedups")
    src = copy_site(root / "src")
    essays.write_essays(src / "posts", ESSAYS)

    def build(item):
        index, (name, options) = item
        return name, sphinx_build(src, root / f"html-{index}", options=("-n", "-W", "--keep-going", "-D", "essays_parallel_min_pages=0", *SMALL_LISTS, *options))

    # Two at a time: a serial build beside another keeps both cores busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        built = dict(pool.map(build, enumerate(WAYS.items())))
    for name, result in built.items():
        assert result.ok, f"{name}:\n{result.log}"
    return built


def files(outdir):
    return {p.relative_to(outdir).as_posix(): p for p in sorted(outdir.rglob("*")) if p.is_file()}


def read_in_parallel(log: str) -> bool:
    """Sphinx reports parallel reading by chunks of documents ("a .. b")."""
    return any("reading sources" in line and " .. " in line for line in log.splitlines())


def test_parallel_builds_did_run_in_parallel(builds):
    assert read_in_parallel(builds["speedups on, -j 2"].log)
    assert read_in_parallel(builds["speedups off, -j 2"].log)
    assert "generated pages written by" in builds["speedups on, -j 2"].log  # essaysite.speed.parallel_pages
    assert "generated pages written by" not in builds["speedups off, -j 2"].log


@pytest.mark.parametrize("way", [w for w in WAYS if w != "speedups on, serial"])
def test_every_way_writes_the_same_bytes(builds, way):
    reference, other = files(builds["speedups on, serial"].outdir), files(builds[way].outdir)
    assert len([name for name in reference if name.endswith(".html")]) > ESSAYS + 40  # essays, docs, lists
    assert "blog/page/4.html" in reference and any("/archives/" in name for name in reference)  # long lists, feed archives
    missing, extra = sorted(set(reference) - set(other)), sorted(set(other) - set(reference))
    assert not missing and not extra, f"{way}: files only with speedups on, serially: {missing[:5]}; only {way}: {extra[:5]}"
    different = next((name for name in reference if reference[name].read_bytes() != other[name].read_bytes()), None)
    assert different is None, f"{way}: {different} differs from the serial build with speedups on"


def test_a_switch_neither_true_nor_false_is_said_in_one_line(tmp_path):
    src = probe_site(tmp_path / "src", ["myst_parser", "essaysite.speed"], "", {"index": "# Home\n"})
    with open(src / "conf.py", "a") as conf:
        conf.write("essays_speedups = 2\n")
    build = sphinx_build(src, tmp_path / "html")
    assert not build.ok  # -W
    (line,) = [line for line in build.log.splitlines() if "essays_speedups" in line]
    assert "must be True or False in conf.py (1 or 0 with -D), not 2" in line
    assert "Traceback" not in build.log
