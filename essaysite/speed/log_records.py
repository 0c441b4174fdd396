"""Log records made only when the build would show them.

Sphinx sets its logger to let every record through (``DEBUG``) and filters
at its handlers, by the verbosity asked for (``-v``, ``-vv``). So a build
made every debug record anyway, only to drop it: one per event emitted
(Sphinx logs each with the ``repr`` of its arguments), one per extension,
role and node registered. With 1,000 essays that was 22,600 records, about
1.3 s of a 56 s profiled build. Here the logger's own level is set to the
lowest level a handler shows, so a record nobody shows is not made; what is
shown is unchanged, at every verbosity (tests/test_log_records.py). Not
with ``essays_speedups`` off.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx
from sphinx.util.logging import NAMESPACE

from essaysite.speed import speedups_on


def make_only_shown_records(app: Sphinx) -> None:
    logger = logging.getLogger(NAMESPACE)
    # The handlers Sphinx set up: the status output and its last-messages log
    # at the verbosity's level (INFO, or lower with -v), warnings at WARNING.
    lowest = min((handler.level for handler in logger.handlers), default=logging.NOTSET)
    if lowest > logger.level:  # NOTSET (a handler that shows everything): left as it is
        logger.setLevel(lowest)


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        make_only_shown_records(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
