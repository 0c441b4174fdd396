"""Reading time from the word count: on each essay, in the lists, on the home page."""

import re

import pytest

from helpers import LINKED_ESSAYS, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

WORDS_PER_MINUTE = 200  # stated in docs/writing.md; conf.py's myst_words_per_minute


def expected_minutes(name: str) -> int:
    """Words of the essay's prose (front matter and labels left out), at 200 a minute."""
    text = (LINKED_ESSAYS / f"{name}.md").read_text()
    body = text.split("---", 2)[2]
    body = re.sub(r"^\(.*\)=$", "", body, flags=re.M)  # labels
    words = [w for w in body.split() if w.strip("#.,:;!?()[]{}`'\"").isalpha()]
    return max(1, round(len(words) / WORDS_PER_MINUTE))


def test_the_long_essay_takes_minutes():
    assert expected_minutes("letters") == 3
    assert expected_minutes("gardens") == 1


@pytest.mark.parametrize("name", ["letters", "gardens", "machines-tools"])
def test_on_each_essay_in_its_byline(built, name):
    page = parse(built.outdir / f"posts/{name}.html")
    (shown,) = page.xpath("//article//h1/following-sibling::div[contains(@class,'essay-byline')]//*[contains(@class,'essay-reading-time')]")
    assert shown.text_content() == f"{expected_minutes(name)} min read"


@pytest.mark.parametrize("page", ["blog.html", "blog/tag/writing.html", "blog/category/letters.html", "blog/2026.html"])
def test_in_the_lists(built, page):
    root = parse(built.outdir / page)
    for article in root.xpath("//article[contains(@class,'ablog-post')]"):
        href = article.xpath(".//h2/a")[0].get("href")
        name = href.rsplit("/", 1)[-1].removesuffix(".html")
        (shown,) = article.xpath(".//li[contains(@class,'ablog__reading-time')]")
        assert shown.text_content() == f"{expected_minutes(name)} min read"
    assert root.xpath("//article[contains(@class,'ablog-post')]//a[contains(@href,'letters.html')]")


def test_on_the_home_page_list(built):
    root = parse(built.outdir / "index.html")
    (entry,) = [p for p in root.xpath("//ul[contains(@class,'postlist')]//p[contains(@class,'ablog-post-title')]") if "Letters to Nobody" in p.text_content()]
    assert entry.xpath(".//*[contains(@class,'essay-reading-time')]")[0].text_content().strip(" ·") == "3 min read"
