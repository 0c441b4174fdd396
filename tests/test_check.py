"""make check: front matter, internal links and #anchors in pages and feeds, pictures and alt text."""

import http.server
import json
import re
import socket
import threading

import pytest

from helpers import make, project_with_venv

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


@pytest.fixture(scope="module")
def clean_check(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("check-clean") / "project")
    return make(project, "check")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("check-planted") / "project")
    (project / "posts" / "planted.md").write_text(PLANTED)
    (project / "posts" / "excerpt-link.md").write_text(EXCERPT_LINK)
    result = make(project, "check")
    return result, result.stderr.splitlines()


def test_the_site_passes(clean_check):
    assert clean_check.returncode == 0, clean_check.stdout + clean_check.stderr
    assert clean_check.stderr == ""


def test_planted_problems_fail_the_check(planted):
    result, lines = planted
    assert result.returncode != 0
    problems = [line for line in lines if not line.startswith(("essays-check:", "make:"))]
    counted = [int(re.match(r"essays-check: (\d+) problems?\.$", line)[1]) for line in lines if line.startswith("essays-check:")]
    # 2 in the front matter, 5 in the essay's page, 5 in its feed entries, 1 on the list pages: nothing else.
    assert sum(counted) == len(problems) == 13, lines
    assert "Traceback" not in result.stdout + result.stderr


def test_link_to_a_missing_page(planted):
    _, lines = planted
    assert 'posts/planted.md: link "no-such-page.html": no such file (_build/html/posts/no-such-page.html)' in lines


def test_link_to_a_missing_anchor(planted):
    _, lines = planted
    assert (
        f'posts/planted.md: link "{HER}.html#no-such-section": no element with id "no-such-section" in posts/{HER}.html'
    ) in lines


def test_link_to_an_existing_anchor_passes(planted):
    _, lines = planted
    assert not [line for line in lines if line.startswith("posts/") and "#intro" in line]


def test_missing_picture(planted):
    _, lines = planted
    assert (
        'posts/planted.md: picture "images/no-such-picture.png": no such file (_build/html/posts/images/no-such-picture.png)'
    ) in lines


def test_pictures_without_alt_text(planted):
    _, lines = planted
    assert 'posts/planted.md: picture "../_images/her-cover.svg": no alt text; describe what it shows (the :alt: option)' in lines
    assert 'posts/planted.md: picture "../_images/her-cover.svg": the alt text is its file name; describe what it shows' in lines


def test_cover_checked(planted):
    _, lines = planted
    assert "posts/planted.md:5: cover: images/no-such-cover.svg does not exist (the path is relative to the essay)" in lines
    assert "posts/planted.md:5: cover_alt: missing; describe the cover picture for readers who cannot see it" in lines


def test_feeds_checked(planted):
    _, lines = planted
    base = "http://127.0.0.1:8000/"
    feed_lines = [line for line in lines if line.startswith("_build/html/blog/") and "atom.xml" in line.split(":")[0]]
    expected = [
        f'entry "Planted Problems": link "{base}posts/no-such-page.html": no such file',
        f'entry "Planted Problems": link "{base}posts/{HER}.html#no-such-section": no element with id "no-such-section"',
        f'entry "Planted Problems": picture "{base}posts/images/no-such-picture.png": no such file',
        f'entry "Planted Problems": picture "{base}_images/her-cover.svg": no alt text',
    ]
    for text in expected:
        matching = [line for line in feed_lines if text in line]
        # One line for the same slip in the site feed, the tag, category and year feeds.
        assert len(matching) == 1, (text, feed_lines)
        assert "(and 3 built files)" in matching[0]


def test_excerpt_link_broken_on_list_pages(planted):
    _, lines = planted
    assert f'index.md (and 4 built files): link "{HER}.html#intro": no such file' in lines
    assert not [line for line in lines if line.startswith("posts/excerpt-link.md")]


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
