"""The Markdown report: a document a consultant can hand over or paste into a wiki.

The sections (coverage_section, uncertainty_section, blocks_section, portfolio_section,
levers_section) give rows and lines of words that every renderer shares; this module lays
them out in Markdown, as report.text does for the terminal and report.html for a page.
"""

from __future__ import annotations

from acvnum.analysis.found import Assessed, Found
from acvnum.analysis.portfolio import build
from acvnum.analysis.variants import Change
from acvnum.calculation.results import ServiceResult, Uncertainty
from acvnum.escaping import markdown_text, terminal
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import (
    blocks_section,
    coverage_section,
    lever_words,
    levers_section,
    portfolio_section,
    uncertainty_section,
)
from acvnum.report.common import (
    BOUNDARY_COLUMNS,
    IMPACT_COLUMNS,
    assumption_path,
    bibliography_entry,
    boundary_rows,
    breakdown_labels,
    cited,
    factors_footer,
    flagship,
    impact_rows,
    population_note,
    readable_all,
    shares,
    source_cell,
    summary_line,
)
from acvnum.report.tables import markdown_table


def _flagship(result: ServiceResult, t: Translator) -> list[str]:
    f, colon = flagship(result, t), t("punctuation.colon")
    unit = markdown_text(result.functional_unit or "")  # as the user wrote it
    return [
        f"## {t('markdown.flagship')}",
        "",
        f"- **{t('flagship.energy_per_visit')}**{colon}{f.energy_per_visit}",
        f"- **{t('flagship.climate_per_visit')}**{colon}{f.climate_per_visit}",
        f"- **{t('flagship.persons_equivalent')}**{colon}"
        + t("flagship.persons_equivalent_value", value=f.persons_equivalent, criterion=f.dominant),
        *(
            [f"- **{t('flagship.functional_unit')}**{colon}{unit}"]
            if result.functional_unit
            else []
        ),
        "",
    ]


def _impacts(result: ServiceResult, t: Translator) -> list[str]:
    header = [t(f"column.{k}") for k in IMPACT_COLUMNS]
    rows = impact_rows(result, t)
    return [f"## {t('section.impacts')}", "", *markdown_table(header, rows, right_from=2)]


def _coverage(found: list[str], t: Translator) -> list[str]:
    """coverage_section's sentences (a service's or a portfolio's) as a list; none, no
    section: a result without coverage, or a portfolio without gaps, says nothing."""
    if not found:
        return []
    return [f"## {t('section.coverage')}", "", *(f"- {markdown_text(s)}" for s in found), ""]


def _uncertainty(result: ServiceResult, u: Uncertainty | None, t: Translator) -> list[str]:
    """uncertainty_section's lines and tables under their headings (none without
    --uncertainty); without drivers, the note says every factor is exact."""
    if u is None:
        return []
    drivers = uncertainty_section.driver_table(u, t)
    note = t("uncertainty.drivers_caption") if drivers[1] else t("uncertainty.no_drivers")
    return [
        f"## {t('uncertainty.section')}",
        "",
        *(f"- {line}" for line in uncertainty_section.flagship_lines(result, t)),
        "",
        *markdown_table(*uncertainty_section.interval_table(result, t), right_from=2),
        uncertainty_section.caption(u, t),
        "",
        f"### {t('uncertainty.by_tier')}",
        "",
        *markdown_table(*uncertainty_section.tier_table(result, t)),
        f"### {t('uncertainty.drivers')}",
        "",
        *(markdown_table(*drivers, right_from=4) if drivers[1] else []),
        note,
        "",
    ]


def _blocks(result: ServiceResult, t: Translator) -> list[str]:
    """blocks_section's table as it comes, blocks as rows (a page has the width the
    terminal lacks); no section for a service without blocks."""
    layout = blocks_section.table(result, t)
    if layout is None:
        return []
    return [f"## {t('section.blocks')}", "", *markdown_table(*layout), t("blocks.caption"), ""]


def _breakdown(result: ServiceResult, t: Translator, attribute: str) -> list[str]:
    tiers, phases = breakdown_labels(t)
    labels = tiers if attribute == "by_tier" else phases
    title = t("section.by_tier") if attribute == "by_tier" else t("section.by_phase")
    rows = []
    for cid in CRITERION_IDS:
        parts = getattr(result.criteria[cid], attribute)
        cells = [
            f"{t.number(v)} ({t.percent(s)})"
            for v, s in zip(parts.values(), shares(parts).values(), strict=True)
        ]
        rows.append([t(f"criterion.{cid}"), *cells])
    return [f"## {title}", "", *markdown_table([t("column.criterion"), *labels.values()], rows)]


def _boundaries(result: ServiceResult, t: Translator) -> list[str]:
    header = [t(f"column.{k}") for k in BOUNDARY_COLUMNS]
    rows = boundary_rows(result, t)
    return [
        f"## {t('section.boundaries')}",
        "",
        *markdown_table(header, rows),
        population_note(result, t),
        "",
    ]


def _assumptions(result: ServiceResult, t: Translator) -> list[str]:
    header = [t(k) for k in ("column.value_path", "column.value", "column.status", "column.source")]
    rows = [
        [
            f"`{assumption_path(a, t)}`",
            t.value(a.value),
            f"**{t('status.default')}**" if a.status == "default" else t("status.input"),
            source_cell(a.source, t),
        ]
        for a in result.assumptions
    ]
    return [
        f"## {t('section.assumptions')}",
        "",
        t("assumptions.caption"),
        "",
        *markdown_table(header, rows, right_from=99),
    ]


def _warnings(keys: list[str], t: Translator) -> list[str]:
    if not keys:
        return []
    return [f"## {t('section.warnings')}", "", *(f"- {t(key)}" for key in keys), ""]


def _levers(found: Found, t: Translator) -> list[str]:
    """The ranked levers, then why each one (rationale and the source of its size)."""
    if not found.levers:
        return []
    header = [
        t("column.rank"),
        t("column.lever"),
        t("column.change"),
        t("column.pe_saved"),
        *levers_section.criterion_headers(t),
    ]
    rows = levers_section.lever_rows(found, t)
    why = [
        f"{lever.rank}. **{lever.title(t.lang)}** — "
        f"{markdown_text(lever_words.sentence(lever.changes, t))}. "  # servers named by users
        f"{lever.rationale(t.lang)}"
        f" _{t('levers.source', source=source_cell(lever.lever.source, t))}_"
        for lever in found.levers
    ]
    return [
        f"## {t('section.levers')}",
        "",
        *markdown_table(header, rows, right_from=3),
        t("levers.caption"),
        "",
        f"### {t('levers.why')}",
        "",
        *why,
        "",
    ]


def _change_item(change: Change, t: Translator) -> str:
    """'- un centre de données de PUE 1,2 au lieu de 1,56 — `hosting.pue` : 1,56 (défaut)
    → 1,2': the change in words as a lever's, then the path as code, the values localised.
    The words and the values are escaped (a server's name, as written before and after)."""
    before, after = (markdown_text(t.value(v)) for v in (change.before, change.after))
    technical = f"`{change.path}`{t('punctuation.colon')}{before} → {after}"
    said = lever_words.in_words(change, t)
    return f"- {technical}" if said is None else f"- {markdown_text(said)} — {technical}"


def _what_if(found: Found, t: Translator) -> list[str]:
    """The user's --what-if: the changes, then before, after and saving per criterion."""
    if found.what_if is None:
        return []
    w = found.what_if
    pe = t("what_if.pe_saved", value=t.number(w.effect.persons_equivalent))
    rows = levers_section.what_if_rows(found, t)
    return [
        f"## {t('section.what_if')}",
        "",
        *(_change_item(c, t) for c in w.changes),
        "",
        *markdown_table(levers_section.what_if_headers(t), rows, right_from=2),
        f"{pe}. {t('what_if.caption')}",
        "",
    ]


def render_one(service: Assessed, t: Translator) -> str:
    result, found = service
    summary = summary_line(result, t)
    lines = [f"# {t('markdown.title', name=markdown_text(result.name))}", ""]
    if result.description:
        lines += [f"_{markdown_text(result.description)}_", ""]
    lines += [summary, ""]
    lines += _flagship(result, t) + _warnings(service.warnings(), t) + _impacts(result, t)
    lines += _coverage(coverage_section.lines(result, t), t)
    lines += _uncertainty(result, found.uncertainty, t)
    lines += _breakdown(result, t, "by_tier") + _breakdown(result, t, "by_phase")
    lines += _blocks(result, t)
    lines += _boundaries(result, t)
    lines += _what_if(found, t) + _levers(found, t)
    lines += _assumptions(result, t)
    lines += ["---", "", factors_footer(result, t)]
    if result.user_factors:
        lines += ["", t("footer.user_factors", ids=", ".join(result.user_factors))]
    return "\n".join(lines) + "\n"


def render(services: list[Assessed], lang: str = "en") -> str:
    t = Translator(lang)
    # no user-written control character: each shown as its escape ('\x1b'), as markdown_text
    # shows it in every sentence (a server's name), so that a document has one form
    services = readable_all(services, terminal)
    portfolio = _portfolio(services, t)
    parts = [*(render_one(s, t) for s in services), *(["\n".join(portfolio)] if portfolio else [])]
    return "\n".join([*parts, _bibliography(services, t)])


def _portfolio(services: list[Assessed], t: Translator) -> list[str]:
    """Ranking, totals and their coverage after the services (only for several: one
    service's report is its own total)."""
    if len(services) < 2:
        return []
    portfolio = build(services)
    results = [s.result for s in services]
    return [
        f"# {portfolio_section.title(services, t)}",
        "",
        # the most constraining criterion is a name among figures: left, as the terminal has it
        *markdown_table(
            *portfolio_section.ranking_table(portfolio, t),
            right_from=2,
            left=portfolio_section.WORD_COLUMNS,
        ),
        f"## {t('portfolio.totals')}",
        "",
        *markdown_table(*portfolio_section.totals_table(portfolio, t), right_from=2),
        t("portfolio.caption"),
        "",
        *_coverage(coverage_section.portfolio_lines(results, t), t),
    ]


def _bibliography(services: list[Assessed], t: Translator) -> str:
    """The publications every table above cites by key, once for the whole document."""
    entries = [
        f"- **[{markdown_text(s.key)}]** {markdown_text(bibliography_entry(s, t))}"
        for s in cited(services)
    ]
    return "\n".join([f"## {t('section.bibliography')}", "", *entries, ""])
