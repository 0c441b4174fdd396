"""Deterministic generator of realistic essays for the benchmarks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

WORDS = (
    "time machine human memory city light language story letter voice screen "
    "window river winter summer music silence reason habit attention friend "
    "stranger market labour garden archive question answer promise distance "
    "signal network feeling evidence history future present habit craft "
    "tool reader writer picture moment morning evening kitchen street border "
    "island mountain paper ink code model system theory practice argument "
    "pattern surface depth weight measure balance change mirror engine"
).split()
GLUE = "the a of and to in that is was for on with as by it this which but from at".split()
TAGS = [
    "ai", "film", "books", "cities", "music", "language", "memory", "work", "craft", "design",
    "science", "history", "travel", "food", "family", "friendship", "politics", "economics",
    "philosophy", "ethics", "writing", "reading", "software", "data", "privacy", "nature",
    "climate", "art", "photography", "education",
]
CATEGORIES = ["essays", "reviews", "notes", "travel", "technology", "culture"]


def sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(10, 22)):
        words.append(rng.choice(GLUE) if rng.random() < 0.4 else rng.choice(WORDS))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def slug(i: int) -> str:
    return f"essay-{i:05d}"


def title(rng: random.Random, i: int) -> str:
    return f"On the {rng.choice(WORDS)} and the {rng.choice(WORDS)} ({i})"


def essay(i: int, n: int, seed: int = 1) -> str:
    """Essay number i of n: about 800 words, headings, a code block, a list,
    one to three tags from a pool of 30, one of six categories, two
    cross-references to other essays, a date spread over the years."""
    rng = random.Random(seed * 1_000_003 + i)
    date = dt.date(2014, 1, 1) + dt.timedelta(days=(i * 4001) % 4300)
    tags = rng.sample(TAGS, rng.randint(1, 3))
    others = [j for j in rng.sample(range(n), min(3, n)) if j != i][:2]
    links = " and ".join(f"[essay {j}]({slug(j)}.md)" for j in others) or "nothing else"
    parts = [
        "---",
        f"date: {date.isoformat()}",
        f"tags: {', '.join(tags)}",
        f"category: {rng.choice(CATEGORIES)}",
        "---",
        "",
        f"# {title(rng, i)}",
        "",
        paragraph(rng),
        "",
        f"This essay answers {links}.",
        "",
        "## A first look",
        "",
        paragraph(rng),
        "",
        paragraph(rng),
        "",
        "```python",
        "def measure(values):",
        f"    return sum(values) / {i + 1}",
        "```",
        "",
        "## What follows",
        "",
        *[f"- {sentence(rng)}" for _ in range(4)],
        "",
        paragraph(rng),
        "",
        paragraph(rng),
        "",
        "## Closing",
        "",
        paragraph(rng),
        "",
        paragraph(rng),
        "",
    ]
    return "\n".join(parts)


def write_essays(folder: Path, n: int, seed: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{slug(i)}.md").write_text(essay(i, n, seed), encoding="utf-8")
