"""Jekyll front matter to the essay site's front matter.

Jekyll's keys and ours (see docs/writing.md):

- ``title`` becomes the essay's ``# Heading`` (else derived from the file name);
- ``date`` (front matter, else the file name) is written as the date and time
  the author saw, without its UTC offset (ABlog cannot compare aware dates);
  the original value is kept under ``jekyll.date`` when an offset is dropped;
- ``categories``/``category`` (string or list) become ``category`` and
  ``tags`` (space-separated string or list) become ``tags``: comma-separated;
- ``published: false`` and files in ``_drafts/`` become ``draft: true``;
- ``image`` becomes ``cover`` (+ ``cover_alt``); ``author`` stays ``author``;
- ``comments: false`` becomes ``nocomments:``;
- ``permalink`` and ``redirect_from`` become redirects;
- ``layout`` is dropped; every other key is kept under ``jekyll:``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml
from dateutil import parser as dateparser
from dateutil import tz


class FrontMatterError(ValueError):
    """Front matter that cannot be read; the message says why and where."""


# libyaml's parser when PyYAML has it (it is four times faster), with Python's
# resolver so that the timestamp rule below can be dropped.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class JekyllLoader(SafeLoader):
    """YAML as Jekyll writes it, with dates left as the author typed them."""


# Dates stay strings: the original text is kept, and offsets handled here.
JekyllLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FENCE = re.compile(r"^---[ \t]*$")
END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split(text: str) -> tuple[dict, str, int]:
    """(front matter, body, line number of the body's first line).

    A file without front matter has an empty one (Jekyll would not treat it
    as a post, but it is what the author meant).
    """
    lines = text.split("\n")
    if not lines or not FENCE.match(lines[0]):
        return {}, text, 1
    for end in range(1, len(lines)):
        if END.match(lines[end]):
            break
    else:
        raise FrontMatterError("line 1: front matter opened with '---' is never closed; add a '---' line after it")
    source = "\n".join(lines[1:end])
    try:
        data = yaml.load(source, Loader=JekyllLoader) if source.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"{where}front matter is not valid YAML ({problem}); fix the YAML") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("line 2: front matter must be a mapping of keys to values")
    return data, "\n".join(lines[end + 1 :]), end + 2


def words(value) -> list[str]:
    """A Jekyll list value: a YAML list, or a string split on whitespace."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(words(item) if isinstance(item, (list, tuple)) else [str(item).strip()])
        return [w for w in out if w]
    return str(value).split()


@dataclass
class PostDate:
    shown: dt.datetime  # the wall-clock time the author wrote, naive
    local: dt.datetime  # the same instant in the site's time zone, for URLs
    has_time: bool
    offset_dropped: bool


def parse_date(value, site_zone: str | None) -> PostDate:
    """A front-matter or file-name date, as shown and as Jekyll's URLs see it."""
    text = str(value).strip()
    parsed = read_date(text)
    if parsed is None:
        raise FrontMatterError(f"date: {text!r} is not a date; write it as 2019-03-04 or 2019-03-04 10:30:00 +0200")
    has_time = bool(CLOCK.search(text))
    shown = parsed.replace(tzinfo=None)
    local = shown
    zone = tz.gettz(site_zone) if site_zone else tz.UTC
    if parsed.tzinfo is not None:
        # Jekyll converts to the site's zone (UTC on GitHub Pages) for URLs.
        local = parsed.astimezone(zone).replace(tzinfo=None)
    return PostDate(shown, local, has_time, parsed.tzinfo is not None)


# The zone names Ruby's Time.parse knows (Date::Format::ZONES), in hours from UTC.
ZONES = {"UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}
TZINFOS = {name: hours * 3600 for name, hours in ZONES.items()}
# What Ruby's lenient parse picks out of a date it cannot read whole.
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?")
OFFSET = re.compile(r"(?:^|\s)([+-]\d{2}:?\d{2}|" + "|".join(ZONES) + r")\b")


def read_date(text: str) -> dt.datetime | None:
    """A date as Jekyll reads it (Ruby's ``Time.parse``, lenient), or None.

    ISO 8601 first, then any common spelling (``Wed, 03 Jun 2020 07:00:00
    +0000``, ``June 4th, 2020 at 10:00``, ``2020-06-02 09:15 PDT``), then,
    like Ruby, a day, a time and a zone picked out of the text
    (``2020-01-10 18:30:22 2020 -0800``).
    """
    try:
        return dateparser.isoparse(text)
    except ValueError:
        pass
    for fuzzy in (False, True):
        try:
            return dateparser.parse(text, tzinfos=TZINFOS, fuzzy=fuzzy)
        except (ValueError, OverflowError):
            pass
    day = ISO_DAY.search(text)
    if not day:
        return None
    clock = CLOCK.search(text, day.end())
    zone = OFFSET.search(text, clock.end() if clock else day.end())
    picked = day.group(0) + (" " + clock.group(0) if clock else "") + (" " + zone.group(1) if zone else "")
    try:
        return dateparser.parse(picked, tzinfos=TZINFOS)
    except (ValueError, OverflowError):
        return None


def format_date(date: PostDate) -> str:
    if date.has_time and (date.shown.hour or date.shown.minute):
        return date.shown.strftime("%Y-%m-%d %H:%M")
    return date.shown.strftime("%Y-%m-%d")


def is_false(value) -> bool:
    return value is False or str(value).strip().lower() in {"false", "no", "off", "0"}


def to_yaml(front: dict) -> str:
    """Front matter text, one key per line in the given order, dates unquoted."""
    out = ["---"]
    for key, value in front.items():
        if key == "date":
            out.append(f"date: {value}")
        elif value == "" and key in {"nocomments", "exclude"}:
            out.append(f'{key}: ""')  # a bare `key:` is null, which ABlog rejects
        else:
            dumped = yaml.dump({key: value}, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)
            out.append(dumped.rstrip("\n"))
    out.append("---")
    return "\n".join(out) + "\n"
