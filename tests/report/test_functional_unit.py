"""The functional unit in words (RCP): every report shows it beside the per-visit figures."""

import csv
import io
import json

import pytest
import yaml
from conftest import run_cli

from acvnum.report.json_format import FUNCTIONAL_UNIT

UNIT = "consult one's account once a week for a year"
QUESTIONNAIRE = {
    "name": "Bank account",
    "functional_unit": UNIT,
    "usage": {
        "users": 1000,
        "visits_per_user": "1 / week",
        "visit_duration": "3 min",
        "data_per_visit": "2 MB",
        "devices": {"smartphone": "100%"},
        "network": {"mobile": "100%"},
        "location": "FRA",
    },
}


@pytest.fixture
def stated(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(QUESTIONNAIRE, allow_unicode=True), encoding="utf-8")
    return path


def _report(path, fmt: str, lang: str = "en") -> str:
    result = run_cli("estimate", str(path), "--format", fmt, "--lang", lang)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("fmt", "lang", "label"),
    [
        ("text", "en", "Functional unit: "),
        ("text", "fr", "Unité fonctionnelle\u202f: "),
        ("markdown", "en", "- **Functional unit**: "),
        ("html", "en", '<div class="label">Functional unit</div>'),
    ],
)
def test_human_reports_show_it_with_the_key_figures(stated, fmt, lang, label):
    out = _report(stated, fmt, lang)
    assert label in out
    # beside the per-visit flagship figures, before the tables (the unit kg CO2 eq)
    key = "Climate change per visit" if lang == "en" else "Changement climatique par visite"
    assert out.index(key) < out.index(label.strip()) < out.index("kg CO2 eq")
    assert UNIT.replace("'", "&#x27;" if fmt == "html" else "'") in out


def test_machine_reports_carry_it(stated):
    document = json.loads(_report(stated, "json"))
    assert document["services"][0]["service"]["functional_unit"] == UNIT
    rows = list(csv.DictReader(io.StringIO(_report(stated, "csv"))))
    assert {row["functional_unit"] for row in rows} == {UNIT}


def test_without_one_nothing_is_shown(tmp_path):
    data = {k: v for k, v in QUESTIONNAIRE.items() if k != "functional_unit"}
    path = tmp_path / "plain.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert "Functional unit" not in _report(path, "text")
    # the JSON always names one: the convention behind per_user and per_visit
    service = json.loads(_report(path, "json"))["services"][0]["service"]
    assert service["functional_unit"] == FUNCTIONAL_UNIT
