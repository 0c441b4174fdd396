"""Essays that read like essays, in a real browser (Debian's chromium through Playwright).

Each test fails on what a reader would notice: a byline out of sight on a
phone, lines too long or too short to read at 1280 px, ABlog's "Posts"
anywhere, an essay listed twice at the end of another, a contents panel
where it is not needed, footnotes not in the margin, navigation in print.
Screenshots of the home page, an essay, the list of all essays, a tag and
the archive, at 390 and 1280 px, light and dark, go to tests/artifacts/
(docs/reading.md shows a selection of them, from docs/pictures/).
"""

from __future__ import annotations

import re

import pytest

from helpers import LINKED_ESSAYS
from test_browser import (  # noqa: F401
    ARTIFACTS, ESSAY, PAGES, axe_violations, base_url, browser, linked_base_url, open_page, report, visible_in_viewport,
)

PHONE, DESKTOP = 390, 1280
MEASURE = (55, 80)  # characters a line
SHOTS = {name: PAGES[name] for name in ("home", "essay", "list", "tag", "archive")}
# Every kind of page a reader meets: the shots, the indexes, a year, a category, the About page.
READER_PAGES = [*SHOTS.values(), "blog/tag.html", "blog/category.html", "blog/2026.html", "blog/category/ai.html", "docs/about.html"]
LINKED = sorted(p.stem for p in LINKED_ESSAYS.glob("*.md") if "draft: true" not in p.read_text())

# Characters on each rendered line of each paragraph matching the selector, line by line.
LINE_LENGTHS = """(selector) => {
    const result = [];
    const range = document.createRange();
    for (const p of document.querySelectorAll(selector)) {
        const tops = [];
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.textContent.length; i++) {
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (rect && rect.width > 0) tops.push(rect.top);
            }
        }
        const lines = [];
        for (const top of tops) {
            const line = lines.find((l) => Math.abs(l.top - top) < 4);
            if (line) line.count += 1; else lines.push({top, count: 1});
        }
        result.push(lines.sort((a, b) => a.top - b.top).map((l) => l.count));
    }
    return result;
}"""


def test_the_byline_is_on_the_first_screen_of_a_phone(browser, base_url):  # noqa: F811
    page, _, problems = open_page(browser, base_url + ESSAY, width=PHONE, height=844)
    try:
        assert not problems, problems
        assert visible_in_viewport(page, "article .essay-byline")
        box = page.locator("article .essay-byline").bounding_box()
        assert box["y"] + box["height"] <= 844, box  # seen without scrolling
        byline = page.inner_text("article .essay-byline")
        assert "24 November 2026" in byline and "min read" in byline
        for tag in ("ai", "movie", "her"):
            assert page.locator(".essay-byline-tags a", has_text=tag).first.is_visible()
        # The title does not fill the first screen.
        assert page.locator("article h1").bounding_box()["height"] < 844 / 3
        text = page.evaluate("getComputedStyle(document.querySelector('article section > section > p')).fontSize")
        assert float(text.removesuffix("px")) >= 15
    finally:
        page.context.close()


def test_lines_of_an_essay_hold_55_to_80_characters_at_1280(browser, base_url):  # noqa: F811
    page, _, _ = open_page(browser, base_url + ESSAY, width=DESKTOP)
    try:
        size = float(page.evaluate("getComputedStyle(document.querySelector('article section > section > p')).fontSize").removesuffix("px"))
        assert 17 <= size <= 22, size
        paragraphs = page.evaluate(LINE_LENGTHS, "article.bd-article section > p")
        full_lines = [count for lines in paragraphs for count in lines[:-1]]  # a paragraph's last line ends early
        assert len(full_lines) >= 20, paragraphs
        outside = [count for count in full_lines if not MEASURE[0] <= count <= MEASURE[1]]
        assert not outside, f"lines of {outside} characters (of {full_lines})"
    finally:
        page.context.close()


@pytest.mark.parametrize("path", READER_PAGES)
def test_no_page_says_posts(browser, base_url, path):  # noqa: F811
    page, _, _ = open_page(browser, base_url + path, width=DESKTOP)
    try:
        # What a reader reads: the page's title, its text, and the tooltips of its links.
        text = page.evaluate("[document.title, document.body.innerText, ...[...document.querySelectorAll('[title]')].map((e) => e.title)].join('\\n')")
        found = re.findall(r"\b(?:Posts?|Posted)\b", text)
        assert not found, (path, found)
        assert "Essays \u2014 Essays" not in text
    finally:
        page.context.close()


@pytest.mark.parametrize("name", LINKED)
def test_no_essay_listed_twice_at_the_end_of_another(browser, linked_base_url, name):  # noqa: F811
    page, _, problems = open_page(browser, f"{linked_base_url}posts/{name}.html", width=DESKTOP)
    try:
        assert not problems, problems
        ends = page.evaluate(
            """() => [...document.querySelectorAll(
                'article aside.essay-further-reading a[href], article nav.essay-prev-next a[href], article aside[class*="essay-"] a[href]'
            )].filter((a) => a.offsetParent !== null).map((a) => a.href.split('#')[0])"""
        )
        assert len(ends) == len(set(ends)), ends
        assert page.url.split("#")[0] not in ends
    finally:
        page.context.close()


def test_an_essay_linked_from_newer_ones_shows_them_once(browser, linked_base_url):  # noqa: F811
    page, _, _ = open_page(browser, f"{linked_base_url}posts/machines-tools.html", width=DESKTOP)
    try:
        further = page.locator("aside.essay-further-reading")
        assert further.locator("h2").inner_text() == "Further reading"
        assert "links here" in further.locator("li", has_text="Machines and Us: Futures").inner_text()
        bar = page.locator("nav.essay-prev-next")
        assert "links here" in bar.locator(".essay-next").inner_text()
        assert further.locator("a", has_text="Machines and Us: Minds").count() == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_links_here_is_never_broken_over_two_lines(browser, base_url, width):  # noqa: F811
    """The Her essay's next essay (Samantha) links to it: its marker in the previous/next bar stays whole."""
    page, _, _ = open_page(browser, base_url + ESSAY, width=width)
    try:
        marker = page.locator("nav.essay-prev-next .essay-links-here")
        assert marker.inner_text() == "links here"
        assert marker.evaluate("(e) => e.getClientRects().length") == 1
    finally:
        page.context.close()


def test_contents_panel_only_where_sections_need_one(browser, base_url):  # noqa: F811
    page, _, _ = open_page(browser, base_url + ESSAY, width=DESKTOP)
    try:
        assert visible_in_viewport(page, "#pst-secondary-sidebar nav.page-toc")  # five sections
    finally:
        page.context.close()
    for path in ("index.html", "blog.html", "blog/tag/ai.html"):
        page, _, _ = open_page(browser, base_url + path, width=DESKTOP)
        try:
            assert page.locator("#pst-secondary-sidebar").count() == 0, path
            assert page.locator("button.secondary-toggle").count() == 0 or not page.locator("button.secondary-toggle").first.is_visible()
        finally:
            page.context.close()


def test_footnotes_are_sidenotes_in_the_margin_on_wide_screens(browser, linked_base_url):  # noqa: F811
    page, _, _ = open_page(browser, f"{linked_base_url}posts/walking.html", width=DESKTOP)
    try:
        note = page.locator("span.sidenote").first
        assert note.is_visible()
        paragraph = page.locator("article section > p", has_text="Sensors count us now").first.bounding_box()
        box = note.bounding_box()
        assert box["x"] >= paragraph["x"] + paragraph["width"] - 2, (box, paragraph)  # beside the text
        assert box["x"] + box["width"] <= DESKTOP
        assert "Pressure plates" in note.inner_text()
    finally:
        page.context.close()
    page, _, _ = open_page(browser, f"{linked_base_url}posts/walking.html", width=PHONE)
    try:
        assert not page.locator("span.sidenote").first.is_visible()  # on a phone, behind its number
        page.locator("label.margin-toggle").first.click()
        assert "Pressure plates" in page.locator("article").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    finally:
        page.context.close()


def test_an_essay_prints_without_navigation(browser, base_url):  # noqa: F811
    page, _, _ = open_page(browser, base_url + ESSAY, width=DESKTOP)
    try:
        page.emulate_media(media="print")
        for hidden in ("#pst-primary-sidebar", "#pst-secondary-sidebar", ".bd-header-article", "nav.essays-nav"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("article h1").first.is_visible()
        assert page.locator("article .essay-byline").is_visible()
        assert "poignant and thought-provoking" in page.inner_text("article")
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation_on_a_phone(browser, base_url, name, mode):  # noqa: F811
    """axe-core at 390 px, light and dark (tests/test_browser.py checks 1280 px)."""
    page, _, problems = open_page(browser, base_url + PAGES[name], mode, width=PHONE, height=844)
    try:
        assert not problems, problems
        violations = axe_violations(page)
        assert not violations, report(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshots(browser, base_url, name, width, mode):  # noqa: F811
    page, _, problems = open_page(browser, base_url + SHOTS[name], mode, width=width)
    try:
        assert not problems, problems
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"), "sideways scrolling"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"reading-{name}-{width}-{mode}.png"), full_page=True)
    finally:
        page.context.close()
