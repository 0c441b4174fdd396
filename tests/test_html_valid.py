"""Every page the build writes passes the Nu HTML checker with zero errors."""

import json
import shutil
import subprocess

import pytest

from helpers import ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(paths):
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `make test`, which installs it with npm ci")
    if shutil.which("java") is None:
        pytest.fail("java is missing: the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    return [m for m in json.loads(result.stderr or '{"messages": []}')["messages"] if m["type"] == "error"]


def test_checker_finds_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><ul><div>x</div></ul></body></html>')
    assert vnu([bad])


def test_every_page_is_valid_html(site):
    pages = html_pages(site.outdir)
    names = {p.relative_to(site.outdir).as_posix() for p in pages}
    # ABlog's lists are among the pages checked, not left out.
    assert {"index.html", "blog.html", "blog/archive.html", "blog/tag.html", "blog/tag/ai.html", "blog/2026.html"} <= names
    errors = vnu(pages)
    report = "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors)
    assert not errors, report


def test_linked_essays_pages_are_valid_html(linked_site):
    """Backlinks, related essays, series boxes and pages, and paginated lists, in the linked-essays fixture."""
    pages = html_pages(linked_site.outdir)
    names = {p.relative_to(linked_site.outdir).as_posix() for p in pages}
    assert {"posts/machines-tools.html", "blog/series/machines-and-us.html", "blog/page/2.html", "blog/tag/ai/page/2.html"} <= names
    errors = vnu(pages)
    report = "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors)
    assert not errors, report
