"""make live: a preview on 127.0.0.1 that rebuilds on save and shows drafts with a banner."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import lxml.html
import pytest

from helpers import fresh_make_env, project_with_venv

HER = "posts/exploring-the-depths-of-human-machine-relationships-in-her"
DRAFT = "---\ndraft: true\ndate: 2026-11-01\ntags: ai\ncategory: ai\n---\n\n# Work In Progress\n\nNot ready yet.\n"
WAIT = 120  # seconds: the first build, then one rebuild


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, server: subprocess.Popen, log) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make live exited with {server.returncode}:\n{log.read_text()}")
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    pytest.fail(f"{text!r} not served at {url} within {WAIT} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("live") / "project")
    (project / "posts" / "work-in-progress.md").write_text(DRAFT)
    port = free_port()
    log = project / "live.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["make", "-s", "live", f"PORT={port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=fresh_make_env(),
            start_new_session=True,  # its own process group: make, sphinx-autobuild and its builds
        )
    try:
        yield project, f"http://127.0.0.1:{port}/", server, log
    finally:
        stop_group(server)


def stop_group(server: subprocess.Popen) -> None:
    """End make, sphinx-autobuild and any build it runs (the group started above), and wait for them."""
    os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        server.poll()
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break  # the whole group is gone
        time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=15)


def test_serves_the_site_on_localhost(live):
    project, base, server, log = live
    page = wait_for(base + HER + ".html", "Exploring the Depths", server, log)
    assert "Spike Jonze" in page


def test_rebuilds_on_save(live):
    project, base, server, log = live
    wait_for(base + HER + ".html", "Exploring the Depths", server, log)
    essay = project / (HER + ".md")
    essay.write_text(essay.read_text() + "\nA sentence added while the preview runs: quokka-marmalade.\n")
    page = wait_for(base + HER + ".html", "quokka-marmalade", server, log)
    paragraphs = [p.text_content() for p in lxml.html.fromstring(page).iter("p")]
    assert "A sentence added while the preview runs: quokka-marmalade." in paragraphs


def test_drafts_show_with_a_banner(live):
    project, base, server, log = live
    page = wait_for(base + "posts/work-in-progress.html", "Work In Progress", server, log)
    root = lxml.html.fromstring(page)
    banner = root.xpath("//div[contains(@class, 'essay-draft')]")
    assert len(banner) == 1
    assert banner[0].xpath("./p[contains(@class, 'admonition-title')]")[0].text_content() == "Draft"
    assert "draft: true" in banner[0].text_content()


def test_front_matter_problem_reported_then_fixed(live):
    project, base, server, log = live
    wait_for(base + HER + ".html", "Exploring the Depths", server, log)
    essay = project / "posts" / "slip.md"
    essay.write_text("---\ndate: 2026-11-20\ntgas: ai\n---\n\n# A Slip\n\nText.\n")
    message = 'posts/slip.md:3: tgas: unknown key; did you mean "tags"?'
    deadline = time.monotonic() + WAIT
    while message not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert message in log.read_text()
    assert "Traceback" not in log.read_text()
    assert server.poll() is None  # the preview keeps running
    essay.write_text(essay.read_text().replace("tgas:", "tags:"))
    wait_for(base + "posts/slip.html", "A Slip", server, log)
