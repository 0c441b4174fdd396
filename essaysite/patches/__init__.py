"""Every place the project reaches into another package's internals, one module
per patched package (docs/architecture.md, "The rule for patches")."""
