"""Front matter checked before ABlog sees it: safe corrections, or one clear message per problem."""

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import PARALLEL_OPTIONS, build_in_process, copy_root, parse, sphinx_build


# Each broken essay, and the exact line the build must print for it.
BROKEN = {
    "list-in-category": "---\ndate: 2026-11-20\ntags: ai\ncategory: [\"film, books\", ai]\n---\n\n# A\n\nText.\n",
    "list-in-title": "---\ndate: 2026-11-20\ntitle: [One, Two]\n---\n\n# B\n\nText.\n",
    "flag-with-a-word": "---\ndate: 2026-11-20\nnocomments: sometimes\n---\n\n# C\n\nText.\n",
    "unknown-key": "---\ndate: 2026-11-20\ntgas: ai\n---\n\n# D\n\nText.\n",
    "invalid-date": "---\ndate: 2026-13-45\n---\n\n# E\n\nText.\n",
    "worded-date": "---\ndate: 24/11/2026\n---\n\n# F\n\nText.\n",
    "no-heading": "---\ndate: 2026-11-20\ntags: ai\n---\n\n## Only a section\n\nText.\n\n```\n# not a heading, inside code\n```\n",
    "case-tag": "---\ndate: 2026-11-20\ncategory: ai\ntags: Movie, AI-essays\n---\n\n# G\n\nText.\n",
    "case-tag-other": "---\ndate: 2026-11-20\ncategory: Ai\ntags: ai essays\n---\n\n# H\n\nText.\n",
    "label-one": "---\ndate: 2026-11-20\n---\n\n(shared-label)=\n# I\n\nText.\n",
    "label-two": "---\ndate: 2026-11-20\n---\n\n# J\n\nText.\n\n(Shared-Label)=\n## Section\n\nText.\n",
    "label-essay-name": "---\ndate: 2026-11-20\n---\n\n# K\n\n(label-one)=\n## Section\n\nText.\n",
    "image-path": "---\ndate: 2026-11-20\nimage: images/her-cover.svg\n---\n\n# L\n\nText.\n",
    "draft-empty": "---\ndate: 2026-11-20\ndraft:\n---\n\n# M\n\nText.\n",
    "bad-yaml": "---\ndate: 2026-11-20\ntags: [ai, film\n---\n\n# N\n\nText.\n",
    "no-front-matter": "# O\n\nText.\n",
    "key-twice": "---\ndate: 2026-11-20\ntags: ai\ntags: film\n---\n\n# P\n\nText.\n",
}
MESSAGES = {
    "list-in-category": 'posts/list-in-category.md:4: category: use a comma-separated string, not a list',
    "list-in-title": "posts/list-in-title.md:3: title: use a single value, not a list",
    "flag-with-a-word": 'posts/flag-with-a-word.md:3: nocomments: a flag is true or false, not "sometimes"; write nocomments: true',
    "unknown-key": 'posts/unknown-key.md:3: tgas: unknown key; did you mean "tags"?',
    "invalid-date": 'posts/invalid-date.md:2: date: "2026-13-45" is not a date; write it as 2026-11-24 or 2026-11-24 18:30',
    "worded-date": 'posts/worded-date.md:2: date: "24/11/2026" is not a date; write it as 2026-11-24 or 2026-11-24 18:30 ("24/11/2026" would be read as 2026-11-24)',
    "no-heading": 'posts/no-heading.md:5: heading: no "# Title" line; an essay needs one top-level heading, its title, or it is not an essay',
    "case-tag": 'posts/case-tag.md:4: tags: "Movie" differs only in case from "movie" (posts/cinema-nights.md:3); they share one page, use "movie"',
    "case-tag-punctuation": 'posts/case-tag.md:4: tags: "AI-essays" differs only in case or punctuation from "ai essays" (posts/case-tag-other.md:4); they share one page, use "ai essays"',
    "case-category": 'posts/case-tag-other.md:3: category: "Ai" differs only in case from "ai" (posts/case-tag.md:3); they share one page, use "ai"',
    "label-two": 'posts/label-two.md:9: label: "shared-label" is already defined by posts/label-one.md:5; rename it',
    "label-essay-name": "posts/label-essay-name.md:7: label: \"label-one\" is already defined by posts/label-one.md (ABlog's label for the essay); rename it",
    "image-path": 'posts/image-path.md:3: image: use a whole number from 0 (the Nth picture of the essay goes into its excerpt), not a path; "images/her-cover.svg" is not one',
    "draft-empty": "posts/draft-empty.md:3: draft: empty; write draft: true (or remove the line to publish)",
    "bad-yaml": "posts/bad-yaml.md:3: front matter: not valid YAML: expected ',' or ']', but got '<stream end>'",
    "no-front-matter": 'posts/no-front-matter.md:1: front matter: missing; start the file with a "---" line, the keys, and a closing "---" line',
    "key-twice": "posts/key-twice.md:4: tags: given twice (also on line 3); keep one",
    "subfolder": "posts/2026/in-a-subfolder.md:1: file: not an essay: essays are the files posts/*.md; move it up into that folder",
}

# Slips the build corrects, with the notice it prints.
CORRECTABLE = (
    "---\n"
    "date: 2026-11-24T23:30:00-05:00\n"
    "category: [film, books]\n"
    "tags:\n  - café\n  - ai\n"
    "nocomments: true\n"
    "exclude: false\n"
    "location:\n"
    "author: Jane Doe, , John Roe\n"
    "---\n\n# Corrected Essay\n\nThe first paragraph.\n"
)


@dataclass
class Stopped:
    """A build in this process that an extension ended with SystemExit while it started."""

    srcdir: Path
    outdir: Path
    code: int | str | None
    stderr: str


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("frontmatter-broken")
    src = copy_root("frontmatter", root / "src")
    for name, text in BROKEN.items():
        (src / "posts" / f"{name}.md").write_text(text)
    (src / "posts" / "2026").mkdir()
    (src / "posts" / "2026" / "in-a-subfolder.md").write_text("---\ndate: 2026-11-20\n---\n\n# Q\n\nText.\n")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stopped:
        build_in_process(src, root / "build")
    return Stopped(src, root / "build" / "html", stopped.value.code, stderr.getvalue())


@pytest.fixture(scope="module")
def broken_on_read_the_docs(broken, tmp_path_factory):
    """The same site built the way Read the Docs builds (-T: full tracebacks on errors)."""
    out = tmp_path_factory.mktemp("frontmatter-rtd") / "html"
    return sphinx_build(broken.srcdir, out, options=("-T", "-W", "--keep-going"))


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    root = tmp_path_factory.mktemp("frontmatter-corrected")
    src = copy_root("frontmatter", root / "src")
    (src / "posts" / "corrected.md").write_text(CORRECTABLE)
    build = build_in_process(src, root / "build")
    assert build.warnings == ""
    return build


def test_build_stops_cleanly(broken):
    assert broken.code == 1
    assert "Traceback" not in broken.stderr
    assert "Exception" not in broken.stderr and "Error" not in broken.stderr
    assert broken.stderr.strip().splitlines()[-1].startswith(f"Front matter: {len(MESSAGES)} problems; the build stopped")
    # Nothing was read, let alone written.
    assert not (broken.outdir / "index.html").exists()


def test_build_stops_cleanly_on_read_the_docs(broken_on_read_the_docs):
    build = broken_on_read_the_docs
    assert build.result.returncode == 1
    assert "Traceback" not in build.log
    assert MESSAGES["unknown-key"] in build.result.stderr.splitlines()


@pytest.mark.parametrize("case", sorted(MESSAGES))
def test_one_message_per_problem(broken, case):
    lines = broken.stderr.splitlines()
    assert MESSAGES[case] in lines, broken.stderr


def test_nothing_else_reported(broken):
    lines = [line for line in broken.stderr.splitlines() if line.startswith("posts/")]
    assert sorted(lines) == sorted(MESSAGES.values())


def test_corrections_are_announced(corrected):
    out = corrected.status.splitlines()
    assert (
        "posts/corrected.md:2: date: dates carry no time zone; read as 2026-11-24 23:30, "
        "the time written in its own zone (-05:00)"
    ) in out
    assert 'posts/corrected.md:3: category: use a comma-separated string, not a list; read as "film, books"' in out
    assert "Traceback" not in corrected.status + corrected.warnings


def test_timezone_aware_date_is_the_local_date(corrected):
    page = parse(corrected.outdir / "blog.html")
    dates = {
        a.text_content(): t.get("datetime")
        for article in page.xpath("//article")
        for a in article.xpath(".//h2/a")
        for t in article.xpath(".//time")
    }
    # 23:30 at -05:00 is already the 25th in UTC; the author's day was the 24th.
    assert dates["Corrected Essay"] == "2026-11-24"


def test_list_category_becomes_categories(corrected):
    categories = corrected.outdir / "blog" / "category"
    for name in ("film", "books"):
        page = parse(categories / f"{name}.html")
        assert "Corrected Essay" in page.text_content()
    names = {p.name for p in categories.glob("*.html")}
    assert names == {"ai.html", "film.html", "books.html"}


def test_list_tags_keep_their_letters(corrected):
    page = parse(corrected.outdir / "blog" / "tag" / "cafe.html")
    heading = page.xpath("//section[contains(@class,'ablog__collection')]/h1")[0].text_content()
    assert "café" in heading and "\\u00e9" not in heading


def test_empty_values_make_no_collection(corrected):
    assert not list(corrected.outdir.rglob("null*"))
    authors = {p.name for p in (corrected.outdir / "blog" / "author").glob("*.html")}
    assert authors == {"jane-doe.html", "john-roe.html"}
    assert not (corrected.outdir / "blog" / "location").exists()


def test_flags_true_and_false_are_accepted(corrected):
    # nocomments: true used to raise "no argument is allowed"; exclude: false
    # must not hide the essay from the lists.
    assert "Corrected Essay" in parse(corrected.outdir / "blog.html").text_content()


def test_the_author_file_is_untouched(corrected):
    assert (corrected.srcdir / "posts" / "corrected.md").read_text() == CORRECTABLE


@pytest.fixture(scope="module")
def broken_in_parallel(broken, tmp_path_factory):
    """The same site with -j 2, parallel from the first essay: a first build checks its essays in two processes."""
    out = tmp_path_factory.mktemp("frontmatter-parallel") / "html"
    return sphinx_build(broken.srcdir, out, options=("-n", "-W", "--keep-going", *PARALLEL_OPTIONS))


def test_parallel_check_reports_the_same_problems(broken, broken_in_parallel):
    build = broken_in_parallel
    assert build.result.returncode == 1
    assert "Traceback" not in build.log
    ours = [line for line in build.result.stderr.splitlines() if line.startswith("posts/")]
    theirs = [line for line in broken.stderr.splitlines() if line.startswith("posts/")]
    assert ours == theirs  # the same messages, in the same order
    assert build.result.stderr.strip().splitlines()[-1] == broken.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("yaml_text", ["deep: " + "[" * 3000 + "]" * 3000, "".join(f"{'  ' * i}k{i}:\n" for i in range(3000)) + "  " * 3000 + "v: 1"])
def test_deep_yaml_in_a_page_that_is_not_an_essay_is_a_message(tmp_path, yaml_text):
    """A page (not an essay) with YAML nested thousands of levels deep: one line at its file, not MyST's RecursionError."""
    src = copy_root("frontmatter", tmp_path / "src")
    (src / "about.md").write_text(f"---\n{yaml_text}\n---\n\n# About\n\nText.\n")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stopped:
        build_in_process(src, tmp_path / "build")
    assert stopped.value.code == 1
    lines = stderr.getvalue().splitlines()
    assert "Traceback" not in stderr.getvalue()
    assert lines[0].startswith("about.md:") and ": front matter: nested more than 20 levels deep" in lines[0], lines
    assert lines[-1].startswith("Front matter: 1 problem; the build stopped before reading any page")


def test_a_folder_named_like_a_pattern_still_has_its_essays_checked(tmp_path):
    """The essays are matched inside the project: brackets in a folder's name are not a pattern that finds no essay."""
    src = copy_root("frontmatter", tmp_path / "site [v2]" / "src")
    (src / "posts" / "key-twice.md").write_text(BROKEN["key-twice"])
    (src / "posts" / "2026" / "06").mkdir(parents=True)
    (src / "posts" / "2026" / "06" / "deeper.md").write_text("---\ndate: 2026-11-20\n---\n\n# Q\n\nText.\n")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stopped:
        build_in_process(src, tmp_path / "build")
    assert stopped.value.code == 1
    lines = [line for line in stderr.getvalue().splitlines() if line.startswith("posts/")]
    assert lines == [
        "posts/2026/06/deeper.md:1: file: not an essay: essays are the files posts/*.md; move it up into that folder",
        MESSAGES["key-twice"],
    ]


def test_what_the_check_learnt_is_saved_only_when_it_changed(tmp_path):
    """A rebuild with no change leaves the check's file as it is (at 10,000 essays, 2 MB written for nothing); an edit saves it."""
    src = copy_root("frontmatter", tmp_path / "src")
    (src / "posts" / "corrected.md").write_text(CORRECTABLE)
    learnt = tmp_path / "build" / "doctrees" / "essaysite-frontmatter.pickle"
    build_in_process(src, tmp_path / "build")
    first = learnt.stat().st_mtime_ns
    build_in_process(src, tmp_path / "build")
    assert learnt.stat().st_mtime_ns == first
    essay = src / "posts" / "corrected.md"
    essay.write_text(CORRECTABLE.replace("The first paragraph.", "The first paragraph, edited."))
    build_in_process(src, tmp_path / "build")
    assert learnt.stat().st_mtime_ns != first


def test_an_essay_named_like_a_pattern_is_refused(tmp_path):
    """Sphinx reads a draft's name in exclude_patterns as a pattern: ``secret[1].md`` would leave out ``secret1.md``, not itself."""
    src = copy_root("frontmatter", tmp_path / "src")
    (src / "posts" / "secret[1].md").write_text("---\ndate: 2026-11-20\ndraft: true\n---\n\n# S\n\nText.\n")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stopped:
        build_in_process(src, tmp_path / "build")
    assert stopped.value.code == 1
    lines = [line for line in stderr.getvalue().splitlines() if line.startswith("posts/")]
    assert lines == ["posts/secret[1].md:1: file: its name has [ ], which Sphinx reads as a pattern; rename it without [ ] * ?"]
    assert not (tmp_path / "build" / "html").exists() or not list((tmp_path / "build" / "html").rglob("*.html"))
