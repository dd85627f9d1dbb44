"""`acvnum check --format json` (acvnum.report.check_json): each service's result JSON with
a `check` object, which says whether all its outcomes passed and what the baseline
comparison found. The case without a baseline, and the output read back as a baseline,
are tests/commands/test_check.py's."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, MINIMAL_DATA, run_cli

import acvnum
from acvnum.analysis.budgets import BaselineOutcome, BudgetOutcome
from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.analysis.comparison import Change, CriterionChange, FactorChange
from acvnum.analysis.found import Found
from acvnum.report import check_json


@pytest.fixture(scope="module")
def results():
    second = {**MINIMAL_DATA, "name": "Second"}
    return list(acvnum.estimate([dict(MINIMAL_DATA), second], levers=0))


def _budget(limit: float, value: float) -> BudgetOutcome:
    return BudgetOutcome("energy", "visit", "kWh", limit, value, None)


def _checks(run: CheckRun) -> list[dict]:
    return [service["check"] for service in json.loads(check_json.render(run))["services"]]


def test_a_service_passes_only_when_every_outcome_does(results):
    fine = ServiceCheck(results[0], Found(budgets=(_budget(1, 0.5), _budget(1, 1))))
    over = ServiceCheck(results[1], Found(budgets=(_budget(1, 0.5), _budget(1, 1.5))))
    assert _checks(CheckRun([fine, over])) == [
        {"passed": True, "baseline": None},
        {"passed": False, "baseline": None},
    ]


def test_the_service_keeps_its_result_and_its_budgets(results):
    run = CheckRun([ServiceCheck(results[0], Found(budgets=(_budget(2, 3),)))])
    (service,) = json.loads(check_json.render(run))["services"]
    assert service["service"]["name"] == "Minimal"
    # 3 kWh judged against 2: a third over, margin 1 - 3/2
    (judged,) = service["budgets"]
    assert judged["passed"] is False and judged["margin"] == pytest.approx(-0.5)


def test_the_baseline_object(results):
    # per visit from 2 g to 2.2 g: +10 %, beyond a 5 % tolerance, the network having grown
    grew = CriterionChange(
        "climate_change", "kg CO2 eq", Change(0.002, 0.0022), {"network": Change(0.001, 0.0012)}
    )
    check = ServiceCheck(
        results[0],
        baseline=[BaselineOutcome(grew, 0.05)],
        baseline_name="Old name",
        factor_changes=[FactorChange("grid.FRA", 0.05, 0.06)],
        factor_versions=("2025.1", "2025.2"),
    )
    (judged,) = _checks(CheckRun([check], baseline_file="old.json", tolerance=0.05))
    assert judged["passed"] is False
    baseline = judged["baseline"]
    assert baseline["file"] == "old.json"
    assert baseline["tolerance_pct"] == pytest.approx(5.0)
    assert baseline["matched"] is True
    assert baseline["service"] == "Old name"  # the baseline's, named otherwise
    (criterion,) = baseline["criteria"]
    assert criterion["criterion"] == "climate_change" and criterion["per"] == "visit"
    assert criterion["change_pct"] == pytest.approx(10.0) and criterion["passed"] is False
    assert [t["tier"] for t in criterion["tiers_grown"]] == ["network"]
    # the baseline's factor version, and what differs from it (+20 %)
    assert baseline["factors"] == {
        "version": "2025.1",
        "changed": [{"id": "grid.FRA", "a": 0.05, "b": 0.06, "change_pct": pytest.approx(20.0)}],
    }


def test_a_baseline_of_the_same_name_and_unknown_factors(results):
    check = ServiceCheck(results[0], baseline=[], factor_changes=None)
    (judged,) = _checks(CheckRun([check], baseline_file="b.json", tolerance=0.1))
    assert judged["passed"] is True  # nothing to fail
    assert judged["baseline"]["service"] == "Minimal"  # this service's own name
    assert judged["baseline"]["criteria"] == []
    assert judged["baseline"]["factors"] == {"version": None, "changed": None}


def test_the_command_says_which_baseline_service_was_compared(write_yaml, tmp_path):
    """The baseline's only service is named otherwise: compared all the same, and named."""
    old = write_yaml(MINIMAL.replace("name: Minimal", "name: Old"), "old.yaml")
    recorded = run_cli("estimate", str(old), "-f", "json", "-o", str(tmp_path / "b.json"))
    assert recorded.returncode == 0, recorded.stderr
    now = write_yaml(MINIMAL)
    result = run_cli("check", str(now), "--baseline", str(tmp_path / "b.json"), "-f", "json")
    assert result.returncode == 0, result.stderr
    (service,) = json.loads(result.stdout)["services"]
    baseline = service["check"]["baseline"]
    assert service["service"]["name"] == "Minimal" and baseline["service"] == "Old"
    assert baseline["file"] == str(tmp_path / "b.json") and baseline["tolerance_pct"] == 5.0
    assert {c["change_pct"] for c in baseline["criteria"]} == {0.0}
    assert baseline["factors"]["changed"] == []  # the same factors: none differ
