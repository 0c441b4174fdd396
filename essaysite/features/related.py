"""Related essays: up to three, by shared tags, then by shared category.

For an essay, every other published essay that shares a tag or a category
with it is a candidate; the candidates are ranked by the number of shared
tags, then of shared categories, then newest first, then by file name, so
the choice is stable from build to build. The first three are shown at the
end of the essay in its one "Further reading" block
(``essaysite.features.further_reading``), after the essays linking to it
and without repeating one; an essay with no candidate has none. Drafts are
never candidates.

The choice costs a few steps per essay, however many essays share its
tags: the essays sharing two tags or more are found by intersecting the
tags' sets; then each tag's and each category's essays, kept newest first
once per build, are walked from the newest, and the walk stops as soon as
no essay further down can rank higher (``choose``). Comparing each essay
with every essay sharing a tag cost some 1,300 comparisons per essay at
10,000 essays, 13 million in all.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sphinx.application import Sphinx

from essaysite.incremental import store
from essaysite.patches import ablog
from essaysite.incremental.freshness import build_cache, published_posts

STATE = "related"  # essaysite-<builder>-related.json in the doctree folder
LIMIT = 3


def labels(colls) -> set[str]:
    return {str(c).lower() for c in colls}


@dataclass
class Index:
    """The candidates: each essay's tags and categories, and the essays of each label, newest first."""

    labels_of: dict = field(default_factory=dict)  # docname -> (tags, categories)
    rank: dict = field(default_factory=dict)  # docname -> place, newest first, then by name
    sets: dict = field(default_factory=lambda: defaultdict(set))  # ("tag", label) -> docnames
    lists: dict = field(default_factory=lambda: defaultdict(list))  # ("tag", t) / ("category", c) / ("pair", t, c) -> docnames by rank


def make_index(essays) -> Index:
    """``essays``: (docname, tags, categories, timestamp) of every candidate."""
    index = Index()
    for place, (name, tags, categories, _) in enumerate(sorted(essays, key=lambda e: (-e[3], e[0]))):
        index.labels_of[name] = (tags, categories)
        index.rank[name] = place
        for tag in tags:
            index.sets["tag", tag].add(name)
            index.lists["tag", tag].append(name)
            for category in categories:
                index.lists["pair", tag, category].append(name)
        for category in categories:
            index.lists["category", category].append(name)
    return index


def choose(index: Index, docname: str, tags: set, categories: set, limit: int = LIMIT) -> list[str]:
    """The ``limit`` best candidates by (shared tags, shared categories, newest, name): see the module's docstring."""

    def signature(name: str) -> tuple[int, int]:
        other_tags, other_categories = index.labels_of[name]
        return len(tags & other_tags), len(categories & other_categories)

    # Two shared tags or more: essays in two of the tags' sets (few).
    several = set().union(*(index.sets["tag", a] & index.sets["tag", b] for a, b in combinations(sorted(tags), 2)))
    several.discard(docname)
    found = sorted((-s, -c, index.rank[n], n) for n in several for s, c in [signature(n)])
    chosen = [n for *_, n in found[:limit]]
    # Then one shared tag and a category, one tag alone, a category alone: in that order, each walked newest first.
    phases = [
        ([index.lists["pair", t, c] for t in sorted(tags) for c in sorted(categories)], lambda s, c: s == 1, len(categories)),
        ([index.lists["tag", t] for t in sorted(tags)], lambda s, c: s == 1 and c == 0, 0),
        ([index.lists["category", c] for c in sorted(categories)], lambda s, c: s == 0, len(categories)),
    ]
    for streams, belongs, best in phases:
        need = limit - len(chosen)
        if need <= 0:
            break
        accepted, at_best, seen = [], 0, set()
        for name in heapq.merge(*streams, key=index.rank.__getitem__):
            if name == docname or name in seen:
                continue
            seen.add(name)
            s, c = signature(name)
            if belongs(s, c):
                accepted.append((-c, index.rank[name], name))
                at_best += c == best
                if at_best == need:  # nothing further down ranks higher
                    break
        chosen += [n for *_, n in sorted(accepted)[:need]]
    return chosen


def essay_labels(app: Sphinx) -> dict:
    """Each published essay's tags and categories, and the essay: docname -> (tags, categories, post) (once per build)."""
    cache = build_cache(app)
    if "related-labels" not in cache:
        cache["related-labels"] = {post.docname: (labels(post.tags), labels(post.category), post) for post in published_posts(app)}
    return cache["related-labels"]


def candidates_index(app: Sphinx) -> Index:
    """The candidates' index, made once per build and only when an essay's choice is not the last build's."""
    cache = build_cache(app)
    if "related-index" not in cache:
        cache["related-index"] = make_index(
            (name, tags, categories, post.date.timestamp()) for name, (tags, categories, post) in essay_labels(app).items()
        )
    return cache["related-index"]


def ranked_before(app: Sphinx) -> dict[str, list[str]]:
    """The last build's choices, if every essay's tags, categories and date are as they were.

    The choice depends on nothing else, so a rebuild after an edit that
    leaves them alone ranks nothing again.
    """
    cache = build_cache(app)
    if "related-before" not in cache:
        labels_of = essay_labels(app)
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
    labels_of = essay_labels(app)
    if before is not None and all(name in labels_of for name in before):
        found[docname] = [labels_of[name][2] for name in before]
        return found[docname]
    blog = ablog.blog_of(app)
    if docname not in blog:
        return []
    post = blog[docname]
    found[docname] = [labels_of[name][2] for name in choose(candidates_index(app), docname, labels(post.tags), labels(post.category))]
    return found[docname]


def page_inputs(app: Sphinx, docname: str):
    return [("related", p.docname, p.title, str(p.date)) for p in related_to(app, docname)] or None


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")
    app.connect("essay-page-inputs", page_inputs)
    app.connect("build-finished", save_choices)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
