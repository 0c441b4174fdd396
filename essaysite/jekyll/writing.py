"""The plan of files to write, and writing it: never over another's file.

Only files that are new or identical are written; an existing file with
other content is left alone and reported unless ``--force`` is given.
``redirects.json`` is merged entry by entry, and an entry is never replaced
without ``--force``. Each file is written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from essaysite import confinement
from essaysite.jekyll import scholar
from essaysite.jekyll.assets import Assets
from essaysite.jekyll.post import Options, Post
from essaysite.jekyll.report import PostReport, Report

REDIRECTS_FILE = "redirects.json"


def merged_redirects(posts: list[Post], options: Options, report: Report) -> dict[str, str]:
    path = options.dest / REDIRECTS_FILE
    existing = {}
    if path.is_file():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            report.failures.append(f"{REDIRECTS_FILE}: cannot be read ({error}); fix or remove it")
            return {}
    merged = dict(existing)
    for post in posts:
        for url in post.old_urls:
            target = f"posts/{post.name}"
            try:  # percent-decoded and normalised: no redirect page may land outside the built site
                confinement.url_path_file(url)
            except confinement.Refused as refused:
                report.failures.append(f"{post.file.rel}: old address {refused}; it is not redirected")
                continue
            if merged.get(url, target) != target and not options.force:
                report.failures.append(f"{REDIRECTS_FILE}: {url} already redirects to {merged[url]}, not to {target}; use --force to replace it")
                continue
            merged[url] = target
    return dict(sorted(merged.items()))


def plan(posts: list[Post], assets: Assets, options: Options, report: Report, bibliography: Path | None = None) -> list[tuple[Path, bytes, PostReport | str | None]]:
    posts_dir = options.dest / "posts"
    files = [(posts_dir / f"{p.name}.md", p.text.encode("utf-8"), p.report) for p in posts]
    for site_file, dest in sorted(assets.copies.items()):
        files.append((dest, site_file.read_bytes(), None))
    references, changes, problems = scholar.merged_references(bibliography, posts_dir) if bibliography else (None, [], [])
    report.failures.extend(problems)
    report.bibliography.extend(changes)
    if references is not None:
        # Merged entry by entry: the user's entries are never replaced, only added to.
        files.append((posts_dir / scholar.REFERENCES, references, "merge"))
    redirects = merged_redirects(posts, options, report)
    report.redirects = len(redirects)
    if redirects:
        # Merged entry by entry above: an entry is never replaced without --force.
        files.append((options.dest / REDIRECTS_FILE, (json.dumps(redirects, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), "merge"))
    return files


def write(files, options: Options, report: Report) -> None:
    for path, data, post_report in files:
        rel = path.relative_to(options.dest).as_posix()
        if path.exists():
            if path.read_bytes() == data:
                action = "unchanged"
            elif post_report == "merge":
                action = "would update" if options.dry_run else "updated"
            elif options.force:
                action = "would overwrite" if options.dry_run else "overwritten"
            else:
                action = "exists, not overwritten"
                report.failures.append(f"{rel}: already exists with other content; not overwritten (use --force to replace it)")
        else:
            action = "would write" if options.dry_run else "written"
        if action in {"written", "overwritten", "updated"}:
            atomic_write(path, data)
        report.files.append((rel, action))
        if isinstance(post_report, PostReport):
            post_report.action = action


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
