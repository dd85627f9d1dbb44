"""The coverage statement of every human-readable report: per criterion, the activities of
the service that have no factor for it (acvnum.calculation.coverage), so that a criterion
summed over fewer activities is never read as complete.

Only the criteria with gaps get a line, naming the activities grouped by tier and phase:
"Network manufacturing (fixed access per GB, mobile access per GB)", in French
"Réseau, fabrication (accès fixe par Go, accès mobile par Go)". A closing line says the
others cover every activity the service uses.
"""

from __future__ import annotations

from acvnum.calculation.results import ServiceResult
from acvnum.i18n import Translator


def _groups(keys: tuple[str, ...], t: Translator) -> str:
    """('network.manufacturing.fixed', 'network.manufacturing.box', 'terminals.use.laptop')
    -> 'Network manufacturing (fixed access per GB, home box); Terminals use (laptops)'."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for key in keys:
        tier, phase, item = key.split(".")
        grouped.setdefault((tier, phase), []).append(t(f"item.{item}"))
    return t("coverage.separator").join(
        t(
            "coverage.group",
            tier=t(f"tier.{tier}"),
            phase=t(f"phase.{phase}").lower(),
            items=", ".join(items),
        )
        for (tier, phase), items in grouped.items()
    )


def lines(result: ServiceResult, t: Translator) -> list[str]:
    """One sentence per criterion with activities not covered, then one for the rest."""
    gaps = [
        t(
            "coverage.not_covered",
            criterion=t(f"criterion.{cid}"),
            activities=_groups(c.coverage.not_covered, t),
        )
        for cid, c in result.criteria.items()
        if c.coverage is not None and c.coverage.not_covered
    ]
    if not any(c.coverage is not None for c in result.criteria.values()):
        return []
    return [*gaps, t("coverage.rest" if gaps else "coverage.complete")]


def portfolio_lines(results: list[ServiceResult], t: Translator) -> list[str]:
    """Under a portfolio's totals: per criterion, the activities without a factor in any of
    its services and how many services they concern (each service's report has its own)."""
    gaps: dict[str, dict[str, None]] = {}
    services: dict[str, int] = {}
    for result in results:
        for cid, c in result.criteria.items():
            if c.coverage is not None and c.coverage.not_covered:
                gaps.setdefault(cid, {}).update(dict.fromkeys(c.coverage.not_covered))
                services[cid] = services.get(cid, 0) + 1
    found = [
        t(
            "coverage.portfolio",
            criterion=t(f"criterion.{cid}"),
            count=services[cid],
            total=len(results),
            activities=_groups(tuple(keys), t),
        )
        for cid, keys in gaps.items()
    ]
    return [*found, t("coverage.rest_portfolio")] if found else []
