"""Issue 16: real Jekyll blogs arrive whole, one test (or a few) per kind of defect.

The sites in tests/data/jekyll-kinds are of the tests' own writing, each
post a small example of one kind, spelt several ways. They are imported
into a copy of the essay site (without its essays) and built once, with
-n -W, in a subprocess; the tests read the report, the essays written,
and the built pages.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from helpers import ROOT, copy_site, parse, run_importer, sphinx_build

KINDS = ROOT / "tests" / "data" / "jekyll-kinds"
SITES = ["news", "plain"]


def import_jekyll(source: Path, dest: Path) -> subprocess.CompletedProcess:
    return run_importer(str(source), "--dest", str(dest))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    src = copy_site(tmp_path_factory.mktemp("kinds") / "src", with_posts=False, maintainers_pages=False)
    reports = {name: import_jekyll(KINDS / name, src) for name in SITES}
    return src, reports


@pytest.fixture(scope="module")
def built(imported, build_server):
    src = imported[0]
    return sphinx_build(src, src.parent / "html", server=build_server)


def report(imported, site: str = "news") -> str:
    result = imported[1][site]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def essay(imported, name: str) -> str:
    return (imported[0] / "posts" / f"{name}.md").read_text(encoding="utf-8")


def warnings_about(built, name: str) -> list[str]:
    """The build's warnings (and errors) about one essay."""
    return [line for line in built.log.splitlines() if f"posts/{name}" in line and ("WARNING" in line or "ERROR" in line)]


def page(built, name: str):
    return parse(built.outdir / "posts" / f"{name}.html")


def article(root):
    return root.xpath("//article")[0]


def essay_links(root) -> list[str]:
    """The hrefs of the essay's own text (not of what the site adds around it)."""
    body = root.xpath("//article//section")[0]
    return [a.get("href") for a in body.xpath(".//a[@href]") if "headerlink" not in (a.get("class") or "")]


# -- 1. collection permalinks, and every other permalink form -------------------------


def test_old_addresses_follow_every_permalink_form(imported):
    report(imported)
    redirects = json.loads((imported[0] / "redirects.json").read_text())
    expected = {
        # the posts collection's permalink wins over the site-wide one
        "/news/2020/01/06/first-light/": "first-light",
        # 06:30 UTC is still 10 January in the site's time zone
        "/news/2020/01/10/night-watch/": "night-watch",
        # front-matter defaults for a folder, :slug from slug:, :output_ext
        "/releases/lens-two.html": "lens-two",
        # the post's own permalink: :categories lower-cased, spaces escaped
        "/guides/tide%20tables/own-address.html": "own-address",
    }
    for old, name in expected.items():
        assert redirects.get(old) == f"posts/{name}", (old, redirects)
    assert not any(old.startswith("/log/") for old in redirects)  # paths without the baseurl


def test_links_to_old_addresses_become_essay_links(imported, built):
    assert not warnings_about(built, "old-addresses"), built.log
    root = page(built, "old-addresses")
    assert essay_links(root) == ["first-light.html", "first-light.html", "night-watch.html", "lens-two.html", "own-address.html"]
    for old in ["/news/2020/01/06/first-light/index.html", "/releases/lens-two.html", "/guides/tide tables/own-address.html"]:
        assert (built.outdir / old.lstrip("/")).is_file(), old


# -- 2. no placeholder, no control character ---------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")


def test_liquid_loops_leak_no_placeholder(imported, built):
    text = essay(imported, "liquid-loops")
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert not warnings_about(built, "liquid-loops"), built.log
    shown = article(page(built, "liquid-loops")).text_content()
    assert not CONTROL.search(shown)
    kept = [box.text_content() for box in page(built, "liquid-loops").xpath("//*[contains(@class,'jekyll-liquid')]")]
    assert any("[#{{ id }}]: https://example.org/issues/{{ id }}" in box for box in kept), kept
    assert any('{{ page.visitor | default: "friend" }}' in box for box in kept), kept
    assert any("{{ kept as written }}" in box for box in kept), kept
    assert any("{{ tide.height | round: 1 }}" in box for box in kept), kept
    assert "A bell and a backspace the old editor left in the text." in shown


def test_control_characters_are_reported_with_their_line(imported):
    out = report(imported)
    assert re.search(r"_posts/2020-04-01-liquid-loops\.md:23: control character U\+0007 removed", out), out
    assert re.search(r"_posts/2020-04-01-liquid-loops\.md:23: control character U\+0008 removed", out), out


# -- 3. a Liquid tag over several lines, inside a link ------------------------------------


def test_liquid_tags_over_lines_in_links_stay_links(imported, built):
    assert not warnings_about(built, "spanning-tags"), built.log
    root = page(built, "spanning-tags")
    assert essay_links(root) == ["first-light.html", "night-watch.html", "lens-two.html"]
    texts = [" ".join(a.text_content().split()) for a in root.xpath("//article//section//a[contains(@class,'reference')]")]
    assert texts == ["first contribution", "night watch", "the lens"]
    paragraphs = [" ".join(p.text_content().split()) for p in root.xpath("//article//section/p")]
    assert any(p.startswith("My first contribution to the log came before the night watch and the lens.") for p in paragraphs), paragraphs
    assert not root.xpath("//*[contains(@class,'jekyll-liquid') and contains(@class,'admonition')]")


def test_liquid_tags_inside_a_paragraph_keep_it_whole(imported, built):
    root = page(built, "spanning-tags")
    paragraphs = [" ".join(p.text_content().split()) for p in root.xpath("//article//section/p")]
    # {% assign %} shows nothing on the Jekyll site; an unknown tag stays, as code, in its sentence.
    assert "A quiet sentence with an assignment in it stays one paragraph, and so does one that names {% cycle \"odd\", \"even\" %} a tag Liquid would render." in paragraphs, paragraphs
    out = report(imported)
    assert re.search(r"_posts/2020-04-02-spanning-tags\.md:15: Liquid \{% cycle %\} not converted; kept as code in its sentence", out), out
    assert "Liquid {% assign" not in out and "{% assign %} and {% capture %} dropped (they show nothing on the page)" in out


# -- 5. author names that differ only in case ------------------------------------------------


def test_authors_differing_in_case_share_one_spelling(imported, built):
    authors = [yaml_front(imported, name).get("author") for name in ["keeper-one", "keeper-two", "keeper-three", "keeper-four"]]
    assert authors == ["Mara Quill", "Mara Quill", "Mara Quill, Theo Brandt", "Mara Quill"]
    assert "author 'mara quill' written 'Mara Quill', as in an earlier post" in report(imported)
    for name in ["keeper-one", "keeper-two", "keeper-three", "keeper-four"]:
        assert not warnings_about(built, name), built.log
    listing = parse(built.outdir / "blog" / "author" / "mara-quill.html").text_content()
    for title in ["The Keeper Writes", "The Keeper Writes Again", "Two Keepers", "The Keeper's Profile"]:
        assert title in listing


def yaml_front(imported, name: str) -> dict:
    import yaml

    return yaml.safe_load(essay(imported, name).split("---\n")[1])


# -- 6. dates Jekyll accepts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, shown, old",
    [
        ("lenient-date", "2020-06-01 18:30", "/news/2020/06/01/lenient-date/"),
        ("zone-name", "2020-06-02 09:15", "/news/2020/06/02/zone-name/"),
        ("mail-date", "2020-06-03 07:00", "/news/2020/06/03/mail-date/"),
        ("words-date", "2020-06-04 10:00", "/news/2020/06/04/words-date/"),
    ],
)
def test_dates_jekyll_accepts_are_read(imported, built, name, shown, old):
    out = report(imported)
    assert "failure" not in out.split("\n", 1)[0] or " 0 failure(s)" in out.split("\n", 1)[0], out
    assert yaml_front(imported, name)["date"] == shown
    assert json.loads((imported[0] / "redirects.json").read_text())[old] == f"posts/{name}"
    assert not warnings_about(built, name), built.log


# -- 13. empty links --------------------------------------------------------------------------


def test_empty_links_become_text_with_a_report_line(imported, built):
    assert not warnings_about(built, "empty-links"), built.log
    root = page(built, "empty-links")
    assert essay_links(root) == []
    text = " ".join(article(root).text_content().split())
    assert "A previous post never filled in, an empty one, one in angle brackets, and one to the top of the page." in text
    out = report(imported)
    for line, label in [(5, "previous post"), (5, "empty one"), (6, "angle brackets"), (6, "one to the top")]:
        assert f"_posts/2020-07-01-empty-links.md:{line}: empty link [{label}]: kept its text" in out, out


# -- 14. the report lists real losses only ------------------------------------------------------


def test_pictures_from_html_report_nothing_they_kept(imported, built):
    out = report(imported)
    assert "html-pictures.md" not in out.split("Posts:")[0], out
    assert "links inside HTML are not checked" not in out
    assert not warnings_about(built, "html-pictures"), built.log
    imgs = article(page(built, "html-pictures")).xpath(".//img")
    assert [img.get("alt") for img in imgs] == ["A red buoy", "The buoy, smaller", "The buoy in a paragraph"]
    assert "200px" in (imgs[1].get("style") or "") or imgs[1].get("width") == "200"
    for img in imgs:
        assert (built.outdir / "posts" / img.get("src")).resolve().is_file()


# -- 7. spaces in file names ---------------------------------------------------------------------


def test_pictures_with_spaces_in_their_names_are_copied_and_shown(imported, built):
    assert not warnings_about(built, "spaced-names"), built.log
    imgs = article(page(built, "spaced-names")).xpath(".//img")
    assert [img.get("alt") for img in imgs] == ["The map, from HTML", "The map, escaped", "The map, in angle brackets", "The map, as kramdown allows", "a small map"]
    for img in imgs:
        assert (built.outdir / "posts" / img.get("src")).resolve().is_file(), img.get("src")
    assert "spaced-names.md" not in report(imported).split("Posts:")[0]


# -- 11. kramdown maths in MathJax's delimiters -------------------------------------------------------


def test_kramdown_mathjax_delimiters_become_maths(imported, built):
    assert not warnings_about(built, "tide-maths"), built.log
    root = page(built, "tide-maths")
    maths = [" ".join(m.text_content().split()) for m in root.xpath("//article//span[contains(@class,'math')] | //article//div[contains(@class,'math')]")]
    for formula in [r"h(t) = A \cos(\omega t)", r"h'(t)", "T = 12.42", r"A_1 \cos(\omega_1 t)", r"\bar{h} = \frac{1}{T}"]:
        assert any(formula in m for m in maths), (formula, maths)
    displayed = root.xpath("//article//div[contains(@class,'math')]")
    assert len(displayed) == 2
    text = article(root).text_content()
    assert "\\\\(" not in text and "\\\\[" not in text and "A price of $5 stays money." in text


# -- 12. HTML anchors ---------------------------------------------------------------------------------


def test_html_anchors_become_labels(imported, built):
    assert not warnings_about(built, "anchors"), built.log
    root = page(built, "anchors")
    hrefs = essay_links(root)[:4]
    assert [h.split("#")[0] for h in hrefs] == ["", "", "", ""] or all(h.startswith("#") for h in hrefs), hrefs
    for href in hrefs:
        ident = href.split("#", 1)[1]
        assert len(root.xpath(f"//*[@id='{ident}']")) == 1, (ident, hrefs)
    assert root.xpath("//article//h2")[0].text_content().startswith("The Second Part")


# -- 9. pictures inside inline HTML --------------------------------------------------------------------


def test_pictures_inside_inline_html_are_copied_and_shown(imported, built):
    assert not warnings_about(built, "inline-pictures"), built.log
    imgs = article(page(built, "inline-pictures")).xpath(".//img")
    assert [img.get("alt") for img in imgs] == ["a buoy inline", "a linked buoy", "the map, linked", "a lost buoy"]
    for img in imgs[:3]:
        assert (built.outdir / "posts" / img.get("src")).resolve().is_file(), img.get("src")
    out = report(imported)
    assert "_posts/2020-08-03-inline-pictures.md:11: /images/gone.png in HTML not found in the old site" in out, out


def test_inline_pictures_work_in_excerpts_on_other_pages(built):
    """ABlog shows the first paragraph on the home page and the lists: the picture works there too."""
    for listing in [built.outdir / "index.html", built.outdir / "blog.html"]:
        found = [img for img in parse(listing).xpath("//img[@alt='a buoy inline']")]
        assert found, listing
        for img in found:
            assert (listing.parent / img.get("src")).resolve().is_file(), (listing, img.get("src"))


# -- 8. HTML blocks with blank lines inside ---------------------------------------------------------------


def test_html_blocks_with_blank_lines_stay_whole(imported, built):
    assert not warnings_about(built, "html-figures"), built.log
    root = page(built, "html-figures")
    assert not root.xpath("//article//pre"), "HTML shown as code"
    figure = root.xpath("//article//figure[@class='harbour']")[0]
    assert figure.xpath(".//figcaption")[0].text == "The buoy, in a figure with blank lines."
    imgs = article(root).xpath(".//img")
    assert [img.get("alt") for img in imgs] == ["The buoy in a figure", "The map in a nested div"]
    for img in imgs:
        assert (built.outdir / "posts" / img.get("src")).resolve().is_file(), img.get("src")
    assert root.xpath("//article//div[@class='aside']//div[@class='inner']")
    assert "The text after the figures is a paragraph again." in [p.text_content() for p in root.xpath("//article//section/p")]


# -- 4. links to pages of the old site outside _posts, however they are written -----------------------


def test_links_to_site_pages_are_rewritten_however_written(imported, built):
    assert not warnings_about(built, "site-pages"), built.log
    root = page(built, "site-pages")
    old = "https://harbour.example.org/log"
    expected = [
        (f"{old}/tides/", "tide tables"),
        (f"{old}/guide/harbour.html", "the harbour guide"),  # text over two lines
        (f"{old}/tides/#data", "tides.yml"),  # code in the text
        (f"{old}/guide/berths/", "a port and a berth"),  # code over two lines, base URL
        (f"{old}/guide/moorings/", "mooring fees"),  # indented list continuation
        (f"{old}/guide/pilots/", "pilot notes"),  # with a title
        (f"{old}/charts/", ""),  # a picture as the link
        (f"{old}/guide/brackets/", "link [with] brackets"),
        (f"{old}/guide/night%20moorings/", "spaced address"),
        ("first-light.html", "to a post over two lines"),
        ("lens-two.html", "the lens"),
        (f"{old}/guide/quay/", "the quay"),  # in a table
        (f"{old}/guide/quay/notes/", "quay.pdf notes"),
    ]
    body = root.xpath("//article//section")[0]
    found = [(a.get("href"), " ".join(a.text_content().split())) for a in body.xpath(".//a[@href]") if "headerlink" not in (a.get("class") or "")]
    assert found == expected
    (badge,) = body.xpath(".//a[@href='%s/charts/']//img" % old)
    assert badge.get("alt") == "the chart badge" and (built.outdir / "posts" / badge.get("src")).resolve().is_file()
    # the continuation is a paragraph of its list item, as on the Jekyll site, not code
    assert body.xpath(".//li//p//a[@href='%s/guide/moorings/']" % old) and not body.xpath(".//pre")
    assert body.xpath(".//li//p//del[text()='free']")  # converted as prose, not copied as code
    assert body.xpath(".//code[normalize-space()='[not a link](/guide/code/)']")
    assert "site-pages.md" not in report(imported).split("Posts:")[0]


# -- 10. files linked or embedded from HTML: copied and published ----------------------------------------


def local_addresses(element) -> list[str]:
    """Every address an element and what it holds give: href, src, poster, data, each of a srcset."""
    found = []
    for node in element.xpath(".//*[@href or @src or @srcset or @poster or @data]"):
        found.extend(node.get(name) for name in ("href", "src", "poster", "data") if node.get(name))
        if node.get("srcset"):
            found.extend(part.split()[0] for part in node.get("srcset").split(","))
    return [a for a in found if not re.match(r"^([a-z]+:|#|/)", a)]


def test_files_linked_or_embedded_from_html_are_published(imported, built):
    assert not warnings_about(built, "html-files"), built.log
    page_path = built.outdir / "posts" / "html-files.html"
    published = {}
    for address in local_addresses(article(parse(page_path))):
        target = (page_path.parent / unquote(address.split("#")[0])).resolve()
        assert target.is_file(), address  # no 404 for the reader
        published[target.read_bytes()] = address
    old_site = KINDS / "news"
    for name in ["images/big.png", "files/tide table.pdf", "media/poster.png", "media/clip.mp4", "media/clip.webm", "media/clip.vtt",
                 "media/bell.mp3", "images/chart-wide.png", "images/chart.png", "files/tides.svg", "files/notes.txt"]:
        assert (old_site / name).read_bytes() in published, name
    # {% link %} to a file of the site, in Markdown and in HTML
    for text, name in [("the notes", "files/notes.txt"), ("the captions", "media/clip.vtt")]:
        (link,) = article(parse(page_path)).xpath(f"//a[normalize-space()='{text}']")
        assert (page_path.parent / link.get("href")).resolve().read_bytes() == (old_site / name).read_bytes(), text
    out = report(imported)
    assert "_posts/2020-09-02-html-files.md:28: /files/gone.pdf in HTML not found in the old site: left as it was" in out, out
    assert len(re.findall(r"html-files\.md:\d+", out.split("Posts:")[0])) == 1, out


def test_files_linked_from_html_work_in_excerpts(built):
    for listing in [built.outdir / "index.html", built.outdir / "blog.html"]:
        (link,) = parse(listing).xpath("//a[text()='big chart']")
        assert (listing.parent / link.get("href")).resolve().read_bytes() == (KINDS / "news" / "images" / "big.png").read_bytes(), listing


# -- 15. emoji shortcodes (jemoji) --------------------------------------------------------------------------


def test_emoji_shortcodes_become_emoji_outside_code(imported, built):
    assert not warnings_about(built, "emoji"), built.log
    root = page(built, "emoji")
    assert root.xpath("//article//h1")[0].text_content().startswith("Emoji In The Log 🎉")
    text = " ".join(article(root).text_content().split())
    for shown in ["arrived 🎉 and the crew gave it a 👍 and a 👍", "two ✨✨ side by side", "glued❤️to words", "Calm seas 🌊", "A bell 🔔 rang in the HTML",
                  "🎉 link text", "10:30:45, 3:2:1, Foo::Bar"]:
        assert shown in text, shown
    assert [" ".join(td.text_content().split()) for td in root.xpath("//article//table//td")] == ["Monday", "☀️"]
    code = [c.text_content() for c in root.xpath("//article//code | //article//pre")]
    for kept in [":bell:", ":tada:", "reaction: :tada:", "indented :tada: code", "std::vector"]:
        assert any(kept in c for c in code), (kept, code)
    assert root.xpath("//article//a[@href='https://example.org/:tada:/']")
    out = report(imported)
    for name in ["octocat", "tadaa"]:
        assert f"_posts/2020-09-03-emoji.md:28: emoji shortcode :{name}: not known: kept as text" in out, out
    assert len(re.findall(r"emoji\.md:\d+", out.split("Posts:")[0])) == 2, out


def test_emoji_shortcodes_stay_text_on_a_site_without_jemoji(imported, built):
    assert ":tada: stayed :tada: for its readers" in article(page(built, "no-jemoji")).text_content()
    assert "emoji" not in report(imported, "plain").split("Posts:")[0]
