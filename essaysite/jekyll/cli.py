"""``essays-import-jekyll``: the command line of the Jekyll importer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from essaysite.jekyll.frontmatter import FrontMatterError, parse_date
from essaysite.jekyll.importer import Options, import_site
from essaysite.jekyll.source import SiteError

DESCRIPTION = """\
Import a Jekyll blog into the essay site: every post of SRC's _posts/ and
_drafts/ becomes a MyST essay in posts/, the pictures it uses are copied to
posts/images/jekyll/, and every old URL is added to redirects.json. SRC may
also be a single post file (give --date if its file name has none).
Existing files are never overwritten without --force; a second run changes
nothing. The report lists every post, every change and everything that
could not be converted; the exit status is 1 only when something failed."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="essays-import-jekyll", description=DESCRIPTION)
    p.add_argument("source", metavar="SRC", type=Path, help="the Jekyll site's folder, or one post file")
    p.add_argument("--dest", type=Path, default=Path("."), help="the essay site's folder (default: the current folder)")
    p.add_argument("--date", help="the date of a single post whose file name has none (2026-11-24)")
    p.add_argument("--force", action="store_true", help="overwrite existing files that differ")
    p.add_argument("--dry-run", action="store_true", help="show the plan and the report, write nothing")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.date:
        try:
            parse_date(args.date, None)
        except FrontMatterError:
            print(f"essays-import-jekyll: --date {args.date!r} is not a date; write it as 2026-11-24", file=sys.stderr)
            return 2
    if not (args.dest / "conf.py").is_file():
        print(f"essays-import-jekyll: {args.dest}: not the essay site (no conf.py); run it from the site's folder or give --dest", file=sys.stderr)
        return 2
    try:
        report = import_site(Options(args.source, args.dest, args.date, args.force, args.dry_run))
    except SiteError as error:
        print(f"essays-import-jekyll: {error}", file=sys.stderr)
        return 2
    print(report.format())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
