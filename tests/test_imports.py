"""The package's import graph: no module imports, even inside a function, a module that
imports it back (directly or through others); each module imports, when it is imported, only
from its own leg of the data's trip or one before it (docs/architecture.md); and an import
inside a function says why it waits."""

from __future__ import annotations

import ast
import io
import tokenize
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


# Imports inside functions (issue 9: "only where it saves start-up time, with a comment
# saying so").


def _comment_lines(source: str) -> tuple[set[int], set[int]]:
    """The lines holding a comment, and those holding nothing but one."""
    anywhere, alone = set(), set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            anywhere.add(token.start[0])
            if not token.line[: token.start[1]].strip():
                alone.add(token.start[0])
    return anywhere, alone


def unexplained_imports(source: str) -> list[tuple[str, str, int]]:
    """(function, module imported, line) of each import inside a function that says nothing
    of why it waits. The rule: the import has a comment at the end of one of its lines or
    on the line just above it; an import right below an explained one (no line between) is
    explained with it, as one group; or the function it is in has a docstring that speaks of
    importing ("imported only when used"). Whether the words are right is the reviewer's."""
    anywhere, alone = _comment_lines(source)
    found = []

    def visit(statements: list[ast.stmt], function: ast.FunctionDef | None) -> None:
        previous: tuple[bool, int] | None = None  # (explained, last line) of the import above
        for node in statements:
            if function is not None and isinstance(node, ast.Import | ast.ImportFrom):
                end = node.end_lineno or node.lineno
                explained = (
                    any(line in anywhere for line in range(node.lineno, end + 1))
                    or node.lineno - 1 in alone
                    or previous == (True, node.lineno - 1)
                    or "import" in (ast.get_docstring(function) or "").lower()
                )
                if not explained:
                    module = node.module if isinstance(node, ast.ImportFrom) else None
                    found.append((function.name, module or node.names[0].name, node.lineno))
                previous = explained, end
                continue
            previous = None
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(node.body, node)  # type: ignore[arg-type]
                continue
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(node, field, []), function)
            for inner in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                visit(inner.body, function)

    visit(ast.parse(source).body, None)
    return found


def test_an_import_inside_a_function_is_found_unless_it_says_why():
    """The finder itself, on each way of saying why and on what says nothing."""
    source = (
        "import os\n"  # module level: never asked
        "def bare():\n"
        "    import json\n"
        "def trailing():\n"
        "    import json  # only for --format json\n"
        "def above():\n"
        "    if True:\n"
        "        # only for --format json\n"
        "        import json\n"
        "        import csv\n"  # the group below an explained import
        "        x = 1\n"
        "        import zlib\n"  # a statement between: a group of its own
        "def gap():\n"
        "    # a comment, then a blank line\n"
        "\n"
        "    import json\n"
        "def told():\n"
        '    """Imported here: only for --format json."""\n'
        "    import json\n"
        "def outer():\n"
        '    """Imported here, for itself: not for its inner function."""\n'
        "    def inner():\n"
        "        import json\n"  # the inner function's docstring counts, not the outer's
        "def handlers():\n"
        "    try:\n"
        "        pass\n"
        "    except ImportError:\n"
        "        import textwrap\n"
        "    s = '# not a comment'\n"
        "    import math\n"
    )
    assert unexplained_imports(source) == [
        ("bare", "json", 3),
        ("above", "zlib", 12),
        ("gap", "json", 16),
        ("inner", "json", 23),
        ("handlers", "textwrap", 28),
        ("handlers", "math", 30),
    ]


def test_every_import_inside_a_function_says_why_it_waits():
    found = {
        (str(path.relative_to(PACKAGE)), function, module, line)
        for path in sorted(PACKAGE.rglob("*.py"))
        for function, module, line in unexplained_imports(path.read_text(encoding="utf-8"))
    }
    new = sorted(found)
    assert not new, "imported inside a function with no comment saying why: " + ", ".join(
        f"acvnum/{path}:{line} ({module}, in {function})" for path, function, module, line in new
    )


# The packages' layering (docs/architecture.md, "Layers").

#: The legs of the data's trip, lowest first. A module belongs to the longest entry its name
#: is or starts with ("acvnum" only to the package's own __init__); what it imports when it
#: is imported may come from its own entry or from a leg before its own, never from another
#: entry of its leg nor from a later leg. questionnaire.units is the one module below its
#: package: units of measure, which i18n (a value's unit) and reference.defaults (years and
#: hours in seconds) read.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("acvnum",),
    ("acvnum.words",),
    ("acvnum.errors",),
    ("acvnum.files", "acvnum.escaping"),
    ("acvnum.questionnaire.units",),
    ("acvnum.i18n",),
    ("acvnum.reference",),
    ("acvnum.questionnaire",),
    ("acvnum.calculation",),
    ("acvnum.analysis",),
    ("acvnum.assessment",),
    ("acvnum.report",),
    ("acvnum.api", "acvnum.commands"),
    ("acvnum.cli",),
    ("acvnum.__main__",),
)


def _entry(module: str) -> tuple[int, str]:
    """The leg and entry of LAYERS `module` belongs to."""
    found = [
        (len(entry), leg, entry)
        for leg, entries in enumerate(LAYERS)
        for entry in entries
        if module == entry or (entry != "acvnum" and module.startswith(entry + "."))
    ]
    assert found, f"{module} is in no leg of LAYERS: place it there and in the docs"
    _, leg, entry = max(found)
    return leg, entry


def _type_checking(test: ast.expr) -> bool:
    return ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def module_level(tree: ast.Module) -> ast.Module:
    """The imports a module runs when it is imported: not those inside a function, nor those
    under `if TYPE_CHECKING:` (a class body runs, so its imports count)."""
    kept: list[ast.stmt] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                kept.append(node)
            elif isinstance(node, ast.If) and _type_checking(node.test):
                visit(node.orelse)
            elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []))
                for inner in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                    visit(inner.body)

    visit(tree.body)
    return ast.Module(body=kept, type_ignores=[])


def breaches(graph: dict[str, set[str]]) -> list[str]:
    """'importer -> imported' for each import of `graph` that LAYERS does not allow."""
    found = []
    for module, imported in sorted(graph.items()):
        leg, entry = _entry(module)
        for other in sorted(imported):
            other_leg, other_entry = _entry(other)
            if other_entry != entry and other_leg >= leg:
                found.append(f"{module} -> {other}")
    return found


def module_level_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: _imported(
            module_level(ast.parse(path.read_text(encoding="utf-8"))),
            name,
            path.name == "__init__.py",
            modules,
        )
        for name, path in modules.items()
    }


def test_module_level_imports_leave_out_functions_and_type_checking():
    source = (
        "import acvnum.report\n"
        "if TYPE_CHECKING:\n"
        "    import acvnum.cli\n"
        "else:\n"
        "    import acvnum.api\n"
        "try:\n"
        "    import acvnum.words\n"
        "except ImportError:\n"
        "    import acvnum.errors\n"
        "class C:\n"
        "    import acvnum.files\n"
        "    def f(self):\n"
        "        import acvnum.assessment\n"
        "def g():\n"
        "    import acvnum.analysis\n"
    )
    kept = module_level(ast.parse(source))
    assert [alias.name for node in kept.body for alias in node.names] == [
        "acvnum.report",
        "acvnum.api",
        "acvnum.words",
        "acvnum.errors",
        "acvnum.files",
    ]


def test_the_layering_check_refuses_a_later_leg_and_a_neighbour():
    """Upwards (reference read the questionnaire's rules before reference/devices.py) and
    sideways (api and commands share a leg) are refused; downwards, within an entry, and
    questionnaire.units below i18n are allowed."""
    graph = {
        "acvnum.reference.defaults": {"acvnum.questionnaire.rules", "acvnum.reference.factors"},
        "acvnum.api": {"acvnum.commands.common", "acvnum.assessment"},
        "acvnum.i18n": {"acvnum.questionnaire.units", "acvnum.words"},
        "acvnum.questionnaire.rules": {"acvnum.i18n", "acvnum.questionnaire.units"},
        "acvnum.questionnaire.units": {"acvnum.errors"},
        "acvnum.__main__": {"acvnum"},
    }
    assert breaches(graph) == [
        "acvnum.api -> acvnum.commands.common",
        "acvnum.reference.defaults -> acvnum.questionnaire.rules",
    ]


def test_each_module_imports_only_from_its_own_leg_or_those_before_it():
    graph = module_level_graph()
    # rules names its records only for type checking; i18n reads the units when imported
    assert "acvnum.questionnaire.records" not in graph["acvnum.questionnaire.rules"]
    assert "acvnum.questionnaire.units" in graph["acvnum.i18n"]
    assert not breaches(graph)
