"""`acvnum check --confidence 95%`: budgets judged on the 95th percentile of the samples."""

import json
import re

import pytest
from conftest import MINIMAL, run_cli

# MINIMAL's climate change per visit: about 3.4 g central, about 6.3 g at the 95th percentile
# (estimate --uncertainty --format json: per_visit, interval.p95 / visits): 5 g lies between.
BUDGET = """\
budgets:
  - criterion: climate_change
    per: visit
    max: 5 g
"""


def test_a_budget_met_by_the_central_value_fails_at_95_percent_confidence(write_yaml):
    path = str(write_yaml(MINIMAL + BUDGET))
    sampled_estimate = run_cli("estimate", path, "--uncertainty", "-f", "json").stdout
    (estimate,) = json.loads(sampled_estimate)["services"]
    climate, visits = estimate["criteria"]["climate_change"], estimate["service"]["visits"]
    assert climate["per_visit"] < 0.005 < climate["interval"]["p95"] / visits
    assert run_cli("check", path).returncode == 0
    sampled = run_cli("check", path, "--confidence", "95%", "-f", "json")
    assert sampled.returncode == 1
    (service,) = json.loads(sampled.stdout)["services"]
    (outcome,) = service["budgets"]
    assert outcome["statistic"] == "p95" and outcome["passed"] is False
    assert outcome["value"] * visits == pytest.approx(climate["interval"]["p95"], rel=1e-12)


def test_an_unsupported_confidence_is_a_usage_error(write_yaml):
    result = run_cli("check", str(write_yaml(MINIMAL + BUDGET)), "--confidence", "90%")
    assert result.returncode == 2
    assert "not supported; use one of 95% (0.95), 50% (0.5)" in result.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_spelling_the_confidence_message_offers_is_accepted(write_yaml, lang):
    # In French it offered '95 % (0,95)', then refused '0,95'.
    path = str(write_yaml(MINIMAL + BUDGET))
    refused = run_cli("check", path, "--confidence", "90%", "--lang", lang)
    assert refused.returncode == 2
    spellings = re.findall(r"(\d+[\s\u202f\u00a0]?%) \(([\d.,]+)\)", refused.stderr)
    assert len(spellings) == 2, refused.stderr
    for percent, fraction in spellings:
        for spelling in (percent, fraction):
            run = run_cli("check", path, "--confidence", spelling, "--lang", lang, "-f", "json")
            assert run.returncode in (0, 1), (spelling, run.stderr)
            (service,) = json.loads(run.stdout)["services"]
            assert service["budgets"][0]["statistic"] == ("p95" if "9" in spelling else "p50")


def test_french_reads_a_decimal_comma_in_the_confidence_english_does_not(write_yaml):
    path = str(write_yaml(MINIMAL + BUDGET))
    assert run_cli("check", path, "--confidence", "0,95", "--lang", "fr").returncode == 1
    assert run_cli("check", path, "--confidence", "0,95").returncode == 2
