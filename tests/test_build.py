"""The build itself: what is a page, warnings fail it, the Makefile's targets."""

import re
import subprocess

from helpers import ROOT, copy_site, sphinx_build


def test_only_site_sources_are_pages(site):
    sources = {p.relative_to(site.outdir / "_sources").as_posix() for p in (site.outdir / "_sources").rglob("*.txt")}
    for name in sources:
        assert name == "index.md.txt" or name.startswith(("posts/", "docs/")), name
    assert not (site.outdir / "README.html").exists()
    assert not list(site.outdir.glob("tests/**/*.html"))


def test_a_planted_warning_fails_the_build(tmp_path, build_server):
    src = copy_site(tmp_path / "src", maintainers_pages=False)
    post = src / "posts" / "broken.md"
    post.write_text("---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n---\n\n# Broken\n\nSee {ref}`no-such-label`.\n")
    build = sphinx_build(src, tmp_path / "html", server=build_server)
    assert not build.ok
    # One message, from essaysite/features/xrefs.py, in place of Sphinx's "undefined label".
    assert re.search(r"posts/broken\.md:\d+: WARNING: cross-reference to the label 'no-such-label'", build.log), build.log


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    listed = set(re.findall(r"make (\S+)", out))
    assert {"html", "test", "clean", "live", "help"} <= listed
    assert targets - {"help"} <= listed | {"help"}
    for line in out.strip().splitlines():
        assert len(line.split(None, 2)) == 3, line
