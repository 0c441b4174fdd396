"""What a rebuild must redo and what it may keep (docs/architecture.md).

``freshness``: which pages to rewrite and which outputs to remove;
``unchanged_lists``: lists and feeds kept when nothing they show changed;
``store``: what a build keeps for the next one, keyed by the code and the
configuration. Nothing here imports a feature (tests/test_layout.py): features
answer this package's events, or leave what it needs in the build state
(``essaysite.state``: the feeds' files and essays, for instance).
"""
