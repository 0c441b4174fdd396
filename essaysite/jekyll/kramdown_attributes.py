"""kramdown attribute lists to MyST: on blocks, headings and pictures.

- block attribute lists (``{: .class #id key="v"}``, before or after the
  block) become MyST block attributes (``{.class #id key="v"}``), and the
  Minimal Mistakes ``.notice*`` classes become admonitions;
- ``{: #id}`` on a heading becomes a label, ``{: .no_toc}`` is dropped;
- a picture on a line of its own becomes an ``image`` directive, its
  attribute list the directive's options.
"""

from __future__ import annotations

import re
import shlex

from essaysite.jekyll.kramdown_syntax import ATX, Context

NOTICE = {"notice": "note", "notice--info": "note", "notice--primary": "important", "notice--success": "tip", "notice--warning": "warning", "notice--danger": "danger"}


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
            ctx.lose("attribute", f"attributes {myst_attributes(None, rest, values)} on a heading dropped", out[start])
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
        style = values.pop("style")
        ctx.lose("attribute", f'style="{style}" dropped (the site\'s stylesheet decides)', style)
    if ident or classes or values:
        out.insert(start, myst_attributes(ident, classes, values))
        ctx.note("block attribute lists converted to MyST attributes")


def picture_block(alt: str, src: str, values: dict[str, str], ctx: Context) -> str:
    """A picture on its own line: an ``image`` directive, or its alt text if missing."""
    resolved = ctx.resolve_url(src, True)
    if resolved.kind == "missing":
        ctx.lose("picture", f"picture {src} not found: its alt text {alt!r} is shown instead", src)
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
    # src and alt are kept; lazy loading and decoding hints change nothing a reader sees.
    dropped = {k: v for k, v in values.items() if k not in {"id", "title", "src", "alt", "loading", "decoding"}}
    if dropped:
        ctx.lose("attribute", f"picture {src}: attributes {dropped} dropped", src)
    if style and not align:
        ctx.lose("attribute", f"picture {src}: style {style!r} dropped", src)
    ctx.note("pictures on a line of their own converted to image directives")
    head = f"```{{image}} {target}"
    return "\n".join([head, *(f":{k}: {v}" for k, v in options.items()), "```"])


def size(value: str) -> str:
    return value + "px" if re.fullmatch(r"\d+", value) else value


def escape_inline(text: str) -> str:
    return re.sub(r"([*_`\[\]])", r"\\\1", text)
