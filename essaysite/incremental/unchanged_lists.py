"""Lists and feeds are written again only when what they show changed.

ABlog regenerates every list page (all essays, each tag, category and year,
and with pagination each of their pages) and the project every feed on
every build, re-rendering each member essay: the cost of a rebuild after a
one-word edit grew with the number of essays, like a full build.

Here each generated page gets a digest of everything it shows: the page's
template and title, for each essay on it the facts ABlog can show (title,
dates, tags, category, excerpt) and what the project's features add there
(``essay-list-inputs``: the reading time), the sidebars, and the build's
configuration and templates. A page whose digest equals the last successful
build's, and whose file is there, is not rendered again. A feed is written
again when one of its essays was re-read, its essays changed, or what they
show of other essays changed; each essay's entry is kept (in a state of its
own, read only when a feed document is written) so that a document written
again renders only the essays that changed.

Digests are saved in the doctree folder only when a build succeeds; a clean
build (no saved digests, or another output folder) writes everything. The
incremental-equals-clean tests (tests/test_freshness.py) are the referee.
"""

from __future__ import annotations

import os
from typing import Iterator, Protocol, runtime_checkable

from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import state
from essaysite.incremental import store
from essaysite.incremental.freshness import as_before, carried_over, feed_inputs, output_relpath, post_digest, sidebar_inputs
from essaysite.patches import ablog, sphinx as sphinx_patches

logger = logging.getLogger(__name__)

STATE = "lists"  # essaysite-<builder>-lists.json in the doctree folder
# Each essay's feed entry: the largest state (every essay's full text), read
# only by a build that writes a feed document again, saved only by one that did.
ENTRIES = "feed-entries"


def load_state(app: Sphinx) -> dict:
    """The last successful build's digests (read once per build)."""
    return store.load(app, STATE)


def build_signature(app: Sphinx) -> list:
    """What every page depends on: configuration, tags and templates (once per build)."""
    cache = state.of(app).caches.lists
    if "signature" not in cache:
        cache["signature"] = compute_build_signature(app)
    return cache["signature"]


def compute_build_signature(app: Sphinx) -> list:
    templates = getattr(app.builder, "templates", None)
    return [
        *sphinx_patches.config_and_tags(app),
        templates.newest_template_mtime() if templates is not None else 0,
    ]


def describe(app: Sphinx, value, depth: int = 0, brief: bool = False):
    """A JSON-able description of a template context value (essays by their facts).

    ``brief``: the page shows each essay as a dated title only (ABlog's
    catalog pages: the archive), or only each list's name and count (the
    tag and category indexes, essaysite/templates/ablog/catalog.html).
    """
    if depth > 4:
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if ablog.is_post(value) and brief:
        return [value.docname, value.title, str(value.date), bool(value.published), value.external_link]
    if ablog.is_post(value):
        # A digest, not the facts themselves: lists hold hundreds of essays.
        return "post:" + post_digest(app, value)
    if ablog.is_catalog(value) and brief and str(value) != "archive":
        return ["index", value.docname, [[str(c), c.docname, len(c)] for c in value if len(c)]]
    if ablog.is_catalog(value):
        return ["catalog", value.docname, [describe(app, c, depth + 1, brief) for c in value if len(c)]]
    if isinstance(value, (list, tuple)):
        return [describe(app, v, depth + 1, brief) for v in value]
    if isinstance(value, dict):
        return {str(k): describe(app, v, depth + 1, brief) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if ablog.is_collection(value) or isinstance(value, EssayList):  # ABlog's, or a feature's (a series)
        return ["collection", str(value), value.docname, [describe(app, p, depth + 1, brief) for p in value]]
    if hasattr(value, "__dataclass_fields__"):  # e.g. a page of a paginated list
        return {name: describe(app, getattr(value, name), depth + 1, brief) for name in value.__dataclass_fields__}
    return type(value).__name__


@runtime_checkable
class EssayList(Protocol):
    """A list of essays a feature adds, with its own page (a series): described like ABlog's collections.

    Its ``str()`` is its name; iterated, it gives its essays in order.
    """

    docname: str
    posts: list

    def __iter__(self) -> Iterator: ...


digest = store.digest


def page_digest(app: Sphinx, name: str, context: dict, template: str) -> str:
    cache = state.of(app).caches.lists
    if "common" not in cache:
        cache["common"] = [build_signature(app), sidebar_inputs(app)]
    return digest([cache["common"], name, template, describe(app, shown(context), brief=template == "ablog/catalog.html")])


def shown(context: dict) -> dict:
    """The context as the list template uses it.

    A page of a paginated list shows its own essays (``essays_page.posts``)
    and of the whole list only its name and address: describing every
    member there would rewrite all the pages of a list when one essay's
    excerpt changes.
    """
    if context.get("essays_page") is None or "collection" not in context:
        return context
    collection = context["collection"]
    summary = ["collection", str(collection), collection.docname, getattr(collection, "href", None)]
    return {**context, "collection": summary}


def skip_unchanged(handler):
    """Wrap a page generator so that it yields only pages whose inputs changed."""

    def generate(app: Sphinx):
        before = load_state(app).get("pages", {})
        kept = state.of(app).kept
        if kept.list_digests is None:
            kept.list_digests = {}
        written = kept.list_digests
        for name, context, template in handler(app) or ():
            if name in before and none_read_again(app, essays_shown(context, template)):
                digest_key = before[name]  # what it shows is what the last build showed
            else:
                digest_key = page_digest(app, name, context, template)
            written[name] = digest_key
            outfile = os.path.join(app.outdir, output_relpath(app, name)) if hasattr(app.builder, "get_outfilename") else None
            if before.get(name) == digest_key and outfile is not None and os.path.isfile(outfile):
                note_kept(app, name)
                continue
            yield name, context, template

    generate.__name__ = handler.__name__
    return generate


def essays_shown(context: dict, template: str) -> list | None:
    """The essays a list page shows in full (their facts, excerpt and what features add); None: not known without describing it.

    The indexes of tags, categories and years show essays' titles and dates only, which
    ``essaysite.incremental.outward`` covers.
    """
    if context.get("essays_page") is not None:
        return context["essays_page"].posts
    return [] if template == "ablog/catalog.html" else None


def none_read_again(app: Sphinx, posts: list | None) -> bool:
    """Whether a page or feed showing ``posts`` shows what it showed in the last build without being described again.

    So when nothing other pages show of the documents read changed (no essay
    came, went or changed its title, dates, tags...: the pages' and feeds'
    composition is the same), the build's signature is the same, and none of
    ``posts`` was read again (``essaysite.incremental.outward``).
    """
    rebuild = state.of(app).rebuild
    if posts is None or not rebuild.others_unchanged or not same_signature(app):
        return False
    return not any(post.docname in rebuild.read for post in posts)


def note_kept(app: Sphinx, pagename: str) -> None:
    """A page kept as it is still belongs to the build.

    essaysite.incremental.freshness removes generated files a build did not produce, and
    essaysite.features.sitemap lists the generated pages: both learn of written pages
    from ``html-page-context``, which a kept page does not go through.
    """
    outputs = state.of(app).outputs
    if outputs.generated is not None:
        outputs.generated.add(output_relpath(app, pagename))
    outputs.sitemap_pages.add(pagename)


def entry_token(app: Sphinx, post) -> str:
    """Changes when the essay is read again, or when what its feed entry shows of others changes.

    The entry is the essay's text without its page's own boxes: what it
    shows of other essays is what its links show (``essay-feed-inputs``),
    not its page's sidebars, neighbours, backlinks or related essays, so
    that a new essay leaves the entries of older ones, and the feed
    archives holding them, as they are. Computed once per build (an essay
    is in several feeds), and kept from the last build for an essay that
    was not read again when nothing other pages show of the essays read
    changed (``essaysite.incremental.outward``).
    """
    tokens = state.of(app).caches.lists.setdefault("entry tokens", {})
    if post.docname not in tokens:
        kept = kept_tokens(app).get(post.docname) if as_before(app, post.docname) else None
        tokens[post.docname] = kept or digest(
            [
                build_signature(app),
                app.env.all_docs.get(post.docname),  # when Sphinx last read it
                feed_inputs(app, post.docname),  # essaysite.incremental.freshness
                describe(app, post),
            ]
        )
    return tokens[post.docname]


def same_signature(app: Sphinx) -> bool:
    """Whether the last build had this one's configuration, tags and templates."""
    return load_state(app).get("signature") == build_signature(app)


def kept_tokens(app: Sphinx) -> dict:
    """The last build's entry tokens, if it had the same signature (they cover it)."""
    return load_state(app).get("tokens", {}) if same_signature(app) else {}


def feed_digest(app: Sphinx, feed) -> str:
    """What a feed document shows: its essays, each as read and as linked to others, and its links to other documents."""
    links = getattr(feed, "links", None)  # an archived feed's (essaysite.features.feed_archives)
    return digest([build_signature(app), feed.path, feed.title, links, [entry_token(app, p) for p in feed.posts]])


def kept_entries(app: Sphinx) -> dict:
    """Each essay's feed entry from the last build: [token, html] by docname (read once, when first needed)."""
    return store.load(app, ENTRIES).get("entries", {})


def kept_entry(app: Sphinx, post) -> str | None:
    """The essay's feed content from the last build, if nothing it depends on changed."""
    kept = kept_entries(app).get(post.docname)
    if kept and kept[0] == entry_token(app, post):
        return kept[1]
    return None


def keep_entry(app: Sphinx, post, html: str) -> None:
    state.of(app).kept.feed_entries[post.docname] = [entry_token(app, post), html]


def feed_unchanged(app: Sphinx, feed, files: list[str]) -> bool:
    """Whether the feed document ``feed`` can be kept as written (essaysite.features.feeds asks before writing).

    ``feed`` has a ``path`` (its folder), a ``title``, its ``posts`` and
    optionally ``links`` (what it points at).
    """
    before = load_state(app).get("feeds", {})
    key = before[feed.path] if feed.path in before and none_read_again(app, feed.posts) else feed_digest(app, feed)
    state.of(app).kept.feed_digests[feed.path] = key
    return before.get(feed.path) == key and all(os.path.isfile(f) for f in files)


def wrap_page_generators(app: Sphinx) -> None:
    ablog.wrap_handler(app, "html-collect-pages", "generate_archive_pages", skip_unchanged)


def save_state(app: Sphinx, exception) -> None:
    built = state.of(app)
    if exception is not None or built.kept.list_digests is None:
        return
    feeds = built.kept.feed_digests
    # Each essay's entry token: those computed, and those still as the last build's (essaysite.incremental.outward).
    tokens = carried_over(app, kept_tokens(app), built.caches.lists.get("entry tokens", {}))
    store.save(app, STATE, {"pages": built.kept.list_digests, "feeds": feeds, "tokens": tokens, "signature": build_signature(app)})
    if not built.kept.feed_entries:
        return  # no feed document written: the entries kept are the last build's, still good
    # Feed content of the essays still in a feed (essaysite.features.feeds notes them): the next build starts from it.
    entries = {**kept_entries(app), **built.kept.feed_entries}
    in_feeds = built.outputs.essays_in_feeds if feeds else set()
    store.save(app, ENTRIES, {"entries": {name: value for name, value in entries.items() if name in in_feeds}})


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # The outermost wrapper: after drafts and pagination have wrapped ABlog's generator.
    app.setup_extension("essaysite.features.drafts")
    app.setup_extension("essaysite.features.catalogs")
    app.setup_extension("essaysite.features.pagination")
    app.setup_extension("essaysite.incremental.freshness")
    wrap_page_generators(app)
    app.connect("build-finished", save_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
