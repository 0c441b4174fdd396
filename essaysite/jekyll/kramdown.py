"""kramdown, Jekyll's Markdown, to MyST.

Most of kramdown is CommonMark-like and MyST reads it as it is (footnotes,
definition lists, pipe tables). What differs is translated:

- block attribute lists (``{: .class #id key="v"}``, before or after the
  block) become MyST block attributes (``{.class #id key="v"}``), and the
  Minimal Mistakes ``.notice*`` classes become admonitions;
- attribute lists on pictures become the ``image`` directive's options;
- ``{#id}`` on a heading becomes a label, ``{:toc}`` a ``contents``
  directive, ``{: .no_toc}`` is dropped;
- abbreviations (``*[HTML]: ...``) become ``{abbr}`` roles;
- ``$$...$$`` inside a paragraph becomes inline maths (``$...$``), and a lone
  ``$`` is escaped (kramdown does not treat it as maths, MyST does);
- tables without a header row become ``list-table`` directives;
- setext headings become ``#`` headings, so that their levels can be shifted;
- ``~~struck~~`` (GitHub-flavoured, Jekyll's default) becomes ``<del>``;
- links and pictures that point into the old site are pointed at the new
  essays (checked links) and at the copied files.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Callable

from essaysite.jekyll.code import language

FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
IAL_LINE = re.compile(r"^[ ]{0,3}\{:(?!:)(?P<body>[^}]*)\}[ \t]*$")
ALD_LINE = re.compile(r"^[ ]{0,3}\{:(?P<name>[\w-]+):(?P<body>[^}]*)\}[ \t]*$")
EXTENSION_LINE = re.compile(r"^[ ]{0,3}\{::(?P<name>\w+)(?P<body>[^}]*?)/?\}[ \t]*$")
QUOTED_IAL = re.compile(r"^[ ]{0,3}(>[ \t]*)+\{:[^}]*\}[ \t]*$")
ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[(?P<abbr>[^\]]+)\]:[ \t]*(?P<text>.*)$")
ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]*\{:?[ \t]*#(?P<id>[\w:-]+)[ \t]*\})?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^(?P<char>=+|-+)[ \t]*$")
LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]+")
TABLE_ROW = re.compile(r"^[ ]{0,3}\|")
TABLE_SEPARATOR = re.compile(r"^[ ]{0,3}\|?[ \t]*:?[-=]+:?[ \t]*(\|[ \t]*:?[-=]+:?[ \t]*)*\|?[ \t]*$")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:[ \t]+\"(?P<title>[^\"]*)\")?\)(?P<ial>\{:?[^}]*\})?")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?P<title>[ \t]+\"[^\"]*\")?\)")
REFERENCE_DEFINITION = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]^][^\]]*\]:[ \t]*)(?P<url>\S+)(?P<tail>.*)$")
HTML_IMG = re.compile(r"^[ \t]*(?:<p>[ \t]*)?<img\b(?P<attrs>[^>]*?)/?>[ \t]*(?:</p>)?[ \t]*$", re.I)
HTML_BLOCK = re.compile(
    r"^[ ]{0,3}<(?:!--|/?(?:address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|"
    r"footer|form|h[1-6]|header|hr|iframe|li|main|nav|ol|p|picture|pre|script|section|style|table|ul|video|audio)\b)",
    re.I,
)
RAW_END = {"<!--": "-->", "<pre": "</pre>", "<script": "</script>", "<style": "</style>"}
# A prose line that MyST would read as its own syntax: a comment, a target, a block break.
MYST_LINE = re.compile(r"^([ ]{0,3})(%|\(.*\)=[ \t]*$|\+\+\+)")
NOTICE = {"notice": "note", "notice--info": "note", "notice--primary": "important", "notice--success": "tip", "notice--warning": "warning", "notice--danger": "danger"}


@dataclass
class Resolved:
    kind: str  # "post", "file", "missing", "external", "page"
    target: str | None = None


@dataclass
class Context:
    resolve_url: Callable[[str, bool], Resolved]  # (url, is_picture) -> where it goes now
    label: Callable[[str], str]  # a heading id -> a label unique in the site
    html: Callable[[str], str] = lambda text: text  # addresses inside raw HTML re-pointed
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)

    def note(self, message: str) -> None:
        if message not in self.changes:
            self.changes.append(message)


def parse_attributes(body: str) -> tuple[str | None, list[str], dict[str, str]]:
    """``.class #id key="value"`` of an attribute list."""
    ident, classes, values = None, [], {}
    try:
        parts = shlex.split(body)
    except ValueError:
        parts = body.split()
    for part in parts:
        if part.startswith("#"):
            ident = part[1:]
        elif part.startswith("."):
            classes.append(part[1:])
        elif "=" in part:
            key, value = part.split("=", 1)
            values[key] = value
    return ident, classes, values


def myst_attributes(ident: str | None, classes: list[str], values: dict[str, str]) -> str:
    parts = [f"#{ident}"] if ident else []
    parts += [f".{c}" for c in classes]
    parts += [f'{k}="{v}"' for k, v in values.items()]
    return "{" + " ".join(parts) + "}"


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

        if QUOTED_IAL.match(line):
            ctx.problems.append(f"attribute list {line.strip()} inside a quote dropped")
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
            ctx.problems.append(f"attribute list definition {{:{ALD_LINE.match(line).group('name')}:...}} dropped (not used by MyST)")
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
        ctx.problems.append(note)
    out.append(f"{fence.group('indent')}{marker}{lang if (words or note) else ''}")
    out.extend(lines[i + 1 : end + 1])
    if end >= len(lines):
        out.append(marker)
    return after


def copy_html(lines: list[str], i: int, out: list[str], ctx: Context) -> int:
    """An HTML block, as CommonMark ends it, kept as it is but for its addresses."""
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
    out.extend(ctx.html("\n".join(lines[i : end + 1])).split("\n"))
    return end + 1


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
        ctx.problems.append(f"kramdown extension {{::{name}}} kept as text")
        out.extend(lines[i : end + 1])
    return end + 1 if not self_closed else i + 1


def attribute_dict(ial: str) -> dict[str, str]:
    ident, classes, values = parse_attributes(ial.strip("{}").lstrip(":"))
    if ident:
        values["id"] = ident
    if classes:
        values["class"] = " ".join(classes)
    return values


def apply_attributes(out: list[str], start: int, attributes, ctx: Context) -> None:
    """Give the block that starts at ``out[start]`` these kramdown attributes."""
    ident, classes, values = attributes
    notices = [c for c in classes if c in NOTICE]
    if start < len(out) and ATX.match(out[start]):
        if ident:
            out.insert(start, f"({ctx.label(ident)})=")
            ctx.note("{: #id} on headings converted to labels")
        rest = [c for c in classes if c != "no_toc"]
        if "no_toc" in classes:
            ctx.note("{: .no_toc} dropped (the contents list shows every section)")
        if rest or values:
            ctx.problems.append(f"attributes {myst_attributes(None, rest, values)} on a heading dropped")
        return
    if notices:
        kind = NOTICE[notices[0]]
        block = out[start:]
        del out[start:]
        out.append(f":::{{{kind}}}")
        out.extend(block)
        out.append(":::")
        ctx.note(f"{{: .{notices[0]}}} converted to a {kind} admonition")
        classes = [c for c in classes if c not in NOTICE]
        if not (ident or classes or values):
            return
        start = len(out) - len(block) - 2
    if "style" in values:
        ctx.problems.append(f'style="{values.pop("style")}" dropped (the site\'s stylesheet decides)')
    if ident or classes or values:
        out.insert(start, myst_attributes(ident, classes, values))
        ctx.note("block attribute lists converted to MyST attributes")


def picture_block(alt: str, src: str, values: dict[str, str], ctx: Context) -> str:
    """A picture on its own line: an ``image`` directive, or its alt text if missing."""
    resolved = ctx.resolve_url(src, True)
    if resolved.kind == "missing":
        ctx.problems.append(f"picture {src} not found: its alt text {alt!r} is shown instead")
        # A rubric, not a paragraph: the alt text is not taken for the excerpt.
        return f"% picture not found: {src}\n```{{rubric}} {escape_inline(alt) or src}\n:class: missing-picture\n```"
    target = resolved.target if resolved.kind == "file" else src
    options = {"alt": alt} if alt else {}
    if "width" in values:
        options["width"] = size(values.pop("width"))
    if "height" in values:
        options["height"] = size(values.pop("height"))
    style = values.pop("style", "")
    classes = values.pop("class", "").split()
    align = values.pop("align", "")
    if "align-center" in classes or ("margin-left:auto" in style.replace(" ", "") and "margin-right:auto" in style.replace(" ", "")):
        align = "center"
    for side in ("left", "right"):
        if f"align-{side}" in classes or re.search(rf"float:\s*{side}", style):
            align = side
    classes = [c for c in classes if not c.startswith("align-")]
    if align:
        options["align"] = align
    if classes:
        options["class"] = " ".join(classes)
    dropped = {k: v for k, v in values.items() if k not in {"id", "title"}}
    if dropped:
        ctx.problems.append(f"picture {src}: attributes {dropped} dropped")
    if style and not align:
        ctx.problems.append(f"picture {src}: style {style!r} dropped")
    ctx.note("pictures on a line of their own converted to image directives")
    head = f"```{{image}} {target}"
    return "\n".join([head, *(f":{k}: {v}" for k, v in options.items()), "```"])


def size(value: str) -> str:
    return value + "px" if re.fullmatch(r"\d+", value) else value


def escape_inline(text: str) -> str:
    return re.sub(r"([*_`\[\]])", r"\\\1", text)


def link_target(url: str, ctx: Context, picture: bool) -> str | None:
    """Where a link or picture of the old site points now (None: leave as is)."""
    resolved = ctx.resolve_url(url, picture)
    if resolved.kind in {"post", "file", "page"}:
        return resolved.target
    return None


CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
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
            ctx.problems.append(f"picture {src} not found: its alt text {alt!r} is shown instead")
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

    def link(match: re.Match) -> str:
        url = match.group("url")
        target = link_target(url, ctx, picture=False)
        if target is None and ctx.resolve_url(url, False).kind == "missing":
            ctx.problems.append(f"link to {url} points at nothing in the old site: kept its text only")
            return match.group("text")
        return f"[{match.group('text')}]({target or url}{match.group('title') or ''})"

    text = IMAGE.sub(image, text)
    text = LINK.sub(link, text)
    # GitHub-flavoured strikethrough (Jekyll's default kramdown input is GFM).
    struck = re.sub(r"(?<!~)~~(?=\S)(.+?)(?<=\S)~~(?!~)", r"<del>\1</del>", text)
    if struck != text:
        ctx.note("~~strikethrough~~ converted to <del>")
        text = struck
    # Inline attribute lists on emphasis become spans: [*text*]{.class}
    text = re.sub(r"(\*\*?[^*]+\*\*?)\{:\s*([^}]*)\}", lambda m: f"[{m.group(1)}]{{{m.group(2).strip()}}}", text)
    text = re.sub(r"(\))\{:\s*([^}]*)\}", lambda m: f"{m.group(1)}{{{m.group(2).strip()}}}", text)
    return protected_sub(text, lambda part: abbreviations(maths(part, ctx), ctx))


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
    """kramdown's inline ``$$x$$`` to MyST's ``$x$``; a lone ``$`` escaped."""
    parts = re.split(r"(\$\$.+?\$\$)", text)
    for n, part in enumerate(parts):
        if n % 2:
            parts[n] = "$" + part[2:-2] + "$"
            ctx.note("inline $$ maths converted to $ maths")
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
