"""Always current: a plain rebuild writes the same pages as a clean build.

Sphinx rewrites a page when its own source changed. But a page here also
shows other essays: its backlinks, related essays, series navigation, the
titles its links show, ABlog's previous/next essay, the sidebars (recent
essays, tags, categories, years) and, on the home page, the latest essays
with their excerpts. None of that is known to Sphinx, and ABlog has no
``env-get-outdated`` handler, so after a change elsewhere those pages stay
stale.

Here, after reading, each page's *inputs* from other pages are gathered:
each feature module answers the ``essay-page-inputs`` event for a page with
exactly what it will show there (``essay-list-inputs`` with what it
shows of an essay on the lists of essays, ``essay-feed-inputs`` with what
an essay's feed entry shows of other pages), and this module adds ABlog's sidebars,
previous/next and post lists. A page whose inputs differ from the last
successful build's is rewritten (``env-get-updated``); nothing else is. The
inputs' digests are kept in the doctree folder and saved only when a build
finishes without an error, so a failed build never leaves a page marked as
current that was not written.

Outputs that a clean build would not write are removed: the page of a
deleted essay, and generated pages and feeds no longer produced (a tag no
longer used, a page 3 of a list that shrank). Only files this module saw the
build write are ever removed, and the preview pictures no page points at any
more (a retitled page's old card, a deleted essay's cover): those folders
hold nothing but what the build draws.

ABlog keeps its posts in a process-wide ``Blog`` singleton, filled once per
process. It is emptied when a build starts and filled again from the
environment once reading is done, so no build sees posts of an earlier build
or of a document before it was re-read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from essaysite import state
from essaysite.fragments import is_own_page
from essaysite.incremental import outward, store
from essaysite.incremental.outward import post_facts
from essaysite.patches import ablog

logger = logging.getLogger(__name__)

STATE = "state"  # essaysite-<builder>-state.json in the doctree folder
# What the last build generated into the output folder, whatever its configuration.
OUTPUTS = "outputs"


# -- ABlog's singleton, always from the current environment ---------------------


def reset_blog(app: Sphinx, *args) -> None:
    """Empty ABlog's singleton, then fill it from the environment if there is one."""
    ablog.reset_blog(app, register=bool(args))  # env-updated: reading is done, every post is known


def build_cache(app: Sphinx) -> dict:
    """Values computed once per build, after reading (essaysite.state empties them before the posts are registered)."""
    return state.of(app).caches.values


def published_posts(app: Sphinx) -> list:
    """The published essays, newest first.

    ABlog's published posts, without the essays the project counts as drafts
    (``essaysite.features.drafts``: a dated ``draft: true`` is published for ABlog, and
    the preview build reads it).
    """
    cache = build_cache(app)
    if "published" not in cache:
        drafts = state.of(app).configured.drafts
        cache["published"] = [p for p in ablog.blog_of(app).posts if p.docname not in drafts]
    return cache["published"]


# -- Documents with an ABlog post list ------------------------------------------


def record_postlists(app: Sphinx, doctree) -> None:
    env = app.env
    if not hasattr(env, "essays_postlists"):
        env.essays_postlists = set()
    if ablog.has_post_list(doctree):
        env.essays_postlists.add(env.docname)


def purge_postlists(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if hasattr(env, "essays_postlists"):
        env.essays_postlists.discard(docname)


def merge_postlists(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "essays_postlists"):
        env.essays_postlists = set()
    env.essays_postlists |= set(docnames) & getattr(other, "essays_postlists", set())


# -- What each page shows of other pages ----------------------------------------


def shows_ablog_widgets(app: Sphinx) -> bool:
    """Whether a sidebar of ``html_sidebars`` draws one of ABlog's widgets (the site's does not)."""
    sidebars = app.config.html_sidebars or {}
    return any(str(name).startswith("ablog/") for names in sidebars.values() for name in ([names] if isinstance(names, str) else names))


def sidebar_inputs(app: Sphinx) -> list:
    """ABlog's sidebars: recent essays, tag cloud, categories, years (same on every page, if shown)."""
    if not shows_ablog_widgets(app):
        return []
    blog = ablog.blog_of(app)
    recent = [(p.docname, p.title, str(p.date)) for p in list(blog.posts)[:6]]
    # The tag cloud shows each tag's size class, the other lists their counts.
    catalogs = [[(str(c), c.relsize(5, 1)) for c in blog.tags if len(c)]]
    for catalog in (blog.category, blog.archive, blog.author, blog.location, blog.language):
        catalogs.append([(str(c), len(c)) for c in catalog if len(c)])
    return [recent, catalogs]


def ablog_page_inputs(app: Sphinx, docname: str) -> list:
    """What ABlog's templates and post lists show on ``docname`` of other essays."""
    blog = ablog.blog_of(app)
    inputs: list = []
    if docname in blog:
        post = blog[docname]
        if post.published:
            inputs.append([(p.docname, p.title) if p else None for p in (post.prev, post.next)])
        for key in ("tags", "category", "author", "location", "language"):
            inputs.append([(str(c), bool(len(c))) for c in getattr(post, key)])
    if docname in getattr(app.env, "essays_postlists", ()):
        # Every essay ABlog's post list chooses from, as the lists show it.
        inputs.append([post_digest(app, p) for p in blog.posts])
    return inputs


def feature_inputs(app: Sphinx, docname: str) -> list:
    cache = build_cache(app).setdefault("page-inputs", {})
    if docname not in cache:
        cache[docname] = [r for r in app.emit("essay-page-inputs", docname) if r]
    return cache[docname]


def list_inputs(app: Sphinx, docname: str) -> list:
    """What the features show of an essay on a list of essays (``essay-list-inputs``)."""
    cache = build_cache(app).setdefault("list-inputs", {})
    if docname not in cache:
        cache[docname] = [r for r in app.emit("essay-list-inputs", docname) if r]
    return cache[docname]


def post_digest(app: Sphinx, post) -> str:
    """What a list of essays (ABlog's post lists, the list pages) shows of ``post``: a digest, once per build."""
    cache = build_cache(app).setdefault("post digests", {})
    if post.docname not in cache:
        kept = load_state(app).get("posts", {})
        if as_before(app, post.docname) and post.docname in kept:
            cache[post.docname] = kept[post.docname]
        else:
            cache[post.docname] = store.digest([post_facts(post), list_inputs(app, post.docname), bool(post.published)])
    return cache[post.docname]


def feed_inputs(app: Sphinx, docname: str) -> list:
    """What an essay's feed entry (its text, without its page's boxes) shows of other pages (``essay-feed-inputs``).

    An essay with a post list shows other essays' facts in its text too.
    """
    cache = build_cache(app).setdefault("feed-inputs", {})
    if docname not in cache:
        found = [r for r in app.emit("essay-feed-inputs", docname) if r]
        if docname in getattr(app.env, "essays_postlists", ()):
            found.append(ablog_page_inputs(app, docname))
        cache[docname] = found
    return cache[docname]


def page_inputs(app: Sphinx, docname: str, sidebar: list) -> str:
    data = [sidebar, ablog_page_inputs(app, docname), feature_inputs(app, docname)]
    return store.digest(data)


# -- Which pages to rewrite ------------------------------------------------------


def load_state(app: Sphinx) -> dict:
    """The last successful build's state (read once per build)."""
    return store.load(app, STATE)


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Which documents this build reads (env-before-read-docs; essaysite.speed.parallel asks how many)."""
    state.of(app).rebuild.reading = len(docnames)
    state.of(app).rebuild.read = set(docnames)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose inputs from other pages changed since the last successful build."""
    kept = load_state(app)
    before = kept.get("pages")
    rebuild = state.of(app).rebuild
    sidebar = sidebar_inputs(app)
    now = {"outward": outward.outward_digests(app, kept.get("outward", {}), rebuild.read), "shared": outward.shared_facts(app, sidebar)}
    rebuild.outward = now
    same_documents = before is not None and not rebuild.removed and set(before) == set(env.found_docs)
    # Nothing of the documents read that other pages show changed (essaysite.incremental.outward).
    rebuild.others_unchanged = same_documents and outward.others_unchanged(kept, now)
    if rebuild.others_unchanged:
        # Only the pages read, and those with a post list, can show something new.
        again = rebuild.read | (getattr(env, "essays_postlists", set()) & env.found_docs) if rebuild.read else set()
        digests = {docname: page_inputs(app, docname, sidebar) if docname in again else before[docname] for docname in sorted(env.found_docs)}
    else:
        digests = {docname: page_inputs(app, docname, sidebar) for docname in sorted(env.found_docs)}
    rebuild.page_digests = digests
    if before is None:
        rebuild.rewrite = sorted(digests)
    else:
        rebuild.rewrite = sorted(d for d, digest in digests.items() if before.get(d) != digest)
    return rebuild.rewrite


def as_before(app: Sphinx, docname: str) -> bool:
    """Whether what lists and feeds show of ``docname`` is what the last build computed: not read again, nothing it shows of others changed."""
    rebuild = state.of(app).rebuild
    return rebuild.others_unchanged and docname not in rebuild.read


def carried_over(app: Sphinx, saved: dict, computed: dict) -> dict:
    """Per-essay values to keep for the next build: ``computed`` in this one, and of ``saved`` those still as before."""
    found = app.env.found_docs
    return {**{d: v for d, v in saved.items() if d in found and as_before(app, d)}, **computed}


# -- Outputs a clean build would not write ------------------------------------------


def output_relpath(app: Sphinx, pagename: str) -> str:
    """The page's file in the output folder, relative to it, with ``/`` (a string, not a path made per page)."""
    builder = app.builder
    cache = build_cache(app)
    if "plain outfilenames" not in cache:
        # The builder's rule, checked on a sample once per build: HTML's page name and suffix.
        suffix = getattr(builder, "out_suffix", "")
        cache["plain outfilenames"] = os.fspath(builder.get_outfilename("a/b")) == os.path.join(os.fspath(app.outdir), "a", "b" + suffix)
    if cache["plain outfilenames"]:
        return pagename + builder.out_suffix
    outfile = os.fspath(builder.get_outfilename(pagename))
    root = os.path.join(os.fspath(app.outdir), "")
    if outfile.startswith(root):
        return outfile[len(root) :].replace(os.sep, "/")
    return Path(outfile).relative_to(app.outdir).as_posix()


def remove_file(app: Sphinx, relpath: str) -> None:
    """Remove an output file, and the folders it leaves empty."""
    outdir = Path(app.outdir)
    path = outdir / relpath
    if path.is_file():
        path.unlink()
        logger.info("removed %s (no longer built)", relpath)
        folder = path.parent
        while folder != outdir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def remove_deleted_pages(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list:
    state.of(app).rebuild.removed = bool(removed)
    if hasattr(app.builder, "get_outfilename"):
        for docname in removed:
            remove_file(app, output_relpath(app, docname))
    return []


# Pictures only pages' previews point at: the cards sphinxext-opengraph draws
# (named after the page and a digest of its title and text) and the covers
# essaysite.features.previews converts (named after a digest of the picture). A page
# drawn again with another text gets a new card; the old one is no longer used.
# The covers' thumbnails on the lists (essaysite.features.thumbnails) are in the
# pages' bodies, named the same way.
PICTURE_FOLDERS = ("_images/social_previews", "_images/covers", "_images/thumbnails")
PICTURE_REF = re.compile(r"_images/(?:social_previews|covers)/[^\"'\s<>?#]+")
THUMBNAIL_REF = re.compile(r"_images/thumbnails/[^\"'\s<>?#]+")


def pictures_of(app: Sphinx, relpath: str) -> list[str]:
    """The preview pictures the ``<head>`` of one written page points at, and the thumbnails its body shows."""
    try:
        text = Path(app.outdir, relpath).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    end = text.find("</head>")
    found = set(PICTURE_REF.findall(text if end < 0 else text[:end])) | set(THUMBNAIL_REF.findall(text))
    return sorted(unquote(ref) for ref in found)


def pictures_in_use(app: Sphinx, pages: set[str], before: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each page's preview pictures: read from the pages written in this build, remembered for the others."""
    written = state.of(app).outputs.written or set()
    return {page: before[page] if page in before and page not in written else pictures_of(app, page) for page in sorted(pages)}


def remove_unused_pictures(app: Sphinx, used: set[str]) -> None:
    outdir = Path(app.outdir)
    for folder in PICTURE_FOLDERS:
        if not (outdir / folder).is_dir():
            continue
        for path in sorted((outdir / folder).iterdir()):
            relpath = path.relative_to(outdir).as_posix()
            if path.is_file() and relpath not in used:
                remove_file(app, relpath)


def note_written(app: Sphinx, pagename: str) -> None:
    outputs = state.of(app).outputs
    if not hasattr(app.builder, "get_outfilename") or outputs.written is None:
        return
    relpath = output_relpath(app, pagename)
    outputs.written.add(relpath)
    if pagename not in app.env.found_docs:
        outputs.generated.add(relpath)


def note_written_document(app: Sphinx, doctree, docname: str) -> None:
    """A document is resolved in the main process just before it is written, also when
    another process writes it (``doctree-resolved``; ``html-page-context`` would run there).

    Fragments rendered for a list or a feed (essaysite.features.rendering) are resolved
    too, under the name of the page they are for: they write nothing.
    """
    if is_own_page(app, doctree):
        note_written(app, docname)


def note_generated_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if pagename not in app.env.found_docs:
        note_written(app, pagename)


def start_writing(app: Sphinx, builder) -> None:
    outputs = state.of(app).outputs
    outputs.generated = set()
    outputs.written = set()


def save_state(app: Sphinx, exception) -> None:
    built = state.of(app)
    if exception is not None or built.rebuild.page_digests is None:
        return
    generated_pages = built.outputs.generated or set()
    # Each feed in every format (atom.xml, rss.xml, feed.json), as essaysite.features.feeds noted them.
    generated = generated_pages | built.outputs.feed_files
    # Also after a change of configuration (a draft excluded, a feed length): files the last build wrote, no longer written.
    for relpath in sorted(set(store.load(app, OUTPUTS, keyed=False).get("generated", [])) - generated):
        remove_file(app, relpath)
    store.save(app, OUTPUTS, {"generated": sorted(generated)})
    previous = load_state(app)
    kept = {"pages": built.rebuild.page_digests, **(built.rebuild.outward or {})}
    # The essays' digests as lists show them: those computed, and those still as the last build's.
    kept["posts"] = carried_over(app, previous.get("posts", {}), build_cache(app).get("post digests", {}))
    if app.builder.name in {"html", "dirhtml"}:  # one page per document
        documents = {output_relpath(app, d) for d in app.env.found_docs}
        pictures = pictures_in_use(app, documents | generated_pages, previous.get("pictures", {}))
        remove_unused_pictures(app, {ref for refs in pictures.values() for ref in refs})
        kept["pictures"] = pictures
    store.save(app, STATE, kept)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.state")
    app.setup_extension("essaysite.incremental.store")
    app.setup_extension("essaysite.speed.parallel_pages")
    app.add_event("essay-page-inputs")  # what a feature shows on an essay's own page
    app.add_event("essay-list-inputs")  # what it shows of an essay on a list of essays
    app.add_event("essay-feed-inputs")  # what an essay's feed entry shows of other pages
    app.connect("builder-inited", reset_blog)
    app.connect("env-updated", reset_blog, priority=100)
    app.connect("doctree-read", record_postlists)
    app.connect("env-purge-doc", purge_postlists)
    app.connect("env-merge-info", merge_postlists)
    app.connect("env-get-outdated", remove_deleted_pages)
    app.connect("env-before-read-docs", note_reading, priority=900)  # after any handler adding documents
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("write-started", start_writing)
    app.connect("doctree-resolved", note_written_document)
    app.connect("html-page-context", note_generated_page)
    app.connect("essay-page-written-elsewhere", note_written)  # essaysite.speed.parallel_pages
    app.connect("build-finished", save_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
