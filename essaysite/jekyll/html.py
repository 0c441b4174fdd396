"""Addresses inside HTML (an HTML post, an HTML block of a Markdown post)."""

from __future__ import annotations

import re

from essaysite.jekyll import liquid
from essaysite.jekyll.report import Loss


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
            return f"{name}={quote}{target}{quote}"
        if resolved.kind == "page":
            return f"{name}={quote}{resolved.target}{quote}"
        if resolved.kind == "missing":
            notes.append(Loss("picture" if name.lower() == "src" else "link", f"{url} in HTML not found in the old site: left as it was", url))
        return match.group(0)

    html = re.sub(r"\b(src|href)=([\"'])([^\"']+)\2", attribute, html, flags=re.I)
    return html.replace(liquid.NEW_PAGE, ""), notes
