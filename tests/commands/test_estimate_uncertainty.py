"""`acvnum estimate --uncertainty` and portfolios, run as a user would."""

import csv
import io
import json

from conftest import EXAMPLES, MINIMAL, run_cli, the_service

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")


def test_same_seed_same_output_byte_for_byte_and_another_seed_differs():
    args = ("estimate", str(EXAMPLES), "--uncertainty", "--samples", "2000")
    first = run_cli(*args, "--seed", "7", "-f", "json")
    second = run_cli(*args, "--seed", "7", "-f", "json")
    other = run_cli(*args, "--seed", "8", "-f", "json")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert other.stdout != first.stdout


def test_json_carries_intervals_by_criterion_and_tier_and_the_drivers():
    out = run_cli("estimate", ECOMMERCE, "--uncertainty", "--samples", "1000", "-f", "json")
    document = the_service(out.stdout)
    climate = document["criteria"]["climate_change"]
    assert set(climate["interval"]) == {"p5", "p50", "p95"}
    assert set(climate["interval_by_tier"]) == {"terminals", "network", "datacenter"}
    u = document["uncertainty"]
    assert (u["samples"], u["seed"]) == (1000, 0)
    assert len(u["sensitivity"]["top"]) == 5
    assert {d["kind"] for d in u["sensitivity"]["top"]} <= {"factor", "input"}


def test_without_uncertainty_there_is_no_interval():
    document = the_service(run_cli("estimate", ECOMMERCE, "-f", "json").stdout)
    assert "interval" not in document["criteria"]["energy"] and "uncertainty" not in document


def test_a_questionnaire_range_is_sampled_and_named_among_the_drivers(write_yaml):
    wide = write_yaml(MINIMAL.replace("10 MB", "1 MB..1000 MB"))
    out = run_cli("estimate", str(wide), "--uncertainty", "--samples", "2000", "-f", "json")
    top = the_service(out.stdout)["uncertainty"]["sensitivity"]["by_criterion"]["energy"]
    assert top[0]["name"] == "usage.data_per_visit" and top[0]["kind"] == "input"
    central = the_service(run_cli("estimate", str(wide), "-f", "json").stdout)
    used = {a["path"]: a["value"] for a in central["assumptions"]}
    assert used["usage.data_per_visit"] == "1 MB..1000 MB (central 31.6 MB)"  # sqrt(1 x 1000)


def test_text_report_shows_the_interval_beside_the_central_value_in_both_languages():
    en = run_cli("estimate", ECOMMERCE, "--uncertainty", "--samples", "1000")
    fr = run_cli("estimate", ECOMMERCE, "--uncertainty", "--samples", "1000", "--lang", "fr")
    assert "90% chance between" in en.stdout and "What drives the spread" in en.stdout
    assert "à 90\u202f% entre" in fr.stdout and "Ce qui élargit l'intervalle" in fr.stdout


def test_several_services_are_ranked_and_totalled():
    out = run_cli("estimate", str(EXAMPLES), "-f", "json")
    document = json.loads(out.stdout)
    ranking = document["portfolio"]["ranking"]
    assert [r["persons_equivalent"] for r in ranking] == sorted(
        (r["persons_equivalent"] for r in ranking), reverse=True
    )
    total = sum(s["criteria"]["energy"]["total"] for s in document["services"])
    assert document["portfolio"]["criteria"]["energy"]["total"] == total
    text = run_cli("estimate", str(EXAMPLES)).stdout
    count = len(list(EXAMPLES.glob("*.yaml")))
    assert f"Portfolio: {count} services ranked by persons-equivalent" in text


def test_csv_has_one_row_per_service_and_criterion_with_intervals():
    out = run_cli("estimate", str(EXAMPLES), "-f", "csv", "--uncertainty", "--samples", "500")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == len(list(EXAMPLES.glob("*.yaml"))) * 8
    assert all(float(r["p5"]) <= float(r["total"]) <= float(r["p95"]) for r in rows)


def test_too_large_a_run_is_a_usage_error():
    # four services (a file named twice is assessed once, so distinct files are needed)
    out = run_cli("estimate", str(EXAMPLES), "--uncertainty", "--samples", "1000000")
    assert out.returncode == 2
    assert "lower --samples" in out.stderr and "Traceback" not in out.stderr
