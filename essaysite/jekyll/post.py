"""A Jekyll post read from disk: its front matter, date, slug, title, lists.

``read_post`` returns the post, or the reason it cannot be imported (a
message for the report's failures: what is wrong, where, and the fix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from essaysite import confinement
from essaysite.jekyll import frontmatter, source, urls
from essaysite.jekyll.report import PostReport
from essaysite.jekyll.text import decode


@dataclass
class Options:
    source: Path
    dest: Path = Path(".")
    date: str | None = None
    force: bool = False
    dry_run: bool = False


@dataclass
class Post:
    file: source.SourceFile
    front: dict
    body: str
    html: bool
    date: frontmatter.PostDate | None
    slug: str
    title: str
    categories: list[str]
    tags: list[str]
    draft: bool
    report: PostReport
    body_line: int = 1
    name: str = ""
    old_urls: list[str] = field(default_factory=list)
    text: str = ""
    source_text: str = ""  # the whole file as read, to find the lines of what is reported
    authors: list[str] = field(default_factory=list)


def read_post(file: source.SourceFile, site: source.Site, date_option: str | None) -> Post | str:
    """The post in ``file``, or why it cannot be imported."""
    report = PostReport(file.rel, draft=file.draft)
    if not confinement.is_inside(file.path, site.root):  # a symlink to a file elsewhere on the machine
        return "leads outside the Jekyll site (through a symlink); only files inside the site are imported"
    try:
        data = file.path.read_bytes()
    except OSError as error:
        return f"cannot be read ({error.strerror or error}); check its permissions"
    encoding = str(site.config.get("encoding") or "utf-8")
    try:
        decoded = decode(data, encoding)
    except UnicodeDecodeError as error:
        return f"byte {error.start}: neither {encoding} nor cp1252; save it as UTF-8"
    report.changes.extend(decoded.changes)
    try:
        front, body, body_line = frontmatter.split(decoded.text)
    except frontmatter.FrontMatterError as error:
        return str(error)
    name = file.path.stem
    match = urls.FILENAME.match(file.path.name)
    try:
        date = None
        if front.get("date") not in (None, ""):
            date = frontmatter.parse_date(front["date"], site.config.get("timezone"))
        elif match:
            date = frontmatter.parse_date(match.group("date"), None)
        elif date_option:
            date = frontmatter.parse_date(date_option, None)
    except frontmatter.FrontMatterError as error:
        line = re.search(r"^date:", decoded.text, re.M)
        where = f"line {decoded.text.count(chr(10), 0, line.start()) + 1}: " if line else ""
        return f"{where}{error}"
    if date is None and not file.draft:
        return "no date: the file name has none (name it 2019-03-04-title.md), the front matter has none, and no --date was given"
    if date and date.offset_dropped:
        report.changes.append(f"date {front['date']}: shown as {frontmatter.format_date(date)}, the time the author saw (UTC offset dropped)")
    title = front.get("title")
    if match:
        slug = match.group("slug")
    elif site.single and title:
        slug = urls.slugify(str(title))  # not a Jekyll file name: the title names the essay
    else:
        slug = name
    slug = str(front.get("slug") or slug)
    if not title:
        title = urls.titleize(slug)
        report.changes.append(f"title {title!r} derived from the file name")
    categories = file.folder_categories + (
        frontmatter.words([front["category"]]) if front.get("category") not in (None, "") else frontmatter.words(front.get("categories"))
    )
    tags = frontmatter.words([front["tag"]]) if front.get("tag") not in (None, "") else frontmatter.words(front.get("tags"))
    draft = file.draft or frontmatter.is_false(front.get("published", True))
    report.draft = draft
    if draft:
        report.changes.append("draft: kept out of the public site (draft: true)")
    post = Post(file, front, body, file.path.suffix.lower() == ".html", date, slug, str(title), categories, tags, draft, report, body_line)
    post.source_text = decoded.text
    post.authors = author_names(front.get("author"))
    return post


def author_names(author) -> list[str]:
    """``author:`` as a list of names: a name, a list of names, or a mapping with ``name``."""
    if isinstance(author, (list, tuple)):
        return [str(a).strip() for a in author if str(a).strip()]
    if isinstance(author, dict):
        return [str(author["name"]).strip()] if author.get("name") else []
    return [str(author).strip()] if author not in (None, "") and str(author).strip() else []
