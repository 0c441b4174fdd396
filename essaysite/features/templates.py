"""Templates that replace ABlog's invalid markup, and the helpers they use.

ABlog's collection pages and post cards produce invalid HTML (a ``<div>``
inside ``<ul>``, ids with spaces, ``<p>`` inside ``<p>``). The templates in
``essaysite/features/templates`` replace them; they come before ABlog's because
``templates_path`` is searched first.

The site's sidebar templates draw ABlog's widgets through
``essays_shared_widget(name)``: here it renders ABlog's own template
(``!ablog/...``); ``essaysite.speed.sidebars`` replaces it by one that renders
each widget once per folder.
"""

from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config

from essaysite.features.rendering import render_excerpt

TEMPLATES = Path(__file__).parents[1] / "templates"


def add_templates_path(app: Sphinx, config: Config) -> None:
    if str(TEMPLATES) not in config.templates_path:
        # A new list: unset in conf.py, the value is Sphinx's shared default,
        # which later builds in the same process would inherit.
        config.templates_path = [str(TEMPLATES), *config.templates_path]


def add_template_helpers(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # HTML for the templates under ablog/, which escape what is not Markup (essaysite.features.metadata_text).
    context["essay_excerpt"] = lambda post, page=pagename: Markup(render_excerpt(app, post, page))
    context["essays_shared_widget"] = lambda name: Markup(app.builder.templates.render("!" + name, context))


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.state")  # empties the excerpts rendered, once reading is done
    app.setup_extension("essaysite.features.rendering")
    app.setup_extension("essaysite.features.catalogs")  # what ablog/catalog.html shows
    app.connect("config-inited", add_templates_path)
    app.connect("html-page-context", add_template_helpers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
