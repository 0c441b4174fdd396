"""An edit that changes nothing other pages show gathers the inputs of the pages read, and of those with a post list, only.

essaysite.incremental.outward: the rest keep their digests. Whether the
pages written are then a clean build's is tests/test_freshness.py's
question (every step, serial and parallel); here, which pages' inputs a
rebuild gathers, and that what it writes is still right.
"""

from pathlib import Path

import pytest

from essaysite.incremental import freshness
from helpers import build_in_process, copy_root, parse

ESSAYS = {
    "posts/film-noir",
    "posts/film-scifi",
    "posts/gardens",
    "posts/letters",
    "posts/machines-futures",
    "posts/machines-minds",
    "posts/machines-tools",
    "posts/walking",
    "posts/draft-reply",
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def rebuild_gathering(src: Path, build: Path, monkeypatch) -> set[str]:
    """Rebuild in this process; the pages whose inputs it gathered."""
    gathered = set()
    original = freshness.page_inputs

    def counting(app, docname, sidebar):
        gathered.add(docname)
        return original(app, docname, sidebar)

    monkeypatch.setattr(freshness, "page_inputs", counting)
    built = build_in_process(src, build)
    monkeypatch.undo()
    assert built.warnings == ""
    return gathered


@pytest.fixture
def site(tmp_path):
    src = copy_root("linked", tmp_path / "src")
    build_in_process(src, tmp_path / "build")
    return src, tmp_path / "build"


def test_text_edited_gathers_its_page_and_the_post_lists_only(site, monkeypatch):
    src, build = site
    edit(src / "posts" / "machines-minds.md", "this part asks what changes", "this part asks, once more, what changes")
    gathered = rebuild_gathering(src, build, monkeypatch)
    assert gathered == {"posts/machines-minds", "index"}
    # The home page shows the new excerpt, the essay its new text.
    assert "once more" in parse(build / "html" / "index.html").text_content()
    assert "once more" in parse(build / "html" / "posts" / "machines-minds.html").text_content()


def test_nothing_read_gathers_nothing(site, monkeypatch):
    src, build = site
    assert rebuild_gathering(src, build, monkeypatch) == set()


@pytest.mark.parametrize(
    "change",
    [
        ("posts/gardens.md", "# On Gardens", "# On Small Gardens"),  # a title other pages show
        ("posts/letters.md", "tags: writing", "tags: ai, writing"),  # tags: related essays, lists
        ("posts/machines-minds.md", "this part asks what changes", "this part asks, after {ref}`gardens`, what changes"),  # a link: backlinks
    ],
    ids=["retitled", "retagged", "link added"],
)
def test_what_others_show_changed_gathers_every_page(site, monkeypatch, change):
    src, build = site
    edit(src / change[0], change[1], change[2])
    gathered = rebuild_gathering(src, build, monkeypatch)
    assert ESSAYS - {"posts/draft-reply"} <= gathered
    assert {"index", "about"} <= gathered


@pytest.mark.parametrize("builder, string_rule", [("html", True), ("dirhtml", False)])
def test_each_page_is_found_in_the_file_its_builder_writes(make_app, tmp_path, builder, string_rule):
    """freshness.output_relpath: the page name and suffix as a string where that is the builder's rule, else the builder's path."""
    src = copy_root("feeds", tmp_path / "src")
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    for docname in sorted(app.env.found_docs):
        relpath = freshness.output_relpath(app, docname)
        assert relpath == Path(app.builder.get_outfilename(docname)).relative_to(app.outdir).as_posix()
        assert (Path(app.outdir) / relpath).is_file()
    assert freshness.build_cache(app)["plain outfilenames"] is string_rule
