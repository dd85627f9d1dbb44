"""What every command shares: bad input -> exit 2 with located messages; safe output."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from acvnum.exitcodes import ExitCode
from acvnum.loading import InputError, Problem


class Lang(StrEnum):
    en = "en"
    fr = "fr"


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the report: en or fr.")]
FactorsOption = Annotated[
    Path | None,
    typer.Option("--factors", help="Your own factor table (CSV), merged over the defaults."),
]


def print_problems(problems: list[Problem]) -> None:
    """One line per problem on stderr, file:line:column first, like a compiler."""
    count = len(problems)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    sys.stderr.write(
        f"acvnum: {count} problem{'s' if count > 1 else ''} found; nothing was computed.\n"
    )


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn InputError into exit code 2 with its messages, never a traceback."""
    try:
        yield
    except InputError as error:
        print_problems(error.problems)
        raise typer.Exit(ExitCode.BAD_INPUT) from None


def fail(message: str) -> typer.Exit:
    """A usage problem that has no file position: message on stderr, exit 2."""
    sys.stderr.write(f"acvnum: {message}\n")
    return typer.Exit(ExitCode.BAD_INPUT)


def write_output(text: str, output: Path | None, force: bool) -> None:
    """Print, or write to `output`; an existing file is only replaced with --force."""
    if output is None:
        sys.stdout.write(text)
        return
    if output.exists() and not force:
        raise fail(f"{output} exists; add --force to overwrite it")
    if output.is_dir():
        raise fail(f"{output} is a directory")
    if not output.parent.exists():
        raise fail(f"{output.parent} does not exist")
    output.write_text(text, encoding="utf-8")


def color_wanted(output: Path | None) -> bool:
    """Colour only on a terminal, never in a file or with NO_COLOR set."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
