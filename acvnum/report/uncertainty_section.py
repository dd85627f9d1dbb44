"""The uncertainty part of the human-readable reports: intervals beside the central values,
the intervals by tier, and the quantities that drive the spread (what to measure first).

Rows are built once here; the text (report.text), Markdown and HTML renderers only lay them out.
"""

from __future__ import annotations

from acvnum.calculation.inventory import TIERS
from acvnum.calculation.results import ServiceResult, Uncertainty
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.common import scaled


def _range(interval: dict[str, float], t: Translator) -> str:
    return f"{t.number(interval['p5'], 2)} – {t.number(interval['p95'], 2)}"


def flagship_lines(result: ServiceResult, t: Translator) -> list[str]:
    """Energy and climate change per visit with their 90% intervals."""
    lines = []
    for cid, key in (("energy", "energy_per_visit"), ("climate_change", "climate_per_visit")):
        c = result.criteria[cid]
        if c.interval is None:
            continue
        low, high = (scaled(c.interval[p] / result.visits, cid, t) for p in ("p5", "p95"))
        central = scaled(c.per_visit, cid, t)
        lines.append(
            t(
                "uncertainty.flagship",
                label=t(f"flagship.{key}"),
                central=central,
                low=low,
                high=high,
            )
        )
    return lines


def interval_table(result: ServiceResult, t: Translator) -> tuple[list[str], list[list[str]]]:
    """Criterion, unit, central total, p5, p50, p95."""
    header = [t("column.criterion"), t("column.unit")] + [
        t(f"uncertainty.column.{k}") for k in ("central", "p5", "p50", "p95")
    ]
    rows = []
    for cid in CRITERION_IDS:
        c = result.criteria[cid]
        if c.interval is None:
            continue
        figures = [c.total, c.interval["p5"], c.interval["p50"], c.interval["p95"]]
        rows.append([t(f"criterion.{cid}"), t.unit(c.unit), *(t.number(v) for v in figures)])
    return header, rows


def tier_table(result: ServiceResult, t: Translator) -> tuple[list[str], list[list[str]]]:
    """Criterion, then p5 – p95 of each tier."""
    header = [t("column.criterion"), *(t(f"tier.{tier}") for tier in TIERS)]
    rows = [
        [t(f"criterion.{cid}"), *(_range(c.tier_intervals[tier], t) for tier in TIERS)]
        for cid in CRITERION_IDS
        if (c := result.criteria[cid]).tier_intervals
    ]
    return header, rows


def driver_table(u: Uncertainty, t: Translator) -> tuple[list[str], list[list[str]]]:
    """The top five drivers: rank, quantity, kind, the criterion it drives most, rho."""
    header = [
        t("uncertainty.column.rank"),
        t("uncertainty.column.driver"),
        t("uncertainty.column.kind"),
        t("column.criterion"),
        t("uncertainty.column.rho"),
    ]
    drivers = u.drivers
    rows = [
        [
            str(rank),
            d.name,
            t(f"uncertainty.kind.{d.kind}"),
            t(f"criterion.{d.criterion}"),
            _correlation(d.rank_correlation, t),
        ]
        for rank, d in enumerate(drivers, start=1)
    ]
    return header, rows


def _correlation(rho: float, t: Translator) -> str:
    """Spearman's rho to two decimals with its sign ('+0.80', French '-0,61'); one that rounds
    to zero has none ('0.00', not '-0.00': no direction to read)."""
    text = "0.00" if round(rho, 2) == 0 else f"{rho:+.2f}"
    return text.replace(".", "," if t.lang == "fr" else ".")


def caption(u: Uncertainty, t: Translator) -> str:
    return t("uncertainty.caption", samples=t.number(u.samples), seed=u.seed)
