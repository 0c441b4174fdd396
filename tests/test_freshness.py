"""Always current: after each kind of change, a plain rebuild writes what a clean build writes.

One source tree is built once, then changed step by step; after each change
it is rebuilt in place (no -a, no -E, same doctree folder) and compared with
a clean build of the same sources in a fresh folder. A step run alone
(``pytest "tests/test_freshness.py::test_plain_rebuild_equals_clean_build[serial-essay added]"``)
or after a failed one starts from sources with every earlier change made,
built once. What is compared: the same files and
folders, every page, feed, sitemap and preview card byte for byte, and the
search index byte for byte (essaysite.incremental.search_index takes out the
words Sphinx's incremental index keeps with no page left). The theme's files
(``_static``) are not compared: they do not depend on the essays.

Every build is a process of its own, as a writer's builds are: an
incremental build knows only what the last one left on disk. The processes
are forked from build servers that imported Sphinx and its kin already
(tests/forked_builds.py): one server for each chain of rebuilds and one for
the clean builds, so that the builds compared never share a salt of string
hashes; test_a_forked_build_writes_what_python_m_sphinx_writes checks the
forked builds against a new process, and the sitemap's no-op rebuild is a
new ``python -m sphinx`` process that finds the chain's state current.
The site is the linked essays' (helpers.copy_linked_site) with the
maintainers' pages as stubs: no essay shows on them and they show no essay
(the About and Reading pages, in the navigation, are whole, and no step may
rewrite a page under docs/). Two steps make two changes each in one
rebuild (body edited and another essay retitled; a link added in one essay
and another removed from an excerpt): changes that rewrite disjoint sets of
pages, lists and feed documents, so that neither can hide what the other
fails to rewrite (the set of pages each step must write is checked
exactly; see STEPS): 13 steps of 15 kinds of change, each serially and
with -j 2.
"""

import json

import lxml.etree
import pytest

from forked_builds import BuildServer
from helpers import LINKED_OPTIONS, LOCAL_BASE_URL, PARALLEL_OPTIONS, clean_env, copy_linked_site, html_pages, output_files, sphinx_build

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Feed documents of two essays (essaysite.features.feed_archives): every step
# also moves essays between a feed and its archives, or leaves the archives alone.
OPTIONS = LINKED_OPTIONS + ("-D", "essays_feed_length=2")


def outputs(outdir):
    """Every file but the theme's, by path, as written (the search index too: no word of a page that is gone)."""
    return {name: p.read_bytes() for name, p in output_files(outdir, theme_files=False).items()}


def search_terms(outdir) -> set[str]:
    """Every word and title word of the built search index."""
    text = (outdir / "searchindex.js").read_text()
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(index["terms"]) | set(index["titleterms"])


def list_pages(outdir):
    """The generated list pages (blog/...), as (modification time, bytes) by path."""
    return {p.relative_to(outdir).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in (outdir / "blog").rglob("*.html")}


def folders(outdir):
    return sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_dir())


def page_times(src, outdir):
    """The modification time of each document's page, by docname (``posts/gardens``)."""
    times = {}
    for source in src.rglob("*.md"):
        docname = source.relative_to(src).with_suffix("").as_posix()
        page = outdir / f"{docname}.html"
        if page.is_file():
            times[docname] = page.stat().st_mtime_ns
    return times


def written(before, after):
    """Docnames whose page the build wrote: new pages, and pages written again (serial or parallel)."""
    return {docname for docname, mtime in after.items() if before.get(docname) != mtime}


def edit(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


RIVERS = """---
date: 2026-04-15
tags: ai, nature
category: life
---

# Rivers

A river is a garden that moves; see {ref}`gardens`.
"""


def add_essay(src):
    (src / "posts" / "rivers.md").write_text(RIVERS)


def edit_excerpt(src):
    edit(src / "posts" / "machines-minds.md", "this part asks what changes", "this part asks, again, what changes")


def edit_body(src):
    edit(src / "posts" / "machines-minds.md", "Whether it is\none matters less", "Whether it is\nreally one matters less")


def retitle(src):
    edit(src / "posts" / "gardens.md", "# On Gardens", "# On Small Gardens")


def retag(src):
    edit(src / "posts" / "letters.md", "tags: writing", "tags: ai, writing")


def delete(src):
    (src / "posts" / "letters.md").unlink()


def make_draft(src):
    """An essay stops being public: none of its words may stay searchable."""
    edit(src / "posts" / "film-scifi.md", "series: Film Notes\n", "series: Film Notes\ndraft: true\n")


def add_link(src):
    edit(src / "posts" / "film-noir.md", "Noir made the dark a character.", "Noir made the dark a character, as {ref}`machines-tools` made the hand one.")


def remove_link(src):
    edit(src / "posts" / "walking.md", "; see {ref}`gardens`.", ".")


def edit_body_and_retitle(src):
    edit_body(src)
    retitle(src)


def add_link_and_remove_another(src):
    add_link(src)
    remove_link(src)


COVER = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="63"><rect width="120" height="63" fill="{}"/></svg>\n'


def add_cover(src):
    (src / "posts" / "images").mkdir(exist_ok=True)
    (src / "posts" / "images" / "soil.svg").write_text(COVER.format("#7a5230"))
    edit(src / "posts" / "gardens.md", "category: life\n", 'category: life\ncover: images/soil.svg\ncover_alt: "Brown soil"\n')


def redraw_cover(src):
    (src / "posts" / "images" / "soil.svg").write_text(COVER.format("#3d6b35"))


STREAMS = RIVERS.replace("# Rivers", "# Streams").replace("date: 2026-04-15", "date: 2026-04-16")


def redraw_cover_and_add_essay(src):
    """A new preview picture in a build that rewrites every page (in a parallel build, in other processes)."""
    (src / "posts" / "images" / "soil.svg").write_text(COVER.format("#35506b"))
    (src / "posts" / "streams.md").write_text(STREAMS)


WEIZENBAUM_1976 = """
@book{weizenbaum1976,
  author    = {Weizenbaum, Joseph},
  title     = {Computer Power and Human Reason: From Judgment to Calculation},
  publisher = {W. H. Freeman},
  year      = {1976},
}
"""


def cite_sources(src):
    """Two essays cite works of the site's .bib file, one in its excerpt (which the home page shows)."""
    edit(src / "posts" / "walking.md", "for people who have no garden.", "for people who have no garden, a test {cite:t}`turing1950` never set.")
    edit(src / "posts" / "machines-tools.md", "asked anything of us but skill.", "asked anything of us but skill {cite:p}`weizenbaum1966`.")


def edit_source(src):
    """An entry cited in an excerpt changes: its essay is read again, and the list showing the excerpt written."""
    edit(src / "posts" / "references.bib", "title   = {Computing Machinery and Intelligence}", "title   = {Computing Machinery and Intelligence (Reprinted)}")


def add_source_and_cite_it(src):
    (src / "posts" / "references.bib").write_text((src / "posts" / "references.bib").read_text() + WEIZENBAUM_1976)
    edit(src / "posts" / "machines-tools.md", "but skill {cite:p}`weizenbaum1966`.", "but skill {cite:p}`weizenbaum1966,weizenbaum1976`.")


class AtLeast(frozenset):
    """These pages and possibly others."""


# (name, change, the pages the plain rebuild must write: exactly these, or AtLeast these).
# No sidebar lists essays (conf.py's html_sidebars): an essay added or removed
# rewrites the pages that show it, never every page (no page under docs/).
STEPS = [
    # Rivers (ai, nature; life; links to gardens) comes between futures and
    # walking: their previous/next change; gardens gains a backlink and a
    # related essay; walking's related essays change (rivers shares its tag
    # and category).
    ("essay added", add_essay, {"posts/rivers", "index", "posts/machines-futures", "posts/walking", "posts/gardens"}),
    # The excerpt shows on the home page.
    ("excerpt edited", edit_excerpt, {"posts/machines-minds", "index"}),
    # Two changes that cannot hide each other: minds' body shows on its page
    # only (two words more leave the reading time as it was), and in the
    # feeds that carry its full text (technology, ethics, its series), none
    # of which holds gardens or an essay linking to it; gardens is retitled.
    # Gardens, an old essay not among the sidebars' recent essays: only the
    # pages that show its title are rewritten: its own, the home page, the
    # essays linking to it (walking, rivers; walking also lists it as
    # related) and the essay whose previous/next bar points at it
    # (film-noir); the lists and feeds showing its title or those essays'
    # text are not minds'.
    ("body edited, another essay retitled", edit_body_and_retitle,
     {"posts/machines-minds", "posts/gardens", "index", "posts/walking", "posts/rivers", "posts/film-noir"}),
    # Its related essays change; the sidebars' tag cloud keeps its sizes here, so
    # pages outside the blog are not rewritten (the byte comparison is the referee).
    ("essay re-tagged", retag, AtLeast({"posts/letters", "index"})),
    # Letters was walking's next essay, and related to the essays tagged ai.
    ("essay deleted", delete, AtLeast({"index", "posts/walking"})),
    # Science fiction was film-noir's next essay and machines-tools' previous one.
    ("essay made a draft", make_draft, AtLeast({"index", "posts/film-noir", "posts/machines-tools"})),
    # Two changes that cannot hide each other. A link added to film-noir's
    # body: the linking essay and the essay it now links to (backlinks); the
    # link is not in the excerpt, so the home page and the lists are left
    # alone, and only film-noir's feeds (film, noir, its category, series
    # and year) carry it. A link removed from walking's excerpt, which the
    # home page shows: walking, gardens (a backlink less), the home page, and
    # the lists and feeds of walking (the site's, cities, ai, life, 2026),
    # none of them film-noir's or showing machines-tools' backlinks.
    ("link added in one essay, another removed from an excerpt", add_link_and_remove_another,
     {"posts/film-noir", "posts/machines-tools", "posts/walking", "posts/gardens", "index"}),
    # The cover is the essay's preview picture, and its thumbnail on the home page.
    ("cover added", add_cover, {"posts/gardens", "index"}),
    # A new picture under the same name: a new PNG preview and thumbnail; the old ones must go.
    ("cover redrawn", redraw_cover, {"posts/gardens", "index"}),
    ("cover redrawn, essay added", redraw_cover_and_add_essay, AtLeast({"index", "posts/gardens", "posts/streams"})),
    # The citing essays, and the home page showing the excerpt that now cites.
    ("sources cited", cite_sources, {"posts/walking", "posts/machines-tools", "index"}),
    # Only the essay citing the entry (and the home page, which shows its excerpt
    # with the citation), not the other essay citing from the same .bib file.
    ("source edited in the .bib file", edit_source, {"posts/walking", "index"}),
    # A new entry, cited by the essay that now cites it, and by no other page.
    ("source added to the .bib file and cited", add_source_and_cite_it, {"posts/machines-tools"}),
]

CONFIGURATION_CHANGED = {"essay made a draft"}

# The same steps are also built with -j 2 (PARALLEL_OPTIONS): documents,
# lists and feeds are written by several processes.


@pytest.fixture(scope="module", params=["serial", "parallel"])
def evolving(request):
    """How the sources are built, and the incremental build as the last step left it (none yet).

    The chain's builds are forked from a build server of its own (tests/forked_builds.py).
    """
    options = OPTIONS + (PARALLEL_OPTIONS if request.param == "parallel" else ())
    server = BuildServer(clean_env())
    yield {"options": options, "next step": None, "server": server}
    server.close()


def before_step(evolving, index, tmp_path_factory):
    """The sources and their incremental build with steps 0 .. index-1 made.

    Right after step index-1 passed, that is its build; otherwise (the step
    is run alone, or the one before it failed) every earlier change is made
    to a fresh copy of the sources, which is built once.
    """
    if evolving["next step"] != index:
        root = tmp_path_factory.mktemp("fresh")
        src = copy_linked_site(root / "src", maintainers_pages=False)
        for _, change, _ in STEPS[:index]:
            change(src)
        first = sphinx_build(src, root / "incremental", options=evolving["options"], server=evolving["server"])
        assert first.ok, first.log
        evolving.update({"root": root, "src": src, "next step": index})
    return evolving["root"], evolving["src"]


@pytest.fixture(scope="module")
def clean_server():
    """The clean builds' build server: not a chain's, so that they never share its string hashes' salt."""
    server = BuildServer(clean_env())
    yield server
    server.close()


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory, clean_server):
    """Clean (serial) builds of the sources after each step, by step: the serial and the parallel runs compare with the same one."""
    built = {}

    def clean_build(index, src):
        if index not in built:
            clean_dir = tmp_path_factory.mktemp("clean") / "html"
            clean = sphinx_build(src, clean_dir, options=OPTIONS, server=clean_server)
            assert clean.ok, clean.log
            built[index] = clean_dir
        return built[index]

    return clean_build


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[name for name, _, _ in STEPS])
def test_plain_rebuild_equals_clean_build(evolving, clean_builds, index, tmp_path_factory):
    name, change, rewritten = STEPS[index]
    root, src = before_step(evolving, index, tmp_path_factory)
    evolving["next step"] = None  # until this step has passed
    lists_before = list_pages(root / "incremental")
    times_before = page_times(src, root / "incremental")
    terms_before = search_terms(root / "incremental")
    change(src)
    incremental = sphinx_build(src, root / "incremental", options=evolving["options"], server=evolving["server"])
    assert incremental.ok, incremental.log
    # A list page that shows nothing new is left as it is on disk (one page of a
    # long list, another tag's list), and one that does is written again.
    lists_after = list_pages(root / "incremental")
    needlessly = [p for p, (mtime, data) in lists_after.items() if p in lists_before and lists_before[p][1] == data and lists_before[p][0] != mtime]
    # A draft is an exclude pattern (features.drafts): the configuration changed,
    # and every list is written again, as after any change of conf.py.
    if name not in CONFIGURATION_CHANGED:
        assert needlessly == [], f"list pages rewritten without a change after {name}"
    assert all(lists_before.get(p, (None,))[0] != mtime for p, (mtime, data) in lists_after.items() if lists_before.get(p, (0, data))[1] != data)
    assert "0 added, 0 changed, 0 removed" not in incremental.log  # it was an incremental build, not a no-op
    # Only the pages that show the change are written again (the lists and feeds always are),
    # by this process or by the writing processes of a parallel build.
    pages_written = written(times_before, page_times(src, root / "incremental"))
    if isinstance(rewritten, AtLeast):
        assert rewritten <= pages_written, sorted(pages_written)
    else:
        assert pages_written == rewritten
    if name not in CONFIGURATION_CHANGED:  # Sphinx itself reads every page again then
        assert not [p for p in pages_written if p.startswith("docs/")], sorted(pages_written)
    clean_dir = clean_builds(index, src)
    ours, theirs = outputs(root / "incremental"), outputs(clean_dir)
    assert sorted(ours) == sorted(theirs), f"files differ after: {name}"
    assert folders(root / "incremental") == folders(clean_dir), f"folders differ after: {name}"
    stale = [path for path in sorted(ours) if ours[path] != theirs[path]]
    assert stale == [], f"stale after {name}: {stale}"
    if change is make_draft:
        # Words only the essay had were searchable; none of them is any more.
        gone = terms_before - search_terms(clean_dir)
        assert gone and not gone & search_terms(root / "incremental"), sorted(gone)
    evolving["next step"] = index + 1


def test_rebuild_that_writes_no_page_keeps_every_page_in_the_sitemap(evolving, tmp_path_factory):
    """The sitemap lists every page even when the build rewrote none of the essays.

    This rebuild is a new ``python -m sphinx`` process: it finds what the
    forked builds of the chain left current (nothing read, nothing written).
    """
    index = evolving["next step"] if evolving["next step"] is not None else len(STEPS)
    root, src = before_step(evolving, index, tmp_path_factory)
    outdir = root / "incremental"
    times_before = page_times(src, outdir)
    again = sphinx_build(src, outdir, options=evolving["options"])
    assert again.ok, again.log
    assert "0 added, 0 changed, 0 removed" in again.log
    assert written(times_before, page_times(src, outdir)) == set()
    tree = lxml.etree.parse(str(outdir / "sitemap.xml"))
    listed = {url[len(LOCAL_BASE_URL) :] for url in tree.xpath("//s:loc/text()", namespaces=SITEMAP_NS)}
    pages = {p.relative_to(outdir).as_posix() for p in html_pages(outdir)} - {"search.html", "genindex.html", "404.html"}
    assert {"index.html", "posts/gardens.html", "posts/walking.html"} <= listed
    assert listed == pages


def test_a_forked_build_writes_what_python_m_sphinx_writes(clean_server, tmp_path):
    """The builds above are forked from build servers: one writes what a new process writes, every file byte for byte
    (the theme's, .buildinfo and the search index included), and says the same."""
    src = copy_linked_site(tmp_path / "src", maintainers_pages=False)
    forked = sphinx_build(src, tmp_path / "forked" / "html", options=OPTIONS, server=clean_server)
    new = sphinx_build(src, tmp_path / "new" / "html", options=OPTIONS)
    assert forked.ok and new.ok, forked.log + new.log
    ours, theirs = output_files(forked.outdir), output_files(new.outdir)
    assert sorted(ours) == sorted(theirs) and len(ours) > 100
    assert [name for name in ours if ours[name].read_bytes() != theirs[name].read_bytes()] == []
    assert forked.result.stdout.replace("/forked/", "/new/") == new.result.stdout
    assert forked.result.stderr == new.result.stderr
