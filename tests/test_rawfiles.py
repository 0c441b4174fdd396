"""Files that raw HTML links to or embeds (videos, audio, PDFs, srcset) are published with the essay.

Each test writes an essay into a copy of tests/roots/test-raw and builds it
in this process with -n-like strictness: the built site is read for the
copied files and the addresses that point at them, the warnings for the
message about a file that is missing or outside the project.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


from helpers import build_in_process, copy_root, parse

FRONT = "---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n---\n\n# {title}\n\n"
MEDIA = {
    "posts/media/clip.mp4": b"\x00\x00\x00\x18ftypmp42 not a real video",
    "posts/media/clip.vtt": b"WEBVTT\n",
    "posts/media/poster.png": b"\x89PNG\r\n\x1a\n a poster",
    "posts/media/bell.mp3": b"ID3 a bell",
    "posts/files/tide table.pdf": b"%PDF-1.4 a tide table",
    "posts/files/chart.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    "posts/files/wide.png": b"\x89PNG\r\n\x1a\n wide",
    "posts/files/narrow.png": b"\x89PNG\r\n\x1a\n narrow",
}
HTML = """<p>The <a href="files/tide%20table.pdf#page=2">tide table</a> and the <a href='media/clip.vtt'>captions</a>.</p>

<video controls poster="media/poster.png">
  <source src="media/clip.mp4" type="video/mp4">
  <track src=media/clip.vtt kind="captions" srclang="en">
</video>

<audio controls src="media/bell.mp3"></audio>

<picture>
  <source srcset="files/wide.png 2x, files/narrow.png 1x">
  <img src="images/tram.svg" alt="A tram" srcset="files/narrow.png, files/wide.png 800w">
</picture>

<object data="files/tide table.pdf" type="application/pdf"></object>

<p><embed src="files/chart.svg" type="image/svg+xml"> and <a href="painted-signs.html">a page</a>.</p>
"""


def site(tmp_path: Path, essays: dict[str, str], files: dict[str, bytes] = MEDIA) -> Path:
    src = copy_root("raw", tmp_path / "src")
    for name, data in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    for name, body in essays.items():
        (src / "posts" / f"{name}.md").write_text(FRONT.format(title=name.replace("-", " ").title()) + body)
    return src


def addresses(page: Path) -> list[str]:
    root = parse(page)
    found = []
    for element in root.xpath("//article//*[@href or @src or @srcset or @poster or @data]"):
        for name in ("href", "src", "poster", "data"):
            if element.get(name) and "headerlink" not in (element.get("class") or ""):
                found.append(element.get(name))
        if element.get("srcset"):
            found.extend(part.split()[0] for part in element.get("srcset").split(","))
    return found


def test_files_named_in_raw_html_are_published_and_pointed_at(tmp_path):
    src = site(tmp_path, {"harbour-media": HTML})
    build = build_in_process(src, tmp_path / "build")
    assert build.warning_lines == [], build.warnings
    page = build.outdir / "posts" / "harbour-media.html"
    local = [a for a in addresses(page) if not a.startswith(("http", "#", "mailto"))]
    for name in MEDIA:
        target = build.outdir / name
        assert target.read_bytes() == (src / name).read_bytes(), name  # published, byte for byte
    resolved = {(page.parent / a.split("#")[0].replace("%20", " ")).resolve() for a in local}
    for name in MEDIA:
        assert (build.outdir / name).resolve() in resolved, (name, local)
    for address in local:
        assert (page.parent / address.split("#")[0].replace("%20", " ")).resolve().is_file(), address
    assert "files/tide%20table.pdf#page=2" in local  # as written: the page sits next to its files


def test_an_excerpt_on_another_page_points_at_the_published_files(tmp_path):
    # ABlog shows the first paragraph on the lists of essays (here blog.html)
    src = site(tmp_path, {"harbour-media": 'The first paragraph, with <a href="files/tide%20table.pdf">the tide table</a>.\n'})
    build = build_in_process(src, tmp_path / "build")
    assert build.warning_lines == [], build.warnings
    for listing, expected in [("blog.html", "posts/files/tide%20table.pdf"), ("blog/2026.html", "../posts/files/tide%20table.pdf")]:
        hrefs = [a.get("href") for a in parse(build.outdir / listing).xpath("//a[text()='the tide table']")]
        assert hrefs == [expected], listing
    assert (build.outdir / "posts" / "files" / "tide table.pdf").is_file()


def test_a_missing_file_is_one_message_with_file_and_line(tmp_path):
    body = '<p>First paragraph.</p>\n\n<video controls>\n  <source src="media/clip.mp4">\n  <source src="media/gone.webm">\n</video>\n\n<p>A <a href="files/gone.pdf">lost PDF</a>.</p>\n'
    src = site(tmp_path, {"lost-media": body})
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 2, build.warnings
    assert re.search(r"posts/lost-media\.md:13: WARNING: file 'media/gone\.webm' \(src of <source> in raw HTML\) not found", build.warning_lines[0]), build.warning_lines
    assert re.search(r"posts/lost-media\.md:16: WARNING: file 'files/gone\.pdf' \(href of <a> in raw HTML\) not found", build.warning_lines[1]), build.warning_lines
    assert "Traceback" not in build.warnings
    assert (build.outdir / "posts" / "media" / "clip.mp4").is_file()


def test_a_file_outside_the_project_is_refused(tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 not for the site")
    src = site(tmp_path, {"outside": '<p>First paragraph.</p>\n\n<p><a href="../../secret.pdf">up and out</a> and <a href="files/linked.pdf">a link out</a>.</p>\n'}, {})
    (src / "posts" / "files").mkdir()
    os.symlink(secret, src / "posts" / "files" / "linked.pdf")
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 2, build.warnings
    # The words of essaysite.confinement, as for every picture refused (features.pictures).
    reasons = ["leads outside the project; only files inside the project are used", "leads outside the project through a symlink; only files inside the project are used"]
    for line, address, reason in zip(build.warning_lines, ["../../secret.pdf", "files/linked.pdf"], reasons):
        assert f"posts/outside.md:11: WARNING: file '{address}'" in line and f"{reason}: copy it into the project" in line, line
    assert not list(build.outdir.rglob("*.pdf"))


def test_a_picture_outside_the_project_is_refused(tmp_path):
    """rawimages reads pictures by the same rule: inside the project once links are followed."""
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>private</text></svg>')
    src = site(tmp_path, {"outside-picture": '<p>First paragraph.</p>\n\n<p><img src="images/linked.svg" alt="out"> <img src="../../secret.svg" alt="up"></p>\n'}, {})
    os.symlink(secret, src / "posts" / "images" / "linked.svg")
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 2, build.warnings
    for line in build.warning_lines:
        assert "posts/outside-picture.md" in line and "outside the project" in line, line
    assert not [p for p in build.outdir.rglob("*.svg") if "private" in p.read_text()]
