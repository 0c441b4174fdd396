"""The byline under an essay's title (essaysite.features.byline): date, reading time, category and tags as links."""

import pytest

from helpers import LINKED_ESSAYS, parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

PUBLISHED = sorted(p.stem for p in LINKED_ESSAYS.glob("*.md") if "draft: true" not in p.read_text())


def front_value(name: str, key: str) -> str:
    for line in (LINKED_ESSAYS / f"{name}.md").read_text().split("---")[1].splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip()
    return ""


@pytest.mark.parametrize("name", PUBLISHED)
def test_right_under_the_title_with_links_that_resolve(built, name):
    path = built.outdir / f"posts/{name}.html"
    page = parse(path)
    (h1,) = page.xpath("//article//h1")
    byline = h1.getnext()
    assert byline is not None and "essay-byline" in byline.get("class", ""), name
    (time,) = byline.xpath(".//time[contains(@class,'essay-byline-date')]")
    assert time.get("datetime") == front_value(name, "date")
    assert byline.xpath(".//*[contains(@class,'essay-reading-time')]")[0].text_content().endswith("min read")
    tags = {a.text_content(): a.get("href") for a in byline.xpath(".//*[contains(@class,'essay-byline-tags')]//a")}
    assert set(tags) == {t.strip() for t in front_value(name, "tags").split(",")}
    (category,) = byline.xpath(".//*[contains(@class,'essay-byline-category')]//a")
    assert category.text_content() == front_value(name, "category")
    for href in [*tags.values(), category.get("href")]:
        assert (path.parent / href).resolve().is_file(), href
    # No owner in this site's conf.py: no name, and no empty "by".
    assert "by " not in byline.text_content()
