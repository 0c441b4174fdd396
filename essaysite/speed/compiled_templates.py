"""Templates compiled once, not on every build.

Sphinx's Jinja environment compiles each template it renders (the theme's
layout and its parts, ABlog's widgets, the site's own) from source in every
build: about 45 templates, a tenth of a second or more of a rebuild that
writes a handful of pages. Jinja's own bytecode cache keeps the compiled
code in the doctree folder, keyed by each template's name and source, so a
changed template is compiled again and an unchanged one is loaded.

Jinja also asks the file system, on every use of a template, whether its
file changed since it was loaded (``auto_reload``): about 80,000 ``stat``
calls in a build of 1,000 essays. Templates do not change during a build
(``make live`` starts a new build for every save), so it is turned off.

Neither with ``essays_speedups`` off.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

from essaysite.speed import speedups_on

CACHE_FOLDER = "essaysite-templates"


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache, keyed also by whether the template is autoescaped (compiled in, not in its source)."""

    def get_bucket(self, environment, name, filename, source):
        autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
        return super().get_bucket(environment, name, filename, f"{source}\n{{# autoescape: {bool(autoescape)} #}}")


def cache_compiled_templates(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:  # builders without Jinja templates
        return
    folder = Path(app.doctreedir) / CACHE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = TemplateCache(str(folder))
    environment.auto_reload = False


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        app.connect("builder-inited", cache_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
