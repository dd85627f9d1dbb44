"""CSV (`--format csv`): one row per service, criterion, tier and phase, for spreadsheets."""

from __future__ import annotations

import csv
import io

from acvnum.inventory import ACTIVITIES
from acvnum.result import ServiceResult

HEADER = ("service", "criterion", "unit", "tier", "phase", "value", "per_user", "per_visit")


def rows(result: ServiceResult) -> list[tuple]:
    """The contributions of each (tier, phase) pair to each criterion."""
    pairs = sorted(
        {(a.tier, a.phase) for a in ACTIVITIES},
        key=lambda p: [(a.tier, a.phase) for a in ACTIVITIES].index(p),
    )
    out = []
    for c in result.criteria.values():
        for tier, phase in pairs:
            value = sum(v for key, v in c.by_item.items() if key.startswith(f"{tier}.{phase}."))
            out.append(
                (
                    result.name,
                    c.id,
                    c.unit,
                    tier,
                    phase,
                    repr(value),
                    repr(value / result.users),
                    repr(value / result.visits if result.visits else 0.0),
                )
            )
    return out


def render(results: list[ServiceResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for result in results:
        writer.writerows(rows(result))
    return buffer.getvalue()
