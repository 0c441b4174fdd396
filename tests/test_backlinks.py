"""Backlinks: the end of an essay marks the published essays linking to it "links here", each once (features.further_reading)."""

import pytest

from helpers import LINKED_ESSAYS, build_root, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")


def aside_entries(outdir, page, kind="essay-further-reading"):
    """(title, target page, date, note) of each entry of an essay's "Further reading", or None without one."""
    path = outdir / page
    asides = parse(path).xpath(f"//article//aside[contains(@class,'{kind}')]")
    if not asides:
        return None
    (aside,) = asides
    entries = []
    for li in aside.xpath(".//li"):
        (a,) = li.xpath(".//a")
        target = (path.parent / a.get("href")).resolve().relative_to(outdir.resolve()).as_posix()
        date = li.xpath(".//*[contains(@class,'essay-date')]")[0].text_content()
        note = li.xpath(".//*[contains(@class,'essay-links-here')]")
        entries.append((a.text_content(), target, date, note[0].text_content() if note else None))
    return entries


def neighbours(outdir, page):
    """{"previous"/"next": (title, whether it is marked "links here")} of the bar after the block."""
    found = {}
    for step, css in (("previous", "essay-prev"), ("next", "essay-next")):
        for p in parse(outdir / page).xpath(f"//nav[contains(@class,'essay-prev-next')]/p[contains(@class,'{css}')]"):
            found[step] = (p.xpath(".//a")[0].text_content(), bool(p.xpath(".//*[contains(@class,'essay-links-here')]")))
    return found


def linking_here(outdir, page):
    """Titles of the essays the end of ``page`` marks "links here": the block's, then the previous/next bar's."""
    marked = [title for title, _, _, note in aside_entries(outdir, page) or [] if note == "links here"]
    return marked + [title for title, links in neighbours(outdir, page).values() if links]


def test_links_here_newest_first_each_essay_once(built):
    # Both link to machines-tools: futures by {ref}`tools-conclusion` (a label on a
    # section), minds by {ref}`machines-tools`. Minds is also the next essay: shown
    # there, marked, and not in the block.
    assert aside_entries(built.outdir, "posts/machines-tools.html") == [
        ("Machines and Us: Futures", "posts/machines-futures.html", "10 March 2026", "links here"),
        # then the related essays not yet shown (futures and minds are)
        ("Walking in Cities", "posts/walking.html", "01 May 2026", None),
    ]
    assert neighbours(built.outdir, "posts/machines-tools.html") == {
        "previous": ("Film Notes: Science Fiction", False),
        "next": ("Machines and Us: Minds", True),
    }


@pytest.mark.parametrize(
    "page, referrers",
    [
        ("posts/machines-minds.html", ["Machines and Us: Futures"]),  # a path link; futures is also the next essay
        ("posts/machines-futures.html", ["Film Notes: Science Fiction"]),
        ("posts/film-noir.html", ["Film Notes: Science Fiction"]),  # the next essay too
        ("posts/gardens.html", ["Walking in Cities"]),
    ],
)
def test_each_link_of_the_chain_is_marked(built, page, referrers):
    assert linking_here(built.outdir, page) == referrers


@pytest.mark.parametrize("page", ["posts/letters.html", "posts/walking.html", "posts/film-scifi.html"])
def test_nothing_marked_when_nobody_links(built, page):
    assert linking_here(built.outdir, page) == []
    assert "links here" not in parse(built.outdir / page).text_content()
    assert "Referenced by" not in parse(built.outdir / page).text_content()


@pytest.mark.parametrize("page", sorted(p.name for p in LINKED_ESSAYS.glob("*.md") if "draft: true" not in p.read_text()))
def test_the_end_lists_each_essay_once_and_never_itself(built, page):
    page = f"posts/{page.removesuffix('.md')}.html"
    block = [title for title, _, _, _ in aside_entries(built.outdir, page) or []]
    bar = [title for title, _ in neighbours(built.outdir, page).values()]
    own = parse(built.outdir / page).xpath("//article//h1")[0].text_content().rstrip("#")
    assert len(block + bar) == len(set(block + bar)), (block, bar)
    assert own not in block + bar


def test_heading_says_further_reading(built):
    page = parse(built.outdir / "posts/machines-tools.html")
    (heading,) = page.xpath("//aside[contains(@class,'essay-further-reading')]/h2")
    assert heading.text_content() == "Further reading"
    assert not page.xpath("//aside[contains(@class,'essay-backlinks') or contains(@class,'essay-related')]")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The linked essays built as `make live` builds them: drafts too."""
    build = build_root("linked", tmp_path_factory.mktemp("backlinks-preview"), env={"ESSAYS_DRAFTS": "1"})
    assert build.warnings == ""
    return build


def test_a_draft_never_appears_even_in_preview(preview, built):
    # The draft is built in the preview and links to these two essays ...
    assert (preview.outdir / "posts/draft-reply.html").is_file()
    # ... yet their backlinks are the same as in the public build.
    for page in ("posts/machines-tools.html", "posts/machines-minds.html"):
        assert aside_entries(preview.outdir, page) == aside_entries(built.outdir, page)
        assert neighbours(preview.outdir, page) == neighbours(built.outdir, page)
        assert "A Reply Not Yet Sent" not in " ".join(t for t, _, _, _ in aside_entries(preview.outdir, page))
