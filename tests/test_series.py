"""Series: "Part n of m" with previous/next, a series page and a feed for each series."""

from urllib.parse import urljoin

import feedparser
import pytest

from helpers import build_in_process, copy_root, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

MACHINES = ["posts/machines-tools.html", "posts/machines-minds.html", "posts/machines-futures.html"]
TITLES = {
    "posts/machines-tools.html": "Machines and Us: Tools",
    "posts/machines-minds.html": "Machines and Us: Minds",
    "posts/machines-futures.html": "Machines and Us: Futures",
    "posts/film-noir.html": "Film Notes: Noir",
    "posts/film-scifi.html": "Film Notes: Science Fiction",
}


def series_box(outdir, page):
    path = outdir / page
    boxes = parse(path).xpath("//article//nav[contains(@class,'essay-series')]")
    if not boxes:
        return None
    (box,) = boxes

    def target(xpath):
        links = box.xpath(xpath)
        return (path.parent / links[0].get("href")).resolve().relative_to(outdir.resolve()).as_posix() if links else None

    part = " ".join(box.xpath(".//*[contains(@class,'essay-series-part')]")[0].text_content().split())
    return {
        "part": part,
        "series": target(".//a[contains(@class,'essay-series-link')]"),
        "prev": target(".//*[contains(@class,'essay-series-prev')]//a"),
        "next": target(".//*[contains(@class,'essay-series-next')]//a"),
    }


def test_the_linked_essays_build_without_a_warning(built):
    assert built.warnings == ""


@pytest.mark.parametrize("index, page", list(enumerate(MACHINES)))
def test_part_n_of_m_with_previous_and_next(built, index, page):
    box = series_box(built.outdir, page)
    assert box["part"] == f"Part {index + 1} of 3 in the series Machines and Us"
    assert box["series"] == "blog/series/machines-and-us.html"
    assert box["prev"] == (MACHINES[index - 1] if index > 0 else None)
    assert box["next"] == (MACHINES[index + 1] if index < 2 else None)


def test_series_without_positions_follows_dates(built):
    noir = series_box(built.outdir, "posts/film-noir.html")
    scifi = series_box(built.outdir, "posts/film-scifi.html")
    assert noir["part"] == "Part 1 of 2 in the series Film Notes" and noir["next"] == "posts/film-scifi.html"
    assert scifi["part"] == "Part 2 of 2 in the series Film Notes" and scifi["prev"] == "posts/film-noir.html"


def test_essays_outside_a_series_have_no_box(built):
    for page in ("posts/letters.html", "posts/gardens.html", "posts/walking.html"):
        assert series_box(built.outdir, page) is None


def test_series_page_lists_the_parts_in_order(built):
    path = built.outdir / "blog/series/machines-and-us.html"
    page = parse(path)
    (heading,) = page.xpath("//section[contains(@class,'ablog__collection')]/h1")
    assert " ".join(heading.text_content().split()) == "Series: Machines and Us"
    links = page.xpath("//article[contains(@class,'ablog-post')]//h2/a")
    targets = [(path.parent / a.get("href")).resolve().relative_to(built.outdir.resolve()).as_posix() for a in links]
    assert targets == MACHINES
    assert [a.text_content() for a in links] == [TITLES[p] for p in MACHINES]


@pytest.mark.parametrize(
    "slug, pages",
    [("machines-and-us", MACHINES), ("film-notes", ["posts/film-noir.html", "posts/film-scifi.html"])],
)
def test_each_series_has_its_own_feed(built, slug, pages):
    feed_file = built.outdir / "blog/series" / slug / "atom.xml"
    feed = feedparser.parse(feed_file.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    # newest first, every published part, nothing else
    assert [e.link for e in feed.entries] == [built.base_url + p for p in reversed(pages)]
    assert [e.title for e in feed.entries] == [TITLES[p] for p in reversed(pages)]
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [f"{built.base_url}blog/series/{slug}/atom.xml"]
    # The series page advertises its feed.
    page = parse(built.outdir / f"blog/series/{slug}.html")
    page_url = f"{built.base_url}blog/series/{slug}.html"
    advertised = page.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert [urljoin(page_url, href) for href in advertised] == [f"{built.base_url}blog/series/{slug}/atom.xml"]


def test_bad_series_position_is_one_clear_message(tmp_path, capsys):
    """The front matter check stops the build before reading: one line on stderr, exit status 1."""
    src = copy_root("linked", tmp_path / "src")
    essay = src / "posts" / "machines-minds.md"
    essay.write_text(essay.read_text().replace("series_position: 2", "series_position: second"))
    with pytest.raises(SystemExit) as stopped:
        build_in_process(src, tmp_path / "build")
    assert stopped.value.code == 1
    stderr = capsys.readouterr().err
    messages = [m for m in stderr.splitlines() if "series_position:" in m]
    assert len(messages) == 1, stderr
    assert messages[0].startswith("posts/machines-minds.md:6: ") and "whole number" in messages[0]
    assert "Traceback" not in stderr


def test_series_position_without_series_is_one_clear_message(tmp_path):
    src = copy_root("linked", tmp_path / "src")
    essay = src / "posts" / "gardens.md"
    essay.write_text(essay.read_text().replace("category: life\n", "category: life\nseries_position: 2\n"))
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 1, build.warnings
    (message,) = build.warning_lines
    assert "series_position" in message
    assert "posts/gardens.md:5: WARNING" in message and "Fix:" in message
    assert "Traceback" not in build.warnings
