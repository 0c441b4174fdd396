"""Pictures inside raw HTML are published too.

Sphinx copies the pictures of ``image`` nodes into ``_images/`` and ignores
``<img src="...">`` inside raw HTML (an essay imported from a Jekyll post
written in HTML keeps its HTML). Here each such picture that is a file of
the site, relative to the essay, is registered with the builder like any
other picture (``essaysite.patches.sphinx.publish_picture``), and its
``src`` is pointed at the copy. A ``src`` that names no file is reported
with the essay's file and line.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from essaysite import state
from essaysite.features import pictures
from essaysite.features.rawfiles import problem
from essaysite.patches import sphinx as sphinx_patches

logger = logging.getLogger(__name__)

IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc=)([\"'])([^\"']+)\2", re.I)


def is_local(src: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//|/|#)", src, re.I)


def publish_raw_pictures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not hasattr(app.builder, "images"):
        return
    imgpath = relative_uri(app.builder.get_target_uri(docname), app.builder.imagedir)
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split() or "<img" not in raw.astext().lower():
            continue

        def point(match: re.Match, raw=raw) -> str:
            src = match.group(3)
            if not is_local(src):
                return match.group(0)
            here = posixpath.normpath(posixpath.join(posixpath.dirname(app.builder.get_target_uri(docname)), src))
            if here.startswith(app.builder.imagedir + "/") and here.split("/", 1)[1] in app.builder.images.values():
                return match.group(0)  # pointed at the published copy already (a page's resolving can run twice)
            # Relative to the essay the HTML was written in (ABlog shows excerpts on other pages).
            owner = (raw.source and app.env.path2doc(raw.source)) or docname
            path = posixpath.normpath(posixpath.join(posixpath.dirname(owner), src))
            refused = pictures.refusal(app, Path(app.srcdir) / path)  # outside the project, or not a picture
            if refused is not None and (owner, src) not in state.of(app).reported.missing_raw_pictures:
                state.of(app).reported.missing_raw_pictures.add((owner, src))
                logger.warning("picture: %s %s", src, refused, location=raw, type="essays", subtype="picture")
            if refused is not None:
                return match.group(0)
            reason = problem(Path(app.srcdir), path)  # not found (outside the project was refused above)
            if reason:
                # doctree-resolved can fire more than once for a page: say it once.
                reported = state.of(app).reported.missing_raw_pictures
                if (docname, src) in reported:
                    return match.group(0)
                reported.add((docname, src))
                logger.warning("picture %s in raw HTML %s", src, reason, location=raw, type="rawimages", subtype="missing")
                return match.group(0)
            name = sphinx_patches.publish_picture(app, docname, path)
            if name is None:  # Sphinx's picture table is not what essaysite.patches.sphinx knows
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}{imgpath}/{name}{match.group(2)}"

        text = IMG_SRC.sub(point, raw.astext())
        raw.children = [nodes.Text(text)]
        raw.rawsource = text


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", publish_raw_pictures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
