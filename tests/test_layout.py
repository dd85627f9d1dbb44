"""Tests mirror the package (issue #9): acvnum/<package>/<module>.py is tested in
tests/<package>/test_<module>.py, a top-level acvnum/<module>.py in tests/test_<module>.py.

A module added without its test file fails here, unless one of the lists below says why
it has none; an entry that is no longer true (the module gone, or a code-free module's
mirror written) fails too."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

#: Package __init__ files that hold a docstring and nothing else: nothing to test.
NO_CODE = {
    "acvnum/analysis/__init__.py",
    "acvnum/calculation/__init__.py",
    "acvnum/commands/__init__.py",
    "acvnum/questionnaire/__init__.py",
    "acvnum/reference/__init__.py",
    "acvnum/report/__init__.py",
}
#: Modules whose tests live in a file of another name, and why.
TESTED_ELSEWHERE = {
    # `import acvnum` stays light and `acvnum.estimate` is the API's, imported on first use
    "acvnum/__init__.py": "tests/test_api.py",
    # the entry point, run as a real subprocess (its streams are the point)
    "acvnum/__main__.py": "tests/test_main.py",
    # the module's own docstring names this file, which keeps the French in step
    "acvnum/report/methodology.py": "tests/report/test_methodology_fr.py",
    # the module's own docstring names this file, which keeps both catalogues complete
    "acvnum/commands/help_words.py": "tests/commands/test_help.py",
}


def mirror(module: str) -> str:
    """'acvnum/report/text.py' -> 'tests/report/test_text.py'."""
    parts = Path(module).parts
    assert parts[0] == "acvnum" and module.endswith(".py"), module
    return str(Path("tests", *parts[1:-1], f"test_{parts[-1]}"))


def modules(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "acvnum").rglob("*.py"))


def missing(root: Path, excused: set[str]) -> list[str]:
    """The modules under `root`/acvnum with neither a mirrored test file nor an excuse."""
    return [m for m in modules(root) if m not in excused and not (root / mirror(m)).is_file()]


EXCUSED = NO_CODE | set(TESTED_ELSEWHERE)


def test_mirror_follows_the_package_s_folders():
    assert mirror("acvnum/report/text.py") == "tests/report/test_text.py"
    assert mirror("acvnum/files.py") == "tests/test_files.py"
    assert mirror("acvnum/questionnaire/rules.py") == "tests/questionnaire/test_rules.py"


def test_every_module_has_its_mirrored_test_file():
    assert missing(ROOT, EXCUSED) == []


def test_a_new_module_without_a_test_file_is_found(tmp_path):
    for path in ("acvnum/report/old.py", "tests/report/test_old.py"):  # mirrored
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "acvnum/report/new.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "acvnum/fresh.py").write_text("X = 1\n", encoding="utf-8")
    assert missing(tmp_path, set()) == ["acvnum/fresh.py", "acvnum/report/new.py"]


def test_no_entry_is_stale():
    known = set(modules(ROOT))
    assert EXCUSED - known == set(), "a listed module no longer exists"
    assert not NO_CODE & set(TESTED_ELSEWHERE)
    written = sorted(m for m in NO_CODE if (ROOT / mirror(m)).is_file())
    assert written == [], "its test file exists now: take it off the list"


def test_a_module_listed_as_code_free_has_only_a_docstring():
    for module in sorted(NO_CODE):
        body = ast.parse((ROOT / module).read_text(encoding="utf-8")).body
        assert len(body) <= 1, module
        assert all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) for s in body)


def test_a_module_tested_elsewhere_is_imported_or_run_by_that_file():
    for module, test in TESTED_ELSEWHERE.items():
        name = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        leaf = name.rsplit(".", 1)[-1]
        text = (ROOT / test).read_text(encoding="utf-8")
        assert f"import {leaf}" in text or f"{name}" in text, (
            module,
            test,
        )


def test_each_package_says_its_job_in_one_line():
    # the layout: "each package with a one-line docstring in its __init__.py"
    packages = sorted((ROOT / "acvnum").glob("*/__init__.py"))
    assert len(packages) == 6
    for init in packages:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "\n" not in doc, init


def test_the_architecture_page_names_every_module_under_its_package():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    index = page[page.index("## Every module") : page.index("## Where to add")]
    bullets = {}  # the package a bullet is about ("" for the top level) -> its text
    for bullet in index.split("\n- **")[1:]:
        head, _, text = bullet.partition(".**")
        bullets["" if head == "Top level" else head.strip("`/")] = text
    unnamed = []
    for module in modules(ROOT):
        path = Path(module).relative_to("acvnum")
        package = "" if len(path.parts) == 1 else path.parts[0]
        if package and path.name == "__init__.py":
            continue  # a package's own docstring (test_each_package_says_its_job_in_one_line)
        if f"`{path.name}`" not in bullets.get(package, ""):
            unnamed.append(module)
    assert unnamed == []
