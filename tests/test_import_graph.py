"""The modules of ``geo/`` import each other without a cycle.

The graph is read from the source with ``ast``, so it holds every import: module level,
under ``if TYPE_CHECKING:`` and inside functions. A cycle, even one that only type checkers
or a late import follow, means two modules cannot be understood (or moved) one at a time.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def geo_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GEO.rglob("*.py"))}


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """Return the geo module that ``name`` (a module or a name in one) refers to, if any."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the geo modules that ``module`` imports anywhere in its source."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            # "from geo import style" imports the module geo.style, not only the package.
            targets = [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]
        for target in targets:
            resolved = resolve(target, modules)
            if resolved is not None and resolved != module:
                found.add(resolved)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = geo_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle as ``[a, b, …, a]``, or None when the graph has none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_type_checking_and_function_level_imports():
    graph = import_graph()
    # geo.io imports geo.registry only for a type annotation; geo.store.commands imports
    # geo.store.core inside a function.
    assert "geo.registry" in graph["geo.io"]
    assert "geo.store.core" in graph["geo.store.commands"]


def test_geo_modules_import_each_other_without_a_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle in geo/: " + " -> ".join(cycle or [])


def test_problem_and_read_json_live_in_leaf_modules():
    graph = import_graph()
    assert graph["geo.problems"] == set()
    assert graph["geo.errors"] <= {"geo.problems"}
    assert graph["geo.jsonfile"] <= {"geo.errors", "geo.problems"}
