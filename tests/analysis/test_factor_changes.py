"""Versioned method: a result records its factors, and comparisons name the ones that changed
(so that a factor update is not mistaken for a regression of the service)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_cli

from acvnum.analysis.comparison import Snapshot, factor_changes
from acvnum.reference.factors import load_factors

EXAMPLE = str(ROOT / "examples" / "ecommerce.yaml")
SERVER = "server.physical.climate_change"


def snapshot(values: dict[str, float] | None) -> Snapshot:
    return Snapshot("s", "s.yaml", 1, 1, {}, factor_values=values)


def test_changes_are_listed_largest_first_added_and_removed_last():
    a = snapshot({"x": 1.0, "y": 2.0, "w": 4.0, "gone": 1.0})
    b = snapshot({"x": 1.0, "y": 3.0, "w": 3.0, "new": 5.0})
    changes = factor_changes(a, b)
    # y: 2 -> 3 is +50 %, w: 4 -> 3 is -25 %, then the factors only one side has
    assert [c.id for c in changes] == ["y", "w", "gone", "new"]
    assert changes[0].relative == pytest.approx(0.5)
    assert changes[1].relative == pytest.approx(-0.25)
    assert changes[2].after is None and changes[3].before is None


def test_a_side_that_does_not_record_its_factors_says_nothing():
    assert factor_changes(snapshot(None), snapshot({"x": 1.0})) is None
    assert factor_changes(snapshot({"x": 1.0}), snapshot({"x": 1.0})) == []


@pytest.fixture
def baseline(tmp_path):
    """A result saved with the shipped factors, and a factor table that changes one number."""
    result = run_cli("estimate", EXAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "baseline.json"
    saved.write_text(result.stdout, encoding="utf-8")
    row = next(
        line
        for line in (ROOT / "factors" / "datacenter.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith(SERVER + ",")
    )
    value = load_factors()[SERVER].value
    mine = tmp_path / "mine.csv"
    header = "id,value,low,high,unit,source,year,licence,note\n"
    mine.write_text(header + row.replace(f",{value:g},", f",{value * 1.25:g},", 1) + "\n")
    return saved, mine


def test_a_result_records_every_factor_value_and_the_versions(baseline):
    saved, _ = baseline
    document = json.loads(saved.read_text(encoding="utf-8"))
    table = load_factors()
    assert document["factors"]["values"] == pytest.approx(table.central_values)
    assert document["factors"]["version"] and document["method"]["version"]


def test_check_against_a_baseline_names_the_factor_that_changed(baseline):
    saved, mine = baseline
    args = ("check", EXAMPLE, "--baseline", str(saved), "--factors", str(mine))
    text = run_cli(*args)
    assert SERVER in text.stdout and "(+25.0\u00a0%)" in text.stdout
    document = json.loads(run_cli(*args, "--format", "json").stdout)
    (changed,) = document["services"][0]["check"]["baseline"]["factors"]["changed"]
    # the server's carbon raised by a quarter: +25 %, nothing else changed
    assert changed["id"] == SERVER and changed["change_pct"] == pytest.approx(25.0)


def test_diff_names_the_factor_that_changed(baseline):
    saved, mine = baseline
    document = json.loads(
        run_cli("diff", str(saved), EXAMPLE, "--factors", str(mine), "--format", "json").stdout
    )
    (changed,) = document["factors"]["changed"]
    assert changed["id"] == SERVER and changed["change_pct"] == pytest.approx(25.0)
    markdown = run_cli("diff", str(saved), EXAMPLE, "--factors", str(mine), "--format", "markdown")
    assert f"{SERVER} 1,406 → 1,758 (+25.0\u00a0%)" in markdown.stdout


def test_two_questionnaires_under_the_same_factors_show_no_note():
    result = run_cli("diff", EXAMPLE, str(ROOT / "examples" / "mobile-app.yaml"))
    assert "Factor values differ" not in result.stdout
