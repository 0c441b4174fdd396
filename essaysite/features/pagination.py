"""Paginated lists: all essays, each tag, category and year, N essays a page.

ABlog writes each list as one page, however long. Here each list ABlog
generates is cut into pages of ``essays_per_page`` essays (10 by default):
the first page keeps the list's address (``blog/tag/ai.html``), the next
ones go below it (``blog/tag/ai/page/2.html``). The list template shows
links to the previous and next pages and to pages by number: the first,
the last, and two on each side of the page shown, with a gap for the
others, so that a page of a list of 10,000 essays links to at most seven
pages by number and its size does not grow with the list. The indexes of
tags, categories and years show names and counts
(``essaysite.features.catalogs``); the feeds come in documents of bounded
size (``essaysite.features.feed_archives``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from essaysite.patches import ablog

CONFIG = "essays_per_page"


# Pages linked by number on each side of the page shown (besides the first and the last).
WINDOW = 2


@dataclass
class ListPage:
    """One page of a list, as the list template sees it (``essays_page``): only what the page shows."""

    number: int  # from 1
    count: int  # pages of the list
    posts: list  # the essays on this page
    pages: list  # (number, docname) of each page linked by number, in order; (None, None) for a gap
    prev: str | None  # docname of the previous page
    next: str | None


def page_docname(docname: str, number: int) -> str:
    return docname if number == 1 else f"{docname}/page/{number}"


def linked_numbers(number: int, count: int) -> list[int | None]:
    """The page numbers a page links to: 1, the last, ``WINDOW`` each side of ``number``; None for a gap."""
    shown = sorted({1, count, *range(max(1, number - WINDOW), min(count, number + WINDOW) + 1)})
    linked: list[int | None] = []
    for n in shown:
        if linked and n - linked[-1] == 2:
            linked.append(n - 1)  # a gap of one page: the page itself
        elif linked and n - linked[-1] > 2:
            linked.append(None)
        linked.append(n)
    return linked


def list_page(docname: str, number: int, count: int, posts: list) -> ListPage:
    pages = [(n, page_docname(docname, n)) if n else (None, None) for n in linked_numbers(number, count)]
    prev = page_docname(docname, number - 1) if number > 1 else None
    after = page_docname(docname, number + 1) if number < count else None
    return ListPage(number, count, posts, pages, prev, after)


def paginate(docname: str, context: dict, size: int):
    """The pages of one list: (docname, context) for each."""
    posts = list(context["collection"])
    chunks = [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        page = dict(context)
        page["essays_page"] = list_page(docname, number, len(chunks), chunk)
        if number > 1:
            page["title"] = f"{context['title']} (page {number} of {len(chunks)})"
        yield page_docname(docname, number), page


def paginated(handler):
    """Wrap ABlog's page generator so that its lists come in pages."""

    def generate(app: Sphinx):
        size = app.config.essays_per_page
        for name, context, template in handler(app) or ():
            if template == "ablog/collection.html" and "collection" in context:
                for page_name, page_context in paginate(name, context, size):
                    yield page_name, page_context, template
            else:
                yield name, context, template

    generate.__name__ = handler.__name__
    return generate


def paginate_archive_pages(app: Sphinx) -> None:
    ablog.wrap_handler(app, "html-collect-pages", "generate_archive_pages", paginated)


def check_config(app: Sphinx, config: Config) -> None:
    value = config.essays_per_page
    if isinstance(value, str) and value.strip().isdigit():
        value = config.essays_per_page = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{CONFIG} must be a whole number of essays per list page, 1 or more, not {value!r} (conf.py).")


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # After essaysite.features.drafts, which wraps the same generator to drop the drafts page.
    app.setup_extension("essaysite.features.drafts")
    app.add_config_value(CONFIG, 10, "html", types=frozenset({int}))
    app.connect("config-inited", check_config)
    paginate_archive_pages(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
