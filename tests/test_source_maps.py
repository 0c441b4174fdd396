"""No source maps published: the themes' .map files and the comments naming them stay out of the site."""

import zlib
from pathlib import Path

import pydata_sphinx_theme
import pytest

from essaysite.features.source_maps import without_map_comment

pytestmark = pytest.mark.sphinx("html", testroot="findable")

THEME_FILES = ["_static/scripts/bootstrap.js", "_static/scripts/pydata-sphinx-theme.js",
               "_static/scripts/fontawesome.js", "_static/styles/pydata-sphinx-theme.css"]
# Loaded through Sphinx's asset list: their ?v= is the checksum of the file as copied.
CHECKSUMMED = ["_static/scripts/sphinx-book-theme.js", "_static/styles/sphinx-book-theme.css"]


def test_no_map_and_no_comment_naming_one(built):
    assert sorted(p.relative_to(built.outdir).as_posix() for p in built.outdir.rglob("*.map")) == [f + ".map" for f in CHECKSUMMED]
    for name in THEME_FILES:
        text = (built.outdir / name).read_text(encoding="utf-8")
        assert len(text) > 1000, name  # the compiled file itself is published
        assert "sourceMappingURL" not in text, name


def test_files_with_sphinx_s_checksum_are_published_as_copied(built):
    page = (built.outdir / "index.html").read_text(encoding="utf-8")
    for name in CHECKSUMMED:
        content = (built.outdir / name).read_bytes()
        assert b"sourceMappingURL" in content, name
        assert f"{name}?v={zlib.crc32(content):08x}" in page, name


def test_the_compiled_files_lose_only_their_last_line(built):
    source = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/scripts/bootstrap.js"
    published = (built.outdir / "_static/scripts/bootstrap.js").read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert "sourceMappingURL=bootstrap.js.map" in original
    assert original.startswith(published.rstrip("\n")) and len(original) - len(published) < 60


def test_a_comment_naming_another_file_stays():
    assert without_map_comment("a();\n//# sourceMappingURL=other.js.map\n", "this.js.map") is None
    assert without_map_comment("p{}\n/*# sourceMappingURL=this.css.map*/", "this.css.map") == "p{}\n"
    assert without_map_comment("a();\n//# sourceMappingURL=this.js.map", "this.js.map") == "a();\n"


@pytest.mark.sphinx("html", testroot="findable")
def test_a_rebuild_copies_the_theme_again_and_leaves_the_maps_out(app):
    app.build()
    app.build()  # Sphinx copies the theme's files again (they differ now): still no map, no warning
    assert app.warning.getvalue() == ""
    assert len(list(app.outdir.rglob("*.map"))) == len(CHECKSUMMED)
    assert "sourceMappingURL" not in (app.outdir / "_static/scripts/bootstrap.js").read_text(encoding="utf-8")
