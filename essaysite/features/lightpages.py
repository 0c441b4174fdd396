"""Light pages: an essay downloads what it shows, and little else.

A stock sphinx-book-theme page costs a first-time reader about 2.3 MB
(780 KB compressed), mostly things an essay does not use:

- Font Awesome's script (1.5 MB), which redraws the theme's dozen icons as
  SVG, and the 115 KB icon font its CSS pulls in. ``essays-icons.css`` draws
  those icons as small inline SVGs instead; the template ``layout.html``
  leaves the script out.
- Sphinx's search scripts and the whole search index (``searchindex.js``,
  which grows with every essay), loaded on every page for an inline search
  the site does not turn on (``search_as_you_type``). The search field sends
  the reader to ``search.html``, which loads them itself.

Search, dark mode and the sidebars keep working (tests/test_browser.py).
``essays_light_pages = False`` (``-D essays_light_pages=0``) builds the stock
pages, which ``make bench-page`` measures as the "before". So does a theme
whose page head is no longer the one ``layout.html`` copies
(``essaysite.patches.pydata_theme``), with a warning.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from essaysite.patches import pydata_theme

STATIC = Path(__file__).parents[1] / "static"
ICONS_CSS = "essays-icons.css"


def add_icons(app: Sphinx, config: Config) -> None:
    if not config.essays_light_pages:
        return
    if str(STATIC) not in config.html_static_path:
        # A new list, not Sphinx's shared default changed in place.
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_icons_css(app: Sphinx) -> None:
    if app.config.essays_light_pages and app.builder.format == "html":
        app.add_css_file(ICONS_CSS)


def light_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    context["essays_light_pages"] = bool(app.config.essays_light_pages) and pydata_theme.light_head_available(app)
    context["essays_without_icon_script"] = pydata_theme.without_icon_script


def setup(app: Sphinx) -> dict:
    app.add_config_value("essays_light_pages", True, "html", types=frozenset({bool, int}))
    app.connect("config-inited", add_icons)
    app.connect("builder-inited", add_icons_css)
    app.connect("html-page-context", light_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
