"""Build speed of the essay site, against plain Sphinx and stock ABlog.

    make bench            # N = 100, 300 and 1,000, chart into docs/performance.md
    make bench N=1000     # one size, printed; figures in _build/build-speed.json
                          # (docs/performance.md keeps its three sizes and chart)

For each size N it generates N essays (benchmarks/essays.py) and builds them
with five configurations, in the same run and on the same files:

- ``project``: the project's own conf.py, extensions, templates and options
  (those of ``make html``);
- ``speedups-off``: the same with ``-D essays_speedups=0``: the project's
  features on stock Sphinx, ABlog and MyST, none of ``essaysite/speed/``
  (the same pages, byte for byte: tests/test_speedups.py);
- ``stock-ablog``: ABlog, MyST-Parser and sphinx-book-theme with ABlog's
  defaults (feeds on, since ABlog writes none without ``blog_baseurl``);
- ``baseline``: plain Sphinx with MyST-Parser and sphinx-book-theme, no ABlog
  and none of the project's extensions, built serially;
- ``baseline-j``: the same site built with ``-j auto``, as the project is
  (plain Sphinx reads and writes in parallel without a warning: it has no
  extension that is not parallel-safe).

Each is timed at least three times (the median is reported), the
configurations in turns, for a full build, a rebuild with no change, a
rebuild after editing one paragraph of one essay and a rebuild after adding
one essay, with the peak memory of the build
and the number of pages each rebuild rewrote. Figures are printed as a table
with ratios to the baseline, written as JSON, and (for several sizes) drawn
as a chart into docs/performance.md.
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

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "performance"
PAGE = ROOT / "docs" / "performance.md"
START, END = "<!-- build-speed:start -->", "<!-- build-speed:end -->"
STEPS = ["full", "no change", "edit one paragraph", "add one essay"]
LOCAL_URL = "http://127.0.0.1:8000/"
PROJECT, SPEEDUPS_OFF = "project", "speedups-off"  # the project's site, with and without its speedups
BASELINE, BASELINE_J = "baseline", "baseline-j"  # plain Sphinx, serial and with -j auto
SPEEDUPS_OFF_OPTIONS = ["-D", "essays_speedups=0"]

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
    """Run one build and print its wall time and peak memory as JSON (a child process)."""
    import resource

    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "rc": result.returncode, "stderr": result.stderr[-3000:]}))


class Site:
    def __init__(self, name: str, workdir: Path, n: int, options: list[str]):
        self.name = name
        self.src = workdir / name / "src"
        self.out = workdir / name / "html"
        self.doctrees = workdir / name / "doctrees"
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
            conf = BASELINE_CONF if self.name in (BASELINE, BASELINE_J) else STOCK_ABLOG_CONF
            (self.src / "conf.py").write_text(conf)
            (self.src / "index.md").write_text(SIMPLE_INDEX)
        essays.write_essays(self.src / "posts", self.n)

    def build(self) -> dict:
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", *self.options, "-d", str(self.doctrees), str(self.src), str(self.out)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
        before = self.snapshot()
        proc = subprocess.run([sys.executable, __file__, "--run-one", *cmd], capture_output=True, text=True, env=env)
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        if figures["rc"] != 0:
            raise SystemExit(f"{self.name}: build failed (exit {figures['rc']}):\n{figures['stderr']}")
        after = self.snapshot()
        figures["rewritten"] = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
        figures.pop("stderr")
        return figures

    def snapshot(self) -> dict[str, int]:
        if not self.out.exists():
            return {}
        return {str(p): p.stat().st_mtime_ns for p in self.out.rglob("*.html")}

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
                "rewritten_pages": statistics.median(r["rewritten"] for r in rs),
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
RATIOS = [
    ("project/baseline", PROJECT, BASELINE),
    ("project/baseline-j", PROJECT, BASELINE_J),
    ("project/stock", PROJECT, "stock-ablog"),
    ("on/off", PROJECT, SPEEDUPS_OFF),
]


def table(n: int, results: dict) -> str:
    names = list(results)
    ratios = [(head, a, b) for head, a, b in RATIOS if a in results and b in results]
    lines = [f"N = {n} essays: median seconds (peak MB, pages rewritten)", ""]
    head = f"{'step':<20}" + "".join(f"{name:>26}" for name in names) + "".join(f"{h:>{len(h) + 2}}" for h, _, _ in ratios)
    lines.append(head)
    lines.append("-" * len(head))
    for step in STEPS:
        row = f"{step:<20}"
        for name in names:
            r = results[name][step]
            row += f"{r['median_s']:>9.2f} ({r['peak_mb']:>5.0f} MB, {r['rewritten_pages']:>5.0f})"
        for h, a, b in ratios:
            row += f"{results[a][step]['median_s'] / results[b][step]['median_s']:>{len(h) + 2}.2f}"
        lines.append(row)
    return "\n".join(lines)


def chart(all_results: dict[int, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(all_results)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, style in [(PROJECT, "o-"), (SPEEDUPS_OFF, "d-"), ("stock-ablog", "s--"), (BASELINE, "^:"), (BASELINE_J, "v:")]:
        measured = [n for n in sizes if name in all_results[n]]
        if not measured:
            continue
        ax.plot(measured, [all_results[n][name]["full"]["median_s"] for n in measured], style, label=f"{name}: full build")
    ax.plot(sizes, [all_results[n]["project"]["edit one paragraph"]["median_s"] for n in sizes], "o-.", label="project: after a one-paragraph edit")
    ax.set_xlabel("essays (N)")
    ax.set_ylabel("seconds (median of 3)")
    ax.set_title("Build time against the number of essays")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write_page(all_results: dict[int, dict], info: dict, tables: list[str]) -> None:
    section = [
        START,
        "## Build speed",
        "",
        "Measured by `make bench` (benchmarks/build_speed.py) on generated essays of about",
        "800 words each. *project* is this site's configuration; *speedups-off* is the same",
        "with `-D essays_speedups=0` (the project's features on stock Sphinx, ABlog and MyST:",
        "the same pages, byte for byte); *stock-ablog* is ABlog with sphinx-book-theme and",
        "ABlog's defaults; *baseline* is plain Sphinx with MyST and sphinx-book-theme on the",
        "same files, without ABlog or the project's extensions, built serially, and",
        "*baseline-j* the same with `-j auto`. They are built in turns,",
        "step by step, so that the machine's slow and quick spells fall on all of them alike.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, {info['os']}, "
        f"Python {info['python']}, Sphinx {info['sphinx']}.",
        "",
    ]
    if len(all_results) > 1:
        section += ["```{image} performance/build-time.png", ":alt: Line chart of full-build time against the number of essays for the project with and without its speedups, stock ABlog and plain Sphinx (serial and with -j auto), and of the project's rebuild time after a one-paragraph edit.", "```", ""]
    section += ["```text", *"\n\n".join(tables).splitlines(), "```", "", END]
    text = PAGE.read_text() if PAGE.exists() else "# Performance\n\n"
    if START in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + "\n".join(section) + after
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    PAGE.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,300,1000", help="comma-separated numbers of essays (default: 100,300,1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (at least 3)")
    parser.add_argument("--project-options", default="-n -W --keep-going", help="sphinx-build options of `make html`")
    parser.add_argument(
        "--speedups-off-max",
        type=int,
        default=300,
        help="largest N measured with the speedups off (default 300: at 1,000 essays stock ABlog's parallel "
        "reading sends every earlier share's environment back to each later one, gigabytes and minutes a build)",
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
            sites = [
                Site(name, Path(tmp) / str(n), n, options)
                for name, options in [
                    (PROJECT, args.project_options.split() + ["-q"]),
                    (SPEEDUPS_OFF, args.project_options.split() + SPEEDUPS_OFF_OPTIONS + ["-q"]),
                    ("stock-ablog", ["-q"]),
                    (BASELINE, ["-q"]),
                    (BASELINE_J, ["-j", "auto", "-q"]),
                ]
                if name != SPEEDUPS_OFF or n <= args.speedups_off_max
            ]
            print(f"N={n}: {', '.join(site.name for site in sites)} in turns ...", flush=True)
            all_results[n] = results = measure(sites, repeat)
            tables.append(table(n, results))
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
        write_page(all_results, info, tables)
        print(f"{PAGE.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--run-one":
        run_one(sys.argv[2:])
    else:
        sys.exit(main())
