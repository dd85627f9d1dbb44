"""Bad input: one located message per problem, exit code 2, never a traceback.

Every case of the issue has a file under tests/inputs/bad/ and a golden message.
"""

from pathlib import Path

import pytest
from conftest import ROOT, assert_golden, run_cli

from acvnum.loading import InputError, load_yaml, parse_yaml

BAD = ROOT / "tests" / "inputs" / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_a_located_message(case):
    result = run_cli("estimate", f"tests/inputs/bad/{case}.yaml")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"tests/inputs/bad/{case}.yaml:")
    assert_golden(f"errors/{case}.txt", result.stderr)


def test_missing_file(tmp_path):
    result = run_cli("estimate", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("nowhere.yaml:1:1: file not found")


def test_directory_without_questionnaires(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("estimate", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty:1:1: is a directory with no questionnaire" in result.stderr


def test_a_directory_given_to_the_loader_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a YAML file"):
        load_yaml(tmp_path)


def test_marks_point_at_keys_and_items():
    document = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n", "f.yaml")
    assert document.marks[("a", "b")] == (2, 3)
    assert document.marks[("a", "c", 1)] == (5, 7)
    assert document.locate(("a", "c", 1, "missing")) == (5, 7)


def test_anchors_within_the_limit_are_allowed():
    document = parse_yaml("a: &x {k: 1}\nb: *x\n", "f.yaml")
    assert document.data == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\n<<: {b: 2}\n", "merge keys"),
        ("? [1, 2]\n: x\n", "a key must be a plain word"),
        ("a: !custom 1\n", "YAML tag '!custom' is not allowed"),
    ],
)
def test_oddities_are_refused(text, message):
    with pytest.raises(InputError, match=message):
        parse_yaml(text, "f.yaml")


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Boutique \xe9t\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_yaml(path)
