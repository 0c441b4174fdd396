"""Every page the build writes passes the Nu HTML checker with zero errors."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import JAVA, ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(paths):
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `make test`, which installs it with npm ci")
    if shutil.which("java") is None:
        pytest.fail("java is missing: the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless)")
    result = subprocess.run(
        [*JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    return [m for m in json.loads(result.stderr or '{"messages": []}')["messages"] if m["type"] == "error"]


BAD = '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><ul><div>x</div></ul></body></html>'


@pytest.fixture(scope="module")
def checked(site, linked_site, tmp_path_factory):
    """One run of the checker (a Java virtual machine starts in seconds) over a page known to be invalid,
    the project's site and the linked-essays site: its errors by page."""
    bad = tmp_path_factory.mktemp("invalid") / "bad.html"
    bad.write_text(BAD)
    pages = [bad, *html_pages(site.outdir), *html_pages(linked_site.outdir)]
    errors = {path: [] for path in pages}
    for message in vnu(pages):
        errors[Path(unquote(urlsplit(message["url"]).path))].append(message)
    return errors


def report(errors, pages):
    return "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for page in pages for m in errors[page])


def test_checker_finds_errors(checked):
    (bad,) = [page for page in checked if page.name == "bad.html"]
    assert checked[bad]


def test_every_page_is_valid_html(checked, site):
    pages = html_pages(site.outdir)
    names = {p.relative_to(site.outdir).as_posix() for p in pages}
    # ABlog's lists are among the pages checked, not left out.
    assert {"index.html", "blog.html", "blog/archive.html", "blog/tag.html", "blog/tag/ai.html", "blog/2026.html"} <= names
    assert not report(checked, pages), report(checked, pages)


def test_linked_essays_pages_are_valid_html(checked, linked_site):
    """Backlinks, related essays, series boxes and pages, and paginated lists, in the linked-essays fixture."""
    pages = html_pages(linked_site.outdir)
    names = {p.relative_to(linked_site.outdir).as_posix() for p in pages}
    assert {"posts/machines-tools.html", "blog/series/machines-and-us.html", "blog/page/2.html", "blog/tag/ai/page/2.html"} <= names
    assert not report(checked, pages), report(checked, pages)
