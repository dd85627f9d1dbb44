"""The HTML report: one self-contained page (inline CSS and SVG, nothing fetched) that opens
from disk and prints well: the flagship figures, every criterion by tier and by phase as
charts, the planetary-boundary chart, the levers, the assumptions with their sources; for
several services, then their portfolio (ranked, totalled) as the Markdown report has it.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from acvnum import __version__
from acvnum.analysis.found import Assessed, Found
from acvnum.analysis.portfolio import build
from acvnum.calculation.results import ServiceResult, Uncertainty
from acvnum.escaping import terminal
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import (
    blocks_section,
    coverage_section,
    lever_words,
    levers_section,
    methodology,
    portfolio_section,
    uncertainty_section,
)
from acvnum.report.common import (
    BOUNDARY_COLUMNS,
    IMPACT_COLUMNS,
    OWN_METHOD,
    assumption_path,
    boundary_rows,
    breakdown_labels,
    citation,
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

if TYPE_CHECKING:
    from acvnum.analysis.variants import Change

#: One colour per breakdown part, in order (distinguishable with common colour blindness).
COLOURS = ("#1f6fb2", "#e08a1e", "#5b9a3c")
BOUNDARY_COLOUR = "#b23a48"
CHART_WIDTH = 760
LABEL_WIDTH = 240  # room for the longest French criterion name
BAR_WIDTH = 460
ROW_HEIGHT = 30

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d232a; background: #f6f7f9; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
section.service { background: #fff; border-radius: 10px; padding: 8px 28px 20px;
  margin-bottom: 28px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; padding-bottom: .3rem;
  border-bottom: 1px solid #dde1e6; }
.description { font-style: italic; margin: 0; }
.summary { color: #555f6b; }
.flagship { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.card { border: 1px solid #dde1e6; border-radius: 8px; padding: 12px 14px; }
.card .label { color: #555f6b; font-size: .85rem; }
.card .value { font-size: 1.45rem; font-weight: 650; }
.card .detail { font-size: .8rem; color: #555f6b; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
section.levers table { font-size: .8rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6e9ed;
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.default { color: #8a5a00; font-weight: 650; }
.caption, .note { color: #555f6b; font-size: .85rem; }
svg.chart { width: 100%; height: auto; max-width: 760px; display: block; }
svg text { font: 13px system-ui, sans-serif; fill: #1d232a; }
svg text.inside { fill: #fff; font-weight: 600; }
ul.warnings li { margin-bottom: .3rem; }
footer { color: #555f6b; font-size: .8rem; margin-top: 1.5rem; }
dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px;
  font-size: .85rem; color: #394350; margin: .6rem 0 1rem; }
dl.cover dt { font-weight: 600; } dl.cover dd { margin: 0; overflow-wrap: anywhere; }
.hash { font-family: ui-monospace, monospace; font-size: .78rem; }
.change { display: block; color: #555f6b; font-size: .75rem; }
ol.why li { margin-bottom: .4rem; }
ul.bibliography li { margin-bottom: .3rem; overflow-wrap: anywhere; }
#methodology table { font-size: .8rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section.service { box-shadow: none; border-radius: 0; padding: 0; margin: 0;
    break-before: page; }
  section.service:first-child { break-before: auto; }
  .table-wrap { overflow: visible; }
  table { table-layout: auto; font-size: 8.5pt; }
  section.levers table, section.assumptions table { font-size: 7.5pt; }
  th, td { padding: 3px 4px; overflow-wrap: anywhere; }
  td.num, th.num { overflow-wrap: normal; }
  tr, .card, svg.chart, li { break-inside: avoid; }
  h2 { break-after: avoid; }
  section.levers, section.assumptions, #bibliography, #methodology { break-before: page; }
  .flagship { grid-template-columns: repeat(3, 1fr); }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    """Text for the page: control characters and bidirectional overrides shown as their
    escapes ('\\x1b', '\\u202e'), as on a terminal and in Markdown, then escaped as HTML.
    A bidi override would reorder what the browser shows (a 'Trojan Source' display), and a
    numeric reference ('&#x202e;') is read back into the same character, so it is shown as
    text; a C0 control is a parse error in HTML, and a lone surrogate cannot be written."""
    return escape(terminal(str(text)), quote=True)


def _table(
    header: list[str],
    rows: list[list[str]],
    numeric_from: int = 99,
    words: frozenset[int] = frozenset(),
) -> str:
    """An HTML table; cells are already escaped HTML; columns from `numeric_from` align right,
    but for `words` (names among the figures: left, and free to wrap)."""

    def cls(i: int) -> str:
        return ' class="num"' if i >= numeric_from and i not in words else ""

    head = "".join(f"<th{cls(i)}>{cell}</th>" for i, cell in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'


# --- charts ---------------------------------------------------------------------------------


def _legend(labels: list[str], y: int) -> str:
    items, x = [], LABEL_WIDTH
    for colour, label in zip(COLOURS, labels, strict=False):
        items.append(
            f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 17}" y="{y}">{_e(label)}</text>'
        )
        x += 24 + 8 * len(label)
    return "".join(items)


def _segments(parts: dict[str, float], labels: dict[str, str], y: int, unit: str, t) -> str:
    """One 100 % stacked bar; each segment says its part, value and share on hover."""
    out, x = [], float(LABEL_WIDTH)
    for (key, value), share, colour in zip(
        parts.items(), shares(parts).values(), COLOURS, strict=False
    ):
        width = share * BAR_WIDTH
        tip = f"{t.label(labels[key])}{t.number(value)} {t.unit(unit)} ({t.percent(share)})"
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW_HEIGHT - 10}" '
            f'fill="{colour}"><title>{_e(tip)}</title></rect>'
        )
        if share >= 0.09:
            out.append(
                f'<text class="inside" x="{x + width / 2:.1f}" y="{y + 15}" '
                f'text-anchor="middle">{t.percent(share)}</text>'
            )
        x += width
    return "".join(out)


def breakdown_chart(result: ServiceResult, t: Translator, attribute: str) -> str:
    """Every criterion as a 100 % bar split by tier (or by phase): an inline SVG."""
    tiers, phases = breakdown_labels(t)
    labels = tiers if attribute == "by_tier" else phases
    title = t("section.by_tier") if attribute == "by_tier" else t("section.by_phase")
    top = 34
    height = top + ROW_HEIGHT * len(CRITERION_IDS) + 4
    rows = []
    for i, cid in enumerate(CRITERION_IDS):
        c = result.criteria[cid]
        y = top + i * ROW_HEIGHT
        rows.append(f'<text x="0" y="{y + 15}">{_e(t(f"criterion.{cid}"))}</text>')
        rows.append(_segments(getattr(c, attribute), labels, y, c.unit, t))
    return (
        f'<svg class="chart" id="chart-{attribute.replace("_", "-")}" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{_e(title)}">'
        f"<title>{_e(title)}</title>{_legend(list(labels.values()), 18)}{''.join(rows)}</svg>"
    )


def boundary_chart(result: ServiceResult, t: Translator) -> str:
    """Persons-equivalent per criterion as bars on one linear scale, the value at each end."""
    compared = [(cid, c.boundary) for cid in CRITERION_IDS if (c := result.criteria[cid]).boundary]
    largest = max((b.persons_equivalent for _, b in compared), default=0.0) or 1.0
    height = 10 + ROW_HEIGHT * len(compared)
    rows = []
    for i, (cid, b) in enumerate(compared):
        y = 8 + i * ROW_HEIGHT
        width = max(b.persons_equivalent / largest * (BAR_WIDTH - 60), 1.0)
        value = t.number(b.persons_equivalent)
        rows.append(
            f'<text x="0" y="{y + 15}">{_e(t(f"criterion.{cid}"))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{ROW_HEIGHT - 10}" '
            f'fill="{BOUNDARY_COLOUR}"><title>{_e(value)}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{_e(value)}</text>'
        )
    title = t("section.boundaries")
    return (
        f'<svg class="chart" id="chart-boundaries" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{_e(title)}">'
        f"<title>{_e(title)}</title>{''.join(rows)}</svg>"
    )


# --- sections -------------------------------------------------------------------------------


def _section(name: str, title: str, *body: str) -> str:
    return f'<section id="{name}" class="{name}"><h2>{_e(title)}</h2>{"".join(body)}</section>'


def _flagship(result: ServiceResult, t: Translator) -> str:
    f = flagship(result, t)
    detail = t(
        "flagship.persons_equivalent_value", value=f.persons_equivalent, criterion=f.dominant
    )
    cards = [
        (t("flagship.energy_per_visit"), f.energy_per_visit, ""),
        (t("flagship.climate_per_visit"), f.climate_per_visit, ""),
        (t("flagship.persons_equivalent"), f.persons_equivalent, detail),
    ]
    if result.functional_unit:
        cards.append((t("flagship.functional_unit"), result.functional_unit, ""))
    return (
        '<div class="flagship" id="flagship">'
        + "".join(
            f'<div class="card"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div><div class="detail">{_e(more)}</div></div>'
            for label, value, more in cards
        )
        + "</div>"
    )


def _impacts(result: ServiceResult, t: Translator) -> str:
    rows = [[_e(cell) for cell in row] for row in impact_rows(result, t)]
    header = [_e(t(f"column.{k}")) for k in IMPACT_COLUMNS]
    return _section("impacts", t("section.impacts"), _table(header, rows, numeric_from=2))


def _coverage(found: list[str], t: Translator, name: str = "coverage") -> str:
    """coverage_section's sentences (a service's or a portfolio's) as a list; none, no
    section: a result without coverage, or a portfolio without gaps, says nothing."""
    if not found:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in found)
    return _section(name, t("section.coverage"), f"<ul>{items}</ul>")


def _blocks(result: ServiceResult, t: Translator) -> str:
    layout = blocks_section.table(result, t)
    if layout is None:
        return ""
    header, rows = layout
    body = _table([_e(h) for h in header], [[_e(c) for c in row] for row in rows], numeric_from=1)
    return _section("blocks", t("section.blocks"), body, f"<p>{_e(t('blocks.caption'))}</p>")


def _boundaries(result: ServiceResult, t: Translator) -> str:
    rows = [[_e(cell) for cell in row] for row in boundary_rows(result, t)]
    return _section(
        "boundaries",
        t("section.boundaries"),
        boundary_chart(result, t),
        _table([_e(t(f"column.{k}")) for k in BOUNDARY_COLUMNS], rows, numeric_from=1),
        f'<p class="note">{_e(population_note(result, t))}</p>',
    )


def _levers(found: Found, t: Translator) -> str:
    """The ranked levers, each said in words with its technical change beside, then why."""
    if not found.levers:
        return ""
    keys = ("rank", "lever", "in_words", "pe_saved")
    header = [_e(t(f"column.{k}")) for k in keys] + [
        _e(h) for h in levers_section.criterion_headers(t)
    ]
    rows = []
    changes = [lever.changes for lever in found.levers]
    for i, (rank, title, change, *figures) in enumerate(levers_section.lever_rows(found, t)):
        words = lever_words.sentence(changes[i], t) if i < len(changes) else ""
        what = f'{_e(words)}<span class="change">{_e(change)}</span>'
        rows.append([_e(rank), _e(title), what, *(_e(f) for f in figures)])
    why = "".join(
        f"<li><strong>{_e(lever.title(t.lang))}</strong>. {_e(lever.rationale(t.lang))} "
        f'<span class="note">{_e(t("levers.source", source=source_cell(lever.lever.source, t)))}'
        "</span></li>"
        for lever in found.levers
    )
    return _section(
        "levers",
        t("section.levers"),
        _table(header, rows, numeric_from=3),
        f'<p class="caption">{_e(t("levers.caption"))}</p>',
        f"<h3>{_e(t('levers.why'))}</h3>",
        f'<ol class="why">{why}</ol>',
    )


def _what_if(found: Found, t: Translator) -> str:
    """The user's --what-if: the changes, then before, after and saving per criterion."""
    if found.what_if is None:
        return ""
    w = found.what_if
    changes = "".join(f"<li>{_what_if_change(c, t)}</li>" for c in w.changes)
    header = [_e(h) for h in levers_section.what_if_headers(t)]
    rows = [[_e(cell) for cell in row] for row in levers_section.what_if_rows(found, t)]
    pe = t("what_if.pe_saved", value=t.number(w.effect.persons_equivalent))
    return _section(
        "what-if",
        t("section.what_if"),
        f"<ul>{changes}</ul>",
        _table(header, rows, numeric_from=2),
        f'<p class="caption">{_e(pe)}. {_e(t("what_if.caption"))}</p>',
    )


def _what_if_change(change: Change, t: Translator) -> str:
    """A change in words with its technical change beside, as a lever's; the technical
    change alone when there is no sentence for its path."""
    technical = (
        f"<code>{_e(change.path)}</code>{_e(t('punctuation.colon'))}"
        f"{_e(t.value(change.before))} → {_e(t.value(change.after))}"
    )
    said = lever_words.in_words(change, t)
    return technical if said is None else f'{_e(said)}<span class="change">{technical}</span>'


def _assumptions(result: ServiceResult, t: Translator) -> str:
    keys = ("value_path", "value", "status", "source")
    rows = [
        [
            f"<code>{_e(assumption_path(a, t))}</code>",
            _e(t.value(a.value)),
            f'<span class="default">{_e(t("status.default"))}</span>'
            if a.status == "default"
            else _e(t("status.input")),
            _e(source_cell(a.source, t)),
        ]
        for a in result.assumptions
    ]
    return _section(
        "assumptions",
        t("section.assumptions"),
        f'<p class="caption">{_e(t("assumptions.caption"))}</p>',
        _table([_e(t(f"column.{k}")) for k in keys], rows),
    )


def _warnings(keys: list[str], t: Translator) -> str:
    if not keys:
        return ""
    items = "".join(f"<li>{_e(t(key))}</li>" for key in keys)
    return _section("warnings", t("section.warnings"), f'<ul class="warnings">{items}</ul>')


def _footer(result: ServiceResult, t: Translator) -> str:
    lines = [factors_footer(result, t), t("footer.method_appendix")]
    if result.user_factors:
        lines.append(t("footer.user_factors", ids=", ".join(result.user_factors)))
    return "<footer>" + "".join(f"<p>{_e(line)}</p>" for line in lines) + "</footer>"


def _bibliography(services: list[Assessed], t: Translator) -> str:
    """The publications the tables cite by key, once for the page, each with its link (our
    methodology's is its appendix)."""
    appendix = t("section.methodology")
    items = "".join(
        f'<li id="source-{_e(s.key)}"><strong>[{_e(s.key)}]</strong> {_e(citation(s, t))}.'
        + (f' <a href="{_e(s.url)}">{_e(s.url)}</a>' if s.url else "")
        + (f' <a href="#methodology">{_e(appendix)}</a>' if s.key == OWN_METHOD else "")
        + "</li>"
        for s in cited(services)
    )
    return (
        f'<section class="service" id="bibliography"><h2>{_e(t("section.bibliography"))}</h2>'
        f'<ul class="bibliography">{items}</ul></section>'
    )


def _cover(result: ServiceResult, t: Translator, today: str, digest: str) -> str:
    """Who, when, with what: the service, the date, the tool and factor versions, the input
    file and its SHA-256 (`digest`, of the file itself: `result` holds its name as shown),
    so that a printed report can be traced to what produced it."""
    name = Path(result.source_file).name
    rows = [
        (t("cover.date"), _e(today)),
        (t("cover.tool"), _e(f"acvnum {__version__}")),
        (t("cover.factors"), _e(result.factors_version)),
        (t("cover.input"), _e(name)),
        (t("cover.sha256"), f'<span class="hash">{_e(digest)}</span>'),
    ]
    items = "".join(f"<dt>{_e(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="cover" id="cover">{items}</dl>'


def _sha256(path: str) -> str:
    """The file's SHA-256, read by its real name (never by its name as a page shows it:
    an escaped name is another file, or none); '—' when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "—"


def report_date() -> str:
    """Today (ISO 8601), or the SOURCE_DATE_EPOCH date for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return date.today().isoformat()


def _uncertainty(result: ServiceResult, drawn: Uncertainty | None, t: Translator) -> str:
    """Intervals beside the central values, by tier, and what drives the spread."""
    if drawn is None:
        return ""

    def table(layout: tuple[list[str], list[list[str]]], numeric_from: int) -> str:
        header, rows = layout
        return _table([_e(h) for h in header], [[_e(c) for c in r] for r in rows], numeric_from)

    drivers = uncertainty_section.driver_table(drawn, t)
    note = t("uncertainty.drivers_caption") if drivers[1] else t("uncertainty.no_drivers")
    lines = "".join(
        f"<li>{_e(line)}</li>" for line in uncertainty_section.flagship_lines(result, t)
    )
    return _section(
        "uncertainty",
        t("uncertainty.section"),
        f"<ul>{lines}</ul>",
        table(uncertainty_section.interval_table(result, t), 2),
        f'<p class="caption">{_e(uncertainty_section.caption(drawn, t))}</p>',
        f"<h3>{_e(t('uncertainty.by_tier'))}</h3>",
        table(uncertainty_section.tier_table(result, t), 1),
        f"<h3>{_e(t('uncertainty.drivers'))}</h3>",
        table(drivers, 99),
        f'<p class="caption">{_e(note)}</p>',
    )


def _escaped(layout: tuple[list[str], list[list[str]]]) -> tuple[list[str], list[list[str]]]:
    """A section's header and rows as the page's text (service names are the user's)."""
    header, rows = layout
    return [_e(h) for h in header], [[_e(cell) for cell in row] for row in rows]


def _portfolio(services: list[Assessed], t: Translator) -> str:
    """Ranking, totals and their coverage after the services, as the Markdown report has
    them (only for several: one service's page is its own total)."""
    if len(services) < 2:
        return ""
    portfolio = build(services)
    ranking = _escaped(portfolio_section.ranking_table(portfolio, t))
    totals = _escaped(portfolio_section.totals_table(portfolio, t))
    gaps = coverage_section.portfolio_lines([s.result for s in services], t)
    parts = [
        f"<h1>{_e(portfolio_section.title(services, t))}</h1>",
        # the most constraining criterion is a name among figures: left, as in Markdown
        _table(*ranking, numeric_from=2, words=portfolio_section.WORD_COLUMNS),
        _section(
            "portfolio-totals",
            t("portfolio.totals"),
            _table(*totals, numeric_from=2),
            f'<p class="caption">{_e(t("portfolio.caption"))}</p>',
        ),
        _coverage(gaps, t, "portfolio-coverage"),
    ]
    body = "\n".join(p for p in parts if p)
    return f'<section class="service" id="portfolio">{body}</section>'


def _methodology(t: Translator) -> str:
    """The methodology as an appendix, in the report's language."""
    return (
        f'<section class="service" id="methodology"><h2>{_e(t("section.methodology"))}</h2>'
        f"{methodology.html(t.lang)}</section>"
    )


def render_one(service: Assessed, t: Translator, today: str = "", digest: str = "—") -> str:
    """One service's page; `digest`: its input file's SHA-256, hashed before its name was
    made readable."""
    result, found = service
    summary = summary_line(result, t)
    description = (
        f'<p class="description">{_e(result.description)}</p>' if result.description else ""
    )
    parts = [
        f"<h1>{_e(t('markdown.title', name=result.name))}</h1>",
        description,
        f'<p class="summary" id="summary">{_e(summary)}</p>',
        _cover(result, t, today or report_date(), digest),
        _flagship(result, t),
        _warnings(service.warnings(), t),
        _impacts(result, t),
        _coverage(coverage_section.lines(result, t), t),
        _uncertainty(result, found.uncertainty, t),
        _section("by-tier", t("section.by_tier"), breakdown_chart(result, t, "by_tier")),
        _section("by-phase", t("section.by_phase"), breakdown_chart(result, t, "by_phase")),
        _blocks(result, t),
        _boundaries(result, t),
        _what_if(found, t),
        _levers(found, t),
        _assumptions(result, t),
        _footer(result, t),
    ]
    return '<section class="service">' + "\n".join(p for p in parts if p) + "</section>"


def _anchored(page: str, n: int) -> str:
    """The `n`th service's page with ids of its own ('s2-impacts'): several services' pages
    would repeat each section's id, which HTML forbids and a link cannot tell apart (the
    styles select sections by class). Only the page's markup writes ' id="': what a user
    wrote is escaped, its quotes too (_e)."""
    return page.replace(' id="', f' id="s{n}-')


def render(services: list[Assessed], lang: str = "en") -> str:
    """The whole page: every service, one after the other, then the portfolio of them all."""
    t = Translator(lang)
    # each input hashed by its real name, before the names are made readable for display
    digests = [_sha256(r.source_file) for r, _ in services]
    # no user-written control character: each shown as its escape ('\x1b'), as _e shows it
    # in every other text of the page, so that a page has one form
    services = readable_all(services, terminal)
    title = t("markdown.title", name=", ".join(r.name for r, _ in services))
    today = report_date()
    pages = [render_one(s, t, today, d) for s, d in zip(services, digests, strict=True)]
    if len(pages) > 1:
        pages = [_anchored(page, n) for n, page in enumerate(pages, start=1)]
    portfolio = _portfolio(services, t)
    body = "\n".join(
        [*pages, *([portfolio] if portfolio else []), _bibliography(services, t), _methodology(t)]
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
