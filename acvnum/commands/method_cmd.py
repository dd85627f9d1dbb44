"""`acvnum method`: the methodology (perimeter, formulas, defaults, limits) in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from acvnum.commands.common import LangOption, language
from acvnum.report import formats

Format = formats.format_enum("method", __name__)


def method(
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="text (laid out for the terminal) or markdown."),
    ] = Format.text,
    lang: LangOption = None,
) -> None:
    """How acvnum computes: perimeter, formulas, defaults and their sources, known limits."""
    typer.echo(formats.render("method", fmt, lang=language(lang)), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(method)
