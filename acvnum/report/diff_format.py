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

from acvnum.comparison import Change, CriterionChange, Snapshot, compare
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.markdown import markdown_table
from acvnum.report.text import console_for
from acvnum.result import SCHEMA_VERSION


def _figures(change: Change, size: float, t: Translator) -> list[str]:
    """A, B, change, change %: in the row's unit."""
    return [
        t.number(change.before / size),
        t.number(change.after / size),
        ("+" if change.delta > 0 else "") + t.number(change.delta / size),
        cc.percent(change.relative, t),
    ]


def _size(c: CriterionChange) -> tuple[float, str]:
    reference = max(abs(c.value.before), abs(c.value.after))
    return cc.unit_for(reference, c.criterion, c.unit)


def criterion_rows(changes: list[CriterionChange], t: Translator) -> list[list[str]]:
    rows = []
    for c in changes:
        size, label = _size(c)
        rows.append([t(f"criterion.{c.criterion}"), label, *_figures(c.value, size, t)])
    return rows


def tier_rows(changes: list[CriterionChange], t: Translator) -> list[list[str]]:
    rows = []
    for c in changes:
        size, label = _size(c)
        for tier, change in c.by_tier.items():
            cells = _figures(change, size, t)
            rows.append([t(f"criterion.{c.criterion}"), t(f"tier.{tier}"), label, *cells])
    return rows


def _headers(t: Translator, by_tier: bool) -> list[str]:
    first = ["column.criterion", "diff.column.tier"] if by_tier else ["column.criterion"]
    keys = [*first, "column.unit", "diff.column.a", "diff.column.b"]
    return [t(k) for k in keys] + [t("check.column.change"), t("diff.column.change_pct")]


def _legend(a: Snapshot, b: Snapshot) -> str:
    return f"A: {a.name} ({a.source})\nB: {b.name} ({b.source})"


def _tier_table(changes: list[CriterionChange], title: str, t: Translator) -> Table:
    """One heading row per criterion (with its unit), its tiers indented under it."""
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    headers = _headers(t, by_tier=True)
    table.add_column(f"{headers[0]} / {headers[1]}", no_wrap=True)
    for header in headers[3:]:
        table.add_column(header, justify="right", no_wrap=True)
    for c in changes:
        size, label = _size(c)
        table.add_row(Text(f"{t(f'criterion.{c.criterion}')} ({label})", style="bold"))
        for tier, change in c.by_tier.items():
            table.add_row(f"  {t(f'tier.{tier}')}", *_figures(change, size, t))
    return table


def render_text(a: Snapshot, b: Snapshot, per: str, lang: str = "en", color: bool = False) -> str:
    t = Translator(lang)
    changes = compare(a, b, per)  # type: ignore[arg-type]
    per_text = t(f"diff.per.{per}")
    buffer = io.StringIO()
    console = console_for(buffer, color)
    console.print(_legend(a, b))
    console.print()
    table = Table(title=t("diff.impacts", per=per_text), box=box.SIMPLE_HEAD, title_justify="left")
    for i, header in enumerate(_headers(t, by_tier=False)):
        table.add_column(header, justify="left" if i < 2 else "right", no_wrap=i >= 2)
    for row in criterion_rows(changes, t):
        table.add_row(*row)
    console.print(table)
    console.print(_tier_table(changes, t("diff.by_tier", per=per_text), t))
    return buffer.getvalue()


def render_markdown(a: Snapshot, b: Snapshot, per: str, lang: str = "en") -> str:
    t = Translator(lang)
    changes = compare(a, b, per)  # type: ignore[arg-type]
    per_text = t(f"diff.per.{per}")
    lines = [f"## {t('diff.title', a=a.name, b=b.name)}", ""]
    lines += [f"- **A**: {a.name} (`{a.source}`)", f"- **B**: {b.name} (`{b.source}`)", ""]
    lines += [f"### {t('diff.impacts', per=per_text)}", ""]
    lines += markdown_table(_headers(t, False), criterion_rows(changes, t), 2)
    lines += [f"### {t('diff.by_tier', per=per_text)}", ""]
    lines += markdown_table(_headers(t, True), tier_rows(changes, t), 3)
    return "\n".join(lines).rstrip("\n") + "\n"


def _side(s: Snapshot) -> dict[str, Any]:
    return {"name": s.name, "file": s.source, "users": s.users, "visits": s.visits}


def _change(c: CriterionChange) -> dict[str, Any]:
    return {
        "unit": c.unit,
        **c.value.to_dict(),
        "by_tier": {tier: change.to_dict() for tier, change in c.by_tier.items()},
    }


def render_json(a: Snapshot, b: Snapshot, per: str) -> str:
    """{schema_version, per, a, b, criteria: {id: {unit, a, b, change, change_pct, by_tier}}}."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "per": per,
        "a": _side(a),
        "b": _side(b),
        "criteria": {c.criterion: _change(c) for c in compare(a, b, per)},  # type: ignore[arg-type]
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
