"""Water use and fossil resources: hand-checked figures from the cited factors, and the
coverage statement, which must follow the factor rows that exist (never a silent zero)."""

import copy

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_DATA

from acvnum.assessment import assess, assess_services
from acvnum.calculation import coverage as coverage_module
from acvnum.calculation.coverage import ACTIVITY_KEYS, coverage, factor_presence, table_coverage
from acvnum.calculation.engine import evaluate, factor_prefixes
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.questionnaire.models import validate
from acvnum.questionnaire.service import Service
from acvnum.questionnaire.yaml_reader import Document
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS, ENERGY, IMPACT_IDS
from acvnum.reference.factors import FactorTable, load_factors

TABLE = load_factors()
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
WATER = CRITERION_IDS.index("water_use")
FOSSIL = CRITERION_IDS.index("fossil_resources")

# 1000 users × 10 visits × 6 min = 1000 h on laptops in France; 10 MB × 10,000 visits =
# 100 GB on fixed access (conftest's MINIMAL, as read).
MINIMAL = MINIMAL_DATA


def service(data: dict) -> Service:
    return Service(validate(Document("test.yaml", data)), Document("test.yaml", data))


def services_of(paths) -> list[Service]:
    return [service(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


def item(c: np.ndarray, key: str) -> np.ndarray:
    return c[ACTIVITY_KEYS.index(key)]


def test_laptop_water_and_fossil_hand_checked():
    arrays = service_arrays([service(MINIMAL).questionnaire])
    (c,) = evaluate(arrays, TABLE.central()).contributions[:, 0]
    # device share: 1000 h / (5 years × 3 h/day × 365.25 days) = 0.182524 laptop
    # water: 0.182524 × 194.052 m3 world eq (ADEME model 2.1.0, 194,000 + 51.6 l) = 35.4191
    # fossil: 0.182524 × 2360 MJ (ADEME Base Empreinte LAPTOP perso adpf) = 430.757
    manufacturing = item(c, "terminals.manufacturing.laptop")
    assert manufacturing[WATER] == pytest.approx(35.4191, rel=1e-4)
    assert manufacturing[FOSSIL] == pytest.approx(430.757, rel=1e-4)
    # use: 1000 h × 26.5 W = 26.5 kWh on the French grid
    # water: 26.5 × 0.0957759 m3 world eq/kWh (Digital4Better FR 2024) = 2.53806
    # fossil: 26.5 × 9.31353 MJ/kWh (ADEME Base IMPACTS 2011, FRA adpf) = 246.809
    use = item(c, "terminals.use.laptop")
    assert use[WATER] == pytest.approx(2.53806, rel=1e-4)
    assert use[FOSSIL] == pytest.approx(246.809, rel=1e-4)


def test_network_per_gb_fossil_and_water_hand_checked():
    arrays = service_arrays([service(MINIMAL).questionnaire])
    (c,) = evaluate(arrays, TABLE.central()).contributions[:, 0]
    # fossil: 100 GB × 0.0008803 kg CO2e/GB × (51500 MJ / 3660 kg, ADEME server) = 1.23867 MJ
    assert item(c, "network.manufacturing.fixed")[FOSSIL] == pytest.approx(1.23867, rel=1e-4)
    # water (a proxy): 100 GB × 0.0008803 kg CO2e/GB × (21,601.99 l / 61,410 g, ADEME's box)
    # = 0.030966 m3 world eq; the row holds 0.0003097 per GB, four figures: 0.03097
    assert item(c, "network.manufacturing.fixed")[WATER] == pytest.approx(0.03097, rel=1e-4)
    (statement,) = coverage(arrays, evaluate(arrays, TABLE.central()).inventory[:, 0], TABLE)
    assert "network.manufacturing.fixed" in statement["water_use"].covered
    assert "network.manufacturing.fixed" in statement["fossil_resources"].covered


def test_boundaries_of_the_new_criteria_per_person():
    # Sala et al. 2020 Table 3 over 8.0 bn people: 1.82e14 / 8e9 = 22,750 m3 world eq;
    # 2.24e14 / 8e9 = 28,000 MJ
    limits = boundaries(TABLE).per_person_year
    assert limits["water_use"] == pytest.approx(22750)
    assert limits["fossil_resources"] == pytest.approx(28000)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_coverage_matches_the_factor_rows_the_engine_reads(path):
    """Property: an activity the service uses is covered for a criterion exactly when the
    engine finds a factor for it, i.e. when its contribution is not zero (every shipped
    impact factor is positive). A row mixing several items' factors (a block's traffic:
    fixed, mobile equipment and the home box) is covered only when all of them are: one
    missing is flagged, though the others still count."""
    arrays = service_arrays([s.questionnaire for s in services_of([path])])
    footprint = evaluate(arrays, TABLE.central())
    (c,) = footprint.contributions[:, 0]
    (amounts,) = footprint.inventory[:, 0]
    (statement,) = coverage(arrays, footprint.inventory[:, 0], TABLE)
    mixed = ["+" in names[index[0]] for names, index in factor_prefixes(arrays)]
    for index, cid in enumerate(CRITERION_IDS):
        for a, key in enumerate(ACTIVITY_KEYS):
            in_scope = index != ENERGY or ACTIVITIES[a].phase == "use"
            if amounts[a] == 0 or not in_scope:
                assert key not in statement[cid].covered + statement[cid].not_covered
            elif c[a, index] == 0:
                assert key in statement[cid].not_covered, (cid, key)
            elif mixed[a]:  # partly counted: covered or flagged, never silent
                assert key in statement[cid].covered + statement[cid].not_covered, (cid, key)
            else:
                assert key in statement[cid].covered, (cid, key)


def test_every_criterion_is_covered_where_the_reference_method_has_factors():
    """The five RCP criteria and final energy have a factor for every activity of every
    example; water use and fossil resources are checked against the rows that exist."""
    arrays = service_arrays([s.questionnaire for s in services_of(EXAMPLE_FILES)])
    present = factor_presence(arrays, TABLE)
    for cid in IMPACT_IDS[:5]:
        assert present[..., CRITERION_IDS.index(cid)].all(), cid
    use = np.array([a.phase == "use" for a in ACTIVITIES])
    assert present[:, use, ENERGY].all()  # kWh per kWh; manufacturing is outside energy
    # fossil resources: a row for every activity kind shipped
    assert present[..., FOSSIL].all()
    # water use: everything but the data-centre building (no water source for it)
    water = {key for key, p in zip(ACTIVITY_KEYS, present[0, :, WATER], strict=True) if p}
    assert "terminals.manufacturing.laptop" in water
    assert "datacenter.manufacturing.ai_gpus" in water
    assert "datacenter.manufacturing.servers" in water
    assert "datacenter.manufacturing.network_gear" in water
    assert "datacenter.manufacturing.building" not in water


def test_removing_a_factor_row_uncovers_the_activity_and_drops_its_part():
    table = FactorTable([f for f in TABLE.factors.values() if f.id != "device.laptop.water_use"])
    before = assess_services([service(MINIMAL)], TABLE).results[0].criteria["water_use"]
    after = assess_services([service(MINIMAL)], table).results[0].criteria["water_use"]
    assert "terminals.manufacturing.laptop" in before.coverage.covered
    assert "terminals.manufacturing.laptop" in after.coverage.not_covered
    # the total loses exactly the laptop's manufacturing water (35.4191 m3 world eq above)
    assert before.total - after.total == pytest.approx(35.4191, rel=1e-4)


def test_a_region_without_a_row_is_not_covered_for_its_use():
    table = FactorTable([f for f in TABLE.factors.values() if f.id != "electricity.FRA.water_use"])
    result = assess_services([service(MINIMAL)], table).results[0]
    water = result.criteria["water_use"].coverage
    assert "terminals.use.laptop" in water.not_covered
    assert "terminals.use.laptop" in result.criteria["fossil_resources"].coverage.covered


def test_a_blocks_traffic_is_flagged_where_one_of_its_network_factors_is_missing():
    # video traffic takes fixed and mobile equipment and the box per GB: without the mobile
    # equipment's water row, water use flags it though the fixed network's and box's count
    (service,) = services_of([EXAMPLES / "video-conferencing.yaml"])
    table = FactorTable([f for f in TABLE.factors.values() if f.id != "network.mobile.water_use"])
    for factors, listed in ((TABLE, "covered"), (table, "not_covered")):
        result = assess_services([service], factors).results[0]
        assert "network.manufacturing.video" in getattr(
            result.criteria["water_use"].coverage, listed
        )
        assert "network.manufacturing.video" in result.criteria["fossil_resources"].coverage.covered


def test_final_energy_lists_use_activities_only():
    data = copy.deepcopy(MINIMAL)
    result = assess_services([service(data)], TABLE).results[0]
    energy = result.criteria["energy"].coverage
    assert energy.not_covered == ()
    assert all(".use." in key for key in energy.covered)


def test_assess_gives_every_criterion_a_coverage():
    (result,) = assess([EXAMPLES / "ecommerce.yaml"])
    assert set(result.criteria) == set(CRITERION_IDS)
    assert all(c.coverage is not None for c in result.criteria.values())


def test_the_tables_coverage_follows_its_rows():
    full = table_coverage(TABLE)
    assert full["climate_change"].not_covered == ()
    assert "device.laptop" in full["water_use"].covered
    assert "network.fixed" in full["water_use"].covered
    assert "datacenter.building" in full["water_use"].not_covered
    table = FactorTable([f for f in TABLE.factors.values() if f.id != "device.laptop.water_use"])
    assert "device.laptop" in table_coverage(table)["water_use"].not_covered


def test_each_service_s_factor_presence_among_others_is_its_own():
    """Presence is gathered per service: the examples together, under a table without a
    region's and a network's water rows, is each one's alone (and they differ)."""
    gone = {"electricity.FRA.water_use", "network.mobile.water_use"}
    table = FactorTable([f for f in TABLE.factors.values() if f.id not in gone])
    qs = [s.questionnaire for s in services_of(EXAMPLE_FILES)]
    qs += [service(MINIMAL).questionnaire]
    together = factor_presence(service_arrays(qs), table)
    alone = np.concatenate([factor_presence(service_arrays([q]), table) for q in qs])
    np.testing.assert_array_equal(together, alone)
    assert together.dtype == bool and together.shape == (len(qs), len(ACTIVITIES), 8)
    assert (together != together[:1]).any()  # the services' statements differ


def test_a_statement_is_made_from_its_own_service_s_masks_and_shared_by_equal_ones():
    """coverage keys its run-wide statements by packed bits: each service's statement is the
    one its unpacked masks make (under two tables, the second with rows missing, so a key
    must tell the tables' presence apart), and services with equal bits share one object."""
    gone = {"electricity.FRA.water_use", "network.mobile.water_use"}
    reduced = FactorTable([f for f in TABLE.factors.values() if f.id not in gone])
    qs = [s.questionnaire for s in services_of(EXAMPLE_FILES)]
    qs += [service(MINIMAL).questionnaire] * 2
    arrays = service_arrays(qs)
    for table in (TABLE, reduced):
        amounts = evaluate(arrays, table.central()).inventory[:, 0]
        found = coverage(arrays, amounts, table)
        present = factor_presence(arrays, table)
        for n, statement in enumerate(found):
            used = (amounts[n] != 0)[:, np.newaxis] & coverage_module._IN_SCOPE
            assert statement == coverage_module._statement(used, present[n]), n
        assert found[-1] is found[-2]
    assert coverage(arrays, amounts, TABLE) != found  # the reduced table's differ
