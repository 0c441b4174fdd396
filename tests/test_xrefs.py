"""Cross-references between essays: by label and by path, on pages, in lists and feeds; dangling ones stop the build."""

import re

import feedparser
import lxml.html
import pytest

from helpers import build_in_process, build_root, copy_root, html_pages, local_file, page_links, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

BROKEN = """---
date: 2026-04-01
tags: ai
category: technology
---

# Broken Links

A link to {ref}`no-such-label` here.

And [a missing essay](no-such-essay.md) there.

And [a missing section](gardens.md#no-such-section), and {doc}`/posts/nothing`.
"""


def ids_of(path):
    return set(parse(path).xpath("//@id"))


def article_links(site, page):
    path = site.outdir / page
    return page_links(parse(path), path, site.outdir, site.base_url)


def test_label_and_path_links_on_the_essay_page(built):
    links = article_links(built, "posts/machines-futures.html")
    out = built.outdir
    # [the second part](machines-minds.md): a path link with its own text
    assert ("the second part", out / "posts/machines-minds.html", "") in links
    # {ref}`tools-conclusion`: a label above a heading shows the heading
    assert ("What tools taught us", out / "posts/machines-tools.html", "tools-conclusion") in links
    # {ref}`machines-tools`: an essay's own label shows its title and links to the page itself
    links = article_links(built, "posts/machines-minds.html")
    assert ("Machines and Us: Tools", out / "posts/machines-tools.html", "") in links


def test_every_link_in_every_page_resolves(built):
    """Each relative link of each article (essays, lists, series pages) reaches a file and an anchor in it.

    The 404 page's links are root-relative (``/blog.html``, so that they work
    at any depth): they are checked from the site's URL prefix.
    """
    checked = not_found_page = 0
    for path in html_pages(built.outdir):
        for text, target, fragment in page_links(parse(path), path, built.outdir, built.base_url):
            assert target.is_file(), f"{path}: {text!r} -> {target}"
            if fragment:
                assert fragment in ids_of(target), f"{path}: {text!r} -> {target}#{fragment}"
            checked += 1
            not_found_page += path.name == "404.html"
    assert checked > 100
    assert not_found_page >= 2  # the list of all essays and the archive


@pytest.mark.parametrize("page", ["blog.html", "blog/tag/ai.html", "blog/2026.html", "blog/series/machines-and-us.html"])
def test_links_in_excerpts_on_lists(built, page):
    path = built.outdir / page
    root = parse(path)
    excerpt_links = []
    for a in root.xpath("//div[contains(@class,'ablog-post-excerpt')]//a[@href]"):
        target_path, _, fragment = a.get("href").partition("#")
        excerpt_links.append((a.text_content(), (path.parent / target_path).resolve(), fragment))
    out = built.outdir
    expected = [
        ("the second part", out / "posts/machines-minds.html", ""),
        ("What tools taught us", out / "posts/machines-tools.html", "tools-conclusion"),
    ]
    # The futures essay is on the first page of these lists (newest first) and in its series.
    assert [link for link in expected if link in excerpt_links] == expected, excerpt_links


def test_links_inside_feeds_are_absolute_and_resolve(built):
    feed = feedparser.parse((built.outdir / "blog/atom.xml").read_bytes())
    (entry,) = [e for e in feed.entries if e.title == "Machines and Us: Futures"]
    content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    hrefs = {a.text_content(): a.get("href") for a in content.iter("a")}
    base = built.base_url
    assert hrefs["the second part"] == base + "posts/machines-minds.html"
    assert hrefs["What tools taught us"] == base + "posts/machines-tools.html#tools-conclusion"
    for href in hrefs.values():
        url, _, fragment = href.partition("#")
        target = local_file(built.outdir, base, url)
        assert target is not None and target.is_file(), href
        if fragment:
            assert fragment in ids_of(target)
    # The feed has the essay, not the page furniture around it.
    assert "Referenced by" not in entry.content[0].value
    assert "min read" not in entry.content[0].value


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-links")
    src = copy_root("linked", root / "src")
    (src / "posts" / "broken.md").write_text(BROKEN)
    return build_in_process(src, root / "build")


@pytest.mark.parametrize(
    "line, target",
    [(9, "'no-such-label'"), (11, "'no-such-essay.md'"), (13, "#no-such-section"), (13, "'posts/nothing'")],
)
def test_dangling_link_stops_the_build_with_file_and_line(broken, line, target):
    messages = [m for m in broken.warning_lines if target in m]
    assert len(messages) == 1, broken.warnings  # one message, not one per page and feed it is shown on
    assert re.search(rf"posts/broken\.md:{line}: WARNING: ", messages[0]), messages[0]
    assert "Fix:" in messages[0]


def test_dangling_links_give_no_other_message(broken):
    assert len(broken.warning_lines) == 4, broken.warnings
    log = broken.status + broken.warnings
    assert "Traceback" not in log
    assert "undefined label" not in log and "cross-reference target not found" not in log


def test_writing_guide_shows_both_ways_and_what_readers_see(site):
    guide = " ".join(parse(site.outdir / "docs/writing.html").text_content().split())
    assert "[the essay on Her](exploring-the-depths-of-human-machine-relationships-in-her.md)" in guide
    assert "{ref}`exploring-the-depths-of-human-machine-relationships-in-her`" in guide
    for topic in ("Series", "series_position", "Further reading", "links here", "200 words a minute", "essays_per_page"):
        assert topic in guide, topic


def test_a_link_written_before_its_essay_works_once_the_essay_exists(tmp_path):
    """MyST resolves a path link when it reads the linking essay: adding the target must re-read it."""
    src = copy_root("linked", tmp_path / "src")
    (src / "posts" / "early.md").write_text(
        "---\ndate: 2026-04-02\ntags: soil\ncategory: life\n---\n\n# Early\n\nSee [the later essay](later.md).\n"
    )
    first = build_in_process(src, tmp_path / "build")
    assert re.search(r"posts/early\.md:9: WARNING: link to 'later\.md'", first.warnings), first.warnings
    (src / "posts" / "later.md").write_text("---\ndate: 2026-04-03\ntags: soil\ncategory: life\n---\n\n# Later\n\nHere.\n")
    second = build_in_process(src, tmp_path / "build")  # plain rebuild
    assert second.warnings == ""
    links = article_links(second, "posts/early.html")
    assert ("the later essay", second.outdir / "posts/later.html", "") in links
