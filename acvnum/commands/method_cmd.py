"""`acvnum method`: the methodology (perimeter, formulas, defaults, limits) in the terminal."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from acvnum.commands.common import LangOption, language


class Format(StrEnum):
    text = "text"
    markdown = "markdown"


def method(
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="text (laid out for the terminal) or markdown."),
    ] = Format.text,
    lang: LangOption = None,
) -> None:
    """How acvnum computes: perimeter, formulas, defaults and their sources, known limits."""
    from acvnum.report import methodology

    code = language(lang)
    if fmt is Format.markdown:
        typer.echo(methodology.text(code), nl=False)
        return
    from acvnum.report.text import report_width

    typer.echo(methodology.terminal(report_width(), code), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(method)
