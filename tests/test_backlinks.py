"""Backlinks: "Referenced by" lists the published essays linking to an essay, newest first."""

import pytest

from helpers import build_root, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")


def aside_entries(outdir, page, kind="essay-backlinks"):
    """(title, target page, date) of each entry of an essay's aside, or None without one."""
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
        entries.append((a.text_content(), target, date))
    return entries


def test_referenced_by_newest_first(built):
    assert aside_entries(built.outdir, "posts/machines-tools.html") == [
        # {ref}`tools-conclusion` (a label on a section) counts as a link to the essay
        ("Machines and Us: Futures", "posts/machines-futures.html", "10 March 2026"),
        # {ref}`machines-tools` (the essay's own label)
        ("Machines and Us: Minds", "posts/machines-minds.html", "10 February 2026"),
    ]


@pytest.mark.parametrize(
    "page, referrers",
    [
        ("posts/machines-minds.html", ["Machines and Us: Futures"]),  # a path link
        ("posts/machines-futures.html", ["Film Notes: Science Fiction"]),
        ("posts/film-noir.html", ["Film Notes: Science Fiction"]),
        ("posts/gardens.html", ["Walking in Cities"]),
    ],
)
def test_each_link_of_the_chain_is_a_backlink(built, page, referrers):
    assert [title for title, _, _ in aside_entries(built.outdir, page)] == referrers


@pytest.mark.parametrize("page", ["posts/letters.html", "posts/walking.html", "posts/film-scifi.html"])
def test_no_referenced_by_when_nobody_links(built, page):
    assert aside_entries(built.outdir, page) is None
    assert "Referenced by" not in parse(built.outdir / page).text_content()


def test_heading_says_referenced_by(built):
    page = parse(built.outdir / "posts/machines-tools.html")
    (heading,) = page.xpath("//aside[contains(@class,'essay-backlinks')]/h2")
    assert heading.text_content() == "Referenced by"


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
        assert "A Reply Not Yet Sent" not in " ".join(t for t, _, _ in aside_entries(preview.outdir, page))
