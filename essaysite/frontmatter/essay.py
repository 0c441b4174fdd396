"""One essay's front matter and heading checked, and the corrections Sphinx reads."""

from __future__ import annotations

import datetime as dt

import yaml

from essaysite.frontmatter.contract import (
    COMMA_KEYS, DATE_FORMS, FLAG_KEYS, KNOWN_KEYS, NUMBER_KEYS, RULES, TEXT_KEYS, Essay, Fix, Problem,
    as_naive_datetime_text, compose, construct, did_you_mean, guess_date, link_problem, parse_date_text, quoted,
    scalar_text, split_front_matter, structure_problem, tree_problem, DEEP,
)
from essaysite.confinement import Refused, url_path_file

# -- One essay ----------------------------------------------------------------------
def check_essay(text: str, path: str) -> Essay:
    """Check one essay's source; collect problems and the safe corrections."""
    essay = Essay(path)
    bounds = split_front_matter(text)
    if bounds is None:
        essay.error(1, "front matter", 'missing; start the file with a "---" line, the keys, and a closing "---" line')
        check_body(essay, text, 0)
        return essay
    start, end, closing_line = bounds
    yaml_text = text[start:end]
    try:
        root, loader = compose(yaml_text)
    except RecursionError:  # deeper than PyYAML's composer can go: found again event by event
        line, message = structure_problem(yaml_text) or (2, DEEP)
        essay.error(line, "front matter", message)
        check_body(essay, text, closing_line)
        return essay
    except yaml.MarkedYAMLError as error:
        # The opening of what is unfinished (a bracket, a quote) is nearer the slip.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 2 if mark else 2
        essay.error(line, "front matter", f"not valid YAML: {error.problem or error.context}")
        return essay
    except yaml.YAMLError as error:  # pragma: no cover - every parser error is marked
        essay.error(2, "front matter", f"not valid YAML: {error}")
        return essay
    structure = tree_problem(root) if root is not None else None
    if structure is not None:  # too deep, or aliases: nothing of it is read
        essay.error(structure[0], "front matter", structure[1])
        check_body(essay, text, closing_line)
        return essay
    if root is None or (isinstance(root, yaml.MappingNode) and not root.value):
        essay.error(1, "front matter", "empty; an essay needs at least a date (or draft: true)")
    elif not isinstance(root, yaml.MappingNode):
        essay.error(2, "front matter", "must be keys and values (key: value), one per line")
    else:
        check_keys(essay, root, loader, start)
        if not essay.values and not any(not p.corrected for p in essay.problems):
            essay.error(1, "front matter", "no key left; an essay needs at least a date (or draft: true)")
    check_body(essay, text, closing_line)
    return essay


def check_keys(essay: Essay, root: yaml.MappingNode, loader, offset: int) -> None:
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        if key in seen:
            essay.error(line, key, f"given twice (also on line {seen[key]}); keep one")
            continue
        seen[key] = line
        essay.lines[key] = line
        if key not in KNOWN_KEYS:
            essay.error(line, key, did_you_mean(key))
            continue
        try:
            value = construct(loader, value_node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            if key == "date":
                essay.error(line, key, f'"{value_node.value}" is not a date; write it as {DATE_FORMS}')
            else:
                essay.error(line, key, f'"{value_node.value}" cannot be read; see {RULES}')
            continue
        span = (offset + value_node.start_mark.index, offset + value_node.end_mark.index)
        whole = (offset + key_node.start_mark.index, offset + value_node.end_mark.index)
        CHECKS[kind_of(key)](essay, key, value, line, span, whole)


def kind_of(key: str) -> str:
    for kind, keys in (("comma", COMMA_KEYS), ("flag", FLAG_KEYS), ("text", TEXT_KEYS), ("number", NUMBER_KEYS)):
        if key in keys:
            return kind
    return key


def replace(essay: Essay, span: tuple[int, int], new: str) -> None:
    essay.fixes.append(Fix(span[0], span[1], new))


def drop(essay: Essay, whole: tuple[int, int]) -> None:
    """Remove ``key: value``, keeping the number of lines (messages keep their line numbers)."""
    essay.fixes.append(Fix(whole[0], whole[1], None))


def check_comma(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)
        return
    if isinstance(value, list):
        if any(item is not None and scalar_text(item) is None for item in value):
            essay.error(line, key, "list items must be plain words or phrases; use a comma-separated string")
            return
        items = [scalar_text(item) for item in value if item is not None]
        if key != "tags" and any("," in item for item in items):
            essay.error(line, key, "use a comma-separated string, not a list")
            return
        names = [name.strip() for item in items for name in item.split(",") if name.strip()]
        if key != "tags":
            essay.notice(line, key, f'use a comma-separated string, not a list; read as "{", ".join(names)}"')
    elif isinstance(value, dict):
        essay.error(line, key, "use a comma-separated string, not a mapping")
        return
    elif isinstance(value, bool):
        essay.error(line, key, f"{str(value).lower()} is not a name; use a comma-separated string")
        return
    else:
        text = str(value)
        names = [name.strip() for name in text.split(",") if name.strip()]
        if isinstance(value, str) and names == [name.strip() for name in text.split(",")]:
            essay.values[key] = names
            return  # as ABlog reads it: nothing to correct
    essay.values[key] = names
    if names:
        replace(essay, span, quoted(", ".join(names)))
    else:
        drop(essay, whole)


def check_flag(essay, key, value, line, span, whole):
    if value is None or value == "" or value is True:
        replace(essay, span, '""')  # ABlog's flags are set by an empty string only
        essay.values[key] = True
    elif value is False:
        drop(essay, whole)
    else:
        essay.error(line, key, f"a flag is true or false, not {quoted(str(value))}; write {key}: true")


def check_text(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)
    elif isinstance(value, (list, dict)):
        essay.error(line, key, f"use a single value, not a {'list' if isinstance(value, list) else 'mapping'}")
    elif isinstance(value, bool):
        essay.error(line, key, f"{str(value).lower()} is not a {key}; write the text")
    elif key in ("external_link", "canonical_link") and link_problem(key, str(value)):
        essay.error(line, key, link_problem(key, str(value)))
    else:
        essay.values[key] = str(value)


def check_number(essay, key, value, line, span, whole):
    smallest = NUMBER_KEYS[key]
    if value is None or value == "":
        drop(essay, whole)
    elif isinstance(value, bool) or not isinstance(value, int) or value < smallest:
        hint = " (the Nth picture of the essay goes into its excerpt), not a path" if key == "image" else ""
        essay.error(line, key, f"use a whole number from {smallest}{hint}; {quoted(str(value))} is not one")
    else:
        essay.values[key] = value


def check_date(essay, key, value, line, span, whole):
    if value is None or value == "":
        drop(essay, whole)  # no date: a draft (essaysite.features.drafts)
        return
    original = value
    if isinstance(value, str):
        value = parse_date_text(value)
        if value is None:
            guess = guess_date(original)
            hint = f" ({quoted(original)} would be read as {guess})" if guess else ""
            essay.error(line, key, f"{quoted(original)} is not a date; write it as {DATE_FORMS}{hint}")
            return
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        local = as_naive_datetime_text(value)
        offset = value.strftime("%z")
        offset = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
        essay.notice(
            line, key, f"dates carry no time zone; read as {local}, the time written in its own zone ({offset})"
        )
        replace(essay, span, quoted(local))
        value = value.replace(tzinfo=None)
    elif not isinstance(value, dt.date):
        essay.error(line, key, f"{quoted(str(original))} is not a date; write it as {DATE_FORMS}")
        return
    essay.values[key] = value


def check_draft(essay, key, value, line, span, whole):
    if isinstance(value, bool):
        essay.values[key] = value
    elif value is None:
        essay.error(line, key, "empty; write draft: true (or remove the line to publish)")
    else:
        essay.error(line, key, f"write draft: true or draft: false, not {quoted(str(value))}")


def check_redirect_from(essay, key, value, line, span, whole):
    if value is None:
        drop(essay, whole)
    elif not isinstance(value, list) or not all(isinstance(item, str) and item.startswith("/") for item in value):
        essay.error(line, key, 'use a list of old addresses starting with "/", like ["/2019/03/04/old.html"]')
    else:
        for item in value:
            try:
                url_path_file(item)
            except Refused as refused:
                essay.error(line, key, str(refused))
                return
        essay.values[key] = value


def check_jekyll(essay, key, value, line, span, whole):
    if value is None:
        return
    if not isinstance(value, dict):
        essay.error(line, key, "use a mapping of Jekyll keys, like {layout: post}")
    else:
        essay.values[key] = value


CHECKS = {
    "comma": check_comma,
    "flag": check_flag,
    "text": check_text,
    "number": check_number,
    "date": check_date,
    "draft": check_draft,
    "redirect_from": check_redirect_from,
    "jekyll": check_jekyll,
}


# -- The text under the front matter ------------------------------------------------
def markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin

    # Block structure only: headings, fences and (label)= targets.
    parser = MarkdownIt("commonmark").use(front_matter_plugin).use(myst_block_plugin).use(colon_fence_plugin)
    return parser.disable("inline")


_PARSER = None


def normalize_label(label: str) -> str:
    """A label as docutils and Sphinx compare them: lower case, spaces collapsed."""
    return " ".join(label.lower().split())


def check_body(essay: Essay, text: str, closing_line: int) -> None:
    global _PARSER
    if _PARSER is None:
        _PARSER = markdown_parser()
    tokens = _PARSER.parse(text)
    if not any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
        essay.error(
            closing_line + 1,
            "heading",
            'no "# Title" line; an essay needs one top-level heading, its title, or it is not an essay',
        )
    check_title_headings(essay, tokens)
    for token in tokens:
        if token.type == "myst_target" and token.map:
            essay.labels.append((normalize_label(token.content), token.map[0] + 1))


def check_title_headings(essay: Essay, tokens) -> None:
    """One "# Title", with text, and no raw HTML: the title is shown as text on every list and feed."""
    first = None
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h1" or not token.map:
            continue
        line = token.map[0] + 1
        content = tokens[index + 1].content if index + 1 < len(tokens) else ""
        if first is not None:
            essay.error(line, "heading", f'a second "# " heading (the title is on line {first}); an essay has one title: make this one "## "')
            continue
        first = line
        if not content.strip(" #\t"):
            essay.error(line, "heading", 'empty; write the essay\'s title after "# "')
        elif any(child.type == "html_inline" for child in inline_tokens(content)):
            essay.error(line, "heading", "raw HTML in the title; the title is text: write < as \\< or put code in `backticks`")


_INLINE = None


def inline_tokens(text: str) -> list:
    """The inline tokens of a heading's text, raw HTML recognised as MyST recognises it."""
    global _INLINE
    if _INLINE is None:
        from markdown_it import MarkdownIt

        _INLINE = MarkdownIt("commonmark")
    return [child for token in _INLINE.parseInline(text) for child in (token.children or [])]


# -- Corrections applied to what Sphinx reads ---------------------------------------
def apply_fixes(text: str, fixes: list[Fix]) -> str:
    for fix in sorted(fixes, key=lambda f: f.start, reverse=True):
        old = text[fix.start : fix.end]
        new = "" if fix.new is None else fix.new
        # Keep the line count, so that every later message keeps its line number.
        new += "\n" * (old.count("\n") - new.count("\n"))
        text = text[: fix.start] + new + text[fix.end :]
    return text


def corrected_source(text: str, path: str) -> str:
    essay = check_essay(text, path)
    return apply_fixes(text, essay.fixes) if essay.fixes else text


