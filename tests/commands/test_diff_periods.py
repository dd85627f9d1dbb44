"""`acvnum diff` of two periods (a year against a month): totals are not comparable, and
every format says so, in the report's language, pointing at --per visit or --per user."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, run_cli

BASE = EXAMPLES / "ecommerce.yaml"


@pytest.fixture
def month(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace("period: 1 year", "period: 1 month")
    assert "period: 1 month" in text
    path = tmp_path / "month.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_warns_that_totals_over_different_periods_do_not_compare(month):
    result = run_cli("diff", str(BASE), month)
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "Warning: A covers 1 year and B 30.4 days; totals over different periods" in flat
    assert "Compare with --per visit or --per user." in flat


def test_markdown_warns_in_french(month):
    result = run_cli("diff", str(BASE), month, "-f", "markdown", "--lang", "fr")
    assert "> ⚠️ Attention\u202f: A couvre 1 an et B 30,4 jours" in result.stdout


def test_json_flags_it_and_stderr_says_it(month):
    result = run_cli("diff", str(BASE), month, "-f", "json")
    document = json.loads(result.stdout)
    assert document["warnings"] == ["periods_differ"]
    assert document["a"]["period_days"] == pytest.approx(365.25)
    assert "use --per visit or --per user" in result.stderr


def test_stderr_says_it_in_french(month):
    # It was English whatever --lang said.
    result = run_cli("diff", str(BASE), month, "-f", "json", "--lang", "fr")
    assert result.stderr == (
        "acvnum: avertissement\u202f: A et B couvrent des périodes différentes\u202f: leurs "
        "totaux ne sont pas comparables\u202f; utilisez --per visit ou --per user\n"
    )


def test_per_visit_and_equal_periods_say_nothing(month, tmp_path):
    per_visit = run_cli("diff", str(BASE), month, "--per", "visit")
    assert "Warning" not in per_visit.stdout and per_visit.stderr == ""
    same = run_cli("diff", str(BASE), str(BASE), "-f", "json")
    assert json.loads(same.stdout)["warnings"] == []


def test_a_saved_result_carries_its_period(month, tmp_path):
    saved = tmp_path / "month.json"
    assert run_cli("estimate", month, "-f", "json", "-o", str(saved)).returncode == 0
    result = run_cli("diff", str(BASE), str(saved))
    assert "totals over different periods" in " ".join(result.stdout.split())
