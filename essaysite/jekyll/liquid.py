"""Liquid, Jekyll's template language, to MyST.

Jekyll renders Liquid before Markdown, everywhere in a post. Here:

- ``{% raw %}`` content stays literal (it is set aside first);
- ``{% highlight lang linenos %}`` becomes a code block;
- ``{% post_url %}`` and ``{% link %}`` become links to the other essay's
  ``.md`` file, which the build checks;
- ``{{ site.baseurl }}``, ``{{ site.url }}``, ``relative_url`` and
  ``absolute_url`` are resolved as Jekyll does (``kramdown`` then points the
  old site's addresses at the new pages and copies), and ``date`` formats;
- ``{{ site.x }}`` and ``{{ page.x }}`` with a plain value are filled in;
- ``{% include %}`` is rendered from ``_includes/`` when the include only
  fills in its parameters, and otherwise becomes an admonition that keeps
  the parameters' text;
- ``{% comment %}`` becomes an HTML comment;
- jekyll-scholar's ``{% cite %}`` and ``{% bibliography %}`` become the
  site's citations (``essaysite.jekyll.scholar``);
- anything else is kept, as text, in an admonition, and reported.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from essaysite import confinement
from essaysite.jekyll import scholar
from essaysite.jekyll.code import code_block
from essaysite.jekyll.report import Loss

def tag(name: str, args: bool = True) -> str:
    """A Liquid tag ``{% name args %}``, with ``args`` captured if asked."""
    return r"\{%-?\s*" + name + (r"\b(?P<args>.*?)" if args else r"\s*") + r"-?%\}"


RAW = re.compile(tag("raw", False) + r"(?P<body>.*?)" + tag("endraw", False), re.S)
COMMENT = re.compile(tag("comment", False) + r"(?P<body>.*?)" + tag("endcomment", False), re.S)
HIGHLIGHT = re.compile(r"[ \t]*" + tag("highlight") + r"[ \t]*\n?(?P<body>.*?)\n?[ \t]*" + tag("endhighlight", False), re.S)
# A tag may span lines: `{% link\n_posts/x.md %}`.
POST_URL = re.compile(tag("post_url"), re.S)
LINK = re.compile(tag("link"), re.S)
# Tags that show nothing on the page: the reader saw nothing where they stand.
SILENT = re.compile(tag("assign") + "|" + tag("capture", False) + r".*?" + tag("endcapture", False), re.S)
INCLUDE = re.compile(tag("include(?:_relative)?"))
OUTPUT = re.compile(r"\{\{-?\s*(?P<expr>.*?)\s*-?\}\}", re.S)
BLOCK_TAG = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}", re.S)
PLACEHOLDER = "\x00{kind}{index}\x00"
PLACEHOLDER_RE = re.compile("\x00[A-Z](\\d+)\x00")
NEW_PAGE = "\x01"  # marks a link already pointing at a new page (in HTML posts)


@dataclass
class Context:
    """What Liquid needs from the site and the importer."""

    site: dict
    page: dict
    includes: Path | None
    # "2019-03-04-name" or "_posts/2019-03-04-name.md" -> link target ("name.md"), or None
    resolve_post: Callable[[str], str | None]
    changes: list[str] = field(default_factory=list)
    problems: list[Loss] = field(default_factory=list)
    saved: list[tuple[str, str]] = field(default_factory=list)  # (converted, as written)
    pending: dict[int, Loss] = field(default_factory=dict)  # losses of pieces a larger one may take in

    def note(self, message: str) -> None:
        if message not in self.changes:
            self.changes.append(message)

    def lose(self, kind: str, message: str, snippet: str = "") -> None:
        """Something the essay cannot show as Jekyll did (``snippet``: the text it is about)."""
        self.problems.append(Loss(kind, message, snippet))

    def keep(self, text: str, kind: str = "R", written: str | None = None) -> str:
        """Set ``text`` aside (``written``: the Liquid it replaces); a placeholder for it."""
        self.saved.append((text, text if written is None else written))
        return PLACEHOLDER.format(kind=kind, index=len(self.saved) - 1)

    def restore(self, text: str, as_written: bool = False) -> str:
        """The text with every piece set aside put back, also inside pieces set aside later
        (``as_written``: the Liquid the author wrote, not what it became)."""
        return PLACEHOLDER_RE.sub(lambda m: self.restore(self.saved[int(m.group(1))][as_written], as_written), text)

    def taken_in(self, text: str) -> None:
        """The pieces set aside in ``text`` are reported with it, not on their own."""
        for match in PLACEHOLDER_RE.finditer(text):
            self.pending.pop(int(match.group(1)), None)
            self.taken_in(self.saved[int(match.group(1))][1])


def convert(text: str, ctx: Context, html: bool = False) -> str:
    """The text with its Liquid converted (see the module's docstring)."""
    text = RAW.sub(lambda m: (ctx.note("{% raw %} kept literal"), ctx.keep(m.group("body"), written=m.group(0)))[1], text)
    text = COMMENT.sub(lambda m: comment(m, ctx), text)
    if not html:
        text = HIGHLIGHT.sub(lambda m: highlight(m, ctx), text)
    text = convert_links(text, ctx, html)
    text = scholar.convert(
        text,
        ctx.note,
        lambda message, snippet: ctx.lose("citation", message, snippet),
        lambda converted, written: ctx.keep(converted, written=written),
        lambda written: as_text(written, ctx, html),
    )
    text = INCLUDE.sub(lambda m: include(m, ctx, html), text)
    text = OUTPUT.sub(lambda m: output(m, ctx), text)
    text = SILENT.sub(lambda m: (ctx.note("{% assign %} and {% capture %} dropped (they show nothing on the page)"), "")[1], text)
    text = leftover_tags(text, ctx, html)
    ctx.problems.extend(ctx.pending.values())
    ctx.pending.clear()
    return ctx.restore(text)


def comment(match: re.Match, ctx: Context) -> str:
    ctx.note("{% comment %} kept as an HTML comment")
    return ctx.keep("<!--" + match.group("body").replace("--", "- -") + "-->", written=match.group(0))


def highlight(match: re.Match, ctx: Context) -> str:
    words = match.group("args").split()
    lang = words[0] if words else "text"
    options = {}
    rest = " ".join(words[1:])
    if re.search(r"\blinenos\b", rest):
        options["linenos"] = ""
    lines = re.search(r"hl_lines=[\"']([\d\s]+)[\"']", rest)
    if lines:
        options["emphasize-lines"] = ",".join(lines.group(1).split())
    block, note = code_block(match.group("body"), lang, options)
    ctx.note("{% highlight %} converted to a code block")
    if note:
        ctx.lose("code", note, match.group(0))
    return ctx.keep(block, "C", written=match.group(0))


def convert_links(text: str, ctx: Context, html: bool) -> str:
    """``{% post_url %}`` and ``{% link %}``, inside a Markdown link or alone."""

    def target(kind: str, args: str) -> str | None:
        name = " ".join(args.split()).strip("'\"")
        found = ctx.resolve_post(name)
        if found is None:
            ctx.lose("link", f"{{% {kind} {name} %}}: no such post in the import; kept the link text only", name)
        elif html:
            ctx.note(f"{{% {kind} %}} converted to a link to the new page")
        else:
            ctx.note(f"{{% {kind} %}} converted to a checked link")
        return found

    def markdown_link(match: re.Match) -> str:
        found = target(match.group("kind"), match.group("args"))
        if found is None:
            return match.group("text")
        return f"[{match.group('text')}]({found}{match.group('anchor') or ''})"

    pattern = re.compile(
        r"\[(?P<text>[^\]]*)\]\(\s*(?:\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\})*"
        r"\{%-?\s*(?P<kind>post_url|link)\b(?P<args>.*?)-?%\}(?P<anchor>#[^)\s]*)?\s*\)",
        re.S,
    )
    if not html:
        text = pattern.sub(markdown_link, text)

    def bare(match: re.Match) -> str:
        kind = "post_url" if match.re is POST_URL else "link"
        found = target(kind, match.group("args"))
        if found is None:
            return match.group("args").strip()
        if html and found.endswith(".md"):  # raw HTML is not checked: point at the page the essay becomes
            return NEW_PAGE + found[: -len(".md")] + ".html"
        if html:  # a copied file
            return NEW_PAGE + found
        return found

    text = POST_URL.sub(bare, text)
    return LINK.sub(bare, text)


def parse_arguments(args: str) -> dict[str, str] | None:
    """``key="value" other=var`` pairs of an include, or None when not that simple."""
    try:
        parts = shlex.split(args, posix=True)
    except ValueError:
        return None
    values = {}
    for part in parts:
        if "=" not in part:
            return None
        key, value = part.split("=", 1)
        values[key] = value
    return values


def include(match: re.Match, ctx: Context, html: bool) -> str:
    args = match.group("args").strip()
    name, _, params = args.partition(" ")
    name = name.strip("'\"")
    values = parse_arguments(params) or {}
    refused = None
    try:  # inside the Jekyll site, symlinks followed; no absolute path
        path = confinement.relative_inside(ctx.includes.parent, ctx.includes, name, "the Jekyll site") if ctx.includes else None
    except confinement.Refused as error:
        path, refused = None, f"refused: {name} {error}"
    rendered = None
    if path and path.is_file():
        rendered = render_include(path.read_text(encoding="utf-8", errors="replace"), values, ctx)
    if rendered is not None:
        ctx.note(f"{{% include {name} %}} rendered from _includes/")
        return rendered.strip("\n")
    reason = refused or ("not found in _includes/" if not (path and path.is_file()) else "uses Liquid logic")
    ctx.lose("liquid", f"{{% include {name} %}} ({reason}) kept as an admonition with its parameters", match.group(0))
    if html:
        items = "".join(f"<li>{k}: {v}</li>" for k, v in values.items())
        return ctx.keep(f'<div class="admonition jekyll-include"><p class="admonition-title">Jekyll include {name}</p><ul>{items}</ul></div>', written=match.group(0))
    body = "\n".join(f"- {k}: {v}" for k, v in values.items()) or f"`{{% include {args} %}}`"
    return ctx.keep(f"\n\n:::{{admonition}} Jekyll include: {name}\n:class: jekyll-include\n\n{body}\n:::\n\n", written=match.group(0))


def render_include(source: str, values: dict[str, str], ctx: Context) -> str | None:
    """The include filled in with its parameters, or None when it has logic."""
    if "{%" in source:
        return None
    failed = False

    def fill(match: re.Match) -> str:
        nonlocal failed
        expr = match.group("expr")
        if expr.startswith("include."):
            key = expr[len("include.") :].strip()
            if key in values:
                return values[key]
        value = evaluate(expr, ctx)
        if value is None:
            failed = True
            return match.group(0)
        return value

    rendered = OUTPUT.sub(fill, source)
    return None if failed else rendered


def lookup(path: str, root: dict):
    value = root
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def evaluate(expr: str, ctx: Context) -> str | None:
    """A Liquid output expression with simple filters, or None when unsupported."""
    parts = [p.strip() for p in expr.split("|")]
    head, filters = parts[0], parts[1:]
    if re.fullmatch(r"'[^']*'|\"[^\"]*\"", head):
        value = head[1:-1]
    elif head == "site.baseurl":
        value = str(ctx.site.get("baseurl") or "").rstrip("/")
    elif head == "site.url":
        value = str(ctx.site.get("url") or "").rstrip("/")
    elif head.startswith("site."):
        value = lookup(head[5:], ctx.site)
    elif head.startswith("page."):
        value = lookup(head[5:], ctx.page)
    else:
        return None
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value)
    for f in filters:
        name, _, arg = f.partition(":")
        name, arg = name.strip(), arg.strip().strip("'\"")
        if name in {"relative_url", "absolute_url"} and not re.match(r"^[a-z][a-z0-9+.-]*:", value):
            # As Jekyll does; the old site's own addresses are resolved later.
            base = str(ctx.site.get("baseurl") or "").rstrip("/")
            value = base + "/" + value.lstrip("/")
            if name == "absolute_url":
                value = str(ctx.site.get("url") or "").rstrip("/") + value
        elif name == "date":
            value = format_date(value, arg)
            if value is None:
                return None
        elif name == "prepend":
            value = arg + value
        elif name == "append":
            value = value + arg
        elif name == "downcase":
            value = value.lower()
        elif name == "upcase":
            value = value.upper()
        elif name in {"escape", "xml_escape"}:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        else:
            return None
    return value


def format_date(value: str, pattern: str) -> str | None:
    """Liquid's ``date`` filter (Ruby's strftime, which Python's mostly shares)."""
    from dateutil import parser

    try:
        return parser.parse(value).strftime(pattern.replace("%-d", "%d").replace("%-m", "%m"))
    except (ValueError, OverflowError):
        return None


def output(match: re.Match, ctx: Context) -> str:
    value = evaluate(match.group("expr"), ctx)
    if value is None:
        placeholder = ctx.keep(match.group(0))
        ctx.pending[len(ctx.saved) - 1] = Loss("liquid", f"{match.group(0)} kept as text (not a plain site or page value)", match.group(0))
        return placeholder
    ctx.note("Liquid variables and URL filters resolved")
    return value


def leftover_tags(text: str, ctx: Context, html: bool) -> str:
    """Any other Liquid tag, kept as the author wrote it (with its block), and reported.

    A tag inside a line of prose stays in its sentence, as code; one on
    lines of its own becomes an admonition.
    """
    out, pos = [], 0
    for match in BLOCK_TAG.finditer(text):
        if match.start() < pos:
            continue
        name = match.group("name")
        end = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, match.end())
        stop = end.end() if end else match.end()
        ctx.taken_in(text[match.start() : stop])
        original = ctx.restore(text[match.start() : stop], as_written=True)
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", stop)
        inline = (text[line_start : match.start()].strip() or text[stop : len(text) if line_end < 0 else line_end].strip()) and "\n\n" not in original
        where = "as code in its sentence" if inline else "as text in an admonition"
        ctx.lose("liquid", f"Liquid {{% {name} %}} not converted; kept {where}", match.group(0))
        out.append(text[pos : match.start()])
        if html:
            tag_ = "code" if inline else "pre"
            out.append(ctx.keep(f'<{tag_} class="jekyll-liquid">{escape(original)}</{tag_}>'))
        elif inline:
            ticks = "`" * (longest_run(original, "`") + 1)
            out.append(ctx.keep(f"{ticks} {original} {ticks}"))
        else:
            fence = "`" * max(3, longest_run(original, "`") + 1)
            out.append(ctx.keep(f"\n\n:::{{admonition}} Jekyll Liquid not converted\n:class: jekyll-liquid\n\n{fence}text\n{original}\n{fence}\n:::\n\n"))
        pos = stop
    out.append(text[pos:])
    return "".join(out)


def as_text(original: str, ctx: Context, html: bool) -> str:
    """A tag kept as the author wrote it, as code in its sentence."""
    if html:
        return ctx.keep(f'<code class="jekyll-liquid">{escape(original)}</code>', written=original)
    ticks = "`" * (longest_run(original, "`") + 1)
    return ctx.keep(f"{ticks} {original} {ticks}", written=original)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(r) for r in runs), default=0)
