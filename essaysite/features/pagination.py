"""Paginated lists: all essays, each tag, category and year, N essays a page.

ABlog writes each list as one page, however long. Here each list ABlog
generates is cut into pages of ``essays_per_page`` essays (10 by default):
the first page keeps the list's address (``blog/tag/ai.html``), the next
ones go below it (``blog/tag/ai/page/2.html``). The list template shows
links to the previous and next pages and to every page by number. Feeds,
the archive (``blog/archive.html``) and the tag and category indexes keep
every essay.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from essaysite.patches import ablog

CONFIG = "essays_per_page"


@dataclass
class ListPage:
    """One page of a list, as the list template sees it (``essays_page``)."""

    number: int  # from 1
    docnames: list  # docname of every page of the list, in order
    posts: list  # the essays on this page

    @property
    def count(self) -> int:
        return len(self.docnames)

    @property
    def prev(self) -> str | None:
        return self.docnames[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.docnames[self.number] if self.number < self.count else None

    @property
    def pages(self) -> list[tuple[int, str]]:
        return list(enumerate(self.docnames, start=1))


def page_docname(docname: str, number: int) -> str:
    return docname if number == 1 else f"{docname}/page/{number}"


def paginate(docname: str, context: dict, size: int):
    """The pages of one list: (docname, context) for each."""
    posts = list(context["collection"])
    chunks = [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]
    docnames = [page_docname(docname, n) for n in range(1, len(chunks) + 1)]
    for number, chunk in enumerate(chunks, start=1):
        page = dict(context)
        page["essays_page"] = ListPage(number, docnames, chunk)
        if number > 1:
            page["title"] = f"{context['title']} (page {number} of {len(chunks)})"
        yield docnames[number - 1], page


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
