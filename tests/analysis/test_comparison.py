"""Saved results read back (every malformed form refused with a position) and changes."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, ROOT, run_cli

from acvnum.analysis.comparison import Change, compare, load_json
from acvnum.errors import InputError

V1_RESULT = ROOT / "tests/inputs/results/minimal.v1.json"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("c")
    (folder / "s.yaml").write_text(MINIMAL, encoding="utf-8")
    out = folder / "s.json"
    assert run_cli("estimate", str(folder / "s.yaml"), "-f", "json", "-o", str(out)).returncode == 0
    return out


def test_saved_result_reads_back_as_its_figures(saved):
    (snap,) = load_json(saved)
    (data,) = json.loads(saved.read_text())["services"]
    assert (snap.name, snap.users, snap.visits) == ("Minimal", 1000, 10000)
    energy = data["criteria"]["energy"]
    assert snap.value("energy", "visit") == pytest.approx(energy["per_visit"])
    assert snap.value("energy", "user") == pytest.approx(energy["per_user"])
    assert sum(snap.tiers("energy", "visit").values()) == pytest.approx(energy["per_visit"])


def test_compare_with_itself_changes_nothing(saved):
    (snap,) = load_json(saved)
    for change in compare(snap, snap, "total"):
        assert change.value.delta == 0 and change.tiers_grown() == []


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ('{"schema_version": 1,\n  oops}', (2, 3), "not a result JSON: Expecting property name"),
        ("[1, 2]", (1, 1), "a result is a JSON object"),
        (
            '{"schema_version": 3}',
            (1, 1),
            "schema_version is 3, this acvnum reads versions 1 and 2",
        ),
        ('{"schema_version": 2}', (1, 1), "$.services should be a non-empty list"),
        ('{"schema_version": 2, "service": {}}', (1, 1), "$.services should be a non-empty list"),
        ('{"schema_version": 1}', (1, 1), "$.service is missing or not an object"),
        (
            '{"schema_version": 1, "service": {"name": "x", "users": 1, "visits": "many"}, '
            '"criteria": {}}',
            (1, 1),
            "$.service.visits should be a number, got 'many'",
        ),
        ('{"schema_version": 1, "services": []}', (1, 1), "$.services should be a non-empty"),
    ],
)
def test_malformed_results_are_located_input_errors(tmp_path, text, position, message):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == position
    assert message in problem.message


def test_missing_result_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_json(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("before", "after", "relative"),
    [(2.0, 3.0, 0.5), (2.0, 1.0, -0.5), (0.0, 0.0, 0.0), (0.0, 1.0, None)],
)
def test_relative_change(before, after, relative):
    assert Change(before, after).relative == relative


def test_a_version_1_result_reads_as_its_figures():
    """tests/inputs/results/minimal.v1.json was written by acvnum 0.1 (schema_version 1: one
    service, no envelope; its list of sources cut to two). It stays readable as a baseline."""
    (snap,) = load_json(V1_RESULT)
    data = json.loads(V1_RESULT.read_text(encoding="utf-8"))
    assert (snap.name, snap.users, snap.visits, snap.period_days) == (
        "Minimal",
        1000,
        10000,
        365.25,
    )
    for cid, criterion in data["criteria"].items():
        assert snap.value(cid, "total") == criterion["total"]
        assert snap.tiers(cid, "total") == criterion["by_tier"]
