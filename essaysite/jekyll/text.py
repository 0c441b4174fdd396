"""Bytes of a Jekyll file to clean text, and what was done to get there.

Jekyll reads files as UTF-8 (or the site's ``encoding:``), with or without a
byte-order mark; older posts are often cp1252 (Windows' Western encoding) or
carry mojibake (UTF-8 read as cp1252 and saved again, ``â€“`` for ``–``).
The text is repaired with ftfy, configured to change nothing but broken
encodings: curly quotes, ligatures, full-width characters, HTML entities and
Unicode normalisation stay as the author wrote them.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import ftfy

BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# Only broken encodings are repaired: everything that is a choice of the
# author (quotes, ligatures, width, entities, normal form) is kept.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    # Control characters are removed later, each reported with its line.
    remove_control_chars=False,
    explain=True,
)


@dataclass
class Decoded:
    text: str
    changes: list[str] = field(default_factory=list)


def decode(data: bytes, encoding: str = "utf-8") -> Decoded:
    """Text of a file with LF line endings and mojibake repaired.

    Raises UnicodeDecodeError only when the bytes are neither in the site's
    encoding nor in cp1252.
    """
    changes = []
    for bom, name in BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            encoding = name
            changes.append("byte-order mark removed")
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # raises if even cp1252 cannot read it
        changes.append(f"decoded as cp1252 (not valid {encoding})")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("CRLF line endings converted to LF")
    fixed, explanation = ftfy.fix_and_explain(text, config=FTFY_CONFIG)
    if fixed != text:
        steps = sorted({step for _, step in explanation or []})
        changed = sum(1 for a, b in zip(text.splitlines(), fixed.splitlines()) if a != b)
        changes.append(f"mojibake repaired on {changed} line(s) ({', '.join(steps)})")
        text = fixed
    return Decoded(text, changes)
