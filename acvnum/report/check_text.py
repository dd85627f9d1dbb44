"""The terminal report of `acvnum check`: one table of budgets per service, the baseline
comparison under it, and a one-line verdict."""

from __future__ import annotations

import io

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.escaping import terminal_line
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.text import MIN_WIDTH, console_for

_BUDGET_FIGURES = 3  # criterion, per and unit are words; the columns after them figures
_BASELINE_FIGURES = 2  # criterion and unit, then figures (and the tiers that grew, words)


def _longest(texts: list[str]) -> int:
    return max(map(len, texts), default=1)


def _longest_line(texts: list[str]) -> int:
    return max((len(line) for text in texts for line in text.splitlines()), default=1)


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _narrowest(header: list[str], rows: list[list[str]], one_line: range) -> list[int]:
    """Each column's narrowest width: its longest word, or in the `one_line` columns
    (figures, 'Network +12 %') its longest line, which never wraps."""
    columns = [[name, *(row[i] for row in rows)] for i, name in enumerate(header)]
    return [
        max(_longest_word(cells), _longest_line(cells[1:]) if i in one_line else 0)
        for i, cells in enumerate(columns)
    ]


def _room(widths: list[int], width: int, tight: bool = False) -> int:
    """What `width` columns leave beside `widths`: a space each side of every cell (but
    the outer ones when `tight`), one between columns, the edges."""
    return width - (3 * len(widths) + 1) - sum(widths) + (2 if tight else 0)


def _widths(
    header: list[str],
    rows: list[list[str]],
    figures: range,
    grow: list[int],
    width: int,
    tight: bool = False,
) -> list[int]:
    """Column widths within `width` columns that never cut a word with '…' (French words are
    long): the `figures` columns keep each figure on one line, their header wrapping above
    it; the others wrap between words, and the room left widens them, in the order of
    `grow`, up to their longest text."""
    widths = _narrowest(header, rows, figures)
    left = _room(widths, width, tight)
    for i in grow:
        longest = _longest_line([header[i], *(row[i] for row in rows)])
        extra = max(0, min(left, longest - widths[i]))
        widths[i] += extra
        left -= extra
    return widths


def _folded(cells: list[str], count: int, lower: bool = False) -> list[str]:
    """The first `count` cells as one: 'Climate change (visit, g CO2e)'; `lower` for a
    header's ('Criterion (per, unit)')."""
    inside = [c.lower() if lower else c for c in cells[1:count]]
    return [f"{cells[0]} ({', '.join(inside)})", *cells[count:]]


def _layout(
    header: list[str], rows: list[list[str]], figures: range, width: int
) -> tuple[list[str], list[list[str]], int]:
    """The columns as they are where their narrowest widths fit in `width`; else (at 80
    columns) the word columns before the figures folded into the first, as the diff's tier
    table writes 'Criterion (unit)'. Returns the header, the rows and how many columns
    were folded away."""
    if _room(_narrowest(header, rows, figures), width) >= 0:
        return header, rows, 0
    count = figures.start
    return _folded(header, count, lower=True), [_folded(row, count) for row in rows], count - 1


def _table(
    title: str, caption: str | None, header: list[str], widths: list[int], tight: bool = False
) -> Table:
    """`tight`: no space before the first column nor after the last (80 columns)."""
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        pad_edge=not tight,
    )
    for name, width in zip(header, widths, strict=True):
        table.add_column(name, width=width)
    return table


def _right_align(table: Table, figures: range) -> None:
    for i in figures:
        table.columns[i].justify = "right"


def _after_fold(figures: range, grow: list[int], folded: int) -> tuple[range, list[int]]:
    """The figure and growing columns' indices once `folded` columns went into the first."""
    kept = [i - folded if i else 0 for i in grow if i == 0 or i > folded]
    return range(figures.start - folded, figures.stop - folded), kept


def _budgets(check: ServiceCheck, run: CheckRun, t: Translator, width: int) -> RenderableType:
    # a user's name, shown as escapes on its line ('\x1b', '\x0a'), as diff and estimate do
    title = f"{cc.service_name(check, terminal_line)} — {t('check.budgets')}"
    if not check.budgets:
        return Text(f"{title}: {t('check.no_budget')}")
    share = cc.with_share(check.budgets)
    caption = t("check.share_caption") if share else None
    header = cc.budget_header(t, share, run.statistic)
    rows = [cc.budget_cells(outcome, t, share) for outcome in check.budgets]
    figures = range(_BUDGET_FIGURES, len(header))
    header, rows, folded = _layout(header, rows, figures, width)
    figures, grow = _after_fold(figures, [2, 0], folded)
    widths = _widths(header, rows, figures, grow, width, tight=folded > 0)
    table = _table(title, caption, header, widths, tight=folded > 0)
    _right_align(table, figures)
    for outcome, (*cells, result) in zip(check.budgets, rows, strict=True):
        table.add_row(*cells, Text(result, style="bold green" if outcome.passed else "bold red"))
    return table


def _tier_a_line(cells: list[str]) -> list[str]:
    """The tiers that grew one under the other ('Network +12 %'), never cut inside one."""
    return [*cells[:-1], cells[-1].replace(", ", "\n")]


def _baseline(
    check: ServiceCheck, run: CheckRun, t: Translator, width: int
) -> RenderableType | None:
    if check.baseline is None:
        return None
    header = cc.baseline_header(t)
    rows = [_tier_a_line(cc.baseline_cells(outcome, t)) for outcome in check.baseline]
    # The figures, the result and the tiers that grew stay on one line each.
    one_line, grow = range(_BASELINE_FIGURES, len(header)), [len(header) - 1, 1, 0]
    header, rows, folded = _layout(header, rows, one_line, width)
    one_line, grow = _after_fold(one_line, grow, folded)
    widths = _widths(header, rows, one_line, grow, width, tight=folded > 0)
    # the baseline's file and service name, shown as escapes on their line
    notes = cc.baseline_notes(check, run, t, terminal_line)
    caption = "\n".join(notes) or None
    title = cc.baseline_title(run, t, terminal_line)
    table = _table(title, caption, header, widths, tight=folded > 0)
    _right_align(table, one_line[:-2])  # the figures; the result and the tiers read left
    for outcome, (*cells, result, grown) in zip(check.baseline, rows, strict=True):
        style = "bold green" if outcome.passed else "bold red"
        table.add_row(*cells, Text(result, style=style), grown)
    return table


def render(run: CheckRun, lang: str = "en", color: bool = False, width: int = MIN_WIDTH) -> str:
    """Tables of every service, then the verdict (ANSI styles only when `color`), laid out
    for `width` columns (the terminal's, see text.report_width)."""
    t = Translator(lang)
    buffer = io.StringIO()
    console = console_for(buffer, color, width)
    note = cc.statistic_note(run, t)
    if note is not None:
        console.print(Text(note, style="bold"))
        console.print()
    for check in run.services:
        for part in (_budgets(check, run, t, width), _baseline(check, run, t, width)):
            if part is not None:
                console.print(part)
                console.print()
    console.print(Text(cc.summary(run, t), style="bold green" if run.passed else "bold red"))
    return buffer.getvalue()
