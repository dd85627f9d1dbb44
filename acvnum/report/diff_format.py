"""The reports of `acvnum diff`: per criterion A, B, change and change in %, then by tier.

Text (rich), Markdown and JSON read the same rows, so they never disagree on a figure.
"""

from __future__ import annotations

import io
import json
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from acvnum.analysis.comparison import (
    Change,
    CriterionChange,
    Snapshot,
    compare,
    factor_changes,
    periods_differ,
)
from acvnum.escaping import markdown_code, markdown_text, terminal_line
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.common import factor_changes_note
from acvnum.report.tables import markdown_table
from acvnum.report.text import MIN_WIDTH, console_for

#: The version of `acvnum diff --format json` (its own document, not the result JSON).
DIFF_SCHEMA_VERSION = 1


def _figures(change: Change, size: float, t: Translator) -> list[str]:
    """A, B, change, change %: in the row's unit."""
    return [
        t.number(change.before / size),
        t.number(change.after / size),
        ("+" if change.delta > 0 else "") + t.number(change.delta / size),
        cc.percent(change.relative, t),
    ]


def _size(c: CriterionChange, t: Translator) -> tuple[float, str]:
    reference = max(abs(c.value.before), abs(c.value.after))
    return cc.unit_for(reference, c.criterion, c.unit, t)


def criterion_rows(changes: list[CriterionChange], t: Translator) -> list[list[str]]:
    rows = []
    for c in changes:
        size, label = _size(c, t)
        rows.append([t(f"criterion.{c.criterion}"), label, *_figures(c.value, size, t)])
    return rows


def tier_rows(changes: list[CriterionChange], t: Translator) -> list[list[str]]:
    rows = []
    for c in changes:
        size, label = _size(c, t)
        for tier, change in c.by_tier.items():
            cells = _figures(change, size, t)
            rows.append([t(f"criterion.{c.criterion}"), t(f"tier.{tier}"), label, *cells])
    return rows


def _headers(t: Translator, by_tier: bool) -> list[str]:
    first = ["column.criterion", "diff.column.tier"] if by_tier else ["column.criterion"]
    keys = [*first, "column.unit", "diff.column.a", "diff.column.b"]
    return [t(k) for k in keys] + [t("check.column.change"), t("diff.column.change_pct")]


def _legend(a: Snapshot, b: Snapshot) -> str:
    """'A: name (file)' then 'B: ...', for a terminal: each on its line, whatever the name
    holds (a newline, an escape sequence: shown as escapes, '\\x0a')."""
    return "\n".join(
        f"{side}: {terminal_line(s.name)} ({terminal_line(s.source)})"
        for side, s in (("A", a), ("B", b))
    )


def _period(days: float, t: Translator) -> str:
    return t("period.year") if abs(days - 365.25) < 1e-6 else t("period.days", days=t.number(days))


def period_warning(a: Snapshot, b: Snapshot, per: str, t: Translator) -> str | None:
    """Totals over a year and over a month differ by twelve for the same service: said
    plainly, with the comparison that does hold (per visit or per user)."""
    if per != "total" or not periods_differ(a, b):
        return None
    return t(
        "diff.periods_differ",
        a=_period(a.period_days or 0.0, t),
        b=_period(b.period_days or 0.0, t),
    )


def _tier_table(changes: list[CriterionChange], title: str, t: Translator) -> Table:
    """One heading row per criterion (with its unit), its tiers indented under it."""
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    headers = _headers(t, by_tier=True)
    table.add_column(f"{headers[0]} / {headers[1]}")  # a long heading wraps at 80 columns
    for header in headers[3:]:
        table.add_column(header, justify="right", no_wrap=True)
    for c in changes:
        size, label = _size(c, t)
        table.add_row(Text(f"{t(f'criterion.{c.criterion}')} ({label})", style="bold"))
        for tier, change in c.by_tier.items():
            table.add_row(f"  {t(f'tier.{tier}')}", *_figures(change, size, t))
    return table


def render_text(
    a: Snapshot,
    b: Snapshot,
    per: str,
    lang: str = "en",
    color: bool = False,
    width: int = MIN_WIDTH,
) -> str:
    """A and B named, the warnings, then both tables, laid out for `width` columns (the
    terminal's, see text.report_width)."""
    t = Translator(lang)
    changes = compare(a, b, per)  # type: ignore[arg-type]
    per_text = t(f"diff.per.{per}")
    buffer = io.StringIO()
    console = console_for(buffer, color, width)
    console.print(_legend(a, b))
    console.print()
    for warning in (period_warning(a, b, per, t), _factors_note(a, b, t)):
        if warning is not None:
            console.print(Text(warning, style="bold yellow"))
            console.print()
    table = Table(title=t("diff.impacts", per=per_text), box=box.SIMPLE_HEAD, title_justify="left")
    rows = criterion_rows(changes, t)
    # The criterion and unit wrap between words, never inside one ('Acidificati…').
    longest = [max(len(word) for row in rows for word in row[i].split()) for i in (0, 1)]
    for i, header in enumerate(_headers(t, by_tier=False)):
        table.add_column(
            header,
            justify="left" if i < 2 else "right",
            no_wrap=i >= 2,
            min_width=longest[i] if i < 2 else None,
        )
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(_tier_table(changes, t("diff.by_tier", per=per_text), t))
    return buffer.getvalue()


def render_markdown(a: Snapshot, b: Snapshot, per: str, lang: str = "en") -> str:
    t = Translator(lang)
    changes = compare(a, b, per)  # type: ignore[arg-type]
    per_text = t(f"diff.per.{per}")
    # names and files as markdown_text shows them: control characters as escapes ('\x1b')
    a_name, b_name = markdown_text(a.name), markdown_text(b.name)
    lines = [f"## {t('diff.title', a=a_name, b=b_name)}", ""]
    for label, side in (("A", a), ("B", b)):  # the file as code, shown as written
        lines.append(f"- **{label}**: {markdown_text(side.name)} ({markdown_code(side.source)})")
    lines.append("")
    for warning in (period_warning(a, b, per, t), _factors_note(a, b, t)):
        lines += [f"> ⚠️ {warning}", ""] if warning else []
    lines += [f"### {t('diff.impacts', per=per_text)}", ""]
    lines += markdown_table(_headers(t, False), criterion_rows(changes, t), 2)
    lines += [f"### {t('diff.by_tier', per=per_text)}", ""]
    lines += markdown_table(_headers(t, True), tier_rows(changes, t), 3)
    return "\n".join(lines).rstrip("\n") + "\n"


def _factors_note(a: Snapshot, b: Snapshot, t: Translator) -> str | None:
    return factor_changes_note(factor_changes(a, b), (a.factors_version, b.factors_version), t)


def _changed(a: Snapshot, b: Snapshot) -> list[dict[str, Any]] | None:
    """Every factor whose value differs (None: a side does not record its factors)."""
    changes = factor_changes(a, b)
    return None if changes is None else [c.to_dict() for c in changes]


def _side(s: Snapshot) -> dict[str, Any]:
    return {
        "name": s.name,
        "file": s.source,
        "users": s.users,
        "visits": s.visits,
        "period_days": s.period_days,
    }


def _change(c: CriterionChange) -> dict[str, Any]:
    return {
        "unit": c.unit,
        **c.value.to_dict(),
        "by_tier": {tier: change.to_dict() for tier, change in c.by_tier.items()},
    }


def render_json(a: Snapshot, b: Snapshot, per: str) -> str:
    """{schema_version, per, a, b, criteria: {id: {unit, a, b, change, change_pct, by_tier}}}."""
    document = {
        "schema_version": DIFF_SCHEMA_VERSION,
        "per": per,
        "a": _side(a),
        "b": _side(b),
        "criteria": {c.criterion: _change(c) for c in compare(a, b, per)},  # type: ignore[arg-type]
        "warnings": ["periods_differ"] if per == "total" and periods_differ(a, b) else [],
        "factors": {"a": a.factors_version, "b": b.factors_version, "changed": _changed(a, b)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
