"""Drafts stay private: no trace of them in the public build."""

import datetime as dt

import pytest

from essaysite.features.drafts import find_drafts

from helpers import clean_env, copy_site, local_file, parse, sphinx_build

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
# Later today (or early tomorrow): ABlog would list it as "Draft" on the public site.
LATER = (dt.datetime.now() + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
DRAFTS = {
    "undated-secret": "---\ntags: ai\ncategory: ai\n---\n\n# Undated Secret Essay\n\nZanzibarundated text.\n",
    "flagged-secret": "---\ndate: 2026-11-01\ndraft: true\ntags: secrettag\ncategory: ai\n---\n\n# Flagged Secret Essay\n\nZanzibarflagged text.\n",
    "future-secret": f"---\ndate: {FUTURE}\ntags: ai\ncategory: futurecat\n---\n\n# Future Secret Essay\n\nZanzibarfuture text.\n",
    "later-secret": f"---\ndate: {LATER}\ntags: ai\ncategory: ai\n---\n\n# Later Secret Essay\n\nZanzibarlater text.\n",
}
MARKERS = ["Secret Essay", "secret", "Zanzibar", "secrettag", "futurecat"]


def make_site(root):
    src = copy_site(root)
    for name, text in DRAFTS.items():
        (src / "posts" / f"{name}.md").write_text(text)
    return src


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    root = tmp_path_factory.mktemp("drafts")
    build = sphinx_build(make_site(root / "src"), root / "html")
    assert build.ok, build.log
    return build


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview")
    build = sphinx_build(make_site(root / "src"), root / "html", env=clean_env(ESSAYS_DRAFTS="1"))
    assert build.ok, build.log
    return build


def test_no_trace_of_drafts_in_any_public_file(public):
    files = [p for p in public.outdir.rglob("*") if p.is_file() and "_static" not in p.parts]
    assert any(p.name == "searchindex.js" for p in files)
    assert any(p.name == "atom.xml" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} found in {path.relative_to(public.outdir)}"


def test_no_drafts_page(public):
    assert not (public.outdir / "blog" / "drafts.html").exists()
    assert (public.outdir / "blog.html").is_file()


def test_published_essay_still_there(public):
    assert (public.outdir / "posts" / "exploring-the-depths-of-human-machine-relationships-in-her.html").is_file()


def test_preview_builds_the_drafts(preview):
    for name in DRAFTS:
        assert (preview.outdir / "posts" / f"{name}.html").is_file(), name


def test_no_draft_in_the_sitemap(public):
    """sphinx-sitemap (issue 7) writes sitemap.xml: drafts must not be in it."""
    sitemap = public.outdir / "sitemap.xml"
    if not sitemap.exists():
        pytest.skip("this build writes no sitemap.xml (sphinx-sitemap is not installed)")
    import lxml.etree

    locations = [loc.text.strip() for loc in lxml.etree.parse(str(sitemap)).iter("{*}loc")]
    assert any("exploring-the-depths" in loc for loc in locations)
    for loc in locations:
        for name in DRAFTS:
            assert name not in loc, loc
        target = local_file(public.outdir, public.base_url, loc)
        assert target is not None and target.is_file(), loc


@pytest.mark.parametrize(
    "name, reason",
    [
        ("undated-secret", "it has no date"),
        ("flagged-secret", "its front matter says draft: true"),
        ("future-secret", f"it is dated {FUTURE}, in the future"),
    ],
)
def test_preview_marks_drafts_with_a_banner(preview, name, reason):
    page = parse(preview.outdir / "posts" / f"{name}.html")
    article = page.xpath("//article[contains(@class, 'bd-article')]")[0]
    banners = article.xpath(".//div[contains(@class, 'essay-draft')]")
    assert len(banners) == 1
    assert banners[0].xpath("./p[contains(@class, 'admonition-title')]")[0].text_content() == "Draft"
    assert reason in banners[0].text_content()
    # Right under the essay's title.
    heading = article.xpath(".//h1")[0]
    assert heading.getparent().index(heading) + 1 == heading.getparent().index(banners[0])


def test_preview_published_essay_has_no_banner(preview):
    page = parse(preview.outdir / "posts" / "exploring-the-depths-of-human-machine-relationships-in-her.html")
    assert not page.xpath("//*[contains(@class, 'essay-draft')]")
    assert "Draft" not in page.xpath("//article[contains(@class, 'bd-article')]")[0].text_content()


def test_preview_lists_show_draft_not_a_date(preview):
    page = parse(preview.outdir / "blog.html")
    for article in page.xpath("//article[contains(@class, 'ablog-post')]"):
        title = article.xpath(".//h2/a")[0].text_content()
        date_cell = article.xpath(".//li[contains(@class, 'ablog__date')]")[0].text_content().strip()
        assert (date_cell == "Draft") == ("Secret" in title), title


def test_a_future_essay_is_public_once_its_date_has_passed(tmp_path):
    src = make_site(tmp_path / "src")
    on_the_day = dt.datetime.combine(dt.date.fromisoformat(FUTURE), dt.time(0, 1))
    assert "posts/future-secret.md" in find_drafts(src, ["posts/*.md"])
    assert "posts/future-secret.md" in find_drafts(src, ["posts/*.md"], now=on_the_day - dt.timedelta(minutes=2))
    assert "posts/future-secret.md" not in find_drafts(src, ["posts/*.md"], now=on_the_day)
    # draft: true and undated essays stay drafts whatever the date.
    assert {"posts/flagged-secret.md", "posts/undated-secret.md"} <= set(find_drafts(src, ["posts/*.md"], now=on_the_day))
def test_sitemap_and_previews_leave_drafts_out(public):
    sitemap = (public.outdir / "sitemap.xml").read_text()
    assert "exploring-the-depths-of-human-machine-relationships-in-her.html" in sitemap
    for name in DRAFTS:
        assert name not in sitemap
        assert not [p for p in public.outdir.rglob(f"*{name}*")], name
