"""Feeds of bounded size with every essay reachable: RFC 5005 archived feeds in Atom, RSS and JSON Feed.

Seven essays, two a feed document (tests/roots/test-feed-archives): each
feed's subscription document holds its two or three newest essays, and
archives of two essays each, numbered from the oldest, hold the others.
Every chain is walked from its subscription document as a feed reader
would, in each format, and checked: complete, each essay in exactly one
document, valid, the links of RFC 5005 both ways. Then essays are added to
a copy of the site: the archives already written are left as they were,
and the rebuilt feeds are the bytes a clean build writes.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import feedparser
import lxml.etree as ET
import lxml.html
import pytest
from sphinx.errors import ConfigError

from helpers import build_in_process, copy_root, local_file, parse
from test_feeds import atom_grammar, check_json_feeds

pytestmark = pytest.mark.sphinx("html", testroot="feed-archives")

LENGTH = 2  # essays_feed_length in the root's conf.py
NS = {"a": "http://www.w3.org/2005/Atom", "fh": "http://purl.org/syndication/history/1.0"}
POSTS = "http://127.0.0.1:8000/posts/"
# Each feed's essays, oldest first, and its archives' essays (archive 1 first).
SITE = ["source", "rapids", "bridges", "floods", "delta", "tides", "estuary"]
EXPECTED = {
    "blog": (SITE, [["source", "rapids"], ["bridges", "floods"]]),
    "blog/category/water": (SITE, [["source", "rapids"], ["bridges", "floods"]]),
    "blog/tag/river": (["source", "rapids", "bridges", "floods", "delta", "estuary"], [["source", "rapids"], ["bridges", "floods"]]),
    "blog/tag/sea": (["delta", "tides", "estuary"], []),
    "blog/tag/spring": (["source"], []),
    "blog/2024": (["source", "rapids", "bridges", "floods"], [["source", "rapids"]]),
    "blog/2025": (["delta", "tides", "estuary"], []),
    "blog/series/downstream": (["source", "rapids", "floods"], []),
}


def essay(url: str) -> str:
    assert url.startswith(POSTS) and url.endswith(".html"), url
    return url[len(POSTS) : -len(".html")]


def subscription_feeds(outdir) -> list[str]:
    """Folder of every subscription document (an atom.xml that is not in an archives folder)."""
    return sorted(p.parent.relative_to(outdir).as_posix() for p in outdir.rglob("atom.xml") if "archives" not in p.parts)


def atom_links(root) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in root.xpath("a:link", namespaces=NS)}


def rss_links(root) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in root.xpath("channel/a:link", namespaces=NS)}


def walk(outdir, base_url, folder, name, links_of, essays_of, next_rel="prev-archive"):
    """The documents of a chain from its subscription document, following ``next_rel``: [(url, links, essays, root)]."""
    url = base_url + f"{folder}/{name}"
    chain = []
    while url is not None:
        assert url not in [u for u, *_ in chain], f"the chain of {folder} loops at {url}"
        path = local_file(outdir, base_url, url)
        assert path is not None and path.is_file(), f"{url} (in the chain of {folder}) resolves to no file"
        root = json.loads(path.read_text()) if name.endswith(".json") else ET.parse(str(path)).getroot()
        links = links_of(root)
        chain.append((url, links, essays_of(root), root))
        url = links.get(next_rel)
    return chain


def atom_chain(built, folder):
    essays = lambda root: [essay(e) for e in root.xpath("a:entry/a:link[not(@rel) or @rel='alternate']/@href", namespaces=NS)]  # noqa: E731
    return walk(built.outdir, built.base_url, folder, "atom.xml", atom_links, essays)


def rss_chain(built, folder):
    essays = lambda root: [essay(e) for e in root.xpath("channel/item/link/text()")]  # noqa: E731
    return walk(built.outdir, built.base_url, folder, "rss.xml", rss_links, essays)


def json_chain(built, folder):
    links = lambda doc: {"prev-archive": doc["next_url"]} if "next_url" in doc else {}  # noqa: E731
    essays = lambda doc: [essay(item["url"]) for item in doc["items"]]  # noqa: E731
    return walk(built.outdir, built.base_url, folder, "feed.json", links, essays)


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_every_feed_is_a_chain(built):
    assert set(subscription_feeds(built.outdir)) == set(EXPECTED) | {"blog/tag/city"}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
@pytest.mark.parametrize("chain_of", [atom_chain, rss_chain, json_chain], ids=["atom", "rss", "json"])
def test_every_essay_in_exactly_one_document(built, folder, chain_of):
    everything, archives = EXPECTED[folder]
    chain = chain_of(built, folder)
    shown = [name for _, _, essays, _ in chain for name in essays]
    assert sorted(shown) == sorted(everything) and len(shown) == len(set(shown))
    # The subscription document: the newest essays, at least LENGTH of them, newest first.
    current = chain[0][2]
    assert current == everything[::-1][: len(current)]
    if archives:
        assert LENGTH <= len(current) < 2 * LENGTH
    else:
        assert len(current) == len(everything) < 2 * LENGTH
    # Then the archives, newest first: archive 1 holds the oldest essays.
    assert [essays[::-1] for _, _, essays, _ in chain[1:]] == archives[::-1]
    # The feed's list page shows the same essays.
    page = built.outdir / f"{folder}.html"
    listed = {a.get("href").rsplit("/", 1)[-1][: -len(".html")] for a in parse(page).xpath("//article//h2/a")}
    assert listed == set(everything)


@pytest.mark.parametrize("folder", sorted(EXPECTED))
@pytest.mark.parametrize("chain_of, links_of", [(atom_chain, atom_links), (rss_chain, rss_links)], ids=["atom", "rss"])
def test_links_of_rfc_5005_both_ways(built, folder, chain_of, links_of):
    chain = chain_of(built, folder)
    name = chain[0][0].rsplit("/", 1)[1]
    current_url, current_links, _, current_root = chain[0]
    assert current_links["self"] == current_url == built.base_url + f"{folder}/{name}"
    assert "current" not in current_links and "next-archive" not in current_links
    assert not current_root.xpath("//fh:archive", namespaces=NS)  # a subscription document is no archive
    archives = chain[1:]
    for number, (url, links, essays, root) in zip(range(len(archives), 0, -1), archives):
        assert url == built.base_url + f"{folder}/archives/{number}/{name}"
        assert links["self"] == url and links["current"] == current_url
        assert len(essays) == LENGTH
        assert len(root.xpath("//fh:archive", namespaces=NS)) == 1
        assert links.get("next-archive") == (built.base_url + f"{folder}/archives/{number + 1}/{name}" if number < len(archives) else None)
        assert ("prev-archive" in links) == (number > 1)


def test_every_atom_document_is_valid_atom(built):
    documents = sorted(built.outdir.rglob("atom.xml"))
    assert len([d for d in documents if "archives" in d.parts]) == 2 + 2 + 2 + 1  # site, category, river, 2024
    grammar = atom_grammar()
    for document in documents:
        assert grammar.validate(ET.parse(str(document))), (document, grammar.error_log)
        parsed = feedparser.parse(str(document))
        assert not parsed.bozo and parsed.version == "atom10", document


def test_every_rss_document_is_well_formed_rss(built):
    for document in sorted(built.outdir.rglob("rss.xml")):
        parsed = feedparser.parse(str(document))
        assert not parsed.bozo and parsed.version == "rss20", document


def test_every_json_document_passes_the_json_feed_schema(built):
    documents = sorted(built.outdir.rglob("feed.json"))
    result = check_json_feeds(documents)
    assert result.returncode == 0, result.stdout + result.stderr
    for document in documents:
        doc = json.loads(document.read_text())
        # The feed's identifier is its subscription document's address, in every document of the chain.
        folder = document.parent.relative_to(built.outdir).as_posix().split("/archives/")[0]
        assert doc["feed_url"] == built.base_url + f"{folder}/feed.json"


def test_a_reader_that_knows_nothing_of_archives_gets_the_newest_essays(built):
    parsed = feedparser.parse(str(built.outdir / "blog/atom.xml"))
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["The Estuary", "Tides", "The Delta"]
    assert "the water goes on" in parsed.entries[0].content[0].value  # in full
    rss = feedparser.parse(str(built.outdir / "blog/rss.xml"))
    assert [e.title for e in rss.entries] == ["The Estuary", "Tides", "The Delta"]


def test_pages_advertise_the_subscription_documents_only(built):
    page_url = built.base_url + "blog/tag/river.html"
    hrefs = {urljoin(page_url, link.get("href")) for link in parse(built.outdir / "blog/tag/river.html").xpath("//link[@rel='alternate']")}
    assert hrefs == {built.base_url + f"blog/tag/river/{name}" for name in ("atom.xml", "rss.xml", "feed.json")}


def test_a_feed_length_that_is_no_whole_number_is_said_in_one_line(tmp_path):
    src = copy_root("feed-archives", tmp_path / "src")
    with open(src / "conf.py", "a") as conf:
        conf.write("essays_feed_length = 0\n")
    with pytest.raises(ConfigError, match=r"essays_feed_length must be a whole number of essays per feed document, 1 or more, not 0 \(conf.py"):
        build_in_process(src, tmp_path / "build")


# -- A new essay leaves the archives alone ------------------------------------------------

NEW = """---
date: {date}
tags: ice
category: water
---

# {title}

A new essay about {title}.
"""


def feed_files(outdir) -> dict[str, tuple[int, bytes]]:
    """Every feed document's file: (modification time, bytes), by path."""
    files = [p for name in ("atom.xml", "rss.xml", "feed.json") for p in outdir.rglob(name)]
    return {p.relative_to(outdir).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in files}


def atom_entries(data: bytes) -> list[bytes]:
    return [ET.tostring(e) for e in ET.fromstring(data).xpath("a:entry", namespaces=NS)]


@pytest.fixture(scope="module")
def growing(tmp_path_factory):
    """The site built, then rebuilt in place after each new essay: the feed files after each build."""
    root = tmp_path_factory.mktemp("growing")
    src = copy_root("feed-archives", root / "src")
    steps = [build_in_process(src, root / "build")]
    snapshots = [feed_files(steps[0].outdir)]
    for date, title in [("2025-12-01", "Ice"), ("2026-01-15", "Meltwater")]:
        (src / "posts" / f"{title.lower()}.md").write_text(NEW.format(date=date, title=title))
        steps.append(build_in_process(src, root / "build"))
        snapshots.append(feed_files(steps[-1].outdir))
    for step in steps:
        assert step.warnings == ""
    clean = build_in_process(src, root / "clean")
    return snapshots, feed_files(clean.outdir)


def test_a_new_archive_rewrites_only_the_archive_before_it(growing):
    """Eight essays in the site's feed: a third archive; the second gains its next-archive link, nothing else."""
    (before, after, _), _ = growing
    archives = lambda files, feed: {p for p in files if p.startswith(f"{feed}/archives/")}  # noqa: E731
    assert archives(after, "blog") == archives(before, "blog") | {f"blog/archives/3/{n}" for n in ("atom.xml", "rss.xml", "feed.json")}
    assert archives(after, "blog/2025") == {f"blog/2025/archives/1/{n}" for n in ("atom.xml", "rss.xml", "feed.json")}
    for feed in ("blog", "blog/category/water"):
        for path in archives(before, feed):
            if "/archives/1/" in path:
                assert after[path] == before[path], f"{path} written again"
            else:  # the newest archive before: its link to the new one, its entries as they were
                assert after[path][0] != before[path][0]
                if path.endswith("atom.xml"):
                    assert atom_entries(after[path][1]) == atom_entries(before[path][1])
                    assert b'rel="next-archive"' in after[path][1] and b'rel="next-archive"' not in before[path][1]
    # The year 2024 and the tag river got no essay: their documents are left alone.
    assert all(after[p] == before[p] for p in before if p.startswith(("blog/2024/", "blog/tag/river/")))


def test_a_new_essay_rewrites_no_archive(growing):
    """Nine essays: the subscription documents take it; every archive is left as it was written."""
    (_, before, after), _ = growing
    archives = sorted(p for p in before if "/archives/" in p)
    assert archives and set(archives) == {p for p in after if "/archives/" in p}
    rewritten = [p for p in archives if after[p][0] != before[p][0]]
    assert rewritten == []
    assert after["blog/atom.xml"] != before["blog/atom.xml"]


def test_rebuilt_feeds_are_the_clean_build_s(growing):
    snapshots, clean = growing
    rebuilt = snapshots[-1]
    assert sorted(rebuilt) == sorted(clean)
    assert [p for p in sorted(clean) if rebuilt[p][1] != clean[p][1]] == []


def test_a_rebuild_that_writes_no_feed_document_leaves_the_kept_entries_alone(tmp_path):
    """Every essay's feed entry is kept for the next build, in a state of its own: read and saved only when a document is written."""
    src = copy_root("feed-archives", tmp_path / "src")
    first = build_in_process(src, tmp_path / "build")
    entries = tmp_path / "build" / "doctrees" / "essaysite-html-feed-entries.json"
    kept = json.loads(entries.read_text())["kept"]["entries"]
    assert sorted(kept) == sorted(f"posts/{name}" for name in SITE)
    before, feeds_before = entries.stat().st_mtime_ns, feed_files(first.outdir)
    again = build_in_process(src, tmp_path / "build")
    assert again.warnings == "" and feed_files(again.outdir) == feeds_before
    assert entries.stat().st_mtime_ns == before
    (src / "posts" / "tides.md").write_text((src / "posts" / "tides.md").read_text().replace("the water goes on", "the tide turns"))
    edited = build_in_process(src, tmp_path / "build")
    assert "the tide turns" in json.loads(entries.read_text())["kept"]["entries"]["posts/tides"][1]
    changed = sorted(p for p, (mtime, _) in feed_files(edited.outdir).items() if feeds_before[p][0] != mtime)
    # Tides is in the site's, the category's, the sea's and 2025's subscription documents, no archive.
    assert changed == sorted(f"{folder}/{name}" for folder in ("blog", "blog/category/water", "blog/tag/sea", "blog/2025") for name in ("atom.xml", "feed.json", "rss.xml"))


# -- The newest essays in full text, every other entry a summary ---------------------------


def atom_kinds(root) -> list[str]:
    """Each entry of an Atom document: "full" (content, and its summary) or "summary" (a summary, no content)."""
    kinds = []
    for entry in root.xpath("a:entry", namespaces=NS):
        content, summary = entry.xpath("a:content", namespaces=NS), entry.xpath("a:summary/text()", namespaces=NS)
        assert summary and summary[0].strip(), ET.tostring(entry)
        kinds.append("full" if content else "summary")
    return kinds


def rss_kinds(root) -> list[str]:
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    kinds = []
    for item in root.xpath("channel/item"):
        assert item.findtext("description", "").strip(), ET.tostring(item)
        kinds.append("full" if item.find(content) is not None else "summary")
    return kinds


def json_kinds(doc) -> list[str]:
    kinds = []
    for item in doc["items"]:
        if "content_html" in item:
            assert item["summary"].strip(), item
            kinds.append("full")
        else:  # JSON Feed requires content_html or content_text: the summary, as text, and only there
            assert item["content_text"].strip() and "summary" not in item, item
            kinds.append("summary")
    return kinds


@pytest.mark.parametrize("folder", sorted(EXPECTED))
@pytest.mark.parametrize("chain_of, kinds_of", [(atom_chain, atom_kinds), (rss_chain, rss_kinds), (json_chain, json_kinds)], ids=["atom", "rss", "json"])
def test_the_newest_essays_in_full_text_the_others_as_summaries(built, folder, chain_of, kinds_of):
    """The subscription document: exactly the newest LENGTH in full text, the older ones summaries; archives: summaries only."""
    chain = chain_of(built, folder)
    (_, _, current, root), archives = chain[0], chain[1:]
    assert kinds_of(root) == ["full"] * min(LENGTH, len(current)) + ["summary"] * (len(current) - LENGTH)
    for _, _, essays, archive in archives:
        assert kinds_of(archive) == ["summary"] * len(essays)


def test_a_summary_entry_is_the_essay_s_excerpt_and_link(built):
    """The oldest essay, in the site's first archive: title, link, dates, category and its opening, not its text."""
    parsed = feedparser.parse(str(built.outdir / "blog/archives/1/atom.xml"))
    entry = next(e for e in parsed.entries if e.link == POSTS + "source.html")
    full = feedparser.parse(str(built.outdir / "blog/tag/spring/atom.xml")).entries[0]  # the same essay, in full text
    assert entry.title == full.title and entry.published == full.published and entry.updated == full.updated
    assert [t.term for t in entry.tags] == [t.term for t in full.tags] and entry.author == full.author
    assert "content" not in entry and entry.summary == full.summary
    assert entry.summary and entry.summary in lxml.html.fromstring(full.content[0].value).text_content()
    assert len(entry.summary) < len(full.content[0].value) / 2
