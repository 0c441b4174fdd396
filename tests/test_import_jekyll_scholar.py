"""jekyll-scholar's citations imported: {% cite %} and {% bibliography %} become the
site's citations, _bibliography/*.bib is merged into posts/references.bib
(the user's file added to, never rewritten; a key already there with other
content reported), and what has no equivalent is kept as text and reported.
The fixture (tests/data/jekyll-scholar) is of the tests' own writing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT, copy_site, parse, run_importer, sphinx_build

SITE = ROOT / "tests" / "data" / "jekyll-scholar"
ESSAY = "machines-that-talk"
USERS_OWN = """% My own sources, written by hand.

@book{dreyfus1972,
  author    = {Dreyfus, Hubert L.},
  title     = {What Computers Can't Do},
  publisher = {Harper \\& Row},
  year      = {1972},
}
"""


def import_jekyll(source: Path, dest: Path) -> subprocess.CompletedProcess:
    return run_importer(str(source), "--dest", str(dest))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    src = copy_site(tmp_path_factory.mktemp("scholar") / "src", with_posts=False, maintainers_pages=False)
    (src / "posts" / "references.bib").write_text(USERS_OWN)
    result = import_jekyll(SITE, src)
    return src, result


@pytest.fixture(scope="module")
def built(imported, build_server):
    src = imported[0]
    build = sphinx_build(src, src.parent / "html", server=build_server)
    assert build.ok, build.log
    return build


def essay(imported) -> str:
    return (imported[0] / "posts" / f"{ESSAY}.md").read_text(encoding="utf-8")


def test_the_import_succeeds_and_reports_what_it_kept_as_text(imported):
    result = imported[1]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    report = result.stdout
    assert "citations kept as text (1):" in report
    line = next(line for line in report.splitlines() if "{% cite %} kept as text" in line)
    assert "_posts/2020-01-05-machines-that-talk.md:16:" in line and "several locators in one citation" in line
    assert "{% reference %} not converted" in report
    assert "_bibliography/references.bib: 3 entries added to posts/references.bib" in report
    assert "_bibliography/books.bib: 1 entry added to posts/references.bib" in report
    assert "posts/references.bib (updated)" in report


def test_citations_become_the_sites(imported):
    text = essay(imported)
    assert "in conversation {cite:p}`turing1950`." in text
    assert "{cite:p}`weizenbaum1966,turing1950`" in text
    assert "{cite:p}`weizenbaum1976{p. 8}`" in text and "{cite:p}`weizenbaum1976{ch. 10}`" in text
    assert "` {% cite turing1950 -l 433 -l 442 %} `" in text
    # The bibliography and its heading give way to the essay's own list of sources.
    assert "bibliography" not in text and "## Sources" not in text


def test_the_users_bib_file_is_added_to_never_rewritten(imported):
    merged = (imported[0] / "posts" / "references.bib").read_text()
    assert merged.startswith(USERS_OWN.rstrip("\n"))
    for key in ("@string{cacm", "turing1950,", "weizenbaum1966,", "weizenbaum1976,"):
        assert merged.count(key) == 1, key


def test_the_imported_essay_builds_with_its_sources(built):
    page = parse(built.outdir / "posts" / f"{ESSAY}.html")
    text = " ".join(page.xpath("//article")[0].text_content().split())
    assert "in conversation (Turing, 1950)." in text
    assert "(Weizenbaum, 1976, p. 8)" in text
    sources = [" ".join(e.text_content().split()) for e in page.xpath("//section[contains(@class,'essay-sources')]//div[@role='doc-biblioentry']")]
    assert len(sources) == 3 and any("Communications of the ACM" in s for s in sources)


def test_a_second_import_changes_nothing(imported):
    again = import_jekyll(SITE, imported[0])
    assert again.returncode == 0, again.stdout + again.stderr
    assert "posts/references.bib (unchanged)" in again.stdout


def test_a_key_already_there_with_other_content_is_reported_and_kept(tmp_path):
    src = copy_site(tmp_path / "src", with_posts=False, maintainers_pages=False)
    mine = "@book{turing1950,\n  author = {Someone, Else},\n  title = {Another Book},\n  publisher = {P},\n  year = {1950},\n}\n"
    (src / "posts" / "references.bib").write_text(mine)
    result = import_jekyll(SITE, src)
    assert "_bibliography/references.bib: key 'turing1950' is already in posts/references.bib with other content" in result.stdout
    merged = (src / "posts" / "references.bib").read_text()
    assert merged.startswith(mine) and merged.count("turing1950,") == 1 and "weizenbaum1976," in merged
