"""The optional blocks' rows of the human-readable reports (AI inference, video, messages).

Each block adds its own items to `by_item` (`datacenter.use.ai`, `network.use.video`,
`datacenter.manufacturing.messages`...); their sum over a criterion, against the criterion's
total, is the block's share. Video and messages have network items for their traffic; the
devices are the visits' and stay in the terminal tier. A service without blocks has no
such items and its reports gain no section.
"""

from __future__ import annotations

from acvnum.calculation.results import ServiceResult
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.common import percentage
from acvnum.report.tables import Layout

#: Block id -> the last part of the `by_item` keys it adds (`<tier>.<phase>.<name>`).
BLOCK_ITEMS: dict[str, tuple[str, ...]] = {
    "ai": ("ai", "ai_gpus", "ai_servers"),
    "video": ("video",),
    "messages": ("messages",),
}


def block_totals(result: ServiceResult) -> dict[str, dict[str, float]]:
    """Block id -> criterion -> the block's contribution, for the blocks present."""
    present = {}
    for block, names in BLOCK_ITEMS.items():
        sums = {
            cid: sum(
                v
                for key, v in result.criteria[cid].by_item.items()
                if key.rsplit(".", 1)[-1] in names
            )
            for cid in CRITERION_IDS
        }
        keys = result.criteria[CRITERION_IDS[0]].by_item
        if any(key.rsplit(".", 1)[-1] in names for key in keys) and any(sums.values()):
            present[block] = sums
    return present


def table(result: ServiceResult, t: Translator) -> Layout | None:
    """One row per block present: its share of each criterion's total; None without blocks."""
    totals = block_totals(result)
    if not totals:
        return None
    header = [t("column.block"), *(t(f"criterion.{cid}") for cid in CRITERION_IDS)]
    rows = []
    for block, sums in totals.items():
        cells = []
        for cid in CRITERION_IDS:
            total = result.criteria[cid].total
            share = sums[cid] / total if total else 0.0
            cells.append(percentage(share * 100, t))
        rows.append([t(f"block.{block}"), *cells])
    return header, rows
