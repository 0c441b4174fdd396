"""Cited sources: ``{cite:p}`` and ``{cite:t}`` in essays, and each essay's own list of them.

The citations themselves are sphinxcontrib-bibtex's (its roles, its domain,
its ``bibliography`` directive, the BibTeX files of ``bibtex_bibfiles``);
``conf.py`` loads it only when one of those files exists, so a site without
citations never imports pybtex. This module adds what an essay site needs:

- **Each essay ends with its own list.** An essay (any page) that cites gets
  a "Sources" section at its end (``essays_sources_title``): the
  ``essay-sources`` directive, appended to what Sphinx reads (never to the
  author's file) when the text uses a ``cite`` role and has no
  ``{bibliography}`` of its own. It is sphinxcontrib-bibtex's
  ``bibliography`` with ``:filter: docname in docnames`` (the works this
  page cites, and only those) inside a section, lifted to the end of the
  essay. The same work cited by two essays is in both lists, so
  sphinxcontrib-bibtex's ``duplicate_citation`` and ``duplicate_label``
  warnings are left out (``suppress_warnings``); a citation resolves in its
  own essay first (sphinxcontrib-bibtex's rule), and in an excerpt shown on
  another page it still points at its own essay's list.
- **An unknown key stops the build** with one line at the citation:
  ``posts/x.md:12: citation key "turing1905" is not in posts/references.bib:
  add its BibTeX entry there, or correct the key (did you mean "turing1950"?)``
  (sphinxcontrib-bibtex's own ``key_not_found`` line, without file fix, is
  left out). It is checked on every build, whether the essay was read again
  or not, and ``make check`` reports it like any warning.
- **Incremental builds**: the .bib file is no dependency of every citing
  essay (sphinxcontrib-bibtex makes it one): an essay is read again when an
  entry it cites was added, changed or removed, and no other; a list
  showing an excerpt that cites an entry is written again when that entry
  changes (``essay-list-inputs``), and so is a feed entry of an essay citing
  it (``essay-feed-inputs``).
- Without sphinxcontrib-bibtex (no .bib file), a page that uses a ``cite``
  role gets one line saying which file to create.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from essaysite.patches import ablog, bibtex

logger = logging.getLogger(__name__)

EXTENSION = "sphinxcontrib.bibtex"
DIRECTIVE = "essay-sources"
SECTION_CLASS = "essay-sources"
# A cite role in MyST ({cite:p}`key`) or reStructuredText (:cite:p:`key`).
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`|(?<![\w`]):(?:foot)?cite(?::[a-z]+)?:`")
OWN_LIST = re.compile(r"\{(?:foot)?bibliography\}|\.\. (?:foot)?bibliography::")
# The same work in several essays' lists is the point of a list per essay.
SUPPRESSED = ["bibtex.duplicate_citation", "bibtex.duplicate_label", "bibtex.key_not_found"]


def uses_bibtex(app: Sphinx) -> bool:
    return EXTENSION in app.extensions


# -- Set up only with sphinxcontrib-bibtex ------------------------------------------------------


def configure(app: Sphinx, config: Config) -> None:
    """With sphinxcontrib-bibtex (conf.py loads it when a .bib file exists): the styles, the directive, the warnings."""
    if not uses_bibtex(app):
        return
    from essaysite.features import citation_style

    citation_style.register()
    # sphinxcontrib-bibtex's own line for an unknown key gives way to this module's only when it can check keys.
    suppressed = SUPPRESSED if bibtex.BIBDATA.holds(app) else [s for s in SUPPRESSED if s != "bibtex.key_not_found"]
    config.suppress_warnings = [*config.suppress_warnings, *(s for s in suppressed if s not in config.suppress_warnings)]
    app.add_directive(DIRECTIVE, sources_directive(app), override=True)


def sources_directive(app: Sphinx):
    from sphinxcontrib.bibtex.directives import BibliographyDirective

    class EssaySources(BibliographyDirective):
        """The works this page cites, under a heading; nothing when it cites none."""

        required_arguments = 0
        optional_arguments = 0
        has_content = False
        option_spec: dict = {}

        def run(self) -> list[nodes.Node]:
            document = self.state.document
            if not any(is_citation(node) for node in document.findall(addnodes.pending_xref)):
                return []
            self.options = {"filter": "docname in docnames"}
            found = super().run()
            bibtex.forget_bibfile_dependency(app, self.env, self.env.docname)
            title = app.config.essays_sources_title
            section = nodes.section(classes=[SECTION_CLASS])
            section += nodes.title(title, title)
            section.extend(found)
            section["names"].append(nodes.fully_normalize_name(title))
            document.note_implicit_target(section, section)
            return [section]

    return EssaySources


def is_citation(node: nodes.Node) -> bool:
    return isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite"


# -- Reading --------------------------------------------------------------------------------------


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def append_sources(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page that cites ends with its list of sources (source-read: what Sphinx reads, not the file)."""
    found = CITE_ROLE.search(source[0])
    if found is None:
        return
    if not uses_bibtex(app):
        line = role_outside_code(source[0])
        if line is None:
            return
        files = ", ".join(app.config.bibtex_bibfiles) if "bibtex_bibfiles" in app.config else "posts/references.bib"
        logger.warning(
            "a citation (%s), but the site has no BibTeX file: create %s with the entries cited "
            "(docs/writing.md, \"Citing sources\")",
            line[1],
            files,
            location=(docname, line[0]),
            type="essays",
            subtype="citation",
        )
        return
    if OWN_LIST.search(source[0]) is None:
        source[0] = source[0].rstrip("\n") + f"\n\n```{{{DIRECTIVE}}}\n```\n"


ROLE_BEFORE_CODE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}$")


def role_outside_code(text: str) -> tuple[int, str] | None:
    """(line, role) of the first cite role in the text, not in code; only where there is no .bib file.

    A role is its name and a code span (``{cite:p}`key```); a page that
    only shows the syntax (in a code span or block) cites nothing.
    """
    from markdown_it import MarkdownIt

    lines = text.splitlines()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "inline" or not token.children or not token.map:
            continue
        for before, after in zip(token.children, token.children[1:]):
            found = ROLE_BEFORE_CODE.search(before.content) if before.type == "text" else None
            if found and after.type == "code_inline":
                written = f"{found.group(0)}`{after.content}`"
                line = next((n + 1 for n in range(token.map[0], len(lines)) if written in lines[n]), token.map[0] + 1)
                return line, found.group(0)
    return None


class LiftSources(SphinxTransform):
    """The list of sources becomes the essay's last section, and each citation remembers its essay.

    MyST puts what a directive returns inside the section it appears in (the
    essay's last); the list is a section of the essay itself.
    """

    default_priority = 870  # before Sphinx emits doctree-read (DoctreeReadEvent, 880), where ABlog copies the essay

    def apply(self, **kwargs) -> None:
        top = self.document.next_node(nodes.section)
        for section in list(self.document.findall(nodes.section)):
            if SECTION_CLASS in section["classes"] and top is not None and section.parent is not top:
                section.parent.remove(section)
                top.append(section)
        for node in self.document.findall(addnodes.pending_xref):
            if is_citation(node):
                node["essay_docname"] = self.env.docname


def keys_of(node: nodes.Node) -> list[str]:
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets

    try:
        return [target.key for target in parse_citation_targets(node.get("reftarget", ""))]
    except Exception:  # a malformed target: sphinxcontrib-bibtex says so when it resolves it
        return []


def record_citations(app: Sphinx, doctree: nodes.document) -> None:
    """Each citation's line and keys, and the keys cited in ABlog's excerpt (doctree-read, after ABlog's copies)."""
    env = app.env
    if not hasattr(env, "essays_citations"):
        env.essays_citations = {}
    env.essays_citations.pop(env.docname, None)
    found = [node for node in doctree.findall(addnodes.pending_xref) if is_citation(node)]
    if not found:
        return
    text = source_text(env, env.docname)
    cited = [(citation_line(text, node), keys_of(node)) for node in found]
    excerpt = sorted(
        {key for tree in ablog.excerpt_copies(app, env, env.docname) for node in tree.findall(addnodes.pending_xref) if is_citation(node) for key in keys_of(node)}
    )
    env.essays_citations[env.docname] = {"cited": cited, "excerpt": excerpt}


def source_text(env: BuildEnvironment, docname: str) -> str:
    try:
        return Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return ""


def citation_line(text: str, node: nodes.Node) -> int:
    """The line of the citation itself: MyST gives a role the line of its paragraph."""
    start = max((node.line or 1) - 1, 0)
    lines = text.splitlines()
    written = "`" + node.get("reftarget", "") + "`"
    for number in range(start, len(lines)):
        if written in lines[number]:
            return number + 1
    return node.line or 0


def purge_citations(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "essays_citations", {}).pop(docname, None)


def merge_citations(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "essays_citations"):
        env.essays_citations = {}
    theirs = getattr(other, "essays_citations", {})
    env.essays_citations.update({d: theirs[d] for d in docnames if d in theirs})


# -- The entries, and what changed since the last build ---------------------------------------------


def entries(app: Sphinx) -> dict:
    """The BibTeX entries of this build, by key (sphinxcontrib-bibtex parsed them once, when the build started)."""
    return bibtex.entries(app) if uses_bibtex(app) else {}


def entry_digest(entry) -> str:
    return hashlib.sha256(entry.to_string("bibtex").encode("utf-8")).hexdigest()


def cited_keys(env: BuildEnvironment, docname: str) -> set[str]:
    return {key for _, keys in getattr(env, "essays_citations", {}).get(docname, {}).get("cited", []) for key in keys}


def read_again(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """The essays citing an entry added, changed or removed since the last build (env-get-outdated)."""
    before = getattr(env, "essays_cited_entries", None)
    if before is None or not uses_bibtex(app) or not bibtex.BIBDATA.holds(app):
        return []
    now = entries(app)
    moved = {key for key, digest in before.items() if (entry_digest(now[key]) if key in now else None) != digest}
    return sorted(d for d in getattr(env, "essays_citations", {}) if d not in changed and d not in removed and cited_keys(env, d) & moved)


def check_keys(app: Sphinx, env: BuildEnvironment) -> None:
    """Every cited key exists, on every build; each cited entry's digest kept for the next (env-updated)."""
    if not uses_bibtex(app) or not bibtex.BIBDATA.holds(app):
        return
    known = entries(app)
    files = ", ".join(Path(f).as_posix() for f in app.config.bibtex_bibfiles)
    kept = {}
    for docname in sorted(getattr(env, "essays_citations", {})):
        for line, keys in env.essays_citations[docname]["cited"]:
            for key in keys:
                if key in known:
                    kept[key] = entry_digest(known[key])
                    continue
                near = difflib.get_close_matches(key, list(known), n=1)
                hint = f' (did you mean "{near[0]}"?)' if near else ""
                logger.warning(
                    'citation key "%s" is not in %s: add its BibTeX entry there, or correct the key%s',
                    key,
                    files,
                    hint,
                    location=(docname, line or None),
                    type="essays",
                    subtype="citation",
                )
    env.essays_cited_entries = kept


def list_inputs(app: Sphinx, docname: str) -> list:
    """What a list shows of an essay's citations: the entries its excerpt cites (essay-list-inputs)."""
    keys = getattr(app.env, "essays_citations", {}).get(docname, {}).get("excerpt", [])
    known = entries(app)
    return [(key, entry_digest(known[key]) if key in known else None) for key in keys]


def feed_inputs(app: Sphinx, docname: str) -> list:
    """What an essay's feed entry shows of its citations: every entry it cites, as its page does (essay-feed-inputs).

    The essay is read again when one of them changes; this keeps its kept feed entry from outliving that too."""
    known = entries(app)
    return [(key, entry_digest(known[key]) if key in known else None) for key in sorted(cited_keys(app.env, docname))]


# -- An excerpt shown on another page -------------------------------------------------------------


def post_transforms(app: Sphinx) -> list[type]:
    """This module's post-transforms, for ``app`` (a transform's own ``app`` is deprecated)."""

    class FreshLists(SphinxPostTransform):
        """A list of sources resolved again in the same build (the page, then the feed) is whole each time."""

        default_priority = 4  # before sphinxcontrib-bibtex fills the lists (5)

        def run(self, **kwargs) -> None:
            if uses_bibtex(app):
                bibtex.fresh_citation_nodes(app, self.document)

    class CitationsFromTheirEssay(SphinxPostTransform):
        """In an excerpt or essay shown on another page, a citation points at its own essay's list.

        ABlog resolves the references of an excerpt or a post list from the
        page it is shown on, or from the essay as if it were that page, where
        sphinxcontrib-bibtex would pick any essay's list holding the key, or
        link to an anchor of the page shown. Here it is resolved from the essay the citation was written in,
        through the domain's ``resolve_xref``, and the link made relative to the
        page shown.
        """

        default_priority = 6  # after sphinxcontrib-bibtex fills the lists (5), before Sphinx resolves references (10)

        def run(self, **kwargs) -> None:
            if not uses_bibtex(app):
                return
            domain = self.env.get_domain("cite")
            page = self.env.docname  # the page being written, whatever the reference says
            for node in list(self.document.findall(addnodes.pending_xref)):
                essay = node.get("essay_docname")
                if not is_citation(node) or not essay or essay == page:
                    continue
                contnode = node[0].deepcopy() if node.children else nodes.inline()
                result = domain.resolve_xref(self.env, essay, app.builder, node["reftype"], node["reftarget"], node, contnode)
                prefix = app.builder.get_relative_uri(page, essay)
                for ref in result.findall(nodes.reference):
                    # Sphinx links within a page by refid, elsewhere by refuri.
                    if ref.get("refid") and not ref.get("refuri"):
                        ref["refuri"] = f"{prefix}#{ref['refid']}"
                        del ref["refid"]
                        ref["internal"] = True
                    elif ref.get("refuri", "").startswith("#"):
                        ref["refuri"] = prefix + ref["refuri"]
                node.replace_self(result)

    return [FreshLists, CitationsFromTheirEssay]


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")  # its essay-list-inputs event
    app.setup_extension("essaysite.patches.ablog")
    app.setup_extension("essaysite.patches.bibtex")
    app.add_config_value("essays_sources_title", "Sources", "env", types=frozenset({str}))
    app.connect("config-inited", configure)
    # After the front-matter check's corrections (essaysite.features.frontmatter, 500).
    app.connect("source-read", append_sources, priority=900)
    app.add_transform(LiftSources)
    for transform in post_transforms(app):
        app.add_post_transform(transform)
    app.connect("doctree-read", record_citations, priority=900)
    app.connect("env-purge-doc", purge_citations)
    app.connect("env-merge-info", merge_citations)
    app.connect("env-get-outdated", read_again)
    app.connect("env-updated", check_keys)
    app.connect("essay-list-inputs", list_inputs)
    app.connect("essay-feed-inputs", feed_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
