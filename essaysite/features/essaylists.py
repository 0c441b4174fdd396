"""Short lists of essays inside an essay's page ("Further reading").

An ``essay_aside`` node renders as ``<aside>`` with its own ``<h2>``; inside
it, ``essay_list`` gives each essay as a link with its date. Added to an
essay's doctree after it is resolved, for HTML builders only.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


class essay_aside(nodes.General, nodes.Element):
    """An aside at the end of an essay, with a heading (``heading``) and an id."""


def visit_essay_aside(self, node: essay_aside) -> None:
    ident = node["ident"]
    self.body.append(f'<aside class="{node["html_class"]}" aria-labelledby="{ident}">\n')
    self.body.append(f'<h2 id="{ident}">{self.encode(node["heading"])}</h2>\n')


def depart_essay_aside(self, node: essay_aside) -> None:
    self.body.append("</aside>\n")


def insert_under_title(doctree: nodes.document, node: nodes.Node) -> None:
    """Put ``node`` right under the essay's title (after the preview's "Draft" banner)."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not len(section) or not isinstance(section[0], nodes.title):
        return
    index = 1
    while index < len(section) and "essay-draft" in section[index].get("classes", []):
        index += 1
    section.insert(index, node)


def append_aside(app: Sphinx, doctree: nodes.document, docname: str, name: str, heading: str, posts, notes=None) -> None:
    """End the essay with an aside ``name`` listing ``posts`` under ``heading`` (``notes``: see ``essay_list``)."""
    # "no-search": the search index has the essay's own words, not its neighbours' titles.
    aside = essay_aside(ident=name, heading=heading, html_class=name, classes=["no-search"])
    aside += essay_list(app, docname, posts, notes)
    container = next(iter(doctree.findall(nodes.section)), doctree)
    container += aside


def date_text(app: Sphinx, post) -> str:
    return post.date.strftime(app.config.post_date_format)


def essay_list(app: Sphinx, fromdoc: str, posts, notes=None) -> nodes.bullet_list:
    """A list of links to ``posts``, each with its date, for the page ``fromdoc``.

    ``notes`` (docname -> (class, text)) adds a note after an entry's date,
    such as "links here".
    """
    items = nodes.bullet_list(classes=["essay-list"])
    for post in posts:
        link = nodes.reference(
            "", "", nodes.Text(post.title), internal=True, refuri=app.builder.get_relative_uri(fromdoc, post.docname)
        )
        para = nodes.paragraph("", "", link, nodes.Text(", "))
        para += nodes.inline("", date_text(app, post), classes=["essay-date"])
        note = (notes or {}).get(post.docname)
        if note:
            para += nodes.Text(" ")
            para += nodes.inline("", note[1], classes=[note[0]])
        items += nodes.list_item("", para)
    return items


def setup(app: Sphinx) -> dict:
    app.add_node(essay_aside, html=(visit_essay_aside, depart_essay_aside))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
