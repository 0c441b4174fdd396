"""Every picture a page shows is a file of the project whose bytes match its extension.

Sphinx copies into ``_images/`` whatever file an image's path names, after
following symlinks: ``![map](../../../somewhere/secret.png)``, or a picture
in ``posts/images/`` that is a symlink to a file elsewhere on the machine,
was published. Before Sphinx collects a document's pictures
(``doctree-read``, ahead of its ``ImageCollector``), each local picture is
asked of ``essaysite.confinement``: it must resolve inside the project, and
a PNG, JPEG, GIF, WebP or SVG file must be one (an SVG is parsed with
entities off, and may carry no script). A picture refused is reported at
its file and line (``picture: ...``) and left out of the page (its alt text
stays), so nothing of it is copied. Pictures in raw HTML are asked the same
by ``essaysite.features.rawimages`` through ``refusal``.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import confinement

logger = logging.getLogger(__name__)


def refusal(app: Sphinx, path: str | Path) -> str | None:
    """Why the picture file at ``path`` (absolute) must not be published, or None."""
    try:
        confinement.inside(path, app.srcdir)
    except confinement.Refused as refused:
        return str(refused)
    if Path(path).is_file() and Path(path).suffix.lower() in confinement.PICTURE_SUFFIXES:
        return confinement.picture_problem(path)
    return None


def is_local(uri: str) -> bool:
    return "://" not in uri and not uri.startswith(("data:", "//"))


def written_path(app: Sphinx, uri: str, docname: str) -> Path:
    """The picture's path as written, symlinks not yet followed (Sphinx's ``relfn2path`` follows them)."""
    if uri.startswith("/"):  # Sphinx reads "/x.png" from the project's root
        return Path(app.srcdir, uri.lstrip("/"))
    return Path(app.srcdir, app.env.doc2path(docname, base=False).parent, uri)


def confine_pictures(app: Sphinx, doctree: nodes.document) -> None:
    """Leave out of the page each picture outside the project or not what its extension says."""
    docname = app.env.docname
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if not uri or not is_local(uri) or "*" in uri:
            continue
        problem = refusal(app, written_path(app, uri, docname))
        if problem is None:
            continue
        logger.warning("picture: %s %s", uri, problem, location=image, type="essays", subtype="picture")
        image.replace_self(nodes.inline("", image.get("alt", "")))


def setup(app: Sphinx) -> dict:
    # Before Sphinx's ImageCollector (doctree-read, priority 500) notes the files to copy.
    app.connect("doctree-read", confine_pictures, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
