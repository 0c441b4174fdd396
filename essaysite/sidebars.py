"""Sidebar widgets rendered once per page, not twice.

The PyData theme (under sphinx-book-theme) renders every sidebar template
once to find out whether it is empty, and again to write the page. For the
site's navigation and ABlog's lists, which are never empty on a site with
essays, the first rendering is pure cost: with 300 essays it was about a
fifth of a full build. This passes those templates to the theme's own
``templates_skip_empty_check`` argument; templates that can be empty (the
post card off an essay page, icon links) are still checked.

The navigation (the theme's ``generate_toctree_html``: the site's table of
contents, rendered by Sphinx and rewritten with BeautifulSoup) cost about
2 ms per page, and it is the same on every page that is not in the table of
contents (every essay and list) but for its links, which are relative to
the page's folder. It is rendered once per folder (per link prefix) for those pages, and for
each page of the table of contents (which it marks as current) on its own.
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


def pages_in_toctrees(app: Sphinx) -> set[str]:
    env = app.env
    return {app.config.root_doc, *env.toctree_includes, *(d for docs in env.toctree_includes.values() for d in docs)}


def share_navigation(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Render the navigation once per folder for pages outside the table of contents."""
    generate = context.get("generate_toctree_html")
    if generate is None or "pathto" not in context:
        return
    cache = app.__dict__.setdefault("_essays_navigation", {})
    if cache.get("toctree pages") is None:
        cache["toctree pages"] = pages_in_toctrees(app)
    if pagename in cache["toctree pages"]:
        where = ("page", pagename)
    else:
        # Where the page's links start from: its folder, or the site's root
        # path on the 404 page (sphinx-notfound-page makes its links absolute).
        where = ("links from", context["pathto"](app.config.root_doc))

    def generate_toctree_html(kind: str, *args, **kwargs):
        key = (where, kind, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            html = generate(kind, *args, **kwargs)
            cache[key] = html if kind == "raw" else str(html)
        return cache[key]

    context["generate_toctree_html"] = generate_toctree_html


def forget_navigation(app: Sphinx, env) -> list:
    """A new build renders the navigation afresh (env-updated)."""
    app._essays_navigation = {}
    return []


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", skip_empty_check_for_known_widgets)
    # After the PyData theme puts generate_toctree_html in the context (priority 500).
    app.connect("html-page-context", share_navigation, priority=510)
    app.connect("env-updated", forget_navigation)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
