"""A post's old URL, computed with Jekyll's own rules.

Jekyll builds a post's URL from a permalink template: the post's
``permalink:`` (or one given by the site's ``defaults:``), else the posts
collection's, else the site's ``permalink:`` (a style name or a template),
else the ``date`` style. ``:categories`` are lower-cased and joined by ``/``,
``:title`` comes from the file name (or ``slug:``), date parts from the
post's date in the site's time zone. (``essaysite/features/redirects.py`` writes the
redirect page where Jekyll wrote the post: ``index.html`` for a URL ending
in ``/``, else the URL, with ``.html`` added when it has no extension.)
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
from urllib.parse import quote

# Jekyll 4's built-in permalink styles (lib/jekyll/utils.rb, Jekyll::Utils).
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_STYLE = "date"

FILENAME = re.compile(r"^(?P<date>\d{2,4}-\d{1,2}-\d{1,2})-(?P<slug>.+?)(?P<ext>\.[^.]+)?$")


def slugify(text: str, cased: bool = False) -> str:
    """Jekyll's ``slugify`` in its default mode: runs of other characters become ``-``."""
    slug = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).replace("_", "-")
    slug = re.sub(r"-+", "-", slug).strip("-")
    return slug if cased else slug.lower()


def pretty_slug(text: str) -> str:
    """Jekyll's ``slugify(mode: "pretty", cased: true)``, used for ``:title``."""
    slug = re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text, flags=re.UNICODE)
    return re.sub(r"-+", "-", slug).strip("-")


def titleize(slug: str) -> str:
    """Jekyll's title for a post without ``title:``: each word capitalised."""
    return " ".join(word.capitalize() for word in slug.split("-") if word)


def template_for(permalink: str | None) -> str:
    if not permalink:
        return STYLES[DEFAULT_STYLE]
    return STYLES.get(str(permalink), str(permalink))


def permalink_template(front: dict, rel: str, config: dict) -> str:
    """The template Jekyll builds a post's URL from.

    The first that is set: the post's ``permalink:``, a ``defaults:`` entry
    whose scope takes in the post, the posts collection's ``permalink``
    (``collections: {posts: {permalink: ...}}``), the site's ``permalink``
    (a style name or a template), the ``date`` style.
    """
    if front.get("permalink"):
        return str(front["permalink"])
    default = default_value("permalink", rel, config)
    if default:
        return str(default)
    collections = config.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    if isinstance(posts, dict) and posts.get("permalink"):
        return template_for(str(posts["permalink"]))
    return template_for(config.get("permalink"))


def default_value(key: str, rel: str, config: dict):
    """``key`` from the last ``defaults:`` entry whose scope takes in the post at ``rel``.

    Jekyll's rule: the scope's ``type`` (if any) is ``posts``, its ``path``
    (if any) is a folder or file above the post, and the most specific path
    wins (then the later entry).
    """
    found, best = None, -1
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict) or key not in entry["values"]:
            continue
        scope = entry.get("scope") or {}
        if scope.get("type") not in (None, "", "posts"):
            continue
        path = str(scope.get("path") or "").strip("/")
        if path and "*" not in path and not (rel == path or rel.startswith(path + "/")):
            continue
        if "*" in path and not fnmatch.fnmatch(rel, path + ("" if path.endswith("*") else "/*")):
            continue
        specificity = len(path.split("/")) if path else 0
        if specificity >= best:
            found, best = entry["values"][key], specificity
    return found


def placeholders(date: dt.datetime, slug: str, categories: list[str], name: str = "", rel: str = "", output_ext: str = ".html") -> dict[str, str]:
    iso_year, iso_week, iso_day = date.isocalendar()
    return {
        "year": f"{date.year:04d}",
        "short_year": f"{date.year % 100:02d}",
        "month": f"{date.month:02d}",
        "i_month": str(date.month),
        "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"),
        "day": f"{date.day:02d}",
        "i_day": str(date.day),
        "y_day": f"{date.timetuple().tm_yday:03d}",
        "short_day": date.strftime("%a"),
        "long_day": date.strftime("%A"),
        "week": f"{iso_week:02d}",
        "w_year": str(iso_year),
        "w_day": str(iso_day),
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "title": pretty_slug(slug),
        "slug": slugify(slug),
        # The file name without its extension, date included (Jekyll's :name).
        "name": slugify(name or slug),
        "collection": "posts",
        "path": posixpath.splitext(rel.split("_posts/", 1)[-1])[0] if rel else slugify(slug),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": output_ext,
    }


def post_url(template: str, values: dict[str, str]) -> str:
    """The URL path (from the site root, without baseurl) Jekyll gives a post."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    # Longest names first, so ":short_year" is not read as ":short" + "_year".
    names = "|".join(sorted(values, key=len, reverse=True))
    url = re.sub(rf":({names})", replace, template)
    url = "/" + url
    url = url.replace("..", "/").replace("./", "")
    url = re.sub(r"/{2,}", "/", url)
    return quote(url, safe="/:@!$&'()*+,;=~-._%")

