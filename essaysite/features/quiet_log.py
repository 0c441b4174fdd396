"""A build's log says what it did, and only that (``-v`` shows everything).

Sphinx and the extensions print lines that tell a writer nothing at the
normal verbosity, and a no-change rebuild was mostly those: MyST's settings
(one line of over 1,000 characters), "Writing evaluated template result
to ..." for three of Sphinx's own files, steps that had nothing to do
("reading sources... " with nothing to read, the catalogs of a site without
translations), the sub-steps of copying the assets, and blank lines. Those
are left out at the normal verbosity; Sphinx's progress through the build and
its closing summary stay, and so does every warning. ``sphinx-build -v``
shows every line, as before.

A filter on the handlers Sphinx gives its ``sphinx`` logger (Python's
logging API): Sphinx filters by verbosity there too. A line can be made of
several records (``nonl``: "loading translations [en]... " then "done"), so
the rest of a line left out is left out too.
"""

from __future__ import annotations

import logging
import re

from sphinx.application import Sphinx
from sphinx.util.logging import NAMESPACE

COLOUR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Lines shown only with -v: (the start of the line, or the whole line).
SAID_ONLY_WHEN_VERBOSE = (
    re.compile(r"myst v\S+: MdParserConfig\("),  # MyST's settings
    re.compile(r"building \[mo\]: targets for 0 po files"),  # no translations to compile
    re.compile(r"(reading sources|writing output)\.\.\. $"),  # a step with nothing to do
    re.compile(r"copying (assets|static files|extra files)\.\.\. $"),  # "copying assets: done" stays
    re.compile(r"copying (static|extra) files: done$"),
    re.compile(r"checking bibtex cache\.\.\. $"),  # sphinxcontrib-bibtex; "parsing bibtex file" says when it reads one
)
TEMPLATE_EVALUATION = "template_evaluation"  # "Writing evaluated template result to ..."


def said_only_when_verbose(record: logging.LogRecord, text: str) -> bool:
    if getattr(record, "subtype", None) == TEMPLATE_EVALUATION:
        return True
    return any(pattern.match(text) for pattern in SAID_ONLY_WHEN_VERBOSE)


class LeaveOutQuietLines(logging.Filter):
    """One per handler: it follows the lines that handler has written."""

    def __init__(self) -> None:
        super().__init__()
        self.leaving_out_line = False  # a line left out has not ended yet
        self.line_open = False  # the last record shown did not end its line

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        continues_line = bool(getattr(record, "nonl", False))
        if self.leaving_out_line:
            self.leaving_out_line = continues_line
            return False
        text = COLOUR.sub("", record.getMessage())
        if said_only_when_verbose(record, text):
            self.leaving_out_line = continues_line
            return False
        if not text.strip() and not self.line_open and not continues_line:
            return False  # a blank line
        self.line_open = continues_line
        return True


def leave_out_quiet_lines(app: Sphinx) -> None:
    if app.verbosity > 0:
        return
    for handler in logging.getLogger(NAMESPACE).handlers:
        if handler.level < logging.WARNING and not any(isinstance(f, LeaveOutQuietLines) for f in handler.filters):
            handler.addFilter(LeaveOutQuietLines())


def setup(app: Sphinx) -> dict:
    leave_out_quiet_lines(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
