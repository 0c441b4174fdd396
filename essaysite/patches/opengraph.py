"""sphinxext-opengraph's internals, written against sphinxext-opengraph 0.13.0.

- ``CARD_DRAWING_LEFT_OUT``: when it is imported, the extension imports its
  card drawing, the private module ``sphinxext.opengraph._social_cards``
  and matplotlib with it, in a ``try`` whose ``except ImportError`` prints
  "matplotlib is not installed, social cards will not be generated". No
  configuration value stops that import. The site never uses that drawing
  (``essaysite.features.site_card`` draws the site's card with Pillow and
  gives it to every page without a cover), and matplotlib is not in the
  build lock. ``import_without_card_drawing`` keeps that module from loading
  while the extension is imported (a None entry in ``sys.modules`` makes the
  import fail, which the extension expects: it then draws no card of its
  own) and keeps its line off the build's output, so that no build imports
  matplotlib (0.3 s where it is installed, as in the test lock) or says it
  is missing. A later build in the same process gets the extension's own
  card drawing back where matplotlib is there
  (``guard.undo_before_next_build``).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import sys
from pathlib import Path

from sphinx.application import Sphinx

from essaysite.patches.guard import Coupling, undo_before_next_build

PACKAGE, WRITTEN_FOR = "sphinxext-opengraph", "0.13.0"
EXTENSION = "sphinxext.opengraph"
CARD_MODULE = "sphinxext.opengraph._social_cards"
CARD_IMPORT = f"from {CARD_MODULE} import"  # in the extension's __init__.py, inside a try


class CardDrawingImport(Coupling):
    def problem(self) -> str | None:
        # Found without importing the extension, which would import its card drawing.
        spec = importlib.util.find_spec(EXTENSION)
        if spec is None or not spec.origin or not spec.submodule_search_locations:
            return f"{EXTENSION} cannot be found"
        module_file = Path(spec.submodule_search_locations[0], CARD_MODULE.rpartition(".")[2] + ".py")
        if not module_file.is_file():
            return f"{CARD_MODULE} is gone"
        source = Path(spec.origin).read_text(encoding="utf-8")
        if CARD_IMPORT not in source or "except ImportError" not in source:
            return f"{EXTENSION} no longer imports {CARD_MODULE} in a try that expects an ImportError"
        return None


CARD_DRAWING_LEFT_OUT = CardDrawingImport(PACKAGE, WRITTEN_FOR, "the extension set up without its card drawing")


def import_without_card_drawing(app: Sphinx) -> None:
    """Set the extension up without importing its card drawing (and matplotlib)."""
    if not CARD_DRAWING_LEFT_OUT.holds(app) or EXTENSION in sys.modules or CARD_MODULE in sys.modules:
        app.setup_extension(EXTENSION)
        return
    sys.modules[CARD_MODULE] = None  # type: ignore[assignment]
    try:
        # It prints that matplotlib is not installed: its drawing is not wanted.
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
