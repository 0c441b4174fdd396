"""sphinxcontrib-bibtex's internals, written against sphinxcontrib-bibtex 2.7.0.

What ``essaysite.features.citations`` relies on beyond the extension's
documented roles, directive and configuration:

- **The parsed entries** (``BIBDATA``): the ``cite`` domain's ``bibdata``
  (``BibData.data.entries``, pybtex's entries by key), which the extension
  parses once, when the build starts (``builder_inited_cite``). Read to
  check every cited key and to know which entries changed since the last
  build.
- **The .bib file as a dependency** (``BIBFILE_DEPENDENCY``): the
  ``bibliography`` directive notes every .bib file as a dependency of its
  page (``env.note_dependency``), so that any change to the file read every
  citing essay again. The essay's list is made by a subclass of that
  directive, which takes the dependency back: the essays citing an entry
  that changed are read again instead (features.citations, env-get-outdated).

- **The citation nodes of a list** (``FRESH_CITATIONS``): the domain keeps,
  for each list, one citation node per entry (``BibliographyValue.citation_nodes``),
  and ``BibliographyTransform`` fills those very nodes with the entry's label
  and text each time it resolves a document. An essay resolved twice in a
  build (its page, then its feed entry) showed every entry twice in the
  second. Before each resolution the nodes of the document's lists are
  replaced by empty copies of themselves (same ids and attributes).

Each is checked when used; when it does not hold, the stock behaviour stays
(every citing essay read again when the .bib file changes; no key checked
before sphinxcontrib-bibtex's own warning) and one warning line says so.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from essaysite.patches.guard import Coupling, find, looks_up

PACKAGE, WRITTEN_FOR = "sphinxcontrib-bibtex", "2.7.0"


class LooksUp(Coupling):
    def __init__(self, what: str, function: str, names: tuple[str, ...]) -> None:
        super().__init__(PACKAGE, WRITTEN_FOR, what)
        self.function, self.names = function, names

    def problem(self) -> str | None:
        try:
            function = find(self.function)
        except LookupError as error:
            return str(error)
        for name in self.names:
            if not looks_up(function, name):
                return f"{self.function} no longer uses {name}"
        return None


BIBDATA = LooksUp("cited keys checked at the citation", "sphinxcontrib.bibtex:builder_inited_cite", ("bibdata", "process_bibdata"))
BIBFILE_DEPENDENCY = LooksUp(
    "an essay read again only when an entry it cites changed",
    "sphinxcontrib.bibtex.directives:BibliographyDirective.run",
    ("note_dependency",),
)

FRESH_CITATIONS = LooksUp(
    "an essay's list of sources resolved more than once",
    "sphinxcontrib.bibtex.transforms:BibliographyTransform.run",
    ("citation_nodes", "bibliographies"),
)


def fresh_citation_nodes(app: Sphinx, document) -> None:
    """The domain's citation nodes of each list in ``document``, as empty copies (before BibliographyTransform)."""
    from sphinxcontrib.bibtex.directives import BibliographyKey
    from sphinxcontrib.bibtex.nodes import bibliography

    lists = [node for node in document.findall(bibliography)]
    if not lists or not FRESH_CITATIONS.holds(app):
        return
    domain = app.env.get_domain("cite")
    for node in lists:
        value = getattr(domain, "bibliographies", {}).get(BibliographyKey(docname=node.get("docname"), id_=(node.get("ids") or [""])[0]))
        citation_nodes = getattr(value, "citation_nodes", None)
        if not isinstance(citation_nodes, dict):
            FRESH_CITATIONS.warn(app, "a bibliography keeps no citation_nodes")
            return
        for key, citation in list(citation_nodes.items()):
            citation_nodes[key] = citation.copy()


def entries(app: Sphinx) -> dict[str, Any]:
    """pybtex's entries of every configured .bib file, by key."""
    if not BIBDATA.holds(app):
        return {}
    data = getattr(getattr(app.env.get_domain("cite"), "bibdata", None), "data", None)
    found = getattr(data, "entries", None)
    if found is None:
        BIBDATA.warn(app, "the cite domain keeps no bibdata.data.entries")
        return {}
    return found


def forget_bibfile_dependency(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """The configured .bib files are no longer dependencies of ``docname`` (noted by the bibliography directive)."""
    dependencies = getattr(env, "dependencies", None)
    # Without the entries, nothing would read a citing essay again when its entry changes: the dependency stays.
    if not BIBFILE_DEPENDENCY.holds(app) or not BIBDATA.holds(app):
        return
    if not isinstance(dependencies, dict):
        BIBFILE_DEPENDENCY.warn(app, "the environment keeps no dependencies table")
        return
    bibfiles = {str(path) for path in getattr(getattr(env.get_domain("cite"), "bibdata", None), "bibfiles", {})}
    for dependency in list(dependencies.get(docname, ())):
        if str(dependency) in bibfiles or str(env.srcdir / dependency) in bibfiles:
            dependencies[docname].discard(dependency)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.guard")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
