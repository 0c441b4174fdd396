"""Previews when a page is shared: OpenGraph and Twitter card tags on every page.

sphinxext-opengraph writes the ``og:`` tags of pages that come from a source
file. This module completes it for the essay site:

- an essay's ``cover:`` picture (front matter, relative to the essay) is its
  ``og:image``, with ``cover_alt:`` as its description. Social sites reject
  SVG, so an SVG cover is converted to a PNG (cairosvg) under
  ``_images/covers/``; PNG, JPEG, GIF and WebP covers are copied as they are;
- an essay's description is its excerpt, and its ``og:type`` is ``article``;
- pages without a source file (ABlog's lists, the 404 page, search) get the
  same tags, from their title and text;
- pages without a cover share the site's card (``essaysite.features.site_card``);
  a page's description comes from its own text: the boxes the site adds to
  an essay's page (series, backlinks, related essays, reading time; class
  ``no-search``) are not part of it;
- every page gets Twitter card tags matching its ``og:`` tags.

A cover that does not exist, is not a picture, or has no ``cover_alt`` is
reported with the essay's file name and the fix.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import shutil
import struct
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import lxml.html
from docutils import nodes
from sphinx.util.docutils import new_document  # caches the settings docutils would rebuild per call
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import confinement
from essaysite.patches import ablog

logger = logging.getLogger(__name__)

COVER_FOLDER = "_images/covers"
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
COVER_WIDTH = 1200  # pixels of an SVG cover's PNG: what large preview cards use
DESCRIPTION_LENGTH = 200


def essay_covers(env) -> dict[str, dict]:
    if not hasattr(env, "essay_covers"):
        env.essay_covers = {}
    return env.essay_covers


def collect_cover(app: Sphinx, doctree: nodes.document) -> None:
    """Read and check an essay's ``cover`` and ``cover_alt`` front matter (doctree-read).

    A missing picture or alt text is a warning of type ``essays.cover``:
    ``make check`` reports those in its front-matter step, with the line,
    and silences them in its build so that each problem is said once.
    """
    env = app.env
    docname = env.docname
    meta = env.metadata.get(docname, {})
    essay_covers(env).pop(docname, None)
    if "cover" not in meta:
        if "cover_alt" in meta:
            logger.warning("`cover_alt` without `cover`: add `cover: images/<picture>` or remove `cover_alt`", location=docname)
        return
    cover = str(meta["cover"]).strip()
    try:  # essaysite.confinement: inside the project, symlinks followed; no absolute path
        source = confinement.relative_inside(app.srcdir, Path(env.doc2path(docname)).parent, cover)
    except confinement.Refused as refused:
        logger.warning("cover %s %s", cover, refused, location=docname)
        return
    suffix = source.suffix.lower()
    if not cover or not source.is_file():
        logger.warning(
            "cover %r not found (looked for %s): give the picture's path relative to the essay, e.g. `cover: images/x.png`",
            cover, source, location=docname, type="essays", subtype="cover",
        )
        return
    if suffix not in RASTER | {".svg"}:
        logger.warning("cover %r is not a PNG, JPEG, GIF, WebP or SVG picture: convert it or pick another", cover, location=docname)
        return
    if problem := confinement.picture_problem(source):
        logger.warning("cover %s %s", cover, problem, location=docname)
        return
    alt = str(meta.get("cover_alt", "")).strip()
    if not alt:
        logger.warning('cover %r has no `cover_alt`: add `cover_alt: "..."` describing the picture', cover, location=docname, type="essays", subtype="cover")
        return
    env.note_dependency(str(source))
    essay_covers(env)[docname] = {"source": str(source), "alt": alt}


def purge_cover(app: Sphinx, env, docname: str) -> None:
    essay_covers(env).pop(docname, None)


def merge_covers(app: Sphinx, env, docnames, other) -> None:
    covers = essay_covers(env)
    for docname, cover in essay_covers(other).items():
        if docname in docnames:
            covers[docname] = cover


def cover_target(docname: str, source: Path) -> str:
    """Output path of a cover: named after the essay, with a digest that changes with the picture."""
    digest = hashlib.sha1(source.read_bytes(), usedforsecurity=False).hexdigest()[:8]
    suffix = ".png" if source.suffix.lower() == ".svg" else source.suffix.lower()
    return f"{COVER_FOLDER}/{PurePosixPath(docname).name}-{digest}{suffix}"


def png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def cover_file(app: Sphinx, docname: str) -> tuple[str, tuple[int, int] | None] | None:
    """The output path (and PNG size) of an essay's cover, written on first use."""
    cover = essay_covers(app.env).get(docname)
    if cover is None:
        return None
    source = Path(cover["source"])
    target_rel = cover_target(docname, source)
    target = Path(app.outdir, target_rel)
    if source.suffix.lower() == ".svg" and not cairo_available():
        # `make html` must work with Python alone: without the Cairo library
        # the SVG itself is the preview picture (some social sites ignore SVG).
        target_rel = target_rel[: -len(".png")] + ".svg"
        target = Path(app.outdir, target_rel)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix.lower() == ".svg" and target.suffix == ".png":
            import cairosvg

            cairosvg.svg2png(url=str(source), write_to=str(target), output_width=COVER_WIDTH)
        else:
            shutil.copyfile(source, target)
    return target_rel, png_size(target)


@functools.cache
def cairo_available() -> bool:
    """Whether cairosvg can load the Cairo library (Debian: libcairo2)."""
    try:
        import cairosvg  # noqa: F401
    except (OSError, ImportError):  # cairocffi found no libcairo
        logger.info("the Cairo library is missing (apt-get install libcairo2): SVG covers are shared as SVG, not PNG")
        return False
    return True


def site_url(app: Sphinx) -> str:
    url = app.config.ogp_site_url or app.config.html_baseurl
    return url if url.endswith("/") else url + "/"


def excerpt_text(app: Sphinx, pagename: str) -> str | None:
    """An essay's excerpt as plain text, or None for a page that is not an essay."""
    blog = ablog.blog_of(app)
    if pagename not in blog:
        return None
    # Rendered, so that a reference reads as the title it shows, not its label.
    from essaysite.features.rendering import excerpt_text as rendered_excerpt_text

    return shorten(rendered_excerpt_text(app, blog[pagename]))


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    return text[: length - 3].rsplit(" ", 1)[0] + "..."


def describe_essay(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Give sphinxext-opengraph an essay's cover and excerpt (before it runs)."""
    if doctree is None:
        return
    meta = dict(context.get("meta") or {})  # a copy: the original is the environment's
    description = excerpt_text(app, pagename)
    if description:
        meta["og:description"] = description
        meta["og:type"] = "article"
        # sphinxext-opengraph writes no description of its own when one is there.
        context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{html.escape(description)}" />\n'
    cover = cover_file(app, pagename)
    if cover:
        path, size = cover
        meta["og:image"] = urljoin(site_url(app), path)
        meta["og:image:alt"] = essay_covers(app.env)[pagename]["alt"]
        if size:
            meta["og:image:width"], meta["og:image:height"] = (str(n) for n in size)
    context["meta"] = meta


def leave_out_site_additions(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Take the site's boxes out of the doctree sphinxext-opengraph describes (before it runs).

    sphinxext-opengraph writes a page's description from the first words of
    the doctree (it drew its cards, and wrote their alt text, from them too): for an essay in a series they were "Part 2 of 3 in
    the series ...", for a short one its backlinks and related essays. The
    page's body is already rendered when ``html-page-context`` fires, and
    the doctree (a fresh copy for this page) is not used after it.
    """
    if doctree is None:
        return
    for node in list(doctree.findall(nodes.Element)):
        if "no-search" in node.get("classes", ()) and node.parent is not None:
            node.parent.remove(node)


def page_text(context) -> str:
    body = context.get("body") or ""
    if not body.strip():
        return ""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for heading in root.xpath("//h1"):
        heading.drop_tree()
    return " ".join(root.text_content().split())


def describe_generated_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """OpenGraph tags for a page without a source file (after sphinxext-opengraph)."""
    if doctree is not None or app.builder.name == "epub":
        return
    # Sphinx's own search and index pages set their title in the template.
    title = context.get("title") or {"search": "Search", "genindex": "Index"}.get(pagename, pagename)
    from sphinxext.opengraph import get_tags

    collection = context.get("collection")
    if collection is not None and hasattr(collection, "__iter__"):  # one of ABlog's lists
        # A page of a paginated list is described by its own essays (essaysite.features.pagination).
        page = context.get("essays_page")
        titles = [post.title for post in (page.posts if page else collection) if getattr(post, "published", False)]
        # The title is HTML (essaysite.features.metadata_text escaped a list's); the description is text.
        text = shorten(f"{html.unescape(str(title))}: {'; '.join(titles)}.") if titles else html.unescape(str(title))
    else:
        text = page_text(context) or html.unescape(str(title))
    document = new_document(pagename)
    document += nodes.paragraph(text, text)
    context.setdefault("metatags", "")
    context["metatags"] += get_tags(
        {"meta": None, **context, "title": title}, document, srcdir=app.srcdir, outdir=app.outdir, config=app.config, builder=app.builder, env=app.env
    )


OG_TAG = re.compile(r'<meta property="og:([a-z:_]+)" content="([^"]*)" />')


def add_twitter_tags(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Twitter card tags mirroring the page's ``og:`` tags."""
    metatags = context.get("metatags", "")
    og = dict(OG_TAG.findall(metatags))
    if "title" not in og:
        return
    # X reads og:title, og:description and og:image when its own tags are
    # missing (its card markup reference): only what has no og: fallback.
    twitter = {
        "twitter:card": "summary_large_image" if "image" in og else "summary",
        "twitter:image:alt": og.get("image:alt"),
    }
    extra = [
        f'<meta name="{name}" content="{value}" />'  # values come escaped from the og: tags
        for name, value in twitter.items()
        if value is not None and f'name="{name}"' not in metatags
    ]
    context["metatags"] = metatags + "\n".join(extra) + "\n"


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.state")  # empties the excerpts rendered, once reading is done
    # sphinxext-opengraph, without its card drawing, and the site's card for pages without a cover.
    app.setup_extension("essaysite.features.site_card")
    app.connect("doctree-read", collect_cover)
    app.connect("env-purge-doc", purge_cover)
    app.connect("env-merge-info", merge_covers)
    app.connect("html-page-context", leave_out_site_additions, priority=440)
    app.connect("html-page-context", describe_essay, priority=450)
    app.connect("html-page-context", describe_generated_page, priority=550)
    app.connect("html-page-context", add_twitter_tags, priority=650)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
