"""Uncertainty on the results: sample, then write intervals and drivers into each result."""

from __future__ import annotations

import numpy as np

from acvnum.analysis.sensitivity import rank_correlations, top_drivers
from acvnum.analysis.uncertainty import PERCENTILES, InputCell, propagate
from acvnum.calculation.inventory import TIERS, ServiceArrays, service_arrays
from acvnum.calculation.results import ServiceResult, Uncertainty
from acvnum.questionnaire.ranges import RANGEABLE, dotted
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable

_PATHS = {field: pattern for pattern, (field, _) in RANGEABLE.items()}


def percentiles(values: np.ndarray) -> dict[str, float]:
    """(3,) values at PERCENTILES -> {"p5": …, "p50": …, "p95": …}."""
    return {f"p{p:g}": float(v) for p, v in zip(PERCENTILES, values, strict=True)}


def input_label(cell: InputCell, arrays: ServiceArrays) -> str:
    """The questionnaire path of a range: 'usage.data_per_visit', 'hosting.servers[1].power'."""
    pattern = _PATHS[cell.field]
    if "*" not in pattern:
        return dotted(pattern)
    group = cell.row - int(np.flatnonzero(arrays.servers.service == cell.service)[0])
    return dotted(tuple(group if part == "*" else part for part in pattern))


def add_uncertainty(
    results: list[ServiceResult], services: list, table: FactorTable, samples: int, seed: int
) -> None:
    """Sample all services together; set each criterion's intervals and each service's drivers."""
    central = service_arrays([s.questionnaire for s in services])
    ends = [s.bounds or _Exact(s.questionnaire) for s in services]
    low, high = service_arrays([e.low for e in ends]), service_arrays([e.high for e in ends])
    run = propagate(central, low, high, table, samples, seed)
    rho = rank_correlations(run.scores, run.outputs)
    names = [*run.factor_ids, *(input_label(c, central) for c in run.cells)]
    kinds = ["factor"] * len(run.factor_ids) + ["input"] * len(run.cells)
    portfolio = None
    if len(results) > 1:
        portfolio = {cid: percentiles(run.portfolio[:, c]) for c, cid in enumerate(CRITERION_IDS)}
    for i, result in enumerate(results):
        for c, cid in enumerate(CRITERION_IDS):
            criterion = result.criteria[cid]
            criterion.interval = percentiles(run.totals[:, i, c])
            criterion.tier_intervals = {
                tier: percentiles(run.tiers[:, i, t, c]) for t, tier in enumerate(TIERS)
            }
        overall, by_criterion = top_drivers(rho[i], run.relevant[i], names, kinds)
        result.uncertainty = Uncertainty(samples, seed, overall, by_criterion, portfolio)


class _Exact:
    """A questionnaire without ranges: both ends are the questionnaire itself."""

    def __init__(self, questionnaire):
        self.low = self.high = questionnaire
