"""``essays-new`` (``make post``): start an essay with valid front matter.

ABlog's own ``ablog post`` writes reStructuredText only. This writes
``posts/<slug>.md`` with front matter that passes the front-matter check, a
``# Title`` heading and a first paragraph to replace; it never overwrites a
file, and it warns when a tag or category is a near miss of one the other
essays use: the same name in another case (which would share its page, so
the existing spelling is used) or a likely typo (``moive`` beside
``movie``), which is kept as typed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from pathlib import Path

import yaml

from essaysite.frontmatter.essay import check_essay
from essaysite.frontmatter.site import essay_paths, slug

# How alike two names must be (difflib's ratio) to count as a near miss.
NEAR_MISS = 0.75
POSTS_PATTERN = "posts/*.md"


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in {"", "0", "no", "false", "off"}


def split_names(text: str | None) -> list[str]:
    names = []
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    return names


def existing_names(root: Path, key: str) -> dict[str, str]:
    """Every name the essays use for ``key`` (tags, category), with one essay that uses it."""
    names: dict[str, str] = {}
    for rel in essay_paths(root, POSTS_PATTERN):
        essay = check_essay((root / rel).read_text(encoding="utf-8-sig", errors="replace"), rel)
        for name in essay.values.get(key, []):
            names.setdefault(name, rel)
    return names


def reconcile(names: list[str], existing: dict[str, str], what: str, warn) -> list[str]:
    """``names`` with the spelling of existing names that differ only in case; near misses warned about."""
    result = []
    by_slug = {slug(name): name for name in existing}
    for name in names:
        if name in existing:
            result.append(name)
            continue
        same = by_slug.get(slug(name))
        if same is not None:
            how = "in case" if name.lower() == same.lower() else "in case or punctuation"
            warn(
                f'{what} "{name}" differs only {how} from "{same}" ({existing[same]}); '
                f'written as "{same}", since both would share one page'
            )
            result.append(same)
            continue
        close = difflib.get_close_matches(name.lower(), {n.lower(): n for n in existing}, n=1, cutoff=NEAR_MISS)
        if close:
            near = {n.lower(): n for n in existing}[close[0]]
            warn(
                f'{what} "{name}" is close to the existing {what} "{near}" ({existing[near]}); '
                f'check the spelling (kept as "{name}", a new {what})'
            )
        result.append(name)
    return list(dict.fromkeys(result))


def essay_text(title: str, date: dt.date, tags: list[str], categories: list[str], draft: bool) -> str:
    front: dict = {"date": date}
    if tags:
        front["tags"] = ", ".join(tags)
    if categories:
        front["category"] = ", ".join(categories)
    if draft:
        front["draft"] = True
    yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return (
        f"---\n{yaml_text}---\n\n# {title}\n\n"
        "The first paragraph: it becomes the excerpt shown on the home page, in the lists and in feeds.\n\n"
        "## A section\n\nMore text.\n\n"
        "% Lines starting with % are notes to yourself, never shown. To cite a work, give\n"
        "% its BibTeX entry a key in posts/references.bib and write {cite:p}`key` for\n"
        "% (Author, 1950) or {cite:t}`key` for Author (1950); the list of sources is\n"
        "% added at the end. docs/writing.md, \"Citing sources\".\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="essays-new", description="Start an essay in posts/<slug>.md.")
    parser.add_argument("--title", required=True, help="the essay's title")
    parser.add_argument("--tags", default="", help='comma-separated tags, "a, b"')
    parser.add_argument("--category", default="", help="comma-separated categories (usually one)")
    parser.add_argument("--draft", default="", help="1 to start it as a draft (draft: true)")
    parser.add_argument("--root", default=".", help="the site's folder (holds posts/)")
    parser.add_argument("--date", default=None, help="date, 2026-11-24 (default: today)")
    args = parser.parse_args(argv)

    def fail(message: str) -> int:
        print(f"essays-new: {message}", file=sys.stderr)
        return 1

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    title = " ".join(args.title.split())
    if not title:
        return fail('give the essay a title: make post TITLE="The title"')
    name = slug(title)
    if not name:
        return fail(f'no file name can be made from the title "{title}"; use letters or digits in it')
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        return fail(f'"{args.date}" is not a date; write it as 2026-11-24')

    root = Path(args.root)
    tags = reconcile(split_names(args.tags), existing_names(root, "tags"), "tag", warn)
    categories = reconcile(split_names(args.category), existing_names(root, "category"), "category", warn)
    text = essay_text(title, date, tags, categories, truthy(args.draft))

    path = root / "posts" / f"{name}.md"
    rel = path.relative_to(root).as_posix()
    # The check the build runs: what this writes must pass it.
    problems = [p for p in check_essay(text, rel).problems if not p.corrected]
    if problems:
        return fail("; ".join(str(p) for p in problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        return fail(f"{rel} already exists and is left as it is; choose another title, or edit that file")
    print(f"Wrote {rel}" + (" (a draft: remove draft: true to publish it)" if truthy(args.draft) else ""))
    print("Preview it with: make live")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
