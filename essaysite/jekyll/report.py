"""What an import did: every post, every change, everything not converted.

The report is printed at the end of every run (and of a dry run, as a plan).
Failures are the only thing that make the command exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PostReport:
    source: str  # the post, relative to the Jekyll site
    dest: str = ""  # the essay written, relative to the project
    action: str = ""  # "written", "unchanged", "would write", ...
    draft: bool = False
    changes: list[str] = field(default_factory=list)
    not_converted: list[str] = field(default_factory=list)


@dataclass
class Report:
    source: str
    dry_run: bool = False
    posts: list[PostReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # "path: reason and fix"
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, action)
    redirects: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def format(self) -> str:
        imported = [p for p in self.posts if p.dest]
        drafts = sum(1 for p in imported if p.draft)
        head = "Plan (dry run, nothing written)" if self.dry_run else "Imported"
        lines = [f"{head}: {len(imported)} post(s) from {self.source} ({drafts} draft(s)), {len(self.failures)} failure(s)"]
        for post in imported:
            draft = " [draft]" if post.draft else ""
            lines.append(f"  {post.source} -> {post.dest} ({post.action}){draft}")
            lines.extend(f"      changed: {c}" for c in post.changes)
            lines.extend(f"      not converted: {c}" for c in post.not_converted)
        others = [(path, action) for path, action in self.files if not path.endswith(".md")]
        if others:
            lines.append("Other files:")
            lines.extend(f"  {path} ({action})" for path, action in others)
        lines.append(f"Redirects: {self.redirects} old URL(s) in redirects.json")
        not_converted = sum(len(p.not_converted) for p in imported)
        if not_converted:
            lines.append(f"Not converted: {not_converted} item(s), listed above under 'not converted'")
        if self.failures:
            lines.append("Failed:")
            lines.extend(f"  {f}" for f in self.failures)
        return "\n".join(lines)
