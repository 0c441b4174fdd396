"""The site's card (essaysite.features.site_card): a 1200 x 630 PNG drawn with
Pillow, showing the site's name, description, address, mark and line, built
without matplotlib, which the build lock no longer holds."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from PIL import Image

from helpers import ROOT, build_in_process, clean_env, copy_root, local_file, parse

BASE_URL = "http://127.0.0.1:8000/"
LINE_COLOR = (0xC9, 0x51, 0x4A)  # ogp_social_cards["line_color"] of tests/roots/test-previews
TEXT_COLOR = (0x2F, 0x36, 0x3D)
NAME_AREA = (60, 80, 900, 260)  # left, top, right, bottom: where the site's name is drawn
DESCRIPTION_AREA = (60, 380, 1140, 505)


def card_of(outdir, page="index.html"):
    """The card a page shares (og:image), opened, with its og:image:alt."""
    root = parse(outdir / page)
    url = root.xpath("//meta[@property='og:image']/@content")[0]
    alt = root.xpath("//meta[@property='og:image:alt']/@content")[0]
    path = local_file(outdir, BASE_URL, url)
    assert "/_images/social_previews/summary_site_" in url and path.is_file(), url
    return path, Image.open(path), alt


def near(pixel, color, slack=40):
    return all(abs(a - b) <= slack for a, b in zip(pixel[:3], color))


def build(src, out, **overrides):
    built = build_in_process(src, out, confoverrides=overrides)
    assert built.warnings == "", built.warnings
    return built.outdir


def test_the_card_is_a_1200_by_630_png_with_the_sites_name_mark_and_line(tmp_path):
    src = copy_root("previews", tmp_path / "src")
    outdir = build(src, tmp_path / "build")
    path, card, alt = card_of(outdir)
    assert (card.format, card.size) == ("PNG", (1200, 630))
    assert alt == "A card with the site's name and address, Previews"
    pixels = card.convert("RGB")
    assert near(pixels.getpixel((600, 620)), LINE_COLOR, 5)  # the line along the bottom
    assert near(pixels.getpixel((1050, 531)), LINE_COLOR)  # the mark (a red disc) at the bottom right
    assert near(pixels.getpixel((1190, 10)), (255, 255, 255), 0)  # white around
    area = pixels.crop(NAME_AREA).tobytes()
    name_ink = [area[i : i + 3] for i in range(0, len(area), 3) if near(area[i : i + 3], TEXT_COLOR)]
    assert len(name_ink) > 2000, "no name drawn"
    # Every page without a cover shares this card.
    assert card_of(outdir, "blog.html")[0] == card_of(outdir, "posts/ferries.html")[0] == path


def test_the_card_shows_the_name_it_is_given(tmp_path):
    """Another site name: another card, another name drawn, the same description."""
    src = copy_root("previews", tmp_path / "src")
    first_path, first, _ = card_of(build(src, tmp_path / "one"))
    other_path, other, alt = card_of(build(src, tmp_path / "two", ogp_site_name="Rivers and Towns"))
    assert first_path.name != other_path.name
    assert alt.endswith(", Rivers and Towns")
    assert first.crop(NAME_AREA).tobytes() != other.crop(NAME_AREA).tobytes()
    assert first.crop(DESCRIPTION_AREA).tobytes() == other.crop(DESCRIPTION_AREA).tobytes()


def test_a_picture_at_the_top_right_from_the_settings_and_none_from_an_svg_logo(tmp_path):
    src = copy_root("previews", tmp_path / "src")
    (src / "_static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    cards = {"enable": True, "image_mini": "_static/essays-mark.png", "line_color": "#c9514a"}
    with_picture = card_of(build(src, tmp_path / "one", ogp_social_cards={**cards, "image": "_static/essays-mark.png"}))[1]
    assert near(with_picture.convert("RGB").getpixel((975, 126)), LINE_COLOR)  # the mark again, large
    # An SVG logo is no picture the card can draw: left out, without a warning (build() checks).
    with_logo = card_of(build(src, tmp_path / "two", html_logo="_static/logo.svg"))[1]
    assert near(with_logo.convert("RGB").getpixel((975, 126)), (255, 255, 255), 0)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"image_mini": "_static/missing.png"}, r"ogp_social_cards\['image_mini'\] '_static/missing.png' is not found \(looked for .*\): give a PNG or JPEG path relative to conf.py"),
        ({"image_mini": "conf.py"}, r"ogp_social_cards\['image_mini'\] 'conf.py' is not a picture Pillow reads \(an SVG is not\): give a PNG or JPEG path"),
        ({"line_color": "reddish"}, r"ogp_social_cards\['line_color'\] = 'reddish' is not a colour: give a CSS colour such as '#c9514a'"),
    ],
    ids=["missing mark", "not a picture", "not a colour"],
)
def test_a_bad_card_setting_is_one_clear_warning(tmp_path, settings, message):
    import re

    src = copy_root("previews", tmp_path / "src")
    cards = {"enable": True, "image_mini": "_static/essays-mark.png", "line_color": "#c9514a", **settings}
    built = build_in_process(src, tmp_path / "build", confoverrides={"ogp_social_cards": cards})
    assert len(built.warning_lines) == 1, built.warnings
    # Where to fix it: conf.py, at the line of ogp_social_cards (the build overrides it: no line of its own).
    assert re.search(r"/src/conf\.py:\d+: WARNING: " + message, built.warning_lines[0]), built.warnings
    assert "Traceback" not in built.warnings
    card = card_of(built.outdir)[1]
    assert card.size == (1200, 630)  # drawn all the same, without what was wrong


def test_the_card_is_drawn_without_matplotlib(tmp_path):
    """A build where matplotlib cannot be imported (as with requirements.txt
    alone) draws the card, with no warning and no word of matplotlib."""
    src = copy_root("previews", tmp_path / "src")
    out = tmp_path / "html"
    runner = (
        "import sys\n"
        "sys.modules['matplotlib'] = None\n"  # any import of it fails
        "from sphinx.cmd.build import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, "-b", "html", "-n", "-W", "--keep-going", "-d", str(tmp_path / "doctrees"), str(src), str(out)],
        capture_output=True, text=True, env=clean_env(), cwd=src,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matplotlib" not in result.stdout + result.stderr
    assert card_of(out)[1].size == (1200, 630)


def requirement_names(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {line.split("==")[0].strip().lower() for line in text.splitlines() if "==" in line and not line.startswith((" ", "#"))}


def test_the_build_lock_holds_no_matplotlib():
    """What only matplotlib pulled in (137 MB of a 263 MB .venv) is out of
    requirements.txt; the benchmark's chart gets it from the test lock."""
    build = requirement_names("requirements.txt")
    assert {"sphinx", "pillow", "sphinxext-opengraph"} <= build
    assert not build & {"matplotlib", "numpy", "contourpy", "kiwisolver", "fonttools", "cycler"}
    assert "matplotlib" in requirement_names("requirements-dev.txt")
    bench = re.search(r"^bench:([^\n#]*)", (ROOT / "Makefile").read_text(), re.M)[1].split()
    assert "$(DEV_STAMP)" in bench  # make bench installs the test lock, for its chart
