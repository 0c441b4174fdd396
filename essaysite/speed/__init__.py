"""Build-speed machinery: each module makes the build faster and changes no byte
of its output (docs/architecture.md, "The speedup switch")."""
