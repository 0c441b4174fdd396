"""Raw HTML in essays (kept from Jekyll posts written in HTML): pictures published, links checked."""

import re

import pytest

from helpers import build_in_process, copy_root, parse

pytestmark = pytest.mark.sphinx("html", testroot="raw")


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_a_picture_in_raw_html_is_published(built):
    page = built.outdir / "posts" / "tram-lines.html"
    (img,) = parse(page).xpath("//article//img[@alt='A yellow tram on a green street']")
    target = (page.parent / img.get("src")).resolve()
    assert target.is_file() and target.read_text().startswith("<svg")
    assert target.is_relative_to(built.outdir.resolve() / "_images")


def test_a_link_in_raw_html_leads_to_its_page(built):
    page = built.outdir / "posts" / "tram-lines.html"
    (a,) = parse(page).xpath("//article//a[text()='the painted signs']")
    assert (page.parent / a.get("href")).resolve() == (built.outdir / "posts" / "painted-signs.html").resolve()


def test_a_dangling_link_in_raw_html_fails_the_build(tmp_path):
    src = copy_root("raw", tmp_path / "src")
    (src / "posts" / "html-links.md").write_text(
        "---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n---\n\n# HTML Links\n\nFirst paragraph.\n\n"
        '<p>A <a href="painted-signs.html">good link</a>.</p>\n\n'
        '<p>A <a href="no-such-essay.html">dangling link</a>.</p>\n'
    )
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 1, build.warnings
    assert re.search(r"posts/html-links\.md:\d+: WARNING: link 'no-such-essay\.html' in raw HTML leads to no page", build.warning_lines[0])
    assert "Traceback" not in build.warnings


def test_a_missing_picture_in_raw_html_is_one_message(tmp_path):
    src = copy_root("raw", tmp_path / "src")
    (src / "posts" / "html-picture.md").write_text(
        "---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n---\n\n# HTML Picture\n\nFirst paragraph.\n\n"
        '<p><img src="images/no-such-picture.png" alt="Nothing"></p>\n'
    )
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 1, build.warnings
    assert "posts/html-picture.md" in build.warning_lines[0] and "no-such-picture.png" in build.warning_lines[0]
    assert "Traceback" not in build.warnings
