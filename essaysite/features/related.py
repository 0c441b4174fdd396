"""Related essays: up to three, by shared tags, then by shared category.

For an essay, every other published essay that shares a tag or a category
with it is a candidate; the candidates are ranked by the number of shared
tags, then of shared categories, then newest first, then by file name, so
the choice is stable from build to build. The first three are shown at the
end of the essay in its one "Further reading" block
(``essaysite.features.further_reading``), after the essays linking to it
and without repeating one; an essay with no candidate has none. Drafts are
never candidates.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from sphinx.application import Sphinx

from essaysite.incremental import store
from essaysite.patches import ablog
from essaysite.incremental.freshness import build_cache, published_posts

STATE = "related"  # essaysite-<builder>-related.json in the doctree folder
LIMIT = 3


def labels(colls) -> set[str]:
    return {str(c).lower() for c in colls}


def label_index(app: Sphinx):
    """Each published essay's tags and categories, and the essays of each (once per build)."""
    cache = build_cache(app)
    if "related-index" not in cache:
        labels_of, by_label = {}, defaultdict(set)
        for post in published_posts(app):
            tags, categories = labels(post.tags), labels(post.category)
            labels_of[post.docname] = (tags, categories, post)
            for label in tags:
                by_label["tag", label].add(post.docname)
            for label in categories:
                by_label["category", label].add(post.docname)
        cache["related-index"] = labels_of, by_label
    return cache["related-index"]


def ranked_before(app: Sphinx) -> dict[str, list[str]]:
    """The last build's choices, if every essay's tags, categories and date are as they were.

    The choice depends on nothing else, so a rebuild after an edit that
    leaves them alone ranks nothing again.
    """
    cache = build_cache(app)
    if "related-before" not in cache:
        labels_of, _ = label_index(app)
        key = store.digest(
            [(name, sorted(tags), sorted(categories), str(post.date)) for name, (tags, categories, post) in sorted(labels_of.items())]
        )
        cache["related-key"] = key
        kept = store.load(app, STATE)
        cache["related-before"] = kept.get("related", {}) if kept.get("key") == key else {}
    return cache["related-before"]


def save_choices(app: Sphinx, exception) -> None:
    cache = build_cache(app)
    if exception is None and "related" in cache and "related-key" in cache:
        chosen = {**cache["related-before"], **{d: [p.docname for p in posts] for d, posts in cache["related"].items()}}
        store.save(app, STATE, {"key": cache["related-key"], "related": chosen})


def related_to(app: Sphinx, docname: str) -> list:
    found = build_cache(app).setdefault("related", {})
    if docname in found:
        return found[docname]
    before = ranked_before(app).get(docname)
    labels_of, _ = label_index(app)
    if before is not None and all(name in labels_of for name in before):
        found[docname] = [labels_of[name][2] for name in before]
        return found[docname]
    blog = ablog.blog_of(app)
    if docname not in blog:
        return []
    post = blog[docname]
    tags, categories = labels(post.tags), labels(post.category)
    labels_of, by_label = label_index(app)
    # Only essays sharing a tag or a category can rank: look at those alone,
    # and at those sharing a tag alone when there are enough of them (any
    # shared tag ranks above a shared category only).
    candidates = set().union(*(by_label["tag", t] for t in tags))
    candidates.discard(docname)
    if len(candidates) < LIMIT:
        candidates.update(*(by_label["category", c] for c in categories))
        candidates.discard(docname)
    ranked = []
    for other_name in candidates:
        other_tags, other_categories, other = labels_of[other_name]
        shared_tags = len(tags & other_tags)
        shared_categories = len(categories & other_categories)
        ranked.append((-shared_tags, -shared_categories, -other.date.timestamp(), other.docname, other))
    found[docname] = [r[-1] for r in heapq.nsmallest(LIMIT, ranked, key=lambda r: r[:4])]
    return found[docname]


def page_inputs(app: Sphinx, docname: str):
    return [("related", p.docname, p.title, str(p.date)) for p in related_to(app, docname)] or None


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")
    app.connect("essay-page-inputs", page_inputs)
    app.connect("build-finished", save_choices)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
