"""The whole import: read every post, plan every file, then write atomically.

Nothing is written until every post has been converted, and then only files
that are new or identical: an existing file with other content is left alone
and reported unless ``--force`` is given. A second run therefore changes
nothing, and ``--dry-run`` prints the same plan without writing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from essaysite.jekyll import frontmatter, kramdown, liquid, source, urls
from essaysite.jekyll.assets import Assets
from essaysite.jekyll.report import PostReport, Report
from essaysite.jekyll.text import decode

REDIRECTS_FILE = "redirects.json"
EXCERPT_MARK = "\x00EXCERPT\x00"
CONSUMED = {"title", "date", "categories", "category", "tags", "tag", "published", "layout", "image", "author", "comments", "redirect_from", "excerpt_separator", "slug"}


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


class Importer:
    def __init__(self, options: Options):
        self.options = options
        self.dest = options.dest
        self.posts_dir = options.dest / "posts"
        self.report = Report(str(options.source), dry_run=options.dry_run)
        self.site = source.load(options.source)
        self.assets = Assets(self.site.root, self.posts_dir)
        self.posts: list[Post] = []
        self.by_post_name: dict[str, Post] = {}  # "2019-03-04-slug" -> post
        self.by_url: dict[str, Post] = {}
        self.labels: set[str] = set()
        self.names: set[str] = set()  # the essays' file names, without .md

    # -- reading ---------------------------------------------------------------
    def read(self, file: source.SourceFile) -> Post | None:
        report = PostReport(file.rel, draft=file.draft)
        try:
            data = file.path.read_bytes()
        except OSError as error:
            self.fail(file, f"cannot be read ({error.strerror or error}); check its permissions")
            return None
        encoding = str(self.site.config.get("encoding") or "utf-8")
        try:
            decoded = decode(data, encoding)
        except UnicodeDecodeError as error:
            self.fail(file, f"byte {error.start}: neither {encoding} nor cp1252; save it as UTF-8")
            return None
        report.changes.extend(decoded.changes)
        try:
            front, body, body_line = frontmatter.split(decoded.text)
        except frontmatter.FrontMatterError as error:
            self.fail(file, str(error))
            return None
        name = file.path.stem
        match = urls.FILENAME.match(file.path.name)
        try:
            date = None
            if front.get("date") not in (None, ""):
                date = frontmatter.parse_date(front["date"], self.site.config.get("timezone"))
            elif match:
                date = frontmatter.parse_date(match.group("date"), None)
            elif self.options.date:
                date = frontmatter.parse_date(self.options.date, None)
        except frontmatter.FrontMatterError as error:
            line = re.search(r"^date:", decoded.text, re.M)
            where = f"line {decoded.text.count(chr(10), 0, line.start()) + 1}: " if line else ""
            self.fail(file, f"{where}{error}")
            return None
        if date is None and not file.draft:
            self.fail(file, "no date: the file name has none (name it 2019-03-04-title.md), the front matter has none, and no --date was given")
            return None
        if date and date.offset_dropped:
            report.changes.append(f"date {front['date']}: shown as {frontmatter.format_date(date)}, the time the author saw (UTC offset dropped)")
        title = front.get("title")
        if match:
            slug = match.group("slug")
        elif self.site.single and title:
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
        return post

    def fail(self, file: source.SourceFile, reason: str) -> None:
        self.report.failures.append(f"{file.rel}: {reason}")

    # -- names, URLs and labels --------------------------------------------------
    def assign_names(self) -> None:
        """Essay file names: the slug, and the date too when two posts share it."""
        taken: dict[str, Post] = {}
        ordered = sorted(self.posts, key=lambda p: (p.date.shown if p.date else dt.datetime.max, p.file.rel))
        for post in ordered:
            base = urls.slugify(post.slug) or "post"
            name = base
            if base in taken:
                stamp = post.date.shown.strftime("%Y-%m-%d") if post.date else "draft"
                name = f"{base}-{stamp}"
                n = 2
                while name in taken:
                    name = f"{base}-{stamp}-{n}"
                    n += 1
                post.report.changes.append(f"file name {name}.md: another post has the slug {base!r}")
            taken[name] = post
            self.names.add(name)
            post.name = name
            post.report.dest = f"posts/{name}.md"
            stem = post.file.path.stem
            self.by_post_name[stem] = post
            self.by_post_name[post.file.rel] = post
            self.by_post_name[posixpath.relpath(post.file.rel, "_posts")] = post
            self.by_post_name[posixpath.splitext(posixpath.relpath(post.file.rel, "_posts"))[0]] = post

    def unify_spellings(self) -> None:
        """One spelling per tag and category: ABlog gives names that differ
        only in case one page, where the last one wins."""
        for attribute, what in (("tags", "tag"), ("categories", "category")):
            first: dict[str, str] = {}
            for post in sorted(self.posts, key=lambda p: (p.date.shown if p.date else dt.datetime.max, p.file.rel)):
                values = []
                for value in getattr(post, attribute):
                    spelling = first.setdefault(value.lower(), value)
                    if spelling != value:
                        post.report.changes.append(f"{what} {value!r} written {spelling!r}, as in an earlier post")
                    values.append(spelling)
                setattr(post, attribute, list(dict.fromkeys(values)))

    def compute_urls(self, post: Post) -> None:
        if post.draft or post.date is None:
            return
        template = urls.template_for(post.front.get("permalink") or self.site.config.get("permalink"))
        values = urls.placeholders(post.date.local, post.slug, post.categories)
        main = urls.post_url(template, values)
        redirect_from = post.front.get("redirect_from") or []
        if isinstance(redirect_from, str):
            redirect_from = [redirect_from]
        old = [main] + ["/" + str(u).lstrip("/") for u in redirect_from]
        post.old_urls = list(dict.fromkeys(old))
        for url in post.old_urls:
            self.by_url[normal_url(url)] = post

    def existing_labels(self) -> set[str]:
        """Labels already used by essays this import does not write."""
        ours = {post.name for post in self.posts}
        labels = set(ours)
        if self.posts_dir.is_dir():
            for path in self.posts_dir.glob("*.md"):
                labels.add(path.stem)
                if path.stem in ours:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                labels.update(re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.M))
        return labels

    # -- converting ------------------------------------------------------------
    def resolve_post(self, name: str, current: Post) -> str | None:
        name = name.strip().lstrip("/")
        post = self.by_post_name.get(name) or self.by_post_name.get(posixpath.splitext(name)[0])
        if post is None:
            return None
        return f"{post.name}.md"

    def resolve_url(self, url: str, picture: bool, current: Post) -> kramdown.Resolved:
        url = url.strip().strip("<>")
        parts = urlsplit(url)
        if url.startswith("#") or parts.scheme in {"mailto", "data", "tel", "javascript"}:
            return kramdown.Resolved("external")
        if parts.scheme or url.startswith("//"):
            site_url = self.site.url
            if not site_url or not url.startswith(site_url + "/"):
                return kramdown.Resolved("external")
            url = url[len(site_url) :]
            parts = urlsplit(url)
        path = unquote(parts.path)
        if not path:
            return kramdown.Resolved("external")
        if path.endswith(".md") and path[: -len(".md")] in self.names:
            return kramdown.Resolved("post", url)  # already converted by Liquid
        base = self.site.baseurl
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :] or "/"
        if not path.startswith("/") and current.old_urls:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(current.old_urls[0]), path))
        anchor = f"#{parts.fragment}" if parts.fragment else ""
        post = self.by_url.get(normal_url(path))
        if post is not None and not picture:
            if post.draft:
                return kramdown.Resolved("missing")
            return kramdown.Resolved("post", f"{post.name}.md{anchor}")
        site_file = self.assets.find(path if path.startswith("/") else parts.path, current.file.path)
        if site_file is None and not path.startswith("/"):
            site_file = self.assets.find("/" + path, current.file.path)
        if site_file is not None and site_file.suffix.lower() not in {".md", ".markdown", ".html"}:
            return kramdown.Resolved("file", self.assets.copy(site_file))
        if picture or posixpath.splitext(path)[1].lower() not in {"", ".html", ".htm"}:
            return kramdown.Resolved("missing")
        if self.site.url:
            return kramdown.Resolved("page", f"{self.site.url}{base}{path}{anchor}")
        return kramdown.Resolved("missing")

    def label(self, ident: str, post: Post, renamed: dict[str, str]) -> str:
        label = ident
        if label in self.labels:
            label = f"{post.name}-{ident}"
            n = 2
            while label in self.labels:
                label = f"{post.name}-{ident}-{n}"
                n += 1
            renamed[ident] = label
            post.report.not_converted.append(f"heading id #{ident} is used elsewhere in the site: label {label} instead")
        self.labels.add(label)
        return label

    def convert(self, post: Post) -> None:
        body = post.body
        separator = post.front.get("excerpt_separator") or self.site.config.get("excerpt_separator")
        if separator and separator in body and separator != "\n\n":
            body = body.replace(separator, f"\n\n{EXCERPT_MARK}\n\n", 1)
        page = dict(post.front, title=post.title)
        if post.date and not page.get("date"):
            page["date"] = post.date.shown.isoformat(sep=" ")
        lctx = liquid.Context(self.site.config, page, self.site.includes, lambda n: self.resolve_post(n, post), post.body, post.body_line)
        body = liquid.convert(body, lctx, html=post.html)
        changes, problems = list(lctx.changes), list(lctx.problems)
        if post.html:
            body, html_notes = convert_html(body, lambda u, p: self.resolve_url(u, p, post))
            problems.extend(html_notes)
            body = "```{raw} html\n" + body.strip("\n") + "\n```\n"
            changes.append("HTML post kept as HTML")
        else:
            renamed: dict[str, str] = {}
            def html_block(text: str) -> str:
                converted, notes = convert_html(text, lambda u, p: self.resolve_url(u, p, post))
                problems.extend(notes)
                return converted

            kctx = kramdown.Context(lambda u, p: self.resolve_url(u, p, post), lambda i: self.label(i, post, renamed), html_block)
            body = kramdown.convert(body, kctx)
            for old, new in renamed.items():
                body = body.replace(f"](#{old})", f"](#{new})")
            changes.extend(kctx.changes)
            problems.extend(kctx.problems)
            body, shifted = shift_headings(body)
            if shifted:
                changes.append(shifted)
        excerpt = None
        if EXCERPT_MARK in body:
            before, _, _ = body.partition(EXCERPT_MARK)
            excerpt = count_paragraphs(before)
            body = re.sub(r"\n*" + re.escape(EXCERPT_MARK) + r"\n*", "\n\n", body)
            changes.append(f"excerpt separator: the excerpt is the first {excerpt} paragraph(s)")
        post.report.changes.extend(changes)
        post.report.not_converted.extend(problems)
        front = self.front_matter(post, excerpt, body)
        body = re.sub(r"\n{3,}", "\n\n", body.strip("\n"))
        post.text = frontmatter.to_yaml(front) + f"\n# {post.title}\n\n{body}\n"

    def front_matter(self, post: Post, excerpt: int | None, body: str) -> dict:
        src = post.front
        out: dict = {}
        kept: dict = {}
        if post.date:
            out["date"] = frontmatter.format_date(post.date)
            if post.date.offset_dropped:
                kept["date"] = str(src["date"])
        if post.tags:
            out["tags"] = ", ".join(post.tags) if not any("," in t for t in post.tags) else post.tags
        if post.categories:
            out["category"] = ", ".join(dict.fromkeys(post.categories))
        author = src.get("author")
        if isinstance(author, (list, tuple)):
            out["author"] = ", ".join(str(a) for a in author)
        elif isinstance(author, dict) and author.get("name"):
            out["author"] = str(author["name"])
            kept["author"] = author
        elif author not in (None, ""):
            out["author"] = str(author)
        if excerpt:
            out["excerpt"] = excerpt
        if post.draft:
            out["draft"] = True
        if "comments" in src and frontmatter.is_false(src["comments"]):
            out["nocomments"] = ""
        image = src.get("image")
        if isinstance(image, dict):
            image = image.get("path") or image.get("feature") or image.get("url")
        if image:
            resolved = self.resolve_url(str(image), True, post)
            if resolved.kind == "file":
                out["cover"] = resolved.target
                alt = re.search(r"^:alt: (.*)$", body.split(resolved.target, 1)[1], re.M) if resolved.target in body else None
                out["cover_alt"] = alt.group(1) if alt else post.title
                post.report.changes.append(f"image {image} is the cover picture")
            else:
                kept["image"] = src["image"]
                post.report.not_converted.append(f"cover picture {image} not found: kept under jekyll.image")
        elif "image" in src:
            kept["image"] = src["image"]
        redirect_from = src.get("redirect_from")
        if redirect_from:
            out["redirect_from"] = [redirect_from] if isinstance(redirect_from, str) else list(redirect_from)
        if isinstance(src.get("excerpt"), str) and src["excerpt"].strip():
            kept["excerpt"] = src["excerpt"]
            post.report.not_converted.append("custom excerpt text kept under jekyll.excerpt (lists show the first paragraph)")
        for key, value in src.items():
            if key in CONSUMED or key == "excerpt":
                continue
            kept[key] = value
        if "layout" in src:
            post.report.changes.append(f"layout: {src['layout']} dropped (the site has one layout)")
        if kept:
            out["jekyll"] = kept
            post.report.changes.append(f"kept under jekyll: {', '.join(kept)}")
        return out

    # -- planning and writing ----------------------------------------------------
    def redirects(self) -> dict[str, str]:
        path = self.dest / REDIRECTS_FILE
        existing = {}
        if path.is_file():
            try:
                existing = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                self.report.failures.append(f"{REDIRECTS_FILE}: cannot be read ({error}); fix or remove it")
                return {}
        merged = dict(existing)
        for post in self.posts:
            for url in post.old_urls:
                target = f"posts/{post.name}"
                if merged.get(url, target) != target and not self.options.force:
                    self.report.failures.append(f"{REDIRECTS_FILE}: {url} already redirects to {merged[url]}, not to {target}; use --force to replace it")
                    continue
                merged[url] = target
        return dict(sorted(merged.items()))

    def plan(self) -> list[tuple[Path, bytes, PostReport | None]]:
        files = [(self.posts_dir / f"{p.name}.md", p.text.encode("utf-8"), p.report) for p in self.posts]
        for site_file, dest in sorted(self.assets.copies.items()):
            files.append((dest, site_file.read_bytes(), None))
        redirects = self.redirects()
        self.report.redirects = len(redirects)
        if redirects:
            # Merged entry by entry above: an entry is never replaced without --force.
            files.append((self.dest / REDIRECTS_FILE, (json.dumps(redirects, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), "merge"))
        return files

    def write(self, files) -> None:
        for path, data, post_report in files:
            rel = path.relative_to(self.dest).as_posix()
            if path.exists():
                if path.read_bytes() == data:
                    action = "unchanged"
                elif post_report == "merge":
                    action = "would update" if self.options.dry_run else "updated"
                elif self.options.force:
                    action = "would overwrite" if self.options.dry_run else "overwritten"
                else:
                    action = "exists, not overwritten"
                    self.report.failures.append(f"{rel}: already exists with other content; not overwritten (use --force to replace it)")
            else:
                action = "would write" if self.options.dry_run else "written"
            if action in {"written", "overwritten", "updated"}:
                atomic_write(path, data)
            self.report.files.append((rel, action))
            if isinstance(post_report, PostReport):
                post_report.action = action

    def run(self) -> Report:
        for file in self.site.files:
            post = self.read(file)
            if post is not None:
                self.posts.append(post)
                self.report.posts.append(post.report)
        self.assign_names()
        self.unify_spellings()
        for post in self.posts:
            self.compute_urls(post)
        self.labels = self.existing_labels()
        for post in self.posts:
            try:
                self.convert(post)
            except Exception as error:  # noqa: BLE001 - one bad post must not stop the rest
                self.fail(post.file, f"could not be converted ({type(error).__name__}: {error}); please report this with the file")
                post.report.dest = ""
        self.posts = [p for p in self.posts if p.report.dest]
        self.write(self.plan())
        return self.report


def normal_url(url: str) -> str:
    """An old URL in one spelling: no ``index.html``, no ``.html``, no trailing slash."""
    path = unquote(urlsplit(url).path)
    path = re.sub(r"/index\.html?$", "/", path)
    path = re.sub(r"\.html?$", "", path)
    return "/" + path.strip("/")


def shift_headings(text: str) -> tuple[str, str | None]:
    """Section headings start at ``##`` (the title is ``#``) and never skip a level."""
    lines = text.split("\n")
    fence = None
    headings = []
    for n, line in enumerate(lines):
        match = kramdown.FENCE.match(line)
        if fence:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group("fence")
            continue
        heading = re.match(r"^(#{1,6})[ \t]", line)
        if heading:
            headings.append((n, len(heading.group(1))))
    if not headings:
        return text, None
    shift = 2 - min(level for _, level in headings)
    previous, changed = 1, False
    for n, level in headings:
        new = min(max(level + shift, 2), previous + 1, 6)
        if new != level:
            changed = True
            lines[n] = "#" * new + lines[n][level:]
        previous = new
    return "\n".join(lines), ("section headings re-levelled under the title" if changed else None)


def count_paragraphs(text: str) -> int:
    """Paragraphs ABlog will count, in the MyST ``text`` before the excerpt separator."""
    # Labels, comments and attribute lines are MyST syntax, not paragraphs.
    text = re.sub(r"^(\(.*\)=|%.*|\{[#.].*\})[ \t]*$", "", text, flags=re.M)
    md = MarkdownIt("commonmark").enable("table")
    return max(1, sum(1 for token in md.parse(text) if token.type == "paragraph_open"))


def convert_html(html: str, resolve) -> tuple[str, list[str]]:
    """Point ``src`` and ``href`` in an HTML post at the copied files and new pages."""
    notes = []

    def attribute(match: re.Match) -> str:
        name, quote, url = match.group(1), match.group(2), match.group(3)
        if url.startswith(liquid.NEW_PAGE):
            return f"{name}={quote}{url[1:]}{quote}"
        resolved = resolve(url, name.lower() == "src")
        if resolved.kind == "file":
            return f"{name}={quote}{resolved.target}{quote}"
        if resolved.kind == "post":
            target = resolved.target.replace(".md", ".html", 1)
            notes.append(f"link to {url} in HTML points at {target} (links inside HTML are not checked by the build)")
            return f"{name}={quote}{target}{quote}"
        if resolved.kind == "page":
            return f"{name}={quote}{resolved.target}{quote}"
        if resolved.kind == "missing":
            notes.append(f"{url} in HTML not found in the old site: left as it was")
        return match.group(0)

    html = re.sub(r"\b(src|href)=([\"'])([^\"']+)\2", attribute, html, flags=re.I)
    return html.replace(liquid.NEW_PAGE, ""), notes


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_site(options: Options) -> Report:
    return Importer(options).run()
