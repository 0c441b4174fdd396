"""What ABlog keeps of each essay, without the whole parse it came from.

ABlog stores in the environment a deep copy of every essay's doctree and of
its excerpt. docutils copies keep a reference to the *original* document,
and through it to its reporter, transformer and parser, so the pickled
environment held every essay's full parse twice over: 113 MB for 300 essays,
of which 107 MB were ABlog's posts, and loading it took 3.5 s on every
rebuild. After ABlog has collected an essay (``doctree-read``), this drops
those references from its copies; ``essaysite.features.rendering`` points the
nodes at the document they are rendered in (and drops docutils' notes on
the source from the copies, which is needed with or without this module).

Even lightened, those copies were most of the environment (15 of 19 MB with
1,000 essays), pickled after every build and loaded before the next. They
are needed only to render an essay's full text in the feeds, and only for
essays whose feed entry changed, which are almost always the essays just
read. So the copies are set aside, out of the environment, in this build's
memory: once ABlog's posts are registered for the build (``env-updated``),
and in a parallel build as soon as a reading process's copies are merged.
An essay not read in this build gets its full text from its pickled
doctree (``essaysite.patches.ablog.post_doctree``).

Most essays are one post each, and ABlog's copy of such an essay is the
whole document, as the pickled doctree has it: those copies are not kept
at all (dropped as soon as ABlog makes them), and their full text comes from
the pickled doctree too. Kept in memory, they were about 50 KB an essay in
the main process, 500 MB at 10,000 essays, and every reading process sent
its share of them back pickled; only the essays a feed shows in full (the
newest few of each feed) need their full text, and reading those doctrees
again costs a few milliseconds each. Copies of one post among several in a
document (a section) are still set aside, and every copy is kept when ABlog
itself may render from it (``essaysite.patches.ablog.copies_needed``: its
own feed writer connected, or its posts outliving the build).

ABlog's post records are reached through ``essaysite.patches.ablog``. With
``essays_speedups`` off the copies stay in the environment, whole.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from essaysite import state
from essaysite.patches import ablog
from essaysite.speed import speedups_on


def detach(tree: nodes.Node) -> None:
    """Forget the document ``tree``'s nodes were copied from."""
    for node in tree.findall(include_self=True):
        if not isinstance(node, nodes.document):
            node.document = None
    if isinstance(tree, nodes.document):
        tree.reporter = None
        tree.transformer = None
        # The settings hold the environment (settings.env). In a parallel
        # build the copy is made in a reading process: merged into the main
        # environment, it would drag that process's whole environment along,
        # and each later reading process would carry all earlier ones
        # (10 GB and six minutes for 1,000 essays with -j 2).
        tree.settings = None


def choose_copies_kept(app: Sphinx) -> None:
    state.of(app).essays.drop_document_copies = not ablog.copies_needed(app)


def lighten_posts(app: Sphinx, doctree: nodes.document) -> None:
    if state.of(app).essays.drop_document_copies:
        ablog.drop_document_copies(app, app.env, app.env.docname)
    for tree in ablog.post_copies(app, app.env, app.env.docname):
        detach(tree)


def set_merged_copies_aside(app: Sphinx, env, docnames, other) -> None:
    """As soon as they are merged (env-merge-info, parallel reading).

    Each reading process pickles the whole environment back to the main
    one, which forks the next reading processes: copies left in it made
    every later process carry all earlier ones (15 MB for the last of 1,000
    essays, and a second to unpickle each).
    """
    ablog.set_copies_aside(app, env, docnames)


def set_all_copies_aside(app: Sphinx, env) -> list:
    """Before the environment is pickled (env-updated, once the posts are registered)."""
    ablog.set_copies_aside(app, env, ablog.post_documents(env))
    return []


# The same either way: Sphinx writes every extension's env_version into
# searchindex.js, which must not differ with the speedups off.
METADATA = {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.incremental.freshness")
    app.setup_extension("essaysite.speed")
    if not speedups_on(app):
        return METADATA
    app.connect("builder-inited", ablog.forget_copies_aside)
    app.connect("builder-inited", choose_copies_kept)
    # After ABlog's own doctree-read handler (priority 500), which makes the copies.
    app.connect("doctree-read", lighten_posts, priority=900)
    # After essaysite.patches.ablog merges ABlog's posts (priority 500).
    app.connect("env-merge-info", set_merged_copies_aside, priority=600)
    # After essaysite.incremental.freshness registers the posts for the build (priority 100).
    app.connect("env-updated", set_all_copies_aside, priority=150)
    return METADATA
