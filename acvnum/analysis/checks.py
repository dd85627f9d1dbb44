"""A whole check: each service's budgets (judged by the Assessment) and its comparison with
a baseline, and whether the run passed (`acvnum check`'s exit code).
"""

from __future__ import annotations

from dataclasses import dataclass

from acvnum.analysis.budgets import BaselineOutcome, BudgetOutcome, against_baseline
from acvnum.analysis.comparison import FactorChange, Snapshot, factor_changes, from_result
from acvnum.analysis.found import NOTHING, Found
from acvnum.calculation.results import ServiceResult

DEFAULT_TOLERANCE = 0.05


@dataclass(frozen=True)
class ServiceCheck:
    """One service's budgets and, when a baseline was given, its comparison with it."""

    result: ServiceResult
    found: Found = NOTHING  # what the analyses found about it: its budgets judged, drivers
    baseline: list[BaselineOutcome] | None = None  # None: no baseline was given
    baseline_name: str | None = None  # the baseline's service, when named differently
    #: Factors whose values differ from the baseline's (None: a baseline that does not say).
    factor_changes: list[FactorChange] | None = None
    factor_versions: tuple[str | None, str | None] = (None, None)  # baseline's, this run's

    @property
    def budgets(self) -> list[BudgetOutcome]:
        """The budgets the Assessment judged, as `found` holds them."""
        return list(self.found.budgets)

    @property
    def outcomes(self) -> list[BudgetOutcome | BaselineOutcome]:
        return [*self.budgets, *(self.baseline or [])]


@dataclass(frozen=True)
class CheckRun:
    """Every service checked in one run; exit 1 when any outcome failed."""

    services: list[ServiceCheck]
    baseline_file: str | None = None
    tolerance: float = DEFAULT_TOLERANCE
    statistic: str = "central"  # what budgets were judged on: "central", "p95", "p50"

    @property
    def count(self) -> int:
        return sum(len(s.outcomes) for s in self.services)

    @property
    def failures(self) -> int:
        return sum(not o.passed for s in self.services for o in s.outcomes)

    @property
    def passed(self) -> bool:
        return self.failures == 0


def check_service(
    result: ServiceResult, found: Found, baseline: Snapshot | None, tolerance: float
) -> ServiceCheck:
    """One service's check: the budgets the Assessment judged (in `found`) and, given a
    baseline, the comparison with it (the result knows nothing of either)."""
    if baseline is None:
        return ServiceCheck(result, found)
    current = from_result(result)
    renamed = baseline.name if baseline.name != current.name else None
    compared = against_baseline(baseline, current, tolerance)
    return ServiceCheck(
        result,
        found,
        compared,
        baseline_name=renamed,
        factor_changes=factor_changes(baseline, current),
        factor_versions=(baseline.factors_version, current.factors_version),
    )
