"""`acvnum schema`: the questionnaire's JSON Schema, for editors and other tools."""

from __future__ import annotations

import typer

from acvnum.commands.common import ForceOption, OutputOption, write_output


def schema(output: OutputOption = None, force: ForceOption = False) -> None:
    """Print the JSON Schema (draft 2020-12) of a questionnaire file."""
    from acvnum.questionnaire.schema import render

    write_output(render(), output, force)


def register(app: typer.Typer) -> None:
    app.command()(schema)
