"""Documents read serially are cleared before reading starts (essaysite.speed.clearing).

A small site of pages that own labels (tests/roots/test-clearing) is built
serially in this process, then changed and built again incrementally: a
label renamed, a label moved to a page read before the one that had it, a
page removed. After each step the standard domain's tables and every page
written are those of a clean build of the same sources, and the build has
no warning. The liveness of the patch (no label scanned per document in a
first build) is tests/test_patches.py's.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from essaysite.speed import clearing
from helpers import copy_root, output_files

MOVING = "(moving)=\n## A section that moves\n\nIt moves to alpha in the tests.\n"


def build(src: Path, builddir: Path, **overrides) -> tuple[dict, str, Path]:
    """Build ``src`` serially into ``builddir`` (incrementally when it was built before).

    The standard domain's labels, anonymous labels and objects, the warnings, the output folder.
    """
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=builddir, status=StringIO(), warning=warnings, confoverrides=overrides)
    try:
        app.build()
        std = app.env.domains.standard_domain
        tables = {"labels": dict(std.labels), "anonlabels": dict(std.anonlabels), "objects": dict(std.objects)}
        assert clearing.Cleared.domains is None and not clearing.Cleared.docnames  # forgotten when reading ended
    finally:
        app.cleanup()
    return tables, warnings.getvalue(), Path(app.outdir)


def same_pages(incremental: Path, clean: Path) -> None:
    """Every file of the clean build is in the incremental one, the same bytes (a removed page's
    files stay behind, as Sphinx leaves them: essaysite.incremental.freshness removes them on the site)."""
    ours, theirs = output_files(incremental, theme_files=False), output_files(clean, theme_files=False)
    assert set(theirs) <= set(ours)
    different = [name for name in theirs if name != ".buildinfo" and ours[name].read_bytes() != theirs[name].read_bytes()]
    assert different == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def step_rename(src: Path) -> None:
    edit(src / "beta.md", "(beta-two)=", "(beta-second)=")
    edit(src / "index.md", "{ref}`beta-two`", "{ref}`beta-second`")


def step_move(src: Path) -> None:
    """``moving`` goes from gamma to alpha, which is read first (stock Sphinx, reading serially,
    finds gamma's old label there and warns of a duplicate).

    The page linking to it changes too: an unchanged one is not written again by
    Sphinx alone (on the site, essaysite.features.xrefs and incremental.freshness see to it).
    """
    edit(src / "gamma.md", MOVING, "")
    (src / "alpha.md").write_text((src / "alpha.md").read_text() + "\n" + MOVING)
    edit(src / "index.md", "# Home\n", "# Home\n\nOne section moved.\n")


def step_remove(src: Path) -> None:
    (src / "beta.md").unlink()
    edit(src / "index.md", "{ref}`beta-one`, {ref}`beta-second`, ", "")


def test_an_incremental_serial_build_knows_the_labels_a_clean_build_knows(tmp_path):
    src = copy_root("clearing", tmp_path / "src")
    tables, warnings, _ = build(src, tmp_path / "incremental", essays_speedups=True)
    assert warnings == ""
    assert {"alpha-one", "beta-two", "moving"} <= set(tables["labels"])
    for number, step in enumerate([step_rename, step_move, step_remove]):
        step(src)
        tables, warnings, outdir = build(src, tmp_path / "incremental", essays_speedups=True)
        clean_tables, clean_warnings, clean_outdir = build(src, tmp_path / f"clean-{number}", essays_speedups=True)
        assert warnings == clean_warnings == "", step.__name__
        assert tables == clean_tables, step.__name__
        same_pages(outdir, clean_outdir)
    labels = tables["labels"]
    assert labels["moving"][0] == "alpha" and "beta-one" not in labels and "beta-second" not in labels
    assert not any(docname == "beta" for docname, *_ in [*labels.values(), *tables["anonlabels"].values()])
    assert 'href="alpha.html#moving"' in (outdir / "index.html").read_text()


def test_the_domains_of_a_document_read_since_it_was_cleared_are_cleared_for_real(tmp_path):
    """Skipped once per document: a second clearing, or one after the document was read, does the work."""
    src = copy_root("clearing", tmp_path / "src")
    remembered, found = [], {}

    def probe(app, env):
        """When reading is done (the replacement is in place until the build finishes)."""
        std = env.domains.standard_domain
        found["read"] = "alpha-one" in std.labels
        # Nothing is remembered once reading ended: clearing alpha removes its labels.
        env.clear_doc("alpha")
        found["alpha"] = "alpha-one" in std.labels or "alpha-two" in std.anonlabels
        # Remembered as cleared, then read (source-read): cleared for real.
        clearing.Cleared.domains, clearing.Cleared.docnames = env.domains, {"gamma"}
        app.events.emit("source-read", "gamma", [""])
        env.clear_doc("gamma")
        found["gamma"] = "gamma-one" in std.labels
        # Remembered as cleared: skipped once, then cleared for real.
        clearing.Cleared.docnames = {"beta"}
        env.clear_doc("beta")
        found["beta once"] = "beta-one" in std.labels
        env.clear_doc("beta")
        found["beta twice"] = "beta-one" in std.labels
        clearing.forget()
        return []

    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "out", status=StringIO(), warning=StringIO())
    try:
        app.connect("env-before-read-docs", lambda app, env, docnames: remembered.append(sorted(clearing.Cleared.docnames)), priority=1001)
        app.connect("env-updated", probe, priority=999)
        app.build()
    finally:
        clearing.forget()
        app.cleanup()
    assert remembered == [["alpha", "beta", "gamma", "index"]]
    assert found == {"read": True, "alpha": False, "gamma": False, "beta once": True, "beta twice": False}
