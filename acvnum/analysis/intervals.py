"""Uncertainty on the results: sample all services together, return each one's intervals
and drivers; `acvnum.assessment` puts them in the results it builds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from acvnum.analysis.sensitivity import rank_correlations, top_drivers
from acvnum.analysis.uncertainty import PERCENTILES, InputCell, propagate
from acvnum.calculation.inventory import TIERS, ServiceArrays, service_arrays
from acvnum.calculation.results import CriterionResult, Interval, Uncertainty
from acvnum.questionnaire.paths import dotted, with_index
from acvnum.questionnaire.ranges import RANGEABLE
from acvnum.questionnaire.service import Service
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable

#: Field -> the questionnaire paths that feed it (a block's two ways of giving one
#: quantity, e.g. video watched per visit or per user, feed one field).
_PATHS: dict[str, list[tuple[str, ...]]] = {}
for _pattern, (_field, _) in RANGEABLE.items():
    _PATHS.setdefault(_field, []).append(_pattern)


def percentiles(values: np.ndarray) -> dict[str, float]:
    """(3,) values at PERCENTILES -> {"p5": …, "p50": …, "p95": …}."""
    return {f"p{p:g}": float(v) for p, v in zip(PERCENTILES, values, strict=True)}


def input_label(cell: InputCell, arrays: ServiceArrays, written: Mapping[str, str]) -> str:
    """The questionnaire path of a range: 'usage.data_per_visit', 'hosting.servers[1].power'.

    `written` holds the service's ranges by dotted path: where two paths feed one field,
    the one the questionnaire uses is the one written as a range.
    """
    patterns = _PATHS[cell.field]
    pattern = next((p for p in patterns if dotted(p) in written), patterns[0])
    if "*" not in pattern:
        return dotted(pattern)
    group = cell.row - int(np.flatnonzero(arrays.servers.service == cell.service)[0])
    return dotted(with_index(pattern, group))


@dataclass(frozen=True)
class ServiceIntervals:
    """One service's sampled intervals per criterion (total and by tier) and its drivers."""

    totals: Mapping[str, Interval]  # criterion -> p5, p50, p95
    tiers: Mapping[str, Mapping[str, Interval]]  # criterion -> tier -> p5, p50, p95
    uncertainty: Uncertainty

    def criteria(self, central: Mapping[str, CriterionResult]) -> dict[str, CriterionResult]:
        """The central results with these intervals (new objects; `central` is unchanged)."""
        return {
            cid: replace(c, interval=self.totals[cid], tier_intervals=self.tiers[cid])
            for cid, c in central.items()
        }


def sample_intervals(
    services: list[Service], table: FactorTable, samples: int, seed: int
) -> list[ServiceIntervals]:
    """Sample all services together: each one's intervals and drivers, in order."""
    central = service_arrays([s.questionnaire for s in services])
    ends = [s.bounds or _Exact(s.questionnaire) for s in services]
    low, high = service_arrays([e.low for e in ends]), service_arrays([e.high for e in ends])
    run = propagate(central, low, high, table, samples, seed)
    rho = rank_correlations(run.scores, run.outputs)
    written = [s.bounds.written if s.bounds else {} for s in services]
    names = [*run.factor_ids, *(input_label(c, central, written[c.service]) for c in run.cells)]
    kinds = ["factor"] * len(run.factor_ids) + ["input"] * len(run.cells)
    portfolio = None
    if len(services) > 1:
        portfolio = {cid: percentiles(run.portfolio[:, c]) for c, cid in enumerate(CRITERION_IDS)}
    found = []
    for i in range(len(services)):
        overall, by_criterion = top_drivers(rho[i], run.relevant[i], names, kinds)
        found.append(
            ServiceIntervals(
                totals={
                    cid: percentiles(run.totals[:, i, c]) for c, cid in enumerate(CRITERION_IDS)
                },
                tiers={
                    cid: {tier: percentiles(run.tiers[:, i, t, c]) for t, tier in enumerate(TIERS)}
                    for c, cid in enumerate(CRITERION_IDS)
                },
                uncertainty=Uncertainty(samples, seed, overall, by_criterion, portfolio),
            )
        )
    return found


class _Exact:
    """A questionnaire without ranges: both ends are the questionnaire itself."""

    def __init__(self, questionnaire):
        self.low = self.high = questionnaire
