"""Series: essays grouped by the front-matter key ``series``.

```yaml
series: Machines and Us
series_position: 2   # optional
```

The published essays of a series are ordered by ``series_position`` (those
without one come after), then by date, then by file name. Each part shows
"Part n of m" under its title, with links to the series page and to the
previous and next parts. The series page (``blog/series/<name>.html``)
lists the parts in reading order, in pages of ``essays_per_page`` as every
list (``blog/series/<name>/page/2.html``, ...), and each series has its own Atom feed
(``blog/series/<name>/atom.xml``), written by ``essaysite.features.feeds``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from essaysite.features.essaylists import insert_under_title
from essaysite.features.feeds import Feed
from essaysite.features.pagination import paginated
from essaysite.fragments import is_own_page
from essaysite.patches import ablog
from essaysite.incremental.freshness import build_cache, published_posts
from essaysite.incremental.unchanged_lists import skip_unchanged

logger = logging.getLogger(__name__)


class essay_series_nav(nodes.General, nodes.Element):
    """The series box under an essay's title."""


def visit_series_nav(self, node: essay_series_nav) -> None:
    self.body.append('<nav class="essay-series" aria-label="%s">\n' % self.encode(node["label"]))


def depart_series_nav(self, node: essay_series_nav) -> None:
    self.body.append("</nav>\n")


class Series:
    """The published parts of one series, in reading order (a list for the list template).

    An ``essaysite.incremental.unchanged_lists.EssayList``: its page is written
    again only when what it shows changed.
    """

    def __init__(self, app: Sphinx, name: str, posts: list) -> None:
        self.name = name
        self.posts = posts
        self.href = None
        self.path = self.docname = ablog.page_path(app, "series", name)

    def __iter__(self):
        return iter(self.posts)

    def __len__(self) -> int:
        return len(self.posts)

    def __str__(self) -> str:
        return self.name


# -- Collected while reading ------------------------------------------------------


def front_matter_line(env: BuildEnvironment, docname: str, key: str) -> int:
    """The line of ``key:`` in the essay's front matter (1 when not found)."""
    lines = env.doc2path(docname).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        if line.startswith(f"{key}:"):
            return number
    return 1


def record_series(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if not hasattr(env, "essays_series"):
        env.essays_series = {}
    meta = env.metadata.get(env.docname, {})
    name = str(meta.get("series", "")).strip()
    if not name:
        if "series_position" in meta:
            logger.warning(
                "series_position is set but series is not. Fix: add series: <name> to the front matter, "
                "or remove series_position.",
                location=(env.docname, front_matter_line(env, env.docname, "series_position")),
                type="essays",
                subtype="series",
            )
        return
    # essaysite.features.frontmatter has stopped the build on a series_position
    # that is not a whole number from 1.
    raw = str(meta.get("series_position", "")).strip()
    position = int(raw) if raw.isdigit() and int(raw) >= 1 else None
    env.essays_series[env.docname] = (name, position)


def purge_series(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if hasattr(env, "essays_series"):
        env.essays_series.pop(docname, None)


def merge_series(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "essays_series"):
        env.essays_series = {}
    theirs = getattr(other, "essays_series", {})
    for docname in docnames:
        if docname in theirs:
            env.essays_series[docname] = theirs[docname]


# -- Computed once reading is done -------------------------------------------------


def all_series(app: Sphinx) -> dict[str, Series]:
    """Every series with at least one published part, by name (once per build)."""
    cache = build_cache(app)
    if "series" not in cache:
        recorded = getattr(app.env, "essays_series", {})
        groups: dict[str, list] = {}
        for post in published_posts(app):
            if post.docname in recorded:
                groups.setdefault(recorded[post.docname][0], []).append(post)
        series = {}
        for name in sorted(groups):

            def order(post, name=name):
                position = recorded[post.docname][1]
                return (position is None, position or 0, post.date, post.docname)

            series[name] = Series(app, name, sorted(groups[name], key=order))
        cache["series"] = series
    return cache["series"]


def series_of(app: Sphinx, docname: str) -> tuple[Series, int] | None:
    """The series of a published essay and its index in it."""
    recorded = getattr(app.env, "essays_series", {}).get(docname)
    if not recorded:
        return None
    series = all_series(app).get(recorded[0])
    if series is None:
        return None
    for index, post in enumerate(series.posts):
        if post.docname == docname:
            return series, index
    return None


def link(app: Sphinx, fromdoc: str, todoc: str, text: str, classes=()) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdoc, todoc)
    return nodes.reference("", "", nodes.Text(text), internal=True, refuri=uri, classes=list(classes))


def add_series_nav(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_own_page(app, doctree):
        return
    found = series_of(app, docname)
    if not found:
        return
    series, index = found
    nav = essay_series_nav(label="Series", classes=["no-search"])
    part = nodes.paragraph(classes=["essay-series-part"])
    part += nodes.Text(f"Part {index + 1} of {len(series)} in the series ")
    part += link(app, docname, series.docname, series.name, ["essay-series-link"])
    nav += part
    steps = nodes.paragraph(classes=["essay-series-steps"])
    if index > 0:
        previous = series.posts[index - 1]
        steps += nodes.inline("", "Previous: ", link(app, docname, previous.docname, previous.title), classes=["essay-series-prev"])
    if index + 1 < len(series):
        following = series.posts[index + 1]
        if len(steps):
            steps += nodes.Text(" ")
        steps += nodes.inline("", "Next: ", link(app, docname, following.docname, following.title), classes=["essay-series-next"])
    if len(steps):
        nav += steps
    insert_under_title(doctree, nav)


def page_inputs(app: Sphinx, docname: str):
    found = series_of(app, docname)
    if not found:
        return None
    series, index = found
    return ["series", series.name, index, [(p.docname, p.title) for p in series.posts]]


# -- Series pages and feeds ---------------------------------------------------------


def series_pages(app: Sphinx):
    if not ablog.builder_support(app):
        return
    for series in all_series(app).values():
        context = {
            "parents": [],
            "title": f"Series: {series.name}",
            "header": "Series:",
            "collection": series,
            "summary": True,
            "feed_path": series.path,
            "feed_title": f"Series: {series.name}",
        }
        yield (series.docname, context, "ablog/collection.html")


def series_feeds(app: Sphinx, blog) -> list:
    feeds = []
    for series in all_series(app).values():
        newest_first = sorted(series.posts, key=lambda p: (p.date, p.docname), reverse=True)
        feeds.append(Feed(series.path, f"{blog.blog_title} - Series {series.name}", newest_first))
    return feeds


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.incremental.freshness")
    app.setup_extension("essaysite.features.feeds")
    app.setup_extension("essaysite.features.essaylists")
    app.setup_extension("essaysite.features.pagination")
    app.add_node(essay_series_nav, html=(visit_series_nav, depart_series_nav))
    app.connect("doctree-read", record_series, priority=600)
    app.connect("env-purge-doc", purge_series)
    app.connect("env-merge-info", merge_series)
    app.connect("doctree-resolved", add_series_nav)
    # In pages of essays_per_page parts, as every list; written again only when what a page shows changed.
    app.connect("html-collect-pages", skip_unchanged(paginated(series_pages)))
    app.connect("essay-feeds", series_feeds)
    app.connect("essay-page-inputs", page_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
