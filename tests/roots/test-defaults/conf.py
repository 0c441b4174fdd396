"""A site that leaves templates_path and html_static_path unset: Sphinx's defaults."""

project = "Defaults"
extensions = ["essaysite.features.templates", "essaysite.features.lightpages"]
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"  # essaysite's layout.html extends it
