"""The page's table of contents turned into HTML once per page, not three times.

The PyData theme's ``generate_toc_html()`` (in every page's context) parses
Sphinx's table of contents of the page with BeautifulSoup, adds its classes,
and returns a BeautifulSoup tag; it keeps that tag for the page, but the
templates turn it into HTML three times a page: the in-page table of
contents (``page-toc.html``, rendered once by the theme to see whether it is
empty and once to write it) and the one the book theme prints
(``layout.html``). At 100 essays that was 344 conversions for 130 tables of
contents.

The function is wrapped in each page's context, after the theme puts it
there and before the theme first tests a template of the page for
emptiness (through the theme's function that does it,
``essaysite.patches.pydata_theme.SKIP_EMPTY_CHECK``): the tag is turned into
HTML once and given to the templates as that text, which reports the tag's
length (``| length``, its children) and is true as the tag is. The theme's
own function makes every answer, so the pages are the same bytes
(tests/test_speedups.py builds the site both ways). With ``essays_speedups``
off the theme's function is left as it is.
"""

from __future__ import annotations

from markupsafe import Markup
from sphinx.application import Sphinx

from essaysite.patches import pydata_theme
from essaysite.speed import speedups_on


class TableOfContents(Markup):
    """A table of contents turned into HTML once: ``len()`` is its tag's (its children)."""

    def __new__(cls, html: str, length: int):
        made = super().__new__(cls, html)
        made.length = length
        return made

    def __len__(self) -> int:
        return self.length


def make_once(context: dict) -> None:
    """Put a ``generate_toc_html`` that makes its answer once in the page's ``context`` (idempotent)."""
    generate = context.get("generate_toc_html")
    if generate is None or getattr(generate, "makes_once", False):
        return
    made: dict = {}

    def generate_toc_html(kind: str = "html"):
        if kind != "html":
            return generate(kind)
        if "html" not in made:
            found = generate(kind)
            html = str(found) if hasattr(found, "decode") else None  # a BeautifulSoup tag
            # An empty tag stays a tag: it is true, its text would not be.
            made["html"] = TableOfContents(html, len(found)) if html else found
        return made["html"]

    generate_toc_html.makes_once = True
    context["generate_toc_html"] = generate_toc_html


def wrap_in_each_page(app: Sphinx) -> None:
    if app.builder.format == "html":
        pydata_theme.skip_empty_check_for(app, prepare=make_once)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        app.connect("builder-inited", wrap_in_each_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
