"""Inline kramdown in a line of prose, and tables, to MyST.

- pictures that point into the old site are pointed at the copied files (a
  missing one shows its alt text); links are re-pointed later, in
  ``myst_links``, once the whole essay can be read as MyST reads it;
- ``$$...$$`` inside a paragraph becomes inline maths (``$...$``), and a lone
  ``$`` is escaped (kramdown does not treat it as maths, MyST does);
- abbreviations (``*[HTML]: ...``) become ``{abbr}`` roles;
- ``~~struck~~`` (GitHub-flavoured, Jekyll's default) becomes ``<del>``;
- jemoji's ``:tada:`` becomes 🎉 (``shortcodes``), when the site uses jemoji;
- tables without a header row become ``list-table`` directives.
"""

from __future__ import annotations

import re
from typing import Callable

from essaysite.jekyll import shortcodes
from essaysite.jekyll.kramdown_attributes import attribute_dict, myst_attributes, size
from essaysite.jekyll.kramdown_syntax import IMAGE, LINK, Context

TABLE_SEPARATOR = re.compile(r"^[ ]{0,3}\|?[ \t]*:?[-=]+:?[ \t]*(\|[ \t]*:?[-=]+:?[ \t]*)*\|?[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
# A link to nowhere: `[text]()`, `[text]( )`, `[text](<>)`, `[text](#)`.
EMPTY_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\([ \t]*(?:<[ \t]*>|#)?[ \t]*\)")
# kramdown's $$x$$ in a paragraph, and \\(x\\) and \\[x\\] (written for MathJax).
INLINE_MATHS = re.compile(r"(\$\$.+?\$\$|\\\\\(.+?\\\\\)|\\\\\[.+?\\\\\])")
HTML_TAG = re.compile(r"<(?:img|a|source|video|audio|embed|iframe|object|track)\b[^>]*>", re.I)
PROTECTED = re.compile(r"\]\([^)]*\)|<[^>]+>|\{[\w-]+\}`[^`]*`|https?://\S+|\x00\w+\x00")


def inline(line: str, ctx: Context) -> str:
    """Inline kramdown in one line of prose; code spans are left alone."""
    out, pos = [], 0
    for match in CODE_SPAN.finditer(line):
        out.append(inline_prose(line[pos : match.start()], ctx))
        code = match.group(0)
        after = line[match.end() :]
        ial = re.match(r"\{:\s*([^}]*)\}", after)
        out.append(code)
        pos = match.end()
        if ial:
            out.append("{" + ial.group(1).strip() + "}")
            pos += ial.end()
    out.append(inline_prose(line[pos:], ctx))
    return "".join(out)


def inline_prose(text: str, ctx: Context) -> str:
    if not text:
        return text

    def image(match: re.Match) -> str:
        alt, src = match.group("alt"), match.group("src")
        resolved = ctx.resolve_url(src, True)
        if resolved.kind == "missing":
            ctx.lose("picture", f"picture {src} not found: its alt text {alt!r} is shown instead", src)
            return f"*{alt or src}*"
        target = resolved.target if resolved.kind == "file" else src
        attrs = ""
        if match.group("ial"):
            values = attribute_dict(match.group("ial"))
            values.pop("style", None)
            if "width" in values:
                values["width"] = size(values["width"])
            ident = values.pop("id", None)
            classes = values.pop("class", "").split()
            attrs = myst_attributes(ident, classes, values)
            ctx.note("attribute lists on inline pictures converted to MyST attributes")
        title = f' "{match.group("title")}"' if match.group("title") else ""
        return f"![{alt}]({target}{title}){attrs}"

    def bare_address(match: re.Match) -> str:
        """kramdown's ``[text](/a b.pdf)``, in CommonMark's spelling: ``[text](</a b.pdf>)``."""
        url = match.group("url")
        if " " not in url or url.startswith("<"):
            return match.group(0)
        return f"[{match.group('text')}](<{url}>{match.group('title') or ''})"

    def empty(match: re.Match) -> str:
        ctx.lose("link", f"empty link [{match.group('text')}]: kept its text", match.group(0))
        return match.group("text")

    # Inline HTML (<img> in a sentence, inside <a>): its addresses re-pointed too.
    text = HTML_TAG.sub(lambda m: ctx.html(m.group(0)), text)
    text = EMPTY_LINK.sub(empty, text)
    text = IMAGE.sub(image, text)
    # Links are re-pointed once the whole essay is written (myst_links), as MyST reads them.
    text = LINK.sub(bare_address, text)
    # GitHub-flavoured strikethrough (Jekyll's default kramdown input is GFM).
    struck = re.sub(r"(?<!~)~~(?=\S)(.+?)(?<=\S)~~(?!~)", r"<del>\1</del>", text)
    if struck != text:
        ctx.note("~~strikethrough~~ converted to <del>")
        text = struck
    # Inline attribute lists on emphasis become spans: [*text*]{.class}
    text = re.sub(r"(\*\*?[^*]+\*\*?)\{:\s*([^}]*)\}", lambda m: f"[{m.group(1)}]{{{m.group(2).strip()}}}", text)
    text = re.sub(r"(\))\{:\s*([^}]*)\}", lambda m: f"{m.group(1)}{{{m.group(2).strip()}}}", text)
    text = protected_sub(text, lambda part: abbreviations(maths(part, ctx), ctx))
    return shortcodes.convert(text, ctx.lose, ctx.note) if ctx.emoji else text


def protected_sub(text: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to the parts of ``text`` that are not link targets, tags or roles."""
    out, pos = [], 0
    for match in PROTECTED.finditer(text):
        out.append(fn(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(fn(text[pos:]))
    return "".join(out)


def maths(text: str, ctx: Context) -> str:
    """kramdown's inline ``$$x$$``, and the MathJax delimiters it passes on
    (``\\\\(x\\\\)``, ``\\\\[x\\\\]``), to MyST's ``$x$``; a lone ``$`` escaped."""
    parts = INLINE_MATHS.split(text)
    for n, part in enumerate(parts):
        if n % 2:
            parts[n] = "$" + part[3:-3].strip() + "$" if part.startswith("\\") else "$" + part[2:-2] + "$"
            ctx.note("inline maths converted to $ maths")
        else:
            parts[n] = re.sub(r"(?<!\\)\$", r"\\$", part)
    return "".join(parts)


def abbreviations(text: str, ctx: Context) -> str:
    for abbr, meaning in ctx.abbreviations.items():
        text = re.sub(rf"(?<![\w`]){re.escape(abbr)}(?![\w`])", lambda m: f"{{abbr}}`{abbr} ({meaning})`", text)
    return text


def table(rows: list[str], ctx: Context) -> list[str]:
    """A kramdown table: kept as a pipe table, or a list-table if it has no header."""
    body = [r for r in rows if not (TABLE_SEPARATOR.match(r) and "-" in r or re.match(r"^[ ]{0,3}\|?[ \t]*=+", r))]
    if len(rows) > 1 and TABLE_SEPARATOR.match(rows[1]) and "=" not in rows[1]:
        kept = [rows[0], rows[1]] + [r for r in rows[2:] if r in body]
        if len(kept) != len(rows):
            ctx.note("kramdown table section separators dropped")
        return [inline(r, ctx) for r in kept]
    ctx.note("table without a header row converted to a list-table")
    out = ["```{list-table}"]
    for row in body:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        out.append("* - " + inline(cells[0], ctx))
        out.extend("  - " + inline(c, ctx) for c in cells[1:])
    out.append("```")
    return out
