"""The build-speed benchmark (benchmarks/): its generated essays and its measurements.

The speed goals themselves are checked by running `make bench`, never by a
timed test; here the benchmark's own parts are checked: the essays are what
issue #6 asks for and the same on every run; one small measurement (the
project and plain Sphinx, every step once, on 2 essays) builds, counts
rewritten pages and tabulates; each other configuration of `make bench`
(stock ABlog, plain Sphinx with -j, the project without its speedups) is
built once, with the options `make bench` gives it.
"""

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

# The benchmark's modules import each other from benchmarks/: the test
# process's import path is put back as it was once they are loaded.
_saved_path = sys.path[:]
try:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import build_speed
    import essays
finally:
    sys.path[:] = _saved_path

N = 60


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    essays.write_essays(first, N)
    essays.write_essays(second, N)
    return first, second


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_essays_are_the_same_on_every_run(generated):
    first, second = generated
    names = sorted(p.name for p in first.glob("*.md"))
    assert len(names) == N
    assert names == sorted(p.name for p in second.glob("*.md"))
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)


def test_essays_are_realistic(generated):
    folder = generated[0]
    slugs = {p.stem for p in folder.glob("*.md")}
    tags, categories, years = set(), set(), set()
    for path in folder.glob("*.md"):
        text = path.read_text()
        meta = front_matter(text)
        body = text.split("---\n", 2)[2]
        words = len(re.findall(r"[A-Za-z]+", body))
        assert 600 <= words <= 1000, (path.name, words)  # about 800
        assert len(re.findall(r"^# ", body, re.M)) == 1 and len(re.findall(r"^## ", body, re.M)) >= 2
        assert "```python\n" in body and len(re.findall(r"^- ", body, re.M)) >= 3
        essay_tags = [t.strip() for t in meta["tags"].split(",")]
        assert 1 <= len(essay_tags) <= 3 and set(essay_tags) <= set(essays.TAGS)
        assert meta["category"] in essays.CATEGORIES
        links = re.findall(r"\]\((essay-\d{5})\.md\)", body)
        assert len(links) == 2 and set(links) <= slugs - {path.stem}  # two other essays that exist
        tags.update(essay_tags)
        categories.add(meta["category"])
        years.add(meta["date"].year)
    assert len(essays.TAGS) == 30 and len(essays.CATEGORIES) == 6
    assert len(tags) >= 20 and len(categories) == 6 and len(years) >= 5  # spread over the pool and the years


SMALL = 2  # essays of the measured sites: each links to the other
# The options `make bench` gives each configuration (the project's as the Makefile passes them).
CONFIGURATIONS = dict(build_speed.configurations(SMALL, build_speed.argparse.Namespace(
    project_options="-n -W --keep-going", peers_max=1000, speedups_off_max=300)))


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """The project and plain Sphinx measured as `make bench` measures them: four steps, once each, on 2 essays.

    The other three configurations are built once each (test_the_other_configurations_build):
    their steps are made by the same code (``Site``), which these two prove.
    """
    workdir = tmp_path_factory.mktemp("bench")
    sites = [build_speed.Site(name, workdir, SMALL, CONFIGURATIONS[name]) for name in (build_speed.PROJECT, build_speed.BASELINE)]
    started = time.perf_counter()
    results = build_speed.measure(sites, 1)
    return workdir, results, time.perf_counter() - started


def test_one_small_measurement(measured):
    """Builds succeed; time, memory, output and rewritten pages are counted for each step, and tabulated."""
    workdir, results, elapsed = measured
    assert set(results) == {"project", "baseline"}
    for name, steps in results.items():
        assert list(steps) == build_speed.STEPS
        for step in steps.values():
            # One run each: its time is the median, and a build of a site takes a while.
            (run,) = step["runs_s"]
            assert step["median_s"] == pytest.approx(run, abs=0.001) and run >= 0.1
            # All processes together: at least the largest one, sampled PSS never above the summed RSS.
            assert 10 < step["largest_process_mb"] <= step["peak_mb"]
            assert step["output_mb"] > 0.1
    # Every run measured is a part of the time measure() took, not more.
    assert sum(step["median_s"] for steps in results.values() for step in steps.values()) < elapsed
    project, baseline = results["project"], results["baseline"]
    assert project["full"]["rewritten_pages"] > SMALL + 5  # the essays, the site's own pages, the lists
    assert project["no change"]["rewritten_pages"] < project["full"]["rewritten_pages"] / 2
    assert 1 <= project["edit one paragraph"]["rewritten_pages"] < project["full"]["rewritten_pages"]
    # The essays, the index, search and genindex, and the theme's two macro files in _static.
    assert baseline["full"]["rewritten_pages"] == SMALL + 3 + 2
    assert baseline["no change"]["rewritten_pages"] < baseline["full"]["rewritten_pages"]
    for name in results:
        edited = workdir / name / "src" / "posts" / f"{essays.slug(SMALL // 2)}.md"
        assert "Edited 1 times." in edited.read_text()
        assert (workdir / name / "src" / "posts" / f"{essays.slug(SMALL + 1)}.md").exists()  # the essay added
    # The output folder: the project writes more files than plain Sphinx (lists, feeds; fewer bytes on
    # 2 essays, without the themes' source maps).
    assert project["full"]["rewritten_files"] > baseline["full"]["rewritten_files"] + 10
    # Adding an essay rewrites its page, the lists and the feeds, counted.
    assert project["add one essay"]["rewritten_pages"] >= 1 and project["add one essay"]["rewritten_files"] >= project["add one essay"]["rewritten_pages"] + 3
    table = build_speed.table(SMALL, results).splitlines()
    assert table[0] == "N = 2 essays: median seconds (peak MB of all processes, pages rewritten)"
    assert len(table) == 4 + len(build_speed.STEPS) + 1
    assert table[2].split()[-1] == "project/baseline" and table[-1].startswith("output (MB)")
    for step, row in zip(build_speed.STEPS, table[4:]):
        assert float(row.split()[-1]) == pytest.approx(project[step]["median_s"] / baseline[step]["median_s"], abs=0.006)
    json.dumps(results)  # the figures written as JSON


def test_the_other_configurations_build(measured):
    """Stock ABlog, plain Sphinx with -j, and the project without its speedups (-D essays_speedups=0): a full build each."""
    workdir, results, _ = measured
    assert CONFIGURATIONS[build_speed.SPEEDUPS_OFF] == [*CONFIGURATIONS[build_speed.PROJECT][:-1], *build_speed.SPEEDUPS_OFF_OPTIONS, "-q"]
    full = {}
    for name in (build_speed.STOCK, build_speed.PLAIN_J, build_speed.SPEEDUPS_OFF):
        site = build_speed.Site(name, workdir, SMALL, CONFIGURATIONS[name])
        site.prepare()
        full[name] = site.build()  # a failed build ends the run (SystemExit) with its messages
        assert 10 < full[name]["largest_process_mb"] <= full[name]["peak_mb"]
    assert (workdir / build_speed.SPEEDUPS_OFF / "src" / "conf.py").read_bytes() == (ROOT / "conf.py").read_bytes()
    # Without its speedups the project writes the same files as with them (tests/test_speedups.py: the same bytes).
    assert full[build_speed.SPEEDUPS_OFF]["rewritten_files"] == results["project"]["full"]["rewritten_files"]
    assert full[build_speed.SPEEDUPS_OFF]["output_mb"] == pytest.approx(results["project"]["full"]["output_mb"], rel=0.001)
    # Plain Sphinx writes the same site with -j as serially; ABlog adds its lists and feeds.
    assert full[build_speed.PLAIN_J]["output_mb"] == pytest.approx(results["baseline"]["full"]["output_mb"], rel=0.01)
    assert full[build_speed.STOCK]["rewritten_files"] > results["baseline"]["full"]["rewritten_files"] + 5


def test_peak_memory_is_that_of_all_processes_together(tmp_path):
    """A process that forks two children, each holding 60 MB: the peak counts the three, not the largest one."""
    script = tmp_path / "fork.py"
    script.write_text(
        "import os, time\n"
        "pids = []\n"
        "for _ in range(2):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        held = b'x' * (60 * 2**20)\n"
        "        time.sleep(1.5)\n"
        "        os._exit(0)\n"
        "    pids.append(pid)\n"
        "for pid in pids:\n"
        "    os.waitpid(pid, 0)\n"
    )
    result, peak = build_speed.process_memory.run_sampled([sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert result.returncode == 0
    assert peak.processes == 3 and peak.samples > 5
    assert peak.pss > 2 * 60 * 2**20  # both children's 60 MB, at once
    assert peak.rss >= peak.pss


def test_ten_thousand_essays_are_the_project_alone():
    """`make bench N=10000`: the project only, the peers up to 1,000 essays, speedups off up to 300."""
    args = build_speed.argparse.Namespace(project_options="-j auto -n -W --keep-going", peers_max=1000, speedups_off_max=300)
    names = lambda n: [name for name, _ in build_speed.configurations(n, args)]  # noqa: E731
    assert names(10000) == ["project"]
    assert names(1000) == ["project", "stock-ablog", "baseline", "plain -j"]
    assert names(300) == ["project", "speedups-off", "stock-ablog", "baseline", "plain -j"]
    assert dict(build_speed.configurations(1000, args))["plain -j"][:2] == ["-j", "auto"]


def test_growth_from_one_size_to_the_next():
    def figures(seconds):
        return {step: {"median_s": seconds, "peak_mb": 100.0, "output_mb": 5.0} for step in build_speed.STEPS}

    text = build_speed.growth({1000: {"project": figures(2.0)}, 10000: {"project": figures(22.0)}})
    header, row = text.splitlines()[2], text.splitlines()[4]
    assert header.split()[:2] == ["N", "x"]
    assert row.split() == ["10000", "10.00", "11.00", "11.00", "11.00", "11.00", "100", "5.0"]
    assert build_speed.growth({1000: {"project": figures(2.0)}}) == ""
