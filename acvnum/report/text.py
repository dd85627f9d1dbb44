"""The terminal report (rich): fits 100 columns, reads the same piped or with NO_COLOR.

Bars use a distinct character per tier/phase so they stay legible without colour.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from acvnum.calculation.results import ServiceResult
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import levers_section, portfolio_section, uncertainty_section
from acvnum.report.common import (
    BOUNDARY_COLUMNS,
    IMPACT_COLUMNS,
    boundary_rows,
    breakdown_labels,
    flagship,
    impact_rows,
    population_note,
    readable,
    shares,
    summary_line,
)

WIDTH = 100
BAR_WIDTH = 40
#: (character, colour) per breakdown part, in order.
_GLYPHS = (("█", "cyan"), ("▒", "magenta"), ("░", "yellow"))


def _bar(parts: dict[str, float], width: int = BAR_WIDTH) -> Text:
    """A stacked bar of the parts' shares; rounding never loses or adds a cell."""
    text, used, cumulative = Text(), 0, 0.0
    for (glyph, colour), share in zip(_GLYPHS, shares(parts).values(), strict=False):
        cumulative += share
        cells = round(cumulative * width) - used
        text.append(glyph * cells, style=colour)
        used += cells
    return text


def _legend(labels: dict[str, str]) -> Text:
    text = Text()
    for (glyph, colour), label in zip(_GLYPHS, labels.values(), strict=False):
        text.append(f"{glyph}{glyph} ", style=colour).append(f"{label}   ")
    return text


def _header(result: ServiceResult, t: Translator) -> RenderableType:
    f = flagship(result, t)
    lines = Text()
    lines.append(t.label(t("flagship.energy_per_visit")), style="bold").append(
        f"{f.energy_per_visit}\n"
    )
    lines.append(t.label(t("flagship.climate_per_visit")), style="bold").append(
        f"{f.climate_per_visit}\n"
    )
    lines.append(t.label(t("flagship.persons_equivalent")), style="bold")
    lines.append(
        t("flagship.persons_equivalent_value", value=f.persons_equivalent, criterion=f.dominant)
    )
    subtitle = summary_line(result, t)
    title = result.name + (f" — {result.description}" if result.description else "")
    return Panel(
        lines,
        title=Text(title, style="bold"),
        subtitle=subtitle,
        box=box.ROUNDED,
        title_align="left",
        subtitle_align="left",
    )


def _impacts(result: ServiceResult, t: Translator) -> Table:
    table = Table(title=t("section.impacts"), box=box.SIMPLE_HEAD, title_justify="left")
    for key in IMPACT_COLUMNS:
        table.add_column(
            t(f"column.{key}"), justify="left" if key in ("criterion", "unit") else "right"
        )
    for row in impact_rows(result, t):
        table.add_row(*row)
    return table


def _breakdown(result: ServiceResult, t: Translator, attribute: str) -> Table:
    tiers, phases = breakdown_labels(t)
    labels = tiers if attribute == "by_tier" else phases
    title = t("section.by_tier") if attribute == "by_tier" else t("section.by_phase")
    table = Table(
        title=title,
        caption=_legend(labels),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column(t("column.criterion"))
    table.add_column("", width=BAR_WIDTH, no_wrap=True)
    for label in labels.values():
        table.add_column(label, justify="right")
    for cid in CRITERION_IDS:
        parts = getattr(result.criteria[cid], attribute)
        percents = [t.percent(share) for share in shares(parts).values()]
        table.add_row(t(f"criterion.{cid}"), _bar(parts), *percents)
    return table


def _boundaries(result: ServiceResult, t: Translator) -> Table:
    table = Table(
        title=t("section.boundaries"),
        caption=population_note(result, t),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for key in BOUNDARY_COLUMNS:
        table.add_column(t(f"column.{key}"), justify="left" if key == "criterion" else "right")
    for row in boundary_rows(result, t):
        table.add_row(*row)
    return table


def _assumptions(result: ServiceResult, t: Translator) -> Table:
    table = Table(
        title=t("section.assumptions"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption=t("assumptions.caption"),
        caption_justify="left",
    )
    table.add_column(t("column.value_path"), overflow="fold", max_width=34)
    table.add_column(t("column.value"), overflow="fold", max_width=22)
    table.add_column(t("column.status"))
    table.add_column(t("column.source"), overflow="fold")
    for a in result.assumptions:
        status = t(f"status.{a.status}")
        style = "yellow" if a.status == "default" else None
        table.add_row(a.path, t.quantity(a.value), Text(status, style=style or ""), a.source)
    return table


def _warnings(result: ServiceResult, t: Translator) -> RenderableType | None:
    if not result.warnings:
        return None
    lines = Text()
    for key in result.warnings:
        lines.append("! ", style="bold yellow").append(t(key) + "\n")
    return Panel(lines, title=t("section.warnings"), title_align="left", box=box.ROUNDED)


def _footer(result: ServiceResult, t: Translator) -> Text:
    text = Text(t("footer.factors", version=result.factors_version), style="dim")
    if result.user_factors:
        text.append(
            "\n" + t("footer.user_factors", ids=", ".join(result.user_factors)), style="dim"
        )
    return text


def _levers(result: ServiceResult, t: Translator) -> RenderableType | None:
    """Ranked levers (persons-eq. saved, variation per criterion), then what each changes."""
    if not result.levers:
        return None
    table = Table(
        title=t("section.levers"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column(t("column.rank"), justify="right")
    table.add_column(t("column.lever"))
    table.add_column(t("column.pe_saved"), justify="right", max_width=11)
    for header in levers_section.criterion_headers(t):
        table.add_column(header, justify="right", no_wrap=True)
    changes = Table(box=None, show_header=False)
    changes.add_column(justify="right", style="dim")
    changes.add_column(overflow="fold", style="dim")
    for rank, title, change, *figures in levers_section.lever_rows(result, t):
        table.add_row(rank, title, *figures)
        changes.add_row(rank or "∑", change)
    # The caption is a paragraph of its own: as a caption of the changes table it would
    # wrap at that table's width, which is narrow when only one short change is listed.
    return Group(table, changes, Text(t("levers.caption")))


def _what_if(result: ServiceResult, t: Translator) -> Table | None:
    """Before, after and saving per criterion for the user's --what-if."""
    if result.what_if is None:
        return None
    changes = t("punctuation.semicolon").join(c.text(t) for c in result.what_if.changes)
    pe = t("what_if.pe_saved", value=t.number(result.what_if.effect.persons_equivalent))
    table = Table(
        title=t.label(t("section.what_if")) + changes,
        caption=f"{pe}. {t('what_if.caption')}",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for i, header in enumerate(levers_section.what_if_headers(t)):
        table.add_column(header, justify="left" if i < 2 else "right")
    for row in levers_section.what_if_rows(result, t):
        table.add_row(*row)
    return table


def renderables(result: ServiceResult, t: Translator) -> list[RenderableType]:
    parts: list[RenderableType | None] = [
        _header(result, t),
        _impacts(result, t),
        *uncertainty_section.rich_renderables(result, t),
        _breakdown(result, t, "by_tier"),
        _breakdown(result, t, "by_phase"),
        _boundaries(result, t),
        _what_if(result, t),
        _levers(result, t),
        _assumptions(result, t),
        _warnings(result, t),
        _footer(result, t),
    ]
    return [p for p in parts if p is not None]


def console_for(buffer: io.StringIO, color: bool) -> Console:
    """A WIDTH-column console writing to `buffer`, with ANSI styles only when `color`."""
    return Console(
        file=buffer,
        width=WIDTH,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
    )


def render(results: list[ServiceResult], lang: str = "en", color: bool = False) -> str:
    """The whole report as text (ANSI styles only when `color`)."""
    t = Translator(lang)
    buffer = io.StringIO()
    console = console_for(buffer, color)
    results = [readable(r) for r in results]  # no user-written control character reaches a tty
    for result in results:
        for renderable in renderables(result, t):
            console.print(renderable)
            console.print()
    for renderable in portfolio_section.rich_renderables(results, t):
        console.print(renderable)
        console.print()
    return buffer.getvalue()
