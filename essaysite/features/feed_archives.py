"""Feeds of bounded size that still carry every essay: RFC 5005 archived feeds.

Each feed (the site's, a tag's, a category's, a year's, a series') is
written as a chain of documents (RFC 5005, section 4):

- the *subscription document*, at the feed's own address
  (``blog/atom.xml``), holds its newest essays: at least
  ``essays_feed_length`` of them (20 by default), fewer than twice as many;
  the newest ``essays_feed_length`` in full text, the others as summaries;
- the older essays are in *archive documents* of exactly
  ``essays_feed_length`` essays each, numbered from the oldest
  (``blog/archives/1/atom.xml`` holds the 20 oldest essays), each essay as
  a summary: title, link, dates, authors, categories and the excerpt the
  lists show, the essay itself one click away.

Summaries keep the feeds small (a full-text entry is about 7 KB, a summary
a tenth of it) while "the newest N in full text" holds exactly.

An archive is made only when it is full, and its essays never change: a new
essay goes into the subscription document, and when that holds twice the
length, its older half becomes the next archive. So adding an essay leaves
every archive as it was, but the newest one once per new archive (it gains
its ``next-archive`` link, its essays unchanged).

Links: the subscription document points at the newest archive
(``prev-archive``); each archive at the subscription document (``current``),
at the archive before it (``prev-archive``, but for the first) and after it
(``next-archive``, but for the newest), and carries the ``<fh:archive/>``
marker. RSS carries the same as ``atom:link`` elements in its channel (RFC
5005, appendix B). JSON Feed has one link, ``next_url``: from the
subscription document to the newest archive, and on to older ones. A feed
reader that knows nothing of archives reads the subscription document as
an ordinary feed.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

CONFIG = "essays_feed_length"
DEFAULT_LENGTH = 20
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005's fh: namespace
ATOM_NS = "http://www.w3.org/2005/Atom"
FOLDER = "archives"  # archive k of the feed in blog/tag/ai: blog/tag/ai/archives/<k>/


def archive_path(feed_path: str, number: int) -> str:
    return posixpath.join(feed_path, FOLDER, str(number))


@dataclass
class Document:
    """One document of a feed's chain: the subscription document (``number`` 0) or archive ``number``."""

    feed: Any  # the essaysite.features.feeds.Feed it belongs to
    number: int
    archives: int  # how many archives the feed has
    posts: list  # newest first
    full_text: int = 0  # how many of its first posts are in full text: the newest N in the subscription document, none in an archive

    @property
    def path(self) -> str:
        """Folder of the document's files, relative to the output root."""
        return self.feed.path if self.number == 0 else archive_path(self.feed.path, self.number)

    @property
    def title(self) -> str:
        return self.feed.title

    @property
    def is_archive(self) -> bool:
        return self.number > 0

    @property
    def links(self) -> list[tuple[str, str]]:
        """(relation, folder of the document it points at), in RFC 5005's terms."""
        if not self.is_archive:
            return [("prev-archive", archive_path(self.feed.path, self.archives))] if self.archives else []
        links = [("current", self.feed.path)]
        if self.number > 1:
            links.append(("prev-archive", archive_path(self.feed.path, self.number - 1)))
        if self.number < self.archives:
            links.append(("next-archive", archive_path(self.feed.path, self.number + 1)))
        return links


def documents(feed, length: int) -> list[Document]:
    """The chain of ``feed`` (its ``posts`` newest first): the subscription document, then archives 1, 2, ..."""
    oldest_first = feed.posts[::-1]
    archives = max(0, len(oldest_first) // length - 1)
    chain = [Document(feed, 0, archives, oldest_first[archives * length :][::-1], full_text=length)]
    for number in range(1, archives + 1):
        chain.append(Document(feed, number, archives, oldest_first[(number - 1) * length : number * length][::-1]))
    return chain


def as_shown(document: Document, entries: dict) -> list:
    """The entries of ``document`` (each essay's, by docname): the first ``full_text`` as they are, the others
    as summaries (``content`` None)."""
    items = [entries[post.docname] for post in document.posts]
    return items[: document.full_text] + [dataclasses.replace(item, content=None) for item in items[document.full_text :]]


class ArchiveLinks(BaseExtension):
    """feedgen extension: RFC 5005's links in RSS (Atom gets them as links of its own) and the archive marker."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str]] = []  # (relation, absolute URL), for the format being written
        self.archive = False

    def extend_ns(self) -> dict:
        return {"fh": HISTORY_NS} if self.archive else {}

    def extend_atom(self, feed):
        if self.archive:
            etree.SubElement(feed, f"{{{HISTORY_NS}}}archive")
        return feed

    def extend_rss(self, feed):
        channel = feed[0]
        for rel, href in self.links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=href, rel=rel)
        if self.archive:
            etree.SubElement(channel, f"{{{HISTORY_NS}}}archive")
        return feed


def add_archive_links(fg, document: Document) -> ArchiveLinks | None:
    """Register the extension on feedgen's generator ``fg`` when ``document`` has anything to add."""
    if not document.links:
        return None
    fg.register_extension("archive_links", ArchiveLinks, BaseEntryExtension)
    fg.archive_links.archive = document.is_archive
    return fg.archive_links


def check_config(app: Sphinx, config: Config) -> None:
    value = config.essays_feed_length
    if isinstance(value, str) and value.strip().isdigit():  # -D essays_feed_length=5
        value = config.essays_feed_length = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(
            f"{CONFIG} must be a whole number of essays per feed document, 1 or more, not {value!r} (conf.py; default {DEFAULT_LENGTH})."
        )


def setup(app: Sphinx) -> dict:
    app.add_config_value(CONFIG, DEFAULT_LENGTH, "html", types=frozenset({int}))
    app.connect("config-inited", check_config)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
