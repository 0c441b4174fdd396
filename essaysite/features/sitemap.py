"""``sitemap.xml``: every public page by its canonical URL, after any build.

Why not sphinx-sitemap (which the site used first): it collects a page's URL
when the page is written (``html-page-context``) and writes the sitemap from
what it collected in that build. ``essaysite.incremental.freshness`` rewrites only the
pages whose inputs changed, so after an incremental build its sitemap listed
just those few pages; its order was the order pages were written (in a
parallel build, the order of the writing processes). Feeding it the other
pages would mean refilling its private multiprocessing queue. The list does
not need the pages to be written, though: a build publishes

- every document of the environment (drafts are not documents of a public
  build, ``essaysite.features.drafts``), whether or not this build rewrote it, and
- the pages extensions generate (ABlog's lists and their further pages, the
  404 page, search, the index), which every HTML build writes again; they are
  noted here as they are written (in the main process, or announced there by
  ``essaysite.speed.parallel_pages`` when another process wrote them).

So the sitemap is made from those, sorted: a plain, a clean and a parallel
build of the same sources write the same bytes. Redirect pages
(``essaysite.features.redirects``) are not pages of the site and are not listed.

``sitemap_excludes`` (shell-style patterns matched against a page's address
relative to the site, e.g. ``search.html``) leaves pages out;
``sitemap_filename`` names the file. URLs start from ``html_baseurl``, which
on Read the Docs carries the ``/<lang>/<version>/`` prefix.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from urllib.parse import urljoin

from lxml import etree
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import state

logger = logging.getLogger(__name__)

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
BUILDERS = {"html", "dirhtml"}  # one page per document, as a reader gets them


def note_generated_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Generated pages (no source document) are written again by every build."""
    if pagename not in app.env.found_docs:
        note_page(app, pagename)


def note_page(app: Sphinx, pagename: str) -> None:
    state.of(app).outputs.sitemap_pages.add(pagename)


def site_base(app: Sphinx) -> str:
    base = app.config.html_baseurl
    return base if base.endswith("/") else base + "/"


# Characters an address keeps as they are (``urllib.parse.quote``'s safe ones and "/").
PLAIN_NAME = re.compile(r"[A-Za-z0-9_.~/-]+")


def target_uris(app: Sphinx, pagenames) -> set[str]:
    """Each page's address relative to the site: the builder's, or its name and link suffix where
    the builder's rule, checked on a sample, is that and the name needs no quoting (a string per page)."""
    builder = app.builder
    suffix = getattr(builder, "link_suffix", None)
    plain = isinstance(suffix, str) and builder.get_target_uri("a/b") == "a/b" + suffix
    return {name + suffix if plain and PLAIN_NAME.fullmatch(name) else builder.get_target_uri(name) for name in pagenames}


def sitemap_links(app: Sphinx) -> list[str]:
    """Addresses of the published pages, relative to the site, sorted."""
    pagenames = set(app.env.found_docs) | state.of(app).outputs.sitemap_pages
    links = target_uris(app, pagenames)
    excluded = app.config.sitemap_excludes
    return sorted(link for link in links if not any(fnmatch.fnmatch(link, pattern) for pattern in excluded))


def sitemap_xml(urls: list[str]) -> bytes:
    root = etree.Element("urlset", nsmap={None: NAMESPACE})
    for url in urls:
        etree.SubElement(etree.SubElement(root, "url"), "loc").text = url
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_sitemap(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.name not in BUILDERS:
        return
    if not app.config.html_baseurl:
        logger.warning("no sitemap.xml: set html_baseurl (the site's canonical address) in conf.py", type="sitemap")
        return
    base = site_base(app)
    urls = [urljoin(base, link) for link in sitemap_links(app)]
    Path(app.outdir, app.config.sitemap_filename).write_bytes(sitemap_xml(urls))


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed.parallel_pages")
    app.add_config_value("sitemap_filename", "sitemap.xml", "html", types=[str])
    app.add_config_value("sitemap_excludes", [], "html", types=[list])
    app.connect("html-page-context", note_generated_page)
    app.connect("essay-page-written-elsewhere", note_page)  # essaysite.speed.parallel_pages
    app.connect("build-finished", write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
