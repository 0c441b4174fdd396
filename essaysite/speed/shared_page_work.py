"""Work Sphinx repeats for every page, done once per build.

- **Asset checksums.** Each stylesheet and script link carries a checksum of
  its file (``?v=1a2b3c4d``). Sphinx caches the checksum of a file, but to
  find the file it first resolves the link's path on the disk, component by
  component, for every link of every page: some 12,000 resolutions and
  130,000 ``lstat`` calls for 1,500 pages. The files are copied before the
  first page is written and not touched afterwards, so the checksum of each
  link is kept for the build.
- **Pygments formatters.** Sphinx makes a new HTML formatter for every code
  block, and each one builds the style's whole stylesheet first (about
  0.4 ms). A formatter keeps nothing from one block to the next, so one is
  made for each set of options and used again.

Both are kept only for the build that made them (``builder-inited`` starts
afresh). The pages are the same bytes as without them: the checksums are
those of the files (tests/test_essay.py), the formatter's options are
those asked for.

The two replacements (``essaysite.patches.sphinx.FILE_CHECKSUM`` and
``PYGMENTS_FORMATTER``) are applied per build, only with ``essays_speedups``
on, and undone when the build finishes.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.highlighting import PygmentsBridge

from essaysite.patches.sphinx import FILE_CHECKSUM, PYGMENTS_FORMATTER
from essaysite.speed import speedups_on

_checksums: dict = {}
_formatters: dict = {}


def file_checksum(outdir, filename) -> str:
    key = (os.fspath(outdir), os.fspath(filename))
    if key not in _checksums:
        _checksums[key] = FILE_CHECKSUM.stock()(outdir, filename)
    return _checksums[key]


def get_formatter(bridge: PygmentsBridge, **kwargs):
    try:
        key = (id(bridge), repr(sorted(kwargs.items())))
    except TypeError:  # options that cannot be ordered: a formatter of their own
        return PYGMENTS_FORMATTER.stock()(bridge, **kwargs)
    if key not in _formatters:
        _formatters[key] = (bridge, PYGMENTS_FORMATTER.stock()(bridge, **kwargs))  # the bridge kept alive: its id stays its own
    return _formatters[key][1]


def start_afresh(app: Sphinx) -> None:
    _checksums.clear()
    _formatters.clear()


def setup(app: Sphinx) -> dict:
    app.setup_extension("essaysite.speed")
    if speedups_on(app):
        FILE_CHECKSUM.apply(app, lambda original: file_checksum)
        PYGMENTS_FORMATTER.apply(app, lambda original: get_formatter)
        app.connect("builder-inited", start_afresh)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
