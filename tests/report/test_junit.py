"""JUnit XML (acvnum.report.junit): test case names a CI server can track from run to run,
whatever the language; failure messages in the reader's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import MINIMAL, run_cli

from acvnum.reference.criteria import CRITERION_IDS

BUDGETS = """\
budgets:
  - criterion: climate_change
    per: visit
    max: 0.5 g
  - criterion: particulate_matter
    per: user
    max_boundary_share: 2.5%
"""


@pytest.fixture
def checked(write_yaml, tmp_path):
    """`check -f junit` of one service with a failing budget and a baseline, by language."""
    path = write_yaml(MINIMAL + BUDGETS)
    baseline = tmp_path / "baseline.json"
    assert run_cli("estimate", str(path), "-f", "json", "-o", str(baseline)).returncode == 0

    def junit(lang: str) -> ET.Element:
        options = ("--baseline", str(baseline), "--tolerance", "2.5%", "--lang", lang)
        result = run_cli("check", str(path), *options, "-f", "junit")
        assert result.returncode == 1, result.stderr
        return ET.fromstring(result.stdout)

    return junit


def test_case_names_are_the_same_in_every_language(checked):
    # In French they mixed English words with French numbers and units:
    # 'budget climate_change per visit <= 5,00 g CO2e'.
    names = {lang: [c.get("name") for c in checked(lang).iter("testcase")] for lang in ("en", "fr")}
    assert names["fr"] == names["en"]
    assert names["en"] == [
        "budget climate_change per visit <= 0.500 g CO2e",
        "budget particulate_matter per user <= 1.61e-06 disease inc.",  # 2.5% of its boundary
        *(f"baseline {cid} per visit within 2.50\u00a0%" for cid in CRITERION_IDS),
    ]


def test_failure_messages_are_in_the_chosen_language(checked):
    (english,) = [f.get("message") for f in checked("en").iter("failure")]
    (french,) = [f.get("message") for f in checked("fr").iter("failure")]
    assert english.startswith("Climate change per visit: ")
    assert french.startswith("Changement climatique par visite")
    assert "dépasse la limite de 0,500 g CO2e" in french


def test_what_users_wrote_shows_control_characters_as_escapes(write_yaml, tmp_path):
    # As README says every report shows them ('\x1b', '\u202e', a newline '\x0a'); JUnit
    # showed each as U+FFFD. U+FFFF, which XML 1.0 cannot hold, is removed: well-formed.
    budget = "budgets:\n  - criterion: climate_change\n    per: visit\n    max: 1 mg\n"
    old = write_yaml(MINIMAL.replace("name: Minimal", 'name: "B\\e]0;t\\a"'), "old.yaml")
    baseline = tmp_path / "baseline.json"
    assert run_cli("estimate", str(old), "-f", "json", "-o", str(baseline)).returncode == 0
    text = MINIMAL.replace("name: Minimal", 'name: "S\\e[2J\\u202e\\nX\\uffff"') + budget
    path = write_yaml(text, "a\x1bb.yaml")
    result = run_cli("check", str(path), "--baseline", str(baseline), "-f", "junit")
    assert result.returncode == 1, result.stderr
    assert "\ufffd" not in result.stdout and "\x1b" not in result.stdout
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite.get("name") == "S\\x1b[2J\\u202e\\x0aX"
    assert suite.get("file") == str(tmp_path / "a\\x1bb.yaml")
    (renamed,) = [
        p.get("value") for p in suite.iter("property") if p.get("name") == "baseline_service"
    ]
    assert "B\\x1b]0;t\\x07" in renamed
    assert {case.get("classname") for case in suite.iter("testcase")} == {suite.get("name")}
