"""A whole check: the budgets the Assessment judged, a baseline's comparison, the verdict."""

from __future__ import annotations

import pytest
from conftest import MINIMAL

from acvnum.analysis.budgets import evaluate, parse_cli_budget
from acvnum.analysis.checks import CheckRun, check_service
from acvnum.analysis.comparison import from_result
from acvnum.analysis.found import Found
from acvnum.assessment import assess


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("c") / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return assess([path])[0]


def test_a_check_holds_the_result_and_its_outcomes_apart(result):
    judged = evaluate([parse_cli_budget("climate_change<=1g/visit")], result)
    check = check_service(result, Found(budgets=tuple(judged)), None, 0.05)
    assert check.result is result and check.budgets == judged and len(judged) == 1
    assert check.baseline is None and check.outcomes == judged
    assert not hasattr(result, "budgets")  # results know nothing of analyses


def test_a_run_fails_when_any_outcome_fails_budget_or_baseline(result):
    """Against itself as baseline every criterion changes by 0 %: within 5 %; a 1 g/visit
    budget on climate fails (MINIMAL emits more per visit), a 1 kg one passes."""
    loose, tight = (
        tuple(evaluate([parse_cli_budget(f"climate_change<={limit}/visit")], result))
        for limit in ("1kg", "1g")
    )
    baseline = from_result(result)
    passing = check_service(result, Found(budgets=loose), baseline, 0.05)
    failing = check_service(result, Found(budgets=tight), baseline, 0.05)
    assert all(o.passed for o in passing.baseline or []) and passing.baseline
    assert CheckRun([passing]).passed and CheckRun([passing]).failures == 0
    run = CheckRun([passing, failing])
    assert not run.passed and run.failures == 1
    assert run.count == 2 * (1 + len(passing.baseline))
