"""Files and directories given to estimate/check: each questionnaire counted once."""

from __future__ import annotations

import json

from conftest import EXAMPLES, run_cli

from acvnum.assessment import expand_paths


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
