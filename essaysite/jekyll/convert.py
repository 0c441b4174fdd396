"""One post converted: Liquid, then kramdown (or HTML), then the front matter.

The essay's text starts with its front matter and its title as ``#``
heading; section headings start at ``##`` and never skip a level, and the
excerpt separator becomes the number of paragraphs of the excerpt.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from essaysite.jekyll import frontmatter, kramdown, liquid, shortcodes, source
from essaysite.jekyll.html import convert_html
from essaysite.jekyll.kramdown_syntax import FENCE, Context as KramdownContext
from essaysite.jekyll.links import Links
from essaysite.jekyll.myst_links import point_links
from essaysite.jekyll.post import Post
from essaysite.jekyll.report import Loss

EXCERPT_MARK = "\x00EXCERPT\x00"
# C0 controls but tab and newline, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
CONSUMED = {"title", "date", "categories", "category", "tags", "tag", "published", "layout", "image", "author", "comments", "redirect_from", "excerpt_separator", "slug"}


def convert_post(post: Post, site: source.Site, links: Links) -> None:
    """The essay's text (front matter and MyST) in ``post.text``; what changed in its report."""
    body = post.body
    separator = post.front.get("excerpt_separator") or site.config.get("excerpt_separator")
    if separator and separator in body and separator != "\n\n":
        body = body.replace(separator, f"\n\n{EXCERPT_MARK}\n\n", 1)
    page = dict(post.front, title=post.title)
    if post.date and not page.get("date"):
        page["date"] = post.date.shown.isoformat(sep=" ")
    lctx = liquid.Context(site.config, page, site.includes, lambda n: links.resolve_post(n, post) or links.resolve_site_file(n))
    body = liquid.convert(body, lctx, html=post.html)
    changes, problems = list(lctx.changes), list(lctx.problems)
    jemoji = shortcodes.uses_jemoji(site.config)

    def note(message: str) -> None:
        if message not in changes:
            changes.append(message)

    def with_emoji(text: str) -> str:
        """jemoji's shortcodes in the title or in HTML, when the site uses jemoji (prose: kramdown_inline)."""
        if not jemoji:
            return text
        return shortcodes.convert(text, lambda kind, message, snippet: problems.append(Loss(kind, message, snippet)), note)

    if post.html:
        body, html_notes = convert_html(body, lambda u, p: links.resolve_url(u, p, post))
        problems.extend(html_notes)
        body = with_emoji(body)
        body = "```{raw} html\n" + body.strip("\n") + "\n```\n"
        changes.append("HTML post kept as HTML")
    else:
        renamed: dict[str, str] = {}

        def html_block(text: str) -> str:
            converted, notes = convert_html(text, lambda u, p: links.resolve_url(u, p, post))
            problems.extend(notes)
            return with_emoji(converted)

        kctx = KramdownContext(lambda u, p: links.resolve_url(u, p, post), lambda i: links.label(i, post, renamed), html_block, emoji=jemoji)
        body = kramdown.convert(body, kctx)
        body = point_links(body, lambda u: links.resolve_url(u, False, post), kctx.lose)
        for old, new in renamed.items():
            body = body.replace(f"](#{old})", f"](#{new})")
        changes.extend(c for c in kctx.changes if c not in changes)
        problems.extend(kctx.problems)
        body, shifted = shift_headings(body)
        if shifted:
            changes.append(shifted)
    excerpt = None
    if EXCERPT_MARK in body:
        before, _, _ = body.partition(EXCERPT_MARK)
        excerpt = count_paragraphs(before)
        body = re.sub(r"\n*" + re.escape(EXCERPT_MARK) + r"\n*", "\n\n", body)
        changes.append(f"excerpt separator: the excerpt is the first {excerpt} paragraph(s)")
    title = with_emoji(post.title)
    body = remove_control_characters(body, post, problems)
    post.report.changes.extend(changes)
    post.report.not_converted.extend(problems)
    front = front_matter(post, excerpt, body, links)
    body = re.sub(r"\n{3,}", "\n\n", body.strip("\n"))
    post.text = frontmatter.to_yaml(front) + f"\n# {title}\n\n{body}\n"
    locate(post)


def front_matter(post: Post, excerpt: int | None, body: str, links: Links) -> dict:
    """The essay's front matter (see ``frontmatter``'s docstring for the keys)."""
    src = post.front
    out: dict = {}
    kept: dict = {}
    if post.date:
        out["date"] = frontmatter.format_date(post.date)
        if post.date.offset_dropped:
            kept["date"] = str(src["date"])
    if post.tags:
        out["tags"] = ", ".join(post.tags) if not any("," in t for t in post.tags) else post.tags
    if post.categories:
        out["category"] = ", ".join(dict.fromkeys(post.categories))
    if post.authors:
        out["author"] = ", ".join(post.authors)
    if isinstance(src.get("author"), dict) and post.authors:
        kept["author"] = src["author"]
    if excerpt:
        out["excerpt"] = excerpt
    if post.draft:
        out["draft"] = True
    if "comments" in src and frontmatter.is_false(src["comments"]):
        out["nocomments"] = ""
    image = src.get("image")
    if isinstance(image, dict):
        image = image.get("path") or image.get("feature") or image.get("url")
    if image:
        resolved = links.resolve_url(str(image), True, post)
        if resolved.kind == "file":
            out["cover"] = resolved.target
            alt = re.search(r"^:alt: (.*)$", body.split(resolved.target, 1)[1], re.M) if resolved.target in body else None
            out["cover_alt"] = alt.group(1) if alt else post.title
            post.report.changes.append(f"image {image} is the cover picture")
        else:
            kept["image"] = src["image"]
            post.report.not_converted.append(Loss("picture", f"cover picture {image} not found: kept under jekyll.image", "image:"))
    elif "image" in src:
        kept["image"] = src["image"]
    redirect_from = src.get("redirect_from")
    if redirect_from:
        out["redirect_from"] = [redirect_from] if isinstance(redirect_from, str) else list(redirect_from)
    if isinstance(src.get("excerpt"), str) and src["excerpt"].strip():
        kept["excerpt"] = src["excerpt"]
        post.report.not_converted.append(Loss("front matter", "custom excerpt text kept under jekyll.excerpt (lists show the first paragraph)", "excerpt:"))
    for key, value in src.items():
        if key in CONSUMED or key == "excerpt":
            continue
        kept[key] = value
    if "layout" in src:
        post.report.changes.append(f"layout: {src['layout']} dropped (the site has one layout)")
    if kept:
        out["jekyll"] = kept
        post.report.changes.append(f"kept under jekyll: {', '.join(kept)}")
    return out


def remove_control_characters(body: str, post: Post, losses: list[Loss]) -> str:
    """No control character reaches the essay (a reader would see a box or nothing)."""
    for char in sorted(set(CONTROL.findall(body))):
        for match in re.finditer(re.escape(char), post.body):
            losses.append(Loss("control", f"control character U+{ord(char):04X} removed", snippet=f"\x00at {match.start()}"))
        if char not in post.body:  # made by the import itself: a bug to report
            losses.append(Loss("control", f"control character U+{ord(char):04X} removed (please report this with the file)"))
    return CONTROL.sub("", body)


def locate(post: Post) -> None:
    """The line of the post's file that each loss is about: its snippet's next occurrence."""
    text, body_start = post.source_text, len(post.source_text) - len(post.body)
    after: dict[str, int] = {}
    for loss in post.report.not_converted:
        if loss.line or not loss.snippet:
            continue
        if loss.snippet.startswith("\x00at "):  # a position in the body
            pos = body_start + int(loss.snippet[len("\x00at ") :])
        else:
            pos = text.find(loss.snippet, after.get(loss.snippet, body_start))
            if pos < 0:
                pos = text.find(loss.snippet)
            if pos < 0:
                continue
            after[loss.snippet] = pos + 1
        loss.line = text.count("\n", 0, pos) + 1


def shift_headings(text: str) -> tuple[str, str | None]:
    """Section headings start at ``##`` (the title is ``#``) and never skip a level."""
    lines = text.split("\n")
    fence = None
    headings = []
    for n, line in enumerate(lines):
        match = FENCE.match(line)
        if fence:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group("fence")
            continue
        heading = re.match(r"^(#{1,6})[ \t]", line)
        if heading:
            headings.append((n, len(heading.group(1))))
    if not headings:
        return text, None
    shift = 2 - min(level for _, level in headings)
    previous, changed = 1, False
    for n, level in headings:
        new = min(max(level + shift, 2), previous + 1, 6)
        if new != level:
            changed = True
            lines[n] = "#" * new + lines[n][level:]
        previous = new
    return "\n".join(lines), ("section headings re-levelled under the title" if changed else None)


def count_paragraphs(text: str) -> int:
    """Paragraphs ABlog will count, in the MyST ``text`` before the excerpt separator."""
    # Labels, comments and attribute lines are MyST syntax, not paragraphs.
    text = re.sub(r"^(\(.*\)=|%.*|\{[#.].*\})[ \t]*$", "", text, flags=re.M)
    md = MarkdownIt("commonmark").enable("table")
    return max(1, sum(1 for token in md.parse(text) if token.type == "paragraph_open"))
