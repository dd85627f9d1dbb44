"""`acvnum check --format json`: the result JSON of each service (its `budgets` filled in)
with a `check` object: whether it passed, and the baseline comparison when there was one.

It is a result JSON like any other, so it can itself serve as a later baseline.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.analysis.found import Assessed
from acvnum.report import json_format


def _check(check: ServiceCheck, run: CheckRun) -> dict[str, Any]:
    baseline = None
    if run.baseline_file is not None:
        baseline = {
            "file": run.baseline_file,
            "tolerance_pct": run.tolerance * 100,
            "matched": True,  # a service without a baseline is bad input (exit 2)
            "service": check.baseline_name or check.result.name,
            "criteria": [o.to_dict() for o in check.baseline or []],
            "factors": {
                "version": check.factor_versions[0],
                "changed": None
                if check.factor_changes is None
                else [c.to_dict() for c in check.factor_changes],
            },
        }
    passed = all(o.passed for o in check.outcomes)
    return {"passed": passed, "baseline": baseline}


def _judged(check: ServiceCheck, run: CheckRun) -> dict[str, Any]:
    """What a check adds to a service's result JSON besides its budgets' outcomes (which
    the Assessment judged, in `budgets`): the `check` object."""
    return {"check": _check(check, run)}


def render(run: CheckRun) -> str:
    services = [
        Assessed(replace(c.result, extras={**c.result.extras, **_judged(c, run)}), c.found)
        for c in run.services
    ]
    return json_format.render(services)
