"""Feed summaries and page descriptions show a referenced essay's title, never its label.

An excerpt with {ref}`machines-tools` read "Picking up from machines-tools"
in all three feeds while the page showed the title (features.rendering).
"""

import json

import feedparser
import pytest

from helpers import parse

pytestmark = pytest.mark.sphinx("html", testroot="linked")

TITLE, LABEL = "Machines and Us: Tools", "machines-tools"


def entry(entries, slug):
    (found,) = [e for e in entries if e["link" if "link" in e else "url"].endswith(f"/{slug}.html")]
    return found


def test_feed_summaries_show_the_title(built):
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((built.outdir / "blog" / name).read_bytes())
        summary = entry(feed.entries, "machines-minds").summary
        assert f"Picking up from {TITLE}" in summary, (name, summary)
        assert LABEL not in summary
    items = json.loads((built.outdir / "blog/feed.json").read_text(encoding="utf-8"))["items"]
    summary = entry(items, "machines-minds")["summary"]
    assert f"Picking up from {TITLE}" in summary and LABEL not in summary


@pytest.mark.sphinx("html", testroot="previews")
def test_page_description_shows_the_title(app):
    app.build()
    page = parse(app.outdir / "posts/rivers-mouths.html")
    for description in page.xpath("//meta[@property='og:description']/@content | //meta[@name='description']/@content"):
        assert description.startswith("Picking up from Rivers: Sources"), description
        assert "rivers-sources" not in description
