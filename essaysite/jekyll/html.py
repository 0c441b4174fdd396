"""Addresses inside HTML (an HTML post, an HTML block of a Markdown post).

Every address a tag gives (``src``, ``href``, each address of a
``srcset``, a video's ``poster``, an ``<object>``'s ``data``; quoted or
not) is pointed at the copied file or the new page; one that names nothing
in the old site is left as it was and reported.
"""

from __future__ import annotations

import re

from essaysite.jekyll import liquid
from essaysite.jekyll.report import Loss

TAG = re.compile(r"<(?P<name>[a-zA-Z][\w-]*)\b(?P<attrs>[^>]*)>")
ATTRIBUTE = re.compile(r"(?<![\w-])(?P<name>src|href|srcset|poster|data)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+))", re.I)
# A srcset candidate: an address, then an optional width or density.
CANDIDATE = re.compile(r"(?:^|,)\s*(?P<url>[^\s,]+)")


def convert_html(html: str, resolve) -> tuple[str, list[Loss]]:
    """Point the addresses of HTML at the copied files and new pages."""
    notes: list[Loss] = []

    def address(url: str, picture: bool) -> str:
        if url.startswith(liquid.NEW_PAGE):
            return url[1:]
        resolved = resolve(url, picture)
        if resolved.kind == "file":
            return resolved.target
        if resolved.kind == "post":
            return resolved.target.replace(".md", ".html", 1)
        if resolved.kind == "page":
            return resolved.target
        if resolved.kind == "missing":
            notes.append(Loss("picture" if picture else "link", f"{url} in HTML not found in the old site: left as it was", url))
        return url

    def attribute(match: re.Match, element: str) -> str:
        name = match.group("name").lower()
        if name == "data" and element != "object":
            return match.group(0)
        group = next(g for g in ("dq", "sq", "bare") if match.group(g) is not None)
        value = match.group(group)
        if name == "srcset":
            new = CANDIDATE.sub(lambda c: c.group(0)[: c.start("url") - c.start()] + address(c.group("url"), True), value)
        else:
            new = address(value.strip(), name != "href")
        if new == value:
            return match.group(0)
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        return match.group(0)[:start] + new + match.group(0)[end:]

    def tag(match: re.Match) -> str:
        element = match.group("name").lower()
        attrs = ATTRIBUTE.sub(lambda m: attribute(m, element), match.group("attrs"))
        return f"<{match.group('name')}{attrs}>"

    html = TAG.sub(tag, html)
    return html.replace(liquid.NEW_PAGE, ""), notes
