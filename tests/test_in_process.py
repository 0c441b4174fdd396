"""Builds in the test process: each sees only its own essays and leaves the process as it found it."""

import gc

from helpers import build_root, collector_as_found, parse


def list_titles(outdir):
    return sorted(a.text_content() for a in parse(outdir / "blog.html").xpath("//article[contains(@class,'ablog-post')]//h2/a"))


def test_each_build_lists_only_its_own_essays(tmp_path):
    """ABlog keeps its posts in a process-wide singleton, which essaysite.incremental.freshness
    empties when a build starts: a site built after another in the same process lists only its own."""
    linked = build_root("linked", tmp_path / "linked")
    drafts = build_root("drafts", tmp_path / "drafts")
    again = build_root("linked", tmp_path / "linked-again")
    assert list_titles(drafts.outdir) == ["Lighthouses"]
    assert len(list_titles(linked.outdir)) == 3 and "Lighthouses" not in list_titles(again.outdir)
    assert list_titles(again.outdir) == list_titles(linked.outdir)
    assert (linked.warnings, drafts.warnings, again.warnings) == ("", "", "")


def test_the_collector_is_left_as_it_was_found(tmp_path):
    """essaysite.speed.collector freezes what a build loaded; after the build the test process has nothing frozen."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collector_as_found():
        build_root("linked", tmp_path, confoverrides={"extensions": ["myst_parser", "ablog", "essaysite.speed.collector"]})
        frozen_by_the_build = gc.get_freeze_count()
    assert frozen_by_the_build > 1000
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_leaves_sphinx_defaults_as_they_were(tmp_path):
    """essaysite's templates extend templates_path: with conf.py leaving it unset, Sphinx's
    default list (one list, shared by every later app of the process) stays empty."""
    from sphinx.config import Config

    built = build_root("defaults", tmp_path)
    assert (built.outdir / "_static" / "essays-icons.css").is_file()
    assert Config.config_values["templates_path"].default == []
