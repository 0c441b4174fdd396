"""Every essay checked at once: names and labels across essays, stray files."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from glob import glob
from pathlib import Path, PurePath

from essaysite.confinement import Refused, picture_problem, relative_inside
from essaysite.frontmatter.contract import COLLECTION_KEYS, Essay, Problem, decode
from essaysite.frontmatter.essay import check_essay

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


PATTERN_CHARACTERS = "[]*?"


def check_file_names(paths: list[str]) -> list[Problem]:
    """Two essays whose names differ only in case are one file on macOS and Windows; a name is not a pattern."""
    first: dict[str, str] = {}
    problems = []
    for rel in paths:
        found = [c for c in PATTERN_CHARACTERS if c in PurePath(rel).name]
        if found:
            # Sphinx's exclude_patterns (a draft left out) read it as a pattern: "secret[1].md" would leave out "secret1.md".
            problems.append(Problem(rel, 1, "file", f"its name has {' '.join(found)}, which Sphinx reads as a pattern; rename it without [ ] * ?"))
        other = first.setdefault(rel.casefold(), rel)
        if other != rel:
            problems.append(
                Problem(rel, 1, "file", f"its name differs only in case from {other}; on macOS and Windows they are one file: rename one")
            )
    return problems


def check_covers(srcdir: str | Path, essays: list[Essay]) -> list[Problem]:
    """Each cover inside the project (symlinks followed, no absolute path) and a picture its extension names.

    A cover that does not exist is the build's warning (essaysite.features.previews).
    """
    problems = []
    for essay in essays:
        cover = essay.values.get("cover")
        if not cover:
            continue
        line = essay.lines.get("cover", 1)
        try:
            path = relative_inside(srcdir, Path(srcdir, essay.path).parent, cover)
        except Refused as refused:
            problems.append(Problem(essay.path, line, "cover", f"{cover} {refused}"))
            continue
        if path.is_file():
            problem = picture_problem(path)
            if problem:
                problems.append(Problem(essay.path, line, "cover", f"{cover} {problem}"))
    return problems


def essay_paths(srcdir: str | Path, patterns) -> list[str]:
    """The essays' paths relative to ``srcdir``, with ``/``, sorted.

    Matched inside ``srcdir`` (``root_dir``): no path is joined, split or
    made relative per essay, and a folder name with ``[`` or ``*`` in it is
    not read as a pattern.
    """
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    found = set()
    for pattern in patterns:
        for rel in glob(pattern, root_dir=srcdir, recursive=True):
            if os.path.isfile(os.path.join(srcdir, rel)):
                found.add(rel.replace(os.sep, "/") if os.sep != "/" else rel)
    return sorted(found)


def stray_files(srcdir: str | Path, patterns, essays: list[str] | None = None) -> list[Problem]:
    """Markdown files in a subfolder of the essays' folder: pages, but silently not essays.

    ``essays``: the essays' paths (``essay_paths``), when the caller has them.
    """
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    known = set(essay_paths(srcdir, patterns) if essays is None else essays)
    deeper = [p.replace("/*.", "/*/**/*.", 1) for p in patterns if "/*." in p and "**" not in p]
    return [
        Problem(rel, 1, "file", f"not an essay: essays are the files {' '.join(patterns)}; move it up into that folder")
        for rel in essay_paths(srcdir, deeper)
        if rel not in known
    ]


def text_digest(text: str) -> str:
    """What an essay's text is known by between the check and the reading."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def checked_text(rel: str, text: str, digest: str, stamp, not_utf8: tuple[int, str] | None) -> Essay:
    """One essay checked; a file that is not UTF-8 is said to be so first (the rest is read with U+FFFD)."""
    essay = check_essay(text, rel)
    if not_utf8 is not None:
        essay.problems.insert(0, Problem(rel, not_utf8[0], "encoding", not_utf8[1]))
    return essay


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
        path = os.path.join(srcdir, rel)
        info = os.stat(path)
        stamp = (info.st_mtime_ns, info.st_size)
        if known is not None and rel in known and known[rel][2] == stamp:
            found[rel] = known[rel][1]
            continue
        text, not_utf8 = decode(Path(path).read_bytes())
        digest = text_digest(text)
        if known is not None and rel in known and known[rel][0] == digest and not_utf8 is None:
            known[rel] = (digest, known[rel][1], stamp)
            found[rel] = known[rel][1]
            continue
        to_check.append((rel, text, digest, stamp, not_utf8))
    check = lambda item: checked_text(*item)  # noqa: E731
    checked = map_essays(check, to_check) if map_essays is not None else [check(item) for item in to_check]
    for (rel, _, digest, stamp, _), essay in zip(to_check, checked):
        if known is not None:
            known[rel] = (digest, essay, stamp)
        found[rel] = essay
    essays = [found[rel] for rel in paths]
    if known is not None:
        for gone in set(known) - set(paths):
            del known[gone]
    problems = stray_files(srcdir, patterns, paths) + check_file_names(paths)
    problems += [p for e in essays for p in e.problems]
    problems += check_covers(srcdir, essays)
    problems += check_names_across(essays)
    problems += check_labels_across(essays)
    return problems


