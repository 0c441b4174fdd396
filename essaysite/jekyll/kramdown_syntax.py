"""What the parts of the kramdown conversion share: its context and patterns.

``Context`` carries what the conversion needs from the importer (where an
address of the old site points now, a label unique in the site, addresses
inside raw HTML re-pointed) and collects what it changed or could not
convert. The patterns are the kramdown syntax more than one part reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from essaysite.jekyll.report import Loss

FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
IAL_LINE = re.compile(r"^[ ]{0,3}\{:(?!:)(?P<body>[^}]*)\}[ \t]*$")
ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]*\{:?[ \t]*#(?P<id>[\w:-]+)[ \t]*\})?(?:[ \t]+#+)?[ \t]*$")
# An address: in angle brackets, or up to the title or the closing parenthesis,
# spaces included (kramdown reads `![x](/a b.png)`; CommonMark would not).
ADDRESS = r"<[^<>\n]*>|[^)\s<]+(?:[ ]+[^)\s\"']+)*"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>" + ADDRESS + r")(?:[ \t]+\"(?P<title>[^\"]*)\")?\)(?P<ial>\{:?[^}]*\})?")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>" + ADDRESS + r")(?P<title>[ \t]+\"[^\"]*\")?\)")


@dataclass
class Resolved:
    kind: str  # "post", "file", "missing", "external", "page"
    target: str | None = None


@dataclass
class Context:
    resolve_url: Callable[[str, bool], Resolved]  # (url, is_picture) -> where it goes now
    label: Callable[[str], str]  # a heading id -> a label unique in the site
    html: Callable[[str], str] = lambda text: text  # addresses inside raw HTML re-pointed
    emoji: bool = False  # the site uses jemoji: :shortcodes: become emoji
    changes: list[str] = field(default_factory=list)
    problems: list[Loss] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)

    def note(self, message: str) -> None:
        if message not in self.changes:
            self.changes.append(message)

    def lose(self, kind: str, message: str, snippet: str = "") -> None:
        """Something the essay cannot show as Jekyll did (``snippet``: the text it is about)."""
        self.problems.append(Loss(kind, message, snippet))


def link_target(url: str, ctx: Context, picture: bool) -> str | None:
    """Where a link or picture of the old site points now (None: leave as is)."""
    resolved = ctx.resolve_url(url, picture)
    if resolved.kind in {"post", "file", "page"}:
        return resolved.target
    return None
