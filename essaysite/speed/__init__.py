"""Build-speed machinery: each module makes the build faster and changes no byte
of its output (docs/performance.md, "The speedup switch").

``essays_speedups = False`` in conf.py (or ``-D essays_speedups=0``) turns
every one of them off: no handler here does anything, no patch of another
package is applied, and the site is built by stock Sphinx, ABlog and MyST
plus the project's features. tests/test_speedups.py builds the site both
ways, serially and with ``-j 2``, and requires the same bytes.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

SWITCH = "essays_speedups"


def speedups_on(app: Sphinx) -> bool:
    """Whether this build uses the speedups (readable from an extension's setup() on)."""
    return bool(getattr(app.config, SWITCH, True))


def check_switch(app: Sphinx, config: Config) -> None:
    value = getattr(config, SWITCH)
    # Sphinx itself reports a value of another type; 0 and 1 are False and True.
    if isinstance(value, int) and value not in (True, False):
        logger.warning(
            "%s must be True or False in conf.py (1 or 0 with -D), not %r: the speedups are %s",
            SWITCH, value, "on" if speedups_on(app) else "off", type="essays", subtype="config",
        )


def setup(app: Sphinx) -> dict:
    # Changing it changes no output, so nothing is rebuilt for it.
    app.add_config_value(SWITCH, True, "", types=frozenset({bool, int}))
    app.connect("config-inited", check_switch)
    app.setup_extension("essaysite.patches.guard")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
