"""The package's layout: no import cycle, no module over 400 lines, few modules at the top.

Every module of ``essaysite`` is parsed (not imported) and its imports read:
those at the top and those inside functions alike, ``import essaysite.x``,
``from essaysite.x import y`` (an edge to ``essaysite.x.y`` when that is a
module, else to ``essaysite.x``) and relative imports. A cycle in that graph
fails the test with the modules in it, in import order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGE = ROOT / "essaysite"
MAX_LINES = 400
MAX_TOP_MODULES = 12


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The package's modules that the module ``name`` imports, anywhere in its code."""

    def existing(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [existing(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else existing(source) for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t and t != name)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {
        name: imported(ast.parse(path.read_text(encoding="utf-8"), str(path)), name, path.name == "__init__.py", known)
        for name, path in found.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path, first module repeated at the end) per strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [path_within(graph, group) for group in groups]


def path_within(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A cycle through the group's first module, found breadth first."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return sorted(group)


def test_the_graph_sees_imports_inside_functions():
    """The graph has the edges it must have: otherwise "no cycle" would prove nothing."""
    graph = import_graph()
    # At the top of the module ("from essaysite.incremental import store": a module)...
    assert "essaysite.incremental.store" in graph["essaysite.incremental.freshness"]
    # ... and inside a function (reading_time.add_to_post_lists).
    assert "essaysite.incremental.freshness" in graph["essaysite.features.reading_time"]


def test_cycle_finder_names_a_hidden_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    tree = ast.parse("def f():\n    from essaysite.x import y\n")
    assert imported(tree, "essaysite.z", False, {"essaysite.x", "essaysite.x.y", "essaysite.z"}) == {"essaysite.x.y"}
    assert imported(tree, "essaysite.z", False, {"essaysite.x", "essaysite.z"}) == {"essaysite.x"}


def test_no_import_cycle():
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


# What each folder may not import (docs/architecture.md, "The folders"). Features
# may use speed.forked (work dealt out to processes; serial with the speedups off)
# and nothing else of speed.
FORBIDDEN = {
    "essaysite.incremental": ("essaysite.features", "essaysite.speed", "essaysite.cli", "essaysite.jekyll"),
    "essaysite.speed": ("essaysite.features", "essaysite.incremental", "essaysite.cli", "essaysite.jekyll"),
    "essaysite.patches": ("essaysite.features", "essaysite.incremental", "essaysite.speed", "essaysite.cli", "essaysite.jekyll"),
    "essaysite.features": ("essaysite.cli", "essaysite.jekyll"),
    "essaysite.frontmatter": ("essaysite.features", "essaysite.incremental", "essaysite.speed", "essaysite.patches", "essaysite.cli"),
    "essaysite.jekyll": ("essaysite.features", "essaysite.incremental", "essaysite.speed", "essaysite.patches", "essaysite.cli"),
}
FEATURES_MAY_USE_OF_SPEED = {"essaysite.speed", "essaysite.speed.forked"}


def test_incremental_never_imports_a_feature():
    """Features answer the incremental package's events, or leave what it needs in the build state."""
    graph = import_graph()
    wrong = sorted(
        (name, target)
        for name, targets in graph.items()
        if name.startswith("essaysite.incremental")
        for target in targets
        if target.startswith("essaysite.features")
    )
    assert wrong == []


def test_each_folder_imports_only_what_its_role_allows():
    graph = import_graph()
    wrong = sorted(
        (name, target)
        for name, targets in graph.items()
        for folder, forbidden in FORBIDDEN.items()
        if name == folder or name.startswith(folder + ".")
        for target in targets
        if target.startswith(forbidden)
        or (folder == "essaysite.features" and target.startswith("essaysite.speed") and target not in FEATURES_MAY_USE_OF_SPEED)
    )
    assert wrong == [], "imports against docs/architecture.md: " + ", ".join(f"{a} -> {b}" for a, b in wrong)


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_is_at_most_400_lines(name):
    path = modules()[name]
    relpath = path.relative_to(ROOT).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relpath} has {lines} lines"


def test_few_modules_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_no_state_hung_on_the_application():
    """Build state lives in essaysite.state, not in private attributes of the Sphinx application."""
    hung = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and ast.unparse(node.value).split(".")[-1] in {"app", "_app"}:
                if node.attr.startswith(("_essays", "_essaysite", "_sitemap")) or node.attr == "__dict__":
                    hung.append(f"{name}:{node.lineno} app.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"getattr", "hasattr", "setattr"}:
                args = node.args
                on_app = len(args) >= 2 and ast.unparse(args[0]).split(".")[-1] in {"app", "_app"}
                if on_app and isinstance(args[1], ast.Constant) and str(args[1].value).startswith(("_essays", "_essaysite", "_sitemap")):
                    hung.append(f"{name}:{node.lineno} {node.func.id}(..., {args[1].value!r})")
    assert hung == []
