"""Paginated lists: pages of N essays with previous/next and numbered page links; feeds and archive keep every essay."""

import feedparser
import pytest

from helpers import build_in_process, copy_root, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

PUBLISHED = 8  # the fixture's published essays (the draft is not one)


def list_entries(outdir, page):
    path = outdir / page
    links = parse(path).xpath("//article[contains(@class,'ablog-post')]//h2/a")
    return [(path.parent / a.get("href")).resolve().relative_to(outdir.resolve()).as_posix() for a in links]


def pager(outdir, page):
    """Previous, next and numbered links of a list page, as built files relative to outdir."""
    path = outdir / page
    navs = parse(path).xpath("//nav[contains(@class,'essays-pagination')]")
    if not navs:
        return None
    (nav,) = navs

    def rel(href):
        if href == "#":  # the page itself
            return page
        return (path.parent / href).resolve().relative_to(outdir.resolve()).as_posix()

    prev = nav.xpath(".//a[@rel='prev']/@href")
    nxt = nav.xpath(".//a[@rel='next']/@href")
    numbers = [(a.text_content(), rel(a.get("href")), a.get("aria-current")) for a in nav.xpath(".//ol/li/a")]
    return {"prev": rel(prev[0]) if prev else None, "next": rel(nxt[0]) if nxt else None, "numbers": numbers}


def test_all_essays_in_pages_of_three(built):
    out = built.outdir
    pages = ["blog.html", "blog/page/2.html", "blog/page/3.html"]
    entries = [list_entries(out, p) for p in pages]
    assert [len(e) for e in entries] == [3, 3, 2]
    every = [e for page in entries for e in page]
    assert len(set(every)) == PUBLISHED == len(every)
    assert not (out / "blog/page/4.html").exists()
    # newest first across the pages: the feed has the same order
    feed = feedparser.parse((out / "blog/atom.xml").read_bytes())
    assert [built.base_url + e for e in every] == [entry.link for entry in feed.entries]


def test_previous_next_and_numbers(built):
    out = built.outdir
    pages = ["blog.html", "blog/page/2.html", "blog/page/3.html"]
    for i, page in enumerate(pages):
        nav = pager(out, page)
        assert nav["prev"] == (pages[i - 1] if i > 0 else None)
        assert nav["next"] == (pages[i + 1] if i < 2 else None)
        assert [(n, target) for n, target, _ in nav["numbers"]] == [("1", pages[0]), ("2", pages[1]), ("3", pages[2])]
        assert [current for _, _, current in nav["numbers"]] == [("page" if j == i else None) for j in range(3)]


@pytest.mark.parametrize(
    "first, second, total",
    [("blog/tag/ai.html", "blog/tag/ai/page/2.html", 5), ("blog/2026.html", "blog/2026/page/2.html", 5)],
)
def test_tag_and_year_pages(built, first, second, total):
    out = built.outdir
    one, two = list_entries(out, first), list_entries(out, second)
    assert len(one) == 3 and len(two) == total - 3 and not set(one) & set(two)
    assert pager(out, first)["next"] == second and pager(out, second)["prev"] == first
    title = parse(out / second).findtext(".//title")
    assert "(page 2 of 2)" in title


@pytest.mark.parametrize("page", ["blog/category/technology.html", "blog/2025.html", "blog/tag/film.html"])
def test_a_short_list_has_no_page_links(built, page):
    assert 1 <= len(list_entries(built.outdir, page)) <= 3
    assert pager(built.outdir, page) is None


def test_feeds_keep_every_essay_and_the_archive_counts_them(built):
    out = built.outdir
    assert len(feedparser.parse((out / "blog/atom.xml").read_bytes()).entries) == PUBLISHED
    assert len(feedparser.parse((out / "blog/tag/ai/atom.xml").read_bytes()).entries) == 5
    archive = parse(out / "blog/archive.html")
    assert not archive.xpath("//section[@class='essays-catalog']//a[contains(@href,'posts/')]")  # years, not essays
    years = {a.text_content(): a.get("href") for a in archive.xpath("//ul[@class='essays-catalog-list']/li/a")}
    counts = [int(c.strip("()").split()[0]) for c in archive.xpath("//ul[@class='essays-catalog-list']/li/span/text()")]
    assert sum(counts) == PUBLISHED and years["2026"] == "2026.html"


@pytest.mark.parametrize(
    "number, count, linked",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 1000, [1, 2, 3, None, 1000]),
        (5, 1000, [1, 2, 3, 4, 5, 6, 7, None, 1000]),
        (500, 1000, [1, None, 498, 499, 500, 501, 502, None, 1000]),
        (1000, 1000, [1, None, 998, 999, 1000]),
        (4, 8, [1, 2, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_a_page_links_to_a_bounded_number_of_pages(number, count, linked):
    """The first, the last, two on each side; a gap of one page is the page itself."""
    from essaysite.features.pagination import linked_numbers, list_page

    assert linked_numbers(number, count) == linked
    page = list_page("blog", number, count, [])
    assert [n for n, _ in page.pages] == linked
    assert all(d == ("blog" if n == 1 else f"blog/page/{n}") for n, d in page.pages if n)
    assert page.prev == (None if number == 1 else ("blog" if number == 2 else f"blog/page/{number - 1}"))
    assert page.next == (None if number == count else f"blog/page/{number + 1}")


def test_default_page_size_is_ten(tmp_path):
    src = copy_root("linked", tmp_path / "src")
    conf = src / "conf.py"
    conf.write_text(conf.read_text().replace("essays_per_page = 3\n", ""))
    for n in range(3):  # 11 published essays
        (src / "posts" / f"extra-{n}.md").write_text(f"---\ndate: 2024-0{n + 1}-01\ntags: extra\n---\n\n# Extra {n}\n\nText {n}.\n")
    build = build_in_process(src, tmp_path / "build")
    assert build.warnings == ""
    assert len(list_entries(build.outdir, "blog.html")) == 10
    assert len(list_entries(build.outdir, "blog/page/2.html")) == 1


def test_a_series_page_comes_in_pages_too(tmp_path):
    """Every list of essays is paginated: a series of three parts, two a page."""
    src = copy_root("linked", tmp_path / "src")
    conf = src / "conf.py"
    conf.write_text(conf.read_text().replace("essays_per_page = 3\n", "essays_per_page = 2\n"))
    build = build_in_process(src, tmp_path / "build")
    assert build.warnings == ""
    first, second = "blog/series/machines-and-us.html", "blog/series/machines-and-us/page/2.html"
    one, two = list_entries(build.outdir, first), list_entries(build.outdir, second)
    assert len(one) == 2 and len(two) == 1 and not set(one) & set(two)
    assert pager(build.outdir, first)["next"] == second and pager(build.outdir, second)["prev"] == first
    assert "(page 2 of 2)" in parse(build.outdir / second).findtext(".//title")
