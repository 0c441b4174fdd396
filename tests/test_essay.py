"""The Her essay, published from its Jekyll source, to the letter."""

import re

import ftfy
import pytest
import yaml

from helpers import ROOT, parse

SOURCE = ROOT / "tests" / "data" / "her-jekyll-source.md"
PAGE = "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def source_parts():
    """Front matter and the (kind, text) blocks of the Jekyll original, mojibake repaired."""
    _, front, body = SOURCE.read_text(encoding="utf-8").split("---", 2)
    blocks = []
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        if block.startswith("!["):
            continue  # the picture, checked on its own
        if block.startswith("#"):
            blocks.append(("heading", squash(block.lstrip("#"))))
        else:
            blocks.append(("paragraph", squash(block)))
    fixed = [(kind, ftfy.fix_text(text, uncurl_quotes=False)) for kind, text in blocks]
    return yaml.safe_load(front), fixed


@pytest.fixture(scope="module")
def page(site):
    root = parse(site.outdir / PAGE)
    for permalink in root.xpath("//a[contains(@class, 'headerlink')]"):
        permalink.drop_tree()
    return root


@pytest.fixture(scope="module")
def article(page):
    (article,) = page.xpath("//article[contains(@class, 'bd-article')]")
    return article


def test_source_really_has_mojibake():
    raw = SOURCE.read_text(encoding="utf-8")
    assert "â€“" in raw


def test_every_heading_and_paragraph_word_for_word(article):
    front, expected = source_parts()
    found = []
    # What the site adds around the essay's words (its byline, the previous and next essays) is not the essay.
    added = set(article.xpath(".//*[contains(@class,'essay-byline') or contains(@class,'essay-prev-next')]//p"))
    for el in article.iter("h2", "h3", "p"):
        if el in added or el.xpath("ancestor::aside"):
            continue  # what the site adds around the essay: its byline, and after it the essays linking here, related essays
        kind = "paragraph" if el.tag == "p" else "heading"
        found.append((kind, squash(el.text_content())))
    assert found == expected
    assert any("smartphone – at least" in text for _, text in found)
    assert "â€" not in article.text_content()


def test_title_is_the_jekyll_title(page, article):
    front, _ = source_parts()
    (h1,) = article.iter("h1")
    assert squash(h1.text_content()) == front["title"]
    assert page.findtext(".//title").startswith(front["title"])


def test_tags_category_and_date(page):
    front, _ = source_parts()
    # The byline under the title (essaysite.features.byline).
    card = page.xpath("//article//h1/following-sibling::div[contains(@class, 'essay-byline')]")[0]
    tags = {squash(a.text_content()) for a in card.xpath(".//*[contains(@class, 'essay-byline-tags')]//a")}
    categories = {squash(a.text_content()) for a in card.xpath(".//*[contains(@class, 'essay-byline-category')]//a")}
    assert tags == set(front["tags"].split()) == {"ai", "movie", "her"}
    assert categories == {front["categories"]} == {"ai"}
    assert "24 November 2026" in card.text_content()


def test_cover_picture(site, article):
    imgs = article.xpath(".//img")
    assert len(imgs) == 1
    img = imgs[0]
    target = (site.outdir / PAGE).parent / img.get("src")
    assert target.resolve().is_file()
    assert target.read_text().lstrip().startswith("<svg")
    assert "width: 400px" in img.get("style", "")
    assert "align-center" in img.get("class", "")
    alt = img.get("alt", "")
    assert alt.lower() not in {"", "logo", "image", "picture"}
    assert len(alt.split()) >= 8, alt
