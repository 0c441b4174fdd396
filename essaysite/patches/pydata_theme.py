"""The PyData theme's internals (under sphinx-book-theme), written against pydata-sphinx-theme 0.20.0.

- ``SKIP_EMPTY_CHECK``: ``pydata_sphinx_theme.utils._update_and_remove_templates``,
  which the theme's ``update_and_remove_templates`` calls for every sidebar
  and header section of every page, rendering each template once to see
  whether it is empty. Wrapped per build by ``essaysite.speed.sidebars``
  (with ``essays_speedups`` on) to skip that check for widgets that are never
  empty, through the function's own ``templates_skip_empty_check``, and by
  ``essaysite.speed.page_toc`` to put its ``generate_toc_html`` in the
  page's context before the theme tests the page's table of contents.
- ``THEME_HANDLERS``: the PyData and book themes connect their own
  handlers (``html-page-context``, ``build-finished``) when set up as
  extensions, and those assume the page is drawn by the PyData theme: the
  e-book (Sphinx's ``epub`` theme) failed on the first page
  (``'theme_search_as_you_type'``). ``leave_theme_out`` disconnects them
  for a build drawn by another theme, found by the module they come from.
  Their ``builder-inited`` handlers have run by then and written the web
  theme's options (``icon_links``, ``logo``, ...) into the builder's
  ``theme_options``, which is the configuration's own dict: the builder gets
  a copy before they run (``own_theme_options``), and the e-book theme's
  options back after (``leave_theme_out``).
- ``LIGHT_HEAD``: ``essaysite/templates/layout.html`` writes the page head
  the theme's ``layout.html`` writes (its ``css`` and ``extrahead``
  blocks), without Font Awesome's script and the search scripts
  (``essaysite.features.lightpages``). It is used only while the theme's
  blocks and its ``head_js_preload`` macro are the ones it was written
  from; a theme that changed them gets its own head back (a new asset is
  never dropped), with a warning.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from pathlib import Path
from typing import Any, Callable

from sphinx.application import Sphinx

from essaysite.patches.guard import Coupling, Replacement, find

PACKAGE, WRITTEN_FOR = "pydata-sphinx-theme", "0.20.0"

SKIP_EMPTY_CHECK = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "sidebar widgets rendered once per page",
    owner="pydata_sphinx_theme.utils",
    attribute="_update_and_remove_templates",
    parameters=("app", "context", "templates", "section", "templates_skip_empty_check"),
    callers=("pydata_sphinx_theme:update_and_remove_templates",),
)


def theme_in_use() -> bool:
    """Whether this build's theme is the PyData theme or built on it (as the book theme is): it was loaded."""
    return "pydata_sphinx_theme" in sys.modules


# What the wrapped function is given, for the build it is applied in (emptied when it is applied afresh).
_never_empty: list[str] = []
_preparers: list[Callable[[dict], None]] = []


def skip_empty_check_for(app: Sphinx, never_empty: list[str] = (), prepare: Callable[[dict], None] | None = None) -> bool:
    """The theme renders ``never_empty`` templates only to write them, not first to test them.

    ``prepare(context)``, if given, runs on the page's context before the
    theme renders any template of it to test it (each call: it must be
    idempotent); the page's other templates are rendered with what it set.
    """
    if not theme_in_use():
        return False
    if not SKIP_EMPTY_CHECK.applied():
        _never_empty.clear()
        _preparers.clear()
    _never_empty.extend(name for name in never_empty if name not in _never_empty)
    if prepare is not None and prepare not in _preparers:
        _preparers.append(prepare)
    if SKIP_EMPTY_CHECK.applied():
        return True

    def make(original: Callable) -> Callable:
        @functools.wraps(original)
        def update_and_remove_templates(app, context, templates, section, templates_skip_empty_check=None):
            for prepare in _preparers:
                prepare(context)
            skip = list(templates_skip_empty_check or []) + _never_empty
            return original(app, context, templates, section, templates_skip_empty_check=skip)

        return update_and_remove_templates

    applied = SKIP_EMPTY_CHECK.apply(app, make)
    if not applied:
        _never_empty.clear()
        _preparers.clear()
    return applied


# -- A build drawn by another theme (the e-book) --------------------------------------------

THEME_MODULES = ("pydata_sphinx_theme", "sphinx_book_theme")
THEME_EVENTS = ("html-page-context", "build-finished")
THEME_HANDLERS = Coupling(PACKAGE, WRITTEN_FOR, "the themes' page handlers left out of the e-book")


THEME_OPTIONS = Coupling("sphinx", "9.0.4", "the e-book theme's options kept from the web theme's")


def own_theme_options(app: Sphinx) -> None:
    """The builder's theme options as a copy, before the themes' builder-inited handlers write into them."""
    options = getattr(app.builder, "theme_options", None)
    if not isinstance(options, dict):
        THEME_OPTIONS.warn(app, "the builder has no theme_options dict")
        return
    app.builder.theme_options = dict(options)


def leave_theme_out(app: Sphinx, options: dict) -> int:
    """Disconnect the PyData and book themes' page handlers from this build, and give it ``options``; how many were."""
    from essaysite.patches import sphinx as sphinx_patches

    if isinstance(getattr(app.builder, "theme_options", None), dict):
        app.builder.theme_options = dict(options)
    count = 0
    for event in THEME_EVENTS:
        for listener in sphinx_patches.listeners_of(app, event):
            if getattr(listener.handler, "__module__", "").partition(".")[0] in THEME_MODULES:
                app.disconnect(listener.id)
                count += 1
    if count == 0 and theme_in_use():
        THEME_HANDLERS.warn(app, "no html-page-context handler of the theme is connected")
    return count


# -- The page head of essaysite/templates/layout.html -----------------------------------

# sha1 of the theme's `{%- block css %}` ... `{%- endblock extrahead %}` in layout.html.
HEAD_BLOCKS = "36b2a1b901fc70f755553916cc44509045695c5f"
# What head_js_preload writes, line by line, once the assets' ?digest= are left out.
PRELOAD_LINES = [
    "<!-- So that users can add custom icons -->",
    "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}\"></script>",
    "<!-- Pre-loaded scripts that we'll load fully later -->",
    "<link rel=\"preload\" as=\"script\" href=\"{{ pathto('_static/scripts/bootstrap.js', 1) }}\" />",
    "<link rel=\"preload\" as=\"script\" href=\"{{ pathto('_static/scripts/pydata-sphinx-theme.js', 1) }}\" />",
]
# The two lines the light head leaves out: Font Awesome's script and its comment.
ICON_SCRIPT = ("fontawesome", "custom icons")


class ThemeHead(Coupling):
    @functools.cache
    def problem(self) -> str | None:
        try:
            theme = Path(find("pydata_sphinx_theme").__file__).parent / "theme" / "pydata_sphinx_theme"
            layout = (theme / "layout.html").read_text(encoding="utf-8")
            macros = (theme / "static" / "webpack-macros.html").read_text(encoding="utf-8")
        except (LookupError, OSError, TypeError) as error:
            return f"its layout.html or webpack-macros.html cannot be read ({error})"
        blocks = re.search(r"\{%-? block css %\}.*?\{%-? endblock extrahead %\}", layout, re.S)
        if blocks is None or hashlib.sha1(blocks.group(0).encode(), usedforsecurity=False).hexdigest() != HEAD_BLOCKS:
            return "the css and extrahead blocks of its layout.html changed"
        preload = re.search(r"\{% macro head_js_preload\(\) %\}(.*?)\{% endmacro %\}", macros, re.S)
        lines = [re.sub(r"\?digest=\w+", "", line.strip()) for line in (preload.group(1) if preload else "").splitlines() if line.strip()]
        if lines != PRELOAD_LINES:
            return "the head_js_preload macro of its webpack-macros.html changed"
        return None


LIGHT_HEAD = ThemeHead(PACKAGE, WRITTEN_FOR, "light page head without Font Awesome's script")


def light_head_available(app: Sphinx) -> bool:
    """Whether essaysite/templates/layout.html may write its own head (else the theme's)."""
    return LIGHT_HEAD.holds(app)


def without_icon_script(preload: Any) -> str:
    """The theme's ``head_js_preload()`` without Font Awesome's script, one line each as the template indents it."""
    lines = [line for line in str(preload).split("\n") if line.strip() and not any(word in line for word in ICON_SCRIPT)]
    return "".join("\n  " + line for line in lines)
