"""The search index of a rebuild is the clean build's: no word of a page that is gone.

Sphinx's HTML builder loads the last build's ``searchindex.js`` and prunes
the documents that are no longer built (an essay deleted, or made a draft,
which ``essaysite.features.drafts`` leaves out of the public build). Pruning
empties each word's list of pages but keeps the word: after an essay became
a draft, every word of it stayed in the public index (``"zanzibar": []``)
until a clean build. When the index is written (``build-finished``), the
words and title words that no page has any more are taken out, and the file
is written again in Sphinx's own format (``sphinx.search.js_index``): the
bytes a clean build writes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import js_index

from essaysite import state

WORD_MAPS = ("terms", "titleterms")


def without_orphan_words(index: dict) -> dict:
    """``index`` without the words (and title words) that lead to no page."""
    for key in WORD_MAPS:
        if isinstance(index.get(key), dict):
            index[key] = {word: pages for word, pages in index[key].items() if pages != []}
    return index


def drop_orphan_words(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    rebuild = state.of(app).rebuild
    if rebuild.reading == 0 and not rebuild.removed:  # nothing read or removed: the index is the last build's
        return
    name = getattr(app.builder, "searchindex_filename", None)
    if getattr(app.builder, "indexer", None) is None or not name or not name.endswith(".js"):
        return
    path = Path(app.outdir, name)
    try:
        text = path.read_text(encoding="utf-8")
        index = js_index.loads(text)
    except (OSError, ValueError):
        return  # no index written, or not Sphinx's JavaScript format
    cleaned = js_index.dumps(without_orphan_words(index))
    if cleaned != text:
        path.write_text(cleaned, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.state")
    app.connect("build-finished", drop_orphan_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
