"""`acvnum validate`: OK per good file, every problem of every bad file with its position."""

from __future__ import annotations

from conftest import EXAMPLES, MINIMAL, ROOT, assert_golden, run_cli

BAD = ROOT / "tests" / "inputs" / "bad"


def test_every_example_is_valid():
    result = run_cli("validate", str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    assert [line.rsplit("/", 1)[-1] for line in result.stdout.splitlines()] == [
        f"{name}: OK" for name in names
    ]


def test_problems_of_all_files_are_listed_together():
    result = run_cli(
        "validate", "tests/inputs/bad/many_errors.yaml", "tests/inputs/bad/unknown_key.yaml"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert_golden("validate_many_errors.txt", result.stderr)


def test_one_bad_file_fails_the_run_but_names_only_its_problems(write_yaml):
    good = write_yaml(MINIMAL, "good.yaml")
    bad = write_yaml(MINIMAL.replace("FRA", "XYZ"), "bad.yaml")
    result = run_cli("validate", str(good), str(bad))
    assert result.returncode == 2
    assert f"{bad}:11:3: usage.location: unknown country or region 'XYZ'" in result.stderr
    assert str(good) not in result.stderr


def test_missing_file_is_a_located_problem(tmp_path):
    result = run_cli("validate", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{tmp_path / 'absent.yaml'}:1:1: file not found")
