"""Files that raw HTML links to or embeds are published with the essay.

Sphinx publishes the pictures of ``image`` nodes and the files of
``{download}`` links, but no file named inside raw HTML: a video's
``<source src>`` and ``poster``, ``<audio src>``, ``<track src>``,
``<object data>``, ``<embed src>``, a ``srcset``, ``<a href="notes.pdf">``.
An essay imported from Jekyll keeps such HTML. (An ``<img src>`` is
rawimages'; a link to a page is rawlinks'.)

Like sphinx.ext.todo's list, the files are collected while each essay is
read (``doctree-read``) and kept in the environment (``env-purge-doc``,
``env-merge-info``). When the build has written everything, each file is
copied into the built site at its own path, next to the page
(``posts/media/clip.mp4`` is published as ``posts/media/clip.mp4``, so the
essay's address works as written), and every page that shows the HTML (the
home page's excerpt too) points at it. A file that does not exist, or that
is outside the project once symbolic links are followed (asked of
essaysite.confinement, in its words, as for every picture), is one warning
with the essay's file and line, and is not published.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.osutil import copyfile, relative_uri

from essaysite import confinement

logger = logging.getLogger(__name__)

ENV_VERSION = 1
# The addresses published, per element (an <img>'s src is rawimages').
ATTRIBUTES = {
    "a": {"href"},
    "source": {"src", "srcset"},
    "video": {"src", "poster"},
    "audio": {"src"},
    "track": {"src"},
    "object": {"data"},
    "embed": {"src"},
    "img": {"srcset"},
}
TAG = re.compile(r"<(?P<name>" + "|".join(ATTRIBUTES) + r")\b(?P<attrs>[^>]*)>", re.I)
ATTRIBUTE = re.compile(r"(?<![\w-])(?P<name>[a-z]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+))", re.I)
NOT_LOCAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|/|#)", re.I)
# An <a href> ending so names a page (rawlinks checks it), not a file.
PAGE_SUFFIXES = {"", ".html", ".htm", ".md", ".rst"}
# A srcset candidate: an address, then an optional width or density.
CANDIDATE = re.compile(r"(?:^|,)\s*(?P<url>[^\s,]+)[^,]*")


@dataclass
class Reference:
    url: str  # as written
    start: int  # where it is in the raw HTML
    end: int
    attribute: str
    element: str


def is_file_link(href: str) -> bool:
    """Whether an ``<a href>`` names a file (a PDF, a picture) rather than a page."""
    path = unquote(urlsplit(href).path)
    return not NOT_LOCAL.match(href) and not path.endswith("/") and posixpath.splitext(path)[1].lower() not in PAGE_SUFFIXES


def references(html: str):
    """The local file addresses of raw HTML, in order."""
    for tag in TAG.finditer(html):
        element = tag.group("name").lower()
        for attribute in ATTRIBUTE.finditer(tag.group("attrs")):
            name = attribute.group("name").lower()
            if name not in ATTRIBUTES[element]:
                continue
            group = next(g for g in ("dq", "sq", "bare") if attribute.group(g) is not None)
            value, offset = attribute.group(group), tag.start("attrs") + attribute.start(group)
            if name == "srcset":
                pieces = [(m.group("url"), offset + m.start("url")) for m in CANDIDATE.finditer(value) if m.group("url")]
            else:
                pieces = [(value.strip(), offset + len(value) - len(value.lstrip()))]
            for url, start in pieces:
                if not url or NOT_LOCAL.match(url) or (element == "a" and not is_file_link(url)):
                    continue
                yield Reference(url, start, start + len(url), name, element)


def project_path(docname: str, url: str) -> str:
    """The file an address names, relative to the project (may start with ``..``)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), unquote(urlsplit(url).path)))


def problem(srcdir: Path, path: str) -> str | None:
    """Why the file cannot be published (None: it can)."""
    try:
        confinement.inside(srcdir / path, srcdir)
    except confinement.Refused as refused:
        return f"{refused}: copy it into the project and point at the copy"
    if not confinement.resolved(srcdir / path).is_file():
        return "not found: put the file there, or correct the address"
    return None


def raw_files(env: BuildEnvironment) -> dict[str, list[str]]:
    """Per essay, the files its raw HTML names, relative to the project."""
    if not hasattr(env, "essays_raw_files"):
        env.essays_raw_files = {}
    return env.essays_raw_files


def collect_raw_files(app: Sphinx, doctree: nodes.document) -> None:
    docname, srcdir, found = app.env.docname, Path(app.srcdir), []
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        for ref in references(text):
            path = project_path(docname, ref.url)
            reason = problem(srcdir, path)
            if reason:
                line = raw.line + text.count("\n", 0, ref.start) if raw.line else None
                logger.warning(
                    "file %r (%s of <%s> in raw HTML) %s", ref.url, ref.attribute, ref.element, reason,
                    location=(docname, line), type="rawfiles", subtype="missing",
                )
            elif path not in found:
                found.append(path)
    if found:
        raw_files(app.env)[docname] = found
    else:
        raw_files(app.env).pop(docname, None)


def purge_raw_files(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    raw_files(env).pop(docname, None)


def merge_raw_files(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    theirs = raw_files(other)
    for docname in docnames:
        if docname in theirs:
            raw_files(env)[docname] = theirs[docname]


def point_at_published_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each page that shows the HTML (its essay, an excerpt elsewhere) points at the published files."""
    if app.builder.format != "html" or not hasattr(app.builder, "get_target_uri"):
        return
    page = app.builder.get_target_uri(docname)
    published = raw_files(app.env)
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        # Relative to the essay the HTML was written in; from the text as written
        # (a page's doctree can be resolved more than once).
        owner = (raw.source and app.env.path2doc(raw.source)) or docname
        text = raw.get("essays_written", raw.astext())
        files = set(published.get(owner, ()))
        out, pos = [], 0
        for ref in references(text):
            path = project_path(owner, ref.url)
            if path not in files:
                continue
            parts = urlsplit(ref.url)
            address = quote(relative_uri(page, path)) + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
            if unquote(address) != unquote(ref.url):
                out.extend([text[pos : ref.start], address])
                pos = ref.end
        if out:
            raw["essays_written"] = text
            rewritten = "".join(out) + text[pos:]
            raw.children = [nodes.Text(rewritten)]
            raw.rawsource = rewritten


def publish_raw_files(app: Sphinx, exception) -> None:
    """Copy each file next to the page, at its own path in the built site."""
    if exception is not None or app.builder.format != "html" or not hasattr(app.builder, "get_target_uri"):
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    for docname, paths in sorted(raw_files(app.env).items()):
        if docname not in app.env.found_docs:
            continue
        for path in paths:
            if problem(srcdir, path) is None:  # it may have gone since the essay was read
                (outdir / path).parent.mkdir(parents=True, exist_ok=True)
                copyfile(srcdir / path, outdir / path, force=True)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", collect_raw_files)
    app.connect("env-purge-doc", purge_raw_files)
    app.connect("env-merge-info", merge_raw_files)
    app.connect("doctree-resolved", point_at_published_files)
    app.connect("build-finished", publish_raw_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": ENV_VERSION}
