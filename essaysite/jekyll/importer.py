"""The whole import: read every post, plan every file, then write atomically.

Nothing is written until every post has been converted, and then only files
that are new or identical: an existing file with other content is left alone
and reported unless ``--force`` is given. A second run therefore changes
nothing, and ``--dry-run`` prints the same plan without writing.
"""

from __future__ import annotations

from essaysite.jekyll import scholar, source, writing
from essaysite.jekyll.assets import Assets
from essaysite.jekyll.convert import convert_post
from essaysite.jekyll.links import Links, by_date
from essaysite.jekyll.post import Options, Post, read_post
from essaysite.jekyll.report import Report

__all__ = ["Options", "Importer", "import_site"]


class Importer:
    def __init__(self, options: Options):
        self.options = options
        self.posts_dir = options.dest / "posts"
        self.report = Report(str(options.source), dry_run=options.dry_run)
        self.site = source.load(options.source)
        self.assets = Assets(self.site.root, self.posts_dir)
        self.links = Links(self.site, self.assets, self.posts_dir)
        self.posts: list[Post] = []

    def fail(self, file: source.SourceFile, reason: str) -> None:
        self.report.failures.append(f"{file.rel}: {reason}")

    def unify_spellings(self) -> None:
        """One spelling per tag, category and author: ABlog gives names that
        differ only in case one page (and stops at two authors spelt so)."""
        for attribute, what in (("tags", "tag"), ("categories", "category"), ("authors", "author")):
            first: dict[str, str] = {}
            for post in sorted(self.posts, key=by_date):
                values = []
                for value in getattr(post, attribute):
                    spelling = first.setdefault(value.lower(), value)
                    if spelling != value:
                        post.report.changes.append(f"{what} {value!r} written {spelling!r}, as in an earlier post")
                    values.append(spelling)
                setattr(post, attribute, list(dict.fromkeys(values)))

    def run(self) -> Report:
        for file in self.site.files:
            post = read_post(file, self.site, self.options.date)
            if isinstance(post, str):
                self.fail(file, post)
                continue
            self.posts.append(post)
            self.report.posts.append(post.report)
        self.links.assign_names(self.posts)
        self.unify_spellings()
        for post in self.posts:
            self.links.compute_urls(post)
        self.links.existing_labels(self.posts)
        for post in self.posts:
            try:
                convert_post(post, self.site, self.links)
            except Exception as error:  # noqa: BLE001 - one bad post must not stop the rest
                self.fail(post.file, f"could not be converted ({type(error).__name__}: {error}); please report this with the file")
                post.report.dest = ""
        self.posts = [p for p in self.posts if p.report.dest]
        bibliography = scholar.bibliography_folder(self.site.root, self.site.config)
        writing.write(writing.plan(self.posts, self.assets, self.options, self.report, bibliography), self.options, self.report)
        return self.report


def import_site(options: Options) -> Report:
    return Importer(options).run()
