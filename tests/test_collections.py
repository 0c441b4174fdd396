"""Home page, all-essays page, tag, category and year pages, and how to reach them."""

import pytest

from helpers import local_file, parse

ESSAY = "posts/exploring-the-depths-of-human-machine-relationships-in-her.html"
TITLE = "Exploring the Depths of Human-Machine Relationships in Her"


def links(page):
    return {a.get("href"): a.text_content().strip() for a in page.iter("a") if a.get("href")}


@pytest.mark.parametrize(
    "path",
    ["blog.html", "blog/tag/ai.html", "blog/tag/movie.html", "blog/tag/her.html", "blog/category/ai.html", "blog/2026.html"],
)
def test_collection_lists_the_essay_with_excerpt(site, path):
    page = parse(site.outdir / path)
    depth = path.count("/")
    href = "../" * depth + ESSAY
    titles = page.xpath("//article[contains(@class,'ablog-post')]//h2/a")
    assert [(a.get("href"), a.text_content()) for a in titles] == [(href, TITLE)]
    excerpt = page.xpath("//div[contains(@class,'ablog-post-excerpt')]")[0].text_content()
    assert "directed by Spike Jonze" in excerpt


def test_tag_catalog_and_archive(site):
    # The tag and category indexes: one line per name, with its count.
    tags = parse(site.outdir / "blog/tag.html")
    items = [" ".join(li.text_content().split()) for li in tags.xpath("//ul[contains(@class,'essays-catalog-list')]/li")]
    assert items == ["ai 1 essay", "her 1 essay", "movie 1 essay"]
    assert not tags.xpath("//article//h2")
    categories = parse(site.outdir / "blog/category.html")
    assert "category/ai.html" in " ".join(links(categories))
    assert [" ".join(li.text_content().split()) for li in categories.xpath("//ul[contains(@class,'essays-catalog-list')]/li")] == ["ai 1 essay"]
    # The archive: headed by years, each with its essays.
    archive = parse(site.outdir / "blog/archive.html")
    assert archive.findtext(".//article//h1") == "Archive"
    (year,) = archive.xpath("//section[contains(@class,'essays-archive-year')]")
    assert year.findtext("h2/a") == "2026" and year.xpath("h2/a/@href") == ["2026.html"]
    assert [a.text_content() for a in year.xpath(".//li/a")] == [TITLE]
    assert year.xpath(".//li/time/@datetime") == ["2026-11-24"]


def test_home_page(site):
    page = parse(site.outdir / "index.html")
    article = page.xpath("//article[contains(@class, 'bd-article')]")[0]
    assert article.findtext(".//h1").strip() == "Essays"  # the site's name (conf.py's project)
    lead = article.xpath(".//p")[0]
    assert "essays-lead" in lead.get("class") and lead.text_content().startswith("Long-form essays")
    assert page.findtext(".//title") == "Essays"  # not "Essays — Essays"
    assert links(article).get(ESSAY) == TITLE
    assert "directed by Spike Jonze" in article.text_content()


@pytest.mark.parametrize("page_path", ["index.html", ESSAY, "docs/about.html"])
def test_lists_reachable_from_navigation(site, page_path):
    page = parse(site.outdir / page_path)
    nav = page.xpath("//nav[contains(@class,'essays-nav')]")[0]
    hrefs = [a.get("href") for a in nav.iter("a") if a.get("href") != "#"]  # "#": the page itself
    targets = {
        local_file(site.outdir, site.base_url, h) if "://" in h else (site.outdir / page_path).parent.joinpath(h).resolve()
        for h in hrefs
    }
    for built in ["blog.html", "blog/tag.html", "blog/category.html", "blog/archive.html", "docs/about.html"]:
        assert built == page_path or (site.outdir / built).resolve() in targets
    assert (site.outdir / "blog/atom.xml") in targets
    for target in targets:
        assert target is not None and target.is_file(), target


def test_one_prev_next_bar_on_an_essay(site, linked_site):
    page = parse(site.outdir / ESSAY)
    assert not page.xpath("//*[contains(@class,'prev-next-area')]")
    assert not page.xpath("//*[contains(@class,'essay-prev-next')]")  # the only essay: no neighbour
    page = parse(linked_site.outdir / "posts/machines-minds.html")
    assert not page.xpath("//*[contains(@class,'prev-next-area')]")
    (bar,) = page.xpath("//nav[contains(@class,'essay-prev-next')]")
    assert [a.text_content() for a in bar.xpath(".//a")] == ["Machines and Us: Tools", "Machines and Us: Futures"]
    assert [a.get("rel") for a in bar.xpath(".//a")] == ["prev", "next"]


def test_docs_pages_exist(site):
    writing = parse(site.outdir / "docs/writing.html").text_content()
    for topic in ["Front matter", "Linking one essay to another", "Images", "Tags and categories", "Drafts", "Previewing", "Read the Docs"]:
        assert topic in writing
    assert (site.outdir / "docs/about.html").is_file()


@pytest.mark.parametrize("path", ["index.html", "blog.html", "blog/tag/ai.html", "blog/2026.html"])
def test_lists_show_the_cover_as_a_thumbnail(site, path):
    """The essay's cover beside its title: sized, lazy-loaded, with the cover's alt text (features.thumbnails)."""
    page = parse(site.outdir / path)
    (img,) = page.xpath("//article[contains(@class,'bd-article')]//img[contains(@class,'essay-thumbnail')]")
    assert img.get("loading") == "lazy"
    assert int(img.get("width")) == 240 and int(img.get("height")) == 150  # the cover is 800 x 500
    assert img.get("alt").startswith("Drawing of a man in a red shirt")
    picture = (site.outdir / path).parent / img.get("src")
    assert picture.resolve().is_file() and "_images/thumbnails/" in img.get("src")
    from PIL import Image

    with Image.open(picture) as opened:
        assert opened.size == (480, 300)  # twice the size shown, for sharp screens
