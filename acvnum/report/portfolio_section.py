"""The portfolio part of the human-readable reports: services ranked, then the totals."""

from __future__ import annotations

from acvnum.analysis.found import Assessed
from acvnum.analysis.portfolio import Portfolio, build, persons_equivalent
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import coverage_section
from acvnum.report.common import flagship
from acvnum.report.tables import markdown_table


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
                f"{t.number(share * 100)} %",
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


#: The ranking's column of the most constraining criterion (see ranking_table).
_DOMINANT = frozenset({3})


def title(services: list[Assessed], t: Translator) -> str:
    return t("portfolio.section", count=len(services))


def markdown_lines(services: list[Assessed], t: Translator) -> list[str]:
    """Ranking and totals for the Markdown report (only for several services)."""
    if len(services) < 2:
        return []
    portfolio = build(services)
    return [
        f"# {title(services, t)}",
        "",
        # the most constraining criterion is a name among figures: left, as the terminal has it
        *markdown_table(*ranking_table(portfolio, t), right_from=2, left=_DOMINANT),
        f"## {t('portfolio.totals')}",
        "",
        *markdown_table(*totals_table(portfolio, t), right_from=2),
        t("portfolio.caption"),
        "",
        *coverage_section.portfolio_markdown_lines([s.result for s in services], t),
    ]
