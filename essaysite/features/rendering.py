"""Render an essay, or part of it, to an HTML fragment for another page.

ABlog's ``Post.to_html`` leaves the essay's pictures pointing at their source
paths (``posts/images/x.svg``) unless the essay's own page was written in the
same builder pass, and wraps excerpts in ``<p>`` (invalid around other
``<p>``). This renders through the builder's own image handling, so a
picture points at its copy under ``_images/``, and wraps excerpts in a
``<div>``.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.util.docutils import new_document  # caches the settings docutils would rebuild per call
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from essaysite import state
from essaysite.fragments import mark_as_fragment


def render_fragment(app: Sphinx, children: list[nodes.Node], pagename: str, resolve: bool = True) -> str:
    """HTML of ``children`` with links and pictures resolved for ``pagename``.

    ``resolve=False`` for text that Sphinx's post-transforms leave as it is
    (``is_plain``): resolving runs all of them, a third of the time.
    """
    from ablog.blog import html_builder_write_doc, revise_pending_xrefs

    doctree = new_document("")
    # Marks a fragment for another page (list, feed): doctree-resolved handlers
    # that add to an essay's own page (backlinks, series box) leave it alone.
    mark_as_fragment(doctree)
    doctree.extend(child.deepcopy() for child in children)
    # The environment's copies belong to no document (essaysite.speed.lean_posts).
    for node in doctree.findall():
        node.document = doctree
    if resolve:
        revise_pending_xrefs(doctree, pagename)
        app.env.resolve_references(doctree, pagename, app.builder)
        # post_process_images links scaled pictures to their full size through
        # the builder's imgpath, which must point from pagename to _images first.
        app.builder.imgpath = relative_uri(app.builder.get_target_uri(pagename), "_images")
        app.builder.post_process_images(doctree)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        return html_builder_write_doc(app.builder, pagename, doctree)
    finally:
        app.builder.add_permalinks = add_permalinks


def render_excerpt(app: Sphinx, post, pagename: str) -> str:
    """The essay's excerpt, as ``<div class="ablog-post-excerpt">``.

    An excerpt appears on many lists (all essays, each tag, category, year);
    relative links depend only on the folder of the page, so it is rendered
    once per folder and build, and once per build when it has no link or
    picture (most excerpts: a paragraph of text).
    """
    folder = posixpath.dirname(app.builder.get_target_uri(pagename)) if has_links(post.excerpt) else None
    key = (post.docname, folder, pagename == post.docname)
    cache = state.of(app).caches.excerpts
    if key not in cache:
        container = nodes.container(classes=["ablog-post-excerpt"])
        container.extend(node.deepcopy() for node in post.excerpt)
        cache[key] = render_fragment(app, [container], pagename, resolve=not is_plain(post.excerpt))
    return cache[key]


# Nodes whose HTML is the same on every page: anything else (links, pictures,
# footnotes, raw HTML) may point somewhere relative to the page.
PLAIN = (
    nodes.Text, nodes.paragraph, nodes.emphasis, nodes.strong, nodes.literal, nodes.inline,
    nodes.container, nodes.bullet_list, nodes.enumerated_list, nodes.list_item, nodes.block_quote,
    nodes.literal_block, nodes.line_block, nodes.line, nodes.subscript, nodes.superscript,
)


def has_links(parts: list[nodes.Node]) -> bool:
    return any(not isinstance(node, PLAIN) for part in parts for node in part.findall(include_self=True))


def is_plain(parts: list[nodes.Node]) -> bool:
    """Nothing to resolve: no link or picture, and no code block (its language is set then)."""
    return not has_links(parts) and not any(True for part in parts for _ in part.findall(nodes.literal_block, include_self=True))


def essay_doctree(app: Sphinx, post) -> nodes.Node:
    """The essay as ABlog copied it: from the provider essaysite.speed.lean_posts sets, else ABlog's own copy."""
    doctree_of = state.of(app).essays.doctree_of
    return doctree_of(app, post) if doctree_of is not None else post.doctree


def render_fulltext(app: Sphinx, post, pagename: str) -> str:
    """The whole essay without its title, resolved for ``pagename``."""
    doctree = essay_doctree(app, post)
    children = list(doctree.children) if isinstance(doctree, nodes.document) else [doctree]
    html = render_fragment(app, children, pagename)
    return drop_first_h1(html)


def drop_first_h1(html: str) -> str:
    start = html.find("<h1")
    if start < 0:
        return html
    end = html.find("</h1>", start)
    return html[:start] + html[end + len("</h1>") :] if end >= 0 else html
