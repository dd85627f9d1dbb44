"""The trip of the data, end to end: files -> questionnaires -> engine -> results.

Commands call this module; it does no printing. Every input problem is an InputError.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from acvnum.calculation import assumptions
from acvnum.calculation.engine import Footprint, evaluate
from acvnum.calculation.inventory import service_arrays
from acvnum.calculation.results import ServiceResult, criteria_results
from acvnum.errors import InputError, Problem
from acvnum.questionnaire import units
from acvnum.questionnaire.models import Questionnaire
from acvnum.questionnaire.ranges import Bounds, validate_ranges
from acvnum.questionnaire.yaml_reader import Document, load_yaml
from acvnum.reference.boundaries import DEFAULT_POPULATION, Boundaries, boundaries
from acvnum.reference.factors import FactorTable, load_factors

FACTORS_VERSION = "2026.11"


@dataclass(frozen=True)
class Service:
    """A validated questionnaire and the document it came from (for error positions)."""

    questionnaire: Questionnaire
    document: Document
    bounds: Bounds | None = None  # the questionnaire at both ends of its ranges, if any

    @property
    def file(self) -> str:
        return self.document.file


@dataclass(frozen=True)
class Settings:
    """Choices that apply to a whole run."""

    factors_file: str | None = None
    population: str = DEFAULT_POPULATION
    samples: int | None = None  # uncertainty: number of Monte Carlo samples (None: off)
    seed: int = 0
    levers: int = 0  # how many levers to propose per service (0: none)
    what_if: tuple[str, ...] = ()  # PATH=VALUE changes to evaluate (--what-if)


def _check_regions(service: Service, table: FactorTable) -> list:
    known = table.regions()
    q = service.questionnaire
    places = [(("usage", "location"), q.usage.location)]
    if q.hosting is not None:
        places.append((("hosting", "location"), q.hosting.location))
    return [
        service.document.problem(
            path,
            f"{'.'.join(path)}: unknown country or region '{code}'; known: {', '.join(known)}",
        )
        for path, code in places
        if code is not None and code not in known
    ]


def _normalise(document: Document) -> None:
    """Country codes are case-insensitive."""
    data = document.data
    for section in ("usage", "hosting"):
        part = data.get(section) if isinstance(data, dict) else None
        if isinstance(part, dict) and isinstance(part.get("location"), str):
            part["location"] = part["location"].strip().upper()


def load_service(path: str | Path, table: FactorTable) -> Service:
    """Read, validate and check one questionnaire against the factor tables."""
    return service_from_document(load_yaml(path), table)


def service_from_document(document: Document, table: FactorTable) -> Service:
    """Validate and check parsed questionnaire data (a file's, or one changed by --what-if)."""
    _normalise(document)
    bounds = validate_ranges(document)
    service = Service(bounds.central, document, bounds)
    problems = _check_regions(service, table)
    if problems:
        raise InputError(problems)
    return service


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given; a directory stands for the YAML files inside it, sorted.

    A file named twice (`examples examples/ecommerce.yaml`, or by two spellings of one
    path) is kept once, where it first appears: a portfolio would otherwise count it twice.
    """
    expanded: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            expanded.append(path)
            continue
        inside = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not inside:
            message = "is a directory with no questionnaire (*.yaml) in it"
            raise InputError([Problem(str(path), 1, 1, message)])
        expanded += inside
    return _first_of_each(expanded)


def _first_of_each(paths: list[Path]) -> list[Path]:
    """Each file once, by its resolved path (symbolic links and `..` included)."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load_services(paths: list[str | Path], table: FactorTable) -> list[Service]:
    """Load every file, collecting the problems of all of them before failing."""
    services, problems = [], []
    for path in expand_paths(paths):
        try:
            services.append(load_service(path, table))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return services


def footprint(services: list[Service], table: FactorTable) -> Footprint:
    """Central footprint of all services in one vectorised pass: (N, 1, activities, criteria)."""
    return evaluate(service_arrays([s.questionnaire for s in services]), table.central())


def result_for(
    service: Service, contributions: np.ndarray, table: FactorTable, limits: Boundaries
) -> ServiceResult:
    """One service's result from its (activities, criteria) contributions."""
    q = service.questionnaire
    return ServiceResult(
        name=q.name,
        description=q.description,
        source_file=service.file,
        period_days=q.period / units.SECONDS_PER_DAY,
        users=q.usage.users,
        visits=q.visits,
        criteria=criteria_results(contributions, q.usage.users, q.visits, q.period_years, limits),
        assumptions=assumptions.collect(
            q, table, service.bounds.written if service.bounds else None
        ),
        warnings=assumptions.warnings(q),
        boundaries=limits,
        factors_version=FACTORS_VERSION,
        factor_sources=table.sources(),
        user_factors=sorted(table.user_ids),
    )


def assess(paths: list[str | Path], settings: Settings = Settings()) -> list[ServiceResult]:
    """Files -> one result per service."""
    table = load_factors(settings.factors_file)
    return assess_services(load_services(paths, table), table, settings)


def assess_services(
    services: list[Service], table: FactorTable, settings: Settings = Settings()
) -> list[ServiceResult]:
    """Loaded services -> one result per service (`check` keeps the services for budgets)."""
    limits = boundaries(table, settings.population)
    contributions = footprint(services, table).contributions[:, 0]
    results = [result_for(s, contributions[i], table, limits) for i, s in enumerate(services)]
    if settings.samples:
        from acvnum.analysis.intervals import add_uncertainty

        add_uncertainty(results, services, table, settings.samples, settings.seed)
    if settings.levers:
        from acvnum.analysis.levers import attach_levers

        questionnaires = [s.questionnaire for s in services]
        attach_levers(results, questionnaires, table, limits, settings.levers)
    if settings.what_if:
        from acvnum.analysis.whatif import attach_what_if

        attach_what_if(results, services, table, limits, settings.what_if)
    return results
