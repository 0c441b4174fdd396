"""Where the posts' links and pictures point now.

Every post gets its essay's file name and its old URLs first; then a link
of a post (``{% post_url %}``, an old address, a file of the old site) can
be resolved to an essay, a copied file, a page of the old site, or nothing.
Heading ids become labels unique in the whole site.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from essaysite.jekyll import source, urls
from essaysite.jekyll.assets import Assets
from essaysite.jekyll.kramdown_syntax import Resolved
from essaysite.jekyll.post import Post
from essaysite.jekyll.report import Loss


# Characters a URL's path keeps as they are (a space becomes %20).
URL_SAFE = "/:@!$&'()*+,;=~%"


def by_date(post: Post):
    return (post.date.shown if post.date else dt.datetime.max, post.file.rel)


def normal_url(url: str) -> str:
    """An old URL in one spelling: no ``index.html``, no ``.html``, no trailing slash."""
    path = unquote(urlsplit(url).path)
    path = re.sub(r"/index\.html?$", "/", path)
    path = re.sub(r"\.html?$", "", path)
    return "/" + path.strip("/")


class Links:
    def __init__(self, site: source.Site, assets: Assets, posts_dir: Path):
        self.site = site
        self.assets = assets
        self.posts_dir = posts_dir
        self.by_post_name: dict[str, Post] = {}  # "2019-03-04-slug" -> post
        self.by_url: dict[str, Post] = {}
        self.labels: set[str] = set()
        self.names: set[str] = set()  # the essays' file names, without .md

    # -- names, URLs and labels --------------------------------------------------
    def assign_names(self, posts: list[Post]) -> None:
        """Essay file names: the slug, and the date too when two posts share it."""
        taken: dict[str, Post] = {}
        for post in sorted(posts, key=by_date):
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

    def compute_urls(self, post: Post) -> None:
        if post.draft or post.date is None:
            return
        template = urls.permalink_template(post.front, post.file.rel, self.site.config)
        values = urls.placeholders(post.date.local, post.slug, post.categories, post.file.path.stem, post.file.rel)
        main = urls.post_url(template, values)
        redirect_from = post.front.get("redirect_from") or []
        if isinstance(redirect_from, str):
            redirect_from = [redirect_from]
        old = [main] + ["/" + str(u).lstrip("/") for u in redirect_from]
        post.old_urls = list(dict.fromkeys(old))
        for url in post.old_urls:
            self.by_url[normal_url(url)] = post

    def existing_labels(self, posts: list[Post]) -> None:
        """Labels already used by essays this import does not write."""
        ours = {post.name for post in posts}
        labels = set(ours)
        if self.posts_dir.is_dir():
            for path in self.posts_dir.glob("*.md"):
                labels.add(path.stem)
                if path.stem in ours:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                labels.update(re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.M))
        self.labels = labels

    def label(self, ident: str, post: Post, renamed: dict[str, str]) -> str:
        label = ident
        if label in self.labels:
            label = f"{post.name}-{ident}"
            n = 2
            while label in self.labels:
                label = f"{post.name}-{ident}-{n}"
                n += 1
            renamed[ident] = label
            post.report.not_converted.append(Loss("label", f"heading id #{ident} is used elsewhere in the site: label {label} instead", ident))
        self.labels.add(label)
        return label

    # -- resolving -------------------------------------------------------------
    def resolve_post(self, name: str, current: Post) -> str | None:
        name = name.strip().lstrip("/")
        post = self.by_post_name.get(name) or self.by_post_name.get(posixpath.splitext(name)[0])
        if post is None:
            return None
        return f"{post.name}.md"

    def resolve_site_file(self, name: str) -> str | None:
        """``{% link assets/notes.pdf %}``: the copy of a file of the site (not a page), or None."""
        site_file = self.assets.find("/" + name.strip().lstrip("/"))
        if site_file is None or site_file.suffix.lower() in {".md", ".markdown", ".html"}:
            return None
        return self.assets.copy(site_file)

    def resolve_url(self, url: str, picture: bool, current: Post) -> Resolved:
        url = url.strip().strip("<>")
        parts = urlsplit(url)
        if url.startswith("#") or parts.scheme in {"mailto", "data", "tel", "javascript"}:
            return Resolved("external")
        if parts.scheme or url.startswith("//"):
            site_url = self.site.url
            if not site_url or not url.startswith(site_url + "/"):
                return Resolved("external")
            url = url[len(site_url) :]
            parts = urlsplit(url)
        path = unquote(parts.path)
        if not path:
            return Resolved("external")
        if path.endswith(".md") and path[: -len(".md")] in self.names:
            return Resolved("post", url)  # already converted by Liquid
        if self.assets.is_copy(path):
            return Resolved("file", path)  # already converted by Liquid ({% link %} to a file)
        base = self.site.baseurl
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :] or "/"
        if not path.startswith("/") and current.old_urls:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(current.old_urls[0]), path))
        anchor = f"#{parts.fragment}" if parts.fragment else ""
        post = self.by_url.get(normal_url(path))
        if post is not None and not picture:
            if post.draft:
                return Resolved("missing")
            return Resolved("post", f"{post.name}.md{anchor}")
        site_file = self.assets.find(path if path.startswith("/") else parts.path, current.file.path)
        if site_file is None and not path.startswith("/"):
            site_file = self.assets.find("/" + path, current.file.path)
        if site_file is not None and site_file.suffix.lower() not in {".md", ".markdown", ".html"}:
            return Resolved("file", self.assets.copy(site_file))
        if picture or posixpath.splitext(path)[1].lower() not in {"", ".html", ".htm"}:
            return Resolved("missing")
        if self.site.url:
            return Resolved("page", f"{self.site.url}{base}{quote(path, safe=URL_SAFE)}{anchor}")
        return Resolved("missing")
