"""Related essays: up to three, by shared tags then category, never itself or a draft, in a stable order.

They are shown in the "Further reading" block after the essays linking here,
leaving out those already at the end of the essay (features.further_reading):
each test gives the three chosen, and the page must show those not shown
already, in that order.
"""

import pytest

from test_backlinks import aside_entries, linking_here, neighbours

pytestmark = pytest.mark.sphinx("html", testroot="linked")


def related(site, page, chosen=None):
    """The related essays the page shows (no "links here" note); checked against ``chosen``, the three ranked."""
    entries = aside_entries(site.outdir, page)
    shown = None if entries is None else [title for title, _, _, note in entries if note is None] or None
    if chosen is not None:
        elsewhere = set(linking_here(site.outdir, page)) | {title for title, _ in neighbours(site.outdir, page).values()}
        assert shown == ([t for t in chosen if t not in elsewhere] or None), (shown, chosen, elsewhere)
    return shown


def test_shared_tags_then_category_then_newest(built):
    # futures and minds share a tag and the category; walking and science fiction
    # share only the tag "ai": the limit of three keeps the newer one, walking.
    assert related(built, "posts/machines-tools.html", [
        "Machines and Us: Futures",
        "Machines and Us: Minds",
        "Walking in Cities",
    ]) == ["Walking in Cities"]


def test_more_shared_tags_come_before_a_shared_category(built):
    # Science fiction shares two tags (ai, ethics) but not the category.
    assert related(built, "posts/machines-minds.html", [
        "Film Notes: Science Fiction",
        "Machines and Us: Futures",
        "Machines and Us: Tools",
    ]) == ["Film Notes: Science Fiction"]


def test_a_shared_category_alone_makes_a_related_essay(built):
    # Walking links here too: listed once, marked.
    assert related(built, "posts/gardens.html", ["Walking in Cities"]) is None
    assert aside_entries(built.outdir, "posts/gardens.html") == [("Walking in Cities", "posts/walking.html", "01 May 2026", "links here")]


def test_none_when_nothing_is_shared(built):
    assert related(built, "posts/letters.html") is None


@pytest.mark.parametrize(
    "page",
    ["posts/machines-tools.html", "posts/machines-minds.html", "posts/machines-futures.html", "posts/film-scifi.html", "posts/walking.html"],
)
def test_never_itself_never_a_draft_at_most_three(built, page):
    titles = [title for title, _, _, _ in aside_entries(built.outdir, page) or []]
    own = built.outdir.joinpath(page)
    own_title = own.read_text().split("<h1>")[1].split("<")[0]
    assert titles and len(titles) <= 3
    assert own_title not in titles
    assert "A Reply Not Yet Sent" not in titles


def brute_force(essays, docname, tags, categories, limit=3):
    """Every essay sharing a tag or a category, ranked: what essaysite.features.related chose before it walked lists."""
    ranked = sorted(
        (-len(tags & t), -len(categories & c), -ts, name)
        for name, t, c, ts in essays
        if name != docname and (tags & t or categories & c)
    )
    return [name for *_, name in ranked[:limit]]


@pytest.mark.parametrize("seed", range(40))
def test_the_walk_chooses_what_comparing_with_every_essay_chooses(seed):
    """Random sites: few or many labels, shared dates, several categories; the same choice as the brute force."""
    import random

    from essaysite.features.related import choose, make_index

    rng = random.Random(seed)
    tag_pool = [f"t{i}" for i in range(rng.choice([2, 4, 12]))]
    category_pool = [f"c{i}" for i in range(rng.choice([1, 2, 5]))]
    essays = []
    for i in range(rng.choice([5, 40, 200])):
        tags = set(rng.sample(tag_pool, rng.randint(0, min(4, len(tag_pool)))))
        categories = set(rng.sample(category_pool, rng.randint(0, min(2, len(category_pool)))))
        essays.append((f"e{i:03d}", tags, categories, float(rng.randint(0, 30))))  # many essays share a date
    index = make_index(essays)
    for name, tags, categories, _ in essays:
        assert choose(index, name, tags, categories) == brute_force(essays, name, tags, categories), name
    # An essay that is not a candidate itself (a draft in a preview build).
    assert choose(index, "draft", {"t0"}, {"c0"}) == brute_force(essays, "draft", {"t0"}, {"c0"})
