"""Sidebar widgets rendered once per page, not twice.

The PyData theme (under sphinx-book-theme) renders every sidebar template
once to find out whether it is empty, and again to write the page. For the
site's navigation and ABlog's lists, which are never empty on a site with
essays, the first rendering is pure cost: with 300 essays it was about a
fifth of a full build. This passes those templates to the theme's own
``templates_skip_empty_check`` argument; templates that can be empty (the
post card off an essay page, icon links) are still checked.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx

NEVER_EMPTY = [
    "navbar-logo.html",
    "search-button-field.html",
    "sbt-sidebar-nav.html",
    "essays-nav.html",
    "ablog/recentposts.html",
    "ablog/tagcloud.html",
    "ablog/categories.html",
    "ablog/archives.html",
]


def skip_empty_check_for_known_widgets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    try:
        from pydata_sphinx_theme import utils
    except ImportError:  # another theme: nothing to do
        return
    original = utils._update_and_remove_templates
    if getattr(original, "_essaysite", False):
        return

    @functools.wraps(original)
    def update_and_remove_templates(app, context, templates, section, templates_skip_empty_check=None):
        skip = list(templates_skip_empty_check or []) + NEVER_EMPTY
        return original(app, context, templates, section, templates_skip_empty_check=skip)

    update_and_remove_templates._essaysite = True
    utils._update_and_remove_templates = update_and_remove_templates


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", skip_empty_check_for_known_widgets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
