"""Ten thousand essays: no page and no feed document grows with the number of essays.

The project's site is built with 40 and with 160 generated essays
(benchmarks/essays.py: about 800 words each, 30 tags, 6 categories). A
page's size must not depend on how many essays the site has: the indexes
of tags, categories and years give names and counts
(essaysite.features.catalogs), the lists ten essays a page and links to a
few pages by number (essaysite.features.pagination), and the largest page at
160 essays is no larger than at 40, give or take what a tag more in the
sidebar's cloud weighs. A feed document holds fewer than twice
``essays_feed_length`` essays (essaysite.features.feed_archives), so its size
is bounded by that many of the largest entries. Both bounds hold at 10,000
essays by construction: nothing on a page or in a feed document is one
item per essay of the site.
"""

from __future__ import annotations

import sys

import feedparser
import pytest

from helpers import ROOT, copy_site, html_pages, sphinx_build

sys.path.insert(0, str(ROOT / "benchmarks"))
import essays  # noqa: E402

SIZES = (40, 160)
LENGTH = 20  # essays_feed_length in conf.py
HTML_LIMIT = 150 * 1024  # issue 19: no page over 150 KB at 10,000 essays


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {}
    for n in SIZES:
        root = tmp_path_factory.mktemp(f"essays-{n}")
        src = copy_site(root / "src", maintainers_pages=False)  # pages that do not change with the essays, short
        essays.write_essays(src / "posts", n)
        build = sphinx_build(src, root / "html", options=("-n", "-W", "--keep-going", "-j", "2"))
        assert build.ok, build.log
        built[n] = build
    return built


def largest(paths, outdir, count=3):
    return sorted(((p.stat().st_size, p.relative_to(outdir).as_posix()) for p in paths), reverse=True)[:count]


@pytest.mark.parametrize("folder", ["", "blog", "posts"], ids=["every page", "lists and indexes", "essays"])
def test_the_largest_page_does_not_grow_with_the_number_of_essays(sites, folder):
    small, large = (largest([p for p in html_pages(sites[n].outdir) if p.is_relative_to(sites[n].outdir / folder)], sites[n].outdir) for n in SIZES)
    # Four times the essays; the largest page within a few per cent (the sidebar's tag cloud may gain a tag).
    assert large[0][0] <= small[0][0] * 1.05, f"largest pages at {SIZES[0]} essays: {small}; at {SIZES[1]}: {large}"
    assert large[0][0] < HTML_LIMIT


@pytest.mark.parametrize("page", ["blog/tag.html", "blog/category.html", "blog/archive.html", "blog.html", "blog/page/8.html"])
def test_indexes_and_list_pages_do_not_grow(sites, page):
    small, large = (sites[n].outdir / page for n in SIZES)
    if not small.exists():  # blog/page/8.html: 40 essays make four pages
        small = sites[SIZES[0]].outdir / "blog/page/4.html"
    assert large.stat().st_size <= small.stat().st_size * 1.05 + 1024, page


def feed_documents(outdir):
    return [p for name in ("atom.xml", "rss.xml", "feed.json") for p in outdir.rglob(name)]


@pytest.mark.parametrize("n", SIZES)
def test_feed_documents_hold_fewer_than_twice_the_length(sites, n):
    outdir = sites[n].outdir
    atom = sorted(outdir.rglob("atom.xml"))
    counts = {p.relative_to(outdir).as_posix(): len(feedparser.parse(str(p)).entries) for p in atom}
    assert max(counts.values()) < 2 * LENGTH, counts
    archives = {path: count for path, count in counts.items() if "/archives/" in path}
    assert all(count == LENGTH for count in archives.values()), archives
    # The site's feed: every essay (the generated ones and the site's own), archives of 20 and 20 to 39 in it.
    total = sum(count for path, count in counts.items() if path == "blog/atom.xml" or path.startswith("blog/archives/"))
    assert total >= n and len([p for p in archives if p.startswith("blog/archives/")]) == total // LENGTH - 1
    # A feed file weighs at most what its entries do: fewer than twice the length of the largest entry each
    # (an entry's full text; a summary entry, past the newest LENGTH and in archives, has none).
    entries = [e for p in atom for e in feedparser.parse(str(p)).entries]
    assert any("content" not in e for e in entries) and all(e.summary for e in entries)
    entry_sizes = [len(e.content[0].value.encode()) for e in entries if "content" in e]
    (size, name), *_ = largest(feed_documents(outdir), outdir, 1)
    assert size < (2 * LENGTH - 1) * max(entry_sizes) * 1.6 + 8192, name
