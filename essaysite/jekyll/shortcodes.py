"""jemoji's emoji shortcodes (``:tada:``, ``:+1:``) to the emoji themselves.

A Jekyll site with the jemoji plugin (``plugins: [jemoji]`` or the older
``gems:``) shows ``:tada:`` as 🎉 everywhere but in code; a site without it
shows the text. So, only for a site that uses jemoji, every shortcode of
prose (and of the text of HTML) that the ``emoji`` package knows by its
GitHub name becomes the character; code spans, code blocks, ``<code>`` and
``<pre>``, link targets and addresses are left alone. A shortcode it does
not know (GitHub's own pictures such as ``:octocat:``, a misspelling) stays
as text and is reported with its line.
"""

from __future__ import annotations

import re
from typing import Callable

import emoji

# jemoji converts a known name between colons wherever it stands.
SHORTCODE = re.compile(r":(?P<name>[a-z0-9_+-]+):")
# Reported as unknown only when it reads as a shortcode: a letter in it, and
# not glued to a word or another colon (`10:30:45`, `std::vector`, `a:b:c`).
LOOKS_LIKE_SHORTCODE = re.compile(r"(?<![\w:]):(?P<name>[a-z0-9_+-]*[a-z][a-z0-9_+-]*):(?![\w:])")
# What is not prose: code and preformatted elements, tags, link targets, roles, URLs.
NOT_PROSE = re.compile(
    r"<(?P<element>code|kbd|pre|samp|tt|script|style)\b[^>]*>.*?</(?P=element)\s*>|<[^>]+>"
    r"|\]\([^)]*\)|\{[\w-]+\}`[^`]*`|`[^`]*`|[a-z][a-z0-9+.-]*://\S+",
    re.S | re.I,
)


def uses_jemoji(config: dict) -> bool:
    """Whether the Jekyll site renders shortcodes (jemoji among its plugins)."""
    plugins = []
    for key in ("plugins", "gems"):
        value = config.get(key) or []
        plugins.extend([value] if isinstance(value, str) else value)
    return "jemoji" in {str(p).strip() for p in plugins}


def convert(text: str, lose: Callable[[str, str, str], None], note: Callable[[str], None]) -> str:
    """``text`` (prose, or HTML) with its known shortcodes as emoji; unknown ones reported."""
    if ":" not in text:
        return text
    out, pos = [], 0
    for match in NOT_PROSE.finditer(text):
        out.extend([prose(text[pos : match.start()], lose, note), match.group(0)])
        pos = match.end()
    out.append(prose(text[pos:], lose, note))
    return "".join(out)


def prose(text: str, lose, note) -> str:
    def known(match: re.Match) -> str:
        character = emoji.emojize(match.group(0), language="alias")
        if character == match.group(0):
            return character
        note("emoji shortcodes (:tada:, jemoji) converted to emoji")
        return character

    text = SHORTCODE.sub(known, text)
    for match in LOOKS_LIKE_SHORTCODE.finditer(text):
        lose("emoji", f"emoji shortcode {match.group(0)} not known: kept as text", match.group(0))
    return text
