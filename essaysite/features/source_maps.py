"""No source maps published: the themes' ``.map`` files stay out of the site.

The PyData theme ships a source map beside each of its compiled scripts and
stylesheets (``_static/scripts/*.js.map``, ``_static/styles/*.css.map``):
3.4 MiB that no reader downloads (a browser fetches a map only while its
developer tools are open) in every copy of the site, as much as two hundred
essay pages. Sphinx copies the theme's ``static`` folder whole, with no
setting to leave a file out, and copies it again on every build; so once
the HTML builder has written the site, each map whose compiled file is
beside it is removed, and that file's ``sourceMappingURL`` comment with it,
so that no browser asks for a file that is not there. Only the builder's own
``_static`` folder is touched, and only files Sphinx has just copied there.

A file the pages load through Sphinx's own asset list (the book theme's
stylesheet and script: the template context's ``css_files`` and
``script_files``) is left whole, with its map (50 KB): Sphinx puts the
checksum of the file as copied in its address (``?v=``), which must stay the
checksum of the file as published. The PyData theme's files, loaded with
the theme's own ``?digest=``, are the 3.4 MiB.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

# The last line of a compiled script or stylesheet naming its map.
MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=(?P<js>[^\s*]+)|/\*# sourceMappingURL=(?P<css>[^\s*]+) ?\*/)\s*\Z")


def without_map_comment(text: str, map_name: str) -> str | None:
    """``text`` without its final ``sourceMappingURL`` comment naming ``map_name``; None when it has none."""
    found = MAP_COMMENT.search(text)
    if not found or (found["js"] or found["css"]) != map_name:
        return None
    return text[: found.start()] + "\n"


def remove_source_maps(static: Path, checksummed: set[str] = frozenset()) -> list[Path]:
    """Remove each ``<file>.map`` under ``static`` whose ``<file>`` is beside it, and that file's comment naming it.

    ``checksummed``: the files (paths under ``static``, with ``/``) whose
    checksum Sphinx wrote into the pages: left as they are.
    """
    removed = []
    for map_file in sorted(static.rglob("*.map")):
        compiled = map_file.with_suffix("")
        if map_file.is_symlink() or not map_file.is_file() or not compiled.is_file() or compiled.is_symlink():
            continue
        if compiled.relative_to(static).as_posix() in checksummed:
            continue
        text = compiled.read_text(encoding="utf-8")
        stripped = without_map_comment(text, map_file.name)
        if stripped is not None:
            compiled.write_text(stripped, encoding="utf-8")
        map_file.unlink()
        removed.append(map_file)
    return removed


def leave_source_maps_out(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir, "_static")
    if static.is_dir():
        remove_source_maps(static, checksummed_assets(app))


def checksummed_assets(app: Sphinx) -> set[str]:
    """The stylesheets and scripts of the pages' template context (``css_files``, ``script_files``) that live under ``_static``."""
    context = getattr(app.builder, "globalcontext", None) or {}
    found = set()
    for asset in [*context.get("css_files", ()), *context.get("script_files", ())]:
        name = str(getattr(asset, "filename", asset)).split("?", 1)[0]
        if name and "://" not in name:
            found.add(name.removeprefix("_static/"))
    return found


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", leave_source_maps_out)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
