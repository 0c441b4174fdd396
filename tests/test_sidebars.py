"""Sidebars rendered once per folder are the sidebars the theme and ABlog render on every page.

essaysite.speed.sidebars renders the navigation and ABlog's widgets (recent essays,
tag cloud, categories, years) once per folder, and on its own for a page a
widget links to. ``essays_shared_sidebars = False`` renders them on every
page as the theme and ABlog do: both builds must write the same bytes.
"""

import re

import pytest

from helpers import LINKED_OPTIONS, copy_linked_site, output_files, sphinx_build

# The site's own sidebar shows none of ABlog's widgets (conf.py): a site that
# lists them, as ABlog's documentation suggests, gets them rendered once per folder.
WIDGETS = ["ablog/postcard.html", "ablog/recentposts.html", "ablog/tagcloud.html", "ablog/categories.html", "ablog/archives.html"]


@pytest.fixture(scope="module")
def widgets_src(tmp_path_factory):
    src = copy_linked_site(tmp_path_factory.mktemp("widgets") / "src", maintainers_pages=False)
    conf = src / "conf.py"
    text = conf.read_text(encoding="utf-8")
    assert '        "essays-nav.html",\n' in text
    conf.write_text(text.replace('        "essays-nav.html",\n', '        "essays-nav.html",\n' + "".join(f'        "{w}",\n' for w in WIDGETS), 1), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def shared(widgets_src, tmp_path_factory):
    build = sphinx_build(widgets_src, tmp_path_factory.mktemp("shared") / "html", options=LINKED_OPTIONS)
    assert build.ok, build.log
    return build


@pytest.fixture(scope="module")
def unshared(widgets_src, tmp_path_factory):
    root = tmp_path_factory.mktemp("unshared")
    build = sphinx_build(widgets_src, root / "html", options=(*LINKED_OPTIONS, "-D", "essays_shared_sidebars=0"))
    assert build.ok, build.log
    return build


def files(outdir):
    return {name: path.read_bytes() for name, path in output_files(outdir, skip=(".buildinfo",)).items()}


def test_shared_sidebars_equal_sidebars_rendered_on_every_page(shared, unshared):
    ours, theirs = files(shared.outdir), files(unshared.outdir)
    assert sorted(ours) == sorted(theirs)
    pages = [name for name in ours if name.endswith(".html")]
    assert len(pages) > 40
    assert [name for name in sorted(ours) if ours[name] != theirs[name]] == []


def widget(html: str, name: str) -> str:
    found = re.search(rf'<div class="ablog-sidebar-item ablog__{name}">.*?</ul>', html, re.S)
    assert found, name
    return found.group(0)


def test_widgets_differ_where_they_link_to_the_page_itself(shared):
    """The tag cloud links to its own tag page as "#", and the recent essays leave the page itself out."""
    out = shared.outdir
    tag_page = (out / "blog" / "tag" / "ai.html").read_text()
    other_tag = (out / "blog" / "tag" / "writing.html").read_text()
    assert 'href="#">ai</a>' in widget(tag_page, "tagcloud").replace("\n", "").replace("  ", "")
    assert widget(tag_page, "tagcloud") != widget(other_tag, "tagcloud")
    recent = re.findall(r'href="([^"]+)"', widget((out / "index.html").read_text(), "recentposts"))
    newest = recent[1].split("/")[-1].removesuffix(".html")  # recent[0] is the list of all essays
    own = widget((out / "posts" / f"{newest}.html").read_text(), "recentposts")
    assert f"{newest}.html" not in own
