"""Files a post uses (pictures, downloads): found in the old site and copied.

A file referenced as ``/assets/x.png`` (or ``{{ "/assets/x.png" |
relative_url }}``, or with the site's ``url`` and ``baseurl`` in front) is
looked for in the Jekyll site and copied to ``posts/images/jekyll/`` under the
same path, so that two files with the same name in different folders stay
apart. The essay then points at the copy, relative to itself.
"""

from __future__ import annotations

import posixpath
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

    def copy(self, site_file: Path) -> str:
        """Plan the copy of ``site_file``; the path to use from an essay."""
        rel = site_file.relative_to(self.root.resolve()).as_posix()
        dest = self.posts_dir / ASSET_FOLDER / rel
        self.copies[site_file] = dest
        return posixpath.join(ASSET_FOLDER, rel)
