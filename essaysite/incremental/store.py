"""What a build keeps for the next one, in the doctree folder: the one place that loads and saves it.

Several modules keep state between builds (essaysite.incremental.freshness:
each page's inputs and the files it wrote; essaysite.incremental.unchanged_lists:
each list's and feed's digest and the feed entries; essaysite.features.related:
the related essays chosen; essaysite.features.previews: the site card drawn
last). Each state is a JSON file in the doctree folder, one per builder and
name, loaded once per build (``load``) and saved when the build succeeds
(``save``).

A state holds only for what made it: the output folder it was written with,
and its key, which changes with

- the essaysite package's version,
- the essaysite code that shapes outputs (a digest of the package's Python
  modules, templates and stylesheets, computed once per process): a feed
  entry written by older code is not kept,
- the configuration that shapes pages and feeds (every value Sphinx reads
  again or rewrites pages for, ``env`` and ``html``; a changed
  ``blog_feed_fulltext`` writes every entry again), as it is when the
  configuration is ready, and the build's tags.

Built into another folder, or with another key, the build starts from
nothing, as a clean one. One kind of state holds whatever the key
(``keyed=False``): what the last build wrote into this output folder, which
a build whose configuration changed must still know to remove what it no
longer writes. Nothing here is needed for a correct build, only for
a quick one: an unreadable file counts as none.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from essaysite import state

PACKAGE = Path(__file__).parents[1]
CODE_SUFFIXES = {".py", ".html", ".css", ".js"}
# Configuration values that shape what is written (Sphinx's rebuild categories).
SHAPING = {"env", "html"}


def digest(data) -> str:
    """A digest of JSON-able data (anything else by its ``str``)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def package_version() -> str:
    try:
        return metadata.version("essaysite")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


@functools.cache
def code_digest() -> str:
    """A digest of the package's code and templates (once per process)."""
    found = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            found.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            found.update(path.read_bytes() + b"\0")
    return found.hexdigest()


def stable(value):
    """``value`` as JSON that is the same in every process (sets sorted, objects by their type)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return sorted(([str(k), stable(v)] for k, v in value.items()), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((stable(v) for v in value), key=json.dumps)
    if isinstance(value, Path):
        return str(value)
    # A function or an object: its repr may hold an address, different in every process.
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def config_digest(config: Config) -> str:
    return digest(sorted([item.name, stable(item.value)] for item in config if item.rebuild in SHAPING))


def compute_key(app: Sphinx) -> str:
    return digest([package_version(), code_digest(), config_digest(app.config), sorted(app.tags)])


def note_key(app: Sphinx, config: Config) -> None:
    """The key, as the configuration is once every extension has set it up (config-inited, late)."""
    state.of(app).kept.key = compute_key(app)


def key(app: Sphinx) -> str:
    kept = state.of(app).kept
    if kept.key is None:  # this module's setup() did not run: the key as the configuration is now
        kept.key = compute_key(app)
    return kept.key


def state_path(app: Sphinx, name: str) -> Path:
    return Path(app.doctreedir) / f"essaysite-{app.builder.name}-{name}.json"


def read(app: Sphinx, name: str, keyed: bool = True) -> dict:
    try:
        saved = json.loads(state_path(app, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(saved, dict) or saved.get("outdir") != str(app.outdir) or (keyed and saved.get("key") != key(app)):
        return {}
    kept = saved.get("kept")
    return kept if isinstance(kept, dict) else {}


def load(app: Sphinx, name: str, keyed: bool = True) -> dict:
    """The state ``name`` the last successful build with the same key saved into this output folder, or {} (read once per build).

    ``keyed=False``: whatever the key the build had (what it wrote into this output folder).
    """
    before = state.of(app).kept.before
    if name not in before:
        before[name] = read(app, name, keyed)
    return before[name]


def save(app: Sphinx, name: str, kept: dict) -> None:
    """Keep ``kept`` for the next build with the same key into this output folder."""
    path = state_path(app, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = {"outdir": str(app.outdir), "key": key(app), "kept": kept}
    # Compact: JSON with an indent is written by Python's slow encoder (0.13 s against 0.03 s for a 10,000-essay state).
    text = json.dumps(saved, sort_keys=True, separators=(",", ":"))
    try:
        if path.read_text(encoding="utf-8") == text:
            return  # as saved: not written again
    except (OSError, ValueError):
        pass
    path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # After the project's own config-inited handlers (front matter 800, drafts 900).
    app.connect("config-inited", note_key, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
