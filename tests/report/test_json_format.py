"""The JSON contract of DESIGN §3: CI pipelines rely on these keys; changing one is a break."""

import json

import pytest
from conftest import EXAMPLES, run_cli

from acvnum.reference.criteria import CRITERION_IDS

CRITERION_KEYS = {
    "label",
    "unit",
    "total",
    "per_user",
    "per_visit",
    "by_tier",
    "by_phase",
    "planetary_boundary",
}
TOP_KEYS = {
    "schema_version",
    "service",
    "criteria",
    "levers",
    "budgets",
    "assumptions",
    "warnings",
    "factors",
}


@pytest.fixture(scope="module")
def document() -> dict:
    result = run_cli("estimate", str(EXAMPLES / "ecommerce.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_top_level(document):
    assert set(document) >= TOP_KEYS
    assert document["schema_version"] == 1
    assert {"name", "period_days", "users", "visits"} <= set(document["service"])
    assert document["service"]["visits"] == pytest.approx(50000 * 24)


def test_every_criterion_has_the_documented_keys(document):
    assert list(document["criteria"]) == list(CRITERION_IDS)
    for cid, c in document["criteria"].items():
        assert set(c) >= CRITERION_KEYS, cid
        assert set(c["by_tier"]) == {"terminals", "network", "datacenter"}
        assert set(c["by_phase"]) == {"manufacturing", "use"}
        assert sum(c["by_tier"].values()) == pytest.approx(c["total"])
        assert sum(c["by_phase"].values()) == pytest.approx(c["total"])
        assert c["per_user"] == pytest.approx(c["total"] / document["service"]["users"])
        assert c["per_visit"] == pytest.approx(c["total"] / document["service"]["visits"])


def test_planetary_boundary_block(document):
    climate = document["criteria"]["climate_change"]["planetary_boundary"]
    assert set(climate) == {"per_person_year", "persons_equivalent", "share_per_user"}
    # 6.81e12 kg / 8.0e9 people = 851.25 kg CO2e per person-year (Sala et al. 2020, Table 3)
    assert climate["per_person_year"] == pytest.approx(851.25)
    total = document["criteria"]["climate_change"]["total"]
    assert climate["persons_equivalent"] == pytest.approx(total / 851.25)
    assert document["criteria"]["energy"]["planetary_boundary"] is None


def test_assumptions_say_input_or_default(document):
    statuses = {a["path"]: a["status"] for a in document["assumptions"]}
    assert statuses["usage.users"] == "input"
    assert statuses["hosting.servers[0].lifetime"] == "default"
    assert all(set(a) == {"path", "value", "status", "source"} for a in document["assumptions"])
    assert {a["status"] for a in document["assumptions"]} == {"input", "default"}


def test_factors_block(document):
    assert document["factors"]["name"] == "acvnum"
    assert any("Sala" in s for s in document["factors"]["sources"])


def test_several_services_share_one_envelope():
    result = run_cli(
        "estimate",
        str(EXAMPLES / "ecommerce.yaml"),
        str(EXAMPLES / "internal-app.yaml"),
        "--format",
        "json",
    )
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert [s["service"]["name"] for s in document["services"]] == [
        "Boutique en ligne",
        "Intranet RH",
    ]
