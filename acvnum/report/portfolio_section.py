"""The portfolio part of the human-readable reports: services ranked, then the totals."""

from __future__ import annotations

from acvnum.analysis.found import Assessed
from acvnum.analysis.portfolio import Portfolio, persons_equivalent
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.common import flagship, percentage

#: The ranking's columns of words (the service, its most constraining criterion): laid out
#: as text among the figures by every renderer.
WORD_COLUMNS = frozenset({1, 3})


def ranking_table(portfolio: Portfolio, t: Translator) -> tuple[list[str], list[list[str]]]:
    """Rank, service, persons-equivalent, most constraining criterion, share of climate change."""
    header = [
        t("uncertainty.column.rank"),
        t("portfolio.column.service"),
        t("column.persons_equivalent"),
        t("portfolio.column.dominant"),
        t("portfolio.column.climate_share"),
    ]
    climate = portfolio.criteria["climate_change"].total
    rows = []
    for rank, result in enumerate(portfolio.ranking, start=1):
        share = result.criteria["climate_change"].total / climate if climate else 0.0
        rows.append(
            [
                str(rank),
                result.name,
                t.number(persons_equivalent(result)),
                flagship(result, t).dominant,
                percentage(share * 100, t),
            ]
        )
    return header, rows


def totals_table(portfolio: Portfolio, t: Translator) -> tuple[list[str], list[list[str]]]:
    """Criterion, unit, total, persons-equivalent, and p5 – p95 when sampled."""
    sampled = any(c.interval for c in portfolio.criteria.values())
    header = [t("column.criterion"), t("column.unit"), t("column.total")]
    header += [t("column.persons_equivalent")]
    if sampled:
        header += [t("uncertainty.column.p5"), t("uncertainty.column.p95")]
    rows = []
    for cid in CRITERION_IDS:
        c = portfolio.criteria[cid]
        unit = t.unit(portfolio.ranking[0].criteria[cid].unit)
        pe = "—" if c.persons_equivalent is None else t.number(c.persons_equivalent)
        row = [t(f"criterion.{cid}"), unit, t.number(c.total), pe]
        if sampled and c.interval:
            row += [t.number(c.interval["p5"]), t.number(c.interval["p95"])]
        rows.append(row)
    return header, rows


def title(services: list[Assessed], t: Translator) -> str:
    return t("portfolio.section", count=len(services))
