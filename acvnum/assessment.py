"""The trip of the data, end to end: files -> questionnaires -> engine -> results.

Commands call this module; it does no printing. Every input problem is an InputError.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from acvnum.analysis.found import Assessed, Found
from acvnum.calculation import assumptions
from acvnum.calculation.coverage import Coverage, coverage
from acvnum.calculation.engine import Footprint, evaluate
from acvnum.calculation.inventory import ServiceArrays, service_arrays
from acvnum.calculation.results import (
    CriteriaChunk,
    CriterionResult,
    MarketBased,
    ServiceResult,
    column_maker,
    criteria_results,
    market_based_climate,
)
from acvnum.errors import InputError, Problem
from acvnum.questionnaire import records, units
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.service import Service, expand_names, load_files, load_services
from acvnum.reference.boundaries import DEFAULT_POPULATION, Boundaries, boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable, load_factors

if TYPE_CHECKING:
    from acvnum.analysis.budgets import BudgetOutcome
    from acvnum.analysis.intervals import ServiceIntervals
    from acvnum.analysis.levers import Proposals
    from acvnum.analysis.whatif import WhatIf
    from acvnum.calculation.results import Uncertainty
    from acvnum.questionnaire.records import Budget

FACTORS_VERSION = "2026.11.30.1"


@dataclass(frozen=True)
class Settings:
    """Choices that apply to a whole run."""

    factors_file: str | None = None
    population: str = DEFAULT_POPULATION
    samples: int | None = None  # uncertainty: number of Monte Carlo samples (None: off)
    seed: int = 0
    levers: int = 0  # how many levers to propose per service (0: none)
    what_if: tuple[str, ...] = ()  # PATH=VALUE changes to evaluate (--what-if)
    network_model: str | None = None  # overrides every questionnaire's usage.network_model
    #: Budgets judged besides each questionnaire's own (None: budgets are not judged).
    budgets: tuple[Budget, ...] | None = None
    #: What budgets are judged on: "central", or a sampled percentile ("p95", "p50").
    budget_statistic: str = "central"


def footprint(services: list[Service], table: FactorTable) -> Footprint:
    """Central footprint of all services in one vectorised pass: (N, 1, activities, criteria)."""
    return evaluate(service_arrays([s.questionnaire for s in services]), table.central())


def result_for(
    service: Service,
    contributions: np.ndarray,
    table: FactorTable,
    limits: Boundaries,
    analyses: Analyses | None = None,
    coverage: Mapping[str, Coverage] | None = None,
    criteria: Mapping[str, CriterionResult] | None = None,
) -> ServiceResult:
    """One service's result, whole: its (activities, criteria) contributions, with the
    intervals when they were sampled (the other analyses are held by the Assessment).
    `_results` for a chunk of one."""
    q = service.questionnaire
    if criteria is None:  # else the chunk's (CriteriaChunk)
        criteria = criteria_results(
            contributions, q.usage.users, q.visits, q.period_years, limits, coverage
        )
    analyses = analyses or Analyses()
    return _results([service], contributions[np.newaxis], table, limits, [analyses], [criteria])[0]


def shared_by_results(table: FactorTable) -> tuple[Any, ...]:
    """What every result of a run shares: the table's sources, user factors (sorted) and
    central values."""
    return table.sources(), sorted(table.user_ids), table.central_values


def _results(
    services: list[Service],
    contributions: np.ndarray,
    table: FactorTable,
    limits: Boundaries,
    analyses: list[Analyses],
    criteria: list[Mapping[str, CriterionResult]],
    visits: list[float] | None = None,
) -> tuple[ServiceResult, ...]:
    """Each service's result from (N, activities, criteria) `contributions`: a list of each
    field's values for the whole chunk, then a ServiceResult a service made of them (a
    call a service that worked out its fields one by one took twice as long). What the
    results share (the table's sources, user factors and values) is worked out once;
    `visits`: each questionnaire's, when the chunk has them (a property, worked out at
    each read)."""
    n = len(services)
    sources, user_ids, values = shared_by_results(table)
    qs = [s.questionnaire for s in services]
    if visits is None:
        visits = [q.visits for q in qs]
    if any(a.intervals for a in analyses):
        criteria = [
            a.intervals.criteria(c) if a.intervals else c
            for a, c in zip(analyses, criteria, strict=True)
        ]
    factors = [q.hosting.electricity_factor if q.hosting else None for q in qs]
    markets = [
        None if factor is None else market_based_climate(contributions[i], factor)
        for i, factor in enumerate(factors)
    ]
    ranges = [s.bounds.written if s.bounds else None for s in services]
    commas = [s.bounds.comma if s.bounds else False for s in services]
    return tuple(
        _RESULTS(  # ServiceResult's fields, in order
            [q.name for q in qs],
            [q.description for q in qs],
            [s.file for s in services],  # source_file
            [q.period / units.SECONDS_PER_DAY for q in qs],  # period_days
            [q.usage.users for q in qs],
            visits,
            criteria,
            list(map(assumptions.Assumptions, qs, repeat(table, n), ranges, markets, commas)),
            list(map(assumptions.warnings, qs)),
            repeat(limits, n),  # boundaries
            repeat(FACTORS_VERSION, n),
            repeat(sources, n),  # factor_sources
            [[*user_ids] for _ in range(n)],  # user_factors, each result's own list
            repeat(values, n),  # factor_values
            [
                None if m is None else _market_based(q, factor, m)
                for q, factor, m in zip(qs, factors, markets, strict=True)
            ],
            repeat({}, n),  # extras: none (a command's report may add some)
            [q.functional_unit for q in qs],
        )
    )


#: A chunk's Founds from their fields' columns, each set at once (results.column_maker).
_FOUNDS = column_maker(Found)

#: A chunk's ServiceResults from their fields' columns, each set at once: the frozen
#: dataclass's __init__, sixteen fields set one by one, was half of a result's making.
_RESULTS = column_maker(ServiceResult)


def _market_based(q: Questionnaire, factor: float, total: float) -> MarketBased:
    """The market-based climate figures of a service whose file gives a contract's factor."""
    per_visit = total / q.visits if q.visits else 0.0
    return MarketBased(factor, total, total / q.usage.users, per_visit)


class Analyses(NamedTuple):
    """What the analyses the settings asked for found about one service (None: not asked).
    A named tuple: a chunk makes one a service (made so, 0.95 -> 0.66 ms a chunk of 500
    without levers: a frozen dataclass's __init__ sets each field on its own)."""

    intervals: ServiceIntervals | None = None
    proposals: Proposals | None = None
    what_if: WhatIf | None = None


@dataclass(frozen=True, eq=False)
class Assessment:
    """A whole run, built once from the settings: one result per service, in order, and
    what each analysis asked for found about each service (an empty tuple: not asked for).

    Results hold the calculation only; `services()` pairs each with its levers, uncertainty,
    what-if and budget outcomes for the reports. Iterating gives the results.
    """

    results: tuple[ServiceResult, ...]
    settings: Settings = Settings()
    levers: tuple[Proposals | None, ...] = ()  # --levers: each service's, best first
    uncertainty: tuple[Uncertainty | None, ...] = ()  # --uncertainty: draws and drivers
    what_if: tuple[WhatIf | None, ...] = ()  # --what-if: the change and its saving
    #: Each service's budgets judged (settings.budgets not None): its own, then the run's.
    budgets: tuple[tuple[BudgetOutcome, ...], ...] = ()

    def __iter__(self) -> Iterator[ServiceResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: int) -> ServiceResult:
        return self.results[index]

    def found(self, index: int) -> Found:
        """What the analyses found about the service at `index`."""
        return Found(
            proposals=self.levers[index] if self.levers else None,
            uncertainty=self.uncertainty[index] if self.uncertainty else None,
            what_if=self.what_if[index] if self.what_if else None,
            budgets=self.budgets[index] if self.budgets else (),
        )

    @property
    def within_budgets(self) -> bool:
        """Whether every budget judged passed (True when none was: nothing failed)."""
        return all(outcome.passed for judged in self.budgets for outcome in judged)

    def services(self) -> list[Assessed]:
        """Each result with what the analyses found about it: what the reports read (each
        Found made from the analyses' columns at once, as `found` makes one)."""
        n = len(self.results)
        found = _FOUNDS(  # Found's fields, in order
            self.levers or repeat(None, n),
            self.uncertainty or repeat(None, n),
            self.what_if or repeat(None, n),
            self.budgets or repeat((), n),
        )
        # tuple.__new__, not Assessed(...): a named tuple's __new__ is a Python call
        pairs = zip(self.results, found, strict=True)
        return list(map(tuple.__new__, repeat(Assessed, n), pairs))

    def to_dict(self) -> dict[str, Any]:
        """The result JSON (docs/json.md) as data: what `estimate --format json` writes. A
        copy: the caller may change it without changing the results (it shares their dicts)."""
        # The document's layout belongs to the report layer; imported when asked for.
        from acvnum.report.json_format import document

        return copy.deepcopy(document(self.services()))


#: Services assessed at once by `batches`: enough for the engine's and the levers' arrays to
#: pay, few enough to hold (a result with its levers is some 100 KB of Python objects).
BATCH = 500


def assess(paths: list[str | Path], settings: Settings = Settings()) -> Assessment:
    """Files -> one result per service."""
    table = load_factors(settings.factors_file)
    return assess_services(load_services(paths, table), table, settings)


def batches(
    paths: list[str | Path],
    settings: Settings = Settings(),
    size: int | None = None,
    files: list[str] | None = None,
) -> Iterator[Assessment]:
    """Files -> assessments of at most `size` services each, in order, so that a folder of
    10,000 is never held whole (`estimate --format json`; not with --uncertainty, whose
    portfolio interval samples all services together). `files`: `paths` already expanded
    (a folder is then not listed again).

    Every file is read even after a problem and all problems are raised together at the
    end, as `assess` does; the batches given before are then void: publish nothing of them.
    """
    size = size or BATCH
    table = load_factors(settings.factors_file)
    if files is None:
        files = expand_names(paths)
    problems: list[Problem] = []
    for start in range(0, len(files), size):
        try:
            services = load_files(files[start : start + size], table)
        except InputError as error:
            problems += error.problems
            continue
        if not problems:
            yield assess_services(services, table, settings)
    if problems:
        raise InputError(problems)


def _prepared(services: list[Service], settings: Settings) -> list[Service]:
    if settings.network_model is None:
        return services
    return [with_network_model(s, settings.network_model) for s in services]


def with_network_model(service: Service, model: str) -> Service:
    """The service under another network allocation (--network-model), bounds included."""

    def changed(q: Questionnaire) -> Questionnaire:
        return records.replace(q, usage=records.replace(q.usage, network_model=model))

    bounds = service.bounds
    if bounds is not None:
        bounds = dataclasses.replace(
            bounds,
            central=changed(bounds.central),
            low=changed(bounds.low),
            high=changed(bounds.high),
        )
    return Service(changed(service.questionnaire), service.document, bounds)


def _analyses(
    services: list[Service],
    table: FactorTable,
    limits: Boundaries,
    settings: Settings,
    arrays: ServiceArrays | None = None,
    totals: np.ndarray | None = None,
) -> list[Analyses]:
    """Every analysis the settings ask for, each over all services at once (`arrays`: the
    services' engine arrays, already built; `totals`: their central totals (N, criteria))."""
    # The analyses are imported only when asked for: a plain estimate starts faster.
    n = len(services)
    intervals: list[ServiceIntervals | None] = [None] * n
    proposals: list[Proposals | None] = [None] * n
    changes: list[WhatIf | None] = [None] * n
    if settings.samples:
        from acvnum.analysis.intervals import sample_intervals  # only with --uncertainty

        intervals = list(sample_intervals(services, table, settings.samples, settings.seed))
    if settings.levers:
        from acvnum.analysis.levers import propose  # not for --levers 0, check or diff

        questionnaires = [s.questionnaire for s in services]
        proposals = list(propose(questionnaires, table, limits, settings.levers, arrays, totals))
    if settings.what_if:
        # what-if checks its paths and sections with the models: imported only when asked for
        from acvnum.analysis.whatif import what_if

        changes = list(what_if(services, table, limits, settings.what_if))
    return list(map(Analyses, intervals, proposals, changes))  # each of length n


def _check_finite(
    services: list[Service],
    limits: Boundaries,
    totals: np.ndarray,
    period_years: list[float],
) -> None:
    """Refuse figures that overflowed (a huge factor, a tiny boundary or population): inf
    and NaN would pass a budget, break the reports and make invalid JSON. `totals`: (N,
    criteria), the contributions' sums, criteria in CRITERION_IDS order."""
    per_person = np.array([limits.per_person_year.get(c, 1.0) for c in CRITERION_IDS])
    years = np.array(period_years).reshape(-1, 1)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # Yearly, as the persons-equivalent divides them: a period under a year raises them.
        shares = totals / years / per_person
    # A row's contributions not finite make its totals, so its shares, not finite (a sum
    # with inf or NaN is inf or NaN): the (N, criteria) shares tell, not the (N, A, C) terms.
    finite = np.isfinite(shares).all(axis=1)
    # One person's boundary (a global boundary over the population, each within its bounds)
    # can overflow itself: every share of an inf boundary is 0, finite, and every boundary
    # budget passes. Then no service has figures to report.
    if not (np.isfinite(per_person).all() and (per_person > 0).all()):
        finite[:] = False
    _refuse_unless(services, finite)


def _finite(*numbers: float) -> bool:
    return all(map(math.isfinite, numbers))


#: Said of each service whose figures (or a budget's limit on them) are not finite.
TOO_LARGE = (
    "figures too large to compute (not finite): check the factors given with --factors "
    "and the questionnaire's quantities"
)


def _refuse_unless(services: Sequence[Service], finite: Iterable[bool]) -> None:
    """An InputError at each service whose figures are not `finite`, if any."""
    problems = [
        Problem(s.file, 1, 1, TOO_LARGE) for s, ok in zip(services, finite, strict=True) if not ok
    ]
    if problems:
        raise InputError(problems)


def assess_services(
    services: list[Service], table: FactorTable, settings: Settings = Settings()
) -> Assessment:
    """Loaded services -> one result per service (`check` keeps the services for budgets).

    `settings.network_model` applies here, so every command that calculates (estimate, check,
    diff, the API) runs the allocation asked for."""
    services = _prepared(services, settings)
    limits = boundaries(table, settings.population)
    arrays = service_arrays([s.questionnaire for s in services])
    central = evaluate(arrays, table.central())
    contributions = central.contributions[:, 0]
    # The same sums, in the same order, as the levers' engine passes make (engine.evaluate_totals)
    totals = contributions.sum(axis=1)
    questionnaires = [s.questionnaire for s in services]
    users = [q.usage.users for q in questionnaires]
    # The questionnaires' visits and years (properties, worked out at each read) as the
    # arrays hold them: the same doubles
    visits, years = arrays.visits[:, 0].tolist(), arrays.period_years[:, 0].tolist()
    _check_finite(services, limits, totals, years)
    covered = coverage(arrays, central.inventory[:, 0], table)
    analyses = _analyses(services, table, limits, settings, arrays, totals)
    criteria = CriteriaChunk.of(
        contributions, users, visits, years, limits, covered, totals=totals
    ).views()
    results = _results(services, contributions, table, limits, analyses, criteria, visits)
    levers = tuple(a.proposals for a in analyses) if settings.levers else ()
    uncertainty = (
        tuple(a.intervals.uncertainty if a.intervals else None for a in analyses)
        if settings.samples
        else ()
    )
    what_if = tuple(a.what_if for a in analyses) if settings.what_if else ()
    judged = _judged(services, results, settings)
    return Assessment(results, settings, levers, uncertainty, what_if, judged)


def _judged(
    services: list[Service], results: tuple[ServiceResult, ...], settings: Settings
) -> tuple[tuple[BudgetOutcome, ...], ...]:
    """Each service's budgets (its own, then the settings') against its result, when asked."""
    if settings.budgets is None:
        return ()
    # Imported only when budgets are judged (check, the API): a plain estimate starts faster.
    from acvnum.analysis.budgets import evaluate as judge

    judged = tuple(
        tuple(judge([*q.budgets, *settings.budgets], r, settings.budget_statistic))
        for q, r in zip((s.questionnaire for s in services), results, strict=True)
    )
    # A boundary share's limit is share x boundary x years: finite figures can still give
    # an inf limit (that passes anything) or a margin that is not a number.
    finite = (all(_finite(o.limit, o.value, o.margin) and o.limit > 0 for o in j) for j in judged)
    _refuse_unless(services, finite)
    return judged
