"""Docutils settings made once per build, not once per document read.

For every document it reads, Sphinx builds a docutils option parser
(its function ``_get_settings``, ``essaysite.patches.sphinx.DOCUTILS_SETTINGS``): some 75 options declared by the
reader, MyST's parser and docutils, and the ``docutils.conf`` files read
from disk, only to take their default values. That is about 1.5 ms per
essay, a tenth of reading one. The values depend only on those components,
the environment's settings and the configuration files, none of which
change during a build, so they are made once and each document gets its own
copy (Sphinx then sets the document's source on it), exactly as it would
have got from a parser of its own (with its own list of the files it
includes, ``record_dependencies``).

Only the last set of inputs is kept: a build uses one, and another build in
the same process (the tests, ``make live``) makes its own.

Both replacements (``essaysite.patches.sphinx.DOCUTILS_SETTINGS``,
``essaysite.patches.myst.MAKE_DOCUMENT``) are applied per build, with
``essays_speedups`` on, after checking that Sphinx and MyST still call the
functions they replace.

MyST-Parser does the same once more per document: its renderer sets itself
up with ``options.get("document", make_document())``, which builds a
document with a docutils option parser's defaults and throws it away
whenever Sphinx passed its own (always, in a Sphinx build): about 0.7 ms per
essay. ``make_document`` here makes the same document from defaults made
once per parser class, each document with its own copy.
"""

from __future__ import annotations

import warnings
from typing import Any

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
from sphinx.application import Sphinx

from essaysite.patches import myst, sphinx as sphinx_patches
from essaysite.speed import speedups_on

_last: list = [None, None, None]  # key, the defaults it was made from (kept alive), values


def _make_settings(*components, defaults, read_config_files: bool = False):
    """Sphinx's own ``_get_settings``: a docutils option parser's defaults."""
    return sphinx_patches.DOCUTILS_SETTINGS.stock()(*components, defaults=defaults, read_config_files=read_config_files)


def component_key(component) -> Any:
    """A component class, or an instance's class when its options are the class's own."""
    if isinstance(component, type):
        return component
    if getattr(component, "settings_spec", None) is getattr(type(component), "settings_spec", None):
        return type(component)
    return None  # options of its own: not cached


def defaults_key(defaults) -> tuple | None:
    try:
        return tuple(sorted((name, value if value.__hash__ else id(value)) for name, value in defaults.items()))
    except TypeError:  # a value that compares but cannot be ordered or hashed
        return None


def get_settings(*components, defaults, read_config_files: bool = False):
    kinds = tuple(component_key(c) for c in components)
    values = defaults_key(defaults)
    if None in kinds or values is None:
        return _make_settings(*components, defaults=defaults, read_config_files=read_config_files)
    key = (kinds, read_config_files, values)
    if _last[0] != key:
        # The defaults are kept so that the objects named by id() above stay alive.
        _last[:] = [key, dict(defaults), _make_settings(*components, defaults=defaults, read_config_files=read_config_files)]
    return own_copy(_last[2], keep_dependencies="record_dependencies" in defaults)


def own_copy(made, keep_dependencies: bool = False):
    own = dict(vars(made))
    if not keep_dependencies:
        own["record_dependencies"] = None  # docutils gives each settings object a list of its own
    with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
        # Like Sphinx: docutils announces that its Values class will change.
        return type(made)(defaults=own)


_parser_defaults: dict = {}


def _myst_make_document(*args, **kwargs):
    """MyST's own ``make_document``."""
    return myst.MAKE_DOCUMENT.stock()(*args, **kwargs)


def make_document(source_path="notset", parser_cls=RSTParser):
    """MyST's ``make_document``, the parser's default settings made once."""
    if parser_cls not in _parser_defaults:
        _parser_defaults[parser_cls] = get_default_settings(parser_cls)
    return new_document(source_path, settings=own_copy(_parser_defaults[parser_cls]))


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        sphinx_patches.DOCUTILS_SETTINGS.apply(app, lambda original: get_settings)
        myst.MAKE_DOCUMENT.apply(app, lambda original: make_document)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
