"""Atom feeds: valid RFC 4287, full text, every link absolute and resolving."""

import functools

import feedparser
import lxml.etree as ET
import lxml.html
import pytest
import rnc2rng

from helpers import ROOT, html_pages, local_file, parse

ATOM_RNC = ROOT / "tests" / "data" / "atom.rnc"
ESSAY = "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"
EXPECTED_FEEDS = {
    "blog/atom.xml",
    "blog/tag/ai/atom.xml",
    "blog/tag/movie/atom.xml",
    "blog/tag/her/atom.xml",
    "blog/category/ai/atom.xml",
    "blog/2026/atom.xml",
}


@functools.cache
def atom_grammar() -> ET.RelaxNG:
    """RFC 4287's RELAX NG grammar, from its compact syntax."""
    xml = rnc2rng.dumps(rnc2rng.load(str(ATOM_RNC)))
    # rnc2rng declares the grammar's empty `local` namespace as a prefix,
    # which XML namespaces forbid; the prefix is never used.
    xml = xml.replace('xmlns:local=""', "")
    return ET.RelaxNG(ET.fromstring(xml.encode()))


def feeds(site):
    return sorted(p.relative_to(site.outdir).as_posix() for p in site.outdir.rglob("atom.xml"))


def test_feed_for_site_every_tag_and_category(site):
    assert set(feeds(site)) == EXPECTED_FEEDS


def test_grammar_rejects_an_invalid_feed():
    bad = ET.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')
    assert not atom_grammar().validate(bad)


@pytest.mark.parametrize("feed", sorted(EXPECTED_FEEDS))
def test_feed_is_valid_atom(site, feed):
    doc = ET.parse(str(site.outdir / feed))
    grammar = atom_grammar()
    assert grammar.validate(doc), grammar.error_log
    parsed = feedparser.parse(str(site.outdir / feed))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"


@pytest.mark.parametrize("feed", sorted(EXPECTED_FEEDS))
def test_entries_are_full_text_with_resolving_links(site, feed):
    parsed = feedparser.parse(str(site.outdir / feed))
    assert parsed.feed.links
    self_link = [l.href for l in parsed.feed.links if l.rel == "self"]
    assert self_link == [site.base_url + feed]
    assert [e.title for e in parsed.entries] == ["Exploring the Depths of Human-Machine Relationships in Her"]
    entry = parsed.entries[0]
    assert local_file(site.outdir, site.base_url, entry.link) == site.outdir / ESSAY
    content = entry.content[0].value
    assert "is a must-watch" in content  # the last paragraph: full text
    fragment = lxml.html.fragment_fromstring(content, create_parent="div")
    urls = [el.get(attr) for el in fragment.iter() for attr in ("href", "src") if el.get(attr)]
    assert any(u.endswith(".svg") for u in urls)
    for url in urls:
        assert url.startswith(("http://", "https://")), f"relative link {url!r} in {feed}"
        target = local_file(site.outdir, site.base_url, url)
        if target is not None:
            assert target.is_file(), f"{url} in {feed} resolves to no built file"
    assert {t.term for t in entry.tags} == {"ai", "movie", "her"}


def test_feed_updated_is_newest_essay_date(site):
    doc = ET.parse(str(site.outdir / "blog/atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert doc.findtext("a:updated", namespaces=ns) == "2026-11-24T00:00:00+00:00"


def test_pages_advertise_only_existing_feeds(site):
    advertised = 0
    for page in html_pages(site.outdir):
        for link in parse(page).xpath("//link[@rel='alternate']"):
            href = link.get("href")
            target = (page.parent / href).resolve() if "://" not in href else local_file(site.outdir, site.base_url, href)
            assert target is not None and target.is_file(), f"{page}: feed {href} does not exist"
            advertised += 1
    assert advertised >= len(html_pages(site.outdir)) // 2
    tag_page = site.outdir / "blog/tag/ai.html"
    hrefs = [l.get("href") for l in parse(tag_page).xpath("//link[@rel='alternate']")]
    assert [(tag_page.parent / h).resolve() for h in hrefs] == [site.outdir / "blog/tag/ai/atom.xml"]


def test_feed_links_resolve_with_dirhtml_builder(tmp_path):
    """Links are made absolute for whatever builder wrote the pages."""
    from helpers import copy_site, sphinx_build

    build = sphinx_build(copy_site(tmp_path / "src"), tmp_path / "dirhtml", builder="dirhtml")
    assert build.ok, build.log
    parsed = feedparser.parse(str(build.outdir / "blog/atom.xml"))
    entry = parsed.entries[0]
    assert entry.link == build.base_url + "posts/exploring-the-depths-of-human-machine-relationships-in-her/"
    fragment = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    urls = [el.get(a) for el in fragment.iter() for a in ("href", "src") if el.get(a)]
    assert urls
    for url in urls:
        target = local_file(build.outdir, build.base_url, url)
        assert target is not None and target.is_file(), url
