"""The levers options of `acvnum estimate` (acvnum.commands.levers_options): a --what-if
refused by several services says each refusal on its own line, and exits 2 once. --levers
N and one refused --what-if are tests/commands/test_estimate_levers.py's."""

from __future__ import annotations

import pytest
import typer
from conftest import MINIMAL, run_cli

from acvnum import api
from acvnum.commands import common, levers_options
from acvnum.errors import WhatIfError, WhatIfRefusals, message


@pytest.fixture
def spoken():
    def speak(lang: str) -> None:
        common.speak(lang)

    yield speak
    common.speak(None)


def _refusal(file: str) -> WhatIfError:
    # whatif.file '{file}: {reason}'; path.not_a_list '{where} is not a list: remove [{part}]'
    reason = message("path.not_a_list", where="usage", part="0")
    return WhatIfError(message("whatif.file", file=file, reason=reason))


def test_the_default_count_is_the_api_s():
    assert levers_options.DEFAULT_LEVERS == api.DEFAULT_LEVERS == 5


def test_one_refusal_is_one_line_and_exit_2(capsys, spoken):
    spoken("en")
    with pytest.raises(typer.Exit) as done, levers_options.what_if_errors():
        raise _refusal("a.yaml")
    assert done.value.exit_code == 2
    assert capsys.readouterr().err == "acvnum: a.yaml: usage is not a list: remove [0]\n"


def test_each_service_s_refusal_on_its_own_line_in_the_run_s_language(capsys, spoken):
    spoken("fr")
    refusals = WhatIfRefusals([_refusal("a.yaml"), _refusal("b.yaml"), _refusal("c.yaml")])
    with pytest.raises(typer.Exit) as done, levers_options.what_if_errors():
        raise refusals
    assert done.value.exit_code == 2
    # path.not_a_list in French: "{where} n'est pas une liste ..." (fr.json)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0:2] for line in lines] == [
        ["acvnum", " a.yaml"],
        ["acvnum", " b.yaml"],
        ["acvnum", " c.yaml"],
    ]
    assert all("usage n'est pas une liste" in line for line in lines)


def test_other_errors_go_through(capsys):
    with pytest.raises(LookupError), levers_options.what_if_errors():
        raise LookupError
    assert capsys.readouterr().err == ""


def test_two_files_refusing_one_what_if_are_both_named(write_yaml):
    """Neither file describes its hosting: a server cannot be changed in either."""
    first = write_yaml(MINIMAL, "first.yaml")
    second = write_yaml(MINIMAL.replace("Minimal", "Second"), "second.yaml")
    change = "hosting.servers[0].count=2"
    result = run_cli("estimate", str(first), str(second), "--what-if", change)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    for line, path in zip(lines, (first, second), strict=True):
        assert line.startswith(f"acvnum: {path}: --what-if {change}: hosting is absent")
