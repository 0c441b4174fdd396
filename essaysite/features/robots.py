"""``robots.txt``: every crawler is welcome, and is told where the sitemap is.

``essaysite.features.sitemap`` writes ``sitemap.xml`` at the output root with canonical
URLs (``html_baseurl``); this writes ``robots.txt`` beside it pointing at its
absolute URL, which is what the robots.txt standard (RFC 9309) and search
engines require. On Read the Docs the default version's ``robots.txt`` is
the one served at the domain root.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from sphinx.application import Sphinx


def robots_txt(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"


def write_robots_txt(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.html_baseurl:
        return
    base = app.config.html_baseurl if app.config.html_baseurl.endswith("/") else app.config.html_baseurl + "/"
    sitemap = urljoin(base, app.config.sitemap_filename)
    Path(app.outdir, "robots.txt").write_text(robots_txt(sitemap), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.features.sitemap")
    app.connect("build-finished", write_robots_txt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
