"""What a build keeps for the next one holds only for the code and configuration that made it.

essaysite.incremental.store keys every kept state (page digests, list and
feed digests, feed entries, the site card) with the package's version, a
digest of its code and templates, and the configuration that shapes pages
and feeds. A plain rebuild after a change to any of them writes what the
new code or configuration writes, not what the last build kept.
"""

import shutil

import lxml.etree
from sphinx.config import ConfigValue

from essaysite.incremental import store
from helpers import LINKED_OPTIONS, ROOT, clean_env, copy_linked_site, sphinx_build

ATOM = {"a": "http://www.w3.org/2005/Atom"}
FEED = "blog/atom.xml"
MARK = "<!-- written by the new code -->"
# The line of essaysite/features/feeds.py that writes an entry's content.
ENTRY_LINE = "        html = absolute_links(html, page_url(app, post.docname))\n"


class Builder:
    name = "html"


class App:
    """What the store reads of a Sphinx application: folders, builder, configuration and tags."""

    def __init__(self, tmp_path, **config):
        self.doctreedir = tmp_path / "doctrees"
        self.outdir = tmp_path / "html"
        self.builder = Builder()
        self.tags = ["draft"]
        self.config = [ConfigValue(name, value, "html") for name, value in config.items()]


def test_a_kept_state_comes_back_as_it_was_saved(tmp_path):
    """Its own fields ("key", "outdir", "pages") included, and only while the key holds."""
    kept = {"key": "the site card's own key", "outdir": "mine", "pages": {"index": "digest"}}
    store.save(App(tmp_path, blog_feed_fulltext=True), "site-card", kept)
    assert store.load(App(tmp_path, blog_feed_fulltext=True), "site-card") == kept
    assert store.load(App(tmp_path, blog_feed_fulltext=False), "site-card") == {}  # another configuration
    other = App(tmp_path, blog_feed_fulltext=True)
    other.outdir = tmp_path / "elsewhere"
    assert store.load(other, "site-card") == {}  # another output folder


def entry_contents(outdir):
    tree = lxml.etree.parse(str(outdir / FEED))
    return tree.xpath("//a:entry/a:content/text()", namespaces=ATOM)


def feed_times(outdir):
    """Each feed file's modification time, by path."""
    files = [p for name in ("atom.xml", "rss.xml", "feed.json") for p in outdir.rglob(name)]
    return {p.relative_to(outdir).as_posix(): p.stat().st_mtime_ns for p in files}


def test_the_same_code_keeps_the_feeds_and_a_code_change_rewrites_every_entry(tmp_path):
    """The linked-essays site built with a copy of the essaysite package that the build imports, then rebuilt twice.

    With the same code, the key is the same from one build to the next:
    nothing kept is thrown away without a change. Then a new way of writing
    entries (a line of the copy's feeds.py) reaches every entry, without a
    clean build.
    """
    code = tmp_path / "code"
    shutil.copytree(ROOT / "essaysite", code / "essaysite", ignore=shutil.ignore_patterns("__pycache__"))
    src = copy_linked_site(tmp_path / "src", maintainers_pages=False)
    out, env = tmp_path / "html", clean_env(PYTHONPATH=str(code))
    first = sphinx_build(src, out, env=env, options=LINKED_OPTIONS)
    assert first.ok, first.log

    before = feed_times(out)
    assert len(before) >= 3 * 6
    again = sphinx_build(src, out, env=env, options=LINKED_OPTIONS)
    assert again.ok, again.log
    assert "0 added, 0 changed, 0 removed" in again.log
    assert feed_times(out) == before

    feeds = code / "essaysite" / "features" / "feeds.py"
    text = feeds.read_text()
    assert text.count(ENTRY_LINE) == 1, "the test edits this line of feeds.py"
    feeds.write_text(text.replace(ENTRY_LINE, ENTRY_LINE.rstrip("\n") + f" + {MARK!r}\n"))
    assert not any(MARK in content for content in entry_contents(out))
    again = sphinx_build(src, out, env=env, options=LINKED_OPTIONS)
    assert again.ok, again.log
    assert "0 added, 0 changed, 0 removed" in again.log  # Sphinx itself saw no change: an incremental build
    contents = entry_contents(out)
    assert len(contents) >= 8
    assert all(content.endswith(MARK) for content in contents)


def test_rebuild_after_a_config_change_rewrites_every_feed_entry(tmp_path, build_server):
    """``blog_feed_fulltext`` turned off: every entry is the essay's excerpt, not its full text."""
    src = copy_linked_site(tmp_path / "src", maintainers_pages=False)
    first = sphinx_build(src, tmp_path / "html", options=LINKED_OPTIONS, server=build_server)
    assert first.ok, first.log
    full = entry_contents(tmp_path / "html")
    assert full and not any("ablog-post-excerpt" in content for content in full)
    again = sphinx_build(src, tmp_path / "html", options=LINKED_OPTIONS + ("-D", "blog_feed_fulltext=0"), server=build_server)
    assert again.ok, again.log
    excerpts = entry_contents(tmp_path / "html")
    assert len(excerpts) == len(full)
    # The excerpt (its wrapper's class is the site's stylesheet's, left out of feeds): the essay's opening, not all of it.
    for excerpt, whole in zip(excerpts, full):
        assert excerpt.strip() and len(excerpt) < len(whole) and excerpt.strip() in whole
