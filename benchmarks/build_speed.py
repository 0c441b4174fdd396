"""Build speed of the essay site, against plain Sphinx and stock ABlog.

    make bench            # N = 100, 300, 1,000 and 10,000, charts into docs/performance.md
    make bench N=1000     # one size, printed; figures in _build/build-speed.json
                          # (docs/performance.md keeps its sizes and charts)
    make bench N=1000,10000   # several sizes, printed, with the growth from one to the next

For each size N it generates N essays (benchmarks/essays.py) and builds them
with these configurations, in the same run and on the same files:

- ``project``: the project's own conf.py, extensions, templates and options
  (those of ``make html``);
- ``speedups-off``: the same with ``-D essays_speedups=0``: the project's
  features on stock Sphinx, ABlog and MyST, none of ``essaysite/speed/``
  (the same pages, byte for byte: tests/test_speedups.py);
- ``stock-ablog``: ABlog, MyST-Parser and sphinx-book-theme with ABlog's
  defaults (feeds on, since ABlog writes none without ``blog_baseurl``);
- ``baseline``: plain Sphinx with MyST-Parser and sphinx-book-theme, no ABlog
  and none of the project's extensions, serially (Sphinx's default);
- ``plain -j``: the same with ``-j auto``, as the project builds.

The peers (all but ``project``) are measured up to ``--peers-max`` essays
(1,000), ``speedups-off`` up to ``--speedups-off-max`` (300): beyond, the
project alone.

Each build starts once the files written before it are on disk (``os.sync``,
not timed). Each is timed at least three times (the median is reported), the
configurations in turns, for a full build, a rebuild with no change, a
rebuild after editing one paragraph of one essay and a rebuild after adding
one essay, with the peak memory of all the build's processes together
(benchmarks/process_memory.py: forked readers and writers included), the
number of pages each rebuild rewrote and the size of the output folder.
Figures are printed as a table with ratios to the peers and the project's
growth from one size to the next, written as JSON, and (for several sizes)
drawn as charts into docs/performance.md: build time of every
configuration against N, and the project's steps against N on logarithmic
axes beside a line of linear growth.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import essays  # noqa: E402
import process_memory  # noqa: E402

from speed_report import (  # noqa: E402
    BASELINE,
    PAGE,
    PLAIN_J,
    PROJECT,
    RESULTS,
    SPEEDUPS_OFF,
    STEPS,
    STOCK,
    chart,
    growth,
    growth_chart,
    table,
    write_page,
)

ROOT = Path(__file__).resolve().parents[1]
LOCAL_URL = "http://127.0.0.1:8000/"
SPEEDUPS_OFF_OPTIONS = ["-D", "essays_speedups=0"]
PLAIN_J_OPTIONS = ["-j", "auto"]

THEME_SIDEBARS = ["navbar-logo.html", "icon-links.html", "search-button-field.html", "sbt-sidebar-nav.html"]
BASELINE_CONF = f"""
project = "Baseline"
extensions = ["myst_parser"]
source_suffix = {{".md": "markdown"}}
html_theme = "sphinx_book_theme"
exclude_patterns = ["_build"]
suppress_warnings = ["toc.not_included"]
"""
STOCK_ABLOG_CONF = f"""
project = "Stock ABlog"
extensions = ["myst_parser", "ablog"]
source_suffix = {{".md": "markdown"}}
html_theme = "sphinx_book_theme"
exclude_patterns = ["_build"]
blog_post_pattern = "posts/*.md"
blog_baseurl = "{LOCAL_URL}"
html_sidebars = {{"**": {THEME_SIDEBARS + ["ablog/postcard.html", "ablog/recentposts.html", "ablog/tagcloud.html", "ablog/categories.html", "ablog/archives.html"]!r}}}
"""
SIMPLE_INDEX = "# Essays\n\nA benchmark site.\n"


def run_one(cmd: list[str]) -> None:
    """Run one build and print its wall time and peak memory as JSON (a child process).

    ``peak_mb``: the most memory all the build's processes held together
    (sampled PSS, benchmarks/process_memory.py), and never less than its
    largest single process (``ru_maxrss``), which a sample may miss.
    """
    import resource

    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        result, peak = process_memory.run_sampled(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
        seconds = time.perf_counter() - start
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    largest_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "seconds": seconds,
        "peak_mb": max(peak.pss / 2**20, largest_mb),
        "peak_rss_sum_mb": peak.rss / 2**20,
        "largest_process_mb": largest_mb,
        "processes": peak.processes,
        "rc": result.returncode,
        "stderr": errors[-3000:],
    }
    print(json.dumps(figures))


class Site:
    def __init__(self, name: str, workdir: Path, n: int, options: list[str]):
        self.name = name
        folder = workdir / re.sub(r"\W+", "-", name)  # "plain -j": plain-j
        self.src = folder / "src"
        self.out = folder / "html"
        self.doctrees = folder / "doctrees"
        self.options = options
        self.n = n
        self.added = 0
        self.edits = 0

    def prepare(self) -> None:
        self.src.mkdir(parents=True)
        if self.name in (PROJECT, SPEEDUPS_OFF):
            for item in ["conf.py", "index.md", "docs", "_static"]:
                src = ROOT / item
                if src.is_dir():
                    shutil.copytree(src, self.src / item)
                else:
                    shutil.copy2(src, self.src / item)
        else:
            conf = STOCK_ABLOG_CONF if self.name == STOCK else BASELINE_CONF
            (self.src / "conf.py").write_text(conf)
            (self.src / "index.md").write_text(SIMPLE_INDEX)
        essays.write_essays(self.src / "posts", self.n)

    def build(self) -> dict:
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", *self.options, "-d", str(self.doctrees), str(self.src), str(self.out)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
        before = self.snapshot()
        # The files the last build (of any configuration) wrote go to disk before the clock starts:
        # at 10,000 essays a full build leaves some 750 MB to write back, which slowed the builds after it
        # (an edit measured 13 to 15 s while it was written back, 8.8 s after).
        if hasattr(os, "sync"):
            os.sync()
        proc = subprocess.run([sys.executable, __file__, "--run-one", *cmd], capture_output=True, text=True, env=env)
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        if figures["rc"] != 0:
            raise SystemExit(f"{self.name}: build failed (exit {figures['rc']}):\n{figures['stderr']}")
        after = self.snapshot()
        figures["rewritten"] = sum(1 for path, (mtime, _) in after.items() if path.endswith(".html") and before.get(path, (None,))[0] != mtime)
        figures["rewritten_files"] = sum(1 for path, (mtime, _) in after.items() if before.get(path, (None,))[0] != mtime)
        figures["output_mb"] = sum(size for _, size in after.values()) / 2**20
        figures.pop("stderr")
        return figures

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every output file's (modification time, size), by path."""
        if not self.out.exists():
            return {}
        found = {}
        for p in self.out.rglob("*"):
            if p.is_file():
                stat = p.stat()
                found[str(p)] = (stat.st_mtime_ns, stat.st_size)
        return found

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.doctrees, ignore_errors=True)

    def edit_one_paragraph(self) -> None:
        self.edits += 1
        path = self.src / "posts" / f"{essays.slug(self.n // 2)}.md"
        text = path.read_text()
        lines = text.splitlines()
        heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
        lines[heading + 2] = f"Edited {self.edits} times. " + lines[heading + 2]
        path.write_text("\n".join(lines) + "\n")

    def add_one_essay(self) -> None:
        self.added += 1
        i = self.n + self.added
        text = essays.essay(i, self.n)
        (self.src / "posts" / f"{essays.slug(i)}.md").write_text(text)


def measure(sites: list[Site], repeat: int) -> dict[str, dict]:
    """Time every step of every configuration, the configurations in turns.

    Each step is run ``repeat`` times, and each time once per configuration
    before the next run of any: a slow or quick spell of the machine falls
    on all of them alike, which keeps the ratios steady.
    """
    for site in sites:
        site.prepare()
    runs: dict[str, dict[str, list[dict]]] = {site.name: {step: [] for step in STEPS} for site in sites}
    for step in STEPS:
        for _ in range(repeat):
            for site in sites:
                if step == "full":
                    site.clean()
                elif step == "edit one paragraph":
                    site.edit_one_paragraph()
                elif step == "add one essay":
                    site.add_one_essay()
                runs[site.name][step].append(site.build())
    return {
        site.name: {
            step: {
                "median_s": statistics.median(r["seconds"] for r in rs),
                "runs_s": [round(r["seconds"], 3) for r in rs],
                "peak_mb": max(r["peak_mb"] for r in rs),
                "peak_rss_sum_mb": max(r["peak_rss_sum_mb"] for r in rs),
                "largest_process_mb": max(r["largest_process_mb"] for r in rs),
                "processes": max(r["processes"] for r in rs),
                "rewritten_pages": statistics.median(r["rewritten"] for r in rs),
                "rewritten_files": statistics.median(r["rewritten_files"] for r in rs),
                "output_mb": statistics.median(r["output_mb"] for r in rs),
            }
            for step, rs in runs[site.name].items()
        }
        for site in sites
    }


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    import sphinx

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
    }


# Ratio columns: (heading, numerator, denominator), shown when both were measured.
def configurations(n: int, args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """(name, sphinx-build options) of each configuration measured at ``n`` essays."""
    project = args.project_options.split()
    every = [
        (PROJECT, project + ["-q"]),
        (SPEEDUPS_OFF, project + SPEEDUPS_OFF_OPTIONS + ["-q"]),
        (STOCK, ["-q"]),
        (BASELINE, ["-q"]),
        (PLAIN_J, PLAIN_J_OPTIONS + ["-q"]),
    ]
    return [
        (name, options)
        for name, options in every
        if name == PROJECT or (n <= args.peers_max and (name != SPEEDUPS_OFF or n <= args.speedups_off_max))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,300,1000,10000", help="comma-separated numbers of essays (default: 100,300,1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (at least 3)")
    parser.add_argument("--project-options", default="-n -W --keep-going", help="sphinx-build options of `make html`")
    parser.add_argument(
        "--speedups-off-max",
        type=int,
        default=300,
        help="largest N measured with the speedups off (default 300: at 1,000 essays stock ABlog's parallel "
        "reading sends every earlier share's environment back to each later one, gigabytes and minutes a build)",
    )
    parser.add_argument(
        "--peers-max",
        type=int,
        default=1000,
        help="largest N at which the peers (stock ABlog, plain Sphinx serially and with -j) are measured (default 1000; beyond, the project alone)",
    )
    parser.add_argument("--no-page", action="store_true", help="leave docs/performance.md and its figures as they are (figures into _build/build-speed.json)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeat = max(3, args.repeat)
    info = machine()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    all_results: dict[int, dict] = {}
    tables = []
    with tempfile.TemporaryDirectory(prefix="essay-bench-") as tmp:
        for n in sizes:
            sites = [Site(name, Path(tmp) / str(n), n, options) for name, options in configurations(n, args)]
            print(f"N={n}: {', '.join(site.name for site in sites)} in turns ...", flush=True)
            all_results[n] = results = measure(sites, repeat)
            tables.append(table(n, results))
            print(tables[-1], flush=True)
        if growth(all_results):
            tables.append(growth(all_results))
            print(tables[-1], flush=True)
    data = {"machine": info, "repeat": repeat, "project_options": args.project_options, "results": all_results}
    # The published figures (docs/performance/) only come with the page they belong to.
    json_path = ROOT / "_build" / "build-speed.json" if args.no_page else RESULTS / "build-speed.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"figures written to {json_path.relative_to(ROOT)}")
    if not args.no_page:
        if len(sizes) > 1:
            chart(all_results, RESULTS / "build-time.png")
            growth_chart(all_results, RESULTS / "build-growth.png")
        write_page(all_results, info, tables)
        print(f"{PAGE.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--run-one":
        run_one(sys.argv[2:])
    else:
        sys.exit(main())
