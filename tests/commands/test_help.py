"""Help and usage errors speak to a user: no Python types, choices in words, completion."""

import pytest
from conftest import run_cli

from acvnum.cli import COMMANDS


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_shows_no_python_type(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    for python in ("list[", "int range", "<str>", "<int>", "<float>", "Path]"):
        assert python not in result.stdout, python


def test_completion_can_be_installed():
    assert "--install-completion" in run_cli("--help").stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--format", "pdf"), "'pdf' is not a choice; choose one of 'text', 'json'"),
        (("--lang", "de"), "'de' is not a choice; choose one of 'en', 'fr'."),
        (("--uncertainty", "--samples", "5"), "'--samples': must be 100 or more."),
        (("--seed", "x"), "'--seed': must be a whole number."),
    ],
)
def test_a_refused_option_value_is_said_in_words(args, expected):
    result = run_cli("estimate", "examples/ecommerce.yaml", *args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Value error" not in result.stderr and "Input should" not in result.stderr
