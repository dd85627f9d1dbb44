"""`acvnum schema`: the questionnaire's JSON Schema, for editors; `--result`: the result's."""

from __future__ import annotations

from typing import Annotated

import typer

from acvnum.commands.common import ForceOption, OutputOption, write_output

ResultOption = Annotated[
    bool,
    typer.Option(
        "--result", help="The schema of `estimate --format json` results instead (docs/json.md)."
    ),
]


def schema(
    output: OutputOption = None, force: ForceOption = False, result: ResultOption = False
) -> None:
    """Print the JSON Schema (draft 2020-12) of a questionnaire file, or of a result."""
    if result:
        from acvnum.report.result_schema import render
    else:
        from acvnum.questionnaire.schema import render

    write_output(render(), output, force)


def register(app: typer.Typer) -> None:
    app.command()(schema)
