"""The e-book: `sphinx-build -b epub` (make epub, Read the Docs' EPUB download) on the
site with the linked essays (two series, a draft) and an essay with a
picture, a footnote, a citation and a link to a page outside the book.

The EPUB is opened as what it is, a zip: its chapters and their order, the
title page and table of contents, the cover, what is not in it; and
EPUBCheck reads it (Debian's epubcheck; .ci/run installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import lxml.etree as ET
import pytest
from PIL import Image

from helpers import JAVA, LINKED_OPTIONS, LOCAL_BASE_URL, ROOT, copy_linked_site, sphinx_build

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml"}

INTERLUDE = """---
date: 2026-02-01
tags: ai
category: essays
---

# An Interlude

Between two parts of a series, by date, sits this essay; the series stays
together in the book all the same. It cites {cite:t}`turing1950`.

```{image} images/her-cover.svg
:alt: A man in a red shirt listening to an earpiece.
:width: 200px
```

A remark with a note.[^note] The site says more on [the About page](../docs/about.md).

[^note]: The note, at the end of the chapter.
"""

# Oldest first; a series where its first part falls, its parts in order; no draft.
CHAPTERS = [
    "posts/gardens",
    "posts/film-noir",
    "posts/film-scifi",
    "posts/machines-tools",
    "posts/machines-minds",
    "posts/machines-futures",
    "posts/interlude",
    "posts/walking",
    "posts/letters",
]


def epubcheck_command() -> list[str]:
    """Debian's epubcheck is a jar that the shell runs through binfmt; java runs it anywhere."""
    found = shutil.which("epubcheck")
    jar = Path(found).resolve() if found else Path("/usr/share/java/epubcheck.jar")
    if jar.suffix == ".jar" and jar.is_file() and shutil.which("java"):
        return [*JAVA, "-jar", str(jar)]
    if found:
        return [found]
    pytest.fail("EPUBCheck is not installed: apt-get install epubcheck (.ci/run does)")


@pytest.fixture(scope="module")
def book(tmp_path_factory, build_server):
    root = tmp_path_factory.mktemp("ebook")
    src = copy_linked_site(root / "src", maintainers_pages=False)
    (src / "posts" / "images").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "posts" / "images" / "her-cover.svg", src / "posts" / "images" / "her-cover.svg")
    shutil.copy2(ROOT / "posts" / "references.bib", src / "posts" / "references.bib")
    (src / "posts" / "interlude.md").write_text(INTERLUDE)
    build = sphinx_build(src, root / "epub", builder="epub", options=LINKED_OPTIONS, server=build_server)
    assert build.ok, build.log
    path = root / "epub" / "Essays.epub"
    assert path.is_file(), sorted(p.name for p in (root / "epub").iterdir())
    return path


def opf(book):
    with zipfile.ZipFile(book) as z:
        return ET.fromstring(z.read("content.opf"))


def spine(book) -> list[str]:
    """The reading order, as paths of the book."""
    package = opf(book)
    items = {i.get("id"): i.get("href") for i in package.xpath("//opf:manifest/opf:item", namespaces=OPF)}
    return [items[ref.get("idref")] for ref in package.xpath("//opf:spine/opf:itemref[not(@linear='no')]", namespaces=OPF)]


def test_the_book_is_a_zip_led_by_its_mimetype(book):
    with zipfile.ZipFile(book) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and z.read("mimetype") == b"application/epub+zip"


def test_chapters_are_the_published_essays_oldest_first_series_together(book):
    assert spine(book) == ["epub-cover.xhtml", "index.xhtml", *(f"{name}.xhtml" for name in CHAPTERS)]


def test_nothing_but_the_chapters(book):
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
    pages = sorted(n for n in names if n.endswith(".xhtml"))
    assert pages == sorted(["epub-cover.xhtml", "index.xhtml", "nav.xhtml", *(f"{name}.xhtml" for name in CHAPTERS)])
    stray = [n for n in names if n.startswith(("blog/", "docs/")) or "draft" in n or n.endswith((".xml", ".json", ".js", ".txt"))]
    assert stray == ["META-INF/container.xml"]
    # No sidebar widget, no search field, no feed link in any chapter.
    with zipfile.ZipFile(book) as z:
        for name in pages:
            text = z.read(name).decode()
            assert "ablog-sidebar" not in text and "recentposts" not in text and 'type="search"' not in text, name
            assert "ablog__prev-next" not in text and "atom.xml" not in text, name
            assert "A draft that answers" not in text, name


def test_the_book_has_the_sites_name_author_and_cover(book):
    package = opf(book)
    assert package.xpath("string(//dc:title)", namespaces=OPF) == "Essays"
    # conf.py's author is still the placeholder (""): the site signs its book (essaysite.features.identity).
    assert package.xpath("string(//dc:creator)", namespaces=OPF) == "Essays"
    # The cover picture, as Sphinx names it (<meta name="cover"> to its manifest item).
    item = package.xpath("string(//opf:metadata/opf:meta[@name='cover']/@content)", namespaces=OPF)
    cover = package.xpath(f"//opf:manifest/opf:item[@id='{item}']/@href", namespaces=OPF)
    assert cover == ["_images/essays-cover.png"]
    with zipfile.ZipFile(book) as z:
        picture = Image.open(BytesIO(z.read(cover[0])))
        assert picture.format == "PNG" and picture.size == (1200, 1800)
        assert b"essays-cover.png" in z.read("epub-cover.xhtml")


def test_the_table_of_contents_lists_every_chapter_and_its_sections(book):
    with zipfile.ZipFile(book) as z:
        nav = ET.fromstring(z.read("nav.xhtml"))
    links = nav.xpath("//x:nav//x:a/@href", namespaces=XHTML)
    chapters = [link for link in links if "#" not in link and link != "index.xhtml"]
    assert chapters == [f"{name}.xhtml" for name in CHAPTERS]
    assert "posts/interlude.xhtml#sources" in links


def test_pictures_footnotes_and_citations_are_in_their_chapter(book):
    with zipfile.ZipFile(book) as z:
        names = set(z.namelist())
        chapter = ET.fromstring(z.read("posts/interlude.xhtml"))
    pictures = chapter.xpath("//x:img/@src", namespaces=XHTML)
    assert pictures and all(f"posts/{p}".replace("posts/../", "") in names for p in pictures)
    assert chapter.xpath("//x:aside[contains(@class,'footnote')]|//x:*[contains(@class,'footnote')]", namespaces=XHTML)
    text = " ".join("".join(chapter.itertext()).split())
    assert "It cites Turing (1950)." in text and "Computing machinery and intelligence" in text
    # A page outside the book is linked on the site.
    assert f"{LOCAL_BASE_URL}docs/about.html" in chapter.xpath("//x:a/@href", namespaces=XHTML)


def test_epubcheck_finds_nothing(book):
    result = subprocess.run([*epubcheck_command(), str(book)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    counts = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", report)
    assert counts and counts.groups() == ("0", "0", "0"), report
