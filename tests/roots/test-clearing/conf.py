"""Pages that own labels, for clearing documents before serial reading (essaysite.speed.clearing).

No ABlog post: only the standard domain's labels, and what links to them.
"""

project = "Labels"
# The search index forgets a removed page's words as on the site (essaysite.incremental.search_index).
extensions = ["myst_parser", "essaysite.speed.clearing", "essaysite.incremental.search_index"]
root_doc = "index"
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
nitpicky = True
smartquotes = False
templates_path = []
html_static_path = []
