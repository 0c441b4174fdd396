"""The HTML translator's stylesheet list found once per build, not once per translator.

docutils' HTML translator, which Sphinx makes for every page it writes and
the project for every excerpt and feed entry it renders (about 6,100 at
1,000 essays), first asks ``docutils.utils.get_stylesheet_list`` for the
writer's stylesheets: each ``stylesheet_path`` is looked for in each of the
``stylesheet_dirs``, on the disk, for every translator (profiled, serial,
1,000 essays: 1.9 s of 155 s). Sphinx's HTML builder never writes that list
(its pages take their stylesheets from the theme), but the translator
computes it all the same.

Here the answer is kept for each set of the settings it depends on
(``stylesheet``, ``stylesheet_path``, ``stylesheet_dirs``) during the build:
the writer's stylesheets do not move while the site is built. Each caller
gets its own copy of the list. The replacement
(``essaysite.patches.docutils.STYLESHEET_LIST``) is applied per build, only
with ``essays_speedups`` on, and undone when the build finishes; the pages
are the same bytes (tests/test_speedups.py).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from essaysite.patches.docutils import STYLESHEET_LIST
from essaysite.speed import speedups_on

_found: dict = {}


def settings_key(settings) -> tuple | None:
    try:
        return tuple(
            tuple(value) if isinstance(value, (list, tuple)) else value
            for value in (settings.stylesheet, settings.stylesheet_path, settings.stylesheet_dirs)
        )
    except AttributeError:
        return None


def get_stylesheet_list(settings) -> list[str]:
    key = settings_key(settings)
    try:
        hash(key)
    except TypeError:  # settings of another shape: the stock answer
        key = None
    if key is None:
        return STYLESHEET_LIST.stock()(settings)
    if key not in _found:
        _found[key] = STYLESHEET_LIST.stock()(settings)
    return list(_found[key])


def start_afresh(app: Sphinx) -> None:
    _found.clear()


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        STYLESHEET_LIST.apply(app, lambda original: get_stylesheet_list)
        app.connect("builder-inited", start_afresh)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
