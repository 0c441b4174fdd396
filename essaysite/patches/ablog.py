"""ABlog's internals, written against ablog 0.11.13: the only module of the project that imports ``ablog``.

Features reach ABlog through the functions here; reading the public data
of its objects (a post's ``title``, ``date``, ``tags``; the blog's
``posts``, ``tags``, ``blog_path``) is theirs to do. What this module knows:

- **Parallel reading** (always on: without it ``-j N -W`` fails). ABlog's
  ``setup()`` declares ``parallel_read_safe: False``. What it collects while
  reading is ``env.ablog_posts`` (``{docname: [post record]}``), which it
  never merges back from the reading processes: merged here on
  ``env-merge-info``; its labels and the posts' ``orphan`` metadata Sphinx
  merges itself; its ``Blog`` singleton is rebuilt from ``env.ablog_posts``
  after reading (``reset_blog``). With that, ABlog is declared safe.
- **The ``Blog`` singleton** (``Blog._dict``): process-wide, so it is
  emptied when a build starts and filled from the environment after reading.
- **Its handlers, found by name** (``wrap_handler``): ``generate_archive_pages``
  and ``generate_atom_feeds`` at ``html-collect-pages``.
- **``config.matched_blog_posts``**, the documents ABlog takes for posts.
- **Its post records**: the copies of each post (``"doctree"``) and of its
  excerpt (``"excerpt"``) in ``env.ablog_posts``, and ``PostNode``/``PostList``.
- **Its rendering helpers** ``html_builder_write_doc`` and ``revise_pending_xrefs``.

Each is checked when it is first used in a build; when it does not hold,
ABlog's stock behaviour stays and one warning line says so
(``essaysite.patches.guard``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import ablog
from ablog.blog import Blog, Catalog, Collection, Post, html_builder_write_doc, os_path_join, slugify
from ablog.blog import revise_pending_xrefs as ablog_revise_pending_xrefs
from ablog.post import PostList, PostNode, register_posts
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from essaysite import state
from essaysite.patches import sphinx as sphinx_patches
from essaysite.patches.guard import Coupling, find, looks_up

PACKAGE, WRITTEN_FOR = "ablog", "0.11.13"


class LooksUp(Coupling):
    """ABlog's functions still look these names up (it keeps or reads what the project relies on)."""

    def __init__(self, what: str, uses: dict[str, tuple[str, ...]]) -> None:
        super().__init__(PACKAGE, WRITTEN_FOR, what)
        self.uses = uses

    def problem(self) -> str | None:
        try:
            for function, names in self.uses.items():
                for name in names:
                    if not looks_up(find(function), name):
                        return f"{function} no longer uses {name}"
        except LookupError as error:
            return str(error)
        return None


# -- Parallel reading ---------------------------------------------------------------------

PARALLEL_READING = LooksUp(
    "ABlog read in parallel",
    {"ablog.post:process_posts": ("ablog_posts",), "ablog.post:purge_posts": ("ablog_posts",)},
)


def declare_parallel_read_safe(app: Sphinx) -> None:
    extension = app.extensions.get("ablog")
    if extension is None or not hasattr(extension, "parallel_read_safe"):
        PARALLEL_READING.warn(app, "its extension metadata has no parallel_read_safe")
    elif PARALLEL_READING.holds(app):
        # Sphinx reads this only when it decides how to read, after every setup().
        extension.parallel_read_safe = True


def merge_posts(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    """ABlog's posts read by another process (env-merge-info)."""
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    theirs = getattr(other, "ablog_posts", {})
    for docname in docnames:
        if docname in theirs:
            env.ablog_posts[docname] = theirs[docname]


# -- The Blog singleton ----------------------------------------------------------------------

BLOG_SINGLETON = LooksUp("ABlog's posts from the current build only", {"ablog.blog:Blog.__init__": ("_dict",)})


def blog_of(app: Sphinx) -> Blog:
    """ABlog's blog: its posts, catalogs (tags, categories, years) and settings."""
    return Blog(app)


def reset_blog(app: Sphinx, register: bool) -> None:
    """Empty ABlog's process-wide blog; with ``register``, fill it from this build's environment."""
    if BLOG_SINGLETON.holds(app) and isinstance(getattr(Blog, "_dict", None), dict):
        Blog._dict.clear()
    if register:
        register_posts_of(app)


def register_posts_of(app: Sphinx) -> Blog:
    """The blog, its posts registered if nothing registered them yet."""
    blog = Blog(app)
    if not blog:
        register_posts(app)
    return blog


def builder_support(app: Sphinx) -> bool:
    """Whether ABlog writes its pages with this builder (HTML, not pickle or JSON)."""
    return ablog.builder_support(app)


def version() -> str:
    return ablog.__version__


# -- Its handlers ------------------------------------------------------------------------------


def wrap_handler(app: Sphinx, event: str, name: str, wrapper: Callable | None) -> bool:
    """Replace ABlog's handler ``name`` of ``event`` by ``wrapper(handler)``; None disconnects it.

    The wrapper keeps the handler's name and priority, so that the next
    module can find it and wrap it again. When no such handler is
    connected, ABlog's stock behaviour stays, with a warning.
    """
    found = False
    for listener in sphinx_patches.listeners_of(app, event):
        if getattr(listener.handler, "__name__", "") != name:
            continue
        found = True
        app.disconnect(listener.id)
        if wrapper is None:
            state.of(app).essays.disconnected_handlers.add(name)
        else:
            wrapped = wrapper(listener.handler)
            wrapped.__name__ = name
            app.connect(event, wrapped, priority=listener.priority)
    if not found:
        Coupling(PACKAGE, WRITTEN_FOR, f"ABlog's {name} replaced").warn(app, f"no {event} handler named {name} is connected")
    return found


# -- The documents it takes for posts ------------------------------------------------------------

MATCHED_POSTS = LooksUp(
    "drafts kept out of ABlog's posts",
    {"ablog:config_inited": ("matched_blog_posts",), "ablog.post:CheckFrontMatter.apply": ("matched_blog_posts",)},
)


def matched_posts(config: Config) -> list[str]:
    """The documents ABlog takes for posts (matched by ``blog_post_pattern`` at config-inited)."""
    return list(getattr(config, "matched_blog_posts", []))


def match_posts(app: Sphinx, config: Config, docnames: list[str]) -> None:
    """ABlog takes exactly ``docnames`` for posts (after its config-inited): the essays, drafts left out of a public build."""
    if MATCHED_POSTS.holds(app):
        config.matched_blog_posts = list(docnames)


# -- Its post records --------------------------------------------------------------------------

RECORD_KEYS = ("doctree", "excerpt", "order")
POST_RECORDS = Coupling(PACKAGE, WRITTEN_FOR, "ABlog's copies of each essay lightened")


def post_records(app: Sphinx, env: BuildEnvironment, docname: str) -> list[dict]:
    """ABlog's records of the posts of ``docname``, if they have the shape this module knows."""
    records = getattr(env, "ablog_posts", {}).get(docname, [])
    if not all(isinstance(r, dict) and all(key in r for key in RECORD_KEYS) for r in records):
        POST_RECORDS.warn(app, f"its post records have no {', '.join(RECORD_KEYS)}")
        return []
    return records


def post_copies(app: Sphinx, env: BuildEnvironment, docname: str) -> list[nodes.Node]:
    """ABlog's copies of the posts of ``docname`` (each post, each part of its excerpt)."""
    return [tree for record in post_records(app, env, docname) for tree in [record["doctree"], *record["excerpt"]] if tree is not None]


def excerpt_copies(app: Sphinx, env: BuildEnvironment, docname: str) -> list[nodes.Node]:
    """ABlog's copies of the excerpts of the posts of ``docname``."""
    return [tree for record in post_records(app, env, docname) for tree in record["excerpt"] if tree is not None]


def is_post_document(env: BuildEnvironment, docname: str) -> bool:
    return docname in getattr(env, "ablog_posts", {})


def post_documents(env: BuildEnvironment) -> list[str]:
    """The documents ABlog found posts in."""
    return list(getattr(env, "ablog_posts", {}))


def copies_aside(app: Sphinx) -> dict:
    return state.of(app).essays.post_copies


def forget_copies_aside(app: Sphinx) -> None:
    state.of(app).essays.post_copies = {}


def set_copies_aside(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str]) -> None:
    """Move ABlog's copies of the posts of ``docnames`` out of the environment, into this build's memory."""
    aside = copies_aside(app)
    for docname in docnames:
        for record in post_records(app, env, docname):
            if record["doctree"] is not None:
                aside[docname, record["order"]] = record["doctree"]
                record["doctree"] = None


# ABlog's handler that renders essays from its copies of them (its feeds), unless disconnected.
READS_COPIES = "generate_atom_feeds"


def copies_needed(app: Sphinx) -> bool:
    """Whether ABlog itself may render an essay from its copy: its own feed writer is connected, or
    its posts outlive the build (then an essay of an earlier build has no doctree in this one)."""
    return READS_COPIES not in state.of(app).essays.disconnected_handlers or BLOG_SINGLETON.problem() is not None


def drop_document_copies(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget ABlog's copies of whole documents (a document that is one post): its pickled doctree is the same."""
    for record in post_records(app, env, docname):
        if isinstance(record["doctree"], nodes.document):
            record["doctree"] = None


def post_doctree(app: Sphinx, post: Post) -> nodes.Node:
    """The essay as ABlog copied it: its copy if read in this build, else from its pickled doctree."""
    return taken_post_doctree(app, post, take=False)[0]


def taken_post_doctree(app: Sphinx, post: Post, take: bool = True) -> tuple[nodes.Node, bool]:
    """The essay as ``post_doctree`` gives it, and whether the caller owns its nodes (may use them, not copies).

    A copy set aside for this build is handed over (``take``): it serves
    one rendering of the essay's full text, and a second one reads the
    pickled doctree. ABlog's own copy stays ABlog's.
    """
    key = (post.docname, getattr(post, "order", 1))
    copy = copies_aside(app).pop(key, None) if take else copies_aside(app).get(key)
    if copy is not None:
        return copy, take
    copy = getattr(post, "doctree", None)
    if copy is not None:
        return copy, False
    return pickled_post_doctree(app, post), True


def pickled_post_doctree(app: Sphinx, post: Post) -> nodes.Node:
    if post.docname not in app.env.all_docs:
        # An essay of an earlier build in this process: ABlog's posts outlived it (BLOG_SINGLETON
        # warned), and this build has no doctree of it; its excerpt stands in.
        stand_in = nodes.section()
        stand_in.extend(part.deepcopy() for part in getattr(post, "excerpt", None) or [])
        return stand_in
    doctree = app.env.get_doctree(post.docname)
    for node in list(doctree.findall(PostNode)):
        node.replace_self([] if node["exclude"] else node.children)
    return doctree


def has_post_list(doctree: nodes.document) -> bool:
    return any(True for _ in doctree.findall(PostList))


def is_post(value: Any) -> bool:
    return isinstance(value, Post)


def is_collection(value: Any) -> bool:
    return isinstance(value, Collection)


def is_catalog(value: Any) -> bool:
    return isinstance(value, Catalog)


def page_path(app: Sphinx, folder: str, name: str) -> str:
    """Where ABlog would put the page of ``name`` in ``folder`` under the blog (``blog/series/a-name``)."""
    return os_path_join(Blog(app).blog_path, folder, slugify(name))


# -- Rendering a fragment for another page ----------------------------------------------------------

def revise_pending_xrefs(doctree: nodes.document, pagename: str) -> None:
    """References of ``doctree`` resolved from ``pagename`` (not from the essay they were written in)."""
    ablog_revise_pending_xrefs(doctree, pagename)


def write_fragment(app: Sphinx, pagename: str, doctree: nodes.document) -> str:
    """The HTML body of ``doctree`` as a fragment of ``pagename`` (ABlog's part of the builder's write_doc)."""
    return html_builder_write_doc(app.builder, pagename, doctree)


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    app.setup_extension("essaysite.patches.guard")
    declare_parallel_read_safe(app)
    app.connect("env-merge-info", merge_posts)
    # It merges what ABlog stores in the environment (env.ablog_posts).
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
