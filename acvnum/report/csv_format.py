"""CSV for spreadsheets. `--format csv`: one row per service and criterion (wide);
`--format csv-long`: one row per service, criterion, tier and phase (tidy, for pivot tables).

Each row also carries the contribution of every (tier, phase) pair, one column each
(`terminals.manufacturing` … `datacenter.use`): a tier's total is the sum of its two
columns, a phase's the sum of its three. `block.ai`, `block.video`, `block.messages` hold
what each optional block adds (already inside the pairs; empty for a service without the
block). p5, p50, p95 are filled with --uncertainty; what_if_after, what_if_saving,
what_if_reduction with --what-if (`total` is the before), and what_if_change says the
change in English words with the technical change beside, as the reports say a lever.

In the long layout, a (tier, phase) row of a service with blocks is split by `block`: one
row per block present in that pair and one (`block` empty) for the rest, so that summing
`value` over any grouping still gives the totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from acvnum.analysis.found import Assessed, Found
from acvnum.calculation.coverage import Coverage
from acvnum.calculation.inventory import ACTIVITIES
from acvnum.calculation.results import ServiceResult
from acvnum.escaping import csv_cell
from acvnum.i18n import Translator
from acvnum.report.blocks_section import BLOCK_ITEMS

#: The (tier, phase) pairs, in the order of the activities: one column each.
PAIRS = tuple(dict.fromkeys(f"{a.tier}.{a.phase}" for a in ACTIVITIES))
HEADER = (
    "service",
    "file",
    "functional_unit",
    "criterion",
    "unit",
    "total",
    "per_user",
    "per_visit",
    "persons_equivalent",
    *PAIRS,
    *(f"block.{b}" for b in BLOCK_ITEMS),
    "p5",
    "p50",
    "p95",
    "what_if_after",
    "what_if_saving",
    "what_if_reduction",
    "what_if_change",
    "not_covered",
)


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)


def _what_if_cells(found: Found, criterion: str) -> tuple[str, str, str]:
    """After, saving and fraction saved of the --what-if change (empty without one)."""
    w = found.what_if
    if w is None:
        return ("", "", "")
    effect = w.effect
    after, saving, reduction = (
        w.after[criterion],
        effect.saving[criterion],
        effect.reduction[criterion],
    )
    return (repr(after), repr(saving), repr(reduction))


def _what_if_change(found: Found) -> str:
    """'a data centre with a PUE of 1.2 instead of 1.5 (hosting.pue: 1.5 → 1.2)', each
    change so, joined by '; ' (empty without --what-if)."""
    if found.what_if is None:
        return ""
    from acvnum.report.lever_words import described  # only a --what-if needs the words

    t = Translator("en")
    said = (described(change, t) for change in found.what_if.changes)
    return csv_cell("; ".join(f"{w} ({technical})" if technical else w for w, technical in said))


def _block_of(key: str) -> str:
    """The optional block a `by_item` key belongs to, '' for the service's own items."""
    item = key.rsplit(".", 1)[-1]
    return next((b for b, names in BLOCK_ITEMS.items() if item in names), "")


def _blocks_present(result: ServiceResult) -> set[str]:
    """The blocks whose items the result lists (a service lists only the blocks it has)."""
    any_criterion = next(iter(result.criteria.values()))
    return {_block_of(key) for key in any_criterion.by_item} - {""}


def _split(by_item: dict[str, float], pair: str) -> dict[str, float]:
    """One (tier, phase) pair's contribution by block ('' for the rest), in block order."""
    parts: dict[str, float] = {}
    for key, value in by_item.items():
        if key.startswith(f"{pair}."):
            block = _block_of(key)
            parts[block] = parts.get(block, 0.0) + value
    return parts


def rows(service: Assessed) -> list[tuple]:
    """One row per criterion: totals, the contribution of each (tier, phase) pair, interval,
    the --what-if's figures."""
    result, found = service
    out = []
    change = _what_if_change(found)
    for c in result.criteria.values():
        pairs = [
            sum(v for key, v in c.by_item.items() if key.startswith(f"{pair}.")) for pair in PAIRS
        ]
        interval = c.interval or {}
        present = _blocks_present(result)
        blocks = [
            repr(sum(v for key, v in c.by_item.items() if _block_of(key) == b))
            if b in present
            else ""
            for b in BLOCK_ITEMS
        ]
        out.append(
            (
                csv_cell(result.name),
                csv_cell(result.source_file),
                csv_cell(result.functional_unit or ""),
                c.id,
                c.unit,
                repr(c.total),
                repr(c.per_user),
                repr(c.per_visit),
                _cell(c.boundary.persons_equivalent if c.boundary else None),
                *(repr(v) for v in pairs),
                *blocks,
                *(_cell(interval.get(p)) for p in ("p5", "p50", "p95")),
                *_what_if_cells(found, c.id),
                change,
                _not_covered(c.coverage),
            )
        )
    return out


def _not_covered(coverage: Coverage | None, pair: str = "") -> str:
    """The activity keys without a factor for the criterion (of one tier.phase pair when
    given), separated by ';'; empty when all are covered."""
    if coverage is None:
        return ""
    return ";".join(k for k in coverage.not_covered if k.startswith(pair))


def _write(
    header: tuple[str, ...],
    rows_of: Callable[[Assessed], list[tuple]],
    services: list[Assessed],
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for service in services:
        writer.writerows(rows_of(service))
    return buffer.getvalue()


def render(services: list[Assessed]) -> str:
    """The wide layout: one row per service and criterion."""
    return _write(HEADER, rows, services)


LONG_HEADER = (
    "service",
    "file",
    "functional_unit",
    "criterion",
    "unit",
    "tier",
    "phase",
    "block",
    "value",
    "per_user",
    "per_visit",
    "not_covered",
)


def long_rows(service: Assessed) -> list[tuple]:
    """One row per criterion and (tier, phase) pair, split by optional block where a block
    contributes to the pair: the tidy layout of the same numbers."""
    result = service.result
    out = []
    for c in result.criteria.values():
        for pair in PAIRS:
            tier, phase = pair.split(".")
            parts = _split(c.by_item, pair)
            for block, value in parts.items() if parts else [("", 0.0)]:
                per_visit = value / result.visits if result.visits else 0.0
                out.append(
                    (
                        csv_cell(result.name),
                        csv_cell(result.source_file),
                        csv_cell(result.functional_unit or ""),
                        c.id,
                        c.unit,
                        tier,
                        phase,
                        block,
                        repr(value),
                        repr(value / result.users),
                        repr(per_visit),
                        _not_covered(c.coverage, f"{pair}."),
                    )
                )
    return out


def render_long(services: list[Assessed]) -> str:
    """The tidy layout: one row per service, criterion, tier and phase."""
    return _write(LONG_HEADER, long_rows, services)
