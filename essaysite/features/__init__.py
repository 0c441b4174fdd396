"""What readers and writers see: one module per feature (feeds, series, drafts...).

Each module is a Sphinx extension with its own ``setup()``. A feature may use
``essaysite.incremental`` (to say what it shows of other essays) and
``essaysite.patches`` (for ABlog's internals), never ``essaysite.speed``.
"""
