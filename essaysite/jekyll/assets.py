"""Files a post uses (pictures, downloads): found in the old site and copied.

A file referenced as ``/assets/x.png`` (or ``{{ "/assets/x.png" |
relative_url }}``, or with the site's ``url`` and ``baseurl`` in front) is
looked for in the Jekyll site and copied to ``posts/images/jekyll/`` under the
same path, so that two files with the same name in different folders stay
apart. The essay then points at the copy, relative to itself.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSET_FOLDER = "images/jekyll"  # inside posts/


@dataclass
class Assets:
    root: Path  # the Jekyll site
    posts_dir: Path  # the project's posts/ folder
    copies: dict[Path, Path] = field(default_factory=dict)  # site file -> project file

    def find(self, path: str, post_file: Path | None = None) -> Path | None:
        """The site file for a site path (``/assets/x.png``), or None."""
        path = unquote(urlsplit(path).path)
        candidates = [self.root / path.lstrip("/")]
        if not path.startswith("/") and post_file is not None:
            candidates.append(post_file.parent / path)  # next to the post
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
                resolved.relative_to(self.root.resolve())
            except (OSError, ValueError):
                continue  # outside the site
            if resolved.is_file():
                return resolved
        return None

    def is_copy(self, path: str) -> bool:
        """Whether ``path`` (relative to posts/) is where a file is copied to."""
        return path.startswith(ASSET_FOLDER + "/") and (self.posts_dir / path) in self.copies.values()

    def copy(self, site_file: Path) -> str:
        """Plan the copy of ``site_file``; the path to use from an essay.

        Whitespace in a folder or file name becomes ``-``: an ``image``
        directive reads ``a b.png`` as ``ab.png``, and a Markdown address
        ends at a space.
        """
        if site_file in self.copies:
            return self.copies[site_file].relative_to(self.posts_dir).as_posix()
        rel = site_file.relative_to(self.root.resolve()).as_posix()
        safe = re.sub(r"\s+", "-", rel)
        taken = set(self.copies.values())
        dest, n = self.posts_dir / ASSET_FOLDER / safe, 2
        while dest in taken:  # `a b.png` and `a-b.png` both in one folder
            stem, ext = posixpath.splitext(safe)
            dest, n = self.posts_dir / ASSET_FOLDER / f"{stem}-{n}{ext}", n + 1
        self.copies[site_file] = dest
        return dest.relative_to(self.posts_dir).as_posix()
