"""Every patch of another package (essaysite/patches/) is in place, is called, and says so when it no longer fits.

The builds here run in this process (``sphinx.application.Sphinx``), so that
a test can count the calls of each replacement the build put in place, and
break what a patch relies on (``monkeypatch``) the way an upgrade of the
patched package would: a function renamed or given other parameters, a
caller that no longer looks the function up, an ABlog handler with another
name. Then the build must still succeed, keep the package's stock
behaviour, and say so in exactly one warning line naming the package, its
installed version and the patch.
"""

from __future__ import annotations

import functools
import io
import pickle
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from essaysite.patches import docutils as docutils_patches
from essaysite.patches import ablog as ablog_patches
from essaysite.patches import guard, myst, opengraph, pydata_theme
from essaysite.patches import sphinx as sphinx_patches
from helpers import ROOT


@pytest.fixture(autouse=True, scope="module")
def docutils_as_found():
    """The builds here are plain ``Sphinx`` apps: the nodes, directives and roles they
    register in docutils are taken back after this module's tests, as sphinx-build and
    sphinx.testing's apps do, so that later builds in the process start clean."""
    with docutils_namespace():
        yield

CONF = """
project = "Patched"
extensions = ["myst_parser", "ablog", "essaysite", "sphinxext.opengraph"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
html_theme_options = {"show_prev_next": False}
html_sidebars = {"**": ["navbar-logo.html", "sbt-sidebar-nav.html", "ablog/recentposts.html", "ablog/tagcloud.html"]}
blog_baseurl = "http://127.0.0.1:8000/"
blog_path = "blog"
blog_post_pattern = ["posts/*.md"]
blog_feed_fulltext = True
fontawesome_included = True
ogp_site_url = "http://127.0.0.1:8000/"
ogp_social_cards = {"enable": False}
nitpicky = True
"""

INDEX = "# Home\n\nThe essays: {ref}`first`.\n"


def essay(n: int, tag: str) -> str:
    return f"""---
date: 2024-0{n}-10
tags: {tag}
category: notes
---

# Essay number {n}

A first paragraph about essay {n}.

```python
def essay_{n}():
    return {n}
```

A last paragraph.
"""


RAW_PICTURE = '\n<img src="dot.png" alt="A dot">\n'
DOT_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82"
)


def write_site(src: Path, posts: dict[str, str] | None = None) -> Path:
    (src / "posts").mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(INDEX)
    posts = posts if posts is not None else {"first": essay(1, "ai"), "second": essay(2, "film"), "third": essay(3, "ai")}
    for name, text in posts.items():
        (src / "posts" / f"{name}.md").write_text(text)
    (src / "posts" / "third.md").exists() and (src / "posts" / "third.md").write_text(essay(3, "ai") + RAW_PICTURE)
    # A whole PNG: essaysite.features.pictures publishes only a picture whose bytes are one.
    (src / "posts" / "dot.png").write_bytes(DOT_PNG)
    return src


@dataclass
class Built:
    app: Sphinx
    stream: io.StringIO
    outdir: Path

    @property
    def warnings(self) -> str:
        return self.stream.getvalue()

    def patch_warnings(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "[essays.patch]" in line]


def build(src: Path, out: Path, parallel: int = 0, fresh: bool = True, before=None, **overrides) -> Built:
    warnings = io.StringIO()
    app = Sphinx(
        str(src), str(src), str(out / "html"), str(out / "doctrees"), "html",
        confoverrides=overrides, status=io.StringIO(), warning=warnings, freshenv=fresh, parallel=parallel,
    )
    if before is not None:
        before(app)
    app.build(force_all=fresh)
    assert app.statuscode == 0, warnings.getvalue()
    return Built(app, warnings, out / "html")


def counting_replacements(monkeypatch) -> Counter:
    """Count the calls of every replacement a build puts in place (keyed by the patch's ``what``)."""
    calls: Counter = Counter()

    def counting(make, what):
        def counted_make(original):
            made = make(original)

            @functools.wraps(made)
            def counted(*args, **kwargs):
                calls[what] += 1
                return made(*args, **kwargs)

            return counted

        return counted_make

    apply, apply_to = guard.Replacement.apply, guard.Replacement.apply_to
    monkeypatch.setattr(guard.Replacement, "apply", lambda self, app, make: apply(self, app, counting(make, self.what)))
    monkeypatch.setattr(guard.Replacement, "apply_to", lambda self, app, obj, make: apply_to(self, app, obj, counting(make, self.what)))
    return calls


SERIAL_REPLACEMENTS = [
    sphinx_patches.DOCUTILS_SETTINGS,
    myst.MAKE_DOCUMENT,
    sphinx_patches.FILE_CHECKSUM,
    sphinx_patches.PYGMENTS_FORMATTER,
    sphinx_patches.GENERATED_PAGES,
    pydata_theme.SKIP_EMPTY_CHECK,
    docutils_patches.STYLESHEET_LIST,
    sphinx_patches.DOMAINS_CLEARING,
]


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    """A serial build of the small site, every replacement's calls counted."""
    root = tmp_path_factory.mktemp("counted")
    with pytest.MonkeyPatch.context() as monkeypatch:
        calls = counting_replacements(monkeypatch)
        built = build(write_site(root / "src"), root / "out")
        in_place_after = [r.what for r in SERIAL_REPLACEMENTS if r.applied()]
    return built, calls, in_place_after


@pytest.mark.parametrize("replacement", SERIAL_REPLACEMENTS, ids=lambda r: r.what)
def test_each_replacement_is_called_during_a_build(counted, replacement):
    built, calls, _ = counted
    assert calls[replacement.what] > 0, f"{replacement.what}: in place but never called (the call site moved?)"


def test_the_pinned_versions_need_no_warning_and_every_replacement_is_undone(counted):
    built, _, in_place_after = counted
    assert built.patch_warnings() == []
    assert in_place_after == []  # build-finished gave every package its own functions back
    for replacement in SERIAL_REPLACEMENTS:
        if replacement is not sphinx_patches.GENERATED_PAGES:  # replaced on the builder only
            assert getattr(guard.find(replacement.owner), replacement.attribute) is replacement.stock()


def test_reading_shares_are_used_in_a_parallel_build(tmp_path, monkeypatch):
    calls = counting_replacements(monkeypatch)
    build(write_site(tmp_path / "src"), tmp_path / "out", parallel=2, essays_parallel_min_pages=0)
    assert calls[sphinx_patches.READING_SHARES.what] >= 1
    assert calls[sphinx_patches.GENERATED_PAGES.what] == 1


def scans_of_labels(monkeypatch) -> list:
    """Each time the standard domain's clear_doc runs: the document, and how many of the labels
    it scans belong to another document of the site (the documents read so far, or left from a last build)."""
    from sphinx.domains.std import StandardDomain

    seen = []
    original = StandardDomain.clear_doc

    def clear_doc(self, docname):
        found = self.env.found_docs
        others = [fn for fn, *_ in [*self.labels.values(), *self.anonlabels.values()] if fn in found and fn != docname]
        seen.append(("clear", docname, len(others)))
        return original(self, docname)

    monkeypatch.setattr(StandardDomain, "clear_doc", clear_doc)
    return seen


def reading(seen: list):
    """A build's probe: each document read is noted among the scans (scans_of_labels)."""
    return lambda app: app.connect("source-read", lambda app, docname, source: seen.append(("read", docname, 0)))


@pytest.mark.parametrize("speedups", [1, 0])
def test_a_serial_first_build_scans_no_label_per_document(tmp_path, monkeypatch, speedups):
    """Serially, every document is cleared before any is read, while the labels hold none of the site's:
    no label is scanned per document (essaysite.speed.clearing). Stock Sphinx clears each
    before reading it, among the labels of every document read before."""
    posts = {f"essay{n}": essay(n % 9 + 1, "ai") for n in range(8)}
    seen = scans_of_labels(monkeypatch)
    built = build(write_site(tmp_path / "src", posts), tmp_path / "out", essays_speedups=speedups, before=reading(seen))
    assert built.patch_warnings() == []
    read = [docname for what, docname, _ in seen if what == "read"]
    cleared = [docname for what, docname, _ in seen if what == "clear"]
    assert len(read) == 9 and sorted(cleared) == sorted(read)  # each document cleared once by the domain
    scanned = sum(count for what, _, count in seen if what == "clear")
    if speedups:
        assert seen[: len(cleared)] == [("clear", docname, 0) for docname in cleared]  # all before the first read
        assert scanned == 0
    else:
        assert [what for what, *_ in seen] == ["clear", "read"] * 9  # one by one
        assert scanned >= 8 * 7 / 2  # each essay's label, scanned by each essay read after it


def test_patches_are_written_for_the_pinned_versions():
    pins = dict(re.findall(r"^([a-z0-9-]+)==([^\s\\]+)", (ROOT / "requirements.txt").read_text(), re.M))
    couplings = [
        *SERIAL_REPLACEMENTS, sphinx_patches.READING_SHARES, sphinx_patches.PROCESSES, sphinx_patches.BUILD_INFO,
        ablog_patches.PARALLEL_READING, ablog_patches.BLOG_SINGLETON, ablog_patches.MATCHED_POSTS, pydata_theme.LIGHT_HEAD,
    ]
    for coupling in couplings:
        assert pins.get(coupling.package) == coupling.written_for, coupling.what


# -- A package that changed: stock behaviour, one warning line ---------------------------


def renamed(monkeypatch, owner: str, attribute: str) -> None:
    """The attribute is another function now (a new name and parameters), which still does the job."""
    target = guard.find(owner)
    original = getattr(target, attribute)

    def replacement_from_a_new_release(*args, **kwargs):
        return original(*args, **kwargs)

    monkeypatch.setattr(target, attribute, replacement_from_a_new_release)


def caller_moved(monkeypatch, caller: str) -> None:
    """The caller no longer looks the attribute up (it was given a function of its own)."""
    module, _, name = caller.partition(":")
    owner_path, _, attribute = f"{module}:{name}".rpartition(".") if "." in name else (module, "", name)
    owner = guard.find(owner_path)
    original = getattr(owner, attribute)

    def caller_from_a_new_release(*args, **kwargs):
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, caller_from_a_new_release)


BREAKS = [
    (sphinx_patches.DOCUTILS_SETTINGS, "renamed"),
    (sphinx_patches.DOCUTILS_SETTINGS, "caller moved"),
    (myst.MAKE_DOCUMENT, "renamed"),
    (myst.MAKE_DOCUMENT, "caller moved"),
    (sphinx_patches.FILE_CHECKSUM, "renamed"),
    (sphinx_patches.PYGMENTS_FORMATTER, "caller moved"),
    (sphinx_patches.GENERATED_PAGES, "caller moved"),
    (pydata_theme.SKIP_EMPTY_CHECK, "renamed"),
    (pydata_theme.SKIP_EMPTY_CHECK, "caller moved"),
    (docutils_patches.STYLESHEET_LIST, "renamed"),
    (docutils_patches.STYLESHEET_LIST, "caller moved"),
    (sphinx_patches.DOMAINS_CLEARING, "renamed"),
    (sphinx_patches.DOMAINS_CLEARING, "caller moved"),
]


@pytest.mark.parametrize(("replacement", "how"), BREAKS, ids=lambda v: v if isinstance(v, str) else v.what)
def test_a_replacement_that_no_longer_fits_leaves_the_stock_behaviour_and_says_so(tmp_path, monkeypatch, replacement, how):
    if how == "renamed":
        renamed(monkeypatch, replacement.owner, replacement.attribute)
    else:
        caller_moved(monkeypatch, replacement.callers[0])
    calls = counting_replacements(monkeypatch)
    built = build(write_site(tmp_path / "src"), tmp_path / "out")
    assert calls[replacement.what] == 0  # the stock function did the work
    (line,) = built.patch_warnings()
    assert f"{replacement.package} {guard.installed_version(replacement.package)}" in line
    assert repr(replacement.what) in line and "the stock behaviour stays" in line
    assert (built.outdir / "posts" / "second.html").is_file()


# -- Couplings that replace nothing -------------------------------------------------------


def test_couplings_work_on_the_pinned_versions(counted):
    built, _, _ = counted
    out = built.outdir
    # Essay labels link to the page itself (sphinx_patches.point_label_at_page).
    assert 'href="posts/first.html"' in (out / "index.html").read_text()
    # A picture in raw HTML is published (sphinx_patches.publish_picture).
    assert 'src="../_images/dot.png"' in (out / "posts" / "third.html").read_text()
    assert (out / "_images" / "dot.png").is_file()
    # ABlog's drafts page is not written, its lists are paginated (ablog_patches.wrap_handler).
    assert not (out / "blog" / "drafts.html").exists()
    assert "essays_page" not in (out / "blog.html").read_text() and (out / "blog" / "tag" / "ai.html").is_file()
    # The light head: no Font Awesome script (pydata_theme.LIGHT_HEAD).
    assert "fontawesome.js" not in (out / "index.html").read_text()
    # ABlog is declared parallel-safe (ablog_patches.declare_parallel_read_safe).
    assert built.app.extensions["ablog"].parallel_read_safe is True


COUPLINGS = [
    (sphinx_patches.PROCESSES, "sphinx.builders:Builder.read"),
    (sphinx_patches.IMAGE_PATH, "sphinx.builders.html:StandaloneHTMLBuilder.post_process_images"),
    (sphinx_patches.PERMALINKS, "sphinx.writers.html5:HTML5Translator.add_permalink_ref"),
    (sphinx_patches.PICTURES, "sphinx.builders.html:StandaloneHTMLBuilder.copy_image_files"),
    (ablog_patches.PARALLEL_READING, "ablog.post:process_posts"),
    (ablog_patches.BLOG_SINGLETON, "ablog.blog:Blog.__init__"),
    (ablog_patches.MATCHED_POSTS, "ablog:config_inited"),
    (sphinx_patches.SERIAL_CLEARING, "sphinx.builders:Builder._read_serial"),
    (sphinx_patches.DOCTREE_CACHE, "sphinx.environment:BuildEnvironment.get_doctree"),
]


@pytest.mark.parametrize(("coupling", "caller"), COUPLINGS, ids=lambda v: v if isinstance(v, str) else v.what)
def test_a_coupling_that_no_longer_holds_says_so_once(tmp_path, monkeypatch, coupling, caller):
    caller_moved(monkeypatch, caller)
    built = build(write_site(tmp_path / "src"), tmp_path / "out", parallel=2)
    (line,) = built.patch_warnings()
    assert f"{coupling.package} {guard.installed_version(coupling.package)}" in line and repr(coupling.what) in line
    assert (built.outdir / "posts" / "second.html").is_file()


def test_loaded_doctrees_kept_only_the_latest(tmp_path, monkeypatch):
    """Sphinx keeps the bytes of every doctree it loads until the build ends (200 MB at 10,000 essays in
    the main process of a parallel build); with the speedups, only the latest few (here two)."""
    monkeypatch.setattr(sphinx_patches.LatestEntries, "LIMIT", 2)
    kept = {}
    probe = lambda app: app.connect("build-finished", lambda app, error: kept.update(on=dict(app.env._pickled_doctree_cache)))  # noqa: E731
    # Written in parallel: the main process loads each document to resolve it for the writing processes.
    build(write_site(tmp_path / "src"), tmp_path / "on", parallel=2, before=probe, essays_parallel_min_pages=0)
    probe = lambda app: app.connect("build-finished", lambda app, error: kept.update(off=dict(app.env._pickled_doctree_cache)))  # noqa: E731
    build(write_site(tmp_path / "src"), tmp_path / "off", parallel=2, before=probe, essays_speedups=0)
    assert len(kept["off"]) >= 4  # stock: every page's doctree (the home page and three essays)
    assert 1 <= len(kept["on"]) <= 2
    assert (tmp_path / "on" / "html" / "posts" / "second.html").read_bytes() == (tmp_path / "off" / "html" / "posts" / "second.html").read_bytes()


def test_parallel_only_where_it_pays_and_stock_when_sphinx_changed(tmp_path, monkeypatch):
    """Few documents with -j 2: read serially; when Sphinx no longer reads app.parallel there, as Sphinx decides."""
    seen = []

    def probe(app):
        app.connect("env-before-read-docs", lambda app, env, docnames: seen.append(app.parallel), priority=999)

    build(write_site(tmp_path / "src"), tmp_path / "out", parallel=2, before=probe)
    caller_moved(monkeypatch, "sphinx.builders:Builder.build")
    build(write_site(tmp_path / "src"), tmp_path / "out2", parallel=2, before=probe)
    assert seen == [1, 2]


def test_without_parallel_reading_declared_sphinx_reads_serially(tmp_path, monkeypatch):
    caller_moved(monkeypatch, "ablog.post:process_posts")
    built = build(write_site(tmp_path / "src"), tmp_path / "out", parallel=2, essays_parallel_min_pages=0)
    assert built.app.extensions["ablog"].parallel_read_safe is False
    assert "doing serial read" in built.warnings


@pytest.mark.parametrize("handler", ["generate_archive_pages", "generate_atom_feeds"])
def test_an_ablog_handler_renamed_leaves_ablog_as_it_ships(tmp_path, monkeypatch, handler):
    import ablog.post

    monkeypatch.setattr(getattr(ablog.post, handler), "__name__", f"{handler}_v2")
    built = build(write_site(tmp_path / "src"), tmp_path / "out")
    (line,) = built.patch_warnings()
    assert f"no html-collect-pages handler named {handler}" in line and "ablog 0.11.13" in line
    if handler == "generate_archive_pages":
        assert (built.outdir / "blog" / "drafts.html").is_file()  # ABlog's own pages, unwrapped


def test_each_build_in_a_process_sees_its_own_essays_only(tmp_path):
    """ABlog's Blog is process-wide: a second build must not list the first build's essays (#11)."""
    build(write_site(tmp_path / "a"), tmp_path / "out-a")
    other = build(write_site(tmp_path / "b", {"fourth": essay(4, "music")}), tmp_path / "out-b")
    listed = (other.outdir / "blog.html").read_text()
    assert "Essay number 4" in listed
    assert "Essay number 1" not in listed and not (other.outdir / "blog" / "tag" / "ai.html").exists()


def test_stale_essays_come_back_when_the_singleton_changed(tmp_path, monkeypatch):
    build(write_site(tmp_path / "a"), tmp_path / "out-a")
    caller_moved(monkeypatch, "ablog.blog:Blog.__init__")
    other = build(write_site(tmp_path / "b", {"fourth": essay(4, "music")}), tmp_path / "out-b")
    assert len(other.patch_warnings()) == 1
    assert "Essay number 1" in (other.outdir / "blog.html").read_text()  # ABlog's stock state, and said so


def environment(out: Path):
    with open(out / "doctrees" / "environment.pickle", "rb") as f:
        return pickle.load(f)


@pytest.mark.parametrize("speedups", [1, 0])
def test_ablog_copies_are_kept_light(tmp_path, speedups):
    """ABlog's copies of an essay hold no document and no parse in the pickled environment (#12)."""
    build(write_site(tmp_path / "src"), tmp_path / "out", essays_speedups=speedups)
    records = [r for rs in environment(tmp_path / "out").ablog_posts.values() for r in rs]
    assert len(records) == 3
    if speedups:
        assert all(r["doctree"] is None for r in records)  # set aside for the build that read them
        assert all(part.document is None for r in records for part in r["excerpt"])
    else:  # as ABlog keeps them: the test can tell
        assert all(r["doctree"] is not None and r["doctree"].document is not None for r in records)


def test_copies_of_whole_essays_are_not_kept(tmp_path):
    """An essay that is one post: ABlog's copy of it is its whole document, as its pickled doctree has it.
    With the speedups the build keeps no such copy (about 50 KB an essay in the main process, 500 MB at
    10,000), in the environment, the posts or set aside, and the feed's full text, read from the doctree,
    is the same bytes as from the copies ABlog keeps with the speedups off."""
    from essaysite import state

    seen = {}

    def look(app):
        def at_writing(app, env):
            seen["set aside"] = dict(state.of(app).essays.post_copies)
            seen["posts"] = [post.doctree for post in ablog_patches.blog_of(app).posts]
            return []

        app.connect("env-get-updated", at_writing)

    src = write_site(tmp_path / "src")
    build(src, tmp_path / "on", before=look)
    assert seen["set aside"] == {} and len(seen["posts"]) == 3 and all(doctree is None for doctree in seen["posts"])
    build(src, tmp_path / "off", before=look, essays_speedups=0)
    assert len(seen["set aside"]) == 0 and all(doctree is not None for doctree in seen["posts"])  # ABlog's own
    for name in ("atom.xml", "rss.xml", "feed.json"):
        on, off = (tmp_path / way / "html" / "blog" / name for way in ("on", "off"))
        assert on.read_bytes() == off.read_bytes(), name
    assert "A first paragraph about essay 3" in (tmp_path / "on" / "html" / "blog" / "atom.xml").read_text()  # full text


def test_a_configuration_change_rewrites_the_lists(tmp_path):
    """Lists are kept when nothing they show changed, and the configuration is part of what they show (#18)."""
    src = write_site(tmp_path / "src")
    build(src, tmp_path / "out")
    again = build(src, tmp_path / "out", fresh=False, html_title="Another title")
    assert "Another title" in (again.outdir / "blog" / "tag" / "ai.html").read_text()
    assert sphinx_patches.config_and_tags(again.app) == [again.app.builder.build_info.config_hash, again.app.builder.build_info.tags_hash]


def test_without_a_configuration_hash_every_list_is_written(tmp_path, monkeypatch):
    built = build(write_site(tmp_path / "src"), tmp_path / "out")
    monkeypatch.setattr(built.app.builder, "build_info", object())  # a Sphinx that keeps it elsewhere
    first, second = sphinx_patches.config_and_tags(built.app), sphinx_patches.config_and_tags(built.app)
    assert first != second  # no digest matches the last build's: written again, as ABlog does
    (line,) = built.patch_warnings()
    assert "sphinx 9.0.4" in line and "build_info has no config_hash" in line


def test_a_theme_with_another_head_gets_its_own_head_back(tmp_path, monkeypatch):
    monkeypatch.setattr(pydata_theme, "HEAD_BLOCKS", "0" * 40)
    pydata_theme.ThemeHead.problem.cache_clear()
    try:
        built = build(write_site(tmp_path / "src"), tmp_path / "out")
    finally:
        pydata_theme.ThemeHead.problem.cache_clear()
    (line,) = built.patch_warnings()
    assert "pydata-sphinx-theme 0.20.0" in line and "layout.html changed" in line
    assert "fontawesome.js" in (built.outdir / "index.html").read_text()


def test_the_extension_is_set_up_without_its_card_drawing(tmp_path):
    """A fresh process, with matplotlib installed (the test lock has it): the
    build neither imports the extension's card drawing nor matplotlib, and
    prints nothing of it; the site's card is drawn all the same."""
    import subprocess
    import sys

    src = write_site(tmp_path / "src")
    (src / "conf.py").write_text(CONF + 'ogp_social_cards = {"enable": True}\n')
    runner = (
        "import sys\n"
        "from sphinx.cmd.build import main\n"
        "status = main(sys.argv[1:])\n"
        f"print('imported:', sorted(m for m in ({opengraph.CARD_MODULE!r}, 'matplotlib') if m in sys.modules))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, "-b", "html", "-q", "-d", str(tmp_path / "doctrees"), str(src), str(tmp_path / "html")],
        capture_output=True, text=True, cwd=src,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["imported: []"], result.stdout + result.stderr
    assert "[essays.patch]" not in result.stderr
    assert "summary_site_" in (tmp_path / "html" / "posts" / "second.html").read_text()


def test_an_extension_that_imports_its_card_drawing_otherwise_is_set_up_as_it_ships_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(opengraph, "CARD_MODULE", "sphinxext.opengraph._cards_of_a_new_release")
    built = build(write_site(tmp_path / "src"), tmp_path / "out", ogp_social_cards={"enable": True})
    (line,) = built.patch_warnings()
    assert "sphinxext-opengraph 0.13.0" in line and "sphinxext.opengraph._cards_of_a_new_release is gone" in line
    # The site's card is the project's own: every page still shares it.
    assert "summary_site_" in (built.outdir / "posts" / "second.html").read_text()


# -- No patch leaks into a later build ------------------------------------------------------


def test_a_build_with_speedups_off_inherits_no_patch(tmp_path, monkeypatch):
    calls = counting_replacements(monkeypatch)
    # A build set up with the speedups on that never runs: nothing undoes its patches at build-finished.
    Sphinx(str(write_site(tmp_path / "a")), str(tmp_path / "a"), str(tmp_path / "out-a"), str(tmp_path / "dt-a"), "html", status=io.StringIO(), warning=io.StringIO())
    assert all(r.applied() for r in SERIAL_REPLACEMENTS if r is not sphinx_patches.GENERATED_PAGES)
    stock = {r.what: r.stock() for r in SERIAL_REPLACEMENTS if r is not sphinx_patches.GENERATED_PAGES}
    during = {}

    def probe(app):
        def look(app, env):
            during.update({r.what: getattr(guard.find(r.owner), r.attribute) is stock[r.what] for r in SERIAL_REPLACEMENTS if r.what in stock})
            return []

        app.connect("env-updated", look)

    built = build(write_site(tmp_path / "b"), tmp_path / "out-b", before=probe, essays_speedups=0)
    assert during and all(during.values())
    assert sum(calls.values()) == 0
    assert built.patch_warnings() == []


# -- sphinxcontrib-bibtex (essaysite.patches.bibtex) ------------------------------------------

from essaysite.patches import bibtex as bibtex_patches  # noqa: E402

BIB = """@article{turing1950,
  author = {Turing, Alan M.}, title = {Computing Machinery and Intelligence},
  journal = {Mind}, volume = {59}, number = {236}, pages = {433--460}, year = {1950},
}
"""
CITING = essay(4, "ai").replace("A last paragraph.", "A last paragraph {cite:p}`turing1950`.")


def write_citing_site(src: Path, key: str = "turing1950") -> Path:
    write_site(src, {"first": essay(1, "ai"), "citing": CITING.replace("turing1950", key)})
    (src / "conf.py").write_text(CONF.replace('"essaysite", ', '"essaysite", "sphinxcontrib.bibtex", ') + 'bibtex_bibfiles = ["posts/references.bib"]\nbibtex_reference_style = "author_year_round"\nbibtex_default_style = "essays"\n')
    (src / "posts" / "references.bib").write_text(BIB)
    return src


def test_bibtex_couplings_work_on_the_pinned_versions(tmp_path):
    built = build(write_citing_site(tmp_path / "src"), tmp_path / "out")
    assert built.patch_warnings() == []
    # The .bib file is no dependency of the citing essay (BIBFILE_DEPENDENCY): its entries decide.
    assert not [d for d in built.app.env.dependencies.get("posts/citing", ()) if str(d).endswith(".bib")]
    # The entries are read (BIBDATA), and the list resolved twice in the build (page, feed) is whole each time (FRESH_CITATIONS).
    assert "turing1950" in bibtex_patches.entries(built.app)
    feed = (built.outdir / "blog" / "atom.xml").read_text()
    assert feed.count("Computing machinery and intelligence. &lt;em&gt;Mind&lt;/em&gt;") == 1


def test_an_unknown_key_without_the_entries_gets_sphinxcontrib_bibtex_own_line(tmp_path, monkeypatch):
    caller_moved(monkeypatch, "sphinxcontrib.bibtex:builder_inited_cite")
    src = write_citing_site(tmp_path / "src", key="turing1905")
    warnings = io.StringIO()
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html", status=io.StringIO(), warning=warnings, freshenv=True)
    app.build(force_all=True)
    lines = warnings.getvalue().splitlines()
    patch = [line for line in lines if "[essays.patch]" in line]
    assert len(patch) == 1 and "sphinxcontrib-bibtex 2.7.0" in patch[0] and repr(bibtex_patches.BIBDATA.what) in patch[0]
    assert any('could not find bibtex key "turing1905"' in line for line in lines), lines


@pytest.mark.parametrize(
    ("coupling", "caller"),
    [
        (bibtex_patches.BIBFILE_DEPENDENCY, "sphinxcontrib.bibtex.directives:BibliographyDirective.run"),
        (bibtex_patches.FRESH_CITATIONS, "sphinxcontrib.bibtex.transforms:BibliographyTransform.run"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.what,
)
def test_a_bibtex_coupling_that_no_longer_holds_says_so_once(tmp_path, monkeypatch, coupling, caller):
    caller_moved(monkeypatch, caller)
    built = build(write_citing_site(tmp_path / "src"), tmp_path / "out")
    (line,) = built.patch_warnings()
    assert f"{coupling.package} {guard.installed_version(coupling.package)}" in line and repr(coupling.what) in line
    if coupling is bibtex_patches.BIBFILE_DEPENDENCY:
        # Stock: the .bib file stays a dependency of the citing essay.
        assert [d for d in built.app.env.dependencies.get("posts/citing", ()) if str(d).endswith(".bib")]
    assert (built.outdir / "posts" / "citing.html").is_file()


def test_bibtex_patches_are_written_for_the_pinned_version():
    pins = dict(re.findall(r"^([a-z0-9-]+)==([^\s\\]+)", (ROOT / "requirements.txt").read_text(), re.M))
    for coupling in (bibtex_patches.BIBDATA, bibtex_patches.BIBFILE_DEPENDENCY, bibtex_patches.FRESH_CITATIONS):
        assert pins.get(coupling.package) == coupling.written_for, coupling.what
