"""What ABlog keeps of each essay, without the whole parse it came from.

ABlog stores in the environment a deep copy of every essay's doctree and of
its excerpt. docutils copies keep a reference to the *original* document,
and through it to its reporter, transformer and parser, so the pickled
environment held every essay's full parse twice over: 113 MB for 300 essays,
of which 107 MB were ABlog's posts, and loading it took 3.5 s on every
rebuild. After ABlog has collected an essay (``doctree-read``), this drops
those references from its copies, and docutils' notes on the source that
no page shows; ``essaysite.features.rendering`` points the nodes at the document
they are rendered in.

Even lightened, those copies were most of the environment (15 of 19 MB with
1,000 essays), pickled after every build and loaded before the next. They
are needed only to render an essay's full text in the feeds, and only for
essays whose feed entry changed, which are almost always the essays just
read. So the copies are set aside, out of the environment, in this build's
memory: once ABlog's posts are registered for the build (``env-updated``),
and in a parallel build as soon as a reading process's copies are merged.
An essay not read in this build gets its full text from its pickled
doctree (``essay_doctree``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from essaysite import state


def detach(tree: nodes.Node) -> None:
    """Forget the document ``tree``'s nodes were copied from."""
    for node in tree.findall(include_self=True):
        if not isinstance(node, nodes.document):
            node._document = None
    if isinstance(tree, nodes.document):
        tree.reporter = None
        tree.transformer = None
        # The settings hold the environment (settings.env). In a parallel
        # build the copy is made in a reading process: merged into the main
        # environment, it would drag that process's whole environment along,
        # and each later reading process would carry all earlier ones
        # (10 GB and six minutes for 1,000 essays with -j 2).
        tree.settings = None


def drop_system_messages(app: Sphinx, tree: nodes.Node) -> None:
    """Docutils' notes on the source, left out as Sphinx leaves them out of pages.

    ABlog's copy of an essay can carry them (an INFO "Duplicate implicit
    target name" for a heading whose id is its own name): a feed showed it
    as a "System Message" box, with the essay's path on the author's disk.
    Sphinx's ``FilterSystemMessages`` drops them from each page read, all of
    them unless ``keep_warnings`` is set.
    """
    level = 2 if app.config.keep_warnings else 5
    for message in list(tree.findall(nodes.system_message)):
        if message["level"] < level and message.parent is not None:
            message.parent.remove(message)


def lighten_posts(app: Sphinx, doctree: nodes.document) -> None:
    for info in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        for tree in [info["doctree"], *info["excerpt"]]:
            detach(tree)
            drop_system_messages(app, tree)


def set_aside(app: Sphinx, env, docnames) -> None:
    """Move the copies of ``docnames`` out of the environment, into this build's memory."""
    aside = copies_aside(app)
    for docname in docnames:
        for info in env.ablog_posts.get(docname, []):
            if info.get("doctree") is not None:
                aside[docname, info["order"]] = info["doctree"]
                info["doctree"] = None


def set_merged_copies_aside(app: Sphinx, env, docnames, other) -> None:
    """As soon as they are merged (env-merge-info, parallel reading).

    Each reading process pickles the whole environment back to the main
    one, which forks the next reading processes: copies left in it made
    every later process carry all earlier ones (15 MB for the last of 1,000
    essays, and a second to unpickle each).
    """
    set_aside(app, env, docnames)


def set_all_copies_aside(app: Sphinx, env) -> list:
    """Before the environment is pickled (env-updated, once the posts are registered)."""
    set_aside(app, env, list(getattr(env, "ablog_posts", {})))
    return []


def copies_aside(app: Sphinx) -> dict:
    return state.of(app).essays.post_copies


def essay_doctree(app: Sphinx, post) -> nodes.document:
    """The essay as ABlog copies it: its copy if read in this build, else from its pickled doctree."""
    from ablog.post import PostNode

    copy = copies_aside(app).get((post.docname, getattr(post, "order", 1)))
    if copy is not None:
        return copy
    doctree = app.env.get_doctree(post.docname)
    for node in list(doctree.findall(PostNode)):
        node.replace_self([] if node["exclude"] else node.children)
    return doctree


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    app.setup_extension("essaysite.incremental.freshness")
    # After ABlog's own doctree-read handler (priority 500), which makes the copies.
    app.connect("doctree-read", lighten_posts, priority=900)
    state.of(app).essays.doctree_of = essay_doctree  # essaysite.features.rendering renders feed entries from it
    # After essaysite.speed.parallel merges ABlog's posts (priority 500).
    app.connect("env-merge-info", set_merged_copies_aside, priority=600)
    # After essaysite.incremental.freshness registers the posts for the build (priority 100).
    app.connect("env-updated", set_all_copies_aside, priority=150)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
