"""matplotlib imported only when the site's preview card must be drawn.

sphinxext-opengraph imports its card drawing, and with it matplotlib, when
it is imported: about 0.3 s of every build, although the site draws one
card (``essaysite.features.previews``) and draws it again only when its
text changes. So it is set up here, before the site's other extensions ask
for it, without its card drawing (``essaysite.patches.opengraph``), which
is imported when a card is drawn. Every page gets the site's card or its
own cover as ``og:image``, so the extension never needed its own drawing.
With ``essays_speedups`` off it is imported as it ships.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from essaysite.patches import opengraph
from essaysite.speed import speedups_on


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        opengraph.import_without_card_drawing(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
