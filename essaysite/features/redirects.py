"""Old URLs keep working: a redirect page for each, and a map for hosts.

Redirects come from two places: ``essay_redirects`` (conf.py reads it from
``redirects.json``, which ``essays-import-jekyll`` writes: old path ->
docname) and the ``redirect_from:`` list in an essay's front matter. For
each old path the build writes a small page at that path which sends the
reader on at once (``<meta http-equiv="refresh" content="0">``, keeping any
``#anchor``) and names the new page as canonical, so search engines move
their ranking to it. It also writes ``redirects.json`` into the built site:
old path -> new absolute URL, for hosts that redirect themselves.

That map also tells the next build which redirect pages the last one wrote:
an old path no longer redirected (an entry or a ``redirect_from`` removed, a
target essay deleted) loses its page, and the map goes when it is empty, so
that a plain rebuild leaves the same files as a clean build.

Why not sphinx-reredirects: its pages carry no canonical link (its template
only gets the target's relative address), it silently overwrites a real page
whose path an old URL reuses, its targets are fixed file names that break
under ``dirhtml``, and it does not check that the target exists. Here the
target is a docname, resolved by the builder, checked, and a clash with a
page of the site is a warning.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from essaysite import confinement

logger = logging.getLogger(__name__)

MAP_FILE = "redirects.json"
GENERATOR = "essaysite.features.redirects"
TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="generator" content="{generator}">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace({target_js} + location.hash);</script>
</head>
<body>
<p>This page has moved to <a href="{target}">{title}</a>.</p>
</body>
</html>
"""


def old_path_file(path: str) -> str:
    """The file (relative to the output root) that answers an old URL path.

    Percent-decoded and normalised by ``essaysite.confinement``, which
    refuses (``Refused``) a path that would leave the output folder.
    """
    return confinement.url_path_file(path)


def key_line(app: Sphinx, old: str) -> str:
    """``redirects.json:LINE`` (absolute) for the entry ``old`` of the redirects file, or the setting's name."""
    name = app.config.essay_redirects_file
    if not name:
        return "essay_redirects"
    path = Path(app.srcdir, name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return str(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if json.dumps(old) in line or json.dumps(old, ensure_ascii=False) in line:
            return f"{path}:{number}"
    return str(path)


def collect_redirect_from(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    value = env.metadata.get(env.docname, {}).get("redirect_from")
    if not value:
        return
    if isinstance(value, str):
        value = [v.strip(" '\"") for v in value.strip("[]").split(",") if v.strip()]
    if not hasattr(env, "essay_redirects"):
        env.essay_redirects = {}
    kept = []
    for old in ("/" + str(v).lstrip("/") for v in value):
        try:
            old_path_file(old)
        except confinement.Refused as refused:
            logger.warning("redirect_from: %s", refused, location=env.docname, type="redirects", subtype="refused")
            continue
        kept.append(old)
    env.essay_redirects[env.docname] = kept


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "essay_redirects", {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "essay_redirects"):
        env.essay_redirects = {}
    for docname in docnames:
        if docname in getattr(other, "essay_redirects", {}):
            env.essay_redirects[docname] = other.essay_redirects[docname]


def all_redirects(app: Sphinx) -> dict[str, str]:
    """Old path -> docname, from the configuration and the essays' front matter."""
    found = {}
    for old, docname in (app.config.essay_redirects or {}).items():
        try:
            old_path_file(old)
        except confinement.Refused:
            continue  # said by check()
        found["/" + old.lstrip("/")] = docname
    for docname, olds in sorted(getattr(app.env, "essay_redirects", {}).items()):
        for old in olds:
            if found.get(old, docname) != docname:
                logger.warning(
                    "redirect_from: %s already redirects to %s", old, found[old], location=docname, type="redirects", subtype="conflict"
                )
                continue
            found[old] = docname
    return found


def excluded_source(app: Sphinx, docname: str) -> bool:
    """Whether ``docname`` is a file of the site left out of this build (a draft)."""
    return any(Path(app.srcdir, docname + suffix).is_file() for suffix in app.config.source_suffix)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    for old in app.config.essay_redirects or {}:
        try:
            old_path_file(old)
        except confinement.Refused as refused:
            logger.warning("%s: %s", old, refused, location=key_line(app, old), type="redirects", subtype="refused")
    for old, docname in all_redirects(app).items():
        if docname not in env.found_docs and excluded_source(app, docname):
            # A draft (a future-dated essay, say): redirected once it is published.
            logger.info("redirect from %s waits for %s, which is not published yet", old, docname)
        elif docname not in env.found_docs:
            logger.warning(
                "%s: the redirect from %s points at %s, which is not a page of the site (a removed or renamed essay?); "
                "fix or remove the entry",
                app.config.essay_redirects_file or "essay_redirects",
                old,
                docname,
                type="redirects",
                subtype="missing",
            )


def previous_redirects(outdir: Path) -> dict[str, str]:
    """The map the last build wrote into ``outdir`` (old path -> URL)."""
    try:
        found = json.loads((outdir / MAP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def remove_redirect_page(outdir: Path, old: str) -> None:
    """Remove the redirect page of ``old`` (never a page of the site) and the folders it leaves empty."""
    outdir = confinement.resolved(outdir)
    try:
        page = confinement.output_file(outdir, old_path_file(old))
    except confinement.Refused:
        return  # never written by this module
    if not page.is_file() or GENERATOR not in page.read_text(encoding="utf-8", errors="ignore")[:400]:
        return
    page.unlink()
    logger.info("removed the redirect page %s (no longer redirected)", page.relative_to(outdir).as_posix())
    folder = page.parent
    while folder != outdir and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def write_redirects(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    previous = previous_redirects(outdir)
    base = app.config.html_baseurl or ""
    base = base if base.endswith("/") else base + "/"
    site_map = {}
    for old, docname in sorted(all_redirects(app).items()):
        if docname not in app.env.found_docs:
            continue
        rel = old_path_file(old)
        try:  # symlinks followed: a folder of the output that links elsewhere is not written through
            page = confinement.output_file(outdir, rel)
        except confinement.Refused as refused:
            logger.warning("redirect from %s not written: %s %s", old, rel, refused, type="redirects", subtype="refused")
            continue
        if page.exists() and GENERATOR not in page.read_text(encoding="utf-8", errors="ignore")[:400]:
            logger.warning("redirect from %s not written: the site has a page at %s", old, rel, type="redirects", subtype="clash")
            continue
        target_uri = app.builder.get_target_uri(docname)
        target = relative_uri(rel, target_uri)
        title = app.env.titles[docname].astext() if docname in app.env.titles else docname
        canonical = urljoin(base, target_uri) if base != "/" else "/" + target_uri
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            TEMPLATE.format(
                lang=html.escape(app.config.language or "en"),
                generator=GENERATOR,
                title=html.escape(title),
                canonical=html.escape(canonical),
                target=html.escape(target),
                # In a <script>: no "</script>" or "<!--" can close it early.
                target_js=json.dumps(target).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
            ),
            encoding="utf-8",
        )
        site_map[old] = canonical
    for old in sorted(set(previous) - set(site_map)):
        remove_redirect_page(outdir, old)
    if site_map:
        (outdir / MAP_FILE).write_text(json.dumps(site_map, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif previous:
        (outdir / MAP_FILE).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict:
    app.add_config_value("essay_redirects", {}, "html", types=[dict])
    app.add_config_value("essay_redirects_file", "", "html", types=[str])
    app.connect("doctree-read", collect_redirect_from)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check)
    app.connect("build-finished", write_redirects)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
