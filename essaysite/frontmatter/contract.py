"""The front-matter contract (docs/writing.md, "Front matter reference") and the
values a check reports: problems, fixes, one checked essay."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass, field

import yaml

# -- The contract ------------------------------------------------------------------
# Keys ABlog reads as comma-separated strings (its ``_split``).
COMMA_KEYS = ("tags", "category", "author", "location", "language")
# Collections whose pages are named after a slug of each name.
COLLECTION_KEYS = COMMA_KEYS
# ABlog's flags: present means set.
FLAG_KEYS = ("nocomments", "exclude")
# Single text values.
TEXT_KEYS = ("title", "canonical_link", "external_link", "series", "cover", "cover_alt")
# Whole numbers, with their smallest value.
NUMBER_KEYS = {"image": 0, "excerpt": 0, "series_position": 1}
OTHER_KEYS = ("date", "draft", "redirect_from", "jekyll")
KNOWN_KEYS = (*COMMA_KEYS, *FLAG_KEYS, *TEXT_KEYS, *NUMBER_KEYS, *OTHER_KEYS)

DATE_FORMS = "2026-11-24 or 2026-11-24 18:30"
RULES = 'docs/writing.md, "Front matter reference"'


@dataclass(frozen=True)
class Problem:
    """One finding, printed as ``path:line: key: message``."""

    path: str  # relative to the site's source folder, POSIX
    line: int
    key: str
    message: str
    corrected: bool = False  # corrected in the build: a notice, not an error

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message}"


@dataclass
class Fix:
    """Replace ``text[start:end]`` (offsets in the whole file) with ``new``."""

    start: int
    end: int
    new: str


@dataclass(eq=False)
class Essay:
    """What the check learnt about one essay."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # key -> value after corrections
    lines: dict = field(default_factory=dict)  # key -> line of the key in the file
    labels: list[tuple[str, int]] = field(default_factory=list)  # (normalized label, line)

    def error(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, key, message))

    def notice(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, key, message, corrected=True))


# -- Reading the front matter -------------------------------------------------------
def split_front_matter(text: str) -> tuple[int, int, int] | None:
    """Offsets (start, end) of the YAML between the ``---`` lines, and the closing line's number.

    None when the file does not start with a front-matter block.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            return len(lines[0]), offset, number
        offset += len(line)
    return None


# Deeper than this, PyYAML's recursive composer can run out of stack; front
# matter is keys and values, a list at most, a small mapping under ``jekyll``.
MAX_NESTING = 20


DEEP = f"nested more than {MAX_NESTING} levels deep; front matter is keys and values, not a tree"
ALIASES = "anchors and aliases (& and *) are not used in front matter; write each value out"


def tree_problem(root) -> tuple[int, str] | None:
    """(line, message) when a composed YAML tree nests too deep or shares a node (an alias); walked without recursion."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            continue
        line = node.start_mark.line + 2
        if id(node) in seen:
            return line, ALIASES
        seen.add(id(node))
        if depth > MAX_NESTING:
            return line, DEEP
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.extend((child, depth + 1) for child in children)
    return None


def structure_problem(yaml_text: str) -> tuple[int, str] | None:
    """(line, message) when the YAML nests too deep or uses anchors and aliases; read event by event, without recursion
    (for YAML too deep for PyYAML's recursive composer)."""
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 2 if event.start_mark else 2
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return line, ALIASES
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return line, DEEP
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported, with its line, by compose()
    return None


def compose(yaml_text: str):
    """The YAML node tree and a loader able to construct values from its nodes."""
    loader = yaml.SafeLoader(yaml_text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


def construct(loader, node):
    return loader.construct_object(node, deep=True)


def scalar_text(value) -> str | None:
    """A list item or value as ABlog would read it, or None if it is not a scalar."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float, dt.date)):
        return str(value)
    return None


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def as_naive_datetime_text(value: dt.datetime) -> str:
    fmt = "%Y-%m-%d %H:%M:%S" if value.second or value.microsecond else "%Y-%m-%d %H:%M"
    return value.replace(tzinfo=None).strftime(fmt)


def parse_date_text(text: str):
    """A date or datetime from an ISO-style string, or None."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def guess_date(text: str) -> str | None:
    """What dateutil (ABlog's reader) would make of a non-ISO date, for a hint."""
    from dateutil.parser import ParserError, parse

    try:
        return parse(text).date().isoformat()
    except (ParserError, ValueError, OverflowError, TypeError):
        return None


def did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key.lower(), KNOWN_KEYS, n=1, cutoff=0.6)
    if close:
        return f'unknown key; did you mean "{close[0]}"?'
    return f"unknown key; the keys an essay may use are listed in {RULES}"




# -- Addresses -----------------------------------------------------------------------
WEB_SCHEMES = ("http", "https")


def link_problem(key: str, value: str) -> str | None:
    """Why ``external_link`` or ``canonical_link`` cannot be used as written, or None.

    ``external_link``: an absolute http(s) address. ``canonical_link``: that,
    or a path of the site (``/2019/old.html``, ``other.html``).
    """
    from urllib.parse import urlsplit

    if any(ord(c) < 32 or c in '"<>\\' for c in value):
        return f"{quoted(value)} holds a control character, quote, < or >, which no address needs"
    try:
        parts = urlsplit(value.strip())
    except ValueError as error:
        return f"{quoted(value)} is not an address ({error})"
    if parts.scheme.lower() in WEB_SCHEMES and parts.netloc:
        return None
    if key == "canonical_link" and not parts.scheme and not parts.netloc and not value.strip().startswith("//"):
        return None
    wanted = "an http:// or https:// address" + (" or a path of the site" if key == "canonical_link" else "")
    scheme = f' (a "{parts.scheme}:" address)' if parts.scheme else ""
    return f"{quoted(value)} is not {wanted}{scheme}; write the full address, like https://example.org/essay"


# -- The file's bytes -----------------------------------------------------------------
def decode(data: bytes) -> tuple[str, tuple[int, str] | None]:
    """An essay's text, and (line, message) when it is not UTF-8 (the text then has U+FFFD in place)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        byte = data[start]
        guess = guess_encoding(data)
        shown = bytes([byte]).decode(guess, errors="replace")
        return data.decode("utf-8-sig", errors="replace"), (
            line,
            f"byte 0x{byte:02X} (column {column}) is not UTF-8; the file looks like {guess} (0x{byte:02X} is "
            f'"{shown}" there): save it as UTF-8 (iconv -f {guess} -t utf-8)',
        )


# Encodings an essay written on a Western desktop may be in, most likely first.
LIKELY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp1250", "utf_16"]


def guess_encoding(data: bytes) -> str:
    """The encoding ``data`` is most likely in (charset-normalizer, among the likely ones)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=LIKELY_ENCODINGS).best()
    if best is None:
        return "cp1252"
    # Of the encodings that read these bytes alike, the most common one.
    alike = [name for name in LIKELY_ENCODINGS if name in best.could_be_from_charset]
    return alike[0] if alike else best.encoding
