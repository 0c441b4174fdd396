"""The essay's links, found as MyST finds them, pointed at where they go now.

A pattern cannot tell a link from text that looks like one, nor see a link
whose text runs over two lines, holds code (`` [`where`](/docs/) ``) or a
picture, or sits in a list item's continuation. So the essay's MyST is read
with markdown-it-py, the parser MyST itself uses: each inline link it finds
is located in the text and its address re-pointed at an essay, a copied
file or a page of the old site. A link to nothing in the old site keeps its
text and is reported. Links inside directives whose content is Markdown
(``list-table``, admonitions) are found the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_inline.link import link as commonmark_link
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin

from essaysite.jekyll.kramdown_syntax import Resolved

# Directives whose content MyST reads as Markdown (the importer writes the first).
MARKDOWN_DIRECTIVES = {"list-table", "admonition", "note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso"}


@dataclass
class Found:
    """An inline link, by positions in the inline text it was found in."""

    src: str
    start: int  # its `[`
    label_end: int  # its `]`
    end: int  # just after its `)`
    dest: tuple[int, int] | None  # its address (None: a reference link)


def parser(found: list[Found]) -> MarkdownIt:
    """MyST's reading of links (CommonMark, tables, MyST blocks, $ maths); each link recorded."""

    def recording_link(state, silent: bool) -> bool:
        start = state.pos
        if not commonmark_link(state, silent):
            return False
        if not silent:
            end = state.pos
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
            state.pos = end
            found.append(Found(state.src, start, label_end, end, destination(state, label_end, end)))
        return True

    md = MarkdownIt("commonmark").enable("table")
    md.use(myst_block_plugin).use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=True, double_inline=False)
    md.inline.ruler.at("link", recording_link)
    return md


def destination(state, label_end: int, end: int) -> tuple[int, int] | None:
    """Where the address of ``[text](address "title")`` is, if it is written inline."""
    src = state.src
    if label_end + 1 >= end or src[label_end + 1] != "(" or src[end - 1] != ")":
        return None
    pos = label_end + 2
    while pos < end and src[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(src, pos, end)
    if not result.ok or result.pos == pos:
        return None
    return pos, result.pos


def point_links(text: str, resolve: Callable[[str], Resolved], lose: Callable[[str, str, str], None]) -> str:
    """``text`` with each link's address re-pointed, and links to nothing turned into their text."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    for found, place in links_in(text, lines, 0):
        if found.dest is None:
            continue  # a reference link: its definition is re-pointed instead
        raw = found.src[found.dest[0] : found.dest[1]]
        url = unescapeAll(raw[1:-1] if raw.startswith("<") else raw)
        resolved = resolve(url)
        positions = [place(p) for p in (found.start, found.label_end, found.end - 1, found.dest[0], found.dest[1] - 1)]
        if None in positions:
            if resolved.kind in {"post", "file", "page", "missing"}:
                lose("link", f"link to {url} could not be re-pointed (its line is not as MyST reads it): kept as written", url)
            continue
        start, label_end, last, dest_start, dest_last = (starts[line] + col for line, col in positions)
        if resolved.kind == "missing":
            lose("link", f"link to {url} points at nothing in the old site: kept its text only", url)
            edits.extend([(start, start + 1, ""), (label_end, last + 1, "")])
        elif resolved.kind in {"post", "file", "page"} and resolved.target != url:
            edits.append((dest_start, dest_last + 1, address(resolved.target)))
    for begin, stop, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[stop:]
    return text


def address(target: str) -> str:
    """A link address as CommonMark reads it: in angle brackets if it has spaces or parentheses."""
    if any(c in target for c in " \t()<>"):
        return "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return target


def links_in(text: str, lines: list[str], first_line: int):
    """Every inline link of ``text`` (lines ``first_line`` on of the essay), with a
    function from a position in its inline text to (line, column) in the essay."""
    found: list[Found] = []
    tokens = parser(found).parse(text, {})
    by_source: dict[int, list[Found]] = {}
    for link in found:
        by_source.setdefault(id(link.src), []).append(link)
    cursor: dict[int, int] = {}  # where the next cell of a table row is looked for
    previous = None
    for token in tokens:
        if token.type == "fence" and token.map and directive(token.info) in MARKDOWN_DIRECTIVES:
            yield from links_in(token.content, lines, first_line + token.map[0] + 1)
        cell, previous = previous in {"td_open", "th_open"}, token.type
        if token.type != "inline" or not token.map or id(token.content) not in by_source:
            continue
        place = placer(token.content, lines, first_line + token.map[0], cursor if cell else None)
        for link in by_source[id(token.content)]:
            yield link, place


def directive(info: str) -> str:
    info = info.strip()
    return info[1 : info.find("}")] if info.startswith("{") and "}" in info else ""


def placer(content: str, lines: list[str], first: int, cells: dict[int, int] | None) -> Callable[[int], tuple[int, int] | None]:
    """Positions in an inline token's text to (line, column) of the essay.

    The token's text is its lines less what marks the block (indentation,
    ``- ``, ``> ``, the heading's ``#``): each of its lines is the end of the
    essay's line, or inside it for a heading. A table cell is found in its
    row after the cell before (``cells``: where that one ended).
    """
    columns: list[int | None] = []
    for n, piece in enumerate(content.split("\n")):
        number = first + n
        line = lines[number] if number < len(lines) else ""
        if cells is not None:
            column = line.find(piece, cells.get(number, 0))
            cells[number] = column + len(piece)
        elif line.endswith(piece):
            column = len(line) - len(piece)
        elif line.rstrip().endswith(piece):
            column = len(line.rstrip()) - len(piece)
        else:
            column = line.find(piece)
        columns.append(column if column >= 0 else None)

    def place(position: int) -> tuple[int, int] | None:
        n = content.count("\n", 0, position)
        column = columns[n]
        if column is None:
            return None
        return first + n, column + position - (content.rfind("\n", 0, position) + 1)

    return place
