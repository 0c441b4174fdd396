"""Atom feeds for the site and for every tag, category and year.

Replaces ABlog's feed writer, which leaves links inside an entry relative to
the collection page (wrong in a feed reader), stamps the build time as
``<updated>`` (no two builds alike) and renders each essay once per feed.
Here each essay is rendered once, relative to its own page, and every link
and image in it is made absolute against the essay's own URL, whatever the
builder (``html``, ``dirhtml``). A feed's ``<updated>`` is its newest
essay's date.

Pages advertise a feed (``<link rel="alternate">``) only where one is
written: the ``feed_path`` ABlog puts in a page's context is dropped when no
feed exists there.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from feedgen.feed import FeedGenerator
from sphinx.application import Sphinx
from sphinx.util import logging

import ablog
from ablog.blog import Blog

from essaysite.rendering import render_excerpt, render_fulltext

logger = logging.getLogger(__name__)

FEED_FILE = "atom.xml"


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


def feed_url(app: Sphinx, feed: Feed) -> str:
    return urljoin(site_url(app), posixpath.join(feed.path, FEED_FILE))


def collect_feeds(app: Sphinx) -> dict[str, Feed]:
    """Every feed this build writes, keyed by folder, with its essays newest first."""
    blog = Blog(app)
    if not blog:
        from ablog.post import register_posts

        register_posts(app)
    if not blog.blog_baseurl:
        return {}
    published = lambda posts: sorted(  # noqa: E731
        (p for p in posts if p.published), key=lambda p: (p.date, p.docname), reverse=True
    )
    feeds = {blog.blog_path: Feed(blog.blog_path, blog.blog_title, published(blog.posts))}
    if blog.blog_feed_archives:
        for header, catalog in [
            ("Posts by", blog.author),
            ("Posts from", blog.location),
            ("Posts in", blog.language),
            ("Posts in", blog.category),
            ("Posted in", blog.archive),
            ("Posts tagged", blog.tags),
        ]:
            for coll in catalog:
                posts = published(coll)
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
    cached = getattr(app, "_essaysite_feeds", None)
    if cached is None:
        cached = app._essaysite_feeds = collect_feeds(app)
    return cached


def forget_feeds(app: Sphinx, env) -> list:
    app._essaysite_feeds = None
    return []


def absolute_links(html: str, base: str) -> str:
    """``html`` with every link and image source made absolute against ``base``."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    inner = lxml.html.tostring(root, encoding="unicode", method="html")
    return inner[len("<div>") : -len("</div>")]


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def entry_content(app: Sphinx, post, cache: dict) -> str:
    """The essay's full text, rendered once per build, with absolute links."""
    if post.docname not in cache:
        if app.config.blog_feed_fulltext:
            html = render_fulltext(app, post, post.docname)
        else:
            html = render_excerpt(app, post, post.docname)
        url = page_url(app, post.docname)
        cache[post.docname] = absolute_links(html, url)
    return cache[post.docname]


def write_feeds(app: Sphinx):
    if not ablog.builder_support(app):
        return
    feeds = feeds_for(app)
    rendered: dict[str, str] = {}
    for feed in feeds.values():
        fg = FeedGenerator()
        fg.id(feed_url(app, feed))
        fg.title(feed.title)
        fg.link(href=page_url(app, feed.path) if feed.path in app.env.found_docs else site_url(app), rel="alternate")
        fg.link(href=feed_url(app, feed), rel="self")
        if app.config.blog_feed_subtitle:
            fg.subtitle(app.config.blog_feed_subtitle)
        fg.language(app.config.language)
        fg.generator("ABlog", ablog.__version__, "https://ablog.readthedocs.io/")
        fg.updated(max(utc(p.update) for p in feed.posts))
        for post in feed.posts:
            url = page_url(app, post.docname)
            entry = fg.add_entry(order="append")
            entry.id(url)
            entry.link(href=url, rel="alternate")
            entry.title(post.title)
            authors = [{"name": a.name} for a in post.author] or [{"name": app.config.author}]
            entry.author(authors)
            entry.published(utc(post.date))
            entry.updated(utc(post.update))
            for tag in sorted(post.tags, key=lambda t: t.name):
                entry.category(term=tag.name, label=tag.label)
            summary = " ".join(node.astext() for node in post.excerpt).strip()
            if summary:
                entry.summary(summary)
            entry.content(content=entry_content(app, post, rendered), type="html")
        out = Path(app.builder.outdir, feed.path, FEED_FILE)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(fg.atom_str(pretty=True))
    return
    yield  # a generator, as html-collect-pages expects


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
    site = Blog(app).blog_path
    if site in feeds:
        context["site_feed_url"] = feed_url(app, feeds[site])


def replace_ablog_feeds(app: Sphinx) -> None:
    """Disconnect ABlog's own feed writer: this module writes the feeds."""
    for listener in list(app.events.listeners.get("html-collect-pages", [])):
        if getattr(listener.handler, "__name__", "") == "generate_atom_feeds":
            app.disconnect(listener.id)


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    app.add_event("essay-feeds")  # (app, blog) -> more Feed objects to write
    replace_ablog_feeds(app)
    app.connect("env-updated", forget_feeds)
    app.connect("html-collect-pages", write_feeds)
    app.connect("html-page-context", advertise_existing_feeds, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
