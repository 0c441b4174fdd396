"""The built site in a real browser: accessible, readable at phone and desktop
widths, with search, dark mode and the sidebars working.

The site is served on 127.0.0.1 (a missing address gets the 404 page, as on
Read the Docs) and driven with Playwright through Debian's chromium. axe-core
(pinned in package.json) checks each page in light and dark mode. Screenshots
of the essay go to tests/artifacts/.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
ESSAY = "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"
PAGES = {
    "home": "index.html",
    "essay": ESSAY,
    "tag": "blog/tag/ai.html",
    "archive": "blog/archive.html",
    "list": "blog.html",
    "404": "no/such/deep/address.html",
}
BLOCKING = {"serious", "critical"}


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site; a missing file gets 404.html, as Read the Docs does."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def served(outdir):
    """Serve ``outdir`` over HTTP while the fixture lasts; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(outdir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(site):
    yield from served(site.outdir)


@pytest.fixture(scope="module")
def linked_base_url(linked_site):
    """The linked-essays fixture site, whose lists come in pages of three."""
    yield from served(linked_site.outdir)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url, mode=None, width=1280, height=900):
    """A fresh first-time reader's tab at ``url``; returns (page, response, problems).

    ``mode`` "light" or "dark" is the reader's earlier choice; None is a first
    visit, which follows the system setting.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    if mode:
        # The theme reads the reader's choice from localStorage before it paints.
        context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    problems = []
    # The 404 page's own status is logged as an error: not a problem of the page.
    page.on("console", lambda msg: msg.type == "error" and msg.location.get("url") != url and problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))

    def on_response(response):
        if response.status >= 400 and response.url != url:
            problems.append(f"{response.status}: {response.url}")

    page.on("response", on_response)
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, response, problems


def axe_violations(page):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs it with npm ci")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def report(violations):
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(browser, base_url, name, mode):
    page, response, problems = open_page(browser, base_url + PAGES[name], mode)
    try:
        assert response.status == (404 if name == "404" else 200)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        assert not problems, problems  # every style, script and picture loaded, at any depth
        violations = axe_violations(page)
        assert not violations, report(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", ["blog/page/2.html", "blog/tag/ai/page/2.html"])
def test_paginated_list_has_no_serious_violation(browser, linked_base_url, linked_site, path, mode):
    assert (linked_site.outdir / path).is_file(), path
    page, response, problems = open_page(browser, linked_base_url + path, mode)
    try:
        assert response.status == 200
        assert page.locator("article.ablog-post").count() >= 1
        assert not problems, problems
        violations = axe_violations(page)
        assert not violations, report(violations)
    finally:
        page.context.close()


def test_accessibility_check_finds_a_planted_violation(browser, base_url):
    page, _, _ = open_page(browser, base_url + ESSAY)
    try:
        page.evaluate("document.querySelector('article img').removeAttribute('alt')")
        assert "image-alt" in {v["id"] for v in axe_violations(page)}
    finally:
        page.context.close()


def visible_in_viewport(page, selector):
    """Whether the first element matching ``selector`` is shown, inside the page's width."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            if (!el) return false;
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'
                && r.left >= 0 && r.right <= document.documentElement.clientWidth + 1;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_essay_text_picture_and_sidebar_are_visible(browser, base_url, width):
    page, _, problems = open_page(browser, base_url + ESSAY, width=width)
    try:
        assert not problems, problems
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"essay-{width}.png"), full_page=True)
        assert visible_in_viewport(page, "article h1")
        assert "poignant and thought-provoking" in page.inner_text("article")
        assert visible_in_viewport(page, "article section p")
        image = page.locator("article img").first
        image.scroll_into_view_if_needed()
        assert visible_in_viewport(page, "article img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        # No sideways scrolling: the page fits the screen.
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
        sidebar_link = "nav.essays-nav a[href$='blog.html']"
        if width >= 992:
            assert visible_in_viewport(page, "#pst-primary-sidebar")
        else:
            # On a phone the sidebar waits behind its toggle.
            assert not page.locator(sidebar_link).first.is_visible()
            page.locator("button.primary-toggle").first.click()
            page.wait_for_selector("#pst-primary-sidebar-modal[open]")
            page.screenshot(path=str(ARTIFACTS / f"essay-{width}-sidebar.png"))
        link = page.locator(sidebar_link).first
        assert link.is_visible()
        assert visible_in_viewport(page, "nav.essays-nav")
    finally:
        page.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_first_visit_logs_no_error(browser, base_url, name):
    page, _, problems = open_page(browser, base_url + PAGES[name])
    try:
        assert page.evaluate("document.documentElement.dataset.mode") == "auto"
        assert not problems, problems
    finally:
        page.context.close()


def test_icons_are_drawn_without_font_awesome(browser, base_url):
    page, _, problems = open_page(browser, base_url + ESSAY)
    try:
        assert not problems, problems
        icon = page.evaluate(
            """() => {
                const el = document.querySelector('.primary-toggle .fa-bars');
                const before = getComputedStyle(el, '::before');
                return {width: parseFloat(before.width), mask: before.maskImage || before.webkitMaskImage};
            }"""
        )
        assert icon["width"] > 0 and icon["mask"].startswith('url("data:image/svg+xml'), icon
        loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in loaded if "fontawesome" in u or u.endswith(".woff2") or "searchindex" in u], loaded
    finally:
        page.context.close()


def test_dark_mode_switch_works(browser, base_url):
    page, _, _ = open_page(browser, base_url + ESSAY, mode="light")
    try:
        background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")  # noqa: E731
        light = background()
        page.locator("button.theme-switch-button").first.click()
        page.locator("button.theme-change-button[data-mode='dark']").first.click()
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        assert background() != light
        assert page.evaluate("localStorage.getItem('mode')") == "dark"
    finally:
        page.context.close()


def test_search_finds_the_essay(browser, base_url):
    page, _, problems = open_page(browser, base_url + "blog/tag/ai.html")
    try:
        page.locator("button.search-button-field").first.click()
        field = page.locator("#pst-search-dialog input[name='q']")
        field.fill("Twombly")  # a word of the Her essay alone
        field.press("Enter")
        page.wait_for_url("**/search.html?q=Twombly*")
        page.wait_for_selector("#search-results li a")
        results = page.locator("#search-results li a").first
        assert "Her" in results.inner_text()
        assert results.get_attribute("href").split("#")[0].endswith(ESSAY.split("/")[-1])
        assert not problems, problems
    finally:
        page.context.close()


def test_secondary_sidebar_toggles_on_a_phone(browser, base_url):
    page, _, _ = open_page(browser, base_url + ESSAY, width=390)
    try:
        toggle = page.locator("button.secondary-toggle").first
        toggle.click()
        page.wait_for_selector("#pst-secondary-sidebar-modal[open]")
        assert page.locator("#pst-secondary-sidebar-modal a[href='#intro']").first.is_visible()
    finally:
        page.context.close()
