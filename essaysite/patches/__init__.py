"""Every place the project reaches into another package's internals, one module
per patched package: ``sphinx``, ``myst``, ``ablog``, ``pydata_theme``,
``opengraph``. ``guard`` is the rule each follows: the versions it was written
against, a check of what it replaces before it replaces it, the stock
behaviour and one warning line (``essays.patch``) when the check fails, and
replacements applied per build, undone at ``build-finished``
(docs/performance.md, "Patches of other packages").

Nothing else in ``essaysite`` imports ``ablog`` or another package's private
names; features and speedups call the functions of these modules.
"""
