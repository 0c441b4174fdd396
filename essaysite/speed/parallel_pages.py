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

The builder's ``gen_pages_from_extensions`` is replaced on the builder
itself (``essaysite.patches.sphinx.GENERATED_PAGES`` checks that Sphinx's
``finish`` still looks it up there), only with ``essays_speedups`` on; the
event is declared either way, for the modules that listen to it.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.parallel import ParallelTasks

from essaysite.patches.sphinx import GENERATED_PAGES
from essaysite.speed import forked, speedups_on

logger = logging.getLogger(__name__)

EVENT = "essay-page-written-elsewhere"  # (app, pagename), in the main process


def write_pages(builder: StandaloneHTMLBuilder, pages: list[tuple]) -> list[str]:
    """Render ``pages`` (in a forked process); their names go back to the main process."""
    for pagename, context, template in pages:
        builder.handle_page(pagename, context, template)
    return [pagename for pagename, _, _ in pages]


def gen_pages_from_extensions(app: Sphinx, builder: StandaloneHTMLBuilder, stock) -> None:
    """Sphinx's ``gen_pages_from_extensions``, with the pages dealt out to several processes."""
    nproc = forked.processes(app)
    if nproc <= 1:
        return stock()

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
    builder = app.builder
    if isinstance(builder, StandaloneHTMLBuilder):
        # On the builder: Sphinx's finish() calls self.gen_pages_from_extensions.
        GENERATED_PAGES.apply_to(app, builder, lambda stock: lambda: gen_pages_from_extensions(app, builder, stock))


def setup(app: Sphinx) -> dict:
    app.add_event(EVENT)
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        app.connect("builder-inited", deal_out_generated_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
