"""Covers on the lists: each essay with a ``cover:`` shows it as a thumbnail.

The home page's latest essays and every list of essays (all essays, a tag,
a category, a year, a series) show an essay's cover beside its title, date,
reading time and excerpt: a small picture made from the cover
(``essaysite.features.previews`` checked it and its ``cover_alt``), with
its size, ``loading="lazy"`` and the cover's alt text.

The thumbnail is ``WIDTH`` pixels wide (twice what a list shows, for sharp
screens): an SVG cover drawn by cairosvg where the Cairo library is
installed (else the SVG itself is shown, scaled), a PNG, JPEG, GIF or WebP
one scaled down by Pillow. It is written once under
``_images/thumbnails/``, named after the essay and a digest of the cover,
so a changed cover gets a new file; a build that no longer uses one removes
it (``essaysite.incremental.freshness``). What the lists show of a cover is
each essay's list input (``essay-list-inputs``): a list is written again
when a cover or its alt text changes.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tempfile
from pathlib import Path, PurePosixPath

from docutils import nodes
from markupsafe import Markup
from PIL import Image
from sphinx.application import Sphinx

from essaysite.features.previews import cairo_available, essay_covers
from essaysite.fragments import is_own_page

FOLDER = "_images/thumbnails"
WIDTH = 480  # pixels; the lists show it at most 240 CSS pixels wide
SHOWN = 240
SVG_SIZE = re.compile(rb'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


def thumbnail_name(docname: str, source: Path) -> str:
    digest = hashlib.sha1(source.read_bytes() + str(WIDTH).encode(), usedforsecurity=False).hexdigest()[:8]
    suffix = source.suffix.lower()
    if suffix == ".svg":
        suffix = ".png" if cairo_available() else ".svg"
    elif suffix in {".gif", ".webp"}:
        suffix = ".png"
    return f"{FOLDER}/{PurePosixPath(docname).name}-{digest}{suffix.replace('.jpeg', '.jpg')}"


def write_atomically(target: Path, write) -> None:
    """``write(path)`` into a temporary file next to ``target``, then renamed (parallel writers agree)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
    os.close(handle)
    try:
        write(temporary)
        # As any other output file (mkstemp makes it readable by its owner only).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def make_thumbnail(source: Path, target: Path) -> None:
    if source.suffix.lower() == ".svg":
        if target.suffix == ".svg":
            write_atomically(target, lambda path: Path(path).write_bytes(source.read_bytes()))
            return
        import cairosvg

        write_atomically(target, lambda path: cairosvg.svg2png(url=str(source), write_to=path, output_width=WIDTH))
        return
    with Image.open(source) as picture:
        picture.load()
        if picture.width > WIDTH:
            picture = picture.resize((WIDTH, max(1, round(picture.height * WIDTH / picture.width))), Image.LANCZOS)
        if target.suffix == ".jpg":
            write_atomically(target, lambda path: picture.convert("RGB").save(path, "JPEG", quality=82, optimize=True))
        else:
            write_atomically(target, lambda path: picture.save(path, "PNG", optimize=True))


def picture_size(path: Path) -> tuple[int, int]:
    if path.suffix == ".svg":
        found = SVG_SIZE.search(path.read_bytes()[:4096])
        return (round(float(found[1])), round(float(found[2]))) if found else (WIDTH, WIDTH * 5 // 8)
    with Image.open(path) as picture:
        return picture.size


def thumbnail(app: Sphinx, docname: str) -> dict | None:
    """The essay's thumbnail: its path in the output folder, size as shown, and alt text; written on first use."""
    from essaysite.incremental.freshness import build_cache

    cache = build_cache(app).setdefault("thumbnails", {})
    if docname in cache:
        return cache[docname]
    cover = essay_covers(app.env).get(docname)
    if cover is None:
        return cache.setdefault(docname, None)
    source = Path(cover["source"])
    relpath = thumbnail_name(docname, source)
    target = Path(app.outdir, relpath)
    if not target.exists():
        make_thumbnail(source, target)
    width, height = picture_size(target)
    found = {"path": relpath, "width": SHOWN, "height": max(1, round(height * SHOWN / width)), "alt": cover["alt"]}
    return cache.setdefault(docname, found)


def img_html(found: dict, src: str) -> Markup:
    return Markup('<img class="essay-thumbnail" src="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async" />').format(
        src, found["width"], found["height"], found["alt"]
    )


def from_page(app: Sphinx, pagename: str, relpath: str) -> str:
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    return posixpath.relpath(relpath, folder or ".")


def cover_html(app: Sphinx, pagename: str, post) -> Markup:
    """The thumbnail of ``post`` for the page ``pagename``, or nothing."""
    found = thumbnail(app, post.docname)
    return img_html(found, from_page(app, pagename, found["path"])) if found else Markup("")


def add_template_helper(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # HTML for the templates under ablog/, which escape what is not Markup.
    context["essay_cover"] = lambda post, page=pagename: cover_html(app, page, post)


def add_to_post_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """ABlog's ``postlist`` (the home page's latest essays): each entry's cover before its title."""
    from essaysite.incremental.freshness import published_posts

    if not is_own_page(app, doctree) or app.builder.format != "html":
        return
    by_uri = None
    for postlist in doctree.findall(nodes.bullet_list):
        if "postlist" not in postlist["classes"]:
            continue
        if by_uri is None:
            by_uri = {app.builder.get_relative_uri(docname, p.docname): p for p in published_posts(app)}
        for item in postlist.children:
            title = next((p for p in item.findall(nodes.paragraph) if "ablog-post-title" in p["classes"]), None)
            ref = title and next(iter(title.findall(nodes.reference)), None)
            post = ref and by_uri.get(ref.get("refuri"))
            if post and post.published:
                # The date, then " · 3 min read" (essaysite.features.reading_time), on a line under the title.
                date = nodes.inline("", post.date.strftime(app.config.post_date_format), classes=["essay-date"])
                title.insert(title.index(ref) + 1, [nodes.Text(" "), date])
            html = post and cover_html(app, docname, post)
            if html:
                item.insert(0, nodes.raw("", str(html), format="html"))
                item["classes"].append("essay-with-cover")


def list_inputs(app: Sphinx, docname: str):
    """What a list shows of the essay's cover: the picture (by digest) and its alt text."""
    cover = essay_covers(app.env).get(docname)
    if cover is None:
        return None
    return ["thumbnail", thumbnail_name(docname, Path(cover["source"])), cover["alt"]]


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.features.previews")  # the covers, checked
    app.setup_extension("essaysite.incremental.freshness")
    # After ABlog's post lists (500) and the reading time (520).
    app.connect("doctree-resolved", add_to_post_lists, priority=530)
    app.connect("html-page-context", add_template_helper)
    app.connect("essay-list-inputs", list_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
