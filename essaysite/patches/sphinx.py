"""Sphinx's internals the project relies on, written against Sphinx 9.0.4.

Replacements (applied per build by ``essaysite.speed``, only with
``essays_speedups`` on; each checked first, see ``essaysite.patches.guard``):

- ``DOCUTILS_SETTINGS``: ``sphinx.util.docutils._get_settings``, which
  ``_parse_str_to_doctree`` calls for every document read;
- ``FILE_CHECKSUM``: ``sphinx.builders.html._file_checksum``, which the
  ``css_tag``/``js_tag`` helpers of ``handle_page`` call for every asset link;
- ``PYGMENTS_FORMATTER``: ``PygmentsBridge.get_formatter``, which
  ``highlight_block`` calls for every code block;
- ``READING_SHARES``: ``sphinx.builders.make_chunks``, which
  ``Builder._read_parallel`` calls to deal out the documents;
- ``GENERATED_PAGES``: a builder's ``gen_pages_from_extensions``, which
  ``finish`` looks up on the builder;
- ``DOMAINS_CLEARING``: ``_DomainsContainer._clear_doc``, which
  ``BuildEnvironment.clear_doc`` calls for every document before it is read
  (``Builder._read_serial``, ``_read_parallel``) or once it is removed.

Couplings that replace nothing, each behind a function of this module:
the number of processes a build asks for (``app.parallel``, read by
``Builder.read`` and ``Builder.build`` when they choose how to read and
write), the doctrees an environment keeps loaded (``_pickled_doctree_cache``,
which ``BuildEnvironment.get_doctree`` fills), the standard domain's labels, the HTML builder's picture table and
permalink switch, the hash of the configuration in ``.buildinfo``, and the
listeners of an event.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, Iterator

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.osutil import relative_uri

from essaysite.patches.guard import Coupling, Replacement, find, looks_up

PACKAGE, WRITTEN_FOR = "sphinx", "9.0.4"

DOCUTILS_SETTINGS = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "docutils settings made once per build",
    owner="sphinx.util.docutils",
    attribute="_get_settings",
    parameters=("components", "defaults", "read_config_files"),
    callers=("sphinx.util.docutils:_parse_str_to_doctree",),
)
FILE_CHECKSUM = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "asset checksums kept for the build",
    owner="sphinx.builders.html",
    attribute="_file_checksum",
    parameters=("outdir", "filename"),
    callers=("sphinx.builders.html:StandaloneHTMLBuilder.handle_page",),
)
PYGMENTS_FORMATTER = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "one Pygments formatter per set of options",
    owner="sphinx.highlighting:PygmentsBridge",
    attribute="get_formatter",
    parameters=("self", "kwargs"),
    callers=("sphinx.highlighting:PygmentsBridge.highlight_block",),
)
READING_SHARES = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "documents read in one share per process",
    owner="sphinx.builders",
    attribute="make_chunks",
    parameters=("arguments", "nproc", "maxbatch"),
    callers=("sphinx.builders:Builder._read_parallel",),
)
GENERATED_PAGES = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "generated pages written by several processes",
    owner="sphinx.builders.html:StandaloneHTMLBuilder",
    attribute="gen_pages_from_extensions",
    parameters=("self",),
    callers=("sphinx.builders.html:StandaloneHTMLBuilder.finish",),
)
DOMAINS_CLEARING = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "documents cleared before serial reading",
    owner="sphinx.domains._domains_container:_DomainsContainer",
    attribute="_clear_doc",
    parameters=("self", "docname"),
    callers=("sphinx.environment:BuildEnvironment.clear_doc",),
)


class LookedUp(Coupling):
    """An attribute other code reads when it runs: changing it changes what that code does."""

    def __init__(self, what: str, attribute: str, callers: tuple[str, ...], owner: str = "") -> None:
        super().__init__(PACKAGE, WRITTEN_FOR, what)
        self.attribute, self.callers, self.owner = attribute, callers, owner

    def problem(self) -> str | None:
        try:
            if self.owner and not hasattr(find(self.owner), self.attribute):
                return f"{self.owner.replace(':', '.')}.{self.attribute} is gone"
            for caller in self.callers:
                if not looks_up(find(caller), self.attribute):
                    return f"{caller} no longer looks up {self.attribute}"
        except LookupError as error:
            return str(error)
        return None


# -- How many processes read and write ------------------------------------------------

PROCESSES = LookedUp(
    "parallel only where it pays",
    "parallel",
    ("sphinx.builders:Builder.read", "sphinx.builders:Builder.build"),
)


def set_processes(app: Sphinx, count: int) -> None:
    """Read or write with ``count`` processes from now on (Sphinx reads ``app.parallel`` when it chooses)."""
    if PROCESSES.holds(app):
        app.parallel = count


# -- Clearing documents before reading them --------------------------------------------

SERIAL_CLEARING = LookedUp(
    "documents cleared before serial reading",
    "clear_doc",
    ("sphinx.builders:Builder._read_serial", "sphinx.builders:Builder._read_parallel"),
    owner="sphinx.environment:BuildEnvironment",
)


def reads_in_parallel(app: Sphinx) -> bool:
    """Whether the reading about to start may run in processes (``Builder.read``'s own test, less
    its check of each extension, which warns).

    Asked at ``env-before-read-docs``, after ``essaysite.speed.parallel`` chose.
    """
    from sphinx.util.parallel import parallel_available

    return bool(parallel_available and getattr(app, "parallel", 1) > 1)


# -- The doctrees an environment keeps in memory ----------------------------------------

DOCTREE_CACHE = LookedUp(
    "loaded doctrees kept in bounded memory",
    "_pickled_doctree_cache",
    ("sphinx.environment:BuildEnvironment.get_doctree",),
)


class LatestEntries(dict):
    """A dict that keeps its ``LIMIT`` latest entries (the oldest go first)."""

    LIMIT = 64

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > self.LIMIT:
            del self[next(iter(self))]


def bound_doctree_cache(app: Sphinx, env: BuildEnvironment) -> None:
    """``env.get_doctree`` keeps the bytes of the latest doctrees it loaded only, not of every one."""
    cache = getattr(env, "_pickled_doctree_cache", None)
    if DOCTREE_CACHE.holds(app) and type(cache) is dict:
        bounded = LatestEntries()
        for docname, serialised in cache.items():
            bounded[docname] = serialised
        env._pickled_doctree_cache = bounded


# -- Labels --------------------------------------------------------------------------

LABELS = LookedUp("essay labels that link to the page", "anonlabels", (), owner="sphinx.domains.std:StandardDomain")


def point_label_at_page(app: Sphinx, env: BuildEnvironment, label: str) -> None:
    """The standard domain's ``label`` links to its page itself, with no anchor."""
    if not LABELS.holds(app):
        return
    std = env.domains.standard_domain
    docname, _, title = std.labels[label]
    std.labels[label] = (docname, "", title)
    std.anonlabels[label] = (docname, "")


# -- The HTML builder's pictures and permalinks ---------------------------------------

IMAGE_PATH = LookedUp(
    "fragments with pictures and links resolved for their page",
    "imgpath",
    ("sphinx.builders.html:StandaloneHTMLBuilder.post_process_images",),
    owner="sphinx.builders.html:StandaloneHTMLBuilder",
)
PERMALINKS = LookedUp(
    "fragments without permalinks",
    "add_permalinks",
    ("sphinx.writers.html5:HTML5Translator.add_permalink_ref",),
    owner="sphinx.builders.html:StandaloneHTMLBuilder",
)
PICTURES = LookedUp(
    "pictures in raw HTML published",
    "images",
    ("sphinx.builders.html:StandaloneHTMLBuilder.copy_image_files",),
)


def point_images_from(app: Sphinx, pagename: str) -> None:
    """Scaled pictures of what is rendered next link to ``_images/`` as seen from ``pagename``."""
    if IMAGE_PATH.holds(app):
        app.builder.imgpath = relative_uri(app.builder.get_target_uri(pagename), "_images")


@contextlib.contextmanager
def without_permalinks(app: Sphinx) -> Iterator[None]:
    """Headings rendered meanwhile get no permalink (a fragment for another page)."""
    if not PERMALINKS.holds(app):
        yield
        return
    builder = app.builder
    add_permalinks, builder.add_permalinks = builder.add_permalinks, False
    try:
        yield
    finally:
        builder.add_permalinks = add_permalinks


def publish_picture(app: Sphinx, docname: str, path: str) -> str | None:
    """Copy the site's file ``path`` into ``_images/`` like a picture of ``docname``; its name there.

    None when the builder keeps no table of pictures (the caller leaves the link as written).
    """
    if not hasattr(app.builder, "images") or not PICTURES.holds(app):
        return None
    if not hasattr(app.env.images, "add_file"):
        PICTURES.warn(app, "the environment's images table has no add_file")
        return None
    name = app.env.images.add_file(docname, path)
    app.builder.images[path] = name
    return name


# -- What every page depends on -------------------------------------------------------

BUILD_INFO = Coupling(PACKAGE, WRITTEN_FOR, "lists kept when nothing they show changed")


def config_and_tags(app: Sphinx) -> list[str]:
    """The digests of the configuration and tags Sphinx writes into ``.buildinfo``.

    When the builder keeps none that this module recognises, a value no
    other build has: every list is written again, as ABlog does.
    """
    from sphinx.builders.html import StandaloneHTMLBuilder

    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return ["", ""]
    info = getattr(app.builder, "build_info", None)
    hashes = [getattr(info, name, None) for name in ("config_hash", "tags_hash")]
    if not all(isinstance(value, str) and value for value in hashes):
        BUILD_INFO.warn(app, "the HTML builder's build_info has no config_hash and tags_hash")
        return [uuid.uuid4().hex, ""]
    return hashes


# -- Event listeners ------------------------------------------------------------------

LISTENERS = Coupling(PACKAGE, WRITTEN_FOR, "another extension's handler replaced")


def listeners_of(app: Sphinx, event: str) -> list[Any]:
    """The handlers connected to ``event``: objects with ``id``, ``handler`` and ``priority``."""
    listeners = getattr(app.events, "listeners", None)
    if not isinstance(listeners, dict):
        LISTENERS.warn(app, "the event manager keeps no listeners table")
        return []
    found = list(listeners.get(event, []))
    if found and not all(hasattr(found[0], name) for name in ("id", "handler", "priority")):
        LISTENERS.warn(app, "an event listener has no id, handler and priority")
        return []
    return found

