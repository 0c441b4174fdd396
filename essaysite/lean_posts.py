"""What ABlog keeps of each essay, without the whole parse it came from.

ABlog stores in the environment a deep copy of every essay's doctree and of
its excerpt. docutils copies keep a reference to the *original* document,
and through it to its reporter, transformer and parser, so the pickled
environment held every essay's full parse twice over: 113 MB for 300 essays,
of which 107 MB were ABlog's posts, and loading it took 3.5 s on every
rebuild. After ABlog has collected an essay (``doctree-read``), this drops
those references from its copies; ``essaysite.rendering`` points the nodes
at the document they are rendered in.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def detach(tree: nodes.Node) -> None:
    """Forget the document ``tree``'s nodes were copied from."""
    for node in tree.findall(include_self=True):
        if not isinstance(node, nodes.document):
            node._document = None
    if isinstance(tree, nodes.document):
        tree.reporter = None
        tree.transformer = None


def lighten_posts(app: Sphinx, doctree: nodes.document) -> None:
    for info in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        detach(info["doctree"])
        for node in info["excerpt"]:
            detach(node)


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    # After ABlog's own doctree-read handler (priority 500), which makes the copies.
    app.connect("doctree-read", lighten_posts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
