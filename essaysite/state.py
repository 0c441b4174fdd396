"""One typed build state per Sphinx application: what the project's extensions tell each other.

Every module that passes something on to another part of the build (the
front matter checked before reading, the pages to rewrite, the files
written, the caches of one build) reads and writes it here, through
``state.of(app)``, and nowhere else: nothing is hung on the Sphinx
application. Each field says which module writes it and which reads it.

The state lives as long as its application (a build), in this process; a
forked reading or writing process works on its own copy, and what it learns
reaches the main process through Sphinx (the merged environment, the
``essay-page-written-elsewhere`` event), never through this state.

Values computed once per build from the essays (``caches``) are dropped in
one place, when reading is done (``env-updated``, before ABlog's posts are
registered for the build): nothing computed from the essays before that
survives it. What a build keeps for the next one is loaded and saved by
``essaysite.incremental.store``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from sphinx.application import Sphinx


@dataclass
class Configured:
    """Learnt when the configuration is read (``config-inited``), before any essay is."""

    #: Each essay's checked front matter, by source path. features.frontmatter writes; features.drafts reads.
    front_matter: dict[str, dict] | None = None
    #: What the front-matter check learnt, by source path. features.frontmatter writes it and reads it (source-read).
    checked: dict[str, tuple] = field(default_factory=dict)
    #: The e-book's version, given for the epub builder only. features.ebook writes and reads.
    ebook_edition: str | None = None
    #: Docnames of the drafts (kept in a preview build). features.drafts writes; incremental.freshness
    #: (published_posts) and features.drafts (the preview's template helper) read.
    drafts: set[str] = field(default_factory=set)


@dataclass
class Processes:
    """How many processes work, and the garbage collector's pauses (essaysite.speed)."""

    #: ``-j`` as asked, before speed.parallel changes ``app.parallel``. speed.parallel writes; speed.parallel and speed.forked read.
    requested: int | None = None
    #: The process the build started in (the others are forked from it). speed.parallel writes; speed.forked reads.
    main: int | None = None
    #: The collector was paused while the environment loaded. speed.collector writes and reads.
    collector_paused: bool = False
    #: The process that paused the collector for merging, and for writing. speed.collector writes and reads.
    merging_in: int | None = None
    writing_in: int | None = None
    #: The reading processes inherited documents read before (their environments come back with them, garbage once merged). speed.collector writes and reads.
    readers_carry_documents: bool = False
    #: Every reading process started at once, none inheriting what another read (one share each). speed.parallel writes; speed.collector reads.
    readers_start_together: bool = False
    #: The reading (forked) process that froze what it inherited, and documents read or resolved since the last collection. speed.collector writes and reads.
    reader_frozen_in: int | None = None
    since_collection: int = 0
    #: The main process collects while it resolves documents for the writing processes (enough of them). speed.collector writes and reads.
    collect_while_writing: bool = False


@dataclass
class Rebuild:
    """What this build reads and rewrites (incremental.freshness)."""

    #: How many documents this build reads (env-before-read-docs). freshness writes; freshness and speed.parallel read.
    reading: int | None = None
    #: The documents this build reads. freshness writes and reads.
    read: set[str] = field(default_factory=set)
    #: Whether this build removed a document (env-get-outdated; unknown counts as yes). freshness writes and reads.
    removed: bool = True
    #: Each page's digest of what it shows of other pages. freshness writes (env-get-updated);
    #: freshness (save) and incremental.unchanged_lists (feed entries) read.
    page_digests: dict[str, str] | None = None
    #: Each document's outward digest and the shared facts' (incremental.outward), kept with the page digests. freshness writes and reads.
    outward: dict | None = None
    #: Whether nothing other pages show of the documents read changed, and no document came or went
    #: (incremental.outward). freshness writes; freshness and incremental.unchanged_lists read.
    others_unchanged: bool = False
    #: Pages rewritten because what they show changed. freshness writes; speed.parallel reads.
    rewrite: list[str] = field(default_factory=list)


@dataclass
class Outputs:
    """Files this build writes or keeps (paths relative to the output folder)."""

    #: Every page written; None until writing starts. freshness writes and reads (preview pictures).
    written: set[str] | None = None
    #: Generated files written or kept (no source document); None until writing starts.
    #: freshness and incremental.unchanged_lists (a list page kept) write; freshness reads (files no longer built).
    generated: set[str] | None = None
    #: Names of the generated pages, for the sitemap. features.sitemap and incremental.unchanged_lists write; features.sitemap reads.
    sitemap_pages: set[str] = field(default_factory=set)
    #: Every feed file of this build, written or kept. features.feeds writes; freshness reads (files no longer built).
    feed_files: set[str] = field(default_factory=set)
    #: Docnames of the essays in a feed. features.feeds writes; unchanged_lists reads (feed entries worth keeping).
    essays_in_feeds: set[str] = field(default_factory=set)


@dataclass
class Kept:
    """What this build keeps for the next one, saved by essaysite.incremental.store when it succeeds."""

    #: The states the last successful build saved, by name, loaded once. incremental.store writes and reads.
    before: dict[str, dict] = field(default_factory=dict)
    #: The store's key (package version, code, configuration), computed once. incremental.store writes and reads.
    key: str | None = None
    #: Each list page's digest; None until the lists are generated. unchanged_lists writes and reads.
    list_digests: dict[str, str] | None = None
    #: Each feed's digest, and each essay's feed entry [digest, html]. unchanged_lists writes and reads.
    feed_digests: dict[str, str] = field(default_factory=dict)
    feed_entries: dict[str, list] = field(default_factory=dict)


@dataclass
class Caches:
    """Values computed once per build from the registered essays; emptied when reading is done."""

    #: Named values: "published", "page-inputs", "list-inputs" and "post digests" (freshness),
    #: "labels by document" (incremental.outward),
    #: "series" (features.series), "backlinks" (features.backlinks), "related..." (features.related).
    values: dict[str, Any] = field(default_factory=dict)
    #: unchanged_lists' feed entry digests ("entry tokens"),
    #: what every list shows ("common") and the build's signature ("signature").
    lists: dict[str, Any] = field(default_factory=dict)
    #: Excerpts rendered, by (docname, folder, own page). features.rendering writes and reads.
    excerpts: dict[tuple, str] = field(default_factory=dict)
    #: The feeds of this build, by folder. features.feeds writes and reads.
    feeds: dict | None = None
    #: Navigation and ABlog's widgets rendered once per folder. speed.sidebars writes and reads.
    navigation: dict = field(default_factory=dict)
    widgets: dict = field(default_factory=dict)


@dataclass
class Essays:
    """ABlog's copies of the essays."""

    #: ABlog's full copies of the essays read in this build, out of the environment, by (docname, order).
    #: patches.ablog sets them aside (when speed.lean_posts asks) and reads them (post_doctree,
    #: for features.rendering).
    post_copies: dict[tuple[str, int], Any] = field(default_factory=dict)
    #: ABlog's handlers disconnected in this build, by name (ABlog's own feed writer, when features.feeds
    #: writes the feeds). patches.ablog writes (wrap_handler) and reads (copies_needed).
    disconnected_handlers: set[str] = field(default_factory=set)
    #: ABlog's copies of whole essays are dropped as it makes them (nothing of ABlog's renders from them).
    #: speed.lean_posts writes (builder-inited) and reads (doctree-read).
    drop_document_copies: bool = False


@dataclass
class Reported:
    """Problems already reported, so that each is said once."""

    #: (docname, src) of pictures in raw HTML that were not found. features.rawimages writes and reads.
    missing_raw_pictures: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class BuildState:
    configured: Configured = field(default_factory=Configured)
    processes: Processes = field(default_factory=Processes)
    rebuild: Rebuild = field(default_factory=Rebuild)
    outputs: Outputs = field(default_factory=Outputs)
    kept: Kept = field(default_factory=Kept)
    caches: Caches = field(default_factory=Caches)
    essays: Essays = field(default_factory=Essays)
    reported: Reported = field(default_factory=Reported)


_states: weakref.WeakKeyDictionary[Sphinx, BuildState] = weakref.WeakKeyDictionary()


def of(app: Sphinx) -> BuildState:
    """The build state of ``app``, made on first use."""
    try:
        return _states[app]
    except KeyError:
        return _states.setdefault(app, BuildState())


def drop_caches(app: Sphinx, env) -> list:
    """Reading is done: what was computed from the essays before is computed afresh (env-updated)."""
    of(app).caches = Caches()
    return []


def setup(app: Sphinx) -> dict:
    # Before essaysite.incremental.freshness registers ABlog's posts for the build (priority 100).
    app.connect("env-updated", drop_caches, priority=90)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
