"""Checked cross-references between essays (and every other page).

An essay links to another by label (``{ref}`other-essay```, ``{ref}`a-label```),
by document (``{doc}`/posts/other```) or by a MyST path link
(``[text](other.md)``, ``[text](other.md#a-section)``). While reading, each
document's links are recorded in ``env.essays_xrefs``; after reading, every
link of every document is checked against the whole site, and a link to
nothing stops the build with ONE message naming the file, the line and the
fix. Sphinx's and MyST's own warnings for a link to nothing (given again
for every page and feed the link is rendered on) are left out through the
public ``suppress_warnings`` (``ref.ref``, ``ref.doc``, ``myst.xref_missing``):
every such link is one this module reports.

The recorded links also give the link graph: which documents a document
links to (``linked_docnames``), used for backlinks, and what each link shows
(the target's title), used to rewrite a page when a title it shows changes.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from essaysite.patches import ablog, sphinx as sphinx_patches

logger = logging.getLogger(__name__)

# Warnings Sphinx and MyST give for a link to nothing; replaced by this module's.
NATIVE_WARNINGS = ["ref.ref", "ref.doc", "myst.xref_missing"]


class XRef(NamedTuple):
    kind: str  # "ref", "doc" or "path"
    target: str  # label, docname, or (kind "path", unresolved) the path as written
    anchor: str  # a section id for a path link with #section, else ""
    explicit: bool  # the link has its own text
    line: int


class Resolved(NamedTuple):
    docname: str | None  # None: the link points at nothing
    shows: str  # the text a link without its own text shows (title of the target)


def record_xrefs(app: Sphinx, doctree: nodes.document) -> None:
    """Record every cross-reference of the document just read."""
    env = app.env
    if not hasattr(env, "essays_xrefs"):
        env.essays_xrefs = {}
    found = [x for x in map(lambda node: xref_of(node, env.docname), doctree.findall(addnodes.pending_xref)) if x]
    if found:
        env.essays_xrefs[env.docname] = found


def xref_of(node: addnodes.pending_xref, docname: str) -> XRef | None:
    """The cross-reference ``node`` of ``docname`` is, if it is one this module checks."""
    domain, reftype, target = node.get("refdomain"), node.get("reftype"), node.get("reftarget", "")
    line = line_of(node)
    explicit = bool(node.get("refexplicit"))
    if (domain, reftype) == ("std", "ref"):
        return XRef("ref", target, "", explicit, line)
    if (domain, reftype) == ("std", "doc"):
        absolute = target[1:] if target.startswith("/") else posixpath.join(posixpath.dirname(docname), target)
        return XRef("doc", posixpath.normpath(absolute), "", explicit, line)
    if (domain, reftype) == ("doc", "myst"):
        return XRef("doc", target, node.get("reftargetid") or "", explicit, line)
    if reftype == "myst" and domain is None and is_path_link(target):
        # MyST found no file at this path when it read the document.
        path, _, anchor = target.partition("#")
        return XRef("path", path, anchor, explicit, line)
    return None


def line_of(node: nodes.Node) -> int:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return 0


def is_path_link(target: str) -> bool:
    path = target.partition("#")[0]
    return path.endswith((".md", ".rst", ".ipynb"))


def point_essay_labels_at_pages(app: Sphinx, doctree: nodes.document) -> None:
    """ABlog's label for an essay (its file name) names an anchor that does not exist.

    ``{ref}`other-essay``` would link to ``other-essay.html#other-essay``; with
    no anchor in the label it links to the page itself.
    """
    env = app.env
    std = env.domains.standard_domain
    if not ablog.is_post_document(env, env.docname):
        return
    folder, label = posixpath.split(env.docname)
    if label == "index":  # ABlog names posts/x/index.md after its folder
        label = posixpath.basename(folder)
    entry = std.labels.get(label)
    if entry and entry[0] == env.docname and entry[1] == label and label not in doctree.ids:
        sphinx_patches.point_label_at_page(app, env, label)


def purge_xrefs(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if hasattr(env, "essays_xrefs"):
        env.essays_xrefs.pop(docname, None)


def merge_xrefs(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "essays_xrefs"):
        env.essays_xrefs = {}
    theirs = getattr(other, "essays_xrefs", {})
    for docname in docnames:
        if docname in theirs:
            env.essays_xrefs[docname] = theirs[docname]


def blog_references(app: Sphinx) -> dict:
    """Labels ABlog resolves itself (``blog-feed``, ``tag-ai``, ...)."""
    return ablog.blog_of(app).references


def title_of(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else ""


def resolve(app: Sphinx, docname: str, xref: XRef) -> Resolved:
    env = app.env
    std = env.domains.standard_domain
    if xref.kind == "ref":
        if xref.target in std.labels:
            target, _, title = std.labels[xref.target]
            return Resolved(target, title)
        if xref.target in std.anonlabels:
            return Resolved(std.anonlabels[xref.target][0], "")
        references = blog_references(app)
        if xref.target in references:
            target, title = references[xref.target]
            return Resolved(target, str(title))
        return Resolved(None, "")
    if xref.kind == "doc":
        if xref.target not in env.all_docs:
            return Resolved(None, "")
        if not xref.anchor:
            return Resolved(xref.target, title_of(env, xref.target))
        slugs = env.metadata.get(xref.target, {}).get("myst_slugs", {})
        if xref.anchor in slugs:
            return Resolved(xref.target, slugs[xref.anchor][2])
        for store in (std.labels, std.anonlabels):
            for name, entry in store.items():
                if entry[0] == xref.target and xref.anchor in (name, entry[1]):
                    return Resolved(xref.target, entry[2] if len(entry) > 2 else "")
        return Resolved(None, "")
    return Resolved(None, "")  # "path": MyST found no such file


def resolved_xrefs(app: Sphinx, docname: str) -> list[tuple[XRef, Resolved]]:
    return [(x, resolve(app, docname, x)) for x in getattr(app.env, "essays_xrefs", {}).get(docname, [])]


def linked_docnames(app: Sphinx, docname: str) -> set[str]:
    """The documents ``docname`` links to (itself excluded)."""
    return {r.docname for _, r in resolved_xrefs(app, docname) if r.docname and r.docname != docname}


def problem(docname: str, xref: XRef, srcdir=None) -> str:
    if xref.kind == "ref":
        return (
            f"cross-reference to the label {xref.target!r}, which no essay or page defines. "
            "Fix: use an essay's file name without .md ({ref}`file-name`), or a label "
            "written as (label)= on the line above a heading; check the spelling."
        )
    if xref.kind == "path":
        written = xref.target + (f"#{xref.anchor}" if xref.anchor else "")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), xref.target)).lstrip("/")
        if srcdir is not None and not (Path(srcdir) / path).exists():
            what = f": {path} does not exist."
        else:
            what = ", which is not an essay or page of this site."
        return (
            f"link to {written!r}{what} "
            "Fix: link to an existing .md file by its path relative to this file "
            "(other-essay.md, ../docs/writing.md); check the spelling."
        )
    if xref.anchor:
        return (
            f"link to the section #{xref.anchor} of {xref.target!r}, which has no heading or label "
            f"{xref.anchor!r}. Fix: use a heading's anchor or a (label)= written above a heading."
        )
    return (
        f"link to the document {xref.target!r}, which does not exist. "
        "Fix: link to an existing essay or page (an absolute {doc} target starts with /)."
    )


def check_xrefs(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: one message for each link that points at nothing."""
    for docname in sorted(getattr(env, "essays_xrefs", {})):
        if docname not in env.all_docs:
            continue
        for xref, resolved in resolved_xrefs(app, docname):
            if resolved.docname is None:
                logger.warning(problem(docname, xref, app.srcdir), location=(docname, xref.line), type="essays", subtype="xref")


def leave_out_native_warnings(app: Sphinx, config: Config) -> None:
    """Sphinx's and MyST's warnings for a link to nothing: this module gives one per link instead."""
    config.suppress_warnings = [*config.suppress_warnings, *(w for w in NATIVE_WARNINGS if w not in config.suppress_warnings)]


def reread_links_to_added(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read documents whose path link names a file that now exists.

    MyST resolves a path link when it reads the linking document; one written
    before its target existed must be read again once the target is added.
    """
    if not added:
        return []
    stale = []
    for docname, xrefs in getattr(env, "essays_xrefs", {}).items():
        for xref in xrefs:
            if xref.kind == "path":
                path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), xref.target))
                if posixpath.splitext(path)[0] in added:
                    stale.append(docname)
                    break
    return stale


def page_inputs(app: Sphinx, docname: str):
    """What the page shows of other pages through its links (target and title)."""
    return [(x.kind, x.target, x.anchor, r.docname, r.shows) for x, r in resolved_xrefs(app, docname)]


def excerpt_inputs(app: Sphinx, docname: str):
    """What the links of an essay's excerpt show, on the lists of essays."""
    blog = ablog.blog_of(app)
    if docname not in blog:
        return None
    shown = []
    for part in blog[docname].excerpt:
        for node in part.findall(addnodes.pending_xref):
            xref = xref_of(node, docname)
            if xref is not None:
                resolved = resolve(app, docname, xref)
                shown.append((xref.kind, xref.target, xref.anchor, resolved.docname, resolved.shows))
    return shown or None


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")
    app.connect("config-inited", leave_out_native_warnings)
    app.connect("doctree-read", record_xrefs)
    app.connect("doctree-read", point_essay_labels_at_pages, priority=600)  # after ABlog's (500)
    app.connect("env-purge-doc", purge_xrefs)
    app.connect("env-merge-info", merge_xrefs)
    app.connect("env-get-outdated", reread_links_to_added)
    # After essaysite.incremental.freshness has registered the posts (ABlog's labels).
    app.connect("env-updated", check_xrefs, priority=600)
    app.connect("essay-page-inputs", page_inputs)
    app.connect("essay-feed-inputs", page_inputs)  # an essay's feed entry shows its links as its page does
    app.connect("essay-list-inputs", excerpt_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
