"""Budget and baseline evaluation: pure functions from a result to pass or fail.

A budget is judged on one value per (per, criterion). By default that is the central
value of the result; `judge` takes any such values, so a run with uncertainty can pass a
percentile instead (say the 95th) and name it in `statistic`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from acvnum.analysis.comparison import (
    PERS,
    CriterionChange,
    Snapshot,
    compare,
)
from acvnum.calculation.results import ServiceResult
from acvnum.errors import (
    BudgetSyntaxError,
    InputError,
    Joined,
    Message,
    Problem,
    UnitError,
    message,
)
from acvnum.escaping import shorten
from acvnum.questionnaire.records import Budget
from acvnum.questionnaire.units import DAYS_PER_YEAR, parse_fraction

#: per -> criterion -> the value a budget is judged on.
Values = Mapping[str, Mapping[str, float]]
#: A float limit equal to the value passes: no failure from rounding in the last bit.
_ROUNDING = 1e-12


@dataclass(frozen=True)
class BudgetOutcome:
    """One budget on one criterion: its limit and the value judged, in the criterion's unit."""

    criterion: str
    per: str
    unit: str
    limit: float
    value: float
    boundary_share: float | None  # the share given with max_boundary_share, else None
    statistic: str = "central"

    @property
    def passed(self) -> bool:
        return self.value <= self.limit * (1 + _ROUNDING)

    @property
    def margin(self) -> float:
        """The share of the limit left unused; negative when over the limit."""
        return 1 - self.value / self.limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "per": self.per,
            "unit": self.unit,
            "limit": self.limit,
            "value": self.value,
            "margin": self.margin,
            "passed": self.passed,
            "max_boundary_share": self.boundary_share,
            "statistic": self.statistic,
        }


def central_values(result: ServiceResult) -> dict[str, dict[str, float]]:
    """The result's own figures, per visit, per user and in total."""
    attribute = {"visit": "per_visit", "user": "per_user", "total": "total"}
    return {
        per: {cid: getattr(c, attribute[per]) for cid, c in result.criteria.items()} for per in PERS
    }


def _criteria(budget: Budget, result: ServiceResult) -> list[str]:
    """`all` stands for every criterion with a planetary boundary."""
    if budget.criterion != "all":
        return [budget.criterion]
    return [cid for cid in result.criteria if cid in result.boundaries.per_person_year]


def limit(budget: Budget, criterion: str, result: ServiceResult) -> float:
    """The budget's limit in the criterion's unit, per visit, per user or in total.

    A boundary share is of one person's *yearly* boundary: per user and in total the limit
    covers the result's period (share × boundary × years); one visit is not annualised.
    """
    if budget.max is not None:
        return budget.max
    boundary = result.boundaries.per_person_year[criterion]
    years = 1.0 if budget.per == "visit" else result.period_days / DAYS_PER_YEAR
    return budget.max_boundary_share * boundary * years  # type: ignore[operator]


def judge(
    budgets: list[Budget], result: ServiceResult, values: Values, statistic: str = "central"
) -> list[BudgetOutcome]:
    """Each budget (each criterion of `all`) against the given values."""
    return [
        BudgetOutcome(
            criterion=cid,
            per=budget.per,
            unit=result.criteria[cid].unit,
            limit=limit(budget, cid, result),
            value=values[budget.per][cid],
            boundary_share=budget.max_boundary_share,
            statistic=statistic,
        )
        for budget in budgets
        for cid in _criteria(budget, result)
    ]


def percentile_values(result: ServiceResult, key: str) -> dict[str, dict[str, float]]:
    """The result's figures at one sampled percentile (key "p95"), per visit, user, total."""
    totals = {cid: c.interval[key] for cid, c in result.criteria.items() if c.interval}
    visits = result.visits or 1.0
    return {
        "visit": {cid: v / visits for cid, v in totals.items()},
        "user": {cid: v / result.users for cid, v in totals.items()},
        "total": totals,
    }


def evaluate(
    budgets: list[Budget], result: ServiceResult, statistic: str = "central"
) -> list[BudgetOutcome]:
    """Each budget against the central values, or a percentile of the samples ("p95")."""
    if statistic == "central":
        return judge(budgets, result, central_values(result))
    return judge(budgets, result, percentile_values(result, statistic), statistic)


# --- budgets on the command line ----------------------------------------------------------

_CLI_BUDGET = re.compile(
    r"^\s*(?P<criterion>[^<>=\s]+)\s*<=\s*(?P<limit>.+?)\s*/\s*(?P<per>\w+)\s*$"
)
_BOUNDARY = re.compile(r"\s*boundary$", re.IGNORECASE)
#: A budget is a few words ('climate_change<=2g/visit'): longer is refused before parsing.
MAX_CLI_BUDGET_CHARS = 200


def parse_cli_budget(text: str) -> Budget:
    """'climate_change<=2g/visit' or 'all<=1%boundary/user' -> Budget, validated as in a file."""
    if len(text) > MAX_CLI_BUDGET_CHARS:
        raise BudgetSyntaxError(
            "budget.cli.too_long", text=repr(shorten(text)), limit=MAX_CLI_BUDGET_CHARS
        )
    match = _CLI_BUDGET.match(text)
    if not match:
        raise BudgetSyntaxError("budget.cli.form", text=repr(text))
    written = match["limit"]
    key = "max_boundary_share" if _BOUNDARY.search(written) else "max"
    data = {"criterion": match["criterion"], "per": match["per"], key: _BOUNDARY.sub("", written)}
    # pydantic's models only for a --budget option, not on every run that judges budgets.
    from pydantic import ValidationError

    # (the same: the models and their records)
    from acvnum.questionnaire import models
    from acvnum.questionnaire.records import from_model

    try:
        return from_model(models.Budget.model_validate(data))
    except ValidationError as error:
        reasons = Joined(tuple(_cli_words(models.error_text(e)) for e in error.errors()))
        raise BudgetSyntaxError("budget.cli.refused", text=repr(text), reasons=reasons) from None


#: The budget messages that name YAML keys, said in the --budget syntax instead.
_CLI_WORDS = {
    "budget.max_for_all": "budget.cli.all_needs_share",
    "budget.energy_boundary": "budget.cli.energy_boundary",
}


def _cli_words(said: Message) -> Message:
    """A validation message of a budget, in the terms of the command line."""
    if said.key == "error.one_of" and dict(said.args).get("a") == "max":
        return message("budget.cli.one_limit")
    return message(_CLI_WORDS[said.key]) if said.key in _CLI_WORDS else said


def parse_cli_budgets(texts: list[str]) -> list[Budget]:
    """Every --budget, all problems reported together."""
    budgets, problems = [], []
    for text in texts:
        try:
            budgets.append(parse_cli_budget(text))
        except BudgetSyntaxError as error:
            problems.append(error.message)
    if problems:
        raise BudgetSyntaxError("budget.cli.lines", lines=Joined(tuple(problems), "\n"))
    return budgets


# --- baseline -----------------------------------------------------------------------------


def parse_tolerance(text: str) -> float:
    """'5%' or 0.05 -> 0.05; negative tolerances make no sense. A long text is refused before
    it is read, as a --budget is: its refusal quoted it whole (a screen of 5,000 'a's)."""
    if len(text) > MAX_CLI_BUDGET_CHARS:
        raise BudgetSyntaxError(
            "tolerance.too_long", text=repr(shorten(text)), limit=MAX_CLI_BUDGET_CHARS
        )
    try:
        tolerance = parse_fraction(text)
    except UnitError as error:
        raise BudgetSyntaxError(
            "tolerance.refused", text=repr(text), reason=error.message
        ) from None
    if tolerance < 0:
        raise BudgetSyntaxError("tolerance.negative", text=repr(text))
    return tolerance


@dataclass(frozen=True)
class BaselineOutcome:
    """One criterion's per-visit value against the baseline's, within a tolerance."""

    change: CriterionChange
    tolerance: float

    @property
    def passed(self) -> bool:
        relative = self.change.value.relative
        return relative is not None and relative <= self.tolerance + _ROUNDING

    def to_dict(self) -> dict[str, Any]:
        value = self.change.value
        return {
            "criterion": self.change.criterion,
            "per": "visit",
            "unit": self.change.unit,
            "baseline": value.before,
            "value": value.after,
            "change_pct": value.pct,
            "tolerance_pct": self.tolerance * 100,
            "passed": self.passed,
            "tiers_grown": [
                {"tier": t, **self.change.by_tier[t].to_dict()} for t in self.change.tiers_grown()
            ],
        }


def against_baseline(
    baseline: Snapshot, current: Snapshot, tolerance: float
) -> list[BaselineOutcome]:
    """Every criterion's per-visit value, now against the baseline."""
    return [BaselineOutcome(c, tolerance) for c in compare(baseline, current, "visit")]


def matching(baselines: list[Snapshot], current: Snapshot, alone: bool) -> Snapshot | None:
    """The baseline of a service: same name, or the only one when both runs have one service."""
    return _named(baselines, current.name, alone)


def _named(baselines: list[Snapshot], name: str, alone: bool) -> Snapshot | None:
    named = [b for b in baselines if b.name == name]
    if named:
        return named[0]
    return baselines[0] if alone and len(baselines) == 1 else None


def pick_baselines(
    baselines: list[Snapshot], names: list[str], criteria: tuple[str, ...], source: str
) -> list[Snapshot]:
    """The baseline of each named service, in order, before any work is done.

    A gate must not pass by comparing nothing: a service with no baseline, or a baseline
    lacking one of `criteria`, is bad input (exit 2) located in the baseline file.
    """
    problems, picked = [], []
    alone = len(names) == 1
    for name in names:
        base = _named(baselines, name, alone)
        if base is None:
            held = ", ".join(f"'{b.name}'" for b in baselines)
            problems.append(message("baseline.no_service", name=name, held=held))
            continue
        missing = [c for c in criteria if c not in base.criteria]
        if missing:
            problems.append(message("baseline.lacks", name=base.name, missing=", ".join(missing)))
        picked.append(base)
    if problems:
        raise InputError([Problem(source, 1, 1, problem) for problem in problems])
    return picked
