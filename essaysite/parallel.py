"""Parallel reading (``sphinx-build -j auto``) with ABlog.

ABlog's ``setup()`` declares ``parallel_read_safe: False``, so ``-j N``
falls back to serial reading with a warning that ``-W`` turns into a failed
build. What ABlog collects while reading is:

- ``env.ablog_posts``: the posts of each document (``{docname: [postinfo]}``),
  which it never merges back from the reading processes: merged here, on
  ``env-merge-info``, like every other collector's data;
- a label per post in the standard domain, and ``orphan`` in the post's
  metadata: Sphinx merges both itself (the standard domain's labels and the
  metadata collector);
- collections in its ``Blog`` singleton, created only so that their labels
  exist: the main process rebuilds the singleton from ``env.ablog_posts``
  after reading (``essaysite.freshness``), so nothing made in a reading
  process is needed.

With that merge in place ABlog's reading is parallel-safe, and this module
says so in ABlog's extension metadata, which Sphinx reads only when it
decides how to read (after every ``setup()`` has run).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def merge_ablog_posts(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    theirs = getattr(other, "ablog_posts", {})
    for docname in docnames:
        if docname in theirs:
            env.ablog_posts[docname] = theirs[docname]


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    app.connect("env-merge-info", merge_ablog_posts)
    app.extensions["ablog"].parallel_read_safe = True
    return {"parallel_read_safe": True, "parallel_write_safe": True}
