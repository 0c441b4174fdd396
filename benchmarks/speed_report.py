"""How the build-speed figures are shown: the tables, the growth from one size to the next, the charts and the page.

benchmarks/build_speed.py measures; this module prints and draws what it
measured (``results[n][configuration][step]``, see ``build_speed.measure``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "performance"
PAGE = ROOT / "docs" / "performance.md"
START, END = "<!-- build-speed:start -->", "<!-- build-speed:end -->"
STEPS = ["full", "no change", "edit one paragraph", "add one essay"]
PROJECT, SPEEDUPS_OFF = "project", "speedups-off"  # the project's site, with and without its speedups
BASELINE, PLAIN_J, STOCK = "baseline", "plain -j", "stock-ablog"

RATIOS = [
    ("project/baseline", PROJECT, BASELINE),
    ("project/plain -j", PROJECT, PLAIN_J),
    ("project/stock", PROJECT, STOCK),
    ("on/off", PROJECT, SPEEDUPS_OFF),
]


def table(n: int, results: dict) -> str:
    names = list(results)
    ratios = [(head, a, b) for head, a, b in RATIOS if a in results and b in results]
    lines = [f"N = {n} essays: median seconds (peak MB of all processes, pages rewritten)", ""]
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
    lines.append(f"{'output (MB)':<20}" + "".join(f"{results[name]['full']['output_mb']:>26.1f}" for name in names))
    return "\n".join(lines)


def growth(all_results: dict[int, dict], name: str = PROJECT) -> str:
    """How the times of ``name`` grow from one size to the next: t(N) / t(previous N), beside N / previous N."""
    sizes = [n for n in sorted(all_results) if name in all_results[n]]
    if len(sizes) < 2:
        return ""
    head = f"{'N':>8}{'x N':>8}" + "".join(f"{step:>20}" for step in STEPS) + f"{'peak MB':>10}{'output MB':>11}"
    lines = [f"Growth of {name}: time at N / time at the size before (linear growth: x N)", "", head, "-" * len(head)]
    for before, n in zip(sizes, sizes[1:]):
        now, then = all_results[n][name], all_results[before][name]
        row = f"{n:>8}{n / before:>8.2f}" + "".join(f"{now[s]['median_s'] / then[s]['median_s']:>20.2f}" for s in STEPS)
        row += f"{max(now[s]['peak_mb'] for s in STEPS):>10.0f}{now['full']['output_mb']:>11.1f}"
        lines.append(row)
    return "\n".join(lines)


def chart(all_results: dict[int, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(all_results)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, style in [(PROJECT, "o-"), (SPEEDUPS_OFF, "d-"), (STOCK, "s--"), (BASELINE, "^:"), (PLAIN_J, "v:")]:
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
    save(fig, path)


def save(fig, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def growth_chart(all_results: dict[int, dict], path: Path) -> None:
    """The project's four steps against N on logarithmic axes, each beside the line of linear growth from its first size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [n for n in sorted(all_results) if PROJECT in all_results[n]]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for step, colour in zip(STEPS, ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"]):
        times = [all_results[n][PROJECT][step]["median_s"] for n in sizes]
        ax.plot(sizes, times, "o-", color=colour, label=f"project: {step}")
        ax.plot(sizes, [times[0] * n / sizes[0] for n in sizes], ":", color=colour, alpha=0.6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("essays (N, logarithmic)")
    ax.set_ylabel("seconds (median, logarithmic)")
    ax.set_title("Growth of the project's build times (dotted: linear growth)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    save(fig, path)


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
        "same files, without ABlog or the project's extensions, and *plain -j* the same with",
        "`-j auto`. They are built in turns, step by step, so that the machine's slow and",
        "quick spells fall on all of them alike; beyond 1,000 essays the project is built",
        "alone. Peak memory is that of all a build's processes together (forked readers",
        "and writers included, shared pages counted once); *output* is the size of the",
        "built site.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, {info['os']}, "
        f"Python {info['python']}, Sphinx {info['sphinx']}.",
        "",
    ]
    if len(all_results) > 1:
        section += ["```{image} performance/build-time.png", ":alt: Line chart of full-build time against the number of essays for the project with and without its speedups, stock ABlog and plain Sphinx serially and with -j auto, and of the project's rebuild time after a one-paragraph edit.", "```", ""]
        section += ["```{image} performance/build-growth.png", ":alt: Line chart on logarithmic axes of the project's full build, rebuild with no change, after an edit and after adding an essay against the number of essays, each beside a dotted line of linear growth.", "```", ""]
    section += ["```text", *"\n\n".join(tables).splitlines(), "```", "", END]
    text = PAGE.read_text() if PAGE.exists() else "# Performance\n\n"
    if START in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + "\n".join(section) + after
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    PAGE.write_text(text)
