"""Previews when shared: OpenGraph and Twitter card tags on every page, with
an absolute picture: the essay's cover (as PNG) or a generated card."""

import struct

import pytest

from helpers import build_in_process, clean_env, copy_root, html_pages, local_file, parse

pytestmark = pytest.mark.sphinx("html", testroot="previews")

ESSAY = "posts/the-old-bridge.html"
COVER_ALT = "Drawing of a stone bridge with three arches over a blue river at dusk"
BASE_URL = "http://127.0.0.1:8000/"


def tags(page):
    root = parse(page)
    found = {m.get("property"): m.get("content") for m in root.xpath("//meta[@property]")}
    found.update({m.get("name"): m.get("content") for m in root.xpath("//meta[@name]")})
    return found


def png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_site_builds_without_a_warning(built):
    assert built.warnings == ""


def test_every_page_has_preview_tags(built):
    pages = html_pages(built.outdir)
    assert len(pages) >= 20
    for page in pages:
        found = tags(page)
        name = page.relative_to(built.outdir).as_posix()
        for key in ("og:title", "og:type", "og:url", "og:description", "og:image", "og:image:alt",
                    "twitter:card", "twitter:image:alt", "description"):
            assert found.get(key), f"{name} has no {key}"
        assert found["twitter:card"] == "summary_large_image"
        # X falls back to og:title, og:description and og:image: no copies of them.
        assert not {"twitter:title", "twitter:description", "twitter:image"} & set(found), name
        assert found["twitter:image:alt"] == found["og:image:alt"]
        image = local_file(built.outdir, built.base_url, found["og:image"])
        assert image is not None, f"{name}: og:image {found['og:image']} is not an absolute URL of the site"
        width, height = png_size(image)
        assert width >= 600 and height >= 300, (name, width, height)
        if name != "404.html":
            assert local_file(built.outdir, built.base_url, found["og:url"]) == page


def test_essay_preview_is_its_cover_and_excerpt(built):
    found = tags(built.outdir / ESSAY)
    assert found["og:type"] == "article"
    assert "/_images/covers/" in found["og:image"]
    image = local_file(built.outdir, built.base_url, found["og:image"])
    assert png_size(image) == (int(found["og:image:width"]), int(found["og:image:height"])) == (1200, 750)
    assert found["og:image:alt"].startswith(COVER_ALT)
    assert found["og:description"].startswith('"The old bridge," as the town calls it')
    assert found["description"] == found["og:description"]
    assert "Intro" not in found["og:description"]


def test_pages_without_cover_get_a_generated_card(built):
    for name in ("index.html", "blog/tag/bridges.html", "blog.html", "404.html"):
        found = tags(built.outdir / name)
        assert "/_images/social_previews/" in found["og:image"], name
    assert tags(built.outdir / "blog/tag/bridges.html")["og:description"] == "Posts tagged bridges: The Old Bridge."


@pytest.mark.parametrize(
    "page, starts, neighbours",
    [
        # In a series: the series box sits under the title.
        ("posts/rivers-mouths.html", "Picking up from Rivers: Sources", ["Part 2 of 2", "Previous:"]),
        # Short, linked to and related: its backlinks and related essays follow its text.
        ("posts/ferries.html", "A ferry is a bridge that takes its time.", ["Fords", "10 May 2026", "Further reading"]),
    ],
)
def test_essay_without_cover_shares_the_site_card_and_describes_itself(built, page, starts, neighbours):
    """An essay without a cover gets the site's generated card (drawn once per
    build: a card per page cost half of a full build), and its description is
    its own text, not the boxes the site adds around it."""
    page_text = parse(built.outdir / page).text_content()
    assert all(text in page_text for text in neighbours)  # the page does show them
    found = tags(built.outdir / page)
    home = tags(built.outdir / "index.html")
    assert "/_images/social_previews/summary_site_" in found["og:image"]
    assert found["og:image"] == home["og:image"]
    assert local_file(built.outdir, built.base_url, found["og:image"]).is_file()
    assert found["og:image:alt"] == home["og:image:alt"] and "site's name" in found["og:image:alt"]
    assert found["og:description"].startswith(starts), found["og:description"]
    assert not [text for text in neighbours if text in found["og:description"]], found["og:description"]


@pytest.mark.parametrize(
    "front, message",
    [
        ("cover: images/missing.png\ncover_alt: A picture", r"cover 'images/missing.png' not found"),
        ("cover: images/bridge.svg", r"cover 'images/bridge.svg' has no `cover_alt`: add `cover_alt: \"...\"`"),
        ("cover: ../conf.py\ncover_alt: A picture", r"cover '../conf.py' is not a PNG, JPEG, GIF, WebP or SVG picture"),
    ],
    ids=["missing file", "no alt", "not a picture"],
)
def test_bad_cover_is_reported_with_the_file(tmp_path, front, message):
    import re

    src = copy_root("previews", tmp_path / "src")
    essay = src / "posts" / "bad-cover.md"
    essay.write_text(f"---\ndate: 2026-11-20\ntags: ai\ncategory: ai\n{front}\n---\n\n# Bad Cover\n\nText.\n")
    build = build_in_process(src, tmp_path / "build")
    assert len(build.warning_lines) == 1, build.warnings
    assert re.search(r"posts/bad-cover\.md: WARNING: " + message, build.warning_lines[0]), build.warnings
    assert "Traceback" not in build.warnings


def test_without_cairo_the_svg_cover_is_shared_as_svg(tmp_path):
    """`make html` needs Python alone: with no Cairo library the build still
    succeeds, with no warning, and the SVG cover is the preview picture."""
    import subprocess
    import sys

    src = copy_root("previews", tmp_path / "src")
    out = tmp_path / "html"
    runner = (
        "import sys; sys.modules['cairosvg'] = None\n"  # as if cairocffi found no libcairo
        "from sphinx.cmd.build import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, "-b", "html", "-n", "-W", "--keep-going", "-d", str(tmp_path / "doctrees"), str(src), str(out)],
        capture_output=True, text=True, env=clean_env(), cwd=src,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    found = tags(out / ESSAY)
    assert found["og:image"].endswith(".svg")
    assert local_file(out, BASE_URL, found["og:image"]).read_text().lstrip().startswith("<svg")


def test_site_card_is_drawn_again_only_when_its_text_changes(tmp_path):
    """The card is remembered between builds: kept as it is while the site's
    name and line stay the same, drawn anew (and the old one removed) when
    they change. No message says that matplotlib is missing (it is not used)."""
    src = copy_root("previews", tmp_path / "src")
    out = tmp_path / "build" / "html"

    def card(build):
        assert build.warnings == ""
        assert "matplotlib is not installed" not in build.status
        path = local_file(out, BASE_URL, tags(out / "index.html")["og:image"])
        assert png_size(path)[0] > 1000  # a large card, drawn
        return path

    first = card(build_in_process(src, tmp_path / "build"))
    drawn_at = first.stat().st_mtime_ns
    again = card(build_in_process(src, tmp_path / "build"))
    assert again == first and again.stat().st_mtime_ns == drawn_at  # not drawn again
    changed = card(build_in_process(src, tmp_path / "build", confoverrides={"essays_site_description": "Essays on gardens and rivers"}))
    assert changed != first
    assert not first.exists()  # the old card went with its text
    assert sorted(p.name for p in changed.parent.iterdir()) == [changed.name]


@pytest.mark.parametrize("page", ["blog.html", "blog/page/2.html"])
def test_each_page_is_described_by_its_own_essays(built, page):
    """A shared page 2 previews the essays on page 2, not those on page 1."""
    root = parse(built.outdir / page)
    description = root.xpath("//meta[@property='og:description']/@content")[0]
    titles = [a.text_content().strip() for a in root.xpath("//article[contains(@class,'ablog-post')]//h2/a")]
    assert len(titles) == 2  # essays_per_page = 2
    assert description.split(": ", 1)[1] == f"{titles[0]}; {titles[1]}.", description
