"""Home page, all-essays page, tag, category and year pages, and how to reach them."""

import pytest

from helpers import ROOT, local_file, parse

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
    # Every essay of the list once (the site's essays all share these tags, category and year), this one among them.
    posts = page.xpath("//article[contains(@class,'ablog-post')]")
    titles = [(a.get("href"), a.text_content()) for post in posts for a in post.xpath(".//h2/a")]
    assert len(titles) == len(set(titles)) == len(list((ROOT / "posts").glob("*.md")))
    (post,) = [p for p in posts if p.xpath(f".//h2/a[@href='{href}']")]
    assert post.xpath("string(.//h2/a)") == TITLE
    assert "directed by Spike Jonze" in post.xpath("string(.//div[contains(@class,'ablog-post-excerpt')])")


def catalog(page):
    """An index page's entries: (name, link, count)."""
    return [
        (li.find("a").text_content(), li.find("a").get("href"), int(li.find("span").text_content().strip("()").split()[0]))
        for li in page.xpath("//ul[@class='essays-catalog-list']/li")
    ]


def test_tag_catalog_and_archive_are_compact(site):
    """Each tag, category and year once, with its count and a link to its list; no essay listed under it."""
    tags = parse(site.outdir / "blog/tag.html")
    entries = {name: (href, count) for name, href, count in catalog(tags)}
    assert {"ai", "movie", "her"} <= set(entries)
    assert entries["ai"] == ("tag/ai.html", len(parse(site.outdir / "blog/tag/ai.html").xpath("//article[contains(@class,'ablog-post')]")))
    for page in ("blog/tag.html", "blog/category.html", "blog/archive.html"):
        index = parse(site.outdir / page).xpath("//section[@class='essays-catalog']")[0]
        assert index.xpath(".//a") and not index.xpath(".//a[contains(@href,'posts/')]"), page  # no essay
        assert [h.text_content() for h in index.xpath(".//h1")] == [{"blog/tag.html": "Tags", "blog/category.html": "Categories", "blog/archive.html": "Archive"}[page]]
    categories = parse(site.outdir / "blog/category.html")
    assert any(href == "category/ai.html" for _, href, _ in catalog(categories))
    archive = parse(site.outdir / "blog/archive.html")
    assert any(href.endswith("2026.html") for _, href, _ in catalog(archive))
    for _, href, _ in catalog(tags) + catalog(categories) + catalog(archive):
        assert (site.outdir / "blog" / href).is_file(), href


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
    # The oldest essay of the site: a next essay only (the one after it by date), no previous one.
    (bar,) = page.xpath("//nav[contains(@class,'essay-prev-next')]")
    assert [a.get("rel") for a in bar.xpath(".//a")] == ["next"]
    (target,) = [(site.outdir / ESSAY).parent.joinpath(a.get("href")).resolve() for a in bar.xpath(".//a")]
    assert target.is_file() and target != (site.outdir / ESSAY).resolve()
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
