"""``essays-check`` (``make check``): every check that needs no network.

- ``--front-matter``: every essay's front matter, as the build checks it
  (essaysite.features.frontmatter), plus its cover picture: the file exists and
  ``cover_alt`` describes it.
- ``--built DIR``: the built site. Every internal link, ``#anchor``, image
  and stylesheet address in every page and every Atom feed (entry links and
  the links inside each entry's content) resolves to a built file, and the
  anchor to an ``id`` in that file; every picture has alt text.

One line per problem, naming the file (the essay's source when the page has
one), exit status 1 when there is any, 2 when the front matter would stop
the build (so ``make check`` does not try to build). External links are checked by
``make linkcheck`` (Sphinx's linkcheck builder), which needs the network.
"""

from __future__ import annotations

import argparse
import posixpath
import runpy
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from essaysite.frontmatter.essay import check_essay
from essaysite.frontmatter.site import check_site, essay_paths

# Stands for the site's address while links are resolved.
SITE = "http://site.invalid/"
ATOM = "{http://www.w3.org/2005/Atom}"
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
# Elements and the attribute holding an address in them.
ADDRESSES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
SOURCE_SUFFIXES = (".md", ".rst")
# Exit status when the front matter would stop the build (make check then skips it).
STOPS_THE_BUILD = 2


# -- Front matter -------------------------------------------------------------------
def post_patterns(srcdir: Path):
    """``blog_post_pattern`` from the site's conf.py (``posts/*.md`` without one)."""
    conf = srcdir / "conf.py"
    if conf.is_file():
        return runpy.run_path(str(conf)).get("blog_post_pattern", "posts/*.md")
    return "posts/*.md"


def check_covers(srcdir: Path, patterns) -> list[str]:
    problems = []
    for rel in essay_paths(srcdir, patterns):
        essay = check_essay((srcdir / rel).read_text(encoding="utf-8-sig", errors="replace"), rel)
        cover = essay.values.get("cover")
        if not cover:
            continue
        line = essay.lines.get("cover", 1)
        picture = (srcdir / rel).parent / cover
        if not picture.is_file():
            problems.append(f"{rel}:{line}: cover: {cover} does not exist (the path is relative to the essay)")
        if not essay.values.get("cover_alt", "").strip():
            problems.append(f"{rel}:{line}: cover_alt: missing; describe the cover picture for readers who cannot see it")
    return problems


def front_matter_problems(srcdir: Path) -> tuple[list[str], list[str], list[str]]:
    """(problems that stop the build, other problems, notices of slips the build corrects)."""
    patterns = post_patterns(srcdir)
    found = check_site(srcdir, patterns)
    stopping = [str(p) for p in found if not p.corrected]
    notices = [f"{p} (corrected in the build)" for p in found if p.corrected]
    return stopping, check_covers(srcdir, patterns), notices


# -- The built site -----------------------------------------------------------------
@dataclass
class Site:
    outdir: Path
    srcdir: Path | None
    base: str | None = None  # the site's public address, as written into feeds and canonical links
    ids: dict = field(default_factory=dict)  # built file -> set of ids

    def rel(self, path: Path) -> str:
        return path.relative_to(self.outdir).as_posix()

    def source_of(self, page: str) -> str | None:
        """The source file a built page comes from, if the site's sources are known."""
        if self.srcdir is None:
            return None
        doc = page[: -len(".html")]
        candidates = [doc]
        if doc.endswith("/index"):
            candidates.append(doc[: -len("/index")])  # dirhtml
        for name in candidates:
            for suffix in SOURCE_SUFFIXES:
                if (self.srcdir / (name + suffix)).is_file():
                    return name + suffix
        return None

    def where(self, page: str) -> tuple[str, bool]:
        """The file to name for a page, and whether it is a source file."""
        source = self.source_of(page)
        return (source, True) if source else ((self.outdir / page).as_posix(), False)

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
        target = urljoin(page_url, address)
        inside = self.internal(target)
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


@dataclass
class Finding:
    where: str  # the file to fix, or the built file
    problem: str  # the same slip seen in several files reads the same
    detail: str = ""
    in_source: bool = False


def check_address(site: Site, where, page_url: str, address: str, what: str, problems: list) -> None:
    """``where``: (file to name, is a source file, text before the problem)."""
    resolved = site.resolve(page_url, address)
    if resolved is None:
        return
    file, fragment = resolved
    name, in_source, context = where
    if not file.is_file():
        problems.append(Finding(name, f'{context}{what} "{address}": no such file', f" ({file.as_posix()})", in_source))
    elif fragment and file.suffix == ".html" and fragment not in site.ids_of(file):
        problem = f'{context}{what} "{address}": no element with id "{fragment}" in {site.rel(file)}'
        problems.append(Finding(name, problem, "", in_source))


def check_pictures(where, root, problems: list) -> None:
    name_, in_source, context = where
    for img in root.iter("img"):
        src = img.get("src", "")
        alt = (img.get("alt") or "").strip()
        name = PurePosixPath(urlsplit(src).path).name
        if img.get("role") == "presentation" or img.get("aria-hidden") == "true":
            continue
        if not alt:
            problem = f'{context}picture "{src}": no alt text; describe what it shows (the :alt: option)'
            problems.append(Finding(name_, problem, "", in_source))
        elif alt == src or alt == name or PurePosixPath(alt).name == name:
            problem = f'{context}picture "{src}": the alt text is its file name; describe what it shows'
            problems.append(Finding(name_, problem, "", in_source))


def check_page(site: Site, path: Path, problems: list) -> None:
    page = site.rel(path)
    where = (*site.where(page), "")
    root = lxml.html.parse(str(path)).getroot()
    if root is None:
        return
    page_url = SITE + page
    for element in root.iter(*ADDRESSES):
        address = element.get(ADDRESSES[element.tag])
        if address is None:
            continue
        what = "picture" if element.tag == "img" else "link"
        check_address(site, where, page_url, address, what, problems)
    check_pictures(where, root, problems)


def check_feed(site: Site, path: Path, problems: list) -> None:
    feed = path.as_posix()
    where = (feed, False, "")
    feed_url = SITE + site.rel(path)
    try:
        root = lxml.etree.parse(str(path)).getroot()
    except lxml.etree.XMLSyntaxError as error:
        problems.append(Finding(feed, f"not well-formed XML: {error}"))
        return
    for link in root.findall(f"{ATOM}link"):
        check_address(site, where, feed_url, link.get("href", ""), "link", problems)
    for entry in root.findall(f"{ATOM}entry"):
        title = (entry.findtext(f"{ATOM}title") or "").strip()
        here = (feed, False, f'entry "{title}": ')
        entry_url = feed_url
        for link in entry.findall(f"{ATOM}link"):
            href = link.get("href", "")
            check_address(site, here, feed_url, href, "link", problems)
            if link.get("rel", "alternate") == "alternate":
                inside = site.internal(urljoin(feed_url, href))
                entry_url = SITE + inside if inside is not None else href
        content = entry.find(f"{ATOM}content")
        if content is None or not (content.text or "").strip():
            continue
        body = lxml.html.fragment_fromstring(content.text, create_parent="div")
        for element in body.iter(*ADDRESSES):
            address = element.get(ADDRESSES[element.tag])
            if address is not None:
                what = "picture" if element.tag == "img" else "link"
                check_address(site, here, entry_url, address, what, problems)
        check_pictures(here, body, problems)


def built_site_problems(outdir: Path, srcdir: Path | None) -> list[str]:
    site = Site(outdir, srcdir, find_base(outdir))
    findings: list[Finding] = []
    for path in sorted(outdir.rglob("*.html")):
        if "_static" not in path.relative_to(outdir).parts:
            check_page(site, path, findings)
    for path in sorted(outdir.rglob("atom.xml")):
        check_feed(site, path, findings)
    return merge(findings)


def merge(findings: list[Finding]) -> list[str]:
    """One line per slip. The same one in several files (an excerpt on every
    list page, an entry in every feed) names every source file and counts
    the built files."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.problem, []).append(finding)
    lines = []
    for problem, group in groups.items():
        sources = list(dict.fromkeys(f.where for f in group if f.in_source))
        built = list(dict.fromkeys(f.where for f in group if not f.in_source))
        if len(sources) + len(built) == 1:
            lines.append(f"{group[0].where}: {problem}{group[0].detail}")
            continue
        names = sources + built[:1] if not sources else sources
        rest = len(built) - (0 if sources else 1)
        also = f" (and {rest} built file{'s' if rest > 1 else ''})" if rest else ""
        lines.append(f"{', '.join(names)}{also}: {problem}")
    return lines


# -- Command ------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="essays-check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--srcdir", default=".", help="the site's sources (holds conf.py)")
    parser.add_argument("--front-matter", action="store_true", help="check every essay's front matter and cover")
    parser.add_argument("--built", metavar="DIR", help="check the pages and feeds built into DIR")
    args = parser.parse_args(argv)
    if not args.front_matter and not args.built:
        args.front_matter = True
    srcdir = Path(args.srcdir)
    problems: list[str] = []
    stopping: list[str] = []
    if args.front_matter:
        stopping, others, notices = front_matter_problems(srcdir)
        for notice in notices:
            print(notice)
        problems += stopping + others
    if args.built:
        outdir = Path(args.built)
        if not (outdir / "index.html").is_file():
            problems.append(f"{outdir.as_posix()}: no built site here; run make html first")
        else:
            problems += built_site_problems(outdir, srcdir if (srcdir / "conf.py").is_file() else None)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        print(f"essays-check: {count}.", file=sys.stderr)
        return STOPS_THE_BUILD if stopping else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
