"""The process exit codes, named once: CI pipelines depend on them."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BUDGET_EXCEEDED = 1
    BAD_INPUT = 2
