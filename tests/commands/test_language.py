"""The language: --lang when given, else the locale's (LC_ALL, LC_MESSAGES, LANG), else en."""

import pytest
from conftest import run_cli

from acvnum.commands.common import Lang, language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_CA"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),  # LC_ALL comes first
        ({"LC_ALL": "", "LC_MESSAGES": "fr_BE", "LANG": "en_GB"}, "fr"),
    ],
)
def test_locale_sets_the_default_language(environ, expected):
    assert language(None, environ) == expected


def test_lang_option_wins_over_the_locale():
    assert language(Lang.en, {"LANG": "fr_FR.UTF-8"}) == "en"


def test_a_french_locale_gives_a_french_report_unless_lang_says_otherwise():
    french = run_cli("estimate", "examples/ecommerce.yaml", env={"LANG": "fr_FR.UTF-8"})
    assert "Énergie par visite" in french.stdout
    english = run_cli(
        "estimate", "examples/ecommerce.yaml", "--lang", "en", env={"LANG": "fr_FR.UTF-8"}
    )
    assert "Energy per visit" in english.stdout
