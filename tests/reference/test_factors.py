"""Every shipped factor is complete and coherent; user tables get the same checks."""

import csv

import pytest
from conftest import ROOT

from acvnum.errors import InputError
from acvnum.questionnaire.models import DEVICE_TYPES
from acvnum.reference.criteria import IMPACT_IDS, REFERENCE_IDS
from acvnum.reference.factors import COLUMNS, NOT_FACTORS, REQUIRED, load_factors, parse_csv

TABLES = sorted(p for p in (ROOT / "factors").glob("*.csv") if p.name not in NOT_FACTORS)
ROWS = [(path.name, row) for path in TABLES for row in csv.DictReader(path.open(encoding="utf-8"))]


def test_there_are_tables():
    assert {p.name for p in TABLES} >= {
        "electricity.csv",
        "devices.csv",
        "network.csv",
        "datacenter.csv",
        "boundaries.csv",
    }


@pytest.mark.parametrize(("table", "row"), ROWS, ids=[r["id"] for _, r in ROWS])
def test_every_factor_carries_value_range_unit_source_year_licence(table, row):
    assert tuple(row) == COLUMNS, table
    missing = [c for c in REQUIRED if not (row[c] or "").strip()]
    assert not missing, f"{row['id']} lacks {missing}"
    low, value, high = float(row["low"]), float(row["value"]), float(row["high"])
    assert low <= value <= high, row["id"]
    assert 1990 <= int(row["year"]) <= 2026, row["id"]


def test_ids_are_unique_across_tables():
    ids = [row["id"] for _, row in ROWS]
    assert len(ids) == len(set(ids))


def test_at_least_twenty_countries_plus_world_and_eu27():
    regions = load_factors().regions()
    assert "WLD" in regions and "EU27" in regions
    assert len([r for r in regions if r not in ("WLD", "EU27")]) >= 20


@pytest.mark.parametrize("criterion", IMPACT_IDS)
def test_every_region_covers_every_criterion(criterion):
    table = load_factors()
    for region in table.regions():
        assert f"electricity.{region}.{criterion}" in table


def test_the_engine_finds_every_factor_it_needs():
    table = load_factors()
    needed = [
        f"device.{d}.{q}"
        for d in DEVICE_TYPES
        for q in (*REFERENCE_IDS, "lifetime", "power", "active_hours")
    ]
    # water use and fossil resources are covered where sourced (tests/calculation/test_coverage.py)
    needed += [
        f"{item}.{c}"
        for item in ("network.box", "server.physical", "storage.ssd", "storage.hdd")
        for c in REFERENCE_IDS
    ]
    needed += [f"boundary.{c}.global" for c in IMPACT_IDS]
    needed += [
        "network.fixed.energy",
        "network.mobile.energy",
        "network.box.lifetime",
        "network.box.power",
        "server.physical.lifetime",
        "server.physical.power_idle",
        "server.physical.power_max",
        "server.virtual.host_vcpu",
        "datacenter.default.pue",
        "datacenter.default.utilization",
        "storage.ssd.lifetime",
        "storage.hdd.lifetime",
        "storage.ssd.power",
        "storage.hdd.power",
        "storage.default.replicas",
        "boundary.population.current",
        "boundary.population.sala2010",
    ]
    assert [n for n in needed if n not in table] == []


HEADER = ",".join(COLUMNS) + "\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "electricity.FRA.climate_change,0.05,0.04,0.06,kg CO2 eq/kWh,,2024,CC BY,",
            "lacks source",
        ),
        (
            "electricity.FRA.climate_change,0.05,0.06,0.07,kg,src,2024,CC BY,",
            "low <= value <= high",
        ),
        ("electricity.FRA.climate_change,abc,0.06,0.07,kg,src,2024,CC BY,", "value 'abc' is not"),
        ("power.FRA.x,1,1,1,kg,src,2024,CC BY,", "must be kind.item.quantity"),
    ],
)
def test_bad_rows_are_refused_with_their_line(row, message):
    with pytest.raises(InputError, match=message) as caught:
        parse_csv(HEADER + row + "\n", "mine.csv")
    assert caught.value.problems[0].line == 2


def test_a_user_table_replaces_defaults_and_is_named(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        HEADER + "electricity.FRA.climate_change,0.1,0.09,0.11,kg CO2 eq/kWh,"
        "my licensed database,2024,licensed,\n",
        encoding="utf-8",
    )
    table = load_factors(path)
    assert table.value("electricity.FRA.climate_change") == 0.1
    assert table.user_ids == frozenset({"electricity.FRA.climate_change"})


NON_CARBON = ("minerals_metals", "acidification", "particulate_matter", "ionising_radiation")


def test_electricity_combustion_ranges_reach_the_2011_figure_at_todays_mix():
    table = load_factors()
    # Finland, Ember's own carbon per kWh: 268.16324 g (2011) -> 72.2488 g (2024), ratio
    # 0.2694; acidification 0.0003014 mol H+ eq/kWh (2011) x 0.2694 = 8.121e-05, below -50 %
    acid = table["electricity.FIN.acidification"]
    assert acid.low == pytest.approx(0.0003014 * 72.2488 / 268.16324, rel=1e-3)
    # its high end is Digital4Better's (rule 1: test below), above +50 %
    assert acid.high > 1.5 * 0.0003014
    # France: Ember 74.62344 -> 44.179085 g, ratio 0.592, inside -50 %: 0.5x-1.5x stays
    france = table["electricity.FRA.particulate_matter"]
    assert (france.low, france.high) == pytest.approx((0.5 * 4.158e-9, 1.5 * 4.158e-9), rel=1e-3)


def test_the_mix_change_of_rule_2_is_one_datasets_own_not_ademe_2011_against_ember():
    # Brazil: ADEME 2011 says 278.6 g/kWh, Ember 2011 99.76 g, Ember 2024 103.2 g. The
    # mix barely changed (ratio 1.035): the range stays +/-50 %; ADEME 2011 against
    # Ember 2024 (0.37) would have stretched the low end to 0.37x a difference of datasets.
    table = load_factors()
    for criterion in ("acidification", "particulate_matter", "fossil_resources"):
        f = table[f"electricity.BRA.{criterion}"]
        assert "Ember" in f.source and "2011 and 2024" in f.source
        if criterion != "acidification":  # its low end is Digital4Better's (rule 1)
            assert f.low / f.value == pytest.approx(0.5, rel=2e-3), criterion
    # no rule-2 note divides by ADEME's 2011 carbon any more
    rule_2 = [f for f in table.factors.values() if "rule 2" in f.note]
    assert len(rule_2) == 26 * 3
    assert [f.id for f in rule_2 if "(ADEME Base IMPACTS 2011) to" in f.note] == []


def test_electricity_acidification_ranges_span_digital4betters_consumption_factors():
    # Digital4Better data/factor/*-yearly.csv (commit 0528a29), ap 2020-2024, taken with the
    # lowest and highest published losses, is a second source (methodology 3.5, rule 1)
    table = load_factors()
    # India: ADEME 2011 0.01628, Digital4Better 0.001289-0.001349 mol H+ eq/kWh, losses
    # 21.4-23 %: low = 0.001289 / (1 - 0.214) = 0.00164 (0.10x), high stays +50 %
    india = table["electricity.IND.acidification"]
    assert india.low == pytest.approx(0.001289 / (1 - 0.214), rel=1e-3)
    assert india.high == pytest.approx(1.5 * 0.01628, rel=1e-3)
    # Italy: ADEME 2011 0.0001334, Digital4Better up to 0.0008933, European losses up to
    # 10.44 %: high = 0.0008933 / (1 - 0.1044) = 0.0009974 (7.5x)
    italy = table["electricity.ITA.acidification"]
    assert italy.high == pytest.approx(0.0008933 / (1 - 0.1044), rel=1e-3)
    # China, no published loss figure: Digital4Better's own 0.001126 is the low end
    assert table["electricity.CHN.acidification"].low == pytest.approx(0.001126, rel=1e-3)
    # France: Digital4Better 0.0001172-0.0001816 lies inside ADEME's +/-50 %
    france = table["electricity.FRA.acidification"]
    assert (france.low, france.high) == pytest.approx((0.5 * 2.098e-4, 1.5 * 2.098e-4), rel=2e-3)
    rows = [f for f in table.factors.values() if f.id.endswith(".acidification")]
    electricity = [f for f in rows if f.id.startswith("electricity.")]
    assert len(electricity) == 26
    for f in electricity:
        assert "Digital4Better" in f.source and "rule 1" in f.note, f.id
        assert "kg SO2-Eq per kWh in the digital4better/data README" not in f.note, f.id


@pytest.mark.parametrize(
    "item", [f"device.{d}" for d in DEVICE_TYPES] + ["network.box", "storage.ssd", "storage.hdd"]
)
def test_an_items_single_source_criteria_are_at_least_as_uncertain_as_its_carbon(item):
    table = load_factors()
    carbon = table[f"{item}.climate_change"]
    for criterion in (*NON_CARBON, "water_use", "fossil_resources"):
        if f"{item}.{criterion}" not in table:  # not covered (acvnum.calculation.coverage)
            continue
        f = table[f"{item}.{criterion}"]
        assert f.low / f.value <= carbon.low / carbon.value * (1 + 1e-3), criterion
        assert f.high / f.value >= carbon.high / carbon.value * (1 - 1e-3), criterion


def test_a_smartphones_metals_range_follows_its_carbon_sources():
    # its carbon runs from 30 to 100.8 kg around 79.52: its metals from 0.377x, and +50 %
    table = load_factors()
    phone = table["device.smartphone.minerals_metals"]
    assert phone.low == pytest.approx(0.00205 * 30 / 79.52, rel=1e-3)
    assert phone.high == pytest.approx(0.00205 * 1.5, rel=1e-3)


def test_electricity_fossil_ranges_reach_the_2011_figure_at_todays_mix():
    # Finland: ADEME 2011 adpf 6.2915 MJ/kWh; Ember 268.16324 g (2011) -> 72.2488 g (2024):
    # 6.2915 x 72.2488 / 268.16324 = 1.695 MJ/kWh, below the -50 % end (3.146)
    fossil = load_factors()["electricity.FIN.fossil_resources"]
    assert fossil.low == pytest.approx(6.2915 * 72.2488 / 268.16324, rel=1e-3)
    assert fossil.high == pytest.approx(1.5 * 6.2915, rel=1e-3)


@pytest.mark.parametrize(
    "gpu", ["ai.gpu", "ai.gpu_a100", "ai.gpu_a100_pcie", "ai.gpu_l4", "ai.gpu_p100"]
)
def test_a_gpu_types_model_criteria_reach_the_manufacturers_footing(gpu):
    # carbon: NVIDIA's H100 footprint is 164 / 571.7 = 0.2869 of Boavizta's model, whose
    # figures every other criterion is: each reaches down to value x 0.2869 (rule 3)
    table = load_factors()
    carbon = table[f"{gpu}.climate_change"]
    assert carbon.low / carbon.high == pytest.approx(164 / 571.7, rel=2e-3)
    for criterion in (*NON_CARBON, "water_use", "fossil_resources"):
        f = table[f"{gpu}.{criterion}"]
        assert f.low / f.value <= 164 / 571.7 * (1 + 1e-3), criterion
        assert f.high / f.value >= 1.5 * (1 - 1e-3), criterion


def test_water_proxies_scale_their_carbon_by_an_ademe_devices_ratio():
    # ADEME's model 2.1.0, manufacturing + distribution: desktop 81,909.57 l / 261,940 g,
    # home box 21,601.99 l / 61,410 g (m3 world eq per kg CO2 eq)
    table = load_factors()
    desktop, box = 81909.57 / 261940, 21601.99 / 61410
    for item, ratio in (
        ("server.physical", desktop),
        ("storage.ssd", desktop),
        ("storage.hdd", desktop),
        ("ai.server", desktop),
        ("network.fixed", box),
        ("network.mobile", box),
    ):
        carbon, water = table[f"{item}.climate_change"], table[f"{item}.water_use"]
        assert water.value == pytest.approx(carbon.value * ratio, rel=1e-3), item
        assert water.low == pytest.approx(carbon.low * desktop, rel=1e-3), item
        assert water.high == pytest.approx(carbon.high * 224.9 / 571.7, rel=1e-3), item
    assert "datacenter.building.water_use" not in table


def test_electricity_ionising_radiation_follows_todays_nuclear_share():
    table = load_factors()
    # ADEME 2011: France 3.23443 kBq/kWh at a 77.7 % nuclear share; background b = median of the
    # eight countries without nuclear = (0.0038017 + 0.00384439) / 2 = 0.003823;
    # k = (3.23443 - 0.003823) / 0.777 = 4.1578 kBq per nuclear kWh
    b = (0.0038017 + 0.00384439) / 2
    k = (3.23443 - b) / 0.777
    assert k == pytest.approx(4.1578, rel=1e-4)
    # Germany: 1.1 % nuclear in its 2024 consumption mix (imports), European losses 6.34 %:
    # (0.011 x 4.1578 + 0.989 x 0.003823) / 0.9366 = 0.05287, a 18th of ADEME's 2011 0.9583
    germany = table["electricity.DEU.ionising_radiation"]
    assert germany.value == pytest.approx((0.011 * k + 0.989 * b) / (1 - 0.0634), rel=1e-3)
    assert germany.high < 0.9583  # the pre-2023 figure is no longer in the range
    # France: 69.64 % -> (0.6964 x 4.1578 + 0.3036 x 0.003823) / 0.9366 = 3.093
    france = table["electricity.FRA.ionising_radiation"]
    assert france.value == pytest.approx((0.6964 * k + 0.3036 * b) / (1 - 0.0634), rel=1e-3)
    # Australia runs no reactor and imports nothing: the background alone, no loss figure
    assert table["electricity.AUS.ionising_radiation"].value == pytest.approx(b, rel=1e-3)
    # the ranking follows the nuclear share: France > Sweden > Germany > Poland
    countries = ("FRA", "SWE", "DEU", "POL")
    order = [table[f"electricity.{c}.ionising_radiation"].value for c in countries]
    assert order == sorted(order, reverse=True)
