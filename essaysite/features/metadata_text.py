"""An essay's metadata is text: escaped wherever a page shows it.

Titles, tags, categories, authors, locations, languages, series names and
excerpts come from the author's file, and ABlog's templates print them as
they are: a ``<script>`` in a tag, or a harmless title such as ``Why \\<div\\>
soup fails``, became live markup in the sidebar and the lists of nearly
every page. Sphinx renders its templates without Jinja's autoescaping (the
page body and the theme's parts are HTML strings), so the fix is made where
the metadata is printed:

- **ABlog's templates and the project's replacements of them** (every
  template named ``ablog/...``: the widgets in the sidebar, the post card,
  the lists of essays) are compiled with Jinja's autoescaping: each value
  they print is escaped unless it is ``Markup`` (HTML made by the project,
  such as a rendered excerpt or a shared widget). None of them is replaced
  or copied for this; a template added under ``ablog/`` is escaped too, and
  gives HTML it prints as ``Markup``.
- **Their context**: ABlog gives a generated list page its ``title``
  (``Posts tagged <name>``) and ``feed_title`` as plain text, where the
  theme expects HTML (it strips tags from the title for ``<title>``, and
  ABlog's ``page.html`` prints ``feed_title`` into an attribute as it is).
  Both are escaped before any template or other extension sees them.
- **The book theme's context**: the title it prints on a printed page
  (``pagetitle``), the site's title in the sidebar (``root_title``) and
  ``page_description`` are text; escaped once it has set them.
- **Meta tags**: sphinxext-opengraph writes ``og:`` tags with only ``"``
  escaped; every ``<meta ... content="...">`` of a page is written again
  with its value escaped as text (``&``, ``<``, ``>``, ``"``).

Feeds, the JSON Feed, the sitemap and the search index hold text, escaped
by the libraries that write them (lxml, json); redirect pages escape what
they print (``essaysite.features.redirects``). A title's inline markup
(``*emphasis*``, ```code```) renders in the essay's own heading only:
elsewhere the title is its text. Raw HTML in a title is refused by the
front-matter check (``essaysite.frontmatter``).
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape
from sphinx.application import Sphinx

ESCAPED_TEMPLATES = ("ablog/",)


def is_escaped_template(name: str | None) -> bool:
    """Whether the template ``name`` (``!`` marks the one a template overrides) is autoescaped."""
    return bool(name) and name.lstrip("!").startswith(ESCAPED_TEMPLATES)


def escape_ablog_templates(app: Sphinx) -> None:
    """Compile ABlog's templates, and the site's in their place, with autoescaping (builder-inited)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # builders without Jinja templates
        return
    environment.autoescape = is_escaped_template


def as_html(value):
    """Text as HTML; what is HTML already (``Markup``) as it is."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else escape(value)


def escape_list_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A generated list's title and feed title, given as text, made HTML (before the previews read them)."""
    if doctree is None and ("collection" in context or "catalog" in context) and "title" in context:
        context["title"] = as_html(context["title"])
    if "feed_title" in context:
        context["feed_title"] = as_html(context["feed_title"])


# Text the book theme puts in a page's context and its templates print as they are.
THEME_TEXT = ("pagetitle", "root_title", "page_description")


def escape_theme_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The page's title and description the book theme gives as text (after it, priority 500), made HTML."""
    for key in THEME_TEXT:
        if key in context:
            context[key] = as_html(context[key])


META_TAG = re.compile(r'(<meta (?:property|name)="[^"]*" content=")([^"]*)(" ?/?>)')


def escape_meta_tags(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every ``<meta content="...">`` value escaped as text (after every extension wrote its tags)."""
    metatags = context.get("metatags")
    if not metatags:
        return
    context["metatags"] = META_TAG.sub(
        lambda m: m.group(1) + html.escape(html.unescape(m.group(2)), quote=True) + m.group(3), metatags
    )


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", escape_ablog_templates)
    app.connect("html-page-context", escape_list_context, priority=420)
    app.connect("html-page-context", escape_theme_context, priority=520)
    app.connect("html-page-context", escape_meta_tags, priority=990)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
