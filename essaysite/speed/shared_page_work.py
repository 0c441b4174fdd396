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
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx

import sphinx.builders.html as html_builder
from sphinx.highlighting import PygmentsBridge

_checksum = html_builder._file_checksum
_make_formatter = PygmentsBridge.get_formatter
_checksums: dict = {}
_formatters: dict = {}


def file_checksum(outdir, filename) -> str:
    key = (os.fspath(outdir), os.fspath(filename))
    if key not in _checksums:
        _checksums[key] = _checksum(outdir, filename)
    return _checksums[key]


def get_formatter(bridge: PygmentsBridge, **kwargs):
    try:
        key = (id(bridge), repr(sorted(kwargs.items())))
    except TypeError:  # options that cannot be ordered: a formatter of their own
        return _make_formatter(bridge, **kwargs)
    if key not in _formatters:
        _formatters[key] = (bridge, _make_formatter(bridge, **kwargs))  # the bridge kept alive: its id stays its own
    return _formatters[key][1]


def start_afresh(app: Sphinx) -> None:
    _checksums.clear()
    _formatters.clear()


def setup(app: Sphinx) -> dict:
    if html_builder._file_checksum is _checksum:
        html_builder._file_checksum = file_checksum
    if PygmentsBridge.get_formatter is _make_formatter:
        PygmentsBridge.get_formatter = get_formatter
    app.connect("builder-inited", start_afresh)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
