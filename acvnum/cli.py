"""The typer app: thin commands that call the core and hand a result to a renderer.

Each command lives in `acvnum/commands/`; this module only assembles them.
"""

from __future__ import annotations

import typer

from acvnum import __version__
from acvnum.commands import check, diff, estimate, factors_cmd, init, schema_cmd, validate

app = typer.Typer(
    name="acvnum",
    help="Simplified multi-criteria life-cycle assessment (ACV) of a digital service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"acvnum {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """acvnum: the footprint of a digital service from a ten-question YAML file."""


for module in (estimate, validate, schema_cmd, factors_cmd, init, check, diff):
    module.register(app)


def run() -> None:
    app()
