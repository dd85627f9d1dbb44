"""The terminal report of `acvnum check`: one table of budgets per service, the baseline
comparison under it, and a one-line verdict."""

from __future__ import annotations

import io

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from acvnum.budgets import CheckRun, ServiceCheck
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.text import console_for

_LEFT = 3  # criterion, per and unit read left-aligned; the figures right-aligned


def _budgets(check: ServiceCheck, t: Translator) -> RenderableType:
    title = f"{check.result.name} — {t('check.budgets')}"
    if not check.budgets:
        return Text(f"{title}: {t('check.no_budget')}")
    share = cc.with_share(check.budgets)
    caption = t("check.share_caption") if share else None
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for i, name in enumerate(cc.budget_header(t, share)):
        table.add_column(name, justify="left" if i < _LEFT else "right", no_wrap=i >= _LEFT)
    for outcome in check.budgets:
        *cells, result = cc.budget_cells(outcome, t, share)
        table.add_row(*cells, Text(result, style="bold green" if outcome.passed else "bold red"))
    return table


def _baseline(check: ServiceCheck, run: CheckRun, t: Translator) -> RenderableType | None:
    if check.unmatched:
        return Text(t("check.unmatched", name=check.result.name, file=run.baseline_file))
    if check.baseline is None:
        return None
    table = Table(title=cc.baseline_title(run, t), box=box.SIMPLE_HEAD, title_justify="left")
    for i, name in enumerate(cc.baseline_header(t)):
        table.add_column(name, justify="right" if 1 < i < 5 else "left", no_wrap=i < 6)
    for outcome in check.baseline:
        cells = cc.baseline_cells(outcome, t)
        style = "bold green" if outcome.passed else "bold red"
        table.add_row(*cells[:5], Text(cells[5], style=style), cells[6])
    return table


def render(run: CheckRun, lang: str = "en", color: bool = False) -> str:
    """Tables of every service, then the verdict (ANSI styles only when `color`)."""
    t = Translator(lang)
    buffer = io.StringIO()
    console = console_for(buffer, color)
    for check in run.services:
        for part in (_budgets(check, t), _baseline(check, run, t)):
            if part is not None:
                console.print(part)
                console.print()
    console.print(Text(cc.summary(run, t), style="bold green" if run.passed else "bold red"))
    return buffer.getvalue()
