"""The site's identity from one place: its name, its owner, a line about it, its address.

``conf.py``'s first section holds four values and nothing else derives from
anything but them:

- ``project``: the site's name;
- ``author``: the owner's name (empty until the owner writes theirs);
- ``essays_site_description``: one line saying what the site is;
- ``html_baseurl``: the site's address (Read the Docs' canonical address
  when it builds).

Everything a reader sees of them is derived here when the configuration is
read (``config-inited``): ``html_title``, ``blog_title`` and the feeds'
titles, ``ogp_site_name`` and the preview card, the copyright line, the
feeds' and previews' addresses (``blog_baseurl``, ``ogp_site_url``) and the
404 page (``notfound_urls_prefix``, ``notfound_context``). So
``sphinx-build -D project="Harbour Notes" -D author="Ada Lovelace"`` changes
every page, feed and card. A derived value the configuration gives itself
(in ``conf.py``, or with ``-D``) is kept as given.

The owner's name is empty in a fresh copy: a local build then shows no
author name anywhere (no byline name, a copyright line without a name) and
says so once, as an information line, not a warning. A build on Read the
Docs (``READTHEDOCS`` set) with no owner's name stops with one line naming
the setting: the site would go public under nobody's name.

Pages and templates reach the values with the ``{site}`` role
(``{site}`name```, ``{site}`description```, ``{site}`author```), as the
home page does for its title and its first line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

LOCAL_ADDRESS = "http://127.0.0.1:8000/"
# What an owner's name is before the owner writes it: empty, or Sphinx's own default.
PLACEHOLDERS = {"", "Author name not set"}


def owner(config: Config) -> str:
    """The owner's name, or "" while conf.py still has the placeholder."""
    name = " ".join(str(config.author or "").split())
    return "" if name in PLACEHOLDERS else name


def signature(config: Config) -> str:
    """Who signs what must name an author (the feeds, the e-book): the owner, or the site's name while there is none."""
    return owner(config) or config.project


def site_address(config: Config) -> str:
    address = config.html_baseurl or LOCAL_ADDRESS
    return address if address.endswith("/") else address + "/"


def copyright_line(config: Config) -> str:
    year = dt.date.today().year
    name = owner(config)
    return f"{year}, {name}" if name else str(year)


def not_found_context(config: Config) -> dict:
    prefix = urlsplit(site_address(config)).path
    return {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>\n"
            "<p>There is no page at this address. It may have moved: try the "
            f'<a href="{prefix}blog.html">list of all essays</a>, the '
            f'<a href="{prefix}blog/archive.html">archive</a> or the search '
            "field in the sidebar.</p>"
        ),
    }


def derived(config: Config) -> dict:
    """Each value derived from the four, by name."""
    address = site_address(config)
    return {
        "html_baseurl": address,
        "html_title": config.project,
        "blog_title": config.project,
        "blog_baseurl": address,
        "ogp_site_name": config.project,
        "ogp_site_url": address,
        "copyright": copyright_line(config),
        "notfound_urls_prefix": urlsplit(address).path,
        "notfound_context": not_found_context(config),
        # The e-book (essaysite.features.ebook): signed by the owner, or by the site while there is none.
        "epub_title": config.project,
        "epub_author": signature(config),
        "epub_publisher": signature(config),
        "epub_copyright": copyright_line(config),
        "epub_description": getattr(config, "essays_site_description", "") or config.project,
        # One identifier for the book, in its metadata and its table of contents: a name XML accepts as an id.
        "epub_identifier": book_identifier(address),
        "epub_uid": book_identifier(address),
    }


def book_identifier(address: str) -> str:
    """``essays-essays-example-org-en-latest`` for https://essays.example.org/en/latest/."""
    return "essays-" + "-".join(filter(None, re.split(r"[^A-Za-z0-9]+", address.split("://")[-1])))


def is_given(config: Config, name: str) -> bool:
    """Whether the configuration sets ``name`` itself: with ``-D``, or in conf.py to other than its default."""
    if name in config.overrides:
        return True
    option = config.values.get(name)
    if option is None:
        return False
    default = option.default(config) if callable(option.default) else option.default
    return getattr(config, name) != default


def derive(app: Sphinx, config: Config) -> None:
    """Set every value the site's identity decides, unless the configuration gives it (config-inited)."""
    for name, value in derived(config).items():
        if name in config and not is_given(config, name):
            setattr(config, name, value)
    if config.html_baseurl and not config.html_baseurl.endswith("/"):
        config.html_baseurl += "/"
    if owner(config):
        return
    if os.environ.get("READTHEDOCS"):
        stop_without_owner()
    logger.info(
        "conf.py: author is not set yet: pages show no author name, feeds and the e-book the site's; write yours there before publishing"
    )


def stop_without_owner() -> None:
    """One line, exit status 2, no traceback: a public build needs its owner's name."""
    sys.stdout.flush()
    print(
        "conf.py: author is not set (the placeholder \"\"): write your name there, as author = \"Your Name\" "
        "(it signs every essay, feed and the copyright line); the Read the Docs build stopped before reading any essay",
        file=sys.stderr,
    )
    sys.stderr.flush()
    raise SystemExit(2)


VALUES = {"name": "project", "description": "essays_site_description"}


def site_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{site}`name``` (the site's name), ``{site}`description``` or ``{site}`author``` as text."""
    config = inliner.document.settings.env.config
    key = text.strip()
    if key == "author":
        return [nodes.Text(owner(config))], []
    if key not in VALUES:
        message = inliner.reporter.error(
            f"{{site}}`{key}`: unknown value; write {{site}}`name`, {{site}}`description` or {{site}}`author`", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.Text(str(getattr(config, VALUES[key]) or ""))], []


def about_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The About page the readers' navigation links to, when the site has one."""
    about = app.config.essays_about_page
    context["essays_about_page"] = about if about in app.env.found_docs else None


def setup(app: Sphinx) -> dict:
    app.add_config_value("essays_about_page", "docs/about", "html", types=frozenset({str}))
    app.connect("html-page-context", about_page)
    # Before the extensions that read these values when the configuration is read (sphinx-notfound-page).
    app.connect("config-inited", derive, priority=400)
    app.add_role("site", site_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
