"""Which excerpts are rendered without Sphinx's post-transforms (essaysite.features.rendering.is_plain)."""

from docutils import nodes
from sphinx import addnodes

from essaysite.features.rendering import is_plain


def para(*children):
    return nodes.paragraph("", "", *children)


def test_text_with_emphasis_and_code_words_is_plain():
    assert is_plain([para(nodes.Text("Plain "), nodes.emphasis("", "words"), nodes.literal("", "x = 1"))])


def test_links_pictures_and_code_blocks_are_not_plain():
    """Each is changed by a post-transform: references resolved, pictures copied, code given its language."""
    assert not is_plain([para(nodes.reference("", "a link", refuri="other.html"))])
    assert not is_plain([para(nodes.Text("see "), addnodes.pending_xref("", nodes.Text("essay"), reftype="ref"))])
    assert not is_plain([para(nodes.image(uri="images/x.png"))])
    assert not is_plain([para(nodes.Text("before")), nodes.literal_block("", "print(1)")])
