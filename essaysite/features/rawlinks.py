"""Links inside raw HTML are checked too.

Sphinx checks Markdown links and roles, but not ``<a href="...">`` inside raw
HTML: an essay imported from a Jekyll post written in HTML keeps its HTML,
and its ``{% post_url %}`` links become such links. Each local link found
while reading (``doctree-read``) is kept in the environment; when the build
has written everything (``build-finished``), a link whose target is no file
of the built site is reported with the essay's file and line. Anchors
(``#id``) are checked by ``make check``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from essaysite.features.rawfiles import is_file_link

logger = logging.getLogger(__name__)

HREF = re.compile(r"<a\b[^>]*?\bhref=([\"'])([^\"']+)\1", re.I)
NOT_LOCAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|/|#)", re.I)


def raw_links(env: BuildEnvironment) -> dict:
    if not hasattr(env, "essays_raw_links"):
        env.essays_raw_links = {}
    return env.essays_raw_links


def collect_raw_links(app: Sphinx, doctree: nodes.document) -> None:
    found = []
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        for match in HREF.finditer(raw.astext()):
            href = match.group(2).strip()
            if href and not NOT_LOCAL.match(href) and not is_file_link(href):  # files: rawfiles
                found.append((href, raw.line))
    if found:
        raw_links(app.env)[app.env.docname] = found
    else:
        raw_links(app.env).pop(app.env.docname, None)


def purge_raw_links(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    raw_links(env).pop(docname, None)


def merge_raw_links(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    theirs = raw_links(other)
    for docname in docnames:
        if docname in theirs:
            raw_links(env)[docname] = theirs[docname]


def check_raw_links(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or not hasattr(app.builder, "get_target_uri"):
        return
    outdir = Path(app.outdir)
    for docname, links in sorted(raw_links(app.env).items()):
        if docname not in app.env.found_docs:
            continue
        folder = posixpath.dirname(app.builder.get_target_uri(docname))
        for href, line in links:
            path = unquote(urlsplit(href).path)
            if not path:
                continue
            target = outdir / posixpath.normpath(posixpath.join(folder, path))
            if path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                logger.warning(
                    "link %r in raw HTML leads to no page of the site: point it at an essay's page, or write it "
                    "as a Markdown link to the essay's .md file so that the build can follow it",
                    href, location=(docname, line), type="rawlinks", subtype="missing",
                )


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", collect_raw_links)
    app.connect("env-purge-doc", purge_raw_links)
    app.connect("env-merge-info", merge_raw_links)
    app.connect("build-finished", check_raw_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
