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
the page's folder. It is rendered once per folder for those pages, and for
each page of the table of contents (which it marks as current) on its own.

ABlog's sidebar widgets (recent essays, tag cloud, categories, years) are
the same on every page but for their links, too: with 1,000 essays, about
1.5 s of a full build went into drawing the same tag cloud 1,500 times.
The site's templates replace each with a call to ``essays_shared_widget``,
which renders ABlog's own template (``!ablog/...``) once per folder,
and on its own for a page the widget links to (that link is ``#`` there,
and the recent essays leave the page itself out).
``essays_shared_sidebars = False`` renders the navigation and the widgets on
every page, as the theme and ABlog do (tests/test_sidebars.py compares both
builds byte for byte); ``essays_speedups = False`` turns this off with every
other speedup, the theme's empty-check included. The theme's function is
wrapped per build (``essaysite.patches.pydata_theme.SKIP_EMPTY_CHECK``); the
templates' plain ``essays_shared_widget`` is ``essaysite.features.templates``'.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup
from sphinx.application import Sphinx

from essaysite import state
from essaysite.patches import ablog, pydata_theme
from essaysite.speed import speedups_on

NEVER_EMPTY = [
    # The article header: the sidebar's toggle, and the theme switcher among the buttons.
    "toggle-primary-sidebar.html",
    "article-header-buttons.html",
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
    if app.builder.format == "html":
        pydata_theme.skip_empty_check_for(app, NEVER_EMPTY)


def sharing(app: Sphinx) -> bool:
    """Whether this build renders the navigation and widgets once per folder."""
    return bool(app.config.essays_shared_sidebars) and speedups_on(app)


def pages_in_toctrees(app: Sphinx) -> set[str]:
    env = app.env
    return {app.config.root_doc, *env.toctree_includes, *(d for docs in env.toctree_includes.values() for d in docs)}


def link_base(app: Sphinx, pagename: str, context: dict) -> tuple[str, str]:
    """Where a page's relative links start from: its folder, and how it links to the root
    (on the 404 page, sphinx-notfound-page makes every link absolute)."""
    return posixpath.dirname(app.builder.get_target_uri(pagename)), context["pathto"](app.config.root_doc)


def share_navigation(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Render the navigation once per folder for pages outside the table of contents."""
    generate = context.get("generate_toctree_html")
    if generate is None or "pathto" not in context or not sharing(app):
        return
    cache = state.of(app).caches.navigation
    if cache.get("toctree pages") is None:
        cache["toctree pages"] = pages_in_toctrees(app)
    if pagename in cache["toctree pages"]:
        where = ("page", pagename)
    else:
        where = ("links from", link_base(app, pagename, context))

    def generate_toctree_html(kind: str, *args, **kwargs):
        key = (where, kind, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            html = generate(kind, *args, **kwargs)
            cache[key] = html if kind == "raw" else str(html)
        return cache[key]

    context["generate_toctree_html"] = generate_toctree_html


RECENT = 5  # ablog/recentposts.html shows five essays


def widget_targets(app: Sphinx) -> set[str]:
    """The pages ABlog's widgets link to: on those the widgets differ."""
    blog = ablog.blog_of(app)
    targets = {blog.blog_path, *(post.docname for post in blog.recent(RECENT))}
    for catalog in (blog.tags, blog.category, blog.archive):
        targets |= {catalog.path, catalog.docname, *(coll.docname for coll in catalog)}
    return targets


def share_widgets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Give templates ``essays_shared_widget(name)``: ABlog's widget, rendered once per folder."""

    def render(name: str) -> Markup:
        return Markup(app.builder.templates.render("!" + name, context))

    if "pathto" not in context:
        return
    cache = state.of(app).caches.widgets
    if "targets" not in cache:
        cache["targets"] = widget_targets(app)
    where = pagename if pagename in cache["targets"] else link_base(app, pagename, context)

    def shared_widget(name: str) -> Markup:
        key = (name, where)
        if key not in cache:
            cache[key] = render(name)
        return cache[key]

    context["essays_shared_widget"] = shared_widget


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    app.setup_extension("essaysite.features.templates")  # the plain essays_shared_widget
    app.add_config_value("essays_shared_sidebars", True, "html", types=frozenset({bool, int}))
    if not sharing(app):
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    app.connect("builder-inited", skip_empty_check_for_known_widgets)
    # After the PyData theme puts generate_toctree_html in the context (priority 500).
    app.connect("html-page-context", share_navigation, priority=510)
    app.connect("html-page-context", share_widgets, priority=510)
    app.setup_extension("essaysite.state")  # renders the navigation and widgets afresh once reading is done
    return {"parallel_read_safe": True, "parallel_write_safe": True}
