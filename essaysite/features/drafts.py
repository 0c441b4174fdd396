"""Drafts stay private: they are kept out of the public build entirely.

An essay is a draft when it has no ``date``, has ``draft: true``, or is dated
in the future (a date and time later than the build's). ABlog builds drafts
as pages and lists them on ``blog/drafts.html``, which is always written, so
a public build would publish every draft. Here drafts are added to ``exclude_patterns`` before
Sphinx reads anything: no page, no list or sidebar entry, no feed, sitemap or
search-index entry. ABlog's drafts page is not written either.

A preview build (``ESSAYS_DRAFTS=1``, which ``make live`` sets) keeps the
drafts: each draft's page opens with a "Draft" banner saying why it is one,
added when the page is written (so excerpts and feeds never carry it), and
the essay lists show "Draft" instead of its date.

A future-dated essay becomes public on the first build after its date: the
list of excluded files changes, so Sphinx re-reads the site.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import sys
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from essaysite import state
from essaysite.frontmatter.site import essay_paths
from essaysite.patches import ablog

PREVIEW_VARIABLE = "ESSAYS_DRAFTS"


PREVIEW_ON = {"1", "true", "yes", "on"}
PREVIEW_OFF = {"", "0", "false", "no", "off"}


def preview_setting(value: str) -> bool:
    """``ESSAYS_DRAFTS``'s value read, in any case: True, False, or ``ValueError`` with what to write."""
    word = value.strip().lower()
    if word in PREVIEW_ON:
        return True
    if word in PREVIEW_OFF:
        return False
    raise ValueError(
        f"{PREVIEW_VARIABLE}={value!r} is not understood: write 1, true, yes or on to build the drafts too, "
        "0, false, no or off (or leave it unset) to keep them out"
    )


def preview_mode() -> bool:
    """True when drafts are built too (the live preview); a value not understood stops the build (status 2)."""
    try:
        return preview_setting(os.environ.get(PREVIEW_VARIABLE, ""))
    except ValueError as error:
        sys.stdout.flush()
        print(error, file=sys.stderr)
        raise SystemExit(2) from None


def read_front_matter(path: Path) -> dict | None:
    """The YAML front matter of a Markdown file, or None when it has none or it is broken.

    Broken front matter is reported by the front-matter check, not here.
    """
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if not text.startswith("---"):
        return None
    lines = text.splitlines()
    try:
        end = lines.index("---", 1)
    except ValueError:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def as_datetime(value) -> dt.datetime | None:
    """The moment a front-matter ``date`` stands for, or None.

    Midnight for a bare date; a time zone is dropped, keeping the time as
    written (as essaysite.features.frontmatter reads it). Compared, like ABlog
    does, with the build machine's local time.
    """
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str) and value.strip():
        from dateutil.parser import ParserError, parse

        try:
            return parse(value).replace(tzinfo=None)
        except (ParserError, ValueError, OverflowError):
            return None
    return None


def draft_reason(front: dict | None, now: dt.datetime) -> str | None:
    """Why an essay with this front matter is a draft at ``now``, or None when it is not one."""
    if not front:
        return None  # not an essay's front matter: the front-matter check reports it
    if front.get("draft") is True or str(front.get("draft", "")).lower() in {"true", "yes"}:
        return "its front matter says draft: true"
    if "date" not in front or front["date"] in (None, ""):
        return "it has no date"
    date = as_datetime(front["date"])
    # ABlog publishes an essay once its date and time have passed: so do we,
    # or an essay dated later today would be listed as a draft on the public site.
    if date is not None and date > now:
        when = date.strftime("%Y-%m-%d" if date.time() == dt.time() else "%Y-%m-%d %H:%M")
        return f"it is dated {when}, in the future"
    return None


def is_draft(front: dict | None, now: dt.datetime) -> bool:
    """Whether an essay with this front matter stays out of the public build."""
    return draft_reason(front, now) is not None


def find_drafts(
    srcdir: str | Path, patterns: list[str], now: dt.datetime | None = None, checked: dict | None = None, essays: list[str] | None = None
) -> list[str]:
    """Source paths (relative, POSIX) of the essays that are drafts.

    ``checked``: the front matter the front-matter check read, by relative
    path (its values after corrections); other files are read here.
    ``essays``: the essays' paths (``essaysite.frontmatter.site.essay_paths``), when the caller has them.
    """
    now = now or dt.datetime.now()
    checked = checked or {}
    drafts = []
    for rel in essay_paths(srcdir, patterns) if essays is None else essays:
        front = checked[rel] if rel in checked else read_front_matter(Path(srcdir, rel))
        if is_draft(front, now):
            drafts.append(rel)
    return drafts


def docname_of(rel: str) -> str:
    """An essay's document name: its path relative to the project (POSIX), without its suffix."""
    return posixpath.splitext(rel)[0]


def exclude_drafts(app: Sphinx, config: Config) -> None:
    patterns = config.blog_post_pattern
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    # essaysite.features.frontmatter (config-inited, before this) read every essay's front matter.
    configured = state.of(app).configured
    checked = configured.front_matter
    # Matched inside the project (a folder named like "site [v2]" is not a pattern).
    essays = sorted(checked) if checked is not None else essay_paths(app.srcdir, patterns)
    drafts = find_drafts(app.srcdir, patterns, checked=checked, essays=essays)
    # The preview marks these (ABlog counts a dated draft: true as published).
    configured.drafts = {docname_of(d) for d in drafts}
    public = not preview_mode()
    # ABlog's own match joins the patterns to the source folder's path: in such a folder it found no essay.
    left_out = set(drafts) if public else set()
    ablog.match_posts(app, config, [docname_of(e) for e in essays if e not in left_out])
    if not public:
        return
    # File names, taken by Sphinx for patterns: the front-matter check refuses names with [ ] * ? in them.
    config.exclude_patterns = list(config.exclude_patterns) + drafts


def without_drafts_page(handler):
    """Wrap ABlog's page generator so that it does not write ``blog/drafts``."""

    def generate(app: Sphinx):
        drafts_page = ablog.blog_of(app).drafts.docname
        for page in handler(app) or ():
            if page[0] != drafts_page:
                yield page

    generate.__name__ = handler.__name__
    return generate


def replace_archive_pages(app: Sphinx) -> None:
    if preview_mode():
        return
    ablog.wrap_handler(app, "html-collect-pages", "generate_archive_pages", without_drafts_page)


def add_draft_banner(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the preview, open a draft's page with a "Draft" banner saying why."""
    if not preview_mode() or docname not in ablog.matched_posts(app.config):
        return
    reason = draft_reason(read_front_matter(Path(app.env.doc2path(docname))), dt.datetime.now())
    sections = list(doctree.findall(nodes.section))
    if reason is None or not sections:
        return
    banner = nodes.admonition(classes=["attention", "essay-draft"])
    banner += nodes.title("", "Draft")
    banner += nodes.paragraph(
        "", f"This essay is a draft because {reason}. Only the preview shows it; the public site does not."
    )
    section = sections[0]
    section.insert(1 if section.children and isinstance(section[0], nodes.title) else 0, banner)


def add_template_helper(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """``essay_is_draft(post)`` for the essay lists of the preview."""
    drafts = state.of(app).configured.drafts
    context["essay_is_draft"] = lambda post: not post.published or post.docname in drafts


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # After ABlog's own config-inited handler, which matches the posts.
    app.connect("config-inited", exclude_drafts, priority=900)
    replace_archive_pages(app)
    app.connect("doctree-resolved", add_draft_banner)
    app.connect("html-page-context", add_template_helper)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
