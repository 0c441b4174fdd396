"""Work done once per build for every page (essaysite.speed.shared_page_work) gives each page what it asks for."""

import re
import zlib

from helpers import copy_site, parse, sphinx_build

PAGES = [
    "index.html",
    "posts/exploring-the-depths-of-human-machine-relationships-in-her.html",
    "blog/tag/ai.html",
]


def test_asset_checksums_are_those_of_the_files(site):
    """Every ?v= on a stylesheet or script is the checksum of that file as published, at any depth."""
    checked = 0
    for name in PAGES:
        root = parse(site.outdir / name)
        for url in root.xpath("//link[@rel='stylesheet']/@href | //script/@src"):
            if "?v=" not in url or "://" in url:
                continue
            if url.split("?")[0].endswith("_static/pygments.css"):
                # The PyData theme rewrites pygments.css at the end of the build (it adds
                # the dark style): its ?v= is the checksum of Sphinx's file, with or
                # without this project (checked by building without essaysite.speed.shared_page_work).
                continue
            path, checksum = url.split("?v=")
            published = (site.outdir / name).parent / path
            assert published.is_file(), (name, url)
            content = published.read_bytes().translate(None, b"\r")  # as Sphinx counts it
            assert checksum == f"{zlib.crc32(content):08x}", (name, url)
            checked += 1
    assert checked >= 3 * len(PAGES)


CODE = """---
date: 2026-11-21
tags: code
category: notes
---

# Two Listings

The first listing numbers its lines.

```{code-block} python
:linenos:
def numbered():
    return 1
```

The second does not, and the third marks a line.

```python
def plain():
    return 2
```

```{code-block} python
:emphasize-lines: 2
def marked():
    return 3
```
"""


def test_code_blocks_keep_their_own_options(tmp_path, build_server):
    src = copy_site(tmp_path / "src", maintainers_pages=False)
    (src / "posts" / "two-listings.md").write_text(CODE)
    build = sphinx_build(src, tmp_path / "html", server=build_server)
    assert build.ok, build.log
    root = parse(build.outdir / "posts" / "two-listings.html")
    blocks = root.xpath("//div[contains(@class, 'highlight-python')]")
    assert len(blocks) == 3
    numbered, plain, marked = (b.xpath("string(.)") for b in blocks)
    assert [bool(b.xpath(".//*[contains(@class, 'linenos')]")) for b in blocks] == [True, False, False]
    assert [bool(b.xpath(".//*[@class='hll']")) for b in blocks] == [False, False, True]
    assert "numbered" in numbered and "plain" in plain and "marked" in marked
    # All three highlighted with the same style: keywords marked alike.
    assert all(b.xpath(".//span[@class='k' and text()='def']") for b in blocks)
