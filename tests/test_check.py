"""make check: front matter, internal links and #anchors in pages and feeds, pictures and alt text."""

import http.server
import json
import re
import socket
import subprocess
import threading

import pytest

from helpers import ROOT, make, project_with_venv

HER = "exploring-the-depths-of-human-machine-relationships-in-her"
# An essay with one slip of each kind. Raw HTML passes Sphinx's own checks,
# which is what makes these slips possible in a built site.
PLANTED = f"""---
date: 2026-11-20
tags: ai
category: ai
cover: images/no-such-cover.svg
---

# Planted Problems

The opening paragraph, which becomes the excerpt.

A <a href="no-such-page.html">link to nowhere</a>, a
<a href="{HER}.html#no-such-section">link to a missing section</a> and a
<a href="{HER}.html#intro">link to a section that exists</a>.

<img src="images/no-such-picture.png" alt="A picture that is not there">

![](images/her-cover.svg)

```{{image}} images/her-cover.svg
```
"""

# A relative link in the first paragraph works on the essay's page, but the
# paragraph is also the excerpt on the home page and the lists.
EXCERPT_LINK = f"""---
date: 2026-11-21
tags: ai
category: ai
---

# Excerpt Link

An opening paragraph with <a href="{HER}.html#intro">a raw link</a>.
"""


MISSING_ESSAY = """---
date: 2026-11-22
tags: ai
category: ai
---

# Missing Essay

The opening paragraph.

A [link to an essay not written yet](nothing.md).
"""

# A citation of a key the site's .bib file does not have.
UNKNOWN_CITATION = """---
date: 2026-11-23
tags: ai
category: ai
---

# Unknown Citation

The opening paragraph.

As nobody wrote {cite:p}`turing1905`.
"""

# A front matter that would stop the build: the check says so and builds nothing.
UNUSABLE = """---
date: someday
tags: ai
---

# Unusable
"""


@pytest.fixture(scope="module")
def clean_check(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("check-clean") / "project")
    return make(project, "check")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("check-planted") / "project")
    (project / "posts" / "planted.md").write_text(PLANTED)
    (project / "posts" / "excerpt-link.md").write_text(EXCERPT_LINK)
    (project / "posts" / "missing-essay.md").write_text(MISSING_ESSAY)
    (project / "posts" / "unknown-citation.md").write_text(UNKNOWN_CITATION)
    result = make(project, "check")
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make:")]
    return result, lines[:-1], lines[-1]


def essays_in(project_posts) -> int:
    return len(list(project_posts.glob("*.md")))


def test_the_site_passes_and_says_what_it_checked(clean_check):
    assert clean_check.returncode == 0, clean_check.stdout + clean_check.stderr
    assert clean_check.stderr == ""
    summary = clean_check.stdout.splitlines()
    assert len(summary) == 1, clean_check.stdout
    essays = essays_in(ROOT / "posts")
    match = re.fullmatch(rf"checked {essays} essays?, (\d+) links, (\d+) pictures in (\d+) pages and (\d+) feeds: no problems", summary[0])
    assert match, summary
    links, pictures, pages, feeds = map(int, match.groups())
    assert links > 50 and pictures >= 2 and pages > 10 and feeds >= 6


def test_planted_problems_fail_the_check(planted):
    result, problems, summary = planted
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    # 2 in the front matter, 5 in the essay, 1 in an excerpt, 1 missing essay, 1 unknown citation: each said once.
    assert len(problems) == len(set(problems)) == 10, problems
    essays = essays_in(ROOT / "posts") + 4
    assert summary == f"checked {essays} essays, " + summary.split(", ", 1)[1] and summary.endswith(": 10 problems"), summary


def test_each_problem_at_its_source_line(planted):
    _, problems, _ = planted
    for line in problems:
        assert re.match(r"posts/[a-z-]+\.md:\d+: ", line), line
    assert not [line for line in problems if "atom.xml:" in line or line.startswith("_build")]


def test_unknown_citation_key(planted):
    _, problems, _ = planted
    assert (
        'posts/unknown-citation.md:11: citation key "turing1905" is not in posts/references.bib: '
        'add its BibTeX entry there, or correct the key (did you mean "turing1950"?)'
    ) in problems


def test_link_to_a_missing_page(planted):
    _, problems, _ = planted
    assert 'posts/planted.md:12: link "no-such-page.html": no such file (in _build/html/posts/planted.html and 4 more built files)' in problems


def test_link_to_a_missing_anchor(planted):
    _, problems, _ = planted
    assert (
        f'posts/planted.md:13: link "{HER}.html#no-such-section": no element with id "no-such-section" in posts/{HER}.html'
        " (in _build/html/posts/planted.html and 4 more built files)"
    ) in problems


def test_link_to_an_existing_anchor_passes(planted):
    _, problems, _ = planted
    assert not [line for line in problems if line.startswith("posts/planted.md:14:")]


def test_missing_picture(planted):
    _, problems, _ = planted
    assert 'posts/planted.md:16: picture "images/no-such-picture.png": no such file (in _build/html/posts/planted.html and 4 more built files)' in problems


def test_pictures_without_alt_text(planted):
    _, problems, _ = planted
    assert [line.split(" (in ")[0] for line in problems if "her-cover.svg" in line] == [
        'posts/planted.md:18: picture "../_images/her-cover.svg": no alt text; describe what it shows (the :alt: option)',
        'posts/planted.md:20: picture "../_images/her-cover.svg": the alt text is its file name; describe what it shows',
    ]


def test_cover_checked(planted):
    _, problems, _ = planted
    assert "posts/planted.md:5: cover: images/no-such-cover.svg does not exist (the path is relative to the essay)" in problems
    assert "posts/planted.md:5: cover_alt: missing; describe the cover picture for readers who cannot see it" in problems


def test_feeds_counted_with_the_essay(planted):
    """The same slip in the essay's page and in its entries of the site, tag, category and year feeds: one line."""
    _, problems, _ = planted
    planted_lines = [line for line in problems if line.startswith("posts/planted.md:1")]
    assert planted_lines and all(line.endswith("(in _build/html/posts/planted.html and 4 more built files)") for line in planted_lines)


def test_excerpt_link_broken_on_list_pages(planted):
    _, problems, _ = planted
    line = next(line for line in problems if line.startswith("posts/excerpt-link.md"))
    assert line.startswith(f'posts/excerpt-link.md:9: link "{HER}.html#intro": no such file where the excerpt is shown')
    assert re.search(r"\(in _build/html/\S+\.html and [1-9]\d* more built files\)$", line), line


def test_link_to_a_missing_essay_file(planted):
    _, problems, _ = planted
    line = next(line for line in problems if line.startswith("posts/missing-essay.md"))
    assert line.startswith("posts/missing-essay.md:11: link to 'nothing.md': posts/nothing.md does not exist."), line
    assert not [line for line in problems if 'id "nothing.md"' in line]


def test_unusable_front_matter_stops_before_the_build(tmp_path):
    project = project_with_venv(tmp_path / "project")
    (project / "posts" / "unusable.md").write_text(UNUSABLE)
    result = subprocess.run([str(project / ".venv" / "bin" / "essays-check")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("posts/unusable.md:2: date: "), lines
    assert lines[-1].endswith("problem; the site was not built") or lines[-1].endswith("problems; the site was not built"), lines
    assert not (project / "_build").exists()


def test_problems_exit_with_status_1(tmp_path):
    project = project_with_venv(tmp_path / "project")
    (project / "posts" / "missing-essay.md").write_text(MISSING_ESSAY)
    result = subprocess.run([str(project / ".venv" / "bin" / "essays-check")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines()[-1].endswith(": 1 problem")


@pytest.fixture()
def local_server(tmp_path):
    (tmp_path / "ok.html").write_text("<!DOCTYPE html><title>ok</title>")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_linkcheck_reports_broken_external_links(tmp_path, local_server):
    project = project_with_venv(tmp_path / "project")
    essay = f"---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n---\n\n# Links Out\n\nOpening.\n\n[Fine]({local_server}ok.html) and [gone]({local_server}gone.html).\n"
    (project / "posts" / "links-out.md").write_text(essay)
    result = make(project, "linkcheck", timeout=120)
    assert result.returncode != 0
    report = [json.loads(line) for line in (project / "_build" / "linkcheck" / "output.json").read_text().splitlines()]
    status = {entry["uri"]: (entry["status"], entry["filename"]) for entry in report}
    assert status[f"{local_server}ok.html"] == ("working", "posts/links-out.md")
    assert status[f"{local_server}gone.html"] == ("broken", "posts/links-out.md")
