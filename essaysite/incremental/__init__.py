"""What a rebuild must redo and what it may keep (docs/architecture.md).

``freshness``: which pages to rewrite and which outputs to remove;
``unchanged_lists``: lists and feeds kept when nothing they show changed;
``store``: what a build keeps for the next one. Nothing here imports a feature:
features answer this package's events.
"""
