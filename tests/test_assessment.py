"""Files and directories given to estimate/check: each questionnaire counted once; one
frozen assessment built whole from the settings."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import EXAMPLES, MINIMAL, run_cli

from acvnum.questionnaire.service import expand_paths


def test_a_file_also_inside_a_given_directory_is_kept_once_where_it_first_appears():
    again = EXAMPLES / ".." / "examples" / "ecommerce.yaml"
    paths = expand_paths([EXAMPLES / "mobile-app.yaml", EXAMPLES, again])
    names = [p.name for p in paths]
    assert names[0] == "mobile-app.yaml"
    assert sorted(names) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def test_a_portfolio_does_not_count_a_service_twice():
    result = run_cli("estimate", "examples", "examples/ecommerce.yaml", "-f", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    names = [s["service"]["name"] for s in document["services"]]
    assert names.count("Boutique en ligne") == 1
    assert document["portfolio"]["services"] == len(list(EXAMPLES.glob("*.yaml")))


def test_diff_of_a_file_with_itself_under_two_spellings_still_compares():
    result = run_cli("diff", "examples/ecommerce.yaml", "./examples/ecommerce.yaml", "-f", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["criteria"]
    assert all(c["change"] == 0 for c in changes.values())


# --- one frozen assessment, built once ---------------------------------------------------


def test_an_assessment_is_built_once_and_nothing_writes_into_it_later():
    from acvnum.assessment import Settings, assess

    shop = EXAMPLES / "ecommerce.yaml"
    settings = Settings(samples=200, levers=3, what_if=("hosting.pue=1.2",))
    assessment = assess([shop], settings)
    (result,) = assessment
    assert assessment.settings == settings and len(assessment) == 1
    # Every analysis is in the result it was built with...
    assert len(result.levers) == 3 and result.levers_combined is not None
    assert result.what_if is not None and result.uncertainty is not None
    assert result.criteria["climate_change"].interval is not None
    # ...and neither the result nor its parts can be written into afterwards.
    for frozen, field in [
        (assessment, "results"),
        (result, "levers"),
        (result, "what_if"),
        (result.criteria["climate_change"], "interval"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, field, None)


def test_a_plain_assessment_carries_no_analysis():
    from acvnum.assessment import assess

    (result,) = assess([EXAMPLES / "ecommerce.yaml"])
    assert result.levers == () and result.levers_combined is None and result.what_if is None
    assert result.uncertainty is None and result.budgets == ()
    assert all(c.interval is None for c in result.criteria.values())


def test_what_if_warnings_join_the_result_s_own_once(write_yaml):
    from acvnum.assessment import Settings, assess

    minimal = write_yaml(MINIMAL)  # no hosting: a hosting change has no effect
    plain = assess([minimal])[0].warnings
    changed = assess([minimal], Settings(what_if=("hosting.pue=1.2",)))[0].warnings
    assert changed == [*plain, "warning.what_if_no_hosting"]
