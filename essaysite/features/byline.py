"""The byline: under an essay's title, what a reader looks for first.

The date (and the date it was updated, when an ``{update}`` gives one), the
author (the essay's ``author:``, else the site's owner from ``conf.py``;
nobody while that is the placeholder), the reading time, then the category
and the tags, each a link to its list. It is part of the article, so it
shows at every width; the theme's sidebar, hidden behind a toggle on a
phone, no longer carries ABlog's post card.

Everything it shows is the essay's own front matter and the site's
configuration: a change re-reads the essay itself, so no other page's
inputs are involved. Its HTML is made here with every value escaped as text
(``markupsafe``), and the node is ``no-search``: the search index and the
page's preview description hold the essay's words, not its byline.
"""

from __future__ import annotations

from urllib.parse import urljoin

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.application import Sphinx

from essaysite import state
from essaysite.features.essaylists import insert_under_title
from essaysite.features.identity import owner
from essaysite.features.reading_time import reading_time_text
from essaysite.fragments import is_own_page
from essaysite.patches import ablog


class essay_byline(nodes.General, nodes.Element):
    """The byline under an essay's title; ``html`` is made (escaped) by ``byline_html``."""


def visit_byline(self, node: essay_byline) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def link(href: str, text: str, rel: str | None = None) -> Markup:
    rel_attribute = Markup(' rel="{}"').format(rel) if rel else Markup("")
    return Markup('<a href="{}"{}>{}</a>').format(href, rel_attribute, text)


def date_html(app: Sphinx, value, css: str) -> Markup:
    return Markup('<time class="{}" datetime="{}">{}</time>').format(
        css, value.strftime("%Y-%m-%d"), value.strftime(app.config.post_date_format)
    )


def joined(parts: list[Markup], separator: str = ", ") -> Markup:
    return Markup(escape(separator)).join(parts)


def byline_html(app: Sphinx, docname: str, post) -> Markup:
    """The byline's HTML for the essay ``post``, its links relative to ``docname``."""
    if app.builder.name == "epub":
        # The e-book holds no list (essaysite.features.ebook): a category or tag leads to its page on the site.
        uri = lambda target: urljoin(app.config.html_baseurl or "", target + ".html")  # noqa: E731
    else:
        uri = lambda target: app.builder.get_relative_uri(docname, target)  # noqa: E731
    facts: list[Markup] = []
    is_draft = not post.published or docname in state.of(app).configured.drafts
    if is_draft:
        facts.append(Markup('<span class="essay-byline-draft">Draft</span>'))
    else:
        facts.append(date_html(app, post.date, "essay-byline-date"))
        if post.update and post.update != post.date:
            facts.append(Markup('<span class="essay-byline-updated">updated {}</span>').format(date_html(app, post.update, "essay-byline-update")))
    authors = [link(uri(a.docname), a.name, "author") for a in post.author]
    if not authors and owner(app.config):
        authors = [Markup('<span class="essay-byline-owner">{}</span>').format(owner(app.config))]
    if authors:
        facts.append(Markup('<span class="essay-byline-author">by {}</span>').format(joined(authors, " and " if len(authors) == 2 else ", ")))
    minutes = reading_time_text(app, docname)
    if minutes:
        facts.append(Markup('<span class="essay-reading-time">{}</span>').format(minutes))
    filed: list[Markup] = []
    if post.category:
        categories = joined([link(uri(c.docname), c.name) for c in post.category])
        filed.append(Markup('<span class="essay-byline-category">in {}</span>').format(categories))
    if post.tags:
        tags = joined([link(uri(t.docname), t.name, "tag") for t in post.tags])
        filed.append(Markup('<span class="essay-byline-tags">tagged {}</span>').format(tags))
    lines = [Markup('<p class="essay-byline-facts">{}</p>').format(joined(facts, " · "))]
    if filed:
        lines.append(Markup('<p class="essay-byline-filed">{}</p>').format(joined(filed, " · ")))
    return Markup('<div class="essay-byline">\n{}\n</div>\n').format(Markup("\n").join(lines))


def add_byline(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the essay's title, before the series box (doctree-resolved, after it at 500)."""
    if not is_own_page(app, doctree) or app.builder.format != "html":
        return
    blog = ablog.blog_of(app)
    if docname not in blog:
        return
    insert_under_title(doctree, essay_byline(html=str(byline_html(app, docname, blog[docname])), classes=["no-search"]))


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.state")
    app.setup_extension("essaysite.features.identity")
    app.setup_extension("essaysite.features.essaylists")
    app.setup_extension("essaysite.features.reading_time")
    app.add_node(essay_byline, html=(visit_byline, None))
    app.connect("doctree-resolved", add_byline, priority=520)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
