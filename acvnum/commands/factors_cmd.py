"""`acvnum factors [list|show ID]`: every number behind a result, with its source, in the open."""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from acvnum.commands.common import FactorsOption, LangOption, fail, input_errors, language, speak
from acvnum.errors import message
from acvnum.escaping import shorten
from acvnum.report import formats

if TYPE_CHECKING:
    from acvnum.reference.factors import Factor, FactorTable


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


Format = formats.format_enum("factors", __name__)


def _find(table: FactorTable, factor_id: str | None) -> Factor:
    if not factor_id:
        raise fail(message("factors.show_needs_id"))
    if factor_id in table:
        return table[factor_id]
    close = difflib.get_close_matches(factor_id, table.ids, n=1, cutoff=0.6)
    hint = message("error.did_you_mean", name=close[0]) if close else ""
    raise fail(message("factors.unknown", id=shorten(factor_id), suggestion=hint))


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
    # Imported here: the tables (numpy) and their views load when the command runs, not
    # for its help page
    from acvnum.reference.factors import load_factors
    from acvnum.report.factors_format import FactorView

    code = language(lang)
    speak(code)
    with input_errors():
        table = load_factors(user_table)
    if action is Action.show:
        view = FactorView("show", table, (_find(table, factor_id),))
    elif factor_id is not None:
        raise fail(message("factors.no_id", action=str(action), id=factor_id))
    elif action is Action.coverage:
        view = FactorView("coverage", table)
    else:
        chosen = tuple(f for f in table.factors.values() if kind is None or f.kind == kind.value)
        view = FactorView("list", table, chosen)
    typer.echo(formats.render("factors", fmt, view, lang=code), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(factors)
