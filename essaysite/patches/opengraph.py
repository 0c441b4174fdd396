"""sphinxext-opengraph's internals, written against sphinxext-opengraph 0.13.0.

- ``CARD_DRAWING``: the extension draws cards in its private module
  ``sphinxext.opengraph._social_cards`` (``create_social_card``,
  ``DEFAULT_SOCIAL_CONFIG``), which it imports, and matplotlib with it,
  when it is imported itself (about 0.3 s of every build). With
  ``essays_speedups`` on, ``import_without_card_drawing`` keeps that module
  from loading while the extension is imported (a None entry in
  ``sys.modules`` makes the import fail, which the extension expects: it
  then draws no card of its own, which the site never wants since every
  page has an ``og:image``), and ``draw_card`` imports it only when the
  site's card must be drawn. With the switch off the extension is imported
  as it ships; a later build in the same process gets the extension's own
  card drawing back (``guard.undo_before_next_build``).
- ``draw_card`` draws the site's one card with the extension's own drawing
  function, and drops the matplotlib figure the extension keeps in the
  environment for its next card (there is none, and it would be pickled).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from pathlib import Path

from sphinx.application import Sphinx

from essaysite.patches.guard import Coupling, missing_parameters, undo_before_next_build

PACKAGE, WRITTEN_FOR = "sphinxext-opengraph", "0.13.0"
EXTENSION = "sphinxext.opengraph"
CARD_MODULE = "sphinxext.opengraph._social_cards"
FIGURE_KEPT = "ogp_social_card_plt_objects"  # the environment attribute the extension keeps its figure in


class CardDrawing(Coupling):
    def problem(self) -> str | None:
        try:
            cards = importlib.import_module(CARD_MODULE)
        except ImportError as error:
            return f"{CARD_MODULE} cannot be imported ({error})"
        draw = getattr(cards, "create_social_card", None)
        if draw is None or not isinstance(getattr(cards, "DEFAULT_SOCIAL_CONFIG", None), dict):
            return f"{CARD_MODULE} has no create_social_card or DEFAULT_SOCIAL_CONFIG"
        missing = missing_parameters(draw, ("config_social", "site_name", "page_title", "description", "url_text", "page_path", "srcdir", "outdir", "env", "html_logo"))
        if missing:
            return f"create_social_card no longer takes {', '.join(missing)}"
        return None


CARD_DRAWING = CardDrawing(PACKAGE, WRITTEN_FOR, "the site's one preview card")


def import_without_card_drawing(app: Sphinx) -> None:
    """Set the extension up without importing its card drawing (and matplotlib)."""
    if EXTENSION in sys.modules or CARD_MODULE in sys.modules:
        app.setup_extension(EXTENSION)
        return
    sys.modules[CARD_MODULE] = None  # type: ignore[assignment]
    try:
        # It prints that matplotlib is missing: it is not.
        with contextlib.redirect_stdout(io.StringIO()):
            app.setup_extension(EXTENSION)
    finally:
        if sys.modules.get(CARD_MODULE, False) is None:
            del sys.modules[CARD_MODULE]
    undo_before_next_build(give_back_card_drawing)


def give_back_card_drawing() -> None:
    """The extension's module as a plain import would have left it: with its card drawing."""
    extension = sys.modules.get(EXTENSION)
    if extension is None or getattr(extension, "create_social_card", None) is not None:
        return
    try:
        cards = importlib.import_module(CARD_MODULE)
    except ImportError:  # matplotlib missing: the extension draws no card either way
        return
    extension.create_social_card = cards.create_social_card
    extension.DEFAULT_SOCIAL_CONFIG = cards.DEFAULT_SOCIAL_CONFIG


def draw_card(app: Sphinx, settings: dict, site_name: str, description: str, url_text: str, name: str) -> str | None:
    """Draw one card with the extension's own function: its path under the output folder, or None."""
    if not CARD_DRAWING.holds(app):
        return None
    cards = importlib.import_module(CARD_MODULE)
    path = cards.create_social_card(
        {**cards.DEFAULT_SOCIAL_CONFIG, **settings},
        site_name,
        site_name,
        description,
        url_text,
        name,
        srcdir=app.srcdir,
        outdir=app.outdir,
        env=app.env,
        html_logo=app.config.html_logo,
    )
    if hasattr(app.env, FIGURE_KEPT):
        delattr(app.env, FIGURE_KEPT)
    return Path(path).as_posix()


def version() -> str:
    from sphinxext.opengraph import __version__

    return __version__
