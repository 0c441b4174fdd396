"""Code blocks that the build can highlight.

Sphinx warns (and ``-W`` fails) when a block's language is unknown to
Pygments or its code does not lex in that language; such blocks are written
as plain text, and the importer reports it.
"""

from __future__ import annotations

import re

from pygments.lexers import get_lexer_by_name
from pygments.token import Error
from pygments.util import ClassNotFound

# kramdown and Rouge names that Pygments spells differently.
ALIASES = {"shell": "bash", "sh": "bash", "console": "console", "yml": "yaml", "plaintext": "text", "plain": "text", "liquid": "liquid", "": "text"}


def language(lang: str, code: str) -> tuple[str, str | None]:
    """(language for the block, a note when it had to change)."""
    name = ALIASES.get(lang.lower(), lang.lower())
    if name in {"text", "none"}:
        return name, None
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return "text", f"code language {lang!r} unknown to the highlighter: shown as plain text"
    if any(token is Error for token, _ in lexer.get_tokens(code)):
        return "text", f"code in {lang!r} does not parse as {lang}: shown as plain text"
    return name, None


def code_block(code: str, lang: str, options: dict[str, str] | None = None) -> tuple[str, str | None]:
    """A fenced MyST code block and the note, if any, about its language."""
    lang, note = language(lang, code)
    fence = "`" * max(3, max((len(r) for r in re.findall("`+", code)), default=0) + 1)
    if options:
        head = f"{fence}{{code-block}} {lang}\n" + "".join(f":{k}: {v}".rstrip() + "\n" for k, v in options.items())
    else:
        head = f"{fence}{lang}\n"
    return f"{head}{code.rstrip(chr(10))}\n{fence}", note
