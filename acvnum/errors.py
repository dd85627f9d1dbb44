"""The exit codes and every exception the commands turn into one, kept apart so catching them
costs no import of the numpy-heavy modules that raise them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes, named once: CI pipelines depend on them."""

    OK = 0
    BUDGET_EXCEEDED = 1
    BAD_INPUT = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class InputError(Exception):
    """Bad input: one or more problems, all reported at once, exit code 2."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class TooManySamples(ValueError):
    """The run would keep more than MAX_SERVICE_SAMPLES service-samples in memory."""


class WhatIfError(ValueError):
    """A --what-if that cannot be applied: the message names the path and what is wrong."""
