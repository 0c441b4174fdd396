"""Backlinks: the published essays that link to an essay.

Each published essay that links to this one (by label, by document or by a
path link; see ``essaysite.features.xrefs``), newest first. The end of an
essay shows them, marked "links here", in its one "Further reading" block
(``essaysite.features.further_reading``). An essay nobody links to has none.
Drafts never appear: the public build never reads them, and a preview build
leaves out every essay that is not published.

The link graph comes from the links recorded while reading, so nothing is
collected here; the list is added to the essay's page once it is resolved.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from essaysite.patches import ablog
from essaysite.incremental.freshness import build_cache, published_posts
from essaysite.features.xrefs import linked_docnames

def referrers(app: Sphinx) -> dict[str, list]:
    """For each docname, the published essays that link to it, newest first (once per build)."""
    cache = build_cache(app)
    if "backlinks" not in cache:
        index: dict[str, list] = {}
        for post in published_posts(app):  # newest first
            for target in sorted(linked_docnames(app, post.docname)):
                index.setdefault(target, []).append(post)
        cache["backlinks"] = index
    return cache["backlinks"]


def backlinks_of(app: Sphinx, docname: str) -> list:
    return referrers(app).get(docname, [])


def is_essay(app: Sphinx, docname: str) -> bool:
    return docname in ablog.blog_of(app)


def page_inputs(app: Sphinx, docname: str):
    if is_essay(app, docname):
        return [("backlinks", p.docname, p.title, str(p.date)) for p in backlinks_of(app, docname)]
    return None


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")
    app.setup_extension("essaysite.features.xrefs")
    app.connect("essay-page-inputs", page_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
