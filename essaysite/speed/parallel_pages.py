"""Generated pages (lists of essays) written by several processes.

Sphinx writes the documents of a parallel build (``-j``) in several
processes, but the pages extensions generate (``html-collect-pages``: ABlog's
lists of all essays, of each tag, category and year, and their further
pages; the series pages; the 404 page) one after the other in the main
process, and then the feeds. At 1,000 essays that was 528 pages and 49 feeds
in three formats: about 7 s of a 25 s full build, on one core.

Here, when the build writes in parallel (``essaysite.speed.parallel`` decides, from
how many pages it rewrites), the generated pages are collected in the main
process as Sphinx does, then dealt out round-robin to as many forked
processes as ``-j`` asks for, each rendering its share with the builder's
own ``handle_page``. Meanwhile the main process goes on with the next page
generators: the feeds (``essaysite.features.feeds``) come last, so they are written
while the lists are. A page's bytes do not depend on the process that wrote
it (tests/test_parallel.py compares a parallel and a serial build byte for
byte).

What a writing process learns reaches the main one as Sphinx's parallel
reading does it: its log records are replayed there, and the names of the
pages it wrote are announced by the ``essay-page-written-elsewhere`` event
(``essaysite.incremental.freshness`` and ``essaysite.features.sitemap`` count them as written).
"""

from __future__ import annotations

from types import MethodType

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.parallel import ParallelTasks

from essaysite.speed import forked

logger = logging.getLogger(__name__)

EVENT = "essay-page-written-elsewhere"  # (app, pagename), in the main process


def write_pages(builder: StandaloneHTMLBuilder, pages: list[tuple]) -> list[str]:
    """Render ``pages`` (in a forked process); their names go back to the main process."""
    for pagename, context, template in pages:
        builder.handle_page(pagename, context, template)
    return [pagename for pagename, _, _ in pages]


def gen_pages_from_extensions(builder: StandaloneHTMLBuilder) -> None:
    """Sphinx's ``gen_pages_from_extensions``, with the pages dealt out to several processes."""
    app = builder._app
    nproc = forked.processes(app)
    if nproc <= 1:
        return StandaloneHTMLBuilder.gen_pages_from_extensions(builder)

    def announce(written: list[str]) -> None:
        for pagename in written:
            app.emit(EVENT, pagename)

    tasks = ParallelTasks(nproc)
    started = 0
    for pagelist in builder.events.emit("html-collect-pages"):
        pages = list(pagelist)  # a generator's own work (the feeds) is done here
        shares = forked.deal_out(tasks, app, pages, lambda share: write_pages(builder, share), announce)
        if not shares:
            write_pages(builder, pages)
        started += shares
    tasks.join()
    if started:
        logger.info("generated pages written by %d processes", started)


def deal_out_generated_pages(app: Sphinx) -> None:
    if isinstance(app.builder, StandaloneHTMLBuilder):
        # An instance attribute: Sphinx's finish() calls self.gen_pages_from_extensions.
        app.builder.gen_pages_from_extensions = MethodType(gen_pages_from_extensions, app.builder)


def setup(app: Sphinx) -> dict:
    app.add_event(EVENT)
    app.connect("builder-inited", deal_out_generated_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
