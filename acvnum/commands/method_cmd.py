"""`acvnum method`: the methodology (perimeter, formulas, defaults, limits) in the terminal."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    text = "text"
    markdown = "markdown"


def method(
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="text (laid out for the terminal) or markdown."),
    ] = Format.text,
) -> None:
    """How acvnum computes: perimeter, formulas, defaults and their sources, known limits."""
    from acvnum.report import methodology

    if fmt is Format.markdown:
        typer.echo(methodology.text(), nl=False)
        return
    from acvnum.report.text import report_width

    typer.echo(methodology.terminal(report_width()), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(method)
