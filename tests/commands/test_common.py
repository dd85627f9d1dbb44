"""What every command shares (acvnum.commands.common): the run's language, colour, the
one-line refusals (`fail`), the located problems of bad input and the refusal to replace
an existing --output. The writing itself (drafts, pieces, devices) is
tests/commands/test_output_files.py's; --lang against the locale, test_language.py's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import typer
from conftest import EXAMPLES, run_cli

from acvnum.commands import common
from acvnum.commands.common import Lang, NetworkModel
from acvnum.errors import ExitCode, InputError, Problem, message

BASE = str(EXAMPLES / "ecommerce.yaml")


@pytest.fixture
def unspoken():
    """No language chosen by a command before or after the test (`speak` is the run's)."""
    common.speak(None)
    yield
    common.speak(None)


@pytest.fixture
def french_locale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")


# --- the language --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("FR_fr.UTF-8", "fr"), ("fr", "fr"), ("C", "en")])
def test_the_locale_is_read_whatever_its_case(value, expected):
    assert common.language(None, {"LANG": value}) == expected


def test_the_language_reads_the_process_environment_when_given_none(monkeypatch):
    monkeypatch.setenv("LC_ALL", "fr_BE.UTF-8")
    assert common.language(None) == "fr"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert common.language(None) == "en"
    assert common.language(Lang.fr) == "fr"


def test_spoken_is_the_locale_s_until_a_command_speaks(unspoken, french_locale):
    assert common.spoken() == "fr"
    common.speak("en")
    assert common.spoken() == "en"  # the command's --lang wins over the locale
    common.speak(None)
    assert common.spoken() == "fr"


def test_the_network_model_option_gives_its_word_or_none():
    assert common.network_model(None) is None
    assert [common.network_model(m) for m in NetworkModel] == ["per_gb", "energy", "power"]


# --- colour --------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "no_color", "output", "expected"),
    [
        (True, None, None, True),  # the one case with colour
        (False, None, None, False),  # a pipe or a file
        (True, "1", None, False),
        (True, "", None, False),  # NO_COLOR set, even empty, says no (no-color.org)
        (True, None, "report.txt", False),  # --output is a file, never coloured
    ],
)
def test_colour_only_on_a_terminal_without_no_color(monkeypatch, tty, no_color, output, expected):
    monkeypatch.setattr("sys.stdout", _Terminal(tty))
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    path = None if output is None else Path(output)
    assert common.color_wanted(path) is expected


# --- fail ----------------------------------------------------------------------------------


def test_fail_writes_one_line_and_gives_exit_2_by_default(capsys, unspoken):
    done = common.fail("no such thing")
    assert isinstance(done, typer.Exit) and done.exit_code == ExitCode.BAD_INPUT == 2
    assert capsys.readouterr().err == "acvnum: no such thing\n"


def test_fail_gives_the_exit_code_it_is_told(capsys):
    assert common.fail("stopped", "en", ExitCode.INTERRUPTED).exit_code == 130


def test_fail_says_a_catalogued_message_in_the_language_asked(capsys, unspoken, french_locale):
    # output.exists: '{path} exists; add --force to overwrite it' / French, with U+202F
    refusal = message("output.exists", path="r.json")
    common.fail(refusal, "en")
    assert capsys.readouterr().err == "acvnum: r.json exists; add --force to overwrite it\n"
    common.fail(refusal)  # no language given: the locale's (French here)
    expected = "acvnum: r.json existe déjà\u202f; ajoutez --force pour le remplacer\n"
    assert capsys.readouterr().err == expected
    common.speak("en")
    common.fail(refusal)  # the command's choice over the locale's
    assert capsys.readouterr().err.startswith("acvnum: r.json exists;")


def test_fail_shows_control_characters_as_escapes(capsys):
    common.fail("bad \x1b[2J name\u202e", "en")
    assert capsys.readouterr().err == "acvnum: bad \\x1b[2J name\\u202e\n"


def test_cannot_write_names_the_path_and_the_system_s_reason(capsys):
    done = common.cannot_write(Path("out/r.md"), "Read-only file system")
    assert done.exit_code == 2
    assert capsys.readouterr().err == "acvnum: cannot write out/r.md: Read-only file system\n"


# --- located problems ----------------------------------------------------------------------


def _problems(count: int) -> list[Problem]:
    return [Problem("s.yaml", line, 3, message("output.is_directory")) for line in range(count)]


def test_one_problem_is_one_line_then_the_count(capsys, unspoken):
    common.print_problems(_problems(1), "en")
    assert capsys.readouterr().err == (
        "s.yaml:0:3: it is a directory\nacvnum: 1 problem found; nothing was computed.\n"
    )


def test_problems_in_french_count_in_the_plural(capsys):
    common.print_problems(_problems(2), "fr")
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "s.yaml:0:3: c'est un dossier",
        "s.yaml:1:3: c'est un dossier",
        "acvnum: 2 problèmes trouvés\u202f; rien n'a été calculé.",
    ]


def test_past_fifty_problems_the_rest_are_counted(capsys):
    # 53 problems: the first MAX_SHOWN_PROBLEMS (50) shown, '... and 3 more', then 53 in all
    common.print_problems(_problems(common.MAX_SHOWN_PROBLEMS + 3), "en")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 52
    assert lines[49] == "s.yaml:49:3: it is a directory"
    assert lines[50:] == [
        "acvnum: ... and 3 more problems not shown",
        "acvnum: 53 problems found; nothing was computed.",
    ]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "acvnum: ... and 1 more problem not shown"),
        # fr.json: one more is 'autre problème non affiché', in the singular
        ("fr", "acvnum: ... et 1 autre problème non affiché"),
    ],
)
def test_one_problem_past_fifty_is_said_in_the_singular(capsys, lang, line):
    common.print_problems(_problems(common.MAX_SHOWN_PROBLEMS + 1), lang)
    assert capsys.readouterr().err.splitlines()[50] == line


def test_a_problem_s_text_is_shown_as_escapes(capsys):
    common.print_problems([Problem("a\x1b]0;x\x07.yaml", 1, 1, "bad")], "en")
    assert capsys.readouterr().err.startswith("a\\x1b]0;x\\x07.yaml:1:1: bad\n")


def test_input_errors_turn_bad_input_into_exit_2_and_its_messages(capsys):
    with pytest.raises(typer.Exit) as done, common.input_errors("fr"):
        raise InputError(_problems(1))
    assert done.value.exit_code == 2
    assert capsys.readouterr().err == (
        "s.yaml:0:3: c'est un dossier\nacvnum: 1 problème trouvé\u202f; rien n'a été calculé.\n"
    )


def test_input_errors_let_any_other_error_through(capsys):
    with pytest.raises(KeyError), common.input_errors():
        raise KeyError("a bug stays a bug")
    assert capsys.readouterr().err == ""


# --- an existing --output ------------------------------------------------------------------


def test_the_refusal_to_overwrite_is_in_the_run_s_language(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    french = run_cli("estimate", BASE, "-o", str(target), "--lang", "fr")
    assert french.returncode == 2
    assert french.stderr == (
        f"acvnum: {target} existe déjà\u202f; ajoutez --force pour le remplacer\n"
    )
    by_locale = run_cli("estimate", BASE, "-o", str(target), env={"LANG": "fr_FR.UTF-8"})
    assert by_locale.stderr == french.stderr
    assert target.read_text(encoding="utf-8") == "old"


def test_force_replaces_an_existing_report(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    result = run_cli("estimate", BASE, "-f", "json", "-o", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith('{\n  "schema_version": 2')


def test_a_link_to_nowhere_is_made_without_force(tmp_path):
    """The link's target does not exist: nothing is replaced, the file is made there."""
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "r1.json")
    result = run_cli("estimate", BASE, "-f", "json", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (tmp_path / "r1.json").is_file()


def test_a_link_loop_is_a_clear_refusal(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run_cli("estimate", BASE, "-o", str(loop))
    assert result.returncode == 2
    assert result.stderr.startswith(f"acvnum: cannot write {loop}: ")
    assert "Traceback" not in result.stderr
