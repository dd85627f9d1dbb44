"""The result of an assessment: what every renderer reads, and nothing else.

Built from one service's row of the engine's contributions; all breakdowns come from
that one array, so tiers, phases and items always sum to the total. Every result is
frozen and built once, whole, with its intervals when they were sampled; the levers, the
drivers and the what-if are the analyses' own values, held beside it by
`acvnum.assessment.Assessment`; nothing writes into a result later. The criteria of
services assessed together are their chunk's arrays (CriteriaChunk): a service's
CriterionResults are made from them when first read, and a portfolio's JSON reads the
arrays without making them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np

from acvnum.calculation.coverage import Coverage
from acvnum.calculation.inventory import ACTIVITIES, PHASES, TIERS, label_mask
from acvnum.i18n import Note, Value
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


def column_maker(cls: type[T]) -> Callable[..., list[T]]:
    """`maker` for a whole chunk: instances of the frozen dataclass `cls` from a column of
    each field's values (an iterable each, all of one length), each instance's field dict
    zipped and set by C calls, not a Python call an instance (a chunk of 500 makes 500
    ServiceResults and 500 Founds). The instances equal what `cls(...)` makes."""
    assert not hasattr(cls, "__post_init__"), cls
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    new, set_attribute = object.__new__, object.__setattr__

    def make_all(*columns: Iterable[object]) -> list[T]:
        rows = list(zip(*columns, strict=True))
        made: list[T] = list(map(new, repeat(cls, len(rows))))
        values = map(dict, map(zip, repeat(names), rows))
        deque(map(set_attribute, made, repeat("__dict__"), values), maxlen=0)
        return made

    return make_all


@dataclass(frozen=True)
class Assumption:
    """A value the calculation used: given in the questionnaire, or a sourced default."""

    path: str  # the questionnaire's key, as written
    value: Value  # a number and its unit, formatted per language by the report
    status: str  # "input" | "default"
    source: str
    note: Note | None = None  # what acvnum adds after the key ('(idle)'), worded per language

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
class MarketBased:
    """Climate change with the data centre's electricity at the contract's factor (market-based,
    as the GHG Protocol's Scope 2 guidance asks beside location-based): the service's
    `hosting.electricity_factor` in kg CO2 eq/kWh and the totals it gives. The location-based
    figures stay in `criteria`."""

    electricity_factor: float
    total: float
    per_user: float
    per_visit: float

    def to_dict(self) -> dict[str, object]:
        """The result JSON's `market_based` object."""
        return {
            "electricity_factor": {"value": self.electricity_factor, "unit": "kg CO2 eq/kWh"},
            "climate_change": {
                "unit": "kg CO2 eq",
                "total": self.total,
                "per_user": self.per_user,
                "per_visit": self.per_visit,
            },
        }


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
    #: A dict, or a `ChunkCriteria` view that makes it when first read (the same results).
    criteria: Mapping[str, CriterionResult]
    #: A list, or an `Assumptions` view that makes the rows when first read.
    assumptions: Sequence[Assumption]
    warnings: list[str]
    boundaries: Boundaries
    factors_version: str
    factor_sources: tuple[str, ...]
    user_factors: list[str] = field(default_factory=list)
    #: The central value of every factor the run used, by id (shared by the run's results).
    factor_values: Mapping[str, float] = field(default_factory=dict)
    #: Climate change at a contracted electricity factor, when the file gives one.
    market_based: MarketBased | None = None
    #: Top-level JSON objects a command adds to the service's document (`check`).
    extras: Mapping[str, object] = field(default_factory=dict)
    functional_unit: str | None = None  # the questionnaire's, in words (the RCP asks for it)

    def criterion(self, criterion_id: str) -> CriterionResult:
        return self.criteria[criterion_id]


_CRITERION = maker(CriterionResult)
_BOUNDARY = maker(BoundaryComparison)

#: Built once: the keys of `by_item` and the masks that sum activities by tier and phase.
ITEM_KEYS = tuple(f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES)
_TIER_MASK = label_mask("tier", TIERS)
_PHASE_MASK = label_mask("phase", PHASES)


_OPTIONAL = np.array([a.optional for a in ACTIVITIES])
#: Each activity's bit in the integer that names a set of activities (shown_patterns).
_BITS = (
    np.uint64(1) << np.arange(len(ACTIVITIES), dtype=np.uint64) if len(ACTIVITIES) <= 64 else None
)


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
    by_tier = tier_sums(contributions).tolist()
    by_phase = phase_sums(contributions).tolist()
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


def tier_sums(contributions: np.ndarray) -> np.ndarray:
    """(N, activities, criteria) -> (N, criteria, tiers): each criterion's total by tier."""
    return np.matmul(_TIER_MASK, contributions).transpose(0, 2, 1)


def phase_sums(contributions: np.ndarray) -> np.ndarray:
    """(N, activities, criteria) -> (N, criteria, phases): each criterion's total by phase."""
    return np.matmul(_PHASE_MASK, contributions).transpose(0, 2, 1)


def shown_patterns(contributions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sets of activities a chunk's `by_item` breakdowns show: every activity, but an
    optional block's only where the service uses it. (patterns, activities) of booleans,
    each distinct set once, and (N,) which pattern each service shows."""
    shown = ~_OPTIONAL | np.any(contributions != 0, axis=2)  # (N, activities)
    if _BITS is None:  # more activities than an integer has bits
        patterns, which = np.unique(shown, axis=0, return_inverse=True)
        return patterns, which.ravel()
    # One integer a set: np.unique over rows (axis=0) took some 3 ms a chunk.
    _, first, which = np.unique(shown @ _BITS, return_index=True, return_inverse=True)
    return shown[first], which.ravel()


def _by_item(contributions: np.ndarray) -> list[tuple[list[str], list[list[float]]]]:
    """Per service, the activities shown (shown_patterns) and their contributions per
    criterion; one gather per set of activities shown (a chunk has a handful)."""
    patterns, which = shown_patterns(contributions)
    items: list[tuple[list[str], list[list[float]]]] = [([], [])] * len(contributions)
    for p, pattern in enumerate(patterns):
        members = np.flatnonzero(which == p)
        columns = np.flatnonzero(pattern)
        keys = [ITEM_KEYS[a] for a in columns]
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


@dataclass(frozen=True, eq=False)
class CriteriaChunk:
    """The criteria of services assessed together (acvnum.assessment's chunk), as arrays:
    every figure a criterion's result holds, computed for the whole chunk at once.

    Each service's `ServiceResult.criteria` is a `ChunkCriteria` view of its row, whose
    CriterionResults are made (for the whole chunk, by `all_criteria_results`, the reference)
    only when something reads them: the text reports, budgets, intervals. A portfolio's JSON
    and tally read these arrays instead (acvnum.report.criteria_json, analysis.portfolio):
    eight objects and their dicts a service were a fifth of a worker's time. The figures are
    the reference's doubles: the same sums, and the same divisions in the same order.
    """

    contributions: np.ndarray  # (N, activities, criteria)
    users: Sequence[float]
    visits: Sequence[float]
    period_years: Sequence[float]
    boundaries: Boundaries
    coverage: Sequence[Mapping[str, Coverage] | None] | None
    totals: np.ndarray  # (N, criteria)
    per_user: np.ndarray  # (N, criteria): total / users
    per_visit: np.ndarray  # (N, criteria): total / visits, 0 without visits
    by_tier: np.ndarray  # (N, criteria, tiers)
    by_phase: np.ndarray  # (N, criteria, phases)
    limits: tuple[float | None, ...]  # each criterion's boundary per person-year, if any
    persons: np.ndarray  # (N, criteria): persons-equivalent (yearly / limit; 0 if no limit)
    shares: np.ndarray  # (N, criteria): share of the limit per user (yearly / users / limit)

    @classmethod
    def of(
        cls,
        contributions: np.ndarray,
        users: Sequence[float],
        visits: Sequence[float],
        period_years: Sequence[float],
        boundaries: Boundaries,
        coverage: Sequence[Mapping[str, Coverage] | None] | None = None,
        totals: np.ndarray | None = None,
    ) -> CriteriaChunk:
        """The chunk's figures from its (N, activities, criteria) contributions; `totals`:
        their sums over the activities (`contributions.sum(axis=1)`), when already made
        (the sum over the middle axis is some 0.3 ms a chunk)."""
        totals = contributions.sum(axis=1) if totals is None else totals.view()
        column = (-1, 1)
        people = np.asarray(users, dtype=float).reshape(column)
        seen = np.asarray(visits, dtype=float).reshape(column)
        years = np.asarray(period_years, dtype=float).reshape(column)
        limits = tuple(boundaries.per_person_year.get(c) for c in CRITERION_IDS)
        limit = np.array([1.0 if v is None else v for v in limits])
        per_visit = np.zeros_like(totals)
        with np.errstate(over="ignore"):  # inf, as Python's float division gives it
            np.divide(totals, seen, out=per_visit, where=seen != 0)
            yearly = totals / years
            per_user, persons = totals / people, yearly / limit
            shares = yearly / people / limit
        # Read-only: the results are made from these when first read, and nothing may
        # change a result after it is built (the caller's own array stays as it was).
        arrays = [
            contributions.view(),
            totals,
            per_user,
            per_visit,
            tier_sums(contributions),
            phase_sums(contributions),
            persons,
            shares,
        ]
        for array in arrays:
            array.flags.writeable = False
        held, totals, per_user, per_visit, by_tier, by_phase, persons, shares = arrays
        return cls(
            held,
            tuple(users),
            tuple(visits),
            tuple(period_years),
            boundaries,
            None if coverage is None else tuple(coverage),
            totals,
            per_user,
            per_visit,
            by_tier,
            by_phase,
            limits,
            persons,
            shares,
        )

    def __len__(self) -> int:
        return len(self.contributions)

    @property
    def bounded(self) -> np.ndarray:
        """(criteria,) whether each criterion has a planetary boundary."""
        return np.array([v is not None for v in self.limits])

    @cached_property
    def results(self) -> list[dict[str, CriterionResult]]:
        """Each service's CriterionResults, made for the whole chunk when first asked (a
        value fixed when the chunk was made; the cache only saves making it twice)."""
        return all_criteria_results(
            self.contributions,
            self.users,
            self.visits,
            self.period_years,
            self.boundaries,
            self.coverage,
        )

    def views(self) -> list[ChunkCriteria]:
        """Each service's criteria, as a view of its row."""
        return [ChunkCriteria(self, row) for row in range(len(self))]


class ChunkCriteria(Mapping[str, CriterionResult]):
    """One service's criteria in a CriteriaChunk: criterion id -> CriterionResult, made
    when first read. Read-only; copied or pickled, it is the plain dict.

    Once made, the view keeps its own dict and lets go of the chunk (`chunk` is then None):
    a result kept alive does not keep its whole chunk's arrays and results (in the API, a
    chunk is every service assessed). The arrays' readers take `chunk` while it is there."""

    __slots__ = ("_held", "_row")

    def __init__(self, chunk: CriteriaChunk, row: int) -> None:
        #: The chunk until the results are made, then the results: one attribute, read once
        #: by each reader, so two threads reading an unread view never see a half-made one.
        self._held: CriteriaChunk | dict[str, CriterionResult] = chunk
        self._row = row

    @property
    def chunk(self) -> CriteriaChunk | None:
        """The chunk, until the results are made (read-only: a view is not re-pointed)."""
        held = self._held
        return None if isinstance(held, dict) else held

    @property
    def row(self) -> int:
        """The service's row in the chunk."""
        return self._row

    def _made(self) -> dict[str, CriterionResult]:
        held = self._held
        if isinstance(held, dict):
            return held
        made = self._held = held.results[self._row]
        return made

    def __getitem__(self, criterion_id: str) -> CriterionResult:
        return self._made()[criterion_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __repr__(self) -> str:
        return repr(self._made())

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (self._made(),)


def one_chunk(
    criteria: Sequence[Mapping[str, CriterionResult]],
) -> tuple[CriteriaChunk, list[int]] | None:
    """The chunk every one of `criteria` is an unread view of, and their rows in it; None
    when they are not all such views of one chunk. Read by C calls (no Python call a view:
    a portfolio's tally asks it of each batch of 500)."""
    if not criteria or set(map(type, criteria)) != {ChunkCriteria}:
        return None
    held = list(map(_HELD, criteria))
    chunk = held[0]
    if not isinstance(chunk, CriteriaChunk) or held.count(chunk) != len(held):
        return None  # some made (a dict held), or views of several chunks
    return chunk, list(map(_ROW, criteria))


_HELD, _ROW = attrgetter("_held"), attrgetter("_row")


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
