"""`acvnum schema`: the questionnaire's JSON Schema, for editors; `--result`: the result's."""

from __future__ import annotations

from typing import Annotated

import typer

from acvnum.commands.common import (
    LANG_HELP,
    ForceOption,
    Lang,
    OutputOption,
    language,
    speak,
    write_output,
)

ResultOption = Annotated[
    bool,
    typer.Option(
        "--result",
        help="The schema of `estimate --format json` results instead (docs/json.md), in "
        "English: it is a data contract.",
    ),
]
SchemaLangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of the questionnaire schema's descriptions and messages: en or fr "
        f"{LANG_HELP}.",
    ),
]


def schema(
    output: OutputOption = None,
    force: ForceOption = False,
    result: ResultOption = False,
    lang: SchemaLangOption = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a questionnaire file, or of a result."""
    code = language(lang)
    speak(code)
    if result:
        # the result's schema reads the JSON writer (numpy): only for --result
        from acvnum.report.result_schema import render

        text = render()
    else:
        # the questionnaire's models (pydantic's machinery) only for this command
        from acvnum.questionnaire.schema import render as render_questionnaire

        text = render_questionnaire(code)
    write_output(text, output, force)


def register(app: typer.Typer) -> None:
    app.command()(schema)
