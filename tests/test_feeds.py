"""Feeds: Atom (valid RFC 4287), RSS 2.0 and JSON Feed 1.1 side by side, full
text, every link absolute and resolving, the three formats agreeing."""

import functools
import json
import subprocess
import sys

import feedparser
import lxml.etree as ET
import lxml.html
import pytest
import rnc2rng

from helpers import ROOT, html_pages, local_file, parse

pytestmark = pytest.mark.sphinx("html", testroot="feeds")

ATOM_RNC = ROOT / "tests" / "data" / "atom.rnc"
JSON_FEED_SCHEMA = ROOT / "tests" / "data" / "jsonfeed-1.1.schema.json"
ESSAY = "posts/night-trains.html"
TITLE = "Night Trains"
# Each feed, and its essays (newest first).
EXPECTED_FEEDS = {
    "blog/atom.xml": ["Night Trains", "Harbour Lights"],
    "blog/tag/trains/atom.xml": ["Night Trains"],
    "blog/tag/night/atom.xml": ["Night Trains", "Harbour Lights"],
    "blog/category/travel/atom.xml": ["Night Trains", "Harbour Lights"],
    "blog/2026/atom.xml": ["Night Trains", "Harbour Lights"],
}


@functools.cache
def atom_grammar() -> ET.RelaxNG:
    """RFC 4287's RELAX NG grammar, from its compact syntax."""
    xml = rnc2rng.dumps(rnc2rng.load(str(ATOM_RNC)))
    # rnc2rng declares the grammar's empty `local` namespace as a prefix,
    # which XML namespaces forbid; the prefix is never used.
    xml = xml.replace('xmlns:local=""', "")
    return ET.RelaxNG(ET.fromstring(xml.encode()))


FOLDERS = sorted(f.rsplit("/", 1)[0] for f in EXPECTED_FEEDS)


def feeds(built, name="atom.xml"):
    return sorted(p.relative_to(built.outdir).as_posix() for p in built.outdir.rglob(name))


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_feed_for_site_every_tag_and_category(built):
    assert set(feeds(built)) == set(EXPECTED_FEEDS)


def test_every_feed_in_three_formats(built):
    assert set(feeds(built, "rss.xml")) == {f"{d}/rss.xml" for d in FOLDERS}
    assert set(feeds(built, "feed.json")) == {f"{d}/feed.json" for d in FOLDERS}


def test_grammar_rejects_an_invalid_feed():
    bad = ET.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')
    assert not atom_grammar().validate(bad)


@pytest.mark.parametrize("feed", sorted(EXPECTED_FEEDS))
def test_feed_is_valid_atom(built, feed):
    doc = ET.parse(str(built.outdir / feed))
    grammar = atom_grammar()
    assert grammar.validate(doc), grammar.error_log
    parsed = feedparser.parse(str(built.outdir / feed))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"


@pytest.mark.parametrize("feed", sorted(EXPECTED_FEEDS))
def test_entries_are_full_text_with_resolving_links(built, feed):
    parsed = feedparser.parse(str(built.outdir / feed))
    assert parsed.feed.links
    self_link = [l.href for l in parsed.feed.links if l.rel == "self"]
    assert self_link == [built.base_url + feed]
    assert [e.title for e in parsed.entries] == EXPECTED_FEEDS[feed]
    entry = parsed.entries[0]
    assert local_file(built.outdir, built.base_url, entry.link) == built.outdir / ESSAY
    content = entry.content[0].value
    assert "worth the whole journey" in content  # the last paragraph: full text
    fragment = lxml.html.fragment_fromstring(content, create_parent="div")
    urls = [el.get(attr) for el in fragment.iter() for attr in ("href", "src") if el.get(attr)]
    assert any(u.endswith(".svg") for u in urls)
    for url in urls:
        assert url.startswith(("http://", "https://")), f"relative link {url!r} in {feed}"
        target = local_file(built.outdir, built.base_url, url)
        if target is not None:
            assert target.is_file(), f"{url} in {feed} resolves to no built file"
    assert any(local_file(built.outdir, built.base_url, u) == built.outdir / "posts/harbour-lights.html" for u in urls)
    assert {t.term for t in entry.tags} == {"trains", "night"}


def test_feed_updated_is_newest_essay_date(built):
    doc = ET.parse(str(built.outdir / "blog/atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert doc.findtext("a:updated", namespaces=ns) == "2026-03-10T00:00:00+00:00"


def resolve(built, page, href):
    """The built file ``href`` on ``page`` points at, as a browser resolves it."""
    from urllib.parse import urljoin

    return local_file(built.outdir, built.base_url, urljoin(built.base_url + page.relative_to(built.outdir).as_posix(), href))


def test_pages_advertise_only_existing_feeds(built):
    advertised = 0
    for page in html_pages(built.outdir):
        for link in parse(page).xpath("//link[@rel='alternate']"):
            href = link.get("href")
            target = resolve(built, page, href)
            assert target is not None and target.is_file(), f"{page}: feed {href} does not exist"
            advertised += 1
    assert advertised >= len(html_pages(built.outdir)) // 2
    tag_page = built.outdir / "blog/tag/night.html"
    links = {l.get("type"): resolve(built, tag_page, l.get("href")) for l in parse(tag_page).xpath("//link[@rel='alternate']")}
    assert links == {
        "application/atom+xml": built.outdir / "blog/tag/night/atom.xml",
        "application/rss+xml": built.outdir / "blog/tag/night/rss.xml",
        "application/feed+json": built.outdir / "blog/tag/night/feed.json",
    }
    visible = [a.get("href") for a in parse(tag_page).xpath("//p[@class='essays-feed-link']/a")]
    assert visible == [built.base_url + f"blog/tag/night/{n}" for n in ("atom.xml", "rss.xml", "feed.json")]


@pytest.mark.sphinx("dirhtml", testroot="feeds", srcdir="feeds-dirhtml")
def test_feed_links_resolve_with_dirhtml_builder(app):
    """Links are made absolute for whatever builder wrote the pages."""
    app.build()
    assert app.warning.getvalue() == ""
    base_url = app.config.html_baseurl
    parsed = feedparser.parse(str(app.outdir / "blog/atom.xml"))
    entry = parsed.entries[0]
    assert entry.link == base_url + "posts/night-trains/"
    fragment = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    urls = [el.get(a) for el in fragment.iter() for a in ("href", "src") if el.get(a)]
    assert len(urls) == 2  # the picture and the link to the other essay
    for url in urls:
        target = local_file(app.outdir, base_url, url)
        assert target is not None and target.is_file(), url


def check_json_feeds(paths):
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(JSON_FEED_SCHEMA), *map(str, paths)],
        capture_output=True,
        text=True,
    )


def test_json_feeds_pass_the_json_feed_schema(built):
    paths = [built.outdir / d / "feed.json" for d in FOLDERS]
    result = check_json_feeds(paths)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in paths:
        assert json.loads(path.read_text())["version"] == "https://jsonfeed.org/version/1.1"


@pytest.mark.parametrize(
    "breakage",
    [
        lambda doc: doc.pop("title"),
        lambda doc: doc["items"][0].pop("content_html"),
        lambda doc: doc["items"][0].update(date_published="24 November 2026"),
        lambda doc: doc["items"][0].update(tittle="typo"),
    ],
    ids=["no title", "no content", "bad date", "unknown key"],
)
def test_schema_rejects_a_broken_json_feed(built, tmp_path, breakage):
    doc = json.loads((built.outdir / "blog/feed.json").read_text())
    breakage(doc)
    bad = tmp_path / "feed.json"
    bad.write_text(json.dumps(doc))
    assert check_json_feeds([bad]).returncode != 0


@pytest.mark.parametrize("folder", FOLDERS)
def test_rss_is_well_formed_rss_2(built, folder):
    parsed = feedparser.parse(str(built.outdir / folder / "rss.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert [l.href for l in parsed.feed.links if l.rel == "self"] == [built.base_url + folder + "/rss.xml"]
    assert parsed.feed.link == built.base_url + folder + ".html"
    assert local_file(built.outdir, built.base_url, parsed.feed.link).is_file()


def entries_of(built, folder):
    """Each format's entries as comparable records."""
    text = lambda html: " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())  # noqa: E731
    atom = feedparser.parse(str(built.outdir / folder / "atom.xml"))
    rss = feedparser.parse(str(built.outdir / folder / "rss.xml"))
    records = {}
    for name, parsed in [("atom", atom), ("rss", rss)]:
        records[name] = [
            {
                "id": e.id,
                "url": e.link,
                "title": e.title,
                "published": e.published_parsed[:6],
                "tags": sorted(t.term for t in e.tags),
                "summary": e.summary,
                "text": text(e.content[0].value),
                "authors": [a.get("name") for a in e.authors] if name == "atom" else [e.author],
            }
            for e in parsed.entries
        ]
    import datetime as dt

    doc = json.loads((built.outdir / folder / "feed.json").read_text())
    records["json"] = [
        {
            "id": i["id"],
            "url": i["url"],
            "title": i["title"],
            "published": dt.datetime.fromisoformat(i["date_published"]).utctimetuple()[:6],
            "tags": sorted(i.get("tags", [])),
            "summary": i["summary"],
            "text": text(i["content_html"]),
            "authors": [a["name"] for a in i["authors"]],
        }
        for i in doc["items"]
    ]
    return records


@pytest.mark.parametrize("folder", FOLDERS)
def test_three_formats_agree_entry_for_entry(built, folder):
    records = entries_of(built, folder)
    assert records["atom"], folder
    assert records["atom"] == records["rss"] == records["json"]
    assert "worth the whole journey" in records["json"][0]["text"]


def test_feeds_carry_no_build_time(built):
    """<updated>, <lastBuildDate> and the dates are the newest essay's, never the build's."""
    atom = (built.outdir / "blog/atom.xml").read_text()
    rss = (built.outdir / "blog/rss.xml").read_text()
    assert "<lastBuildDate>Tue, 10 Mar 2026 00:00:00 +0000</lastBuildDate>" in rss
    assert "<pubDate>Tue, 10 Mar 2026 00:00:00 +0000</pubDate>" in rss
    import re

    # The feed's and each entry's: the newest essay's date, and the other essay's.
    assert set(re.findall(r"<updated>([^<]+)</updated>", atom)) == {"2026-03-10T00:00:00+00:00", "2026-01-15T00:00:00+00:00"}


def test_a_site_with_no_essay_yet_builds_valid_empty_feeds(tmp_path):
    """A new site (or one whose every essay is a draft): the site's feeds are written, empty and valid, no traceback."""
    from conftest import forget_earlier_essays
    from helpers import build_in_process, copy_root

    src = copy_root("feeds", tmp_path / "src")
    for essay in (src / "posts").glob("*.md"):
        essay.unlink()
    forget_earlier_essays()
    build = build_in_process(src, tmp_path / "build")
    assert build.warnings == ""
    atom = ET.parse(str(build.outdir / "blog" / "atom.xml"))
    atom_grammar().assertValid(atom)
    assert atom.findall("{http://www.w3.org/2005/Atom}entry") == []
    assert feedparser.parse((build.outdir / "blog" / "rss.xml").read_bytes()).entries == []
    assert json.loads((build.outdir / "blog" / "feed.json").read_text())["items"] == []
