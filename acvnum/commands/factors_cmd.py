"""`acvnum factors [list|show ID]`: every number behind a result, with its source, in the open."""

from __future__ import annotations

import difflib
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from acvnum.commands.common import FactorsOption, LangOption, fail, input_errors, language, speak
from acvnum.errors import message
from acvnum.escaping import terminal

if TYPE_CHECKING:
    from acvnum.i18n import Translator
    from acvnum.reference.factors import Factor, FactorTable


def _width() -> int:
    """The terminal's width (or COLUMNS), as the reports take it: 80 to 120 columns."""
    from acvnum.report.text import report_width  # with rich, only for a table

    return report_width()


class Action(StrEnum):
    list = "list"
    show = "show"
    coverage = "coverage"


class Kind(StrEnum):
    """The kinds of factor (the first part of an id); mirrors acvnum.reference.factors.KINDS."""

    electricity = "electricity"
    device = "device"
    network = "network"
    server = "server"
    storage = "storage"
    datacenter = "datacenter"
    boundary = "boundary"
    ai = "ai"
    video = "video"
    messages = "messages"
    cloud = "cloud"


class Format(StrEnum):
    text = "text"
    json = "json"


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
    from acvnum.reference.sources import cite

    return cite(factor.source)


def _bibliography(factors: list[Factor], t: Translator) -> Any:
    """The publications the listed factors cite, once each: key, citation, link."""
    from rich.table import Table

    from acvnum.reference.sources import bibliography

    grid = Table(box=None, show_header=False, title=t("section.bibliography"), title_justify="left")
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for source in bibliography(f.source for f in factors):
        link = f" {source.url}" if source.url else ""
        grid.add_row(source.label(), f"{source.citation}.{link}")
    return grid


def sources_dict(factors: list[Factor]) -> dict[str, dict[str, Any]]:
    """The cited publications by key, as the JSON output shows them."""
    from acvnum.reference.sources import bibliography

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


def _list_text(factors: list[Factor], table: FactorTable, t: Translator) -> str:
    """A table as wide as the terminal: the source and licence under each id (wrapped, never
    cut), each id whole on its line; below 100 columns the range under the value. The unit
    takes what the other columns leave (14 at least: a longer one wraps)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    width = _width()
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
    return _print(Group(grid, Text(""), _bibliography(factors, t)))


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


def _show_text(factor: Factor, table: FactorTable, t: Translator) -> str:
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
    return _print(grid)


def _publications(factor: Factor) -> list[Any]:
    from acvnum.reference.sources import registry

    return [registry()[key] for key in _cites(factor)]


def _print(renderable: Any) -> str:
    from rich.console import Console

    console = Console(
        width=_width(),
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


def _coverage(table: FactorTable, fmt: Format, t: Translator) -> str:
    """Per criterion, the items with a factor row and those without (computed from the
    table: a user's table that adds a row covers its item)."""
    # imported here: the engine is not needed to list or show factors (start-up time)
    from acvnum.calculation.coverage import table_coverage

    found = table_coverage(table)
    if fmt is Format.json:
        document = {
            cid: {"covered": list(c.covered), "not_covered": list(c.not_covered)}
            for cid, c in found.items()
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    import textwrap

    width = _width()
    lines = []
    for cid, c in found.items():
        total = len(c.covered) + len(c.not_covered)
        lines.append(t("factors.coverage.line", criterion=cid, covered=len(c.covered), total=total))
        if c.not_covered:
            missing = t("factors.coverage.missing", items=", ".join(c.not_covered))
            lines += textwrap.wrap(missing, width, initial_indent="  ", subsequent_indent="    ")
    note = t("factors.coverage.note")
    return "\n".join([*lines, *textwrap.wrap(note, width)]) + "\n"


def _find(table: FactorTable, factor_id: str | None) -> Factor:
    if not factor_id:
        raise fail(message("factors.show_needs_id"))
    if factor_id in table:
        return table[factor_id]
    close = difflib.get_close_matches(factor_id, table.ids, n=1, cutoff=0.6)
    hint = message("error.did_you_mean", name=close[0]) if close else ""
    raise fail(message("factors.unknown", id=factor_id, suggestion=hint))


def factors(
    action: Annotated[
        Action,
        typer.Argument(help="list every factor, show one, or the coverage of each criterion."),
    ] = Action.list,
    factor_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="For show.")] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            metavar="<kind>",  # the eleven kinds, listed in the help: they fit in 80 columns
            help="Only this kind: electricity, device, network, server, storage, datacenter, "
            "boundary, ai, video, messages or cloud.",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    user_table: FactorsOption = None,
    lang: LangOption = None,
) -> None:
    """The factor tables: value, range, unit, source, year and licence of every number used."""
    from acvnum.i18n import Translator
    from acvnum.reference.factors import load_factors

    code = language(lang)
    speak(code)
    t = Translator(code)

    with input_errors():
        table = load_factors(user_table)
    if action is Action.show:
        factor = _find(table, factor_id)
        if fmt is Format.json:
            typer.echo(
                json.dumps(
                    factor_dict(factor, table), indent=2, ensure_ascii=False, allow_nan=False
                )
            )
        else:
            typer.echo(_show_text(factor, table, t), nl=False)
        return
    if factor_id is not None:
        raise fail(message("factors.no_id", action=str(action), id=factor_id))
    if action is Action.coverage:
        typer.echo(_coverage(table, fmt, t), nl=False)
        return
    chosen = [f for f in table.factors.values() if kind is None or f.kind == kind.value]
    if fmt is Format.json:
        listed = [factor_dict(f, table) for f in chosen]
        document = {"factors": listed, "sources": sources_dict(chosen)}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        typer.echo(_list_text(chosen, table, t), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(factors)
