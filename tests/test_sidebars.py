"""Sidebars rendered once per folder are the sidebars the theme and ABlog render on every page.

essaysite.speed.sidebars renders the navigation and ABlog's widgets (recent essays,
tag cloud, categories, years) once per folder, and on its own for a page a
widget links to. ``essays_shared_sidebars = False`` renders them on every
page as the theme and ABlog do: both builds must write the same bytes.
"""

import re

import pytest

from helpers import LINKED_OPTIONS, output_files, sphinx_build


@pytest.fixture(scope="module")
def unshared(linked_site, tmp_path_factory):
    root = tmp_path_factory.mktemp("unshared")
    build = sphinx_build(linked_site.srcdir, root / "html", options=(*LINKED_OPTIONS, "-D", "essays_shared_sidebars=0"))
    assert build.ok, build.log
    return build


def files(outdir):
    return {name: path.read_bytes() for name, path in output_files(outdir, skip=(".buildinfo",)).items()}


def test_shared_sidebars_equal_sidebars_rendered_on_every_page(linked_site, unshared):
    ours, theirs = files(linked_site.outdir), files(unshared.outdir)
    assert sorted(ours) == sorted(theirs)
    pages = [name for name in ours if name.endswith(".html")]
    assert len(pages) > 40
    assert [name for name in sorted(ours) if ours[name] != theirs[name]] == []


def widget(html: str, name: str) -> str:
    found = re.search(rf'<div class="ablog-sidebar-item ablog__{name}">.*?</ul>', html, re.S)
    assert found, name
    return found.group(0)


def test_widgets_differ_where_they_link_to_the_page_itself(linked_site):
    """The tag cloud links to its own tag page as "#", and the recent essays leave the page itself out."""
    out = linked_site.outdir
    tag_page = (out / "blog" / "tag" / "ai.html").read_text()
    other_tag = (out / "blog" / "tag" / "writing.html").read_text()
    assert 'href="#">ai</a>' in widget(tag_page, "tagcloud").replace("\n", "").replace("  ", "")
    assert widget(tag_page, "tagcloud") != widget(other_tag, "tagcloud")
    recent = re.findall(r'href="([^"]+)"', widget((out / "index.html").read_text(), "recentposts"))
    newest = recent[1].split("/")[-1].removesuffix(".html")  # recent[0] is the list of all essays
    own = widget((out / "posts" / f"{newest}.html").read_text(), "recentposts")
    assert f"{newest}.html" not in own
