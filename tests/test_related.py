"""Related essays: up to three, by shared tags then category, never itself or a draft, in a stable order."""

import pytest

from test_backlinks import aside_entries

pytestmark = pytest.mark.sphinx("html", testroot="linked")


def related(site, page):
    entries = aside_entries(site.outdir, page, "essay-related")
    return None if entries is None else [title for title, _, _ in entries]


def test_shared_tags_then_category_then_newest(built):
    # futures and minds share a tag and the category; walking and science fiction
    # share only the tag "ai": the limit of three keeps the newer one, walking.
    assert related(built, "posts/machines-tools.html") == [
        "Machines and Us: Futures",
        "Machines and Us: Minds",
        "Walking in Cities",
    ]


def test_more_shared_tags_come_before_a_shared_category(built):
    # Science fiction shares two tags (ai, ethics) but not the category.
    assert related(built, "posts/machines-minds.html") == [
        "Film Notes: Science Fiction",
        "Machines and Us: Futures",
        "Machines and Us: Tools",
    ]


def test_a_shared_category_alone_makes_a_related_essay(built):
    assert related(built, "posts/gardens.html") == ["Walking in Cities"]


def test_none_when_nothing_is_shared(built):
    assert related(built, "posts/letters.html") is None


@pytest.mark.parametrize(
    "page",
    ["posts/machines-tools.html", "posts/machines-minds.html", "posts/machines-futures.html", "posts/film-scifi.html", "posts/walking.html"],
)
def test_never_itself_never_a_draft_at_most_three(built, page):
    titles = related(built, page)
    own = built.outdir.joinpath(page)
    own_title = own.read_text().split("<h1>")[1].split("<")[0]
    assert titles and len(titles) <= 3
    assert own_title not in titles
    assert "A Reply Not Yet Sent" not in titles
