"""The Jekyll site on disk: its configuration, posts, drafts and includes.

Like Jekyll, posts are the files in every ``_posts/`` folder of the site (the
folders above one are the posts' categories) and drafts the files in
``_drafts/``; ``_site``, ``vendor``, ``node_modules`` and hidden folders are
not the site's sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from essaysite.jekyll.frontmatter import JekyllLoader

MARKDOWN_EXTENSIONS = {".markdown", ".mkdown", ".mkdn", ".mkd", ".md"}
POST_EXTENSIONS = MARKDOWN_EXTENSIONS | {".html"}
SKIPPED = {"_site", "vendor", "node_modules", ".git", ".jekyll-cache", ".sass-cache"}


class SiteError(ValueError):
    """The source is not something that can be imported; the message says why."""


@dataclass
class SourceFile:
    path: Path
    rel: str  # relative to the site root, for messages
    draft: bool
    folder_categories: list[str] = field(default_factory=list)


@dataclass
class Site:
    root: Path
    config: dict
    files: list[SourceFile]
    single: bool  # one post given on the command line

    @property
    def includes(self) -> Path:
        return self.root / str(self.config.get("includes_dir", "_includes"))

    @property
    def baseurl(self) -> str:
        return str(self.config.get("baseurl") or "").rstrip("/")

    @property
    def url(self) -> str:
        return str(self.config.get("url") or "").rstrip("/")


def read_config(root: Path) -> dict:
    path = root / "_config.yml"
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=JekyllLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise SiteError(f"{path}: cannot be read ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise SiteError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)}); fix it and run again") from None
    return data if isinstance(data, dict) else {}


def skipped(path: Path, root: Path) -> bool:
    return any(part in SKIPPED or (part.startswith(".") and part not in {".", ".."}) for part in path.relative_to(root).parts)


def load(source: Path) -> Site:
    """The site at ``source``, or the site around the single post ``source``."""
    if not source.exists():
        raise SiteError(f"{source}: no such file or folder; give a Jekyll site's folder or one post file")
    if source.is_file():
        root = source.parent.parent if source.parent.name in {"_posts", "_drafts"} else source.parent
        config = read_config(root)
        rel = source.relative_to(root).as_posix()
        return Site(root, config, [SourceFile(source, rel, source.parent.name == "_drafts")], single=True)
    root = source
    config = read_config(root)
    if not (root / "_config.yml").is_file() and not (root / "_posts").is_dir():
        raise SiteError(f"{source}: not a Jekyll site (no _config.yml and no _posts/ folder)")
    files = []
    for posts in sorted(root.rglob("_posts")):
        if not posts.is_dir() or skipped(posts, root):
            continue
        categories = list(posts.relative_to(root).parts[:-1])
        for path in sorted(posts.rglob("*")):
            # Not is_file(): a broken link or unreadable file is reported, not skipped.
            if not path.is_dir() and path.suffix.lower() in POST_EXTENSIONS and not skipped(path, root):
                files.append(SourceFile(path, path.relative_to(root).as_posix(), False, categories))
    drafts = root / "_drafts"
    if drafts.is_dir():
        for path in sorted(drafts.rglob("*")):
            if not path.is_dir() and path.suffix.lower() in POST_EXTENSIONS:
                files.append(SourceFile(path, path.relative_to(root).as_posix(), True))
    return Site(root, config, files, single=False)
