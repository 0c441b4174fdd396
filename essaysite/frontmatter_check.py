"""Front matter checked before ABlog sees it.

ABlog turns small slips in an essay's front matter into crashes or silent
damage: ``category: [a, b]`` invents categories named ``["a"`` and ``"b"]``,
``nocomments:`` raises a traceback, a timezone-aware date crashes the build,
an empty ``category:`` creates a category named ``null``, a file without a
``# Heading`` is silently not an essay. This module reads every essay's front
matter first, when the configuration is ready and before any essay is
parsed, and checks it against the project's contract (docs/writing.md,
"Front matter reference").

What can be corrected safely is corrected in what Sphinx reads (the
``source-read`` event), never in the author's file:

- a YAML list in ``category``, ``author``, ``location`` or ``language`` is
  joined with commas (with a notice: the rule is a comma-separated string);
  a list in ``tags`` (allowed) becomes a string too, since ABlog would keep
  escaped JSON in non-ASCII tags;
- a timezone-aware ``date`` becomes the author's local date and time: the
  wall-clock time written, in the time zone written, with the offset dropped
  (``2026-11-24T23:30:00-05:00`` is read as ``2026-11-24 23:30``, the day
  the author lived it, never the UTC day); with a notice;
- flags (``nocomments``, ``exclude``) take ``true``, ``false`` or nothing;
- empty values are dropped, and so are empty items (``tags: a, , b``).

Everything else stops the build before ABlog reads anything, with one line
per problem in the form ``posts/x.md:3: category: use a comma-separated
string, not a list`` on standard error and exit status 1: never a Python
traceback. Checks that need every essay at once (tags or categories that
differ only in case, a label defined in two essays) run in the same pass.

``essays-check`` (``make check``) runs the same checks without Sphinx.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import pickle
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path, PurePath

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from essaysite import forked

logger = logging.getLogger(__name__)

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


# -- One essay ----------------------------------------------------------------------
def check_essay(text: str, path: str) -> Essay:
    """Check one essay's source; collect problems and the safe corrections."""
    essay = Essay(path)
    bounds = split_front_matter(text)
    if bounds is None:
        essay.error(1, "front matter", 'missing; start the file with a "---" line, the keys, and a closing "---" line')
        check_body(essay, text, 0)
        return essay
    start, end, closing_line = bounds
    yaml_text = text[start:end]
    try:
        root, loader = compose(yaml_text)
    except yaml.MarkedYAMLError as error:
        # The opening of what is unfinished (a bracket, a quote) is nearer the slip.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 2 if mark else 2
        essay.error(line, "front matter", f"not valid YAML: {error.problem or error.context}")
        return essay
    except yaml.YAMLError as error:  # pragma: no cover - every parser error is marked
        essay.error(2, "front matter", f"not valid YAML: {error}")
        return essay
    if root is None or (isinstance(root, yaml.MappingNode) and not root.value):
        essay.error(1, "front matter", "empty; an essay needs at least a date (or draft: true)")
    elif not isinstance(root, yaml.MappingNode):
        essay.error(2, "front matter", "must be keys and values (key: value), one per line")
    else:
        check_keys(essay, root, loader, start)
        if not essay.values and not any(not p.corrected for p in essay.problems):
            essay.error(1, "front matter", "no key left; an essay needs at least a date (or draft: true)")
    check_body(essay, text, closing_line)
    return essay


def check_keys(essay: Essay, root: yaml.MappingNode, loader, offset: int) -> None:
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        if key in seen:
            essay.error(line, key, f"given twice (also on line {seen[key]}); keep one")
            continue
        seen[key] = line
        essay.lines[key] = line
        if key not in KNOWN_KEYS:
            essay.error(line, key, did_you_mean(key))
            continue
        try:
            value = construct(loader, value_node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            if key == "date":
                essay.error(line, key, f'"{value_node.value}" is not a date; write it as {DATE_FORMS}')
            else:
                essay.error(line, key, f'"{value_node.value}" cannot be read; see {RULES}')
            continue
        span = (offset + value_node.start_mark.index, offset + value_node.end_mark.index)
        whole = (offset + key_node.start_mark.index, offset + value_node.end_mark.index)
        CHECKS[kind_of(key)](essay, key, value, line, span, whole)


def kind_of(key: str) -> str:
    for kind, keys in (("comma", COMMA_KEYS), ("flag", FLAG_KEYS), ("text", TEXT_KEYS), ("number", NUMBER_KEYS)):
        if key in keys:
            return kind
    return key


def replace(essay: Essay, span: tuple[int, int], new: str) -> None:
    essay.fixes.append(Fix(span[0], span[1], new))


def drop(essay: Essay, whole: tuple[int, int]) -> None:
    """Remove ``key: value``, keeping the number of lines (messages keep their line numbers)."""
    essay.fixes.append(Fix(whole[0], whole[1], None))


def check_comma(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)
        return
    if isinstance(value, list):
        if any(item is not None and scalar_text(item) is None for item in value):
            essay.error(line, key, "list items must be plain words or phrases; use a comma-separated string")
            return
        items = [scalar_text(item) for item in value if item is not None]
        if key != "tags" and any("," in item for item in items):
            essay.error(line, key, "use a comma-separated string, not a list")
            return
        names = [name.strip() for item in items for name in item.split(",") if name.strip()]
        if key != "tags":
            essay.notice(line, key, f'use a comma-separated string, not a list; read as "{", ".join(names)}"')
    elif isinstance(value, dict):
        essay.error(line, key, "use a comma-separated string, not a mapping")
        return
    elif isinstance(value, bool):
        essay.error(line, key, f"{str(value).lower()} is not a name; use a comma-separated string")
        return
    else:
        text = str(value)
        names = [name.strip() for name in text.split(",") if name.strip()]
        if isinstance(value, str) and names == [name.strip() for name in text.split(",")]:
            essay.values[key] = names
            return  # as ABlog reads it: nothing to correct
    essay.values[key] = names
    if names:
        replace(essay, span, quoted(", ".join(names)))
    else:
        drop(essay, whole)


def check_flag(essay, key, value, line, span, whole):
    if value is None or value == "" or value is True:
        replace(essay, span, '""')  # ABlog's flags are set by an empty string only
        essay.values[key] = True
    elif value is False:
        drop(essay, whole)
    else:
        essay.error(line, key, f"a flag is true or false, not {quoted(str(value))}; write {key}: true")


def check_text(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)
    elif isinstance(value, (list, dict)):
        essay.error(line, key, f"use a single value, not a {'list' if isinstance(value, list) else 'mapping'}")
    elif isinstance(value, bool):
        essay.error(line, key, f"{str(value).lower()} is not a {key}; write the text")
    else:
        essay.values[key] = str(value)


def check_number(essay, key, value, line, span, whole):
    smallest = NUMBER_KEYS[key]
    if value is None or value == "":
        drop(essay, whole)
    elif isinstance(value, bool) or not isinstance(value, int) or value < smallest:
        hint = " (the Nth picture of the essay goes into its excerpt), not a path" if key == "image" else ""
        essay.error(line, key, f"use a whole number from {smallest}{hint}; {quoted(str(value))} is not one")
    else:
        essay.values[key] = value


def check_date(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)  # no date: a draft (essaysite.drafts)
        return
    original = value
    if isinstance(value, str):
        value = parse_date_text(value)
        if value is None:
            guess = guess_date(original)
            hint = f" ({quoted(original)} would be read as {guess})" if guess else ""
            essay.error(line, key, f"{quoted(original)} is not a date; write it as {DATE_FORMS}{hint}")
            return
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        local = as_naive_datetime_text(value)
        offset = value.strftime("%z")
        offset = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
        essay.notice(
            line, key, f"dates carry no time zone; read as {local}, the time written in its own zone ({offset})"
        )
        replace(essay, span, quoted(local))
        value = value.replace(tzinfo=None)
    elif not isinstance(value, dt.date):
        essay.error(line, key, f"{quoted(str(original))} is not a date; write it as {DATE_FORMS}")
        return
    essay.values[key] = value


def check_draft(essay, key, value, line, span, whole):
    if isinstance(value, bool):
        essay.values[key] = value
    elif value is None:
        essay.error(line, key, "empty; write draft: true (or remove the line to publish)")
    else:
        essay.error(line, key, f"write draft: true or draft: false, not {quoted(str(value))}")


def check_redirect_from(essay, key, value, line, span, whole):
    if value is None:
        drop(essay, whole)
    elif not isinstance(value, list) or not all(isinstance(item, str) and item.startswith("/") for item in value):
        essay.error(line, key, 'use a list of old addresses starting with "/", like ["/2019/03/04/old.html"]')
    else:
        essay.values[key] = value


def check_jekyll(essay, key, value, line, span, whole):
    if value is None:
        return
    if not isinstance(value, dict):
        essay.error(line, key, "use a mapping of Jekyll keys, like {layout: post}")
    else:
        essay.values[key] = value


CHECKS = {
    "comma": check_comma,
    "flag": check_flag,
    "text": check_text,
    "number": check_number,
    "date": check_date,
    "draft": check_draft,
    "redirect_from": check_redirect_from,
    "jekyll": check_jekyll,
}


# -- The text under the front matter ------------------------------------------------
def markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin

    # Block structure only: headings, fences and (label)= targets.
    parser = MarkdownIt("commonmark").use(front_matter_plugin).use(myst_block_plugin).use(colon_fence_plugin)
    return parser.disable("inline")


_PARSER = None


def normalize_label(label: str) -> str:
    """A label as docutils and Sphinx compare them: lower case, spaces collapsed."""
    return " ".join(label.lower().split())


def check_body(essay: Essay, text: str, closing_line: int) -> None:
    global _PARSER
    if _PARSER is None:
        _PARSER = markdown_parser()
    tokens = _PARSER.parse(text)
    if not any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
        essay.error(
            closing_line + 1,
            "heading",
            'no "# Title" line; an essay needs one top-level heading, its title, or it is not an essay',
        )
    for token in tokens:
        if token.type == "myst_target" and token.map:
            essay.labels.append((normalize_label(token.content), token.map[0] + 1))


# -- Corrections applied to what Sphinx reads ---------------------------------------
def apply_fixes(text: str, fixes: list[Fix]) -> str:
    for fix in sorted(fixes, key=lambda f: f.start, reverse=True):
        old = text[fix.start : fix.end]
        new = "" if fix.new is None else fix.new
        # Keep the line count, so that every later message keeps its line number.
        new += "\n" * (old.count("\n") - new.count("\n"))
        text = text[: fix.start] + new + text[fix.end :]
    return text


def corrected_source(text: str, path: str) -> str:
    essay = check_essay(text, path)
    return apply_fixes(text, essay.fixes) if essay.fixes else text


# -- Every essay at once ------------------------------------------------------------
def slug(name: str) -> str:
    """The page name ABlog gives a tag or category (its ``slugify``)."""
    name = unicodedata.normalize("NFKD", name)
    name = re.sub(r"[^\w\s-]", "", name).strip().lower()
    return re.sub(r"[-\s]+", "-", name)


def check_names_across(essays: list[Essay]) -> list[Problem]:
    """Tags (categories, ...) that differ only in case or punctuation share one page."""
    problems = []
    for key in COLLECTION_KEYS:
        spellings: dict[str, dict[str, list[Essay]]] = defaultdict(lambda: defaultdict(list))
        for essay in essays:
            for name in essay.values.get(key, []):
                spellings[slug(name)][name].append(essay)
        for variants in spellings.values():
            if len(variants) < 2:
                continue
            # The spelling most essays use is the one to keep; on a tie, the
            # lower-case one (the Writing guide's rule), then the first seen.
            keep = max(
                variants,
                key=lambda n: (len(variants[n]), n == n.lower(), -min(essays.index(e) for e in variants[n])),
            )
            first = variants[keep][0]
            where = f"{first.path}:{first.lines.get(key, 1)}"
            for name, users in variants.items():
                if name == keep:
                    continue
                how = "in case" if name.lower() == keep.lower() else "in case or punctuation"
                for essay in dict.fromkeys(users):
                    problems.append(
                        Problem(
                            essay.path,
                            essay.lines.get(key, 1),
                            key,
                            f'"{name}" differs only {how} from "{keep}" ({where}); they share one page, use "{keep}"',
                        )
                    )
    return problems


def check_labels_across(essays: list[Essay]) -> list[Problem]:
    """A label names one place in the whole site."""
    problems = []
    # ABlog gives every essay a label named after its file.
    defined: dict[str, str] = {PurePath(e.path).stem.lower(): f"{e.path} (ABlog's label for the essay)" for e in essays}
    for essay in essays:
        for label, line in essay.labels:
            if label in defined:
                problems.append(
                    Problem(essay.path, line, "label", f'"{label}" is already defined by {defined[label]}; rename it')
                )
            else:
                defined[label] = f"{essay.path}:{line}"
    return problems


def essay_paths(srcdir: str | Path, patterns) -> list[str]:
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    found = set()
    for pattern in patterns:
        for path in glob(os.path.join(srcdir, pattern), recursive=True):
            if os.path.isfile(path):
                found.add(PurePath(os.path.relpath(path, srcdir)).as_posix())
    return sorted(found)


def stray_files(srcdir: str | Path, patterns) -> list[Problem]:
    """Markdown files in a subfolder of the essays' folder: pages, but silently not essays."""
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    essays = set(essay_paths(srcdir, patterns))
    deeper = [p.replace("/*.", "/**/*.", 1) for p in patterns if "/*." in p and "**" not in p]
    return [
        Problem(rel, 1, "file", f"not an essay: essays are the files {' '.join(patterns)}; move it up into that folder")
        for rel in essay_paths(srcdir, deeper)
        if rel not in essays
    ]


def text_digest(text: str) -> str:
    """What an essay's text is known by between the check and the reading."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def check_site(srcdir: str | Path, patterns, known: dict | None = None, map_essays=None) -> list[Problem]:
    """Every problem in every essay, in file order, then those across essays.

    ``known`` maps an essay's path to (digest of its text, what the check
    learnt, its file's modification time and size) from an earlier build:
    an unchanged essay is not checked again, and a file with the same time
    and size is not even read. It is updated in place. ``map_essays(f, items)``
    checks the others (``[f(i) for i in items]`` unless given: the build
    passes one that shares the work out to several processes).
    """
    found: dict[str, Essay] = {}
    to_check = []
    paths = essay_paths(srcdir, patterns)
    for rel in paths:
        path = Path(srcdir, rel)
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        if known is not None and rel in known and known[rel][2] == stamp:
            found[rel] = known[rel][1]
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        digest = text_digest(text)
        if known is not None and rel in known and known[rel][0] == digest:
            known[rel] = (digest, known[rel][1], stamp)
            found[rel] = known[rel][1]
            continue
        to_check.append((rel, text, digest, stamp))
    check = lambda item: check_essay(item[1], item[0])  # noqa: E731
    checked = map_essays(check, to_check) if map_essays is not None else [check(item) for item in to_check]
    for (rel, _, digest, stamp), essay in zip(to_check, checked):
        if known is not None:
            known[rel] = (digest, essay, stamp)
        found[rel] = essay
    essays = [found[rel] for rel in paths]
    if known is not None:
        for gone in set(known) - set(paths):
            del known[gone]
    problems = stray_files(srcdir, patterns)
    problems += [p for e in essays for p in e.problems]
    problems += check_names_across(essays)
    problems += check_labels_across(essays)
    return problems


# -- Sphinx -------------------------------------------------------------------------
KNOWN_FILE = "essaysite-frontmatter.pickle"  # in the doctree folder


def check_in_processes(app: Sphinx, check, items: list) -> list:
    """With -j, a first build of a large site checks its essays in several processes
    (as many essays as ``essays_parallel_min_pages``, essaysite.parallel, make it worth a fork)."""
    if len(items) < getattr(app.config, "essays_parallel_min_pages", 100):
        return [check(item) for item in items]
    return forked.map_in_processes(app, items, check)


def check_before_reading(app: Sphinx, config: Config) -> None:
    known_file = Path(app.doctreedir) / KNOWN_FILE
    # What the check learnt holds only for this version of the check.
    version = hashlib.sha1(Path(__file__).read_bytes(), usedforsecurity=False).hexdigest()
    try:
        saved_version, known = pickle.loads(known_file.read_bytes())
        if saved_version != version:
            known = {}
    except Exception:  # none yet, or unreadable: check everything
        known = {}
    problems = check_site(app.srcdir, config.blog_post_pattern, known, lambda check, items: check_in_processes(app, check, items))
    # Each essay's checked values, for essaysite.drafts (which runs next), and
    # what was learnt, for correcting each essay as it is read.
    app._essays_front_matter = {rel: learnt[1].values for rel, learnt in known.items()}
    app._essays_checked = known
    try:
        known_file.parent.mkdir(parents=True, exist_ok=True)
        known_file.write_bytes(pickle.dumps((version, known)))
    except OSError:
        pass  # only a cache
    for problem in problems:
        if problem.corrected:
            logger.info(str(problem))
    errors = [p for p in problems if not p.corrected]
    if errors:
        stop(errors)


def stop(errors: list[Problem]) -> None:
    """Print one line per problem and end the build: exit status 1, no traceback."""
    sys.stdout.flush()
    for problem in errors:
        print(problem, file=sys.stderr)
    count = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}"
    print(f"Front matter: {count}; the build stopped before reading any essay. The rules: {RULES}.", file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(1)


def correct_source(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname not in app.config.matched_blog_posts:
        return
    path = PurePath(os.path.relpath(app.env.doc2path(docname), app.srcdir)).as_posix()
    # The check has just read this text: apply what it found, rather than check it again.
    digest, essay, _ = getattr(app, "_essays_checked", {}).get(path, (None, None, None))
    if essay is not None and digest == text_digest(source[0]):
        source[0] = apply_fixes(source[0], essay.fixes) if essay.fixes else source[0]
    else:
        source[0] = corrected_source(source[0], path)


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    # After ABlog matched the essays (priority 500), before drafts are
    # excluded (essaysite.drafts, 900): a broken date must not decide that.
    app.connect("config-inited", check_before_reading, priority=800)
    app.connect("source-read", correct_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
