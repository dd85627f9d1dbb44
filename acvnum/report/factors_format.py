"""`acvnum factors` as text or JSON: every number behind a result, with its source.

The text lays tables out with rich, imported inside the functions that draw them: the JSON
never loads it (start-up time).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from acvnum.escaping import terminal
from acvnum.i18n import Translator
from acvnum.reference.sources import bibliography, cite, registry

if TYPE_CHECKING:
    from acvnum.calculation.coverage import Coverage
    from acvnum.reference.factors import Factor, FactorTable


@dataclass(frozen=True)
class FactorView:
    """What `acvnum factors` shows of a table: the factors listed ("list"), the one asked
    for ("show"), or which items of each criterion have a factor ("coverage")."""

    action: Literal["list", "show", "coverage"]
    table: FactorTable
    factors: tuple[Factor, ...] = ()


def render_text(view: FactorView, lang: str = "en", width: int = 80) -> str:
    """The view laid out for a `width`-column terminal, in `lang`."""
    t = Translator(lang)
    if view.action == "show":
        return _show_text(view.factors[0], view.table, t, width)
    if view.action == "coverage":
        return _coverage_text(_coverage(view.table), t, width)
    return _list_text(list(view.factors), view.table, t, width)


def render_json(view: FactorView) -> str:
    """The view as JSON (stable keys, see factor_dict)."""
    document: Any
    if view.action == "show":
        document = factor_dict(view.factors[0], view.table)
    elif view.action == "coverage":
        document = {
            cid: {"covered": list(c.covered), "not_covered": list(c.not_covered)}
            for cid, c in _coverage(view.table).items()
        }
    else:
        listed = [factor_dict(f, view.table) for f in view.factors]
        document = {"factors": listed, "sources": sources_dict(list(view.factors))}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def factor_dict(factor: Factor, table: FactorTable) -> dict[str, Any]:
    """One factor as the JSON output shows it (stable keys)."""
    return {
        "id": factor.id,
        "kind": factor.kind,
        "value": factor.value,
        "low": factor.low,
        "high": factor.high,
        "unit": factor.unit,
        "source": factor.source,
        "cites": list(_cites(factor)),
        "year": factor.year,
        "licence": factor.licence,
        "note": factor.note,
        "from_user_table": factor.id in table.user_ids,
    }


def _cites(factor: Factor) -> tuple[str, ...]:
    """The keys of the publications a factor's source names (see `bibliography`)."""
    return cite(factor.source)


def _bibliography(factors: list[Factor], t: Translator) -> Any:
    """The publications the listed factors cite, once each: key, citation, link."""
    from rich.table import Table  # rich: the text views only (see the module's docstring)

    grid = Table(box=None, show_header=False, title=t("section.bibliography"), title_justify="left")
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for source in bibliography(f.source for f in factors):
        link = f" {source.url}" if source.url else ""
        grid.add_row(source.label(), f"{source.citation}.{link}")
    return grid


def sources_dict(factors: list[Factor]) -> dict[str, dict[str, Any]]:
    """The cited publications by key, as the JSON output shows them."""
    return {
        s.key: {"citation": s.citation, "year": s.year, "licence": s.licence, "url": s.url}
        for s in bibliography(f.source for f in factors)
    }


def _decimal(value: float, spec: str, t: Translator) -> str:
    """A factor's number as Python's format writes it, with a decimal comma in French."""
    text = format(value, spec)
    return text if t.lang == "en" else text.replace(".", ",")


def _range(factor: Factor, t: Translator) -> str:
    if factor.exact:
        return t("factors.exact")
    return f"{_decimal(factor.low, '.4g', t)}–{_decimal(factor.high, '.4g', t)}"


#: Narrower than this, a factor's range goes under its value rather than in a column of its
#: own, so that the longest id keeps one line.
_RANGE_COLUMN = 100
#: Under the value, a range longer than this puts its ends on two lines.
_NARROW_RANGE = 10


def _list_text(factors: list[Factor], table: FactorTable, t: Translator, width: int) -> str:
    """A table as wide as the terminal: the source and licence under each id (wrapped, never
    cut), each id whole on its line; below 100 columns the range under the value. The unit
    takes what the other columns leave (14 at least: a longer one wraps)."""
    # rich: the text views only (see the module's docstring)
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    beside = width >= _RANGE_COLUMN
    rows = [_figures(f, t, beside) for f in factors]
    longest = max((len(f.id) for f in factors), default=0)
    figures = [
        max((len(line) for row in rows for line in row[i].split("\n")), default=0)
        for i in range(len(rows[0]) if rows else 0)
    ]
    frame = 2 + 3 * (len(figures) + 3) - 1  # edges, padding and separators of the columns
    year = max(4, len(t("factors.column.year")))  # 'Année'
    unit = max(_UNIT_WIDTH, width - frame - longest - sum(figures) - year)
    grid = Table(box=box.SIMPLE_HEAD, expand=True, caption_justify="left")
    grid.add_column(t("factors.column.factor"), ratio=1, overflow="fold", min_width=longest)
    value = t("factors.column.value")
    if not beside:
        value += "\n" + t("factors.column.range")
    grid.add_column(value, justify="right", no_wrap=True)
    if beside:
        grid.add_column(t("factors.column.range"), justify="right", no_wrap=True)
    grid.add_column(t("factors.column.unit"), max_width=unit, overflow="fold")
    grid.add_column(t("factors.column.year"), no_wrap=True)
    for f, shown in zip(factors, rows, strict=True):
        mark = t("factors.from_your_table") + " " if f.id in table.user_ids else ""
        cited = " ".join(f"[{key}]" for key in _cites(f)) or f.source
        cell = Group(
            Text(terminal(f.id), style="bold"),
            Text(terminal(mark + cited), style="dim"),
            Text(terminal(t("factors.licence", licence=f.licence)), style="dim", overflow="fold"),
        )
        grid.add_row(cell, *shown, terminal(t.unit(f.unit, f.value)), str(f.year))
    grid.caption = t("factors.caption", count=len(factors))
    return _print(Group(grid, Text(""), _bibliography(factors, t)), width)


#: The factor list's unit column at least: a longer unit wraps at its spaces.
_UNIT_WIDTH = 14


def _figures(f: Factor, t: Translator, beside: bool) -> list[str]:
    """The value and range cells; narrow, the range goes under the value, a long one's ends
    on two lines ('9.384e-06–' over '2.815e-05'), so that the longest id keeps its line."""
    shown, spread = _decimal(f.value, ".4g", t), _range(f, t)
    if beside:
        return [shown, spread]
    ends = spread.replace("–", "–\n") if len(spread) > _NARROW_RANGE else spread
    return [f"{shown}\n{ends}"]


def _show_text(factor: Factor, table: FactorTable, t: Translator, width: int) -> str:
    # rich: the text views only (see the module's docstring)
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE, show_header=False, title=factor.id, title_justify="left")
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    user = factor.id in table.user_ids
    origin = t("factors.origin.user", origin=factor.origin) if user else t("factors.origin.ours")
    rows = (
        ("kind", factor.kind),
        ("value", t.with_unit(_decimal(factor.value, "g", t), factor.unit, factor.value)),
        (
            "range",
            t.with_unit(
                f"{_decimal(factor.low, 'g', t)} – {_decimal(factor.high, 'g', t)}",
                factor.unit,
                factor.high,
            ),
        ),
        ("year", str(factor.year)),
        ("source", factor.source),
        *(("cites", f"[{s.key}] {s.citation}") for s in _publications(factor)),
        ("licence", factor.licence),
        ("note", factor.note or "—"),
        ("from", origin),
    )
    for name, value in rows:  # a user's table may hold escape sequences
        grid.add_row(t(f"factors.field.{name}"), terminal(value))
    return _print(grid, width)


def _publications(factor: Factor) -> list[Any]:
    return [registry()[key] for key in _cites(factor)]


def _print(renderable: Any, width: int) -> str:
    from rich.console import Console  # rich: the text views only (see the module's docstring)

    console = Console(
        width=width,
        record=True,
        file=_Null(),
        color_system=None,
        emoji=False,
        markup=False,  # a '[link=...]' in a user's source is text, never a hyperlink
        highlight=False,
    )
    console.print(renderable)
    return "".join(terminal(line.rstrip()) + "\n" for line in console.export_text().splitlines())


class _Null:
    """A file that swallows what the recording console prints."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _coverage(table: FactorTable) -> dict[str, Coverage]:
    """Per criterion, the items with a factor row and those without (computed from the
    table: a user's table that adds a row covers its item)."""
    # imported here: the engine is not needed to list or show factors (start-up time)
    from acvnum.calculation.coverage import table_coverage

    return table_coverage(table)


def _coverage_text(found: dict[str, Coverage], t: Translator, width: int) -> str:
    """A line per criterion, the items it lacks wrapped under it, then what coverage means."""
    lines = []
    for cid, c in found.items():
        total = len(c.covered) + len(c.not_covered)
        lines.append(t("factors.coverage.line", criterion=cid, covered=len(c.covered), total=total))
        if c.not_covered:
            missing = t("factors.coverage.missing", items=", ".join(c.not_covered))
            lines += textwrap.wrap(missing, width, initial_indent="  ", subsequent_indent="    ")
    note = t("factors.coverage.note")
    return "\n".join([*lines, *textwrap.wrap(note, width)]) + "\n"
