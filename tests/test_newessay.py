"""make post: a new essay with valid front matter, never over an existing file, near-miss tags warned about."""

import datetime as dt

import pytest
import yaml

from helpers import make, parse, project_with_venv, sphinx_build

HER = "posts/exploring-the-depths-of-human-machine-relationships-in-her.md"


def front_matter(path):
    _, front, body = path.read_text().split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return project_with_venv(tmp_path_factory.mktemp("newessay") / "project")


@pytest.fixture(scope="module")
def written(project, build_server):
    """Three essays started with make post, then the site built."""
    runs = {
        "plain": make(project, "post", TITLE='Notes on "Arrival": language & time', TAGS="film, ai", CATEGORY="ai"),
        "draft": make(project, "post", TITLE="Unfinished Thoughts", TAGS="ai", DRAFT="1"),
        "near": make(project, "post", TITLE="Near Misses", TAGS="Movie, moive, her", CATEGORY="AI"),
    }
    build = sphinx_build(project, project / "_build" / "html", server=build_server)
    return runs, build


def test_post_writes_front_matter_and_heading(project, written):
    runs, _ = written
    assert runs["plain"].returncode == 0, runs["plain"].stderr
    assert runs["plain"].stdout.startswith("Wrote posts/notes-on-arrival-language-time.md")
    front, body = front_matter(project / "posts" / "notes-on-arrival-language-time.md")
    assert front == {"date": dt.date.today(), "tags": "film, ai", "category": "ai"}
    assert body.lstrip().splitlines()[0] == '# Notes on "Arrival": language & time'


def test_written_essays_build_and_are_listed(written):
    _, build = written
    assert build.ok, build.log
    blog = parse(build.outdir / "blog.html").text_content()
    assert 'Notes on "Arrival": language & time' in blog
    assert "Near Misses" in blog
    assert (build.outdir / "blog" / "tag" / "film.html").is_file()


def test_draft_is_a_draft(project, written):
    runs, build = written
    assert runs["draft"].returncode == 0, runs["draft"].stderr
    front, _ = front_matter(project / "posts" / "unfinished-thoughts.md")
    assert front["draft"] is True
    assert not (build.outdir / "posts" / "unfinished-thoughts.html").exists()
    assert "Unfinished Thoughts" not in parse(build.outdir / "blog.html").text_content()


def test_near_miss_tags_are_warned_about(project, written):
    runs, _ = written
    near = runs["near"]
    assert near.returncode == 0, near.stderr
    assert near.stderr.splitlines() == [
        f'warning: tag "Movie" differs only in case from "movie" ({HER}); written as "movie", since both would share one page',
        f'warning: tag "moive" is close to the existing tag "movie" ({HER}); check the spelling (kept as "moive", a new tag)',
        f'warning: category "AI" differs only in case from "ai" ({HER}); written as "ai", since both would share one page',
    ]
    front, _ = front_matter(project / "posts" / "near-misses.md")
    assert front["tags"] == "movie, moive, her"
    assert front["category"] == "ai"


def test_refuses_to_overwrite(project, written):
    essay = project / "posts" / "notes-on-arrival-language-time.md"
    essay.write_text(essay.read_text() + "\nMy own words.\n")
    before = essay.read_text()
    again = make(project, "post", TITLE='Notes on "Arrival": language & time')
    assert again.returncode != 0
    assert (
        "essays-new: posts/notes-on-arrival-language-time.md already exists and is left as it is; "
        "choose another title, or edit that file"
    ) in again.stderr
    assert essay.read_text() == before


def test_a_title_is_required(project):
    result = make(project, "post")
    assert result.returncode != 0
    assert 'essays-new: give the essay a title: make post TITLE="The title"' in result.stderr
    assert "Traceback" not in result.stderr
