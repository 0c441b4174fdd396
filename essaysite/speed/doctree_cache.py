"""The doctrees Sphinx keeps in memory: the latest few, not every one.

``BuildEnvironment.get_doctree`` keeps the pickled bytes of every doctree it
loads until the build ends. A build that writes in parallel loads every
document in the main process (to resolve it for the writing processes), so
by the end of writing the main process held every page's doctree, about
20 KB an essay: 200 MB at 10,000 essays, inherited by every process forked
for the generated pages and feeds. What loads a doctree again does so soon
after (an essay's page, then its full text for the feeds when it is among
the newest), so the cache keeps its latest 64 entries
(``essaysite.patches.sphinx.LatestEntries``); a doctree loaded again after
that is read from its file, the same bytes.

Applied when reading starts (``env-before-read-docs``, on the environment
the build loaded or made), only with ``essays_speedups`` on; the private
attribute is checked first (``essaysite.patches.sphinx.DOCTREE_CACHE``).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from essaysite.patches.sphinx import bound_doctree_cache
from essaysite.speed import speedups_on


def keep_latest_doctrees(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    bound_doctree_cache(app, env)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        app.connect("env-before-read-docs", keep_latest_doctrees)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
