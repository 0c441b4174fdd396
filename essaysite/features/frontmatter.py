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

import hashlib
import os
import pickle
import sys
from pathlib import Path, PurePath

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from essaysite import state
from essaysite.frontmatter.contract import RULES, Problem, split_front_matter, structure_problem
from essaysite.frontmatter.essay import apply_fixes, corrected_source
from essaysite.frontmatter.site import check_site, text_digest
from essaysite.patches import ablog
from essaysite.speed import forked

logger = logging.getLogger(__name__)

# -- Sphinx -------------------------------------------------------------------------
FRONTMATTER = Path(__file__).parents[1] / "frontmatter"
KNOWN_FILE = "essaysite-frontmatter.pickle"  # in the doctree folder


def check_in_processes(app: Sphinx, check, items: list) -> list:
    """With -j, a first build of a large site checks its essays in several processes
    (as many essays as ``essays_parallel_min_pages``, essaysite.speed.parallel, make it worth a fork)."""
    if len(items) < getattr(app.config, "essays_parallel_min_pages", 100):
        return [check(item) for item in items]
    return forked.map_in_processes(app, items, check)


def check_version() -> str:
    """A digest of the check's own code: what it learnt holds only for this version."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in [*sorted(FRONTMATTER.glob("*.py")), FRONTMATTER.parent / "confinement.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_before_reading(app: Sphinx, config: Config) -> None:
    known_file = Path(app.doctreedir) / KNOWN_FILE
    # What the check learnt holds only for this version of the check.
    version = check_version()
    try:
        saved_version, known = pickle.loads(known_file.read_bytes())
        if saved_version != version:
            known = {}
    except Exception:  # none yet, or unreadable: check everything
        known = {}
    stamps = {rel: (learnt[0], learnt[2]) for rel, learnt in known.items()}
    problems = check_site(app.srcdir, config.blog_post_pattern, known, lambda check, items: check_in_processes(app, check, items))
    # Each essay's checked values, for essaysite.features.drafts (which runs next), and
    # what was learnt, for correcting each essay as it is read.
    configured = state.of(app).configured
    configured.front_matter = {rel: learnt[1].values for rel, learnt in known.items()}
    configured.checked = known
    if stamps != {rel: (learnt[0], learnt[2]) for rel, learnt in known.items()}:  # saved only when it changed
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


def stop(errors: list[Problem], what: str = "essay") -> None:
    """Print one line per problem and end the build: exit status 1, no traceback."""
    sys.stdout.flush()
    for problem in errors:
        print(problem, file=sys.stderr)
    count = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}"
    print(f"Front matter: {count}; the build stopped before reading any {what}. The rules: {RULES}.", file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(1)


def check_pages_before_reading(app: Sphinx, env, docnames: list[str]) -> None:
    """The front matter of a page that is not an essay (the home page, docs/*.md), before MyST reads it:
    YAML nested thousands of levels deep would crash PyYAML's recursive composer inside MyST, with no file named.
    Only its shape is checked (the essays' contract is theirs); one line at its file and line, exit status 1."""
    essays = ablog.matched_posts(app.config)
    errors = []
    for docname in sorted(docnames):
        if docname in essays:
            continue
        path = Path(env.doc2path(docname))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # Sphinx says which file it cannot read
        bounds = split_front_matter(text)
        if bounds is None:
            continue
        problem = structure_problem(text[bounds[0] : bounds[1]])
        if problem is not None:
            errors.append(Problem(PurePath(os.path.relpath(path, app.srcdir)).as_posix(), problem[0], "front matter", problem[1]))
    if errors:
        stop(errors, "page")


def correct_source(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname not in ablog.matched_posts(app.config):
        return
    path = PurePath(os.path.relpath(app.env.doc2path(docname), app.srcdir)).as_posix()
    # The check has just read this text: apply what it found, rather than check it again.
    digest, essay, _ = state.of(app).configured.checked.get(path, (None, None, None))
    if essay is not None and digest == text_digest(source[0]):
        source[0] = apply_fixes(source[0], essay.fixes) if essay.fixes else source[0]
    else:
        source[0] = corrected_source(source[0], path)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # After ABlog matched the essays (priority 500), before drafts are
    # excluded (essaysite.features.drafts, 900): a broken date must not decide that.
    app.connect("config-inited", check_before_reading, priority=800)
    app.connect("env-before-read-docs", check_pages_before_reading)
    app.connect("source-read", correct_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
