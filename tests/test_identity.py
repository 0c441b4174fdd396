"""The site's identity from one place (essaysite.features.identity).

conf.py's first section holds the site's name, its owner, a line about it and
its address; a build with other values (``-D project=... -D author=...``)
shows them on every page, feed and card. The placeholder owner shows no name
locally, and stops a Read the Docs build with one line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import lxml.etree
import pytest

from helpers import ROOT, clean_env, copy_site, html_pages, parse, sphinx_build

NAME, OWNER = "Harbour Notes", "Ada Lovelace"


@pytest.fixture(scope="module")
def renamed(tmp_path_factory, build_server):
    """The project's site built with another name and owner, given on the command line only."""
    root = tmp_path_factory.mktemp("renamed")
    build = sphinx_build(
        copy_site(root / "src", maintainers_pages=False), root / "html",
        options=("-n", "-W", "--keep-going", "-D", f"project={NAME}", "-D", f"author={OWNER}"),
        server=build_server,
    )
    assert build.ok, build.log
    return build


def page_title(path) -> str:
    return " ".join(parse(path).findtext(".//title").split())


def test_every_page_is_titled_with_the_site_name(renamed):
    pages = html_pages(renamed.outdir)
    assert len(pages) > 10
    for page in pages:
        title = page_title(page)
        # Sphinx's own search page says "Search - <name>".
        assert title == NAME or title.endswith((f"\u2014 {NAME}", f"Search - {NAME}")), (page, title)
        text = page.read_text(encoding="utf-8")
        assert "Essays \u2014 Essays" not in text and "The Author" not in text, page
    assert page_title(renamed.outdir / "index.html") == NAME
    home = parse(renamed.outdir / "index.html")
    assert home.findtext(".//article//h1").strip() == NAME
    assert "Long-form essays on technology" in home.xpath("//article//p[contains(@class,'essays-lead')]")[0].text_content()
    assert f"{NAME}" in parse(renamed.outdir / "404.html").findtext(".//title")


def test_copyright_and_byline_carry_the_owner(renamed):
    essay = renamed.outdir / "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"
    root = parse(essay)
    footer = " ".join(root.xpath("//footer")[0].text_content().split()) if root.xpath("//footer") else ""
    assert re.search(rf"Copyright \d{{4}}, {OWNER}", footer), footer
    byline = root.xpath("//article//*[contains(@class,'essay-byline')]")[0].text_content()
    assert OWNER in byline


def test_every_feed_is_titled_and_signed(renamed):
    atoms = sorted(renamed.outdir.rglob("atom.xml"))
    assert len(atoms) >= 6
    for atom in atoms:
        text = atom.read_text(encoding="utf-8")
        assert re.search(rf"<title>{NAME}( - [^<]+)?</title>", text), atom
        assert text.count(f"<name>{OWNER}</name>") == text.count("<entry>") > 0, atom
    feed = json.loads((renamed.outdir / "blog/feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == NAME and feed["authors"] == [{"name": OWNER}]
    assert all(item["authors"] == [{"name": OWNER}] for item in feed["items"])


def test_the_card_shows_the_site_name(renamed, site):
    def card(build):
        root = parse(build.outdir / "index.html")
        return root.xpath("//meta[@property='og:image']/@content")[0], root.xpath("//meta[@property='og:site_name']/@content")[0]

    image, name = card(renamed)
    assert name == NAME
    assert image != card(site)[0]  # drawn again with the other name: a new file


def test_the_placeholder_shows_no_name_and_says_so_once(site):
    assert site.log.count("author is not set yet") == 1, site.log
    assert "WARNING" not in site.log
    for page in html_pages(site.outdir):
        text = page.read_text(encoding="utf-8")
        assert "The Author" not in text and "Author name not set" not in text, page
        assert "Essays \u2014 Essays" not in text, page
    footer = " ".join(parse(site.outdir / "index.html").xpath("//footer")[0].text_content().split())
    assert re.search(r"Copyright \d{4}\.", footer), footer
    # The feeds are signed by the site meanwhile: Atom requires an author for every entry (RFC 4287, 4.1.1).
    feed = json.loads((site.outdir / "blog/feed.json").read_text(encoding="utf-8"))
    assert feed["authors"] == [{"name": "Essays"}] and all(item["authors"] == [{"name": "Essays"}] for item in feed["items"])
    atom = lxml.etree.parse(str(site.outdir / "blog/atom.xml"))
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries and all(e.findtext("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name") == "Essays" for e in entries)


def test_read_the_docs_stops_on_the_placeholder(tmp_path):
    src = copy_site(tmp_path / "src")
    env = clean_env(READTHEDOCS="True", READTHEDOCS_CANONICAL_URL="https://essays.example.org/en/latest/")
    cmd = [sys.executable, "-m", "sphinx", "-T", "-W", "--keep-going", "-b", "html", ".", str(tmp_path / "html")]
    result = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("conf.py: author is not set") and 'author = "Your Name"' in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "html" / "index.html").exists()


def test_an_owners_pages_are_valid_html(renamed):
    """The byline with the owner's name, the copyright line with it: zero errors from the Nu HTML checker."""
    from test_html_valid import vnu

    pages = [renamed.outdir / "index.html", renamed.outdir / "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"]
    assert OWNER in pages[1].read_text(encoding="utf-8")
    errors = vnu(pages)
    assert not errors, "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors)
