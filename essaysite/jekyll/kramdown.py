"""kramdown, Jekyll's Markdown, to MyST: the blocks of a post.

Most of kramdown is CommonMark-like and MyST reads it as it is (footnotes,
definition lists, pipe tables). What differs is translated here, block by
block, and line by line within a block:

- fenced code gets a language the highlighter knows (``kramdown`` spells
  ``~~~`` followed by ``{: .language-ruby}``);
- attribute lists, on blocks, headings and pictures, in
  ``kramdown_attributes``;
- ``{#id}`` on a heading becomes a label, ``{:toc}`` a ``contents``
  directive;
- abbreviation definitions are collected (``kramdown_inline`` uses them);
- tables without a header row become ``list-table`` directives;
- setext headings become ``#`` headings, so that their levels can be shifted;
- ``{::comment}`` and ``{::nomarkdown}`` become an HTML comment and raw HTML;
- HTML blocks keep their HTML, their addresses re-pointed;
- inline kramdown in prose lines, in ``kramdown_inline``.
"""

from __future__ import annotations

import re

from essaysite.jekyll.code import language
from essaysite.jekyll.kramdown_attributes import apply_attributes, attribute_dict, myst_attributes, parse_attributes, picture_block
from essaysite.jekyll.kramdown_inline import inline, table
from essaysite.jekyll.kramdown_syntax import ATX, FENCE, IAL_LINE, IMAGE, LINK, Context, link_target

ALD_LINE = re.compile(r"^[ ]{0,3}\{:(?P<name>[\w-]+):(?P<body>[^}]*)\}[ \t]*$")
EXTENSION_LINE = re.compile(r"^[ ]{0,3}\{::(?P<name>\w+)(?P<body>[^}]*?)/?\}[ \t]*$")
QUOTED_IAL = re.compile(r"^[ ]{0,3}(>[ \t]*)+\{:[^}]*\}[ \t]*$")
ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[(?P<abbr>[^\]]+)\]:[ \t]*(?P<text>.*)$")
SETEXT = re.compile(r"^(?P<char>=+|-+)[ \t]*$")
LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]+")
TABLE_ROW = re.compile(r"^[ ]{0,3}\|")
REFERENCE_DEFINITION = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]^][^\]]*\]:[ \t]*)(?P<url>\S+)(?P<tail>.*)$")
HTML_IMG = re.compile(r"^[ \t]*(?:<p>[ \t]*)?<img\b(?P<attrs>[^>]*?)/?>[ \t]*(?:</p>)?[ \t]*$", re.I)
HTML_BLOCK = re.compile(
    r"^[ ]{0,3}<(?:!--|/?(?:address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|"
    r"footer|form|h[1-6]|header|hr|iframe|li|main|nav|ol|p|picture|pre|script|section|style|table|ul|video|audio)\b)",
    re.I,
)
# MathJax's display delimiters as kramdown passes them on: \\[ ... \\].
DISPLAY_LINE = re.compile(r"^[ ]{0,3}\\\\\[(?P<body>.*)\\\\\][ \t]*$")
DISPLAY_END = re.compile(r"\\\\\][ \t]*$")
# An empty HTML anchor (`<a name="x"></a>`), alone on its line or inside one.
ANCHOR = re.compile(r"<a\s+(?P<attrs>(?:(?:name|id)\s*=\s*[\"'][^\"']+[\"']\s*)+)>\s*</a>", re.I)
ANCHOR_LINE = re.compile(r"^[ ]{0,3}" + ANCHOR.pattern + r"[ \t]*$", re.I)
HTML_HEADING = re.compile(r"^[ ]{0,3}<h(?P<level>[1-6])(?P<attrs>[^>]*)>(?P<text>[^<]*(?:<(?!/?h[1-6])[^<]*)*)</h(?P=level)>[ \t]*$", re.I)
RAW_END = {"<!--": "-->", "<pre": "</pre>", "<script": "</script>", "<style": "</style>"}
# A MyST directive in a colon fence (an admonition the Liquid step wrote), and its options.
COLON_DIRECTIVE = re.compile(r"^:{3,}\{[\w-]+\}")
DIRECTIVE_OPTION = re.compile(r"^:[\w-]+:( |$)")
# A prose line that MyST would read as its own syntax: a comment, a target, a block break.
MYST_LINE = re.compile(r"^([ ]{0,3})(%|\(.*\)=[ \t]*$|\+\+\+)")


def convert(text: str, ctx: Context) -> str:
    lines = collect_definitions(text.split("\n"), ctx)
    out: list[str] = []
    block_start = 0  # index in `out` where the current block starts
    pending = None  # attribute list waiting for the next block
    i = 0
    previous_blank = True
    in_list = False
    while i < len(lines):
        line = lines[i]
        blank = not line.strip()
        if blank:
            out.append(line)
            previous_blank = True
            i += 1
            continue
        starts_block = previous_blank
        if starts_block:
            block_start = len(out)
            if not line.startswith((" ", "\t")):
                in_list = bool(LIST_ITEM.match(line))
        elif LIST_ITEM.match(line):
            in_list = True  # a list may start right after a paragraph (GFM, Jekyll's default)
        previous_blank = False

        fence = FENCE.match(line)
        if fence:
            i = copy_fence(lines, i, fence, out, ctx)
            continue
        if starts_block and re.match(r"^(    |\t)", line) and not in_list:
            while i < len(lines) and (not lines[i].strip() or re.match(r"^(    |\t)", lines[i])):
                out.append(lines[i])
                i += 1
            previous_blank = not out[-1].strip()
            continue

        if COLON_DIRECTIVE.match(line):  # written by the Liquid step: its options are no prose
            out.append(line)
            i += 1
            while i < len(lines) and DIRECTIVE_OPTION.match(lines[i]):
                out.append(lines[i])
                i += 1
            continue
        if QUOTED_IAL.match(line):
            ctx.lose("attribute", f"attribute list {line.strip()} inside a quote dropped", line.strip())
            i += 1
            continue
        ial = IAL_LINE.match(line)
        if ial:
            body = ial.group("body").strip()
            if body == "toc" or body.startswith("toc "):
                if out and LIST_ITEM.match(out[-1]):
                    out.pop()
                out.append("```{contents}\n:local:\n```")
                ctx.note("{:toc} converted to a contents directive")
            elif starts_block:
                pending = parse_attributes(body)
                previous_blank = True  # the IAL line is not part of a block
            else:
                apply_attributes(out, block_start, parse_attributes(body), ctx)
            i += 1
            continue
        extension = EXTENSION_LINE.match(line)
        if extension:
            i = kramdown_extension(lines, i, extension, out, ctx)
            continue

        if starts_block and line.lstrip().startswith("$$"):
            i = copy_maths(lines, i, out)
            continue
        if starts_block and line.strip().startswith("\\\\[") and DISPLAY_END.search(line.strip()[3:] if line.strip() != "\\\\[" else "") is None:
            i = copy_mathjax_display(lines, i, out, ctx)
            continue
        if starts_block and DISPLAY_LINE.match(line) and (i + 1 >= len(lines) or not lines[i + 1].strip()):
            out.extend(["$$", DISPLAY_LINE.match(line).group("body").strip(), "$$"])
            ctx.note("\\\\[ \\\\] maths converted to $$ maths")
            i += 1
            continue

        if starts_block and TABLE_ROW.match(line):
            end = i
            while end < len(lines) and TABLE_ROW.match(lines[end]):
                end += 1
            out.extend(table(lines[i:end], ctx))
            i = end
            if pending:
                apply_attributes(out, block_start, pending, ctx)
                pending = None
            continue

        heading = ATX.match(line)
        if not heading and i + 1 < len(lines) and starts_block and SETEXT.match(lines[i + 1]) and not LIST_ITEM.match(line):
            level = "#" if lines[i + 1].startswith("=") else "##"
            heading = ATX.match(f"{level} {line.strip()}")
            ctx.note("setext headings converted to # headings")
            i += 1
        if heading:
            ident = heading.group("id")
            text_ = inline(heading.group("text"), ctx)
            if ident:
                out.append(f"({ctx.label(ident)})=")
                ctx.note("{#id} heading ids converted to labels")
            out.append(f"{heading.group('hashes')} {text_}")
            block_start = len(out) - 1
            previous_blank = True  # a heading is a block of its own
            if i + 1 < len(lines) and IAL_LINE.match(lines[i + 1]):  # {: #id} right below
                apply_attributes(out, block_start, parse_attributes(IAL_LINE.match(lines[i + 1]).group("body")), ctx)
                i += 1
            if pending:
                apply_attributes(out, block_start, pending, ctx)
                pending = None
            i += 1
            continue

        anchor = ANCHOR_LINE.match(line)
        if anchor:
            out.append(f"({ctx.label(anchor_id(anchor.group('attrs')))})=")
            ctx.note("HTML anchors (<a name>, <a id>, id on an HTML heading) converted to labels")
            previous_blank = True
            i += 1
            continue
        html_heading = HTML_HEADING.match(line)
        if html_heading and starts_block and anchor_id(html_heading.group("attrs")):
            out.append(f"({ctx.label(anchor_id(html_heading.group('attrs')))})=")
            out.append("#" * int(html_heading.group("level")) + " " + inline(html_heading.group("text").strip(), ctx))
            ctx.note("HTML anchors (<a name>, <a id>, id on an HTML heading) converted to labels")
            previous_blank = True
            i += 1
            continue
        if ANCHOR.search(line):
            for found in ANCHOR.finditer(line):
                out.insert(block_start, f"({ctx.label(anchor_id(found.group('attrs')))})=")
            line = ANCHOR.sub("", line)
            ctx.note("HTML anchors (<a name>, <a id>, id on an HTML heading) converted to labels")

        html_img = HTML_IMG.match(line)
        if html_img and starts_block and (i + 1 >= len(lines) or not lines[i + 1].strip()):
            attrs = dict(re.findall(r"([\w-]+)\s*=\s*[\"']([^\"']*)[\"']", html_img.group("attrs")))
            out.extend(picture_block(attrs.get("alt", ""), attrs.get("src", ""), attrs, ctx).split("\n"))
            i += 1
            continue

        if starts_block and HTML_BLOCK.match(line):
            i = copy_html(lines, i, out, ctx)
            continue

        definition = REFERENCE_DEFINITION.match(line)
        if definition and not LINK.search(line):
            url = link_target(definition.group("url"), ctx, picture=False)
            out.append(definition.group("head") + (url or definition.group("url")) + definition.group("tail"))
            i += 1
            continue

        image_only = IMAGE.fullmatch(line.strip())
        if image_only and starts_block and (i + 1 >= len(lines) or not lines[i + 1].strip() or IAL_LINE.match(lines[i + 1])):
            values = {}
            if image_only.group("ial"):
                values = attribute_dict(image_only.group("ial"))
            if i + 1 < len(lines) and IAL_LINE.match(lines[i + 1]):
                values.update(attribute_dict("{" + IAL_LINE.match(lines[i + 1]).group("body") + "}"))
                i += 1
            if pending:
                values.update(attribute_dict(myst_attributes(*pending)))
                pending = None
            out.extend(picture_block(image_only.group("alt"), image_only.group("src"), values, ctx).split("\n"))
            i += 1
            continue

        escaped = MYST_LINE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        if escaped != line:
            ctx.note("lines that MyST would read as its own syntax (%, (x)=, +++) escaped")
        out.append(inline(escaped, ctx))
        if starts_block and pending:
            apply_attributes(out, block_start, pending, ctx)
            pending = None
        i += 1
    return "\n".join(out)


def collect_definitions(lines: list[str], ctx: Context) -> list[str]:
    """Remove abbreviation and attribute-list definitions, outside code."""
    kept, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) and not match.group("info").strip():
                fence = None
        elif match:
            fence = match.group("fence")
        elif ABBREVIATION.match(line):
            m = ABBREVIATION.match(line)
            ctx.abbreviations[m.group("abbr").strip()] = m.group("text").strip()
            ctx.note("abbreviations converted to {abbr} roles")
            continue
        elif ALD_LINE.match(line):
            ctx.lose("attribute", f"attribute list definition {{:{ALD_LINE.match(line).group('name')}:...}} dropped (not used by MyST)", line.strip())
            continue
        kept.append(line)
    return kept


def copy_fence(lines: list[str], i: int, fence: re.Match, out: list[str], ctx: Context) -> int:
    marker = fence.group("fence")
    end = i + 1
    while end < len(lines):
        close = FENCE.match(lines[end])
        if close and close.group("fence")[0] == marker[0] and len(close.group("fence")) >= len(marker) and not close.group("info").strip():
            break
        end += 1
    code = "\n".join(lines[i + 1 : end])
    info = fence.group("info").strip()
    after = end + 1
    # kramdown: ~~~ ... ~~~ followed by {: .language-ruby}
    if after < len(lines) and IAL_LINE.match(lines[after]):
        _, classes, _ = parse_attributes(IAL_LINE.match(lines[after]).group("body"))
        langs = [c[len("language-") :] for c in classes if c.startswith("language-")]
        if langs and not info:
            info = langs[0]
            after += 1
    if info.startswith("{"):  # already a MyST directive
        out.extend(lines[i : end + 1])
        return end + 1
    words = info.split(None, 1)
    lang, note = language(words[0] if words else "", code)
    if note:
        ctx.lose("code", note, lines[i])
    out.append(f"{fence.group('indent')}{marker}{lang if (words or note) else ''}")
    out.extend(lines[i + 1 : end + 1])
    if end >= len(lines):
        out.append(marker)
    return after


def copy_html(lines: list[str], i: int, out: list[str], ctx: Context) -> int:
    """An HTML block, kept as it is but for its addresses.

    kramdown ends an HTML block at its element's closing tag, blank lines
    inside included (CommonMark would end it at the first blank line and
    show the rest as code): such a block becomes a ``raw`` directive.
    """
    opening = lines[i].lstrip().lower()
    end_marker = next((end for start, end in RAW_END.items() if opening.startswith(start)), None)
    end = i
    if end_marker:
        while end < len(lines) and end_marker not in lines[end].lower():
            end += 1
    else:
        while end < len(lines) and lines[end].strip():
            end += 1
        end -= 1
        closing = element_end(lines, i)
        if closing is not None and closing > end:
            html = ctx.html("\n".join(line for line in lines[i : closing + 1] if line.strip()))
            out.extend(["```{raw} html", *html.split("\n"), "```"])
            ctx.note("HTML blocks with blank lines inside kept whole, as raw HTML")
            return closing + 1
    out.extend(ctx.html("\n".join(lines[i : end + 1])).split("\n"))
    return end + 1


def element_end(lines: list[str], i: int) -> int | None:
    """The line that closes the element opened on line ``i``, as kramdown finds it."""
    name = re.match(r"[ ]{0,3}<([a-zA-Z][\w-]*)", lines[i])
    if not name:
        return None
    opens = re.compile(rf"<{name.group(1)}\b(?![^>]*/>)", re.I)
    closes = re.compile(rf"</{name.group(1)}\s*>", re.I)
    depth = 0
    for n in range(i, len(lines)):
        depth += len(opens.findall(lines[n])) - len(closes.findall(lines[n]))
        if depth <= 0:
            return n
    return None


def copy_maths(lines: list[str], i: int, out: list[str]) -> int:
    first = lines[i].strip()
    if first != "$$" and first.endswith("$$") and len(first) > 4:
        out.append(lines[i])
        return i + 1
    end = i + 1
    while end < len(lines) and not lines[end].rstrip().endswith("$$"):
        end += 1
    out.extend(lines[i : end + 1])
    return end + 1


def anchor_id(attrs: str) -> str | None:
    """The ``id`` (else ``name``) among an HTML tag's attributes."""
    found = dict((k.lower(), v) for k, v in re.findall(r"\b(id|name)\s*=\s*[\"']([^\"']+)[\"']", attrs, re.I))
    return found.get("id") or found.get("name")


def copy_mathjax_display(lines: list[str], i: int, out: list[str], ctx: Context) -> int:
    """``\\\\[`` ... ``\\\\]`` over several lines: a ``$$`` block."""
    end = i + 1
    while end < len(lines) and not DISPLAY_END.search(lines[end]):
        end += 1
    if end >= len(lines):  # never closed: kramdown shows it as text
        out.append(lines[i])
        return i + 1
    body = [lines[i].strip()[3:], *lines[i + 1 : end], DISPLAY_END.split(lines[end])[0]]
    out.extend(["$$", *(b for b in body if b.strip()), "$$"])
    ctx.note("\\\\[ \\\\] maths converted to $$ maths")
    return end + 1


def kramdown_extension(lines: list[str], i: int, match: re.Match, out: list[str], ctx: Context) -> int:
    name = match.group("name")
    if name == "options":
        ctx.note("{::options} dropped (kramdown parser settings)")
        return i + 1
    closing = re.compile(r"^[ ]{0,3}\{:/(" + name + r")?\}[ \t]*$")
    end = i + 1
    self_closed = lines[i].rstrip().endswith("/}")
    if not self_closed:
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
    body = "\n".join(lines[i + 1 : end]) if not self_closed else ""
    if name == "comment":
        out.append("<!--" + body.replace("--", "- -") + "-->")
        ctx.note("{::comment} kept as an HTML comment")
    elif name == "nomarkdown":
        out.append("```{raw} html\n" + body + "\n```")
        ctx.note("{::nomarkdown} kept as raw HTML")
    else:
        ctx.lose("kramdown", f"kramdown extension {{::{name}}} kept as text", lines[i].strip())
        out.extend(lines[i : end + 1])
    return end + 1 if not self_closed else i + 1
