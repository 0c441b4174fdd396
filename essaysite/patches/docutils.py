"""docutils' internals, written against docutils 0.22.4.

- ``STYLESHEET_LIST``: ``docutils.utils.get_stylesheet_list``, which the
  HTML translator's ``__init__`` calls for every translator made: Sphinx
  makes one for every page it writes, and the project one for every excerpt
  and feed entry it renders (6,100 at 1,000 essays). Each call looks for
  the writer's stylesheet in each of its ``stylesheet_dirs`` on the disk.
  Replaced per build by ``essaysite.speed.translators`` (with
  ``essays_speedups`` on), which answers each set of settings once.
"""

from __future__ import annotations

from essaysite.patches.guard import Replacement

PACKAGE, WRITTEN_FOR = "docutils", "0.22.4"

STYLESHEET_LIST = Replacement(
    PACKAGE,
    WRITTEN_FOR,
    "stylesheet paths found once per build",
    owner="docutils.utils",
    attribute="get_stylesheet_list",
    parameters=("settings",),
    callers=("docutils.writers._html_base:HTMLTranslator.__init__",),
)
