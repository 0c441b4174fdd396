"""The page's table of contents made once (essaysite.speed.page_toc), against the theme's own function.

For each table of contents Sphinx writes (a title alone, sections, several
first-level entries, none), the wrapped ``generate_toc_html`` must give the
templates what the PyData theme's gives them: the same HTML, the same
length (``| length``) and truth (``{% if %}``), and the tag is turned into
HTML once.
"""

import pytest
from pydata_sphinx_theme.toctree import add_toctree_functions

from essaysite.speed import page_toc

TITLE_ALONE = '<ul>\n<li><a class="reference internal" href="#">Essays tagged ai &amp; &lt;ml&gt;</a></li>\n</ul>\n'
SECTIONS = (
    '<ul>\n<li><a class="reference internal" href="#">On the river</a><ul>\n'
    '<li><a class="reference internal" href="#a-first-look">A first look</a></li>\n'
    '<li><a class="reference internal" href="#closing">Closing</a><ul>\n'
    '<li><a class="reference internal" href="#deeper">Deeper</a></li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n'
)
TWO_TITLES = (
    '<ul>\n<li><a class="reference internal" href="#">One</a></li>\n'
    '<li><a class="reference internal" href="#two">Two</a></li>\n</ul>\n'
)


def theme_context(toc):
    context = {"theme_show_toc_level": 1}
    if toc is not None:
        context["toc"] = toc
    add_toctree_functions(None, "page", "page.html", context, None)
    return context


def shown(value):
    """What the templates make of a value: its text, its length, its truth."""
    return str(value), len(value), bool(value)


@pytest.mark.parametrize("toc", [TITLE_ALONE, SECTIONS, TWO_TITLES, "", None], ids=["title alone", "sections", "two titles", "empty", "none"])
def test_the_templates_get_what_the_theme_gives_them(toc):
    stock = theme_context(toc)["generate_toc_html"]()
    context = theme_context(toc)
    page_toc.make_once(context)
    page_toc.make_once(context)  # idempotent: the theme asks before each template it tests
    made = context["generate_toc_html"]
    assert shown(made()) == shown(stock)
    assert made() is made()  # made once for the page
    assert shown(made("raw")) == shown(theme_context(toc)["generate_toc_html"]("raw"))


def test_the_tag_is_turned_into_html_once(monkeypatch):
    context = theme_context(SECTIONS)
    page_toc.make_once(context)
    import bs4.element

    decode, calls = bs4.element.Tag.decode, []
    monkeypatch.setattr(bs4.element.Tag, "decode", lambda self, *args, **kwargs: calls.append(1) or decode(self, *args, **kwargs))
    made = context["generate_toc_html"]
    for _ in range(3):  # the empty check, page-toc.html, the printed table of contents
        str(made()), len(made()), bool(made())
    assert len(calls) == 1
