"""A whole Jekyll blog imported, then built with -n -W: nothing lost.

The fixture site tests/data/jekyll-site exercises every point of the
importer; it is imported into a copy of the essay site (without its essays)
together with the first essay's Jekyll source, and the result is built once
in a subprocess. The tests read the built pages, lists, feeds and redirect
pages.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml

from helpers import ROOT, copy_site, parse, run_importer, sphinx_build

FIXTURE = ROOT / "tests" / "data" / "jekyll-site"
HER_SOURCE = ROOT / "tests" / "data" / "her-jekyll-source.md"
HER = "exploring-the-depths-of-human-machine-relationships-in-her"
HAND_WRITTEN = """---
date: 2020-05-06
tags: slug
redirect_from: ["/very/old/page.html", "/another/"]
---

# Hand Written

An essay that moved twice.
"""
DRAFT_MARKERS = ["Quokkasecret", "quokkatag", "Wombatsecret", "wombattag", "unpublished", "draft-in-progress"]


def import_jekyll(*args: str, dest: Path) -> subprocess.CompletedProcess:
    return run_importer(*args, "--dest", str(dest))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll")
    src = copy_site(root / "src", with_posts=False, maintainers_pages=False)
    site = import_jekyll(str(FIXTURE), dest=src)
    her = import_jekyll(str(HER_SOURCE), "--date", "2026-11-24", dest=src)
    # An essay written here, with old addresses of its own in its front matter.
    (src / "posts" / "hand-written.md").write_text(HAND_WRITTEN)
    return src, site, her


@pytest.fixture(scope="module")
def built(imported, build_server):
    src = imported[0]
    build = sphinx_build(src, src.parent / "html", server=build_server)
    assert build.ok, build.log
    return build


def page(build, name: str):
    return parse(build.outdir / "posts" / f"{name}.html")


def has_class(name: str) -> str:
    return f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def front(src: Path, name: str) -> dict:
    text = (src / "posts" / f"{name}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def article(root):
    return root.xpath("//article")[0]


# What the site adds to an essay's page (essaysite: related essays, backlinks,
# series box, reading time): drawn from the other essays, not the essay's text.
SITE_ADDITIONS = ("essay-related", "essay-backlinks", "essay-further-reading", "essay-series", "essay-byline", "essay-prev-next")


def essay_body(root):
    """The essay's own text: its article without what the site adds to it."""
    body = copy.deepcopy(article(root))
    for name in SITE_ADDITIONS:
        for added in body.xpath(has_class(name)):
            added.drop_tree()
    return body


def links(root) -> list[str]:
    return [a.get("href") for a in article(root).xpath(".//a") if "headerlink" not in (a.get("class") or "")]


# -- the command ----------------------------------------------------------------


def test_import_succeeds_and_reports_every_post(imported):
    _, site, _ = imported
    assert site.returncode == 0, site.stdout + site.stderr
    report = site.stdout
    assert "Imported: 13 post(s)" in report and "(2 draft(s)), 0 failure(s)" in report
    for source in FIXTURE.rglob("*"):
        if source.is_file() and source.parent.name in {"_posts", "_drafts"}:
            assert source.relative_to(FIXTURE).as_posix() + " -> posts/" in report


def test_report_lists_changes_and_what_was_not_converted(imported):
    report = imported[1].stdout
    for change in [
        "changed: mojibake repaired",
        "changed: decoded as cp1252",
        "changed: CRLF line endings converted to LF",
        "changed: byte-order mark removed",
        "changed: {% highlight %} converted to a code block",
        "changed: {% post_url %} converted to a checked link",
        "changed: {: .notice} converted to a note admonition",
        "changed: block attribute lists converted to MyST attributes",
        "changed: layout: post dropped",
        "_posts/2019-06-07-liquid-tour.markdown:34: {% include fancy.html %} (uses Liquid logic)",
        "_posts/2019-06-07-liquid-tour.markdown:36: Liquid {% if %} not converted",
        ": picture /assets/images/lost.png not found",
    ]:
        assert change in report, change


def test_her_import_reports_its_missing_picture(imported):
    her = imported[2]
    assert her.returncode == 0, her.stdout + her.stderr
    assert f"-> posts/{HER}.md (written)" in her.stdout
    assert "picture /assets/her.png not found" in her.stdout
    assert "mojibake repaired" in her.stdout


def test_build_has_no_warnings(built):
    assert "WARNING" not in built.log
    assert built.ok


# -- the first essay: same text, tags, category and date ------------------------


def essay_text(root) -> tuple[list[str], list[str]]:
    body = essay_body(root)
    for missing in body.xpath(has_class("missing-picture")):
        missing.getparent().remove(missing)
    headings = [h.text_content().replace("#", "").strip() for h in body.xpath(".//h1|.//h2|.//h3|.//h4")]
    paragraphs = [p.text_content().strip() for p in body.xpath(".//p")]
    return headings, paragraphs


def postcard(root) -> list[str]:
    """The essay's byline: date, category, tags (essaysite.features.byline)."""
    card = root.xpath(has_class("essay-byline"))[0]
    return [" ".join(card.text_content().split())] + sorted(a.get("href") for a in card.xpath(".//a"))


def test_her_imported_equals_the_published_essay(built, site):
    imported_page = page(built, HER)
    published = parse(site.outdir / "posts" / f"{HER}.html")
    assert essay_text(imported_page) == essay_text(published)
    assert essay_text(imported_page)[0][0] == "Exploring the Depths of Human-Machine Relationships in Her"
    assert postcard(imported_page) == postcard(published)  # date, category, tags


def test_her_missing_picture_shows_its_alt_text(built):
    missing = page(built, HER).xpath(has_class("missing-picture"))
    assert [m.text_content().strip() for m in missing] == ["logo"]


# -- front matter -----------------------------------------------------------------


def test_title_from_front_matter_or_file_name(built):
    assert page(built, "first-steps").xpath("//h1")[0].text_content().startswith("First Steps: A Kite Over the Bay")
    assert page(built, "old-windows-notes").xpath("//h1")[0].text_content().startswith("Old Windows Notes")


def test_date_shown_as_the_author_saw_it_and_url_in_site_zone(imported, built):
    src = imported[0]
    meta = front(src, "first-steps")
    assert meta["date"] == "2019-03-04 01:30"  # no offset: ABlog never meets an aware date
    assert meta["jekyll"]["date"] == "2019-03-04 01:30:00 +0500"
    assert "04 March 2019" in " ".join(postcard(page(built, "first-steps")))
    # 01:30 at +05:00 is 21:30 on 3 March in Europe/Paris, the site's zone.
    assert (built.outdir / "machine-learning/film/2019/03/03/first-steps.html").is_file()


def test_categories_and_tags_as_strings_or_lists(built):
    out = built.outdir / "blog"
    for tag in ["ai", "movie", "her", "kramdown", "markup", "windows", "legacy"]:
        assert (out / "tag" / f"{tag}.html").is_file(), tag
    for category in ["machine-learning", "film", "notes", "liquid"]:
        assert (out / "category" / f"{category}.html").is_file(), category
    # A folder above _posts/ is a category, spelt as the earlier post spelt it.
    film = parse(out / "category" / "film.html").text_content()
    assert "Category From The Folder" in film and "First Steps" in film


def test_author_image_comments_and_other_keys(imported, built):
    meta = front(imported[0], "first-steps")
    assert meta["author"] == "Jane Doe"
    assert (built.outdir / "blog" / "author" / "jane-doe.html").is_file()
    assert meta["cover"] == "images/jekyll/assets/images/cover.png"
    assert meta["cover_alt"] == "A red kite against the sky"
    assert (imported[0] / "posts" / meta["cover"]).is_file()
    assert meta["nocomments"] == ""
    assert meta["jekyll"]["mood"] == "hopeful"  # unknown key kept
    assert "layout" not in meta and "layout" not in meta["jekyll"]
    assert meta["redirect_from"] == ["/old/first.html"]


def list_entries(build, title: str) -> list:
    """The entries of ``title`` on the pages of the list of all essays (blog.html, blog/page/N.html)."""
    pages = [build.outdir / "blog.html", *sorted((build.outdir / "blog" / "page").glob("*.html"))]
    return [
        entry
        for path in pages
        for entry in parse(path).xpath("//article[contains(@class,'ablog-post')]")
        if entry.xpath("string(.//*[contains(@class,'ablog-post-title')])").strip() == title
    ]


def test_excerpt_separator_sets_the_excerpt(imported, built):
    assert front(imported[0], "first-steps")["excerpt"] == 2
    # The list of all essays is paginated: the essay's entry is on one of its pages, once.
    (entry,) = list_entries(built, "First Steps: A Kite Over the Bay")
    excerpt = entry.xpath(has_class("ablog-post-excerpt"))[0].text_content()
    assert "The kite rose above the bay" in excerpt
    assert "A second paragraph of the excerpt" in excerpt
    assert "Kitewind" not in excerpt


def test_custom_excerpt_is_kept(imported):
    assert front(imported[0], "second-post")["jekyll"]["excerpt"] == "A hand-written summary of the second post."


# -- drafts -----------------------------------------------------------------------


def test_drafts_are_marked(imported):
    assert front(imported[0], "unpublished")["draft"] is True
    assert front(imported[0], "draft-in-progress")["draft"] is True


def test_drafts_reach_no_public_file(built):
    files = [p for p in built.outdir.rglob("*") if p.is_file() and "_static" not in p.parts]
    assert any(p.name == "searchindex.js" for p in files) and any(p.name == "atom.xml" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for marker in DRAFT_MARKERS:
            assert marker not in text, f"{marker!r} in {path.relative_to(built.outdir)}"


# -- text -------------------------------------------------------------------------


def test_encodings_and_mojibake(built):
    windows = article(page(built, "old-windows-notes")).text_content()
    assert "A café “quoted” in Windows-1252 – saved long ago." in windows
    mojibake = article(page(built, "mojibake")).text_content()
    assert "your smartphone – at least" in mojibake and "â€" not in mojibake
    assert "“Curly quotes” and ‘single ones’ stay curly." in mojibake
    assert page(built, "mojibake").xpath("//article//del")[0].text == "struck"
    first = article(page(built, "first-steps")).text_content()
    assert "The kite rose above the bay" in first and "\ufeff" not in first


def test_kramdown_attribute_lists(built):
    root = page(built, "second-post")
    img = article(root).xpath(".//img")[0]
    assert "align-center" in img.get("class") and "width: 50%" in img.get("style")
    assert root.xpath(has_class("note"))[0].text_content().strip().endswith("This paragraph is a notice.")
    assert root.xpath(has_class("warning"))[0].text_content().strip().endswith("Careful with the wind.")
    styled = root.xpath("//*[@id='styled-para']")[0]
    assert "lead" in styled.get("class") and styled.text_content() == "A styled paragraph with its own id."


def test_kramdown_ids_toc_footnotes_abbreviations_definitions(built):
    root = page(built, "second-post")
    assert root.xpath("//section[@id='setup'] | //*[@id='setup']")
    assert root.xpath("//*[@id='details-anchor']")
    contents = root.xpath(has_class("contents"))[0].text_content()
    assert "Setup" in contents and "Details" in contents
    # Footnotes are sidenotes on the site (the theme's use_sidenotes): the note beside its line.
    assert root.xpath(has_class("sidenote"))[0].text_content().strip().endswith("The wind note.")
    (abbr,) = root.xpath("//abbr")
    assert abbr.text == "HTML" and abbr.get("title") == "Hyper Text Markup Language"
    assert root.xpath("//dl/dt")[0].text_content().strip() == "Kite"


def test_kramdown_maths_tables_and_dollars(built):
    root = page(built, "second-post")
    maths = [m.text_content() for m in root.xpath(has_class("math"))]
    assert r"\(E = mc^2\)" in maths and any("a^2 + b^2 = c^2" in m for m in maths)
    assert "prices like $5 and $10 stay money" in article(root).text_content()
    tables = root.xpath("//article//table")
    assert len(tables) == 2
    assert [th.text_content().strip() for th in tables[0].xpath(".//th")] == ["Name", "Colour"]
    assert "headless" in tables[1].text_content() and "row" in tables[1].text_content()
    assert "[setup section]" not in article(root).text_content()


def test_html_blocks_in_markdown_stay_html_and_myst_syntax_stays_text(built):
    root = page(built, "second-post")
    figure = root.xpath("//figure[@class='kite-figure']")[0]
    assert figure.xpath("figcaption")[0].text == "A kite, $3 at the shop."
    assert (built.outdir / "posts" / figure.xpath("img")[0].get("src")).resolve().is_file()
    assert "% of the kites flew on the first day." in article(root).text_content()


# -- Liquid ---------------------------------------------------------------------


def test_liquid_highlight_becomes_code(built):
    root = page(built, "liquid-tour")
    python = root.xpath(has_class("highlight-python"))[0]
    assert python.xpath(has_class("linenos")) and "def fly(kite):" in python.text_content()
    ruby = root.xpath(has_class("highlight-ruby"))[0]
    assert not ruby.xpath(has_class("linenos")) and 'puts "no line numbers"' in ruby.text_content()


def test_liquid_post_url_and_link_become_checked_links(built):
    root = page(built, "liquid-tour")
    # The essay's own links, not those of its related essays or backlinks.
    internal = [a for a in essay_body(root).xpath(".//a") if "internal" in (a.get("class") or "")]
    targets = [a.get("href").split("#")[0] for a in internal]
    assert targets.count("second-post.html") == 3
    assert "first-steps.html" in targets  # an old absolute URL of another post


def test_liquid_urls_variables_raw_and_includes(built):
    root = page(built, "liquid-tour")
    text = article(root).text_content()
    assert 'This post is called "A Tour of Liquid" on The Old Notebook.' in text
    assert "Written in June 2019 for https://old.example.com/notes." in text
    assert "https://old.example.com/notes/about/" in links(root)
    pdf = [h for h in links(root) if h.endswith("notes.pdf")]
    assert pdf and (built.outdir / "posts" / pdf[0]).resolve().is_file()
    assert "Literal Liquid: {{ not_liquid }} and {% not_a_tag %}" in text
    assert root.xpath(has_class("note-box"))[0].text_content() == "Included note text"
    assert "Fancy caption text" in root.xpath(has_class("jekyll-include"))[0].text_content()
    assert "{% if site.show_extra %}" in root.xpath(has_class("jekyll-liquid"))[0].text_content()


def test_html_post_stays_html(built):
    root = page(built, "html-post")
    para = root.xpath("//p[@class='html-post']")[0]
    assert para.xpath("strong")[0].text == "HTML"
    (img,) = article(root).xpath(".//img")
    assert (built.outdir / "posts" / img.get("src")).resolve().is_file()
    assert root.xpath("//a[text()='the second post']")[0].get("href") == "second-post.html"


# -- pictures ---------------------------------------------------------------------


def test_every_picture_copied_and_published(imported, built):
    copies = imported[0] / "posts" / "images" / "jekyll" / "assets" / "images"
    assert sorted(p.name for p in copies.iterdir()) == ["cover.png", "kite.png"]
    for name in ["first-steps", "second-post", "liquid-tour", "html-post"]:
        for img in article(page(built, name)).xpath(".//img"):
            assert (built.outdir / "posts" / img.get("src")).resolve().is_file(), (name, img.get("src"))


def test_missing_picture_shows_its_alt_text(built):
    root = page(built, "liquid-tour")
    assert [m.text_content().strip() for m in root.xpath(has_class("missing-picture"))] == ["Lost diagram"]


# -- old URLs -----------------------------------------------------------------------


def redirect_target(build, old_file: Path) -> tuple[Path, str]:
    root = parse(old_file)
    refresh = root.xpath("//meta[@http-equiv='refresh']")[0].get("content")
    delay, url = refresh.split(";", 1)
    assert delay.strip() == "0"
    target = url.strip()[len("url=") :]
    canonical = root.xpath("//link[@rel='canonical']")[0].get("href")
    return (old_file.parent / target).resolve(), canonical


def test_every_old_url_redirects_to_its_essay(imported, built):
    redirects = json.loads((imported[0] / "redirects.json").read_text())
    expected = {
        "/machine-learning/film/2019/03/03/first-steps.html": "first-steps",
        "/old/first.html": "first-steps",
        "/notes/2019/05/06/second-post.html": "second-post",
        "/notes/liquid/2019/06/07/liquid-tour.html": "liquid-tour",
        "/film/2019/04/05/folder-category.html": "folder-category",
        "/2019/pretty-one/": "pretty-one",
        "/custom/path.html": "custom-path",
        "/2019/10/11/same-slug.html": "same-slug",
        "/2020/01/02/same-slug.html": "same-slug-2020-01-02",
    }
    for old, name in expected.items():
        assert redirects[old] == f"posts/{name}"
    assert not any("unpublished" in v or "draft" in v for v in redirects.values())
    for old, docname in redirects.items():
        file = built.outdir / (old.lstrip("/") + ("index.html" if old.endswith("/") else ""))
        target, canonical = redirect_target(built, file)
        assert target == (built.outdir / f"{docname}.html").resolve(), old
        assert canonical == urljoin(built.base_url, f"{docname}.html")


def test_front_matter_redirect_from_of_any_essay(built):
    for old in ["very/old/page.html", "another/index.html"]:
        target, canonical = redirect_target(built, built.outdir / old)
        assert target == (built.outdir / "posts" / "hand-written.html").resolve()
        assert canonical == urljoin(built.base_url, "posts/hand-written.html")


def test_imported_pages_and_redirect_pages_are_valid_html(imported, built):
    from test_html_valid import vnu

    redirects = json.loads((built.outdir / "redirects.json").read_text())
    pages = sorted((built.outdir / "posts").glob("*.html"))
    pages += [built.outdir / (old.lstrip("/") + ("index.html" if old.endswith("/") else "")) for old in redirects]
    errors = vnu(pages)
    assert not errors, "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors)


def test_map_for_hosts(imported, built):
    site_map = json.loads((built.outdir / "redirects.json").read_text())
    assert site_map["/old/first.html"] == urljoin(built.base_url, "posts/first-steps.html")
    assert site_map["/another/"] == urljoin(built.base_url, "posts/hand-written.html")
    assert len(site_map) == len(json.loads((imported[0] / "redirects.json").read_text())) + 2


# -- collisions, lists and feeds ------------------------------------------------------


def test_same_slug_both_arrive(built):
    autumn, winter = page(built, "same-slug"), page(built, "same-slug-2020-01-02")
    assert "The autumn post" in article(autumn).text_content()
    assert "The winter post" in article(winter).text_content()
    listing = parse(built.outdir / "blog" / "tag" / "slug.html").text_content()
    assert "Same Slug, Autumn" in listing and "Same Slug, Winter" in listing


def test_lists_and_feeds_have_every_published_post(built):
    feed = feedparser.parse((built.outdir / "blog" / "atom.xml").read_bytes())
    titles = {e.title for e in feed.entries}
    assert len(titles) == 13  # 11 published posts, the first essay and the hand-written one
    assert {"First Steps: A Kite Over the Bay", "Written in HTML", "Old Windows Notes", "Same Slug, Winter"} <= titles
    pages = [built.outdir / "blog.html", *sorted((built.outdir / "blog" / "page").glob("*.html"))]
    listed = " ".join(parse(p).text_content() for p in pages)
    for title in titles:
        assert title in listed
    # The archive: each year with its count, 13 in all.
    counts = parse(built.outdir / "blog" / "archive.html").xpath("//ul[@class='essays-catalog-list']/li/span/text()")
    assert sum(int(c.strip("()").split()[0]) for c in counts) == 13


def test_feeds_carry_no_docutils_notes(built):
    """A heading whose id is also its name (``## Setup {#setup}``): docutils notes a duplicate
    target name (INFO), which no page shows; ABlog's copy of the essay kept the note, and the
    feeds showed it as a "System Message" box."""
    page = built.outdir / "posts" / "second-post.html"
    assert ">Setup<" in page.read_text() and "System Message" not in page.read_text()
    for path in built.outdir.rglob("*"):
        if path.name in {"atom.xml", "rss.xml", "feed.json"}:
            text = path.read_text()
            assert "System Message" not in text and "system-message" not in text, path
    entry = next(e for e in feedparser.parse((built.outdir / "blog" / "atom.xml").read_bytes()).entries if e.link.endswith("second-post.html"))
    assert ">Setup<" in entry.content[0].value
