"""jekyll-scholar, the Jekyll plugin for citations, to the site's citations.

- ``{% cite key %}`` becomes `` {cite:p}`key` ``, several keys
  (``{% cite a b %}``) one citation of them all; a locator
  (``{% cite key --locator 23 %}``, ``-l 23``, with ``--label chapter`` or
  ``-L chapter``) becomes its post-text: `` {cite:p}`key{p. 23}` ``.
- ``{% bibliography %}`` (and ``--cited``, ``--cited_in_order``) is dropped,
  with the heading right above it: the site ends every citing essay with
  the works it cites, under its own heading.
- What has no equivalent (``{% reference %}``, ``{% quote %}``,
  ``{% cite_details %}``, a bibliography with a query or another file,
  several locators in one citation, other options) is left to Liquid's
  catch-all, which keeps it as text and reports it, with the reason here.
- ``_bibliography/*.bib`` is merged into ``posts/references.bib``: the
  entries whose key the file does not have yet are appended as written, an
  entry already there the same is skipped, and a key already there with
  other content is kept as it was and reported. The user's file is never
  rewritten, only added to.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from essaysite import confinement

CITE = re.compile(r"\{%-?\s*cite\s+(?P<args>[^%]*?)\s*-?%\}")
# With the heading right above it, if any ("## References"): the essay's own list has its heading.
BIBLIOGRAPHY = re.compile(r"(?P<heading>^[ \t]*#{1,6}[ \t]+[^\n]*\n\s*)?\{%-?\s*bibliography\b(?P<args>[^%]*?)-?%\}", re.M)
LABELS = {"page": "p.", "pages": "pp.", "chapter": "ch.", "section": "sec.", "paragraph": "para.", "figure": "fig.", "volume": "vol.", "note": "n.", "line": "l."}
SIMPLE_BIBLIOGRAPHY = {"", "--cited", "-c", "--cited_in_order"}
REFERENCES = "references.bib"
ENTRY = re.compile(r"@(?P<type>\w+)\s*[{(]\s*(?P<key>[^,\s{}()]+)\s*,", re.M)


def cite(args: str) -> tuple[str | None, str]:
    """The MyST citation of ``{% cite args %}``, or None and why it cannot be."""
    try:
        words = shlex.split(args)
    except ValueError:
        return None, "its arguments cannot be read"
    keys, locators, label = [], [], "page"
    while words:
        word = words.pop(0)
        if word in ("-l", "--locator") and words:
            locators.append(words.pop(0))
        elif word in ("-L", "--label") and words:
            label = words.pop(0)
        elif word.startswith("-"):
            return None, f"option {word} has no equivalent"
        elif re.fullmatch(r"[^{}\s,`]+", word):
            keys.append(word)
        else:
            return None, f"{word!r} is not a citation key"
    if not keys:
        return None, "it names no key"
    if len(locators) > 1:
        return None, "several locators in one citation have no equivalent; cite each work with its own {cite:p}"
    post = f"{{{LABELS.get(label, label)} {locators[0]}}}" if locators else ""
    if post and ("}" in post[1:-1] or "{" in post[1:-1]):
        return None, "its locator has braces"
    targets = ",".join(keys[:-1] + [keys[-1] + post])
    return f"{{cite:p}}`{targets}`", ""


def convert(text: str, note, lose, keep, as_text) -> str:
    """``text`` with jekyll-scholar's tags converted.

    ``note(change)`` and ``lose(message, snippet)`` report, ``keep(text,
    written)`` sets converted text aside, ``as_text(written)`` keeps a tag
    as the author wrote it (Liquid's). Tags with no equivalent at all
    (``{% reference %}``, ...) are left to Liquid's catch-all.
    """

    def citation(match: re.Match) -> str:
        converted, why = cite(match.group("args"))
        if converted is None:
            lose(f"jekyll-scholar {{% cite %}} kept as text: {why}", match.group(0))
            return as_text(match.group(0))
        note("jekyll-scholar {% cite %} converted to {cite:p}")
        return keep(converted, match.group(0))

    def bibliography(match: re.Match) -> str:
        args = " ".join(match.group("args").split())
        heading = match.group("heading") or ""
        if args in SIMPLE_BIBLIOGRAPHY:
            note("jekyll-scholar {% bibliography %} dropped (with its heading): the essay ends with the works it cites, under Sources")
            return keep("", match.group(0))
        lose(f"jekyll-scholar {{% bibliography {args} %}} kept as text: the essay lists the works it cites, no other selection", match.group(0)[len(heading) :])
        return heading + as_text(match.group(0)[len(heading) :])

    text = CITE.sub(citation, text)
    return BIBLIOGRAPHY.sub(bibliography, text)


# -- _bibliography/*.bib -> posts/references.bib -------------------------------------------------


def entries(text: str) -> dict[str, str]:
    """The entries of a .bib text as written, by key (``@string``, ``@preamble`` and ``@comment`` by position)."""
    found: dict[str, str] = {}
    starts = [m for m in re.finditer(r"@(\w+)\s*[{(]", text)]
    for match in starts:
        end = closing(text, match.end() - 1)
        body = text[match.start() : end]
        keyed = ENTRY.match(body)
        if match.group(1).lower() in ("string", "preamble", "comment") or keyed is None:
            found[f"@{match.group(1).lower()}:{' '.join(body.split())}"] = body
        else:
            found[keyed.group("key")] = body
    return found


def closing(text: str, open_at: int) -> int:
    """The index after the brace or parenthesis that closes the one at ``open_at`` (the text's end if none)."""
    pairs = {"{": "}", "(": ")"}
    opener, depth = text[open_at], 0
    for index in range(open_at, len(text)):
        if text[index] == opener or (opener == "(" and text[index] == "{"):
            depth += 1
        elif text[index] == pairs[opener] or (opener == "(" and text[index] == "}"):
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def bibliography_folder(root: Path, config: dict) -> Path:
    """Where jekyll-scholar reads its .bib files (``scholar: source:``, ``_bibliography`` by default)."""
    scholar = config.get("scholar") if isinstance(config.get("scholar"), dict) else {}
    return root / str(scholar.get("source") or "_bibliography").strip("/").removeprefix("./")


def merged_references(folder: Path, posts_dir: Path) -> tuple[bytes | None, list[str], list[str]]:
    """``posts/references.bib`` with the entries of ``folder``'s .bib files added: (bytes or None, changes, problems)."""
    site_root = folder.parent
    if not folder.is_dir():
        return None, [], []
    changes, problems = [], []
    target = posts_dir / REFERENCES
    existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    have = entries(existing)
    added: list[str] = []
    for path in sorted(folder.glob("*.bib")):
        rel = f"{folder.name}/{path.name}"
        try:
            confinement.inside(path, site_root, "the Jekyll site")
            text = path.read_text(encoding="utf-8")
        except confinement.Refused as refused:
            problems.append(f"{rel}: {refused}; its entries are not imported")
            continue
        except (OSError, UnicodeError) as error:
            problems.append(f"{rel}: cannot be read as UTF-8 ({error}); convert it and import again")
            continue
        count = 0
        for key, body in entries(text).items():
            if key not in have:
                have[key] = body
                added.append(body)
                count += 1
            elif not same(have[key], body) and not key.startswith("@"):
                problems.append(f"{rel}: key {key!r} is already in posts/{REFERENCES} with other content; kept the one there (rename one key and import again)")
        changes.append(f"{rel}: {count} entr{'y' if count == 1 else 'ies'} added to posts/{REFERENCES}" if count else f"{rel}: every entry already in posts/{REFERENCES}")
    if not added:
        return (existing.encode("utf-8") if existing else None), changes, problems
    head = existing.rstrip("\n") + "\n\n" if existing.strip() else "% The works the essays cite (docs/writing.md, \"Citing sources\"), imported from a Jekyll site.\n\n"
    return (head + "\n\n".join(body.strip() for body in added) + "\n").encode("utf-8"), changes, problems
