"""One "Further reading" block at the end of an essay, then the previous and next essays.

It used to end with "Referenced by", then "Related essays", then ABlog's
previous/next bar, and one essay could appear in all three. Now:

1. **Further reading**: the published essays that link to this one
   (``essaysite.features.backlinks``, newest first), each marked "links
   here", then the related essays (``essaysite.features.related``) not
   already listed. An essay is listed once.
2. **Previous and next essay** (``ablog/postnavy.html``, the site's own):
   the essays before and after this one by date. They are left out of the
   block above, whose list they would repeat; one that links here says so.

The series box under the title stays (``essaysite.features.series``).
What the block shows of other essays is this page's input
(``essay-page-inputs``), so a rebuild rewrites it when that changes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from essaysite.features.backlinks import backlinks_of, is_essay
from essaysite.features.essaylists import append_aside
from essaysite.features.related import related_to
from essaysite.fragments import is_own_page
from essaysite.patches import ablog

HEADING = "Further reading"
LINKS_HERE = ("essay-links-here", "links here")


def neighbours(app: Sphinx, docname: str) -> set[str]:
    """The previous and next essays, which the bar after the block shows."""
    post = ablog.blog_of(app)[docname]
    if not post.published:
        return set()
    return {p.docname for p in (post.prev, post.next) if p}


def further_reading(app: Sphinx, docname: str) -> tuple[list, set[str]]:
    """The essays of the block, in order, and those of them that link here."""
    if not is_essay(app, docname):
        return [], set()
    shown = neighbours(app, docname) | {docname}
    posts, linking = [], set()
    for post in backlinks_of(app, docname):
        if post.docname not in shown:
            posts.append(post)
            shown.add(post.docname)
        linking.add(post.docname)
    for post in related_to(app, docname):
        if post.docname not in shown:
            posts.append(post)
            shown.add(post.docname)
    return posts, linking


def add_further_reading(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_own_page(app, doctree):
        return
    posts, linking = further_reading(app, docname)
    if posts:
        notes = {name: LINKS_HERE for name in linking}
        append_aside(app, doctree, docname, "essay-further-reading", HEADING, posts, notes)


def links_here(app: Sphinx, pagename: str, post) -> bool:
    """Whether ``post`` links to the essay ``pagename`` (for the previous/next bar)."""
    return post is not None and any(p.docname == post.docname for p in backlinks_of(app, pagename))


def add_template_helper(app: Sphinx, pagename, templatename, context, doctree) -> None:
    context["essay_links_here"] = lambda post, page=pagename: links_here(app, page, post)


def page_inputs(app: Sphinx, docname: str):
    posts, linking = further_reading(app, docname)
    if not posts and not linking:
        return None
    return ["further reading", [(p.docname, p.title, str(p.date)) for p in posts], sorted(linking)]


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.features.backlinks")
    app.setup_extension("essaysite.features.related")
    app.setup_extension("essaysite.features.essaylists")
    app.connect("doctree-resolved", add_further_reading, priority=510)
    app.connect("html-page-context", add_template_helper)
    app.connect("essay-page-inputs", page_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
