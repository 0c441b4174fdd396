"""``essays-check`` (``make check``): every check that needs no network.

1. Every essay's front matter, as the build checks it
   (essaysite.features.frontmatter), plus its cover picture: the file exists
   and ``cover_alt`` describes it. A problem that would stop the build ends
   the check here (exit status 2).
2. The site, built as ``make html`` builds it; each warning is a problem.
3. The built site (essaysite.cli.check_built): every internal link,
   ``#anchor`` and picture in every page and Atom feed leads somewhere, and
   every picture has alt text.

Each problem is said once, at the source file and line where the author
fixes it, with the built files it shows in counted on the same line; the
last line says what was checked. Exit status 1 when there is any problem.
``--front-matter`` and ``--built DIR`` run one step alone. External links are
checked by ``make linkcheck`` (Sphinx's linkcheck builder), which needs the
network.
"""

from __future__ import annotations

import argparse
import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

from essaysite.cli.check_built import Checked, Finding, built_site_findings
from essaysite.frontmatter.essay import check_essay
from essaysite.frontmatter.site import check_site, essay_paths

# Exit status when the front matter would stop the build (make check then skips it).
STOPS_THE_BUILD = 2
# The build's own warnings for covers and raw-HTML pictures and links: the
# cover and built-site checks report those, with every built file they show in.
REPORTED_HERE = "essays.cover,rawimages.missing,rawlinks.missing"
WARNING = re.compile(r"^(?:(?P<path>.+?):(?:(?P<line>\d+):)? )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)(?: \[[\w.-]+\])?$")


# -- Front matter -------------------------------------------------------------------
def post_patterns(srcdir: Path):
    """``blog_post_pattern`` from the site's conf.py (``posts/*.md`` without one)."""
    conf = srcdir / "conf.py"
    if conf.is_file():
        return runpy.run_path(str(conf)).get("blog_post_pattern", "posts/*.md")
    return "posts/*.md"


def check_covers(srcdir: Path, essays: list[str]) -> list[Finding]:
    problems = []
    for rel in essays:
        essay = check_essay((srcdir / rel).read_text(encoding="utf-8-sig", errors="replace"), rel)
        cover = essay.values.get("cover")
        if not cover:
            continue
        line = essay.lines.get("cover", 1)
        if not ((srcdir / rel).parent / cover).is_file():
            problems.append(Finding(f"cover: {cover} does not exist (the path is relative to the essay)", rel, line))
        if not essay.values.get("cover_alt", "").strip():
            problems.append(Finding("cover_alt: missing; describe the cover picture for readers who cannot see it", rel, line))
    return problems


def front_matter_problems(srcdir: Path) -> tuple[list[Finding], list[Finding], list[str], int]:
    """(problems that stop the build, other problems, notices of slips the build corrects, essays)."""
    patterns = post_patterns(srcdir)
    essays = essay_paths(srcdir, patterns)
    found = check_site(srcdir, patterns)
    stopping = [Finding(f"{p.key}: {p.message}", p.path, p.line) for p in found if not p.corrected]
    notices = [f"{p} (corrected in the build)" for p in found if p.corrected]
    return stopping, check_covers(srcdir, essays), notices, len(essays)


# -- The build ----------------------------------------------------------------------
def build(srcdir: Path, builddir: Path, options: list[str]) -> list[Finding]:
    """Build the site as ``make html`` does; its warnings, as problems."""
    options = [o for o in options if o not in ("-W", "-q", "-Q")]
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *options, "-D", f"suppress_warnings={REPORTED_HERE}",
           "-d", str(builddir / "doctrees"), str(srcdir), str(builddir / "html")]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    found = build_warnings(result.stderr, srcdir)
    if result.returncode not in (0, 1) and not found:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        found.append(Finding(f"the build stopped: {last}"))
    return found


def build_warnings(log: str, srcdir: Path) -> list[Finding]:
    found: list[Finding] = []
    for text in log.splitlines():
        match = WARNING.match(text)
        if match is None:
            if found and text.strip() and not text.startswith(("build finished", "Sphinx")):
                found[-1].problem += " " + text.strip()  # a warning of several lines
            continue
        path, line = match["path"], match["line"]
        if path:
            try:
                path = Path(path).resolve().relative_to(srcdir.resolve()).as_posix()
            except ValueError:
                pass
        found.append(Finding(match["message"], path, int(line) if line else None))
    return found


# -- Report -------------------------------------------------------------------------
def merge(findings: list[Finding]) -> list[str]:
    """One line per slip, sorted by file and line: where to fix it, and the built files it shows in.

    A slip found in the built site where the build already warned, at the
    same line and naming the same file or anchor, is the build's warning.
    """
    messages = [f for f in findings if f.built is None]
    groups: dict[tuple, list[str]] = {}
    for finding in findings:
        said = finding
        if finding.built is not None and finding.line is not None:
            same = [m for m in messages if (m.source, m.line) == (finding.source, finding.line)
                    and any(name in m.problem for name in finding.names)]
            said = same[0] if same else finding
        built = groups.setdefault((said.source or said.built or "", said.line or 0, said.problem), [])
        if finding.built is not None and finding.built not in built:
            built.append(finding.built)
    lines = []
    for (where, line, problem), built in sorted(groups.items()):
        place = f"{where}:{line}" if line else where
        seen = [b for b in built if b != where]
        if seen:
            more = len(seen) - 1
            also = f" and {more} more built file{'s' if more > 1 else ''}" if more else ""
            problem += f" (in {seen[0]}{also})"
        lines.append(f"{place}: {problem}" if place else problem)
    return lines


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary(essays: int | None, checked: Checked | None, problems: int) -> str:
    said = [plural(essays, "essay")] if essays is not None else []
    if checked is not None:
        said += [plural(len(checked.links), "link"), plural(len(checked.pictures), "picture")]
        said[-1] += f" in {plural(checked.pages, 'page')} and {plural(checked.feeds, 'feed')}"
    outcome = plural(problems, "problem") if problems else "no problems"
    return f"checked {', '.join(said)}: {outcome}"


# -- Command ------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="essays-check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--srcdir", default=".", help="the site's sources (holds conf.py)")
    parser.add_argument("--builddir", default="_build", help="where the site is built (html/ and doctrees/ in it)")
    parser.add_argument("--sphinx-options", default="-n --keep-going", help="sphinx-build's options, as make html gives them")
    parser.add_argument("--front-matter", action="store_true", help="only check every essay's front matter and cover")
    parser.add_argument("--built", metavar="DIR", help="only check the pages and feeds already built into DIR")
    args = parser.parse_args(argv)
    srcdir = Path(args.srcdir)
    everything = not args.front_matter and not args.built
    findings: list[Finding] = []
    essays = checked = None
    if args.front_matter or everything:
        stopping, others, notices, essays = front_matter_problems(srcdir)
        for notice in notices:
            print(notice)
        if stopping:
            for line in merge(stopping + others):
                print(line, file=sys.stderr)
            print(f"{summary(essays, None, len(stopping) + len(others))}; the site was not built", file=sys.stderr)
            return STOPS_THE_BUILD
        findings += others
    outdir = Path(args.built) if args.built else Path(args.builddir) / "html"
    if everything:
        findings += build(srcdir, Path(args.builddir), shlex.split(args.sphinx_options))
    if args.built or everything:
        if not (outdir / "index.html").is_file():
            findings.append(Finding(f"{outdir.as_posix()}: no built site here; run make html first"))
        else:
            found, checked = built_site_findings(outdir, srcdir if (srcdir / "conf.py").is_file() else None)
            findings += found
    lines = merge(findings)
    for line in lines:
        print(line, file=sys.stderr)
    print(summary(essays, checked, len(lines)), file=sys.stderr if lines else sys.stdout)
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(main())
