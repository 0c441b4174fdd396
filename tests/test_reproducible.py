"""Two builds of the same sources are byte-identical: every file of the output.

Nothing legitimately differs: the feeds carry the newest essay's date, not
the build time; Sphinx takes the copyright year from SOURCE_DATE_EPOCH when
it is set; covers and cards are named after their content and drawn the same
way each time. The sources are copied to two different folders, so no
absolute path of the build machine may leak into the output either.
"""

import filecmp

import pytest

from helpers import clean_env, copy_site, output_files, sphinx_build

EPOCH = "1764000000"  # 2025-11-24


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    builds = []
    for name in ("first", "second"):
        root = tmp_path_factory.mktemp(name)
        build = sphinx_build(copy_site(root / "src"), root / "html", env=clean_env(SOURCE_DATE_EPOCH=EPOCH))
        assert build.ok, build.log
        builds.append(build)
    return builds


def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    names = list(output_files(first.outdir))
    assert names == list(output_files(second.outdir))
    for expected in ("blog/atom.xml", "blog/rss.xml", "blog/feed.json", "sitemap.xml", "robots.txt",
                     "searchindex.js", ".buildinfo", "objects.inv", "404.html", "index.html"):
        assert expected in names
    assert any(n.startswith("_images/covers/") for n in names)
    assert any(n.startswith("_images/social_previews/") for n in names)
    _, mismatch, errors = filecmp.cmpfiles(first.outdir, second.outdir, names, shallow=False)
    assert not mismatch and not errors, mismatch + errors
    for name in names:
        data = (first.outdir / name).read_bytes()
        assert str(first.srcdir).encode() not in data, f"{name} holds the build folder's path"


def test_source_date_epoch_sets_the_copyright_year(two_builds):
    html = (two_builds[0].outdir / "index.html").read_text()
    assert "Copyright 2025." in " ".join(html.split())  # the placeholder owner: no name
