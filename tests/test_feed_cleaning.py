"""Feed content without what means nothing outside the site (essaysite.features.rendering.for_feed_readers).

An essay with a footnote (a sidenote on its page: a label and a checkbox the
theme's stylesheet turns into a toggle), a Python code block (Pygments'
token spans) and two cross-references (another essay; a section of its
own) in tests/roots/test-feed-cleaning. Its page keeps all of that; its feed
entry, in each format, keeps the text, the code and working links, and drops
the toggles, the token spans, the classes and the ids no link points at.
"""

from __future__ import annotations

import json

import feedparser
import lxml.etree as ET
import lxml.html
import pytest

from helpers import local_file, parse
from test_feeds import atom_grammar, check_json_feeds

pytestmark = pytest.mark.sphinx("html", testroot="feed-cleaning")

PAGE = "http://127.0.0.1:8000/posts/locks.html"
CODE = """def rises(levels):
    return [b - a for a, b in zip(levels, levels[1:])]
"""
FOOTNOTE = "The gates open only when the water on both sides is level."


def contents(built) -> dict[str, lxml.html.HtmlElement]:
    """The essay's entry content in each format, parsed."""
    atom = feedparser.parse(str(built.outdir / "blog/atom.xml"))
    rss = feedparser.parse(str(built.outdir / "blog/rss.xml"))
    doc = json.loads((built.outdir / "blog/feed.json").read_text())
    html = {
        "atom": next(e for e in atom.entries if e.link == PAGE).content[0].value,
        "rss": next(e for e in rss.entries if e.link == PAGE).content[0].value,
        "json": next(i for i in doc["items"] if i["url"] == PAGE)["content_html"],
    }
    assert html["atom"].strip() == html["rss"].strip() == html["json"].strip()
    return {fmt: lxml.html.fragment_fromstring(text, create_parent="div") for fmt, text in html.items()}


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_the_essay_s_page_keeps_its_sidenote_toggle_and_highlighting(built):
    """What the feed leaves out is the page's: the test would prove nothing if the page had none of it."""
    page = parse(built.outdir / "posts/locks.html")
    article = page.xpath("//article")[0]
    assert article.xpath(".//label[contains(@class, 'margin-toggle')]") and article.xpath(".//input[@type='checkbox']")
    assert article.xpath(".//pre/span[@class]")


def test_a_code_block_keeps_its_text_without_pygments_spans(built):
    for fmt, root in contents(built).items():
        (pre,) = root.xpath(".//pre")
        assert pre.text_content() == CODE, fmt
        assert len(pre) == 0, (fmt, ET.tostring(pre))  # no element inside: text only


def test_a_footnote_s_sidenote_has_no_checkbox_or_label(built):
    for fmt, root in contents(built).items():
        assert not root.xpath(".//input | .//label"), fmt
        (note,) = root.xpath(".//p/small")
        assert " ".join(note.text_content().split()) == "1 " + FOOTNOTE, fmt
        assert root.xpath(".//p")[0].text_content().startswith("A lock lifts a boat one step of the hill at a time."), fmt
        assert not root.xpath(".//hr"), fmt  # no footnotes rule above nothing


def test_cross_references_stay_absolute_and_working(built):
    for fmt, root in contents(built).items():
        links = {a.text_content(): a.get("href") for a in root.xpath(".//a")}
        assert links == {"aqueduct essay": "http://127.0.0.1:8000/posts/aqueducts.html", "Counting the steps": PAGE + "#lock-sums"}, fmt
        for href in links.values():
            address, _, fragment = href.partition("#")
            target = local_file(built.outdir, built.base_url, address)
            assert target is not None and target.is_file(), href
            if fragment:
                assert parse(target).xpath(f"//*[@id='{fragment}']"), href
        # The section's id stays (a link of the entry points at it); no other id, no class, no span left.
        assert [e.get("id") for e in root.xpath(".//*[@id]")] == ["lock-sums"], fmt
        assert not root.xpath(".//*[@class] | .//span"), fmt


def test_the_feeds_stay_valid(built):
    grammar = atom_grammar()
    for document in sorted(built.outdir.rglob("atom.xml")):
        assert grammar.validate(ET.parse(str(document))), (document, grammar.error_log)
    for document in sorted(built.outdir.rglob("rss.xml")):
        parsed = feedparser.parse(str(document))
        assert not parsed.bozo and parsed.version == "rss20", document
    result = check_json_feeds(sorted(built.outdir.rglob("feed.json")))
    assert result.returncode == 0, result.stdout + result.stderr
