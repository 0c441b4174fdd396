"""The site's preview card: one picture for every page without a cover, drawn with Pillow.

A page shared on a social site shows its ``og:image``. An essay with a cover
shows its cover (``essaysite.features.previews``); every other page shows
the site's card: a 1200 x 630 PNG with the site's name, its description
(``essays_site_description``), its address, the site's mark at the bottom
right (``ogp_social_cards["image_mini"]``), a picture at the top right if
one is set (``ogp_social_cards["image"]``, else ``html_logo``) and a line
along the bottom (``ogp_social_cards["line_color"]``). It is drawn once,
when the pages are about to be written, and given to sphinxext-opengraph as
``ogp_image``.

The card is drawn with Pillow in DejaVu Sans, shipped in ``essaysite/fonts``
so that every machine draws the same bytes (text laid out by Pillow's own
layout, not by whatever libraqm the machine has). Its file name carries a
digest of everything drawn (text, colours, pictures, fonts, Pillow's
version): an unchanged card is not drawn again, and a changed one gets a
new address, which social sites fetch anew.

sphinxext-opengraph's own card drawing (a card per page, with matplotlib) is
never used, since every page has an ``og:image``; the extension is set up
without it (``essaysite.patches.opengraph``), so no build imports matplotlib
or prints that it is missing.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from sphinx.application import Sphinx
from sphinx.util import logging

from essaysite.features.previews import site_url
from essaysite.patches import opengraph

logger = logging.getLogger(__name__)

FOLDER = "_images/social_previews"  # where sphinxext-opengraph put its cards (incremental.freshness tidies it)
FONTS = Path(__file__).resolve().parents[1] / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
DRAWING = 1  # raise when the drawing below changes: the card gets a new name
SITE_CARD_ALT = "A card with the site's name and address"

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
NAME_SIZE, DESCRIPTION_SIZE, ADDRESS_SIZE = 67, 25, 32  # pixels
NAME_TOP, DESCRIPTION_BOTTOM, ADDRESS_BOTTOM = 95, 500, 554
LINE_HEIGHT = 24  # the coloured line along the bottom
MARK_BOX = (1041, 500, 1104, 563)  # left, top, right, bottom
PICTURE_BOX = (951, 32, 1140, 221)
TEXT_COLOR, DESCRIPTION_COLOR = "#2f363d", "#585e63"
DEFAULTS = {"line_color": "#5A626B", "background_color": "white"}


@dataclass(frozen=True)
class Card:
    """What the site's card shows."""

    name: str
    description: str
    address: str
    mark: Path | None = None  # bottom right, small
    picture: Path | None = None  # top right, large
    line_color: str = DEFAULTS["line_color"]
    background_color: str = DEFAULTS["background_color"]


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # Pillow's own layout: libraqm, when a machine has it, would place glyphs otherwise.
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def fitted(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int, cut: bool = False) -> str:
    """``text`` as it fits in ``width`` pixels: shortened, with an ellipsis, if it is too long (or ``cut``)."""
    if not cut and draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text.rstrip() + "…", font=face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrapped(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """``text`` in lines of at most ``width`` pixels, at most ``most`` of them (the last one ends in an ellipsis)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    shown = [fitted(draw, line, face, width) for line in lines[:most]]
    if len(lines) > most:
        shown[-1] = fitted(draw, shown[-1], face, width, cut=True)
    return shown


def paste_picture(card: Image.Image, path: Path, box: tuple[int, int, int, int]) -> None:
    """The picture at ``path``, scaled to fit ``box`` and centred in it, transparency kept."""
    with Image.open(path) as opened:
        picture = ImageOps.contain(opened.convert("RGBA"), (box[2] - box[0], box[3] - box[1]), Image.Resampling.LANCZOS)
    left = box[0] + (box[2] - box[0] - picture.width) // 2
    top = box[1] + (box[3] - box[1] - picture.height) // 2
    card.paste(picture, (left, top), picture)


def draw_card(card: Card) -> bytes:
    """The card as PNG bytes: the same bytes for the same card, on every machine with the pinned Pillow."""
    image = Image.new("RGB", (WIDTH, HEIGHT), card.background_color)
    draw = ImageDraw.Draw(image)
    name_font, description_font, address_font = font(BOLD, NAME_SIZE), font(REGULAR, DESCRIPTION_SIZE), font(BOLD, ADDRESS_SIZE)
    name_width = (PICTURE_BOX[0] if card.picture else WIDTH - MARGIN) - MARGIN
    for number, line in enumerate(wrapped(draw, card.name, name_font, name_width, 2)):
        draw.text((MARGIN, NAME_TOP + number * round(NAME_SIZE * 1.2)), line, font=name_font, fill=TEXT_COLOR, anchor="lt")
    lines = wrapped(draw, card.description, description_font, WIDTH - 2 * MARGIN, 4)
    for number, line in enumerate(reversed(lines)):
        bottom = DESCRIPTION_BOTTOM - number * round(DESCRIPTION_SIZE * 1.35)
        draw.text((MARGIN, bottom), line, font=description_font, fill=DESCRIPTION_COLOR, anchor="ld")
    address = fitted(draw, card.address, address_font, MARK_BOX[0] - 2 * MARGIN)
    draw.text((MARGIN, ADDRESS_BOTTOM), address, font=address_font, fill=TEXT_COLOR, anchor="ld")
    if card.mark:
        paste_picture(image, card.mark, MARK_BOX)
    if card.picture:
        paste_picture(image, card.picture, PICTURE_BOX)
    draw.rectangle((0, HEIGHT - LINE_HEIGHT, WIDTH, HEIGHT), fill=card.line_color)
    png = io.BytesIO()
    image.save(png, format="PNG")  # no time stamp, no metadata
    return png.getvalue()


@functools.cache
def fonts_digest() -> str:
    return hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes()).hexdigest()


def card_name(card: Card) -> str:
    """``summary_site_<digest>.png``, the digest of everything the card shows and how it is drawn."""
    found = hashlib.sha256()
    for part in (card.name, card.description, card.address, card.line_color, card.background_color,
                 str(DRAWING), Image.__version__, fonts_digest()):
        found.update(part.encode() + b"\0")
    for picture in (card.mark, card.picture):
        found.update(picture.read_bytes() if picture else b"")
        found.update(b"\0")
    return f"summary_site_{found.hexdigest()[:8]}.png"


def write_card(outdir: str | Path, card: Card) -> str:
    """The card's path under the output folder, drawn unless a card with the same name is there."""
    relpath = f"{FOLDER}/{card_name(card)}"
    target = Path(outdir, relpath)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(draw_card(card))
    return relpath


# -- From the configuration -----------------------------------------------------------


def setting_line(app: Sphinx, *names: str) -> str | None:
    """``<confdir>/conf.py:<line>`` of the first line naming one of ``names`` (quoted), for a message."""
    conf = Path(app.confdir, "conf.py")
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for name in names:
        for number, line in enumerate(lines, start=1):
            if f'"{name}"' in line or f"'{name}'" in line or line.startswith(f"{name} "):
                return f"{conf}:{number}"
    return None


def color_setting(app: Sphinx, settings: dict, key: str) -> str:
    value = settings.get(key) or DEFAULTS[key]
    try:
        ImageColor.getrgb(value)
    except (ValueError, AttributeError):
        logger.warning(
            "ogp_social_cards[%r] = %r is not a colour: give a CSS colour such as '#c9514a'; the card uses %r",
            key, value, DEFAULTS[key], location=setting_line(app, key, "ogp_social_cards"), type="essays", subtype="card",
        )
        return DEFAULTS[key]
    return value


def picture_setting(app: Sphinx, setting: str, key: str, value: str | None, quiet: bool = False) -> Path | None:
    """A picture the card shows, from its path relative to conf.py; None (and one warning unless ``quiet``) if it cannot."""
    if not value or "://" in value:
        return None
    path = Path(app.confdir, value)
    problem = None
    if not path.is_file():
        problem = f"not found (looked for {path})"
    else:
        try:
            with Image.open(path) as opened:
                opened.verify()
        except (UnidentifiedImageError, OSError):
            problem = "not a picture Pillow reads (an SVG is not)"
    if problem and not quiet:
        logger.warning(
            "%s %r is %s: give a PNG or JPEG path relative to conf.py; the card is drawn without it",
            setting, value, problem, location=setting_line(app, key, "ogp_social_cards"), type="essays", subtype="card",
        )
    return None if problem else path


def card_of(app: Sphinx) -> Card:
    settings = app.config.ogp_social_cards or {}
    if settings.get("image"):
        picture = picture_setting(app, "ogp_social_cards['image']", "image", settings["image"])
    else:
        # The site's logo, if the card can draw it (an SVG logo or an address is left out).
        picture = picture_setting(app, "html_logo", "html_logo", app.config.html_logo, quiet=True)
    return Card(
        name=app.config.ogp_site_name or app.config.project,
        description=app.config.essays_site_description,
        address=site_url(app).split("://")[-1],
        mark=picture_setting(app, "ogp_social_cards['image_mini']", "image_mini", settings.get("image_mini")),
        picture=picture,
        line_color=color_setting(app, settings, "line_color"),
        background_color=color_setting(app, settings, "background_color"),
    )


def make_site_card(app: Sphinx, builder=None) -> None:
    """Give every page without a cover the site's card (write-started).

    sphinxext-opengraph drew a card per page, about 50 ms each: with 300
    essays that was half of a full build. The site's card is given as
    ``ogp_image`` when the pages are about to be written, after the
    environment (and the configuration in it) was saved: given earlier, the
    saved ``ogp_image`` differed from conf.py's on every rebuild, and Sphinx
    said the configuration had changed.
    """
    if app.builder.format != "html" or not (app.config.ogp_social_cards or {}).get("enable", True):
        return
    card = card_of(app)
    app.config.ogp_image = write_card(app.outdir, card)
    app.config.ogp_image_alt = f"{SITE_CARD_ALT}, {card.name}"


def setup(app: Sphinx) -> dict:
    opengraph.import_without_card_drawing(app)
    # "env": the home page shows it too ({site}`description`, essaysite.features.identity).
    app.add_config_value("essays_site_description", "", "env", types=frozenset({str}))
    app.connect("write-started", make_site_card)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
