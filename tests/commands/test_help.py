"""Help and usage errors speak to a user: no Python types, choices in words, completion."""

import pytest
from conftest import assert_golden, run_cli

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


# --- help in the run's language ------------------------------------------------------------

FRENCH = {"LANG": "fr_FR.UTF-8"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_golden(command, lang):
    # The locale chooses the language (every command has help, not all have --lang).
    env = {"COLUMNS": "80", **(FRENCH if lang == "fr" else {})}
    result = run_cli(*([command] if command else []), "--help", env=env)
    assert result.returncode == 0, result.stderr
    shown = _as_installed(result.stdout)
    assert_golden(f"help/{command or 'acvnum'}.{lang}.txt", shown)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 80
    # '...' only says 'one or more' (usage, 'files...'), never a summary cut short
    assert not [line for line in lines[1:] if line.endswith("...")]


def _as_installed(shown: str) -> str:
    """Help as the installed `acvnum` shows it (run as a module, click names it so)."""
    return shown.replace("python -m acvnum", "acvnum")


def test_lang_option_is_over_the_locale_and_lc_all_over_lang():
    french = _as_installed(run_cli("estimate", "--help", "--lang", "fr").stdout)
    assert french.startswith("Utilisation") and "acvnum estimate" in french.splitlines()[0]
    assert "Format du rapport.  [défaut\u202f: text]" in french
    english = _as_installed(run_cli("estimate", "--help", "--lang", "en", env=FRENCH).stdout)
    assert english.startswith("Usage: acvnum estimate") and "Report format." in english
    lc_all = run_cli("--help", env={"LANG": "en_GB.UTF-8", "LC_ALL": "fr_FR.UTF-8"}).stdout
    assert "Commandes\u202f:" in lc_all
    assert "Commands:" in run_cli("--help", env={"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}).stdout


def test_no_arguments_shows_the_help_in_the_locale_s_language():
    result = run_cli(env=FRENCH)
    assert "Analyse du cycle de vie" in result.stdout + result.stderr


def _parameters():
    """(command, parameter name, the code's own help) for every parameter of every command,
    the root's (version, completion) included."""
    import typer

    from acvnum import cli

    root = typer.main.get_command(cli.register(list(cli.COMMANDS)))
    found = [("acvnum", p.name, p.help) for p in root.params]
    for name, command in root.commands.items():
        found += [(name, p.name, p.help) for p in command.params]
    return found, root


def test_every_help_text_is_in_both_catalogues_and_english_matches_the_code():
    from acvnum.commands.help_words import parameter_help
    from acvnum.i18n import Translator

    parameters, root = _parameters()
    en, fr = Translator("en"), Translator("fr")
    for command, name, code_help in parameters:
        assert parameter_help(command, name, en) == code_help, (command, name)
        assert parameter_help(command, name, fr) not in (None, code_help), (command, name)
    for name, command in [("acvnum", root), *root.commands.items()]:
        assert en.messages[f"cli_help.{name}"] == command.help, name
        assert fr.messages[f"cli_help.{name}"] != command.help, name
    assert en.messages["cli_help.acvnum.epilog"] == root.epilog


def test_french_help_leaves_no_english_sentence():
    for command in ["", *COMMANDS]:
        shown = run_cli(*([command] if command else []), "--help", env=FRENCH).stdout
        for english in ("Usage:", "Options:", "Show this", "default:", "required]", " the "):
            assert english not in shown, (command, english)


def test_every_choice_is_said_where_its_metavar_hides_it():
    _, root = _parameters()
    for command in [root, *root.commands.values()]:
        for param in command.params:
            descriptor = getattr(param, "type_descriptor", None)
            choices = getattr(descriptor, "choices", None) if descriptor else None
            if choices and param.metavar:
                for choice in choices:
                    assert str(getattr(choice, "value", choice)) in param.help, param.name


def test_completion_still_installs_and_shows_in_french():
    # typer's switch for tests: --show-completion takes the shell named, instead of looking
    # for one among this process's parents (none when pytest is started by a service).
    named = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = run_cli("--show-completion", "bash", env={**FRENCH, **named})
    assert result.returncode == 0, result.stderr
    assert "_acvnum_completion" in result.stdout.replace("_python_m", "_")
