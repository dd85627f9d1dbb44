"""The result of an assessment: what every renderer reads, and nothing else.

Built from one service's row of the engine's contributions; all breakdowns come from
that one array, so tiers, phases and items always sum to the total. Every result is
frozen and built once, whole, with its intervals when they were sampled; the levers, the
drivers and the what-if are the analyses' own values, held beside it by
`acvnum.assessment.Assessment`; nothing writes into a result later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TypeVar

import numpy as np

from acvnum.calculation.coverage import Coverage
from acvnum.calculation.inventory import ACTIVITIES, PHASES, TIERS, label_mask
from acvnum.i18n import Value
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.criteria import BY_ID, CRITERION_IDS

#: The version of the result JSON (docs/json.md); acvnum still reads version 1 files.
SCHEMA_VERSION = 2
#: The calculation method's version (docs/methodology.md), written in the result JSON.
METHOD_VERSION = "2.0"

#: p5, p50, p95 of a sampled quantity.
Interval = Mapping[str, float]

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen dataclass `cls` from every field's value, in order, for
    hot paths (a portfolio makes eight criteria a service): the instance equals what `cls(...)`
    makes, its fields set at once rather than one `object.__setattr__` call each (a third of
    the time for twelve fields). Only for classes without `__post_init__`."""
    assert not hasattr(cls, "__post_init__"), cls
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    new = object.__new__

    def make(*values: object) -> T:
        made = new(cls)
        made.__dict__.update(zip(names, values, strict=True))
        return made

    return make


@dataclass(frozen=True)
class Assumption:
    """A value the calculation used: given in the questionnaire, or a sourced default."""

    path: str
    value: Value  # a number and its unit, formatted per language by the report
    status: str  # "input" | "default"
    source: str

    def __post_init__(self) -> None:
        if isinstance(self.value, str):  # data given as text (a code, a word): shown as is
            object.__setattr__(self, "value", Value(self.value))


@dataclass(frozen=True)
class BoundaryComparison:
    """A criterion's total against the planetary boundary of one person for a year."""

    per_person_year: float
    persons_equivalent: float
    share_per_user: float


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's total, per user and per visit, and its breakdowns."""

    id: str
    unit: str
    total: float
    per_user: float
    per_visit: float
    by_tier: dict[str, float]
    by_phase: dict[str, float]
    by_item: dict[str, float]
    boundary: BoundaryComparison | None
    interval: Interval | None = None  # p5, p50, p95 of the total (--uncertainty)
    tier_intervals: Mapping[str, Interval] | None = None  # tier -> p5, p50, p95
    #: The activities of the service with and without a factor for this criterion.
    coverage: Coverage | None = None


@dataclass(frozen=True)
class Driver:
    """A quantity whose spread drives a result's spread: measure it first to narrow the range."""

    name: str  # a factor id, or the questionnaire path of a range
    kind: str  # "factor" | "input"
    criterion: str  # the criterion it drives most (or the one it was ranked for)
    rank_correlation: float  # Spearman's rho between the quantity and the criterion's total


@dataclass(frozen=True)
class Uncertainty:
    """How the intervals were obtained, and what drives them."""

    samples: int
    seed: int
    drivers: list[Driver]  # the top five over all criteria
    drivers_by_criterion: dict[str, list[Driver]]
    #: p5, p50, p95 per criterion of the sum of all services assessed together (the same
    #: samples for all of them), or None for a single service.
    portfolio: Mapping[str, Interval] | None = None


@dataclass(frozen=True)
class ServiceResult:
    """One service's footprint: the calculation only. What the analyses found about it
    (levers, drivers, what-if) is held beside it (acvnum.analysis.found)."""

    name: str
    description: str | None
    source_file: str
    period_days: float
    users: float
    visits: float
    criteria: dict[str, CriterionResult]
    assumptions: list[Assumption]
    warnings: list[str]
    boundaries: Boundaries
    factors_version: str
    factor_sources: tuple[str, ...]
    user_factors: list[str] = field(default_factory=list)
    #: The central value of every factor the run used, by id (shared by the run's results).
    factor_values: Mapping[str, float] = field(default_factory=dict)
    #: Top-level JSON objects a command adds to the service's document (`check`).
    extras: Mapping[str, object] = field(default_factory=dict)
    functional_unit: str | None = None  # the questionnaire's, in words (the RCP asks for it)

    def criterion(self, criterion_id: str) -> CriterionResult:
        return self.criteria[criterion_id]


_CRITERION = maker(CriterionResult)
_BOUNDARY = maker(BoundaryComparison)

#: Built once: the keys of `by_item` and the masks that sum activities by tier and phase.
_ITEM_KEYS = tuple(f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES)
_TIER_MASK = label_mask("tier", TIERS)
_PHASE_MASK = label_mask("phase", PHASES)


_OPTIONAL = np.array([a.optional for a in ACTIVITIES])


def criteria_results(
    contributions: np.ndarray,
    users: float,
    visits: float,
    period_years: float,
    boundaries: Boundaries,
    coverage: Mapping[str, Coverage] | None = None,
) -> dict[str, CriterionResult]:
    """(activities, criteria) contributions of one service -> per-criterion results."""
    covered = None if coverage is None else [coverage]
    return all_criteria_results(
        contributions[np.newaxis], [users], [visits], [period_years], boundaries, covered
    )[0]


def all_criteria_results(
    contributions: np.ndarray,
    users: Sequence[float],
    visits: Sequence[float],
    period_years: Sequence[float],
    boundaries: Boundaries,
    coverage: Sequence[Mapping[str, Coverage] | None] | None = None,
) -> list[dict[str, CriterionResult]]:
    """(N, activities, criteria) contributions of N services -> each one's per-criterion
    results: every breakdown computed for the whole chunk at once and turned into Python
    floats once (the same numbers a service alone gets: the same sums, row by row)."""
    n = len(contributions)
    by_tier = np.matmul(_TIER_MASK, contributions).transpose(0, 2, 1).tolist()
    by_phase = np.matmul(_PHASE_MASK, contributions).transpose(0, 2, 1).tolist()
    totals = contributions.sum(axis=1).tolist()
    items = _by_item(contributions)
    limits = [boundaries.per_person_year.get(c) for c in CRITERION_IDS]
    return [
        _criteria(
            totals[i],
            by_tier[i],
            by_phase[i],
            items[i],
            users[i],
            visits[i],
            period_years[i],
            limits,
            coverage[i] if coverage else None,
        )
        for i in range(n)
    ]


def _by_item(contributions: np.ndarray) -> list[tuple[list[str], list[list[float]]]]:
    """Per service, the activities shown (every one, but an optional block's only where the
    service uses it) and their contributions per criterion; one gather per set of activities
    shown (a chunk has a handful)."""
    shown = ~_OPTIONAL | np.any(contributions != 0, axis=2)  # (N, activities)
    patterns, which = np.unique(shown, axis=0, return_inverse=True)
    items: list[tuple[list[str], list[list[float]]]] = [([], [])] * len(contributions)
    for p, pattern in enumerate(patterns):
        members = np.flatnonzero(which.ravel() == p)
        columns = np.flatnonzero(pattern)
        keys = [_ITEM_KEYS[a] for a in columns]
        values = contributions[members][:, columns].transpose(0, 2, 1).tolist()
        for i, v in zip(members.tolist(), values, strict=True):
            items[i] = (keys, v)
    return items


def _criteria(
    totals: list[float],
    by_tier: list[list[float]],
    by_phase: list[list[float]],
    items: tuple[list[str], list[list[float]]],
    users: float,
    visits: float,
    period_years: float,
    limits: list[float | None],
    coverage: Mapping[str, Coverage] | None,
) -> dict[str, CriterionResult]:
    """One service's per-criterion results from its breakdowns, as Python floats (each
    CriterionResult's fields in order: a chunk makes eight per service)."""
    keys, by_item = items
    results = {}
    for c, cid in enumerate(CRITERION_IDS):
        total = totals[c]
        boundary = limits[c]
        comparison = None
        if boundary is not None:
            yearly = total / period_years
            comparison = _BOUNDARY(boundary, yearly / boundary, yearly / users / boundary)
        results[cid] = _CRITERION(
            cid,
            _UNITS[c],
            total,
            total / users,
            total / visits if visits else 0.0,
            dict(zip(TIERS, by_tier[c], strict=True)),
            dict(zip(PHASES, by_phase[c], strict=True)),
            dict(zip(keys, by_item[c], strict=True)),
            comparison,
            None,
            None,
            coverage.get(cid) if coverage else None,
        )
    return results


#: Each criterion's unit, in CRITERION_IDS order.
_UNITS = tuple(BY_ID[cid].unit for cid in CRITERION_IDS)


def market_based_climate(contributions: np.ndarray, factor: float) -> float:
    """Climate change (kg CO2e) of one service's (activities, criteria) contributions with the
    data centre's electricity at a contract's factor (market-based) instead of its grid's
    (location-based): the data-centre kWh are re-characterised, nothing else moves."""
    climate, energy = CRITERION_IDS.index("climate_change"), CRITERION_IDS.index("energy")
    hosted = [
        a for a, act in enumerate(ACTIVITIES) if (act.tier, act.phase) == ("datacenter", "use")
    ]
    location = float(contributions[:, climate].sum())
    grid = float(contributions[hosted, climate].sum())
    return location - grid + float(contributions[hosted, energy].sum()) * factor
