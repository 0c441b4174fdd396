"""Redirects that cannot work stop the build with a message naming them."""

import datetime as dt
import json

import pytest

from helpers import build_in_process, copy_root, output_files

HER = "posts/moving-house"
OTHER = """---
date: 2020-05-06
redirect_from: ["/taken.html"]
---

# Other Essay

Text.
"""


FUTURE = f"""---
date: {dt.date.today() + dt.timedelta(days=30)}
---

# Future Essay

Not yet.
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("redirects")
    src = copy_root("redirects", root / "src")
    redirects = {
        "/gone.html": "posts/no-such-essay",
        "/docs/about.html": HER,
        "/taken.html": HER,
        "/fine.html": HER,
        "/later.html": "posts/future",
    }
    (src / "posts" / "future.md").write_text(FUTURE)
    (src / "redirects.json").write_text(json.dumps(redirects))
    (src / "posts" / "other.md").write_text(OTHER)
    return build_in_process(src, root / "build")


def test_build_fails(broken):
    """Four warnings, one per redirect that cannot work: -W fails the build."""
    assert len(broken.warning_lines) == 4, broken.warnings


def test_missing_target_is_named(broken):
    assert "redirects.json: the redirect from /gone.html points at posts/no-such-essay, which is not a page of the site" in broken.warnings


def test_old_url_that_is_a_page_of_the_site_is_not_overwritten(broken):
    assert "redirect from /docs/about.html not written: the site has a page at docs/about.html" in broken.warnings
    assert "This page has moved" not in (broken.outdir / "docs" / "about.html").read_text()


def test_two_targets_for_one_old_url(broken):
    assert "posts/other.md" in broken.warnings and "redirect_from: /taken.html already redirects to " + HER in broken.warnings


def test_good_entries_still_written(broken):
    assert "This page has moved" in (broken.outdir / "fine.html").read_text()


def test_redirect_to_a_draft_waits_for_it(broken):
    assert "posts/future" not in broken.warnings.replace("redirect from /later.html waits for posts/future", "")
    assert not (broken.outdir / "later.html").exists()


MOVED = """---
date: 2020-05-06
redirect_from: {olds}
---

# Moved Essay

Text.
"""


@pytest.mark.parametrize("olds", [["/keep.html"], []], ids=["one removed", "all removed"])
def test_a_plain_rebuild_removes_redirects_no_longer_asked_for(tmp_path, olds):
    """Removing old URLs from redirect_from removes their pages (and an empty map), as a clean build has none."""
    src = copy_root("redirects", tmp_path / "src")
    (src / "posts" / "moving-house.md").unlink()
    essay = src / "posts" / "moved.md"
    essay.write_text(MOVED.format(olds=json.dumps(["/2019/03/04/old.html", "/keep.html"])))
    first = build_in_process(src, tmp_path / "build")
    assert first.warnings == ""
    assert "This page has moved" in (first.outdir / "2019" / "03" / "04" / "old.html").read_text()
    essay.write_text(MOVED.format(olds=json.dumps(olds)))
    again = build_in_process(src, tmp_path / "build")
    assert again.warnings == ""
    clean = build_in_process(src, tmp_path / "clean")
    assert clean.warnings == ""
    assert not (again.outdir / "2019").exists()
    assert list(output_files(again.outdir, theme_files=False)) == list(output_files(clean.outdir, theme_files=False))
    if olds:
        assert json.loads((again.outdir / "redirects.json").read_text()) == {"/keep.html": "http://127.0.0.1:8000/posts/moved.html"}
        assert "This page has moved" in (again.outdir / "keep.html").read_text()
    else:
        assert not (again.outdir / "redirects.json").exists() and not (again.outdir / "keep.html").exists()
