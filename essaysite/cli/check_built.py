"""The built site, as ``essays-check`` checks it: links, anchors and pictures.

Every internal link, ``#anchor``, image and stylesheet address in every page
and every Atom feed (entry links and the links inside each entry's content)
must resolve to a built file, and the anchor to an ``id`` in that file; every
picture needs alt text. A slip is reported where the author fixes it: the
essay's source file and the line that holds the address, found in the text
the author wrote. The same slip seen on the essay's page, in its feed
entries and on the lists that show its excerpt is one finding, seen in
several built files.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

# Stands for the site's address while links are resolved.
SITE = "http://site.invalid/"
ATOM = "{http://www.w3.org/2005/Atom}"
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
# Elements and the attribute holding an address in them.
ADDRESSES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
SOURCE_SUFFIXES = (".md", ".rst")


@dataclass
class Finding:
    problem: str  # the slip, in the same words wherever it is seen
    source: str | None = None  # the file to fix, relative to the site's sources
    line: int | None = None
    built: str | None = None  # the built file it was seen in (None: a message of the build itself)
    names: tuple[str, ...] = ()  # what a message of the build about the same slip would name


@dataclass
class Checked:
    links: set = field(default_factory=set)
    pictures: set = field(default_factory=set)
    pages: int = 0
    feeds: int = 0


@dataclass
class Site:
    outdir: Path
    srcdir: Path | None
    base: str | None = None  # the site's public address, as written into feeds and canonical links
    ids: dict = field(default_factory=dict)  # built file -> set of ids
    texts: dict = field(default_factory=dict)  # source file -> its lines

    def rel(self, path: Path) -> str:
        return path.relative_to(self.outdir).as_posix()

    def shown(self, path: Path) -> str:
        return path.as_posix()

    def source_of(self, page: str) -> str | None:
        """The source file a built page (relative to the output folder) comes from."""
        if self.srcdir is None or not page.endswith(".html"):
            return None
        doc = page[: -len(".html")]
        candidates = [doc] + ([doc[: -len("/index")]] if doc.endswith("/index") else [])  # dirhtml
        for name in candidates:
            for suffix in SOURCE_SUFFIXES:
                if (self.srcdir / (name + suffix)).is_file():
                    return name + suffix
        return None

    def lines_of(self, source: str) -> list[str]:
        if source not in self.texts:
            self.texts[source] = (self.srcdir / source).read_text(encoding="utf-8-sig", errors="replace").splitlines()
        return self.texts[source]

    def ids_of(self, path: Path) -> set[str]:
        if path not in self.ids:
            try:
                root = lxml.html.parse(str(path)).getroot()
            except (OSError, lxml.etree.ParserError):
                root = None
            ids = set()
            if root is not None:
                ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
                ids |= {el.get("name") for el in root.iter("a") if el.get("name")}
            self.ids[path] = ids
        return self.ids[path]

    def internal(self, address: str) -> str | None:
        """``address`` (absolute, or already on SITE) as a path in the site, or None if off-site."""
        if self.base and address.startswith(self.base):
            address = SITE + address[len(self.base) :]
        return address[len(SITE) :] if address.startswith(SITE) else None

    def resolve(self, page_url: str, address: str) -> tuple[Path, str] | None:
        """The built file and the fragment an address points at, or None when it is off-site."""
        address = address.strip()
        if not address or address.startswith(SKIPPED_SCHEMES):
            return None
        if self.base and address.startswith(self.base):
            address = SITE + address[len(self.base) :]
        inside = self.internal(urljoin(page_url, address))
        if inside is None:
            return None
        parts = urlsplit(inside)
        path = unquote(parts.path)
        file = self.outdir / path
        if path == "" or path.endswith("/") or file.is_dir():
            file = file / "index.html"
        return file, unquote(parts.fragment)


def find_base(outdir: Path) -> str | None:
    """The site's public address: a feed's self link without the feed's own path."""
    for feed in sorted(outdir.rglob("atom.xml")):
        try:
            root = lxml.etree.parse(str(feed)).getroot()
        except lxml.etree.XMLSyntaxError:
            continue
        own = feed.relative_to(outdir).as_posix()
        for link in root.findall(f"{ATOM}link"):
            href = link.get("href", "")
            if link.get("rel") == "self" and href.endswith(own):
                return href[: -len(own)]
    return None


EXCERPT = " where the excerpt is shown (a relative link in raw HTML works only on the essay's page)"


def names_in(address: str) -> tuple[str, ...]:
    """What a message about an address would name: its fragment, its file's name."""
    path, _, fragment = address.partition("#")
    return tuple(t for t in (fragment, PurePosixPath(unquote(path)).name) if t)


class Page:
    """One built page or feed entry being checked: where its slips are fixed."""

    def __init__(self, site: Site, built: Path, url: str, source: str | None):
        self.site, self.built, self.url, self.source = site, built, url, source
        self.essay = None  # the essay whose title link came last (a list page shows its excerpt)
        self.seen: Counter = Counter()  # text -> how many addresses holding it came before

    def as_written(self, address: str) -> str:
        """A feed's absolute address as the author wrote it, relative to the essay's page."""
        inside = self.site.internal(address)
        if inside is None:
            return address
        page = self.site.internal(self.url) or ""
        path, _, fragment = inside.partition("#")
        if path == page and fragment:
            return "#" + fragment
        written = posixpath.relpath(path or ".", posixpath.dirname(page) or ".")
        return written + ("#" + fragment if fragment else "")

    def place(self, address: str) -> tuple[str | None, int | None, str]:
        """(source file, line, how the slip is described) for an address on this page."""
        texts = [t for t in dict.fromkeys([address, unquote(address), *names_in(address)]) if t]
        places = [(self.source, "")]
        if self.essay != self.source:
            places.append((self.essay, EXCERPT))
        for source, note in places:
            if source is None:
                continue
            lines = self.site.lines_of(source)
            for text in texts:
                at = [n for n, line in enumerate(lines, 1) if text in line]
                if at:
                    nth = self.seen[(source, text)]
                    self.seen[(source, text)] += 1
                    return source, at[min(nth, len(at) - 1)], note
        return self.source, None, ""

    def report(self, findings: list, what: str, address: str, problem: str) -> None:
        written = self.as_written(address)
        source, line, note = self.place(written)
        problem = f'{what} "{written}": {problem}{note}'
        findings.append(Finding(problem, source, line, self.site.shown(self.built), names_in(written)))


def check_address(page: Page, address: str, what: str, findings: list, checked: Checked) -> None:
    site = page.site
    resolved = site.resolve(page.url, address)
    if resolved is None:
        return
    file, fragment = resolved
    (checked.pictures if what == "picture" else checked.links).add((file, fragment))
    if not file.is_file():
        page.report(findings, what, address, "no such file")
    elif fragment and file.suffix == ".html" and fragment not in site.ids_of(file):
        page.report(findings, what, address, f'no element with id "{fragment}" in {site.rel(file)}')
    elif what == "link" and file.suffix == ".html" and file != page.built:
        essay = site.source_of(site.rel(file))
        if essay is not None and essay != page.source:
            page.essay = essay


def check_picture_text(page: Page, img, findings: list) -> None:
    if img.get("role") == "presentation" or img.get("aria-hidden") == "true":
        return
    src = img.get("src", "")
    alt = (img.get("alt") or "").strip()
    name = PurePosixPath(urlsplit(src).path).name
    if not alt:
        page.report(findings, "picture", src, "no alt text; describe what it shows (the :alt: option)")
    elif alt == src or alt == name or PurePosixPath(alt).name == name:
        page.report(findings, "picture", src, "the alt text is its file name; describe what it shows")


def check_elements(page: Page, root, findings: list, checked: Checked) -> None:
    for element in root.iter(*ADDRESSES):
        address = element.get(ADDRESSES[element.tag])
        if address is None:
            continue
        what = "picture" if element.tag == "img" else "link"
        check_address(page, address, what, findings, checked)
        if element.tag == "img":
            check_picture_text(page, element, findings)


def check_page(site: Site, path: Path, findings: list, checked: Checked) -> None:
    rel = site.rel(path)
    root = lxml.html.parse(str(path)).getroot()
    if root is None:
        return
    checked.pages += 1
    check_elements(Page(site, path, SITE + rel, site.source_of(rel)), root, findings, checked)


def check_feed(site: Site, path: Path, findings: list, checked: Checked) -> None:
    feed_url = SITE + site.rel(path)
    try:
        root = lxml.etree.parse(str(path)).getroot()
    except lxml.etree.XMLSyntaxError as error:
        findings.append(Finding(f"not well-formed XML: {error}", built=site.shown(path)))
        return
    checked.feeds += 1
    feed = Page(site, path, feed_url, None)
    for link in root.findall(f"{ATOM}link"):
        check_address(feed, link.get("href", ""), "link", findings, checked)
    for entry in root.findall(f"{ATOM}entry"):
        entry_url, source = feed_url, None
        for link in entry.findall(f"{ATOM}link"):
            if link.get("rel", "alternate") == "alternate":
                inside = site.internal(urljoin(feed_url, link.get("href", "")))
                if inside is not None:
                    entry_url, source = SITE + inside, site.source_of(urlsplit(inside).path)
        page = Page(site, path, entry_url, source)
        for link in entry.findall(f"{ATOM}link"):
            check_address(page, link.get("href", ""), "link", findings, checked)
        content = entry.find(f"{ATOM}content")
        if content is not None and (content.text or "").strip():
            check_elements(page, lxml.html.fragment_fromstring(content.text, create_parent="div"), findings, checked)


def built_site_findings(outdir: Path, srcdir: Path | None) -> tuple[list[Finding], Checked]:
    site = Site(outdir, srcdir, find_base(outdir))
    findings: list[Finding] = []
    checked = Checked()
    for path in sorted(outdir.rglob("*.html")):
        if "_static" not in path.relative_to(outdir).parts:
            check_page(site, path, findings, checked)
    for path in sorted(outdir.rglob("atom.xml")):
        check_feed(site, path, findings, checked)
    return findings, checked
