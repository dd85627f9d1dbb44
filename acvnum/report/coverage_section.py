"""The coverage statement of every human-readable report: per criterion, the activities of
the service that have no factor for it (acvnum.calculation.coverage), so that a criterion
summed over fewer activities is never read as complete.

Only the criteria with gaps get a line, naming the activities grouped by tier and phase
("Network, manufacturing: fixed access, mobile access"); a closing line says the others
cover every activity the service uses.
"""

from __future__ import annotations

from acvnum.calculation.results import ServiceResult
from acvnum.escaping import markdown_text
from acvnum.i18n import Translator


def _groups(keys: tuple[str, ...], t: Translator) -> str:
    """('network.manufacturing.fixed', ...) -> 'Network, manufacturing: fixed access; ...'."""
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


def markdown_lines(result: ServiceResult, t: Translator) -> list[str]:
    found = lines(result, t)
    if not found:
        return []
    return [f"## {t('section.coverage')}", "", *(f"- {markdown_text(s)}" for s in found), ""]
