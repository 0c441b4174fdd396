"""The essays as an e-book: what Sphinx's ``epub`` builder needs to make one of this site.

``make epub`` (and Read the Docs, which runs ``sphinx-build -b epub`` with
the same ``conf.py``) builds it; Sphinx writes it, this module decides what
goes in:

- **The chapters**: every published essay, oldest first; the parts of a
  series follow each other in their order, where the first part falls. The
  root document becomes the title page (the site's name, its author and
  description, the contents), and its list of chapters is the book's table
  of contents (Sphinx's ``nav.xhtml`` and ``toc.ncx`` read it).
- **Nothing else**: no list, tag, archive or series page (ABlog's and the
  site's page generators skip the e-book), no feed, no About or Writing
  page, no sidebar widget (Sphinx's ``epub`` theme draws none; the PyData
  and book themes' page handlers are disconnected,
  ``essaysite.patches.pydata_theme``). What is written all the same is left
  out of the book (``epub_exclude_files``), and a link from an essay to a
  page outside the book leads to that page on the site.
- **The cover**: the site's name, author and description drawn with Pillow
  in the DejaVu Sans the site's card uses (``essaysite.features.site_card``),
  at the path ``epub_cover`` names.

Drafts are never in it: they are no pages of the build
(``essaysite.features.drafts``).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from PIL import Image, ImageDraw
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import state
from essaysite.features import series as series_feature
from essaysite.features.site_card import BOLD, REGULAR, font, wrapped
from essaysite.fragments import is_own_page
from essaysite.incremental.freshness import published_posts
from essaysite.patches import ablog, pydata_theme

logger = logging.getLogger(__name__)

BUILDER = "epub"
COVER_SIZE = (1200, 1800)
COVER_BACKGROUND, COVER_TEXT, COVER_MUTED, COVER_LINE = "#fbf8f3", "#2f363d", "#585e63", "#c9514a"


def is_ebook(app: Sphinx) -> bool:
    return getattr(app.builder, "name", None) == BUILDER


# -- The chapters ------------------------------------------------------------------------


def chapters(app: Sphinx) -> list:
    """The published essays, oldest first, each series together in its order where its first part falls."""
    ordered, seen = [], set()
    for post in sorted(published_posts(app), key=lambda p: (p.date, p.docname)):
        if post.docname in seen:
            continue
        found = series_feature.series_of(app, post.docname)
        for part in found[0].posts if found else [post]:
            if part.docname not in seen:
                seen.add(part.docname)
                ordered.append(part)
    return ordered


def chapter_docnames(app: Sphinx) -> list[str]:
    return [post.docname for post in chapters(app)]


def toc_entry(uri: str, text: str, level: int) -> nodes.list_item:
    """One entry as Sphinx's toctree writes it: the epub builder reads ``toctree-l<level>``."""
    classes = [f"toctree-l{level}"]
    reference = nodes.reference("", "", nodes.Text(text), internal=True, refuri=uri)
    return nodes.list_item("", addnodes.compact_paragraph("", "", reference, classes=classes), classes=classes)


def sections_of(app: Sphinx, docname: str) -> list[tuple[str, str]]:
    """(anchor, title) of the essay's sections (``##``), from Sphinx's table of contents of it."""
    toc = app.env.tocs.get(docname)
    found = []
    if toc is None:
        return found
    for item in toc.findall(nodes.list_item):
        reference = item.next_node(nodes.reference)
        depth = sum(1 for parent in _parents(item) if isinstance(parent, nodes.list_item))
        anchor = reference.get("anchorname", "") if reference is not None else ""
        if depth == 1 and anchor:
            found.append((anchor, reference.astext()))
    return found


def _parents(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def title_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The root document as the book's title page: name, author, description, contents."""
    config = app.config
    page = nodes.section(ids=["title-page"], names=["title page"], classes=["essays-title-page"])
    name = config.epub_title or config.project
    page += nodes.title(name, name)
    page += nodes.paragraph("", f"by {config.epub_author or config.author}", classes=["essays-author"])
    if config.essays_site_description:
        page += nodes.paragraph("", config.essays_site_description, classes=["essays-description"])
    page += nodes.rubric("", "Contents")
    contents = nodes.bullet_list(classes=["essays-contents"])
    for post in chapters(app):
        uri = app.builder.get_relative_uri(docname, post.docname)
        entry = toc_entry(uri, post.title, 1)
        sections = [toc_entry(uri + anchor, title, 2) for anchor, title in sections_of(app, post.docname)]
        if sections:
            entry += nodes.bullet_list("", *sections)
        contents += entry
    page += contents
    doctree.children = []
    doctree += page


def outside_links_to_the_site(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A link from a chapter to a page outside the book leads to that page on the site."""
    inside = {app.builder.get_target_uri(d) for d in [app.config.root_doc, *chapter_docnames(app)]}
    site = app.config.html_baseurl or ""
    here = posixpath.dirname(app.builder.get_target_uri(docname))
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if not uri or uri.startswith("#") or urlsplit(uri).scheme or uri.startswith("//"):
            continue
        path, _, fragment = uri.partition("#")
        target = posixpath.normpath(posixpath.join(here, path))
        if target in inside or target.startswith(("_images/", "_static/", "_downloads/")):
            continue
        web = re.sub(r"\.xhtml$", ".html", target)
        reference["refuri"] = urljoin(site, web) + (f"#{fragment}" if fragment else "") if site else web
        reference["internal"] = False


def shape_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_ebook(app) or not is_own_page(app, doctree):
        return
    if docname == app.config.root_doc:
        title_page(app, doctree, docname)
    else:
        outside_links_to_the_site(app, doctree, docname)


# -- Nothing but the chapters --------------------------------------------------------------


def skip_in_ebook(handler):
    def generate(app: Sphinx):
        if is_ebook(app):
            return []
        return handler(app)

    return generate


def before_themes(app: Sphinx) -> None:
    """builder-inited, first: the book's own theme options; a version, which EPUB 3 asks for."""
    if is_ebook(app):
        pydata_theme.own_theme_options(app)
        give_edition(app)


def give_edition(app: Sphinx, *args) -> None:
    """EPUB 3 asks for a version: the day the book was made (Sphinx stamps it in the metadata too).

    Given while the builder checks its settings and while it writes, not
    while the environment is saved (``env-updated``): saved with it, the
    next ``make html`` would find the configuration changed and read every
    page again.
    """
    if is_ebook(app) and not app.config.version:
        app.config.version = build_day()
        state.of(app).configured.ebook_edition = app.config.version


def take_edition_back(app: Sphinx, env) -> list:
    if is_ebook(app) and state.of(app).configured.ebook_edition and app.config.version == state.of(app).configured.ebook_edition:
        app.config.version = ""
    return []


def build_day() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y.%m.%d")


def prepare(app: Sphinx) -> None:
    """builder-inited, last: the e-book is drawn by Sphinx's epub theme alone."""
    if is_ebook(app):
        pydata_theme.leave_theme_out(app, app.config.epub_theme_options)


BOOK_PAGE = "essays-ebook-page.html"  # essaysite/templates
WEB_ONLY_CSS = ("essays-icons.css",)  # Font Awesome's icons, for the web theme's sidebars


def plain_pages(app: Sphinx, pagename, templatename, context, doctree) -> str | None:
    """A page of the book: the epub theme's page template, without the web theme's head.

    ABlog's ``page.html`` (a previous/next bar, feed links, Font Awesome) gives
    way to the theme's own; the light head of essaysite/templates/layout.html
    and the icons' stylesheet are the web theme's.
    """
    if not is_ebook(app):
        return None
    context["essays_light_pages"] = False
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if not str(getattr(css, "filename", css)).endswith(WEB_ONLY_CSS)]
    return BOOK_PAGE if templatename == "page.html" else None


REFERENCE = re.compile(r'(?:src|href)="([^"#?]+)|url\(\s*["\']?([^"\')#?]+)|@import\s+["\']([^"\']+)')


def referenced_files(outdir: Path, pages: list[str]) -> set[str]:
    """The files the chapters point at (pictures, stylesheets and what those import), relative to the output folder."""
    found: set[str] = set()
    todo = list(pages)
    while todo:
        page = todo.pop()
        path = outdir / page
        if not path.is_file() or path.suffix not in {".xhtml", ".css"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in REFERENCE.finditer(text):
            ref = next(group for group in match.groups() if group)
            if urlsplit(ref).scheme or ref.startswith(("/", "data:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


def leave_out_the_rest(app: Sphinx):
    """Last of the page generators: what is not a chapter, the title page or theirs stays out of the book."""
    if not is_ebook(app):
        return
    yield from ()
    outdir = Path(app.outdir)
    pages = [app.builder.get_target_uri(d) for d in [app.config.root_doc, *chapter_docnames(app)]]
    wanted = set(pages) | referenced_files(outdir, pages)
    cover = cover_path(app)
    if cover:
        wanted.add(cover)
        write_cover(app, outdir / cover)
    # Pictures are copied after this: those the chapters do not show stay out too.
    pictures = {posixpath.join(app.builder.imagedir, name) for name in app.builder.images.values()}
    written = {p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file()}
    app.config.epub_exclude_files = sorted(
        name for name in written | pictures if name not in wanted and name != "mimetype"
    )


# -- The cover -------------------------------------------------------------------------------


def cover_path(app: Sphinx) -> str | None:
    cover = app.config.epub_cover
    return cover[0] if cover else None


def draw_cover(name: str, author: str, description: str) -> bytes:
    """The book's cover as PNG bytes: the same bytes for the same words."""
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, COVER_BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 110
    name_font, text_font, author_font = font(BOLD, 120), font(REGULAR, 44), font(BOLD, 56)
    top = 420
    for number, line in enumerate(wrapped(draw, name, name_font, width - 2 * margin, 3)):
        draw.text((margin, top + number * 145), line, font=name_font, fill=COVER_TEXT, anchor="lt")
    draw.rectangle((margin, 340, margin + 160, 352), fill=COVER_LINE)
    for number, line in enumerate(wrapped(draw, description, text_font, width - 2 * margin, 5)):
        draw.text((margin, 900 + number * 62), line, font=text_font, fill=COVER_MUTED, anchor="lt")
    draw.text((margin, height - 200), author, font=author_font, fill=COVER_TEXT, anchor="lt")
    draw.rectangle((0, height - 40, width, height), fill=COVER_LINE)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()


def write_cover(app: Sphinx, path: Path) -> None:
    config = app.config
    data = draw_cover(config.epub_title or config.project, config.epub_author or config.author, config.essays_site_description)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


# -- The download, linked from the About page ---------------------------------------------------


def ebook_role(app: Sphinx):
    """``{ebook}`text```: a link to the e-book's download (``essays_ebook_url``), or the text alone where there is none."""

    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        url = app.config.essays_ebook_url
        if url:
            return [nodes.reference(rawtext, text, refuri=url, classes=["essays-ebook-download"])], []
        note = " (a download on the published site; make epub builds it locally)"
        return [nodes.inline(rawtext, text + note, classes=["essays-ebook-download"])], []

    return role


def setup(app: Sphinx) -> dict:
    # Read the Docs' address of the EPUB download (formats: [epub]); empty where there is none.
    app.add_config_value("essays_ebook_url", "", "env", types=frozenset({str}))
    app.add_role("ebook", ebook_role(app))
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.features.series")
    app.setup_extension("essaysite.features.site_card")
    # Before Sphinx checks the epub settings and the themes set theirs up (500); and after.
    app.connect("builder-inited", before_themes, priority=100)
    app.connect("builder-inited", prepare, priority=900)
    app.connect("env-updated", take_edition_back, priority=999)
    app.connect("write-started", give_edition)
    ablog.wrap_handler(app, "html-collect-pages", "generate_archive_pages", skip_in_ebook)
    app.connect("html-page-context", plain_pages, priority=900)
    # After the features that add to an essay's page (backlinks, related essays, series).
    app.connect("doctree-resolved", shape_pages, priority=950)
    app.connect("html-collect-pages", leave_out_the_rest, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
