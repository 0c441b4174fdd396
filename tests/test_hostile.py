"""Nothing gets in or out: the hostile corpus (tests/roots/test-hostile, tests/data/jekyll-hostile).

A folder outside the project holds files with a marker (``HOSTILE-OUTSIDE``);
covers, pictures, includes and posts lead to it by ``..``, by an absolute
path and through symlinks. Metadata in every field is markup; old addresses
climb out of the site plainly and percent-encoded.

- The essays of ``posts/`` build: the pictures and addresses that lead out
  are refused with a message at their file and line, and every file the
  build wrote (pages, feeds, JSON, JavaScript, pictures) is scanned: no
  marker of the outside, no live element or script made of metadata, no
  ``javascript:`` link, nothing written outside the output folder.
- Each essay of ``refused/`` ends with the lines the build must print for it
  (``<!-- expect LINE: key: message -->``); the build stops before reading
  anything, with exactly those lines, and ``make check`` says the same.
- The Jekyll site: its includes, posts and permalinks that lead out are
  refused in the importer's report, and nothing of the outside is copied.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from PIL import Image, PngImagePlugin

from conftest import forget_earlier_essays
from helpers import ROOT, build_in_process, collector_as_found, copy_root

OUTSIDE_MARKER = "HOSTILE-OUTSIDE"
EXPECT = re.compile(r"<!-- expect (\d+): (.*?) -->")
JEKYLL_SITE = ROOT / "tests" / "data" / "jekyll-hostile"


def make_outside(folder: Path) -> Path:
    """Files outside the project, each carrying the marker: a real PNG (in a text chunk) and text."""
    folder.mkdir(parents=True, exist_ok=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", OUTSIDE_MARKER)
    Image.new("RGB", (3, 3), (1, 2, 3)).save(folder / "secret.png", pnginfo=info)
    (folder / "secret.txt").write_text(f"{OUTSIDE_MARKER} text from outside the site\n")
    (folder / "secret.md").write_text(f"---\ntitle: Leaked\n---\n\n{OUTSIDE_MARKER} post from outside the site\n")
    return folder


def hostile_source(dest: Path) -> tuple[Path, Path]:
    """A copy of the root in ``dest/src`` with its symlink out, and the outside folder ``dest/outside``."""
    outside = make_outside(dest / "outside")
    src = copy_root("hostile", dest / "src")
    (src / "posts" / "images" / "linked-secret.png").symlink_to(outside / "secret.png")
    return src, outside


# -- The essays that build ----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    dest = tmp_path_factory.mktemp("hostile")
    src, outside = hostile_source(dest)
    forget_earlier_essays()
    with collector_as_found():
        build = build_in_process(src, dest / "_build")
    return build, dest


WARNINGS = [
    # Pictures in an essay's body: by "..", through a symlink, not a picture, SVG with a script, in raw HTML.
    ("posts/pictures-refused.md:8", "picture: ../../outside/secret.png leads outside the project;"),
    ("posts/pictures-refused.md:10", "picture: images/linked-secret.png leads outside the project through a symlink;"),
    ("posts/pictures-refused.md:12", "picture: images/not-a-picture.png is not a picture: its bytes are no PNG"),
    ("posts/pictures-refused.md:14", "picture: images/scripted.svg carries a <script> element"),
    ("posts/pictures-refused.md:16", "picture: images/handler.svg carries an event handler (onload=...)"),
    ("posts/pictures-refused.md:18", "picture: ../../outside/secret.png leads outside the project;"),
    # redirects.json: old addresses that climb out, plainly and percent-encoded.
    ("redirects.json:3", "/../../escaped-by-dots.html: '/../../escaped-by-dots.html' climbs out of the site with '..'"),
    ("redirects.json:4", "/%2e%2e/%2e%2e/escaped-by-percent.html: '/%2e%2e/%2e%2e/escaped-by-percent.html' climbs out"),
    ("redirects.json:5", "/old/%2E%2E/%2e%2E/%2e%2e/escaped-mixed-case.html: "),
    ("redirects.json:6", "/old/..%2f..%2f..%2fescaped-slash.html: "),
]


def test_what_leads_out_is_refused_at_its_file_and_line(hostile):
    build, _ = hostile
    lines = build.warning_lines
    for where, message in WARNINGS:
        assert any(f"{where}: WARNING: {message}" in line for line in lines), (where, message, lines)
    assert len(lines) == len(WARNINGS), "\n".join(lines)


def test_nothing_is_written_outside_the_output_folder(hostile):
    build, dest = hostile
    escaped = [p for p in dest.rglob("escaped*") if p.is_file()]
    assert escaped == []
    assert sorted(p.name for p in (dest / "outside").iterdir()) == ["secret.md", "secret.png", "secret.txt"]
    assert (build.outdir / "2019" / "01" / "kept.html").is_file()  # the good entry is written
    assert set(json.loads((build.outdir / "redirects.json").read_text())) == {"/2019/01/kept.html", "/2018/old-markup.html"}


def live_markup(root, where: str) -> list[str]:
    """What metadata made live in one HTML tree: elements, scripts, handlers, javascript: links."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2].lower()
        if tag.startswith("x-hostile"):
            found.append(f"{where}: element <{tag}>")
        if tag == "script" and "hostile(" in (element.text or "").lower():
            found.append(f"{where}: script {element.text!r}")
        for name, value in element.attrib.items():
            name = name.rpartition("}")[2].lower()
            if name.startswith("on") and "hostile" in value.lower():
                found.append(f"{where}: {tag} {name}={value!r}")
            if name in ("href", "src", "action", "formaction") and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                found.append(f"{where}: {tag} {name}={value!r}")
    return found


def html_fragments_of_feed(path: Path) -> list[str]:
    """The HTML a feed reader renders: Atom's type="html" content and summaries, RSS items' description
    and content:encoded, JSON Feed's content_html (everything else in a feed is text)."""
    if path.suffix == ".json":
        return [item.get("content_html", "") for item in json.loads(path.read_text()).get("items", [])]
    tree = lxml.etree.parse(str(path))
    atom = [e.text or "" for e in tree.iter("{*}content", "{*}summary") if e.get("type") == "html"]
    rss = [e.text or "" for e in tree.iter("description", "{*}encoded") if e.getparent().tag == "item"]
    return atom + rss


def test_every_output_file_is_free_of_what_must_never_appear(hostile):
    build, _ = hostile
    files = [p for p in build.outdir.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".html", ".xml", ".json", ".js", ".png", ".svg"} <= kinds, kinds
    found = []
    for path in files:
        rel = path.relative_to(build.outdir).as_posix()
        data = path.read_bytes()
        if OUTSIDE_MARKER.encode() in data:
            found.append(f"{rel}: a file from outside the project")
        if path.suffix == ".html":
            found += live_markup(lxml.html.document_fromstring(data), rel)
        elif path.suffix in (".xml", ".json") and "blog" in rel:
            for fragment in html_fragments_of_feed(path):
                if fragment.strip():
                    found += live_markup(lxml.html.fragment_fromstring(fragment, create_parent="div"), rel)
        elif path.suffix == ".svg":
            found += live_markup(lxml.etree.fromstring(data), rel)
            assert b"<script" not in data and b"onload" not in data, rel
        elif rel == "searchindex.js":
            text = data.decode()
            assert text.startswith("Search.setIndex(") and json.loads(text[len("Search.setIndex(") : -1])
    assert found == [], "\n".join(found)


def test_metadata_shows_as_its_text(hostile):
    """Escaped, not dropped: a list shows the words of a title that names elements, and of each field."""
    build, _ = hostile
    page = lxml.html.parse(str(build.outdir / "blog.html")).getroot()
    titles = [" ".join(a.text_content().split()) for a in page.xpath("//h2[contains(@class,'ablog-post-title')]/a")]
    assert "Why <div> soup & <table> layouts fail with <br>" in titles
    assert "Title key <script>hostile('title')</script><x-hostile-title></x-hostile-title> & more" in titles
    # A title's inline markup is markup in its own heading only.
    assert page.xpath("//h2[contains(@class,'ablog-post-title')]//em") == []
    own = lxml.html.parse(str(build.outdir / "posts" / "harmless-html-words.html")).getroot()
    assert own.xpath("//article//h1//em") and own.xpath("//article//h1//code")
    text = page.text_content()
    for shown in ["<x-hostile-tag></x-hostile-tag>", "<x-hostile-category>Cat</x-hostile-category>", "<img src=x onerror=hostile('author')>",
                  "<x-hostile-location></x-hostile-location>", "<x-hostile-language></x-hostile-language>"]:
        assert shown in text, shown
    head = lxml.html.parse(str(build.outdir / "blog" / "tag" / "scripthostiletagscript.html")).getroot()
    assert head.findtext(".//title").startswith("Essays tagged <script>hostile('tag')</script>")
    assert head.xpath("//meta[@property='og:title']/@content") == ["Essays tagged <script>hostile('tag')</script>"]
    redirect = (build.outdir / "2018" / "old-markup.html").read_text()
    assert "<title>Heading &lt;script&gt;hostile(&#x27;heading&#x27;)&lt;/script&gt; &lt;x-hostile-heading&gt;</title>" in redirect
    feed = json.loads((build.outdir / "blog" / "feed.json").read_text())
    assert "Title key <script>hostile('title')</script><x-hostile-title></x-hostile-title> & more" in [i["title"] for i in feed["items"]]
    assert b"<script" not in (build.outdir / "blog" / "feed.json").read_bytes()


# -- The essays the build refuses ------------------------------------------------------

CASE_CLASH = "---\ndate: 2024-01-01\n---\n\n# Clash\n\nText.\n"


def refused_cases(src: Path, outside: Path) -> dict[str, list[str]]:
    """Every refused essay copied into posts/, and the lines each must produce ("posts/x.md:LINE: ...")."""
    expected = {}
    for case in sorted((src / "refused").glob("*.md")):
        shutil.copy2(case, src / "posts" / case.name)
        text = case.read_bytes().decode("utf-8", errors="replace")
        expected[case.name] = [f"posts/{case.name}:{line}: {message}" for line, message in EXPECT.findall(text)]
        assert expected[case.name], f"{case.name} says no message it must produce"
    # Written here: an absolute path of this machine to a real picture, and names that differ only in case.
    (src / "posts" / "cover-absolute-outside.md").write_text(
        f"---\ndate: 2024-01-01\ncover: {outside / 'secret.png'}\ncover_alt: x\n---\n\n# A title\n\nText.\n"
    )
    expected["cover-absolute-outside.md"] = [f"posts/cover-absolute-outside.md:3: cover: {outside / 'secret.png'} is an absolute path"]
    (src / "posts" / "clash.md").write_text(CASE_CLASH)
    (src / "posts" / "Clash.md").write_text(CASE_CLASH)
    expected["Clash.md"] = ["posts/clash.md:1: file: its name differs only in case from posts/Clash.md; on macOS and Windows they are one file"]
    return expected


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    dest = tmp_path_factory.mktemp("refused")
    src, outside = hostile_source(dest)
    expected = refused_cases(src, outside)
    stderr = io.StringIO()
    forget_earlier_essays()
    with collector_as_found(), contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stopped:
        build_in_process(src, dest / "_build")
    return src, dest, expected, stopped.value.code, stderr.getvalue().splitlines()


def test_the_build_stops_with_exactly_the_expected_lines(refused):
    src, dest, expected, code, lines = refused
    assert code == 1
    assert lines[-1].startswith("Front matter: ") and "the build stopped before reading any essay" in lines[-1]
    problems = lines[:-1]
    assert not any("Traceback" in line for line in lines)
    for name, wanted in expected.items():
        for line in wanted:
            assert any(problem.startswith(line) for problem in problems), (line, [p for p in problems if name.lower() in p.lower()])
    # Nothing but what the cases expect: one line for each.
    assert len(problems) == sum(len(w) for w in expected.values()), "\n".join(problems)
    assert not (dest / "_build" / "html" / "posts").exists()


def test_make_check_says_the_same_lines(refused):
    from essaysite.cli.check import STOPS_THE_BUILD, main

    src, _, expected, _, _ = refused
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["--srcdir", str(src), "--front-matter"])
    assert status == STOPS_THE_BUILD
    lines = stderr.getvalue().splitlines()
    for wanted in expected.values():
        for line in wanted:
            assert any(said.startswith(line) for said in lines), (line, lines)


# -- The Jekyll site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    dest = tmp_path_factory.mktemp("jekyll-hostile")
    outside = make_outside(dest / "outside")
    site = dest / "site"
    shutil.copytree(JEKYLL_SITE, site)
    (site / "_posts" / "2020-01-05-linked-out.md").symlink_to(outside / "secret.md")
    (site / "_includes" / "linked-out.html").symlink_to(outside / "secret.txt")
    project = dest / "essays"
    (project / "posts").mkdir(parents=True)
    (project / "conf.py").write_text("# the essay site\n")
    # The include given by an absolute path names the outside folder of this run.
    post = site / "_posts" / "2020-01-01-includes.md"
    post.write_text(post.read_text().replace("OUTSIDE", str(outside)))
    result = subprocess.run(
        [sys.executable, "-m", "essaysite.jekyll.cli", "--dest", str(project), "--", str(site)], capture_output=True, text=True
    )
    return result, project, dest


JEKYLL_REFUSED = [
    "_posts/2020-01-05-linked-out.md: leads outside the Jekyll site (through a symlink)",
    "_posts/2020-01-02-permalink-dots.md: old address '/%2e%2e/%2e%2e/escaped-permalink.html' climbs out of the site with '..'",
    "_posts/2020-01-03-permalink-mixed.md: old address '/a/%2E%2E/%2e%2e/%2E%2e/escaped-mixed.html' climbs out of the site with '..'",
]
JEKYLL_INCLUDES = [
    "{% include ../../outside/secret.txt %} (refused: ../../outside/secret.txt leads outside the Jekyll site;",
    "{% include ../../../outside/secret.txt %} (refused: ../../../outside/secret.txt leads outside the Jekyll site;",
    "is an absolute path;",
    "{% include linked-out.html %} (refused: linked-out.html leads outside the Jekyll site through a symlink;",
]


def test_the_importer_refuses_what_leads_out(jekyll):
    result, project, dest = jekyll
    report = result.stdout + result.stderr
    assert "Traceback" not in report
    assert result.returncode == 1, report
    for line in JEKYLL_REFUSED + JEKYLL_INCLUDES:
        assert line in report, (line, report)
    assert [p for p in dest.rglob("escaped*")] == []


def test_nothing_of_the_outside_is_imported(jekyll):
    _, project, _ = jekyll
    written = [p for p in project.rglob("*") if p.is_file()]
    assert any(p.name.endswith("includes.md") for p in written)
    for path in written:
        assert OUTSIDE_MARKER.encode() not in path.read_bytes(), path
    redirects = json.loads((project / "redirects.json").read_text())
    assert all(".." not in key and "%2e" not in key.lower() for key in redirects), redirects


def test_make_check_reports_what_the_build_refuses_at_file_and_line(tmp_path):
    """essays-check (make check) builds the corpus and says each refused picture and address where to fix it."""
    src, _ = hostile_source(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "essaysite.cli.check", "--srcdir", str(src), "--builddir", str(tmp_path / "_build"), "--sphinx-options", "-n --keep-going"],
        capture_output=True, text=True, cwd=src,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stderr.splitlines()
    for where, message in WARNINGS:
        assert any(line.startswith(f"{where}: {message}") for line in said), (where, message, said)
    assert "Traceback" not in result.stderr
