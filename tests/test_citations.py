"""Citations: {cite:p} and {cite:t} in author-year form, each essay ending with its own
list of sources, in the pages and the feeds, drafts' sources nowhere, an
unknown key stopping the build at the citation, and a site without a .bib
file paying nothing."""

import subprocess
import sys
import textwrap

import feedparser
import lxml.html
import pytest

from helpers import ROOT, build_root, copy_root, build_in_process, html_pages, output_files, parse

pytestmark = pytest.mark.sphinx("html", testroot="citations")

IMITATION = "posts/imitation.html"
HARBOUR = "posts/harbour.html"


def article(built, page):
    return parse(built.outdir / page).xpath("//article[contains(@class,'bd-article')]")[0]


def sources(built, page):
    """The entries of the page's list of sources, as text."""
    return [" ".join(e.text_content().split()) for e in article(built, page).xpath(".//section[contains(@class,'essay-sources')]//div[contains(@class,'citation')][@role='doc-biblioentry']")]


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_citations_read_author_and_year(built):
    text = " ".join(article(built, IMITATION).text_content().split())
    assert "set aside by Turing (1950) for a test of talk" in text
    assert "confided in all the same (Weizenbaum, 1966)" in text
    assert "as both papers show (Turing, 1950; Weizenbaum, 1966)" in text


def test_each_essay_ends_with_the_works_it_cites_and_only_those(built):
    imitation = sources(built, IMITATION)
    assert [entry.split("]")[0] for entry in imitation] == ["[Turing 1950", "[Weizenbaum 1966"]
    assert "Computing machinery and intelligence. Mind, 59(236):433–460, 1950" in imitation[0]
    harbour = sources(built, HARBOUR)
    assert [entry.split("]")[0] for entry in harbour] == ["[Lantern 2021", "[Turing 1950"]
    # The list is the essay's last section, under its own heading.
    last = article(built, IMITATION).xpath(".//section[@id='the-imitation-game']/section")[-1]
    assert "essay-sources" in last.get("class") and last.xpath("./h2")[0].text_content().strip("#") == "Sources"


def test_dois_and_urls_are_links(built):
    hrefs = article(built, IMITATION).xpath(".//section[contains(@class,'essay-sources')]//a/@href")
    assert "https://doi.org/10.1093/mind/LIX.236.433" in hrefs
    assert "https://example.org/harbour-lights" in article(built, HARBOUR).xpath(".//section[contains(@class,'essay-sources')]//a/@href")


def test_a_citation_links_to_its_entry_on_the_same_page(built):
    page = article(built, HARBOUR)
    link = page.xpath(".//span[contains(@class,'bibtex-citation')][contains(.,'Turing')]/a")[0]
    target = link.get("href")
    assert target.startswith("#")
    entry = page.xpath(f".//*[@id='{target[1:]}']")[0]
    assert "Turing 1950" in entry.text_content()


def test_an_essay_citing_nothing_has_no_list(built):
    page = article(built, "posts/plain.html")
    assert not page.xpath(".//*[contains(@class,'essay-sources')]") and "Sources" not in page.text_content()


def test_a_drafts_sources_appear_nowhere(built):
    for path in output_files(built.outdir, theme_files=False).values():
        data = path.read_bytes()
        assert b"Quillfeather" not in data and b"secretsource2020" not in data, path
    assert not (built.outdir / "posts" / "unfinished.html").exists()


def test_feeds_carry_citations_and_sources_with_absolute_links(built):
    feed = feedparser.parse(str(built.outdir / "blog" / "atom.xml"))
    entry = next(e for e in feed.entries if e.title == "The Imitation Game")
    content = entry.content[0].value
    assert "Turing (<a" in content
    page = "http://127.0.0.1:8000/posts/imitation.html#"
    assert f'href="{page}' in content and 'href="#' not in content
    assert "https://doi.org/10.1145/365153.365168" in content
    # The list once, whole: the entries as on the page, each once.
    assert content.count("Computing machinery and intelligence. <em>Mind</em>") == 1
    # Each source an element whose id the citations link to (ids no link points at are left out of feeds).
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    targets = {href.partition("#")[2] for href in root.xpath(".//a/@href") if href.startswith(page)}
    assert len(root.xpath(".//div[@id]")) == 2 and all(root.xpath(f".//*[@id='{t}']") for t in targets)


def test_an_excerpt_on_a_list_points_at_its_own_essays_sources(built):
    """Both essays list Turing 1950; the excerpt shown on the home page links to its own essay's entry."""
    home = parse(built.outdir / "index.html")
    link = home.xpath("//span[contains(@class,'bibtex-citation')]/a")[0]
    path, _, anchor = link.get("href").partition("#")
    assert path == "posts/imitation.html"
    entry = article(built, IMITATION).xpath(f".//*[@id='{anchor}']")[0]
    assert "Turing 1950" in entry.text_content()


def test_every_list_showing_the_excerpt_links_to_its_own_essays_sources(built):
    """ABlog's lists (all essays, tag, category, year) render excerpts their own way: the link still leads to the essay."""
    for page in ("blog.html", "blog/tag/ai.html", "blog/category/essays.html", "blog/2026.html"):
        links = parse(built.outdir / page).xpath("//span[contains(@class,'bibtex-citation')]/a/@href")
        assert links and all(href.startswith(("posts/", "../posts/", "../../posts/")) and "#" in href for href in links), (page, links)


def test_an_unknown_key_stops_the_build_at_the_citation(tmp_path):
    src = copy_root("citations", tmp_path / "src")
    essay = src / "posts" / "harbour.md"
    essay.write_text(essay.read_text().replace("{cite:p}`turing1950`", "{cite:p}`turing1905`"))
    built = build_in_process(src, tmp_path / "_build")
    lines = built.warning_lines
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{essay}:14: WARNING: ")
    assert 'citation key "turing1905" is not in posts/references.bib: add its BibTeX entry there, or correct the key (did you mean "turing1950"?)' in lines[0]
    assert "Traceback" not in built.warnings


def test_a_citation_without_a_bib_file_says_what_to_create(tmp_path):
    src = copy_root("citations", tmp_path / "src")
    (src / "posts" / "references.bib").unlink()
    built = build_in_process(src, tmp_path / "_build")
    ours = [line for line in built.warning_lines if "no BibTeX file" in line]
    assert any(line.startswith(f"{src / 'posts' / 'imitation.md'}:9: WARNING: a citation ({{cite:t}}), but the site has no BibTeX file: create posts/references.bib") for line in ours), built.warnings


def test_a_site_without_a_bib_file_never_loads_the_citation_packages(tmp_path):
    """The project's conf.py: no .bib file, no sphinxcontrib-bibtex, no pybtex (nothing to pay)."""
    src = tmp_path / "src"
    from helpers import copy_site

    copy_site(src, with_posts=False, maintainers_pages=False)
    (src / "posts" / "walk.md").write_text("---\ndate: 2026-01-02\n---\n\n# A Walk\n\nNo sources here.\n")
    script = textwrap.dedent(
        f"""
        import sys
        from sphinx.cmd.build import build_main
        status = build_main(["-q", "-n", "-W", "-b", "html", {str(src)!r}, {str(tmp_path / 'out')!r}])
        print(status, sorted(m for m in sys.modules if m.split(".")[0] in ("pybtex", "pybtex_docutils", "latexcodec") or m.startswith("sphinxcontrib.bibtex")))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=src)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_the_project_cites_real_works(site):
    """The site's own essay shows the feature: its list has Turing 1950 and Weizenbaum's works, DOIs linked."""
    page = parse(site.outdir / "posts" / "samantha-and-her-ancestors.html")
    entries = [" ".join(e.text_content().split()) for e in page.xpath("//section[contains(@class,'essay-sources')]//div[@role='doc-biblioentry']")]
    assert len(entries) >= 2
    assert any("Computing machinery and intelligence" in e and "Mind, 59(236):433–460, 1950" in e for e in entries)
    assert any("Weizenbaum" in e for e in entries)
    assert "https://doi.org/10.1093/mind/LIX.236.433" in page.xpath("//section[contains(@class,'essay-sources')]//a/@href")
