"""What an import did: every post, every change, everything not converted.

The report is printed at the end of every run (and of a dry run, as a
plan). Its first line counts posts, drafts, failures and losses; then come
the losses, grouped by kind, one line each with the post's ``file:line``
and the reason (nothing is listed there that the essay kept); then every
post with what was changed in it; then the other files and the failures.
Failures are the only thing that make the command exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of loss, in the order the report lists them.
KINDS = {
    "link": "links that lead nowhere, kept as text",
    "picture": "pictures and files not found",
    "liquid": "Liquid kept as text",
    "citation": "citations kept as text",
    "kramdown": "kramdown kept as text",
    "attribute": "attributes dropped",
    "code": "code shown as plain text",
    "emoji": "emoji kept as text",
    "label": "heading ids renamed",
    "control": "control characters removed",
    "front matter": "front matter kept under jekyll:",
}


@dataclass
class Loss:
    kind: str  # a key of KINDS
    message: str
    snippet: str = ""  # text of the post to find the line by
    line: int | None = None


@dataclass
class PostReport:
    source: str  # the post, relative to the Jekyll site
    dest: str = ""  # the essay written, relative to the project
    action: str = ""  # "written", "unchanged", "would write", ...
    draft: bool = False
    changes: list[str] = field(default_factory=list)
    not_converted: list[Loss] = field(default_factory=list)

    def where(self, loss: Loss) -> str:
        return f"{self.source}:{loss.line}" if loss.line else self.source


@dataclass
class Report:
    source: str
    dry_run: bool = False
    posts: list[PostReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # "path: reason and fix"
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, action)
    redirects: int = 0
    bibliography: list[str] = field(default_factory=list)  # the .bib files merged into posts/references.bib

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def format(self) -> str:
        imported = [p for p in self.posts if p.dest]
        drafts = sum(1 for p in imported if p.draft)
        losses = [(post, loss) for post in imported for loss in post.not_converted]
        copied = sum(1 for path, _ in self.files if not path.endswith(".md") and path != "redirects.json")
        head = "Plan (dry run, nothing written)" if self.dry_run else "Imported"
        lines = [
            f"{head}: {len(imported)} post(s) from {self.source} ({drafts} draft(s)), {len(self.failures)} failure(s), "
            f"{len(losses)} not converted, {copied} file(s) copied, {self.redirects} redirect(s)"
        ]
        if losses:
            lines.append(f"Not converted ({len(losses)}), by kind:")
            for kind, title in sorted(KINDS.items(), key=lambda item: list(KINDS).index(item[0])):
                found = [(post, loss) for post, loss in losses if loss.kind == kind]
                if found:
                    lines.append(f"  {title} ({len(found)}):")
                    lines.extend(f"    {post.where(loss)}: {loss.message}" for post, loss in found)
        lines.append("Posts:")
        for post in imported:
            draft = " [draft]" if post.draft else ""
            lines.append(f"  {post.source} -> {post.dest} ({post.action}){draft}")
            lines.extend(f"      changed: {c}" for c in post.changes)
        others = [(path, action) for path, action in self.files if not path.endswith(".md")]
        if others:
            lines.append("Other files:")
            lines.extend(f"  {path} ({action})" for path, action in others)
        if self.bibliography:
            lines.append("Sources (jekyll-scholar):")
            lines.extend(f"  {line}" for line in self.bibliography)
        lines.append(f"Redirects: {self.redirects} old URL(s) in redirects.json")
        if self.failures:
            lines.append("Failed:")
            lines.extend(f"  {f}" for f in self.failures)
        return "\n".join(lines)
