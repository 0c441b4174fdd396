"""Drafts stay private: no trace of them in the public build."""

import datetime as dt

import pytest

from essaysite.features.drafts import find_drafts

from helpers import build_in_process, copy_root, local_file, output_files, parse

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
# Later today (or early tomorrow): ABlog would list it as "Draft" on the public site.
LATER = (dt.datetime.now() + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
# tests/roots/test-drafts has the first two; the dated ones are written here.
DRAFTS = {
    "undated-secret": None,
    "flagged-secret": None,
    "future-secret": f"---\ndate: {FUTURE}\ntags: ai\ncategory: futurecat\n---\n\n# Future Secret Essay\n\nZanzibarfuture text.\n",
    "later-secret": f"---\ndate: {LATER}\ntags: ai\ncategory: ai\n---\n\n# Later Secret Essay\n\nZanzibarlater text.\n",
}
MARKERS = ["Secret Essay", "secret", "Zanzibar", "secrettag", "futurecat"]
PUBLISHED = "posts/lighthouses.html"


def make_site(root):
    src = copy_root("drafts", root)
    for name, text in DRAFTS.items():
        if text is not None:
            (src / "posts" / f"{name}.md").write_text(text)
    assert sorted(p.stem for p in (src / "posts").glob("*-secret.md")) == sorted(DRAFTS)
    return src


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    root = tmp_path_factory.mktemp("drafts")
    build = build_in_process(make_site(root / "src"), root / "build")
    assert build.warnings == ""
    return build


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview")
    build = build_in_process(make_site(root / "src"), root / "build", env={"ESSAYS_DRAFTS": "1"})
    assert build.warnings == ""
    return build


def test_no_trace_of_drafts_in_any_public_file(public):
    files = list(output_files(public.outdir, theme_files=False).values())
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
    assert (public.outdir / PUBLISHED).is_file()


def test_preview_builds_the_drafts(preview):
    for name in DRAFTS:
        assert (preview.outdir / "posts" / f"{name}.html").is_file(), name


def test_no_draft_in_the_sitemap(public):
    """essaysite.features.sitemap writes sitemap.xml: drafts are not in it, and nothing of theirs is published."""
    import lxml.etree

    locations = [loc.text.strip() for loc in lxml.etree.parse(str(public.outdir / "sitemap.xml")).iter("{*}loc")]
    assert public.base_url + PUBLISHED in locations
    for loc in locations:
        for name in DRAFTS:
            assert name not in loc, loc
        target = local_file(public.outdir, public.base_url, loc)
        assert target is not None and target.is_file(), loc
    for name in DRAFTS:
        assert not [p for p in public.outdir.rglob(f"*{name}*")], name


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
    page = parse(preview.outdir / PUBLISHED)
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


# -- ESSAYS_DRAFTS: its spellings ------------------------------------------------

OFF_SPELLINGS = ["Off", "OFF", "False", "NO", "0", "", " no "]
ON_SPELLINGS = ["1", "true", "True", "YES", "On", "on"]


@pytest.mark.parametrize("value", OFF_SPELLINGS)
def test_every_spelling_of_off_keeps_drafts_out(value):
    from essaysite.features.drafts import preview_setting

    assert preview_setting(value) is False


@pytest.mark.parametrize("value", ON_SPELLINGS)
def test_every_spelling_of_on_builds_the_drafts(value):
    from essaysite.features.drafts import preview_setting

    assert preview_setting(value) is True


def test_drafts_off_in_capitals_publishes_no_draft(tmp_path):
    """ESSAYS_DRAFTS=Off once published every draft: only "", 0, false and no counted as off."""
    build = build_in_process(make_site(tmp_path / "src"), tmp_path / "build", env={"ESSAYS_DRAFTS": "Off"})
    assert (build.outdir / PUBLISHED).is_file()
    for name in DRAFTS:
        assert not (build.outdir / "posts" / f"{name}.html").exists(), name


@pytest.mark.parametrize("value", ["maybe", "2", "draft"])
def test_a_value_not_understood_stops_the_build_with_a_message(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as stopped:
        build_in_process(make_site(tmp_path / "src"), tmp_path / "build", env={"ESSAYS_DRAFTS": value})
    assert stopped.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()
    assert message == [
        f"ESSAYS_DRAFTS={value!r} is not understood: write 1, true, yes or on to build the drafts too, "
        "0, false, no or off (or leave it unset) to keep them out"
    ]
    assert not (tmp_path / "build" / "html" / "posts").exists()


def test_drafts_stay_out_in_a_folder_named_with_brackets(tmp_path):
    """Essays and drafts are matched inside the project: ABlog's own match (the patterns joined to the
    folder's path) found no essay in a folder named like "site [v2]", which left every draft a public page."""
    build = build_in_process(make_site(tmp_path / "site [v2]" / "src"), tmp_path / "build")
    assert build.warnings == ""
    names = {p.relative_to(build.outdir).as_posix() for p in output_files(build.outdir, theme_files=False).values()}
    assert PUBLISHED in names
    assert not any("-secret" in name for name in names), sorted(names)
    for path in output_files(build.outdir, theme_files=False).values():
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} found in {path.relative_to(build.outdir)}"
    # The essay is ABlog's post: listed on the blog's page.
    assert [a.text_content() for a in parse(build.outdir / "blog.html").xpath("//article//h2/a")] == ["Lighthouses"]
