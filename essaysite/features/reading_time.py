"""Reading time of each essay, from its word count.

MyST counts the words of every Markdown page while parsing it (prose only:
code blocks and front matter are not counted) and keeps the count in the
page's metadata, where Sphinx purges and merges it. The reading time is that
count divided by ``myst_words_per_minute`` (200 by default), rounded to the
nearest minute and at least one.

It is shown in each essay's byline (``essaysite.features.byline``), on
every list page (the list template calls ``reading_time(post)``) and after
each entry of the home page's list of latest essays.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from essaysite.fragments import is_own_page


def words(app: Sphinx, docname: str) -> int | None:
    count = app.env.metadata.get(docname, {}).get("wordcount", {}).get("words")
    return count if isinstance(count, int) else None


def reading_minutes(app: Sphinx, docname: str) -> int | None:
    count = words(app, docname)
    if count is None:
        return None
    return max(1, round(count / app.config.myst_words_per_minute))


def reading_time_text(app: Sphinx, docname: str) -> str:
    minutes = reading_minutes(app, docname)
    return "" if minutes is None else f"{minutes} min read"


def add_reading_time(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """After each entry of a post list (an essay's own page has it in its byline)."""
    if not is_own_page(app, doctree):
        return
    add_to_post_lists(app, doctree, docname)


def add_to_post_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """ABlog's ``postlist`` has no reading time: add it to each entry's title line."""
    from essaysite.incremental.freshness import published_posts

    by_uri = None
    for postlist in doctree.findall(nodes.bullet_list):
        if "postlist" not in postlist["classes"]:
            continue
        if by_uri is None:
            by_uri = {app.builder.get_relative_uri(docname, p.docname): p for p in published_posts(app)}
        for title in postlist.findall(nodes.paragraph):
            if "ablog-post-title" not in title["classes"]:
                continue
            for ref in title.findall(nodes.reference):
                post = by_uri.get(ref.get("refuri"))
                text = post and reading_time_text(app, post.docname)
                if text:
                    title += nodes.inline("", f" · {text}", classes=["essay-reading-time"])
                break


def add_template_helper(app: Sphinx, pagename, templatename, context, doctree) -> None:
    context["reading_time"] = lambda post: reading_time_text(app, post.docname)


def page_inputs(app: Sphinx, docname: str):
    """What is shown, under the title and on lists: the minutes, not the word count."""
    text = reading_time_text(app, docname)
    return ["reading time", text] if text else None


def setup(app: Sphinx) -> dict:
    app.setup_extension("myst_parser")
    app.setup_extension("essaysite.incremental.freshness")
    # After ABlog's post lists (500) and the series box (500), so it sits right under the title.
    app.connect("doctree-resolved", add_reading_time, priority=520)
    app.connect("html-page-context", add_template_helper)
    app.connect("essay-page-inputs", page_inputs)
    app.connect("essay-list-inputs", page_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
