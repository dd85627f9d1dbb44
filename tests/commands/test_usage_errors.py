"""click's usage errors in the run's language (--lang, else the locale), exit code 2."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, run_cli, run_cli_process

from acvnum.commands.usage_errors import argv_language

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")


def test_an_unknown_option_in_french_with_the_options_it_may_mean():
    run = run_cli("estimate", "--lang", "fr", "--foo", ECOMMERCE)
    assert run.returncode == 2
    # the program's name is as it was started: 'acvnum' or 'python -m acvnum'
    assert run.stderr.replace("python -m acvnum", "acvnum").splitlines() == [
        "Utilisation\u202f: acvnum estimate [OPTIONS] {files}...",
        "Essayez « acvnum estimate --help » pour l'aide.",
        "",
        "Erreur\u202f: option inconnue\u202f: --foo (options possibles\u202f: --force, --format)",
    ]


def test_a_bad_choice_in_french_from_the_locale():
    run = run_cli("estimate", "--format", "pdf", ECOMMERCE, env={"LANG": "fr_FR.UTF-8"})
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (
        "Erreur\u202f: valeur refusée pour '--format' / '-f'\u202f: 'pdf' n'est pas un choix "
        "possible\u202f; choisissez parmi 'text', 'json', 'csv', 'csv-long', 'markdown', 'html'."
    )


def test_a_missing_argument_in_french_end_to_end():
    run = run_cli_process("estimate", "--lang=fr")
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == "Erreur\u202f: argument manquant\u202f: 'files'."
    assert "Traceback" not in run.stderr


def test_english_stays_click_s_own_words():
    run = run_cli("estimate", "--foo", ECOMMERCE, env={"LANG": "C"})
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (
        "Error: No such option: --foo (Possible options: --force, --format)"
    )
    french_then_english = run_cli("estimate", "--lang", "fr", "--foo", ECOMMERCE)
    assert "Erreur" in french_then_english.stderr
    assert "Error: " in run_cli("estimate", "--bar", ECOMMERCE, env={"LANG": "C"}).stderr


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["estimate", "--lang", "fr", "x"], "fr"),
        (["estimate", "--lang=en"], "en"),
        (["estimate", "--lang", "de"], None),  # not ours: the locale decides, click refuses
        (["estimate", "--lang"], None),
        (["estimate", "x.yaml"], None),
    ],
)
def test_the_language_is_read_from_the_command_line_before_click_parses_it(argv, lang):
    assert argv_language(argv) == lang
