"""The Jekyll importer is safe to run: no overwrite, idempotent, dry runs, bad posts.

These run the command on small sites written in a temporary folder, as a
user would (its main() in this process: helpers.run_importer; the command
itself for --help and `make import-jekyll`); nothing here builds the site.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from essaysite.jekyll import urls
from essaysite.jekyll.frontmatter import parse_date, split, words
from essaysite.jekyll.text import decode
from helpers import run_importer

GOOD = "---\ntitle: Good Post\ntags: a b\n---\n\nGood text.\n"


def run(*args: str, dest: Path) -> subprocess.CompletedProcess:
    return run_importer(*args, "--dest", str(dest))


def make_site(root: Path, posts: dict[str, bytes | str]) -> Path:
    site = root / "jekyll"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: Test\n")
    for name, text in posts.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return site


def make_dest(root: Path) -> Path:
    dest = root / "essays"
    (dest / "posts").mkdir(parents=True)
    (dest / "conf.py").write_text("# the essay site\n")
    return dest


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path, {"_posts/2020-01-02-good.md": GOOD, "_posts/2020-01-03-other.md": GOOD.replace("Good", "Other")})


@pytest.fixture
def dest(tmp_path):
    return make_dest(tmp_path)


def test_help():
    result = subprocess.run([sys.executable, "-m", "essaysite.jekyll.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ["--dry-run", "--force", "--date", "--dest"]:
        assert option in result.stdout


def test_never_overwrites_without_force(site, dest):
    mine = dest / "posts" / "good.md"
    mine.write_text("my own essay\n")
    result = run(str(site), dest=dest)
    assert result.returncode == 1
    assert "posts/good.md: already exists with other content; not overwritten (use --force to replace it)" in result.stdout
    assert mine.read_text() == "my own essay\n"
    assert (dest / "posts" / "other.md").is_file()  # the rest still arrives
    forced = run(str(site), "--force", dest=dest)
    assert forced.returncode == 0, forced.stdout
    assert "posts/good.md (overwritten)" in forced.stdout
    assert "# Good Post" in mine.read_text()


def test_second_run_changes_nothing(site, dest):
    first = run(str(site), dest=dest)
    assert first.returncode == 0, first.stdout
    before = snapshot(dest)
    second = run(str(site), dest=dest)
    assert second.returncode == 0, second.stdout
    assert snapshot(dest) == before
    assert "(written)" not in second.stdout and second.stdout.count("(unchanged)") == 3  # two posts, redirects.json


def test_dry_run_writes_nothing_and_shows_the_plan(site, dest):
    before = snapshot(dest)
    result = run(str(site), "--dry-run", dest=dest)
    assert result.returncode == 0
    assert snapshot(dest) == before
    assert result.stdout.startswith("Plan (dry run, nothing written)")
    assert "_posts/2020-01-02-good.md -> posts/good.md (would write)" in result.stdout
    assert "redirects.json (would write)" in result.stdout


def test_no_temporary_files_left(site, dest):
    run(str(site), dest=dest)
    assert not [p for p in dest.rglob(".*") if p.is_file()]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("_posts/2020-02-01-bad-yaml.md", "---\ntitle: [unclosed\n---\n\nText\n", "front matter is not valid YAML"),
        ("_posts/2020-02-02-unclosed.md", "---\ntitle: x\n\nText\n", "front matter opened with '---' is never closed"),
        ("_posts/2020-02-03-bad-date.md", "---\ndate: someday soon\n---\n\nText\n", "line 2: date: 'someday soon' is not a date"),
        ("_posts/no-date-here.md", "---\ntitle: x\n---\n\nText\n", "no date"),
        ("_posts/2020-02-04-bytes.md", b"---\ntitle: x\n---\n\n\x81\x8d\x8f\x90\x9d\n", "neither utf-8 nor cp1252"),
        ("_posts/2020-02-05-list.md", "---\n- a\n- b\n---\n\nText\n", "front matter must be a mapping"),
    ],
)
def test_malformed_post_reported_and_the_rest_imported(tmp_path, name, content, reason):
    site = make_site(tmp_path, {"_posts/2020-01-02-good.md": GOOD, name: content})
    dest = make_dest(tmp_path)
    result = run(str(site), dest=dest)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    failed = result.stdout.split("Failed:\n", 1)[1]
    assert f"  {name}: " in failed and reason in failed
    assert (dest / "posts" / "good.md").is_file()
    assert "1 failure(s)" in result.stdout


def test_unreadable_post_reported(tmp_path):
    site = make_site(tmp_path, {"_posts/2020-01-02-good.md": GOOD})
    os.symlink(site / "nowhere.md", site / "_posts" / "2020-01-03-dangling.md")  # inside the site (one outside is refused: test_hostile)
    dest = make_dest(tmp_path)
    result = run(str(site), dest=dest)
    assert result.returncode == 1
    assert "_posts/2020-01-03-dangling.md: cannot be read" in result.stdout
    assert (dest / "posts" / "good.md").is_file()


def test_exit_zero_when_only_things_not_converted(tmp_path):
    site = make_site(tmp_path, {"_posts/2020-01-02-lost.md": "---\ntitle: Lost\n---\n\n![gone](/gone.png)\n\n{% unknown %}\n"})
    dest = make_dest(tmp_path)
    result = run(str(site), dest=dest)
    assert result.returncode == 0, result.stdout
    assert "    _posts/2020-01-02-lost.md:5: picture /gone.png not found" in result.stdout
    assert "    _posts/2020-01-02-lost.md:7: Liquid {% unknown %} not converted" in result.stdout


def test_single_file_needs_a_date(tmp_path):
    post = tmp_path / "undated.md"
    post.write_text(GOOD)
    dest = make_dest(tmp_path)
    result = run(str(post), dest=dest)
    assert result.returncode == 1
    assert "undated.md: no date" in result.stdout and "--date" in result.stdout
    ok = run(str(post), "--date", "2026-11-24", dest=dest)
    assert ok.returncode == 0 and (dest / "posts" / "good-post.md").read_text().startswith("---\ndate: 2026-11-24\n")


def test_bad_arguments_are_one_clear_message(tmp_path):
    dest = make_dest(tmp_path)
    missing = run(str(tmp_path / "nope"), dest=dest)
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr and "Traceback" not in missing.stderr
    not_site = run(str(tmp_path), dest=tmp_path / "nowhere")
    assert not_site.returncode == 2 and "not the essay site (no conf.py)" in not_site.stderr
    bad_date = run(str(tmp_path), "--date", "tomorrowish", dest=dest)
    assert bad_date.returncode == 2 and "--date 'tomorrowish' is not a date" in bad_date.stderr


def test_redirect_entries_never_replaced_without_force(site, dest):
    (dest / "redirects.json").write_text('{\n  "/2020/01/02/good.html": "posts/somewhere-else"\n}\n')
    result = run(str(site), dest=dest)
    assert result.returncode == 1
    assert "/2020/01/02/good.html already redirects to posts/somewhere-else" in result.stdout
    assert '"/2020/01/02/good.html": "posts/somewhere-else"' in (dest / "redirects.json").read_text()


# -- the rules underneath -----------------------------------------------------------------


@pytest.mark.parametrize(
    "style, url",
    [
        ("date", "/machine-learning/film/2019/03/04/My-Post.html"),
        ("pretty", "/machine-learning/film/2019/03/04/My-Post/"),
        ("ordinal", "/machine-learning/film/2019/063/My-Post.html"),
        ("none", "/machine-learning/film/My-Post.html"),
        ("/:year/:i_month/:i_day/:slug", "/2019/3/4/my-post"),
        ("/blog/:short_year/:title/", "/blog/19/My-Post/"),
    ],
)
def test_permalinks_follow_jekyll(style, url):
    values = urls.placeholders(dt.datetime(2019, 3, 4, 10, 30), "My-Post", ["Machine-Learning", "Film"])
    assert urls.post_url(urls.template_for(style), values) == url


def test_post_without_categories_has_no_empty_folder():
    values = urls.placeholders(dt.datetime(2019, 3, 4), "x", [])
    assert urls.post_url(urls.template_for("date"), values) == "/2019/03/04/x.html"


def test_title_from_file_name():
    assert urls.titleize("my-first-post") == "My First Post"


def test_dates_keep_what_the_author_saw():
    aware = parse_date("2019-03-04 01:30:00 +0500", "Europe/Paris")
    assert aware.shown == dt.datetime(2019, 3, 4, 1, 30) and aware.shown.tzinfo is None
    assert aware.local == dt.datetime(2019, 3, 3, 21, 30)
    assert parse_date("2019-03-04T10:00:00Z", None).local == dt.datetime(2019, 3, 4, 10, 0)


def test_lists_as_strings_or_lists():
    assert words("ai movie her") == ["ai", "movie", "her"]
    assert words(["ai", "machine learning"]) == ["ai", "machine learning"]
    front, body, _ = split("---\ndate: 2019-03-04 10:00:00 +0200\n---\nText")
    assert front["date"] == "2019-03-04 10:00:00 +0200" and body == "Text"


def test_text_repair_keeps_curly_quotes_and_entities():
    decoded = decode("“Curly” &amp; ﬁne â€“ dash\r\n".encode())
    assert decoded.text == "“Curly” &amp; ﬁne – dash\n"
    assert any("mojibake repaired" in c for c in decoded.changes)
    assert decode(b"\xef\xbb\xbfplain").text == "plain"
    assert decode("café".encode("cp1252")).text == "café"


def test_make_target_passes_arguments(tmp_path):
    """`make import-jekyll SRC=... ARGS=--dry-run` runs the command in the project, writing nothing."""
    from helpers import ROOT

    watched = [ROOT / "posts", ROOT / "redirects.json"]
    before = {p: snapshot(p) if p.is_dir() else p.exists() for p in watched}
    fixture = ROOT / "tests" / "data" / "jekyll-site"
    result = subprocess.run(["make", "-s", "-o", ".venv/.installed", "import-jekyll", f"SRC={fixture}", "ARGS=--dry-run"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Plan (dry run, nothing written): 13 post(s)")
    assert {p: snapshot(p) if p.is_dir() else p.exists() for p in watched} == before
    missing = subprocess.run(["make", "-s", "-o", ".venv/.installed", "import-jekyll"], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode != 0 and "make import-jekyll SRC=path/to/site" in missing.stdout + missing.stderr
