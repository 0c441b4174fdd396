"""Render an essay, or part of it, to an HTML fragment for another page.

ABlog's ``Post.to_html`` leaves the essay's pictures pointing at their source
paths (``posts/images/x.svg``) unless the essay's own page was written in the
same builder pass, and wraps excerpts in ``<p>`` (invalid around other
``<p>``). This renders through the builder's own image handling, so a
picture points at its copy under ``_images/``, and wraps excerpts in a
``<div>``.

ABlog's copies of an essay (what lists and feeds render) can carry
docutils' notes on the source, which Sphinx leaves out of every page: they
are dropped from the copies as soon as ABlog makes them (``doctree-read``).
ABlog itself is reached through ``essaysite.patches.ablog``, the builder's
picture and permalink settings through ``essaysite.patches.sphinx``.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.util.docutils import new_document  # caches the settings docutils would rebuild per call
from sphinx.application import Sphinx

from essaysite.patches import ablog, sphinx as sphinx_patches

from essaysite import state
from essaysite.fragments import is_own_page, mark_as_fragment
from essaysite.speed import forked


def render_fragment(app: Sphinx, children: list[nodes.Node], pagename: str, resolve: bool = True, copy: bool = True) -> str:
    """HTML of ``children`` with links and pictures resolved for ``pagename``.

    ``resolve=False`` for text that Sphinx's post-transforms leave as it is
    (``is_plain``): resolving runs all of them, a third of the time.
    ``copy=False`` when the caller owns ``children``: they are rendered
    (and changed) themselves, not copies of them.
    """
    doctree = new_document("")
    # Marks a fragment for another page (list, feed): doctree-resolved handlers
    # that add to an essay's own page (backlinks, series box) leave it alone.
    mark_as_fragment(doctree)
    if copy:
        doctree.extend(child.deepcopy() for child in children)
    else:
        doctree.extend(children)
    # The environment's copies belong to another document, or none (essaysite.speed.lean_posts).
    for node in doctree.findall():
        node.document = doctree
    if resolve:
        ablog.revise_pending_xrefs(doctree, pagename)
        app.env.resolve_references(doctree, pagename, app.builder)
        # post_process_images links scaled pictures to their full size through
        # the builder's imgpath, which must point from pagename to _images first.
        sphinx_patches.point_images_from(app, pagename)
        app.builder.post_process_images(doctree)
    with sphinx_patches.without_permalinks(app):
        return ablog.write_fragment(app, pagename, doctree)


def render_excerpt(app: Sphinx, post, pagename: str) -> str:
    """The essay's excerpt, as ``<div class="ablog-post-excerpt">``.

    An excerpt appears on many lists (all essays, each tag, category, year);
    relative links depend only on the folder of the page, so it is rendered
    once per folder and build, and once per build when it has no link or
    picture (most excerpts: a paragraph of text). In a build that writes in
    parallel, the main process renders each essay's excerpt as it resolves
    the essay's page (``render_for_later_processes``), so that the
    processes it forks afterwards (the writing processes, which describe
    each essay's page with it, and those of the lists) find it rendered.
    """
    linked = has_links(post.excerpt)
    folder = posixpath.dirname(app.builder.get_target_uri(pagename)) if linked else None
    # A link to the essay itself differs on its own page; an excerpt without links is the same everywhere.
    key = (post.docname, folder, linked and pagename == post.docname)
    cache = state.of(app).caches.excerpts
    if key not in cache:
        container = nodes.container(classes=["ablog-post-excerpt"])
        container.extend(node.deepcopy() for node in post.excerpt)
        cache[key] = render_fragment(app, [container], pagename, resolve=not is_plain(post.excerpt))
    return cache[key]


def excerpt_text(app: Sphinx, post) -> str:
    """The essay's excerpt as plain text, as its page shows it: a reference reads as the title
    it shows, never as its label (feed summaries, page descriptions)."""
    import lxml.html

    html = render_excerpt(app, post, post.docname)
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


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


def render_fulltext(app: Sphinx, post, pagename: str) -> str:
    """The whole essay without its title, resolved for ``pagename``.

    Rendered from the essay's nodes themselves when nobody else holds them
    (the copy set aside for this build, or the pickled doctree): copying
    every node of 1,000 essays was a tenth of the feeds' entries.
    """
    doctree, owned = ablog.taken_post_doctree(app, post)
    children = list(doctree.children) if isinstance(doctree, nodes.document) else [doctree]
    html = render_fragment(app, children, pagename, copy=not owned)
    return drop_first_h1(html)


def drop_first_h1(html: str) -> str:
    start = html.find("<h1")
    if start < 0:
        return html
    end = html.find("</h1>", start)
    return html[:start] + html[end + len("</h1>") :] if end >= 0 else html


def render_for_later_processes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """An essay's excerpt rendered in the process that forks the others, as its page is resolved (doctree-resolved)."""
    if not is_own_page(app, doctree) or not forked.forks_later(app):
        return
    blog = ablog.blog_of(app)
    if docname in blog and not has_links(blog[docname].excerpt):
        render_excerpt(app, blog[docname], docname)


# What a feed entry keeps of an element's attributes: what a reader without
# the site's stylesheet and scripts uses. ``id`` only where a link of the
# entry points at it (see ``for_feed_readers``).
PRESENTATION_ATTRIBUTES = ("class", "role", "tabindex")


def for_feed_readers(root, page_url: str) -> None:
    """Drop from an essay's HTML (an lxml tree, links already absolute) what means nothing outside the site.

    A feed reader has neither the theme's stylesheet nor its scripts: the
    sidenotes' toggles (a ``<label>`` and a checkbox) become nothing, the
    sidenote itself a ``<small>`` aside; Pygments' token ``<span>``s in a
    code block, Sphinx's ``<span class="std std-ref">`` inside a link, the
    headings' permalinks and the theme's wrappers go, their text kept; so do
    ``class``, ``role``, ``aria-*`` and ``data-*`` attributes, and every
    ``id`` that no link of the entry points at (links to the essay's own
    page with a fragment). The same function with the speedups on and off.
    """
    from lxml import etree

    for link in root.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"):
        link.drop_tree()
    for toggle in root.xpath(".//label[contains(@class, 'margin-toggle')] | .//input[@type='checkbox']"):
        toggle.drop_tree()  # the tail (text after it) stays
    for note in root.xpath(".//span[contains(@class, 'sidenote') or contains(@class, 'marginnote')]"):
        note.tag = "small"
        note.text = " " + (note.text or "")
        if len(note) and note[0].tag == "sup":  # its number, then a space
            note[0].tail = " " + (note[0].tail or "").lstrip()
    for rule in root.xpath(".//hr[contains(@class, 'footnotes')][not(following-sibling::*)]"):
        rule.drop_tree()  # the footnotes went into sidenotes: a rule above nothing
    targets = set()
    for href in root.xpath(".//a/@href"):
        address, _, fragment = href.partition("#")
        if fragment and address == page_url:
            targets.add(fragment)
    for element in root.iter(etree.Element):
        for name in list(element.attrib):
            if name in PRESENTATION_ATTRIBUTES or name.startswith(("aria-", "data-")) or (name == "id" and element.get("id") not in targets):
                del element.attrib[name]
    for pre in root.iter("pre"):
        etree.strip_tags(pre, "span")
    # Wrappers left with no attribute: their content in their place (lxml.html's drop_tag).
    for wrapper in list(root.iterdescendants("span", "div")):
        if not wrapper.attrib:
            wrapper.drop_tag()


def drop_system_messages(app: Sphinx, doctree: nodes.document) -> None:
    """Docutils' notes on the source, left out of ABlog's copies as Sphinx leaves them out of pages.

    ABlog's copy of an essay can carry them (an INFO "Duplicate implicit
    target name" for a heading whose id is its own name): a feed showed it
    as a "System Message" box, with the essay's path on the author's disk.
    Sphinx's ``FilterSystemMessages`` drops them from each page read, all of
    them unless ``keep_warnings`` is set.
    """
    level = 2 if app.config.keep_warnings else 5
    for tree in ablog.post_copies(app, app.env, app.env.docname):
        for message in list(tree.findall(nodes.system_message)):
            if message["level"] < level and message.parent is not None:
                message.parent.remove(message)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # After ABlog's own doctree-read handler (priority 500), which makes the copies.
    app.connect("doctree-read", drop_system_messages, priority=900)
    app.connect("doctree-resolved", render_for_later_processes, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
