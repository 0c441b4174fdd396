"""One word for readers: "essays", never ABlog's "Posts".

ABlog names its generated pages "All Posts", "Posts tagged ai", "Posts in
film", "Posted in 2026": beside the site's "All essays" and "Latest essays"
a reader met two vocabularies. The titles and headings it gives a generated
page (``title``, ``header``, ``feed_title`` in the page's context) are
reworded here, before any template or other extension reads them
(``html-page-context``, before ``essaysite.features.metadata_text`` escapes
them); the feeds' titles use the same words (``essaysite.features.feeds``).

The catalogs are reworded too: the tag and category indexes are compact
lists with counts, the archive is headed by years
(``essaysite/templates/ablog/catalog.html``).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from essaysite.patches import ablog

# ABlog's header of a collection's page -> the site's.
HEADERS = {
    "Posts by": "Essays by",
    "Posts from": "Essays from",
    "Posts in": "Essays in",
    "Posted in": "Essays of",
    "Posts tagged": "Essays tagged",
    "All": "All essays",
}
# ABlog's title of a page that is not "<header> <collection>" -> the site's.
TITLES = {"All Posts": "All essays", "All posts": "Archive", "Drafts": "Drafts"}


def reworded(header: str) -> str:
    return HEADERS.get(header, header)


def reword_title(title, header) -> str:
    """``title`` with ABlog's words replaced (also "..., page 2 of 3", as essaysite.features.pagination gives it)."""
    if not isinstance(title, str):
        return title
    for old, new in TITLES.items():
        if title == old or title.startswith(old + " ("):
            return new + title[len(old) :]
    if isinstance(header, str) and header in HEADERS and title.startswith(header + " "):
        return reworded(header) + title[len(header) :]
    return title


def reword_list_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A generated list's title, header and feed title in the site's words (before they are escaped)."""
    if doctree is not None or not any(key in context for key in ("collection", "catalog", "catalog_entries")):
        return
    header = context.get("header")
    for key in ("title", "feed_title"):
        if key in context:
            context[key] = reword_title(context[key], header)
    if isinstance(header, str) and header in HEADERS:
        context["header"] = reworded(header)


# ABlog's names of its lists where a link to them shows one (its title attribute, or the text of
# a link without its own): {ref}`blog-posts` said "Posts".
REFERENCES = {"blog-posts": "All essays", "blog-archives": "Archive", "blog-drafts": "Drafts"}


def reword_references(app: Sphinx, env) -> list:
    """The names ABlog gives its lists' labels, in the site's words (env-updated, once ABlog's blog is filled)."""
    references = getattr(ablog.blog_of(app), "references", None)
    if isinstance(references, dict):
        for label, name in REFERENCES.items():
            if isinstance(references.get(label), tuple) and len(references[label]) == 2:
                references[label] = (references[label][0], name)
    return []


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.patches.ablog")
    # After essaysite.incremental.freshness fills ABlog's blog (priority 100).
    app.connect("env-updated", reword_references, priority=200)
    # Before essaysite.features.metadata_text escapes the title (420) and the previews describe the page (550).
    app.connect("html-page-context", reword_list_page, priority=410)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
