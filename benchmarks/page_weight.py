"""What a first-time reader downloads for an essay, before and after the light pages.

    make bench-page

Builds the site twice from the same sources, in the same run: *before* with
the theme's own page head (``-D essays_light_pages=0``: Font Awesome's script
and the search index on every page) and *after* as the site is published.
Each build is served on 127.0.0.1 by a small server that compresses text with
gzip as a web server would, and the essay page is loaded in Debian's chromium
(Playwright) with an empty cache. Every request the page makes is counted,
with its size as sent, gzip-compressed and brotli-compressed.

Then Lighthouse 12.2.3 (npm, pinned in package.json) audits the essay page of
both builds twice: with its desktop preset, and with its default mobile
settings (a phone's screen, a slow 4G network and a slower processor). Lighthouse is a benchmark, not a test:
its scores vary a little from run to run and from machine to machine.

The figures are printed and written into docs/performance.md (its "Page
weight" section, between the page-weight markers).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "performance.md"
START, END = "<!-- page-weight:start -->", "<!-- page-weight:end -->"
ESSAY = "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"
SITE_SOURCES = ["conf.py", "index.md", "docs", "posts", "_static"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOAL_COMPRESSED = 150 * 1024
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt")


class CompressingHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as a web server does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix not in COMPRESSIBLE or "gzip" not in accepts:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class Weight:
    requests: list[tuple[str, int, int, int]] = field(default_factory=list)  # url, raw, gzip, brotli

    def total(self, column: int) -> int:
        return sum(r[column] for r in self.requests)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(src: Path, out: Path, base_url: str, light: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    # Canonical links and og:url point at the local server Lighthouse audits.
    env["READTHEDOCS_CANONICAL_URL"] = base_url
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out) + "-doctrees", str(src), str(out)]
    if not light:
        cmd[4:4] = ["-D", "essays_light_pages=0"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=src)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout}{result.stderr}")


def serve(directory: Path, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(CompressingHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(url: str) -> Weight:
    """Every request a first-time reader's browser makes for ``url``."""
    from playwright.sync_api import sync_playwright

    weight = Weight()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        for response in responses:
            try:
                body = response.body()  # decoded: the file as written
            except Exception:  # a redirect or an aborted request has none
                body = b""
            weight.requests.append(
                (response.url.split("/", 3)[-1], len(body), len(gzip.compress(body, 6, mtime=0)), len(brotli.compress(body)))
            )
        browser.close()
    return weight


PRESETS = {"desktop": ["--preset=desktop"], "mobile": []}  # Lighthouse's default settings are the mobile ones
GOALS = {
    "desktop": "accessibility and SEO 1.0, best practices at least 0.95, performance at least 0.95",
    "mobile": "accessibility and SEO 1.0, best practices at least 0.95, performance at least 0.9",
}


def lighthouse(url: str, workdir: Path, preset: str = "desktop") -> dict[str, float] | None:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (make test does it)", file=sys.stderr)
        return None
    report = workdir / f"lighthouse-{preset}.json"
    cmd = [str(LIGHTHOUSE), url, *PRESETS[preset], "--output=json", f"--output-path={report}", "--quiet",
           f"--only-categories={','.join(CATEGORIES)}",
           "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0 or not report.exists():
        print(f"Lighthouse failed:\n{result.stdout}{result.stderr}", file=sys.stderr)
        return None
    data = json.loads(report.read_text())
    scores = {c: data["categories"][c]["score"] for c in CATEGORIES}
    audits = data["audits"]
    scores["first-contentful-paint"] = audits["first-contentful-paint"]["numericValue"]
    scores["largest-contentful-paint"] = audits["largest-contentful-paint"]["numericValue"]
    scores["total-blocking-time"] = audits["total-blocking-time"]["numericValue"]
    scores["failed"] = sorted(
        f"{c}: {a}" for c in CATEGORIES for a in (r["id"] for r in data["categories"][c]["auditRefs"])
        if audits[a].get("score") is not None and audits[a]["score"] < 1 and audits[a]["scoreDisplayMode"] == "binary"
    )
    return scores


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def table(results: dict[str, Weight]) -> list[str]:
    before, after = results["before"], results["after"]
    lines = [f"{'':28} {'before':>12} {'after':>12} {'after/before':>13}"]
    for label, column in (("requests", None), ("bytes as written", 1), ("gzip (as served)", 2), ("brotli", 3)):
        b = len(before.requests) if column is None else before.total(column)
        a = len(after.requests) if column is None else after.total(column)
        fmt = str if column is None else kb
        lines.append(f"{label:28} {fmt(b):>12} {fmt(a):>12} {a / b:>12.2f}x")
    return lines


def largest(weight: Weight, n: int = 6) -> list[str]:
    rows = sorted(weight.requests, key=lambda r: -r[2])[:n]
    return [f"  {kb(raw):>10} {kb(gz):>10} gzip  {url.split('?')[0]}" for url, raw, gz, _ in rows]


def write_page(results, scores, info) -> None:
    after = results["after"]
    goal = "met" if after.total(2) <= GOAL_COMPRESSED and after.total(3) <= GOAL_COMPRESSED else "not met"
    section = [
        START,
        "## Page weight",
        "",
        "What a first-time reader downloads for an essay page (HTML, CSS, scripts, fonts,",
        "pictures), measured by `make bench-page` (benchmarks/page_weight.py): the essay is",
        "loaded in chromium with an empty cache and every request counted. *before* is the",
        "theme's own page head (`-D essays_light_pages=0`: Font Awesome's script and icon",
        "font, the search scripts and index on every page); *after* is the site as published.",
        "Sizes are as written, and compressed with gzip and brotli as a web server sends them.",
        "",
        f"Machine: {info['machine']}, Python {info['python']}. Goal: at most 150 KB compressed ({goal}).",
        "",
        "```text",
        *table(results),
        "",
        "largest requests, after:",
        *largest(after),
        "```",
        "",
    ]
    for preset in PRESETS:
        after_scores = (scores.get("after") or {}).get(preset)
        if not after_scores:
            continue
        section += [
            f"Lighthouse 12.2.3, {preset} preset, essay page served locally with gzip (goals: {GOALS[preset]}):",
            "",
            "```text",
            f"{'':28} {'before':>10} {'after':>10}",
        ]
        for key in CATEGORIES + ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time"]:
            b = (scores.get("before") or {}).get(preset) or {}
            fmt = (lambda v: f"{v:.2f}") if key in CATEGORIES else (lambda v: f"{v:,.0f} ms")
            bv = fmt(b[key]) if key in b else "-"
            section.append(f"{key:28} {bv:>10} {fmt(after_scores[key]):>10}")
        failed = after_scores["failed"]
        section += ["", "audits not passed, after: " + (", ".join(failed) if failed else "none"), "```", ""]
    section.append(END)
    text = PAGE.read_text() if PAGE.exists() else (
        "# Performance\n\nFigures from the project's benchmarks; each section says how they were measured.\n\n"
    )
    if START in text:
        head, rest = text.split(START, 1)
        text = head + "\n".join(section) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    PAGE.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="measure bytes and requests only")
    parser.add_argument("--no-write", action="store_true", help="print, do not update docs/performance.md")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")

    results: dict[str, Weight] = {}
    scores: dict[str, dict | None] = {}
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        tmp = Path(tmp)
        src = tmp / "src"
        src.mkdir()
        for name in SITE_SOURCES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(path, src / name)
            else:
                shutil.copy2(path, src / name)
        for label, light in (("before", False), ("after", True)):
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            out = tmp / label
            print(f"building {label} ...", flush=True)
            build(src, out, base, light)
            server = serve(out, port)
            try:
                results[label] = measure(base + ESSAY)
                if not args.no_lighthouse:
                    workdir = tmp / f"{label}-lighthouse"
                    workdir.mkdir()
                    scores[label] = {}
                    for preset in PRESETS:
                        print(f"Lighthouse ({preset}) on {label} ...", flush=True)
                        scores[label][preset] = lighthouse(base + ESSAY, workdir, preset)
            finally:
                server.shutdown()
                server.server_close()

    print()
    print("\n".join(table(results)))
    print("\nlargest requests, after:")
    print("\n".join(largest(results["after"])))
    for preset in PRESETS:
        after_scores = (scores.get("after") or {}).get(preset)
        if after_scores:
            print(f"\nLighthouse ({preset}):", {k: v for k, v in after_scores.items() if k in CATEGORIES})
            if after_scores["failed"]:
                print("audits not passed:", ", ".join(after_scores["failed"]))
    info = {"machine": f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}", "python": platform.python_version()}
    if not args.no_write:
        write_page(results, scores, info)
        print(f"\n{PAGE.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
