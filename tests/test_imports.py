"""The package's import graph: no module imports, even inside a function, a module that
imports it back (directly or through others)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "acvnum"

#: Circles known on main and being taken apart elsewhere; none may be added. Remove an entry
#: when its circle is gone (the test only checks the found circles are among these).
KNOWN: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported(tree: ast.AST, name: str, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """acvnum modules named by the imports of `tree`, those only for type checking included:
    a type-only circle still ties the two modules' meanings together."""
    found: set[str] = set()
    nodes = [tree]
    while nodes:
        node = nodes.pop()
        nodes.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + is_package]
                base = ".".join([*anchor, *([base] if base else [])])
            found |= {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            }
    return {module for module in found if module in modules and module != name}


def import_graph() -> dict[str, set[str]]:
    """Who imports whom; the report formats' registry imports the renderers it names."""
    from acvnum.report.formats import FORMATS

    modules = _modules()
    graph = {
        name: _imported(ast.parse(path.read_text()), name, path.name == "__init__.py", modules)
        for name, path in modules.items()
    }
    graph["acvnum.report.formats"] |= {f.module for fs in FORMATS.values() for f in fs}
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = {stack.pop()}
                while node not in group:
                    group.add(stack.pop())
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def test_the_graph_sees_the_renderers_the_registry_names():
    """A renderer is imported by name (acvnum.report.formats), and counts as imported."""
    graph = import_graph()
    assert "acvnum.report.markdown" in graph["acvnum.report.formats"]
    assert "acvnum.report.formats" in graph["acvnum.commands.estimate"]


def test_circles_are_found():
    """The finder itself: a -> b -> c -> a is one circle, d (imported by a) is outside it."""
    graph = {"a": {"b", "d"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert circles(graph) == [frozenset({"a", "b", "c"})]


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "acvnum.report.text" in graph["acvnum.report.formats"]  # imported in a function
    assert "acvnum.report.tables" in graph["acvnum.report.markdown"]


def test_no_new_import_circle():
    found = circles(import_graph())
    assert not [circle for circle in found if circle not in KNOWN], found


def test_assessment_and_what_if_have_no_circle():
    """what-if validates its changed copy with questionnaire.service, not the assessment."""
    graph = import_graph()
    assert "acvnum.assessment" not in graph["acvnum.analysis.whatif"]
    assert not circles(graph)


def test_report_package_has_no_circle():
    """markdown <-> portfolio_section <-> uncertainty_section went with report/tables.py."""
    found = circles(import_graph())
    assert not [c for c in found if any(m.startswith("acvnum.report") for m in c)]


def test_the_graph_sees_imports_for_type_checking_only():
    """A type-only import ties two modules as much as any: `results` once named the
    analyses' types under TYPE_CHECKING while `budgets` imported it back."""
    source = "if TYPE_CHECKING:\n    from acvnum.errors import X\n"
    modules = {"acvnum.errors": ROOT, "acvnum.calculation.results": ROOT}
    found = _imported(ast.parse(source), "acvnum.calculation.results", False, modules)
    assert found == {"acvnum.errors"}
    graph = import_graph()
    assert "acvnum.analysis.budgets" not in graph["acvnum.calculation.results"]
