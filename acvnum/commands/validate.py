"""`acvnum validate FILE…`: check questionnaires without computing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acvnum.commands.common import FactorsOption, LangOption, input_errors, language, speak
from acvnum.escaping import terminal_line
from acvnum.questionnaire.units import decimal_comma

Files = Annotated[
    list[Path], typer.Argument(help="Questionnaire YAML files, or directories of them.")
]


def validate(files: Files, factors: FactorsOption = None, lang: LangOption = None) -> None:
    """Check questionnaires: OK per file (exit 0), or every problem as file:line:column (exit 2)."""
    # Imported here: the services and tables need numpy, which `acvnum --help` (it imports
    # every command) would load otherwise.
    from acvnum.questionnaire.service import load_services
    from acvnum.reference.factors import load_factors

    code = language(lang)
    speak(code)
    with decimal_comma(code == "fr"), input_errors(code):
        table = load_factors(factors)
        services = load_services(list(files), table)
    for service in services:
        typer.echo(terminal_line(f"{service.file}: OK"))  # a file name may hold escapes, '\n'...


def register(app: typer.Typer) -> None:
    app.command()(validate)
