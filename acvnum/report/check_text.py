"""The terminal report of `acvnum check`: one table of budgets per service, the baseline
comparison under it, and a one-line verdict."""

from __future__ import annotations

import io

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from acvnum.analysis.budgets import CheckRun, ServiceCheck
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.text import WIDTH, console_for

_BUDGET_FIGURES = 3  # criterion, per and unit are words; the columns after them figures
_BASELINE_FIGURES = 2  # criterion and unit, then figures (and the tiers that grew, words)


def _longest(texts: list[str]) -> int:
    return max(map(len, texts), default=1)


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _widths(header: list[str], rows: list[list[str]], figures: range, grow: list[int]) -> list[int]:
    """Column widths within WIDTH columns that never cut a word with '…' (French words are
    long): the `figures` columns keep each figure on one line, their header wrapping above
    it; the others wrap between words, and the room left widens them, in the order of
    `grow`, up to their longest text."""
    columns = [[name, *(row[i] for row in rows)] for i, name in enumerate(header)]
    widths = [
        max(_longest_word(cells), _longest(cells[1:]) if i in figures else 0)
        for i, cells in enumerate(columns)
    ]
    left = WIDTH - (3 * len(header) + 1) - sum(widths)  # padding, one space between, edges
    for i in grow:
        extra = max(0, min(left, _longest(columns[i]) - widths[i]))
        widths[i] += extra
        left -= extra
    return widths


def _table(title: str, caption: str | None, header: list[str], widths: list[int]) -> Table:
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for name, width in zip(header, widths, strict=True):
        table.add_column(name, width=width)
    return table


def _right_align(table: Table, figures: range) -> None:
    for i in figures:
        table.columns[i].justify = "right"


def _budgets(check: ServiceCheck, run: CheckRun, t: Translator) -> RenderableType:
    title = f"{cc.service_name(check)} — {t('check.budgets')}"
    if not check.budgets:
        return Text(f"{title}: {t('check.no_budget')}")
    share = cc.with_share(check.budgets)
    caption = t("check.share_caption") if share else None
    header = cc.budget_header(t, share, run.statistic)
    rows = [cc.budget_cells(outcome, t, share) for outcome in check.budgets]
    figures = range(_BUDGET_FIGURES, len(header))
    table = _table(title, caption, header, _widths(header, rows, figures, [2, 0]))
    _right_align(table, figures)
    for outcome, (*cells, result) in zip(check.budgets, rows, strict=True):
        table.add_row(*cells, Text(result, style="bold green" if outcome.passed else "bold red"))
    return table


def _baseline(check: ServiceCheck, run: CheckRun, t: Translator) -> RenderableType | None:
    if check.baseline is None:
        return None
    header = cc.baseline_header(t)
    rows = [cc.baseline_cells(outcome, t) for outcome in check.baseline]
    figures = range(_BASELINE_FIGURES, len(header) - 1)
    widths = _widths(header, rows, figures, [1, len(header) - 1, 0])
    notes = cc.baseline_notes(check, run, t)
    table = _table(cc.baseline_title(run, t), "\n".join(notes) or None, header, widths)
    _right_align(table, figures[:-1])  # the result (PASS, FAIL) reads left, as before
    for outcome, cells in zip(check.baseline, rows, strict=True):
        style = "bold green" if outcome.passed else "bold red"
        table.add_row(*cells[:5], Text(cells[5], style=style), cells[6])
    return table


def render(run: CheckRun, lang: str = "en", color: bool = False) -> str:
    """Tables of every service, then the verdict (ANSI styles only when `color`)."""
    t = Translator(lang)
    buffer = io.StringIO()
    console = console_for(buffer, color)
    note = cc.statistic_note(run, t)
    if note is not None:
        console.print(Text(note, style="bold"))
        console.print()
    for check in run.services:
        for part in (_budgets(check, run, t), _baseline(check, run, t)):
            if part is not None:
                console.print(part)
                console.print()
    console.print(Text(cc.summary(run, t), style="bold green" if run.passed else "bold red"))
    return buffer.getvalue()
