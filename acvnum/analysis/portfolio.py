"""Several services assessed together: their ranking and the portfolio's totals.

Services are ranked by their persons-equivalent on the criterion that constrains each most
(the flagship figure), the largest first. Totals are sums over the services, each over its
own period; persons-equivalents are yearly, so they add up whatever the periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from acvnum.analysis.found import Assessed
from acvnum.calculation.results import ServiceResult
from acvnum.reference.criteria import CRITERION_IDS


@dataclass(frozen=True)
class PortfolioCriterion:
    """One criterion summed over the services."""

    total: float
    persons_equivalent: float | None
    interval: dict[str, float] | None  # p5, p50, p95 of the sum, from the same samples


@dataclass(frozen=True)
class Portfolio:
    """The services ranked, largest first, and the criteria summed over them."""

    ranking: list[ServiceResult]
    criteria: dict[str, PortfolioCriterion]


def persons_equivalent(result: ServiceResult) -> float:
    """The service's persons-equivalent on its most constraining criterion."""
    return max(
        (c.boundary.persons_equivalent for c in result.criteria.values() if c.boundary),
        default=0.0,
    )


def build(services: list[Assessed]) -> Portfolio:
    """Rank the services and total them (intervals when they were sampled together)."""
    drawn = services[0].found.uncertainty
    intervals = drawn.portfolio if drawn else None
    results = [s.result for s in services]
    criteria = {}
    for cid in CRITERION_IDS:
        parts = [r.criteria[cid] for r in results]
        bounded = [p.boundary.persons_equivalent for p in parts if p.boundary]
        criteria[cid] = PortfolioCriterion(
            total=sum(p.total for p in parts),
            persons_equivalent=sum(bounded) if bounded else None,
            interval=intervals[cid] if intervals else None,
        )
    ranking = sorted(results, key=lambda r: (-persons_equivalent(r), r.name))
    return Portfolio(ranking, criteria)


class Tally:
    """A portfolio's JSON figures gathered batch by batch, a few numbers kept per service,
    so a folder of 10,000 is totalled without holding its results (acvnum estimate -f json);
    tallies of consecutive batches (worker processes') merge in order.

    Sums are taken at the end, in the services' order, as `build` takes them: the same totals
    to the last bit.
    """

    def __init__(self) -> None:
        self.ranked: list[tuple[float, str, str]] = []  # (persons-equivalent, name, file)
        self.totals: dict[str, list[float]] = {cid: [] for cid in CRITERION_IDS}
        self.bounded: dict[str, list[float]] = {cid: [] for cid in CRITERION_IDS}
        self.intervals: dict[str, dict[str, float]] | None = None

    def add(self, services: Iterable[Assessed]) -> Tally:
        for r, found in services:
            if not self.ranked and found.uncertainty is not None:
                self.intervals = found.uncertainty.portfolio
            self.ranked.append((persons_equivalent(r), r.name, r.source_file))
            for cid in CRITERION_IDS:
                c = r.criteria[cid]
                self.totals[cid].append(c.total)
                if c.boundary:
                    self.bounded[cid].append(c.boundary.persons_equivalent)
        return self

    def merge(self, later: Tally) -> Tally:
        """Add the tally of the services that come next."""
        if not self.ranked:
            self.intervals = later.intervals
        self.ranked += later.ranked
        for cid in CRITERION_IDS:
            self.totals[cid] += later.totals[cid]
            self.bounded[cid] += later.bounded[cid]
        return self

    def to_dict(self) -> dict[str, Any]:
        """The JSON `portfolio` object."""
        ranking = sorted(self.ranked, key=lambda row: (-row[0], row[1]))
        return {
            "services": len(self.ranked),
            "ranking": [{"name": n, "file": f, "persons_equivalent": pe} for pe, n, f in ranking],
            "criteria": {
                cid: {
                    "total": sum(self.totals[cid]),
                    "persons_equivalent": sum(self.bounded[cid]) if self.bounded[cid] else None,
                    **({"interval": self.intervals[cid]} if self.intervals else {}),
                }
                for cid in CRITERION_IDS
            },
        }
