"""`acvnum factors [list|show ID]`: every number behind a result, with its source, in the open."""

from __future__ import annotations

import difflib
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from acvnum.commands.common import FactorsOption, fail, input_errors
from acvnum.errors import message
from acvnum.escaping import terminal

if TYPE_CHECKING:
    from acvnum.reference.factors import Factor, FactorTable

WIDTH = 100


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


def _bibliography(factors: list[Factor]) -> Any:
    """The publications the listed factors cite, once each: key, citation, link."""
    from rich.table import Table

    from acvnum.reference.sources import bibliography

    grid = Table(box=None, show_header=False, title="Sources", title_justify="left")
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


def _range(factor: Factor) -> str:
    return "exact" if factor.exact else f"{factor.low:.4g}–{factor.high:.4g}"


def _list_text(factors: list[Factor], table: FactorTable) -> str:
    """A table that fits 100 columns: the source and licence under each id, cut to fit."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=box.SIMPLE_HEAD, expand=True, caption_justify="left")
    grid.add_column("Factor", ratio=1, overflow="fold")
    grid.add_column("Value", justify="right", no_wrap=True)
    grid.add_column("Range", justify="right", no_wrap=True)
    grid.add_column("Unit", max_width=14)
    grid.add_column("Year", no_wrap=True)
    for f in factors:
        mark = "from your table: " if f.id in table.user_ids else ""
        cited = " ".join(f"[{key}]" for key in _cites(f)) or f.source
        cell = Group(
            Text(terminal(f.id), style="bold"),
            Text(terminal(mark + cited), style="dim"),
            Text(terminal(f"licence: {f.licence}"), style="dim", no_wrap=True, overflow="ellipsis"),
        )
        grid.add_row(cell, f"{f.value:.4g}", _range(f), terminal(f.unit), str(f.year))
    grid.caption = (
        f"{len(factors)} factors, citing the publications listed below by key. Where in "
        "each the number was read, its licence and note: acvnum factors show ID, or --format json."
    )
    return _print(Group(grid, Text(""), _bibliography(factors)))


def _show_text(factor: Factor, table: FactorTable) -> str:
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE, show_header=False, title=factor.id, title_justify="left")
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    origin = "your table " + factor.origin if factor.id in table.user_ids else "acvnum defaults"
    rows = (
        ("kind", factor.kind),
        ("value", f"{factor.value:g} {factor.unit}"),
        ("range", f"{factor.low:g} – {factor.high:g} {factor.unit}"),
        ("year", str(factor.year)),
        ("source", factor.source),
        *(("cites", f"[{s.key}] {s.citation}") for s in _publications(factor)),
        ("licence", factor.licence),
        ("note", factor.note or "—"),
        ("from", origin),
    )
    for name, value in rows:
        grid.add_row(name, terminal(value))  # a user's table may hold escape sequences
    return _print(grid)


def _publications(factor: Factor) -> list[Any]:
    from acvnum.reference.sources import registry

    return [registry()[key] for key in _cites(factor)]


def _print(renderable: Any) -> str:
    from rich.console import Console

    console = Console(
        width=WIDTH,
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


def _coverage(table: FactorTable, fmt: Format) -> str:
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

    lines = []
    for cid, c in found.items():
        total = len(c.covered) + len(c.not_covered)
        lines.append(f"{cid}: {len(c.covered)} of {total} items have a factor")
        if c.not_covered:
            missing = "not covered: " + ", ".join(c.not_covered)
            lines += textwrap.wrap(missing, WIDTH, initial_indent="  ", subsequent_indent="    ")
    note = (
        "An item not covered adds nothing to the criterion; every report lists the "
        "activities of the service concerned."
    )
    return "\n".join([*lines, *textwrap.wrap(note, WIDTH)]) + "\n"


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
    kind: Annotated[Kind | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    user_table: FactorsOption = None,
) -> None:
    """The factor tables: value, range, unit, source, year and licence of every number used."""
    from acvnum.reference.factors import load_factors

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
            typer.echo(_show_text(factor, table), nl=False)
        return
    if factor_id is not None:
        raise fail(message("factors.no_id", action=str(action), id=factor_id))
    if action is Action.coverage:
        typer.echo(_coverage(table, fmt), nl=False)
        return
    chosen = [f for f in table.factors.values() if kind is None or f.kind == kind.value]
    if fmt is Format.json:
        listed = [factor_dict(f, table) for f in chosen]
        document = {"factors": listed, "sources": sources_dict(chosen)}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        typer.echo(_list_text(chosen, table), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(factors)
