"""The build state: one per application, caches emptied once reading is done,
and features that work from what it provides (or without it)."""

import json

import lxml.etree

from essaysite import state
from helpers import clean_env, sphinx_build

ATOM = {"a": "http://www.w3.org/2005/Atom"}


class App:
    """Stands for a Sphinx application: the state only needs an object to attach to."""


def test_one_state_per_application():
    first, second = App(), App()
    assert state.of(first) is state.of(first)
    assert state.of(first) is not state.of(second)


def test_reading_done_empties_the_caches_and_nothing_else():
    app = App()
    built = state.of(app)
    built.caches.values["published"] = ["an essay"]
    built.caches.excerpts["key"] = "<p>old</p>"
    built.configured.drafts = {"posts/draft"}
    built.essays.post_copies["posts/a", 1] = "a copy"
    state.drop_caches(app, None)
    assert state.of(app).caches == state.Caches()
    assert state.of(app).configured.drafts == {"posts/draft"}
    assert state.of(app).essays.post_copies == {("posts/a", 1): "a copy"}


CONF = """
extensions = ["myst_parser", "ablog", "essaysite.features.feeds", "probe"]
blog_baseurl = "http://127.0.0.1:8000/"
blog_post_pattern = ["posts/*.md"]
blog_feed_fulltext = True
post_auto_excerpt = 1
"""
PROBE = """
import json, pathlib

def dump(app, exception):
    pathlib.Path(app.srcdir, "extensions.json").write_text(json.dumps(sorted(app.extensions)))

def setup(app):
    app.connect("build-finished", dump)
    return {"parallel_read_safe": True}
"""
ESSAY = """---
date: 2026-0{month}-01
---

# {title}

The first paragraph of {title}.

The second paragraph, {words}, only the full text has.
"""


def feed_contents(outdir) -> dict[str, str]:
    tree = lxml.etree.parse(str(outdir / "blog" / "atom.xml"))
    return {e.findtext("a:title", namespaces=ATOM): e.findtext("a:content", namespaces=ATOM) for e in tree.xpath("//a:entry", namespaces=ATOM)}


def test_feeds_have_the_full_text_without_lean_posts(tmp_path):
    """Without essaysite.speed.lean_posts, an essay's full text comes from ABlog's own copy, read or not in this build."""
    src = tmp_path / "src"
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF)
    (src / "probe.py").write_text(PROBE)
    (src / "index.md").write_text("# Home\n")
    (src / "posts" / "one.md").write_text(ESSAY.format(month=1, title="One", words="zebra quartz"))
    (src / "posts" / "two.md").write_text(ESSAY.format(month=2, title="Two", words="yak basalt"))
    env = clean_env(PYTHONPATH=str(src))  # finds probe.py
    first = sphinx_build(src, tmp_path / "html", env=env, options=())
    assert first.ok, first.log
    assert "essaysite.features.feeds" in json.loads((src / "extensions.json").read_text())
    assert "essaysite.speed.lean_posts" not in json.loads((src / "extensions.json").read_text())
    contents = feed_contents(tmp_path / "html")
    assert "zebra quartz" in contents["One"] and "yak basalt" in contents["Two"]
    # Only "Two" is read again: "One" comes from the pickled environment.
    (src / "posts" / "two.md").write_text(ESSAY.format(month=2, title="Two", words="yak granite"))
    again = sphinx_build(src, tmp_path / "html", env=env, options=())
    assert again.ok, again.log
    assert "0 added, 1 changed, 0 removed" in again.log
    contents = feed_contents(tmp_path / "html")
    assert "zebra quartz" in contents["One"] and "yak granite" in contents["Two"]
