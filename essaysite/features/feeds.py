"""Atom, RSS 2.0 and JSON Feed 1.1 feeds for the site and every tag, category and year.

Replaces ABlog's feed writer, which leaves links inside an entry relative to
the collection page (wrong in a feed reader), stamps the build time as
``<updated>`` (no two builds alike) and renders each essay once per feed.
Here each essay is rendered once, relative to its own page, and every link
and image in it is made absolute against the essay's own URL, whatever the
builder (``html``, ``dirhtml``). A feed's ``<updated>`` is its newest
essay's date.

The three formats are written side by side (``atom.xml``, ``rss.xml``,
``feed.json``) from the same entries, so they agree entry for entry. Nothing
in them depends on the build time: two builds of the same sources write the
same bytes.

Each feed is a chain of documents of bounded size (RFC 5005 archived feeds,
``essaysite.features.feed_archives``): the subscription document holds the
newest essays, archives of ``essays_feed_length`` essays each the older ones.
The newest ``essays_feed_length`` essays are in full text, every other entry
is a summary (no content: the excerpt and the link to the essay). Only the
documents whose essays changed are written again, and an essay's full text
is rendered only when a document written shows it.

Pages advertise a feed (``<link rel="alternate">``) only where one is
written: the ``feed_path`` ABlog puts in a page's context is dropped when no
feed exists there. ABlog's ``page.html`` advertises the Atom feed; the RSS
and JSON feeds are added to the page's meta tags next to it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from feedgen.feed import FeedGenerator
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite import state
from essaysite.patches import ablog
from essaysite.speed import forked
from essaysite.features import feed_archives
from essaysite.features.feed_archives import Document
from essaysite.features.identity import signature
from essaysite.features.rendering import excerpt_text, for_feed_readers, render_excerpt, render_fulltext
from essaysite.incremental.unchanged_lists import feed_unchanged, keep_entry, kept_entries, kept_entry

logger = logging.getLogger(__name__)

FEED_FILE = "atom.xml"
RSS_FILE = "rss.xml"
JSON_FILE = "feed.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A feed with no essay yet (a new site, every essay a draft) still needs an <updated>: a fixed one, so that builds stay reproducible.
NO_ESSAY_YET = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
# Format -> (file name, media type, label shown to readers), Atom first.
FORMATS = {
    "atom": (FEED_FILE, "application/atom+xml", "Atom"),
    "rss": (RSS_FILE, "application/rss+xml", "RSS"),
    "json": (JSON_FILE, "application/feed+json", "JSON Feed"),
}


@dataclass
class Feed:
    path: str  # folder of the feed, relative to the output root ("blog/tag/ai")
    title: str
    posts: list = field(default_factory=list)


def site_url(app: Sphinx) -> str:
    url = app.config.blog_baseurl
    return url if url.endswith("/") else url + "/"


def page_url(app: Sphinx, docname: str) -> str:
    return urljoin(site_url(app), app.builder.get_target_uri(docname))


def feed_url(app: Sphinx, feed: Feed | Document, fmt: str = "atom") -> str:
    return url_of(app, feed.path, fmt)


def url_of(app: Sphinx, path: str, fmt: str) -> str:
    """The address of the feed document in folder ``path`` in format ``fmt``."""
    return urljoin(site_url(app), posixpath.join(path, FORMATS[fmt][0]))


def home_url(app: Sphinx, feed: Feed) -> str:
    """The page a feed is about: the list of essays ABlog writes at the feed's folder."""
    return page_url(app, feed.path)


def collect_feeds(app: Sphinx) -> dict[str, Feed]:
    """Every feed this build writes, keyed by folder, with its essays newest first."""
    blog = ablog.register_posts_of(app)
    if not blog.blog_baseurl:
        return {}
    published = sorted((p for p in blog.posts if p.published), key=lambda p: (p.date, p.docname), reverse=True)
    feeds = {blog.blog_path: Feed(blog.blog_path, blog.blog_title, published)}
    if blog.blog_feed_archives:
        # Each label's essays, newest first, in one walk down the site's (ABlog's registration
        # gives each essay its labels' collections, and its year's): not sorted again per label.
        of_label: dict[int, list] = {}
        for post in published:
            colls = [c for key in ("author", "location", "language", "category", "tags") for c in getattr(post, key, None) or ()]
            for key in dict.fromkeys(id(c) for c in [*colls, post.archive]):  # a label given twice counts once
                of_label.setdefault(key, []).append(post)
        for header, catalog in [
            # The words of the pages (essaysite.features.wording).
            ("Essays by", blog.author),
            ("Essays from", blog.location),
            ("Essays in", blog.language),
            ("Essays in", blog.category),
            ("Essays of", blog.archive),
            ("Essays tagged", blog.tags),
        ]:
            for coll in catalog:
                posts = of_label.get(id(coll), [])
                if posts:
                    title = f"{blog.blog_title} - {header} {coll}"
                    feeds[coll.path] = Feed(coll.path, title, posts)
    # Other modules add their own feeds (a series' feed) through this event.
    for extra in app.emit("essay-feeds", blog):
        for feed in extra or ():
            if feed.posts:
                feeds[feed.path] = feed
    return feeds


def feeds_for(app: Sphinx) -> dict[str, Feed]:
    """The feeds of the current build, computed once per build."""
    caches = state.of(app).caches
    if caches.feeds is None:
        caches.feeds = collect_feeds(app)
    return caches.feeds


def absolute_links(html: str, base: str) -> str:
    """``html`` with every link and image source made absolute against ``base`` (the essay's page),
    without what means nothing outside the site (``rendering.for_feed_readers``)."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    for_feed_readers(root, base)
    inner = lxml.html.tostring(root, encoding="unicode", method="html")
    return inner[len("<div>") : -len("</div>")]


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def entry_content(app: Sphinx, post) -> str:
    """The essay's full text with absolute links (kept from the last build if nothing it shows changed)."""
    html = kept_entry(app, post)
    if html is None:
        if app.config.blog_feed_fulltext:
            html = render_fulltext(app, post, post.docname)
        else:
            html = render_excerpt(app, post, post.docname)
        html = absolute_links(html, page_url(app, post.docname))
    return html


@dataclass
class Entry:
    """One essay as every feed format shows it."""

    url: str
    title: str
    authors: list[str]
    published: dt.datetime
    updated: dt.datetime
    tags: list[tuple[str, str]]  # (term, label)
    summary: str
    content: str | None  # None: a summary entry (an archive's, or past the newest N)


def site_authors(app: Sphinx) -> list[str]:
    """The site's owner, for an essay that names no author; the site's name while conf.py has the placeholder:
    Atom requires an author for every entry (RFC 4287, 4.1.1), and the e-book is signed the same way."""
    return [signature(app.config)]


def make_entry(app: Sphinx, post, full_text: bool = True) -> Entry:
    return Entry(
        url=page_url(app, post.docname),
        title=post.title,
        authors=[a.name for a in post.author] or site_authors(app),
        published=utc(post.date),
        updated=utc(post.update),
        tags=[(t.name, t.label) for t in sorted(post.tags, key=lambda t: t.name)],
        summary=excerpt_text(app, post),  # as the page shows it: a reference's title, not its label
        content=entry_content(app, post) if full_text else None,
    )


def feed_updated(entries: list[Entry]) -> dt.datetime:
    """The newest essay's date: a feed changes only when an essay does."""
    return max((e.updated for e in entries), default=NO_ESSAY_YET)


def set_links(app: Sphinx, fg: FeedGenerator, document: Document, fmt: str) -> None:
    """The document's own address in format ``fmt``, its archive links, then the page the feed is about."""
    archive = [(rel, url_of(app, path, fmt)) for rel, path in document.links]
    if archive:  # RSS gets them from essaysite.features.feed_archives' extension
        fg.archive_links.links = archive
    own = [{"href": feed_url(app, document, fmt), "rel": "self"}, *({"href": url, "rel": rel} for rel, url in archive)]
    # Last: feedgen takes the last link as RSS's <link>, the page the feed is about.
    fg.link([*own, {"href": home_url(app, document.feed), "rel": "alternate"}], replace=True)


def feed_generator(app: Sphinx, document: Document, entries: list[Entry], fmt: str) -> FeedGenerator:
    """A feedgen generator for the Atom or RSS file of ``document`` (``set_links`` switches it to the other)."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> needs an e-mail address
    feed_archives.add_archive_links(fg, document)
    fg.id(feed_url(app, document.feed))  # the feed's, in every document of its chain
    fg.title(document.title)
    set_links(app, fg, document, fmt)
    fg.description(app.config.blog_feed_subtitle or document.title)  # RSS requires one
    if app.config.blog_feed_subtitle:
        fg.subtitle(app.config.blog_feed_subtitle)
    fg.language(app.config.language)
    fg.generator("ABlog", ablog.version(), "https://ablog.readthedocs.io/")
    fg.updated(feed_updated(entries))  # also RSS <lastBuildDate>, else the build time
    fg.pubDate(feed_updated(entries))
    for item in entries:
        entry = fg.add_entry(order="append")
        entry.guid(item.url, permalink=True)  # also the Atom <id>
        entry.link(href=item.url, rel="alternate")
        entry.title(item.title)
        if item.authors:  # none while conf.py's author is the placeholder
            entry.author([{"name": name} for name in item.authors])
            entry.dc.dc_creator(item.authors)
        entry.published(item.published)
        entry.updated(item.updated)
        for term, label in item.tags:
            entry.category(term=term, label=label)
        if item.summary:
            # Text, given as HTML: RSS readers render an item's <description> as HTML.
            entry.summary(str(escape(item.summary)), type="html")
        if item.content is not None:
            entry.content(content=item.content, type="html")
    return fg


def json_feed(app: Sphinx, document: Document, entries: list[Entry]) -> bytes:
    """The JSON Feed 1.1 document of ``document`` (https://jsonfeed.org/version/1.1).

    ``feed_url`` is the subscription document's in every document of the
    chain (the feed's identifier); ``next_url`` leads to older essays.
    """
    doc = {
        "version": JSON_FEED_VERSION,
        "title": document.title,
        "home_page_url": home_url(app, document.feed),
        "feed_url": feed_url(app, document.feed, "json"),
        "language": app.config.language,
    }
    older = dict(document.links).get("prev-archive")
    if older is not None:
        doc["next_url"] = url_of(app, older, "json")
    if app.config.blog_feed_subtitle:
        doc["description"] = app.config.blog_feed_subtitle
    if site_authors(app):
        doc["authors"] = [{"name": name} for name in site_authors(app)]
    doc["items"] = []
    for item in entries:
        data = {
            "id": item.url,
            "url": item.url,
            "title": item.title,
        }
        if item.content is not None:
            data["content_html"] = item.content
            if item.summary:
                data["summary"] = item.summary
        else:  # JSON Feed requires content_html or content_text: the summary is the item's text, once
            data["content_text"] = item.summary or item.title
        data["date_published"] = item.published.isoformat()
        data["date_modified"] = item.updated.isoformat()
        if item.authors:
            data["authors"] = [{"name": name} for name in item.authors]
        if item.tags:
            data["tags"] = [term for term, _ in item.tags]
        doc["items"].append(data)
    # "<", ">" and "&" as \u escapes: the same JSON, and no markup in it should a client sniff it as HTML.
    text = json.dumps(doc, ensure_ascii=False, indent=2).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (text + "\n").encode("utf-8")


def write_feeds(app: Sphinx):
    if not ablog.builder_support(app):
        return
    feeds = feeds_for(app)
    length = app.config.essays_feed_length
    chains = [document for feed in feeds.values() for document in feed_archives.documents(feed, length)]
    note_feeds(app, feeds, chains)
    entries: dict[str, Entry] = {}
    changed = [
        document
        for document in chains
        if not feed_unchanged(app, document, [os.path.join(app.builder.outdir, document.path, name) for name in (FEED_FILE, RSS_FILE, JSON_FILE)])
    ]
    posts = list({post.docname: post for document in changed for post in document.posts}.values())
    # Full text only for the essays a document written shows in full.
    full = {post.docname for document in changed for post in document.posts[: document.full_text]}
    if full:
        kept_entries(app)  # read here once, not by each process below
    # Each essay rendered once, by several processes in a parallel build.
    for post, entry in zip(posts, forked.map_in_processes(app, posts, lambda post: make_entry(app, post, post.docname in full))):
        if entry.content is not None:
            keep_entry(app, post, entry.content)
        entries[post.docname] = entry
    # The documents too, largest first so that the processes' shares are alike.
    changed.sort(key=lambda document: (-len(document.posts), document.path))
    forked.map_in_processes(app, changed, lambda document: write_feed(app, document, feed_archives.as_shown(document, entries)))
    return
    yield  # a generator, as html-collect-pages expects


def note_feeds(app: Sphinx, feeds: dict[str, Feed], chains: list[Document]) -> None:
    """What essaysite.incremental needs of this build's feeds: their files (written or kept) and their essays."""
    outputs = state.of(app).outputs
    outputs.feed_files = {f"{document.path}/{name}" for document in chains for name, _, _ in FORMATS.values()}
    outputs.essays_in_feeds = {post.docname for feed in feeds.values() for post in feed.posts}


def write_feed(app: Sphinx, document: Document, items: list[Entry]) -> None:
    """The Atom, RSS and JSON files of ``document``."""
    folder = Path(app.builder.outdir, document.path)
    folder.mkdir(parents=True, exist_ok=True)
    # One generator for both: building its entries twice cost more than writing them.
    fg = feed_generator(app, document, items, "atom")
    (folder / FEED_FILE).write_bytes(fg.atom_str(pretty=True))
    set_links(app, fg, document, "rss")
    (folder / RSS_FILE).write_bytes(fg.rss_str(pretty=True))
    (folder / JSON_FILE).write_bytes(json_feed(app, document, items))


def alternate_links(app: Sphinx, feed: Feed, formats: tuple[str, ...]) -> str:
    """``<link rel="alternate">`` tags for ``feed`` in the given formats.

    Absolute, so that they hold on pages served at any depth (the 404 page).
    """
    links = []
    for fmt in formats:
        _, media_type, label = FORMATS[fmt]
        href = feed_url(app, feed, fmt)
        links.append(f'<link rel="alternate" type="{media_type}" href="{escape(href)}" title="{escape(feed.title)} ({label})" />')
    return "\n".join(links) + "\n"


def advertise_existing_feeds(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Keep a page's feed link only where a feed is written; give templates its URL."""
    if not ablog.builder_support(app):
        return
    feeds = feeds_for(app)
    path = context.get("feed_path")
    if path is not None and path not in feeds:
        del context["feed_path"]
    elif path is not None:
        context["feed_url"] = feed_url(app, feeds[path])
        context["feed_urls"] = {FORMATS[f][2]: feed_url(app, feeds[path], f) for f in FORMATS}
        # ABlog's page.html writes the Atom link; the other formats go beside it.
        context["metatags"] = context.get("metatags", "") + alternate_links(app, feeds[path], ("rss", "json"))
    site = ablog.blog_of(app).blog_path
    if site in feeds:
        context["site_feed_url"] = feed_url(app, feeds[site])
        context["site_feed_urls"] = {FORMATS[f][2]: feed_url(app, feeds[site], f) for f in FORMATS}


def replace_ablog_feeds(app: Sphinx) -> None:
    """Disconnect ABlog's own feed writer: this module writes the feeds."""
    ablog.wrap_handler(app, "html-collect-pages", "generate_atom_feeds", None)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.state")
    app.setup_extension("essaysite.features.rendering")
    app.setup_extension("essaysite.features.feed_archives")
    app.add_event("essay-feeds")  # (app, blog) -> more Feed objects to write
    replace_ablog_feeds(app)
    # After the page generators: in a parallel build other processes write
    # their pages while this one writes the feeds (essaysite.speed.parallel_pages).
    app.connect("html-collect-pages", write_feeds, priority=900)
    app.connect("html-page-context", advertise_existing_feeds, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
