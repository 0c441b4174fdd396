"""Findable: a sitemap of canonical URLs, a robots.txt pointing at it, a 404 page."""

import lxml.etree as ET
import pytest

from helpers import html_pages, local_file, parse

pytestmark = pytest.mark.sphinx("html", testroot="findable")

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOT_IN_SITEMAP = {"search.html", "genindex.html", "404.html"}


def sitemap_urls(outdir):
    return ET.parse(str(outdir / "sitemap.xml")).getroot().xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_sitemap_lists_every_page_by_its_canonical_url(built):
    urls = sitemap_urls(built.outdir)
    assert built.base_url + "posts/old-maps.html" in urls and built.base_url + "blog/tag/maps.html" in urls
    assert len(urls) == len(set(urls))
    pages = {p.relative_to(built.outdir).as_posix() for p in html_pages(built.outdir)} - NOT_IN_SITEMAP
    assert {local_file(built.outdir, built.base_url, u).relative_to(built.outdir).as_posix() for u in urls} == pages
    for url in urls:
        page = local_file(built.outdir, built.base_url, url)
        assert parse(page).xpath("//link[@rel='canonical']/@href") == [url]


def test_robots_txt_points_at_the_sitemap(built):
    lines = (built.outdir / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {built.base_url}sitemap.xml" in lines
    assert not [l for l in lines if l.startswith("Disallow: /") and l != "Disallow: "]


def test_404_page_links_from_the_site_root(built):
    page = built.outdir / "404.html"
    root = parse(page)
    assert root.xpath("//h1/text()") == ["Page not found"]
    links = root.xpath("//link/@href | //script/@src | //a/@href | //img/@src")
    local = [l for l in links if not l.startswith(("http", "#", "mailto:"))]
    assert len(local) > 10
    for link in local:
        assert link.startswith("/"), f"404.html: {link} is relative, broken at another depth"
        assert local_file(built.outdir, built.base_url, built.base_url + link.lstrip("/")).is_file(), link


@pytest.mark.parametrize(
    "builder",
    [pytest.param(name, marks=pytest.mark.sphinx(name, testroot="findable", srcdir=f"findable-{name}")) for name in ("html", "dirhtml")],
)
def test_each_address_in_the_sitemap_is_the_builders(app, builder):
    """sitemap.target_uris: a page's name and link suffix as a string where that is the builder's rule
    and the name needs no quoting; the builder's own answer for any other name or builder."""
    from essaysite.features import sitemap

    assert app.builder.name == builder
    names = set(app.env.found_docs) | {"index", "posts/a b", "posts/café", "posts/x#y", "blog/tag/ai"}
    assert sitemap.target_uris(app, names) == {app.builder.get_target_uri(name) for name in names}
