"""What a document shows of itself on other pages: an edit of its text alone changes no other page's inputs.

Each page's inputs (``essaysite.incremental.freshness``) are what it shows of
other documents: its links' titles, its backlinks, related essays, series,
ABlog's previous and next essay, the sidebars. Gathering them for every page
took three seconds at 10,000 essays, on every rebuild that read anything,
an edit of one paragraph included.

Yet what a document gives other pages' inputs, its *outward facts*, comes
from its own source: its title, its front matter (dates, tags, category,
series, draft), ABlog's facts of it (without its excerpt), the labels it
defines with their titles, and the links it makes, which decide the
backlinks. So when the documents read again keep their outward facts, no
document was added or removed, and the same essays are published, no other
page's inputs can have changed: only the pages read again, and those with an
ABlog post list (which show every essay's excerpt), have their inputs
gathered again; every other page keeps its digest. Otherwise every page's
inputs are gathered, as before.

Each document's outward digest is kept with the page digests and computed
again only when the document is read again.

A feature whose page inputs (``essay-page-inputs``) show anything else of
another document must add it to ``outward_facts``. The incremental-equals-clean
tests (tests/test_freshness.py) are the referee.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from essaysite import state
from essaysite.incremental import store
from essaysite.patches import ablog

# Of ABlog's facts of an essay (freshness.post_facts), all but the excerpt,
# which only the lists and post lists show.
EXCERPT = -1


def post_facts(post) -> list:
    """Everything ABlog can show of a post on another page (its excerpt last)."""
    return [
        post.docname,
        post.title,
        str(post.date),
        str(post.update),
        [str(c) for c in post.tags],
        [str(c) for c in post.category],
        [str(c) for c in post.author],
        [str(c) for c in post.location],
        [str(c) for c in post.language],
        [n.pformat() for n in post.excerpt],
    ]


def labels_by_document(app: Sphinx) -> dict[str, list]:
    """Each document's labels with the title each shows (the standard domain's), once per build."""
    cache = state.of(app).caches.values
    if "labels by document" not in cache:
        std = app.env.get_domain("std")
        found: dict[str, list] = {}
        for name, (docname, labelid, title) in std.labels.items():
            found.setdefault(docname, []).append([name, labelid, title])
        for name, (docname, labelid) in std.anonlabels.items():
            found.setdefault(docname, []).append([name, labelid])
        cache["labels by document"] = {docname: sorted(labels) for docname, labels in found.items()}
    return cache["labels by document"]


def outward_facts(app: Sphinx, docname: str) -> list:
    """Everything of ``docname`` that another page's inputs may show or depend on."""
    env = app.env
    title = env.titles.get(docname)
    source = env.doc2path(docname, False)
    front_matter = (state.of(app).configured.front_matter or {}).get(str(source).replace("\\", "/"))
    blog = ablog.blog_of(app)
    post = blog[docname] if docname in blog else None
    return [
        title.astext() if title is not None else None,
        front_matter,
        post_facts(post)[:EXCERPT] if post is not None else None,
        bool(post.published) if post is not None else None,
        labels_by_document(app).get(docname, []),
        [list(x[:3]) for x in getattr(env, "essays_xrefs", {}).get(docname, [])],  # kind, target, anchor
    ]


def shared_facts(app: Sphinx, sidebar: list) -> str:
    """What no one document decides: the essays published now (a date passing publishes an essay), the drafts, the sidebars."""
    blog = ablog.blog_of(app)
    published = sorted(p.docname for p in blog.posts if p.published)
    return store.digest([published, sorted(state.of(app).configured.drafts or ()), sidebar])


def outward_digests(app: Sphinx, before: dict[str, str], read: set[str]) -> dict[str, str]:
    """Each document's outward digest: computed for the documents read (or not known), kept for the others."""
    found = app.env.found_docs
    return {
        docname: before[docname] if docname in before and docname not in read else store.digest(outward_facts(app, docname))
        for docname in sorted(found)
    }


def others_unchanged(before: dict, now: dict) -> bool:
    """Whether no page's inputs can have changed but those of the pages read (``before`` and ``now``: outward, shared)."""
    return bool(before.get("outward")) and before.get("outward") == now["outward"] and before.get("shared") == now["shared"]
