"""What a build remembers for the next one, in the doctree folder.

Several modules keep state between builds (essaysite.incremental.freshness: each page's
inputs; essaysite.incremental.unchanged_lists: each list's and feed's digest and the
feed entries; essaysite.features.previews: the site card drawn last). Each state is
a JSON file in the doctree folder, one per builder, and holds only for the
output folder it was written with: built into another folder, the build
starts from nothing. Nothing here is needed for a correct build, only for a
quick one: an unreadable file counts as none.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx


def digest(data) -> str:
    """A digest of JSON-able data (anything else by its ``str``)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def state_path(app: Sphinx, name: str) -> Path:
    return Path(app.doctreedir) / f"essaysite-{app.builder.name}-{name}.json"


def load_state(app: Sphinx, name: str) -> dict:
    """The state ``name`` saved by the last build into this output folder, or {}."""
    try:
        state = json.loads(state_path(app, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("outdir") == str(app.outdir) else {}


def save_state(app: Sphinx, name: str, state: dict) -> None:
    path = state_path(app, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**state, "outdir": str(app.outdir)}, indent=0, sort_keys=True), encoding="utf-8")
