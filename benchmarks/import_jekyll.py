"""Benchmark: import 1,000 generated Jekyll posts (goal: under 10 s).

    make bench-import            # or: .venv/bin/python benchmarks/import_jekyll.py [N]

Generates N posts (1,000 by default) deterministically in a temporary folder,
each with the features the importer converts (front matter with an offset
date, tags and categories, kramdown attribute lists, Liquid highlight and
post_url, a picture), imports them into an empty essay site, and prints the
time. The baseline, measured in the same run, only reads and parses the same
files (bytes, text, YAML front matter): the ratio is the cost of converting.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from essaysite.jekyll.importer import Options, import_site

POST = """---
layout: post
title: "Generated essay number {n}"
date: {date} 10:{minute:02d}:00 +0200
categories: [Topic{topic}, Essays]
tags: tag{tag} common{other}
image: /assets/pic{pic}.png
---

The opening paragraph of essay {n}, which becomes its excerpt.

### A section {{#section-{n}}}

![A picture for essay {n}](/assets/pic{pic}.png){{: width="50%" .align-center}}

Some text with a [link to the previous essay]({{% post_url {previous} %}}) and
an abbreviation HTML.
{{: .notice}}

{{% highlight python linenos %}}
def essay_{n}():
    return {n}
{{% endhighlight %}}

| a | b |
|---|---|
| {n} | {tag} |

*[HTML]: Hyper Text Markup Language
"""


def generate(root: Path, count: int) -> Path:
    site = root / "jekyll"
    (site / "_posts").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "_config.yml").write_text("title: Bench\npermalink: pretty\n")
    for pic in range(10):
        (site / "assets" / f"pic{pic}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes([pic]) * 64)
    names = []
    for n in range(count):
        day = n % 28 + 1
        month = n // 28 % 12 + 1
        year = 2000 + n // (28 * 12)
        date = f"{year:04d}-{month:02d}-{day:02d}"
        name = f"{date}-generated-essay-{n}"
        previous = names[-1] if names else name
        text = POST.format(n=n, date=date, minute=n % 60, topic=n % 7, tag=n % 40, other=n % 3, pic=n % 10, previous=previous)
        (site / "_posts" / f"{name}.md").write_text(text)
        names.append(name)
    return site


def baseline(site: Path) -> float:
    start = time.perf_counter()
    for path in sorted((site / "_posts").iterdir()):
        text = path.read_bytes().decode("utf-8")
        yaml.safe_load(text.split("---", 2)[1])
    return time.perf_counter() - start


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = generate(root, count)
        dest = root / "essays"
        (dest / "posts").mkdir(parents=True)
        (dest / "conf.py").write_text("")
        read_only = baseline(site)
        start = time.perf_counter()
        report = import_site(Options(site, dest))
        elapsed = time.perf_counter() - start
        written = sum(1 for p in report.posts if p.action == "written")
        if report.failed or written != count:
            print(report.format())
            return 1
        print(f"posts imported:            {written}")
        print(f"import (convert + write):  {elapsed:.2f} s  ({elapsed / count * 1000:.1f} ms per post; goal < 10 s)")
        print(f"baseline (read + YAML):    {read_only:.2f} s")
        print(f"ratio import / baseline:   {elapsed / read_only:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
