"""Related essays: up to three, by shared tags, then by shared category.

For an essay, every other published essay that shares a tag or a category
with it is a candidate; the candidates are ranked by the number of shared
tags, then of shared categories, then newest first, then by file name, so
the choice is stable from build to build. The first three are listed at the
end of the essay under "Related essays"; an essay with no candidate shows
nothing. Drafts are never candidates.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from essaysite.essaylists import essay_list, is_own_page, make_aside
from essaysite.freshness import published_posts

HEADING = "Related essays"
LIMIT = 3


def labels(colls) -> set[str]:
    return {str(c).lower() for c in colls}


def related_to(app: Sphinx, docname: str) -> list:
    from ablog.blog import Blog

    blog = Blog(app)
    if docname not in blog:
        return []
    post = blog[docname]
    tags, categories = labels(post.tags), labels(post.category)
    ranked = []
    for other in published_posts(app):
        if other.docname == docname:
            continue
        shared_tags = len(tags & labels(other.tags))
        shared_categories = len(categories & labels(other.category))
        if shared_tags or shared_categories:
            ranked.append((-shared_tags, -shared_categories, -other.date.timestamp(), other.docname, other))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked[:LIMIT]]


def add_related(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_own_page(app, doctree):
        return
    posts = related_to(app, docname)
    if not posts:
        return
    aside = make_aside("essay-related", HEADING, "essay-related")
    aside += essay_list(app, docname, posts)
    container = next(iter(doctree.findall(nodes.section)), doctree)
    container += aside


def page_inputs(app: Sphinx, docname: str):
    return [("related", p.docname, p.title, str(p.date)) for p in related_to(app, docname)] or None


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.freshness")
    app.setup_extension("essaysite.essaylists")
    app.connect("doctree-resolved", add_related, priority=510)
    app.connect("essay-page-inputs", page_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
