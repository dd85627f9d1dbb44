"""Several services assessed together: their ranking and the portfolio's totals.

Services are ranked by their persons-equivalent on the criterion that constrains each most
(the flagship figure), the largest first. Totals are sums over the services, each over its
own period; persons-equivalents are yearly, so they add up whatever the periods.
"""

from __future__ import annotations

from dataclasses import dataclass

from acvnum.calculation.results import ServiceResult
from acvnum.reference.criteria import CRITERION_IDS


@dataclass(frozen=True)
class PortfolioCriterion:
    total: float
    persons_equivalent: float | None
    interval: dict[str, float] | None  # p5, p50, p95 of the sum, from the same samples


@dataclass(frozen=True)
class Portfolio:
    ranking: list[ServiceResult]
    criteria: dict[str, PortfolioCriterion]


def persons_equivalent(result: ServiceResult) -> float:
    """The service's persons-equivalent on its most constraining criterion."""
    return max(
        (c.boundary.persons_equivalent for c in result.criteria.values() if c.boundary),
        default=0.0,
    )


def build(results: list[ServiceResult]) -> Portfolio:
    """Rank the services and total them (intervals when they were sampled together)."""
    intervals = results[0].uncertainty.portfolio if results[0].uncertainty else None
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


def to_dict(portfolio: Portfolio) -> dict:
    """The JSON `portfolio` object."""
    return {
        "services": len(portfolio.ranking),
        "ranking": [
            {"name": r.name, "file": r.source_file, "persons_equivalent": persons_equivalent(r)}
            for r in portfolio.ranking
        ],
        "criteria": {
            cid: {
                "total": c.total,
                "persons_equivalent": c.persons_equivalent,
                **({"interval": c.interval} if c.interval else {}),
            }
            for cid, c in portfolio.criteria.items()
        },
    }
