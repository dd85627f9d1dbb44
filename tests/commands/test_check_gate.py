"""`acvnum check` as a CI gate that cannot pass by checking nothing: baselines that hold no
such service or lack a criterion are bad input, a renamed single service is compared with a
warning, files without budgets are reported, percentiles are named in every format, and no
user-written control character reaches a terminal or a JUnit file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, run_cli

BUDGET = """\
budgets:
  - criterion: climate_change
    per: visit
    max: 50 g
"""


@pytest.fixture
def baseline(tmp_path):
    """MINIMAL (named 'Minimal') recorded as a one-service result JSON."""
    (tmp_path / "service.yaml").write_text(MINIMAL + BUDGET, encoding="utf-8")
    recorded = run_cli("estimate", "service.yaml", "-f", "json", "-o", "base.json", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    return tmp_path / "base.json"


def _renamed(tmp_path, name: str = "Renamed"):
    path = tmp_path / "renamed.yaml"
    path.write_text(MINIMAL.replace("name: Minimal", f"name: {name}") + BUDGET, encoding="utf-8")
    return path


# --- baselines ----------------------------------------------------------------------------


def test_a_portfolio_baseline_without_the_service_is_bad_input(tmp_path):
    portfolio = tmp_path / "pf.json"
    recorded = run_cli("estimate", str(EXAMPLES), "-f", "json", "-o", str(portfolio))
    assert recorded.returncode == 0, recorded.stderr
    result = run_cli("check", str(_renamed(tmp_path, "Heavy")), "--baseline", str(portfolio))
    assert result.returncode == 2, result.stdout
    assert f"{portfolio}:1:1: no service named 'Heavy' in the baseline (it holds " in result.stderr
    assert "'Boutique en ligne'" in result.stderr
    assert result.stdout == ""  # no "All 0 checks passed"


def test_a_baseline_missing_a_criterion_is_bad_input(baseline, tmp_path):
    document = json.loads(baseline.read_text(encoding="utf-8"))
    del document["services"][0]["criteria"]["acidification"]
    baseline.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("check", str(tmp_path / "service.yaml"), "--baseline", str(baseline))
    assert result.returncode == 2, result.stdout
    assert "service 'Minimal' in the baseline lacks criterion acidification" in result.stderr


def test_a_baseline_from_before_water_and_fossil_compares_the_other_criteria(baseline):
    """Water use and fossil resources came with method 2: a baseline recorded before them
    is still a baseline; the six criteria it holds are compared, the two new ones are not."""
    document = json.loads(baseline.read_text(encoding="utf-8"))
    for criterion in ("water_use", "fossil_resources"):
        del document["services"][0]["criteria"][criterion]
    baseline.write_text(json.dumps(document), encoding="utf-8")
    service = str(baseline.parent / "service.yaml")
    result = run_cli("check", service, "--baseline", str(baseline), "-f", "json")
    assert result.returncode == 0, result.stderr
    (checked,) = json.loads(result.stdout)["services"]
    compared = [c["criterion"] for c in checked["check"]["baseline"]["criteria"]]
    assert "water_use" not in compared and "fossil_resources" not in compared
    assert len(compared) == 6


def test_a_single_renamed_service_is_compared_with_a_warning(baseline, tmp_path):
    renamed = str(_renamed(tmp_path))
    text = run_cli("check", renamed, "--baseline", str(baseline))
    assert text.returncode == 0, text.stderr
    assert "Compared with 'Minimal', the only service of the baseline" in text.stdout
    assert text.stdout.count("PASS") == 9  # one budget, eight criteria against the baseline
    french = run_cli(
        "check", renamed, "--baseline", str(baseline), "-f", "markdown", "--lang", "fr"
    )
    assert "Comparé à «\u202fMinimal\u202f», le seul service de la référence" in french.stdout
    as_json = run_cli("check", renamed, "--baseline", str(baseline), "-f", "json")
    assert "warning: 'Renamed' compared with 'Minimal'" in as_json.stderr
    (service,) = json.loads(as_json.stdout)["services"]
    assert service["check"]["baseline"]["service"] == "Minimal"


def test_the_renamed_warning_on_stderr_is_said_in_french(baseline, tmp_path):
    # It was English whatever --lang said.
    renamed = str(_renamed(tmp_path))
    result = run_cli("check", renamed, "--baseline", str(baseline), "-f", "json", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "acvnum: avertissement\u202f: «\u202fRenamed\u202f» comparé à «\u202fMinimal\u202f», le "
        f"seul service de la référence {baseline} (les noms diffèrent)\n"
    )


def test_a_directory_as_baseline_says_so(tmp_path, write_yaml):
    result = run_cli("check", str(write_yaml(MINIMAL + BUDGET)), "--baseline", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path}:1:1: is a directory, not a result JSON" in result.stderr


# --- files without budgets ----------------------------------------------------------------


def test_a_file_without_budgets_among_others_is_reported_not_an_error(tmp_path, write_yaml):
    bare = write_yaml(MINIMAL, "bare.yaml")
    judged = write_yaml(MINIMAL.replace("Minimal", "Judged") + BUDGET, "judged.yaml")
    result = run_cli("check", str(bare), str(judged))
    assert result.returncode == 0, result.stderr
    assert "Minimal — Budgets: No budget for this service." in result.stdout
    assert result.stdout.count("PASS") == 1  # the bare file's absence of budgets fails nothing
    assert "failed" not in result.stdout


def test_no_budgets_anywhere_is_nothing_to_check_unless_given_on_the_command_line(write_yaml):
    bare = str(write_yaml(MINIMAL))
    alone = run_cli("check", bare)
    assert alone.returncode == 2 and "nothing to check" in alone.stderr
    given = run_cli("check", bare, "--budget", "climate_change<=50g/visit")
    assert given.returncode == 0, given.stderr


# --- --confidence named in every format ---------------------------------------------------


@pytest.mark.parametrize("level", ["95%", "0.95"])
def test_the_percentile_judged_is_named_in_text_markdown_and_junit(write_yaml, level):
    path = str(write_yaml(MINIMAL + BUDGET))
    text = run_cli("check", path, "--confidence", level)
    assert text.returncode == 0, text.stderr
    assert "judged on the 95th percentile of the sampled uncertainty" in text.stdout
    assert "(p95)" in text.stdout  # the value column's header, wrapped under "Value"
    markdown = run_cli("check", path, "--confidence", level, "-f", "markdown", "--lang", "fr")
    assert "jugés sur le 95e centile" in markdown.stdout
    assert "| Valeur (p95) |" in markdown.stdout
    junit = ET.fromstring(run_cli("check", path, "--confidence", level, "-f", "junit").stdout)
    suite = junit.find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["statistic"] == "p95"
    assert all(case.get("name").endswith(" at p95") for case in suite.iter("testcase"))


def test_a_failed_percentile_budget_names_the_percentile_in_junit(write_yaml):
    tight = BUDGET.replace("50 g", "0.1 g")
    junit = run_cli("check", str(write_yaml(MINIMAL + tight)), "--confidence", "50%", "-f", "junit")
    assert junit.returncode == 1
    failure = ET.fromstring(junit.stdout).find(".//failure")
    assert "(median) is over the limit of" in failure.get("message")


# --- control characters in user-written text ----------------------------------------------

NASTY = MINIMAL.replace("name: Minimal", 'name: "Shop\\x01 \\x1b[2J"\ndescription: "d\\x1b[31m"')


def test_junit_stays_well_formed_with_control_characters_in_a_name(write_yaml):
    result = run_cli("check", str(write_yaml(NASTY + BUDGET)), "-f", "junit")
    assert result.returncode == 0, result.stderr
    suite = ET.fromstring(result.stdout).find("testsuite")  # raises when not well-formed
    # each control character as its escape, as in every report (it was U+FFFD)
    assert suite.get("name") == "Shop\\x01 \\x1b[2J"


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        # the text reports (check, estimate, diff) show each control character as its
        # escape (README)
        (["check"], "Shop\\x01 \\x1b[2J"),
        (["estimate"], "Shop\\x01 \\x1b[2J"),
        (["estimate", "-f", "markdown"], "Shop\\x01 \\x1b[2J"),  # and Markdown (README)
        (["diff", str(EXAMPLES / "ecommerce.yaml")], "Shop\\x01 \\x1b[2J"),
    ],
)
def test_no_escape_sequence_reaches_the_terminal(write_yaml, command, shown):
    path = str(write_yaml(NASTY + BUDGET))
    result = run_cli(*command, path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x01" not in result.stdout
    assert shown in result.stdout


# --- French text without cut words --------------------------------------------------------


def test_the_french_table_wraps_words_instead_of_cutting_them():
    result = run_cli("check", str(EXAMPLES / "ecommerce.yaml"), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert "Acidification" in result.stdout and "utilisateur" in result.stdout
    assert "Rayonnements" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_an_empty_budgets_list_is_said_to_be_empty(write_yaml):
    empty = str(write_yaml(MINIMAL + "budgets: []\n"))
    result = run_cli("check", empty)
    assert result.returncode == 2
    assert "no budget in" in result.stderr and "or an empty one" in result.stderr


def test_a_version_1_baseline_is_read(tmp_path):
    """`check --baseline` reads a result saved by acvnum 0.1 (schema_version 1, no envelope)."""
    v1 = ROOT / "tests/inputs/results/minimal.v1.json"
    saved = json.loads(v1.read_text(encoding="utf-8"))
    (tmp_path / "service.yaml").write_text(MINIMAL + BUDGET, encoding="utf-8")
    result = run_cli("check", "service.yaml", "--baseline", str(v1), "-f", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr  # 2 would be 'not a result'
    (service,) = json.loads(result.stdout)["services"]
    read = {c["criterion"]: c["baseline"] for c in service["check"]["baseline"]["criteria"]}
    assert read == pytest.approx({cid: c["per_visit"] for cid, c in saved["criteria"].items()})
