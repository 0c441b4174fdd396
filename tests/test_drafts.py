"""Drafts stay private: no trace of them in the public build."""

import datetime as dt

import pytest

from helpers import clean_env, copy_site, sphinx_build

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
DRAFTS = {
    "undated-secret": "---\ntags: ai\ncategory: ai\n---\n\n# Undated Secret Essay\n\nZanzibarundated text.\n",
    "flagged-secret": "---\ndate: 2026-11-01\ndraft: true\ntags: secrettag\ncategory: ai\n---\n\n# Flagged Secret Essay\n\nZanzibarflagged text.\n",
    "future-secret": f"---\ndate: {FUTURE}\ntags: ai\ncategory: futurecat\n---\n\n# Future Secret Essay\n\nZanzibarfuture text.\n",
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


def test_sitemap_and_previews_leave_drafts_out(public):
    sitemap = (public.outdir / "sitemap.xml").read_text()
    assert "exploring-the-depths-of-human-machine-relationships-in-her.html" in sitemap
    for name in DRAFTS:
        assert name not in sitemap
        assert not [p for p in public.outdir.rglob(f"*{name}*")], name
