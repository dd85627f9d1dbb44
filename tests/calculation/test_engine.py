"""The engine's properties on every example, and a hand-checked case per tier."""

import copy

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_DATA

from acvnum.assessment import footprint
from acvnum.calculation.engine import (
    _grid,
    _impact_vector,
    _padded,
    _rows,
    characterisation_rows,
    evaluate,
    evaluate_totals,
)
from acvnum.calculation.inventory import ACTIVITIES, inventory, server_profile, service_arrays
from acvnum.questionnaire.models import validate
from acvnum.questionnaire.service import Service
from acvnum.questionnaire.yaml_reader import Document
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorValues, load_factors

TABLE = load_factors()
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def service(data: dict) -> Service:
    return Service(validate(Document("test.yaml", data)), Document("test.yaml", data))


def example_data(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def contributions(*datas: dict) -> np.ndarray:
    """(N, activities, criteria) central contributions."""
    return footprint([service(d) for d in datas], TABLE).contributions[:, 0]


def tier_totals(c: np.ndarray, tier: str) -> np.ndarray:
    mask = np.array([a.tier == tier for a in ACTIVITIES])
    return c[..., mask, :].sum(axis=-2)


def phase_totals(c: np.ndarray, tier: str, phase: str) -> np.ndarray:
    mask = np.array([a.tier == tier and a.phase == phase for a in ACTIVITIES])
    return c[..., mask, :].sum(axis=-2)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_doubling_users_doubles_terminals_and_network_not_the_datacenter(path):
    base = example_data(path)
    doubled = copy.deepcopy(base)
    doubled["usage"]["users"] *= 2
    one, two = contributions(base, doubled)
    for tier in ("terminals", "network"):
        np.testing.assert_allclose(tier_totals(two, tier), 2 * tier_totals(one, tier), rtol=1e-12)
    # Servers and storage are sized by the questionnaire, not by the users; the API
    # requests of an `ai:` block are per visit, so they double with the users.
    fixed = np.array([a.tier == "datacenter" and not a.optional for a in ACTIVITIES])
    np.testing.assert_allclose(two[..., fixed, :], one[..., fixed, :])
    per_request = np.array([a.optional for a in ACTIVITIES])
    np.testing.assert_allclose(two[..., per_request, :], 2 * one[..., per_request, :], rtol=1e-12)


def test_totals_alone_are_the_footprint_s_totals_to_the_last_bit():
    """The levers' passes ask for totals only: the same sums, in the same order, as the
    whole footprint's, on every example and on three factor samples (one with every factor
    at its low end, one at its high end)."""
    arrays = service_arrays([service(example_data(path)).questionnaire for path in EXAMPLE_FILES])
    central = TABLE.central()
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    for factors in (central, spread):
        whole = evaluate(arrays, factors).total
        alone = evaluate_totals(arrays, factors)
        assert alone.shape == whole.shape == (arrays.count, factors.samples, len(CRITERION_IDS))
        assert alone.tobytes() == whole.tobytes()


def test_totals_leave_out_activities_without_amounts_to_the_last_bit():
    """Services without blocks have activities whose amounts are zero in every row: the
    totals leave them out, and add again the rows whose total has a zero. Hand-made
    factors where that shows: a criterion whose impacts are all 0.0 (every total of it 0)
    and one whose impacts are -0.0 but for the AI's (the terms added are -0.0 but those of
    the AI servers, 0 x 0.0: 0.0, which make the total 0.0)."""
    plain = [p for p in EXAMPLE_FILES if not {"ai", "video", "messages"} & set(example_data(p))]
    arrays = service_arrays([service(example_data(p)).questionnaire for p in plain])
    assert not evaluate(arrays, TABLE.central()).inventory.any(axis=(0, 1)).all()
    matrix = np.stack([TABLE.values, TABLE.values, TABLE.values])
    for k, factor_id in enumerate(TABLE.ids):
        if factor_id.endswith(".water_use"):
            matrix[1, k] = 0.0
        if factor_id.endswith(".acidification") and not factor_id.startswith("ai."):
            matrix[2, k] = -0.0
    factors = FactorValues(TABLE, matrix)
    whole = evaluate(arrays, factors).total
    alone = evaluate_totals(arrays, factors)
    assert (whole[:, 1, CRITERION_IDS.index("water_use")] == 0).all()
    acidification = whole[:, 2, CRITERION_IDS.index("acidification")]
    assert (acidification == 0).all() and not np.signbit(acidification).any()
    assert alone.tobytes() == whole.tobytes()


def services_first(row: np.ndarray, n: int) -> bytes:
    """A row as `_rows` keeps it, services last ((S, criteria) where all n services share
    it), as the bytes of its (N, S, criteria) array."""
    if row.ndim == 2:
        return np.broadcast_to(row, (n, *row.shape)).tobytes()
    return np.ascontiguousarray(np.moveaxis(row, -1, 0)).tobytes()


@pytest.mark.parametrize(
    "regions", [["FRA"], ["DEU", "DEU", "DEU"], ["FRA", "DEU", "FRA", "USA", "SWE", "DEU"]]
)
def test_a_grid_s_rows_are_each_region_s_electricity_and_one_kwh_a_kwh(regions):
    """One region for all (its row broadcast) or several (gathered): row k is region k's
    impacts per kWh, 1 on the energy criterion, to the bit; under one sample and three."""
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    for factors in (TABLE.central(), spread):
        grid = _grid(factors, regions)
        assert grid.shape == (len(regions), factors.samples, len(CRITERION_IDS))
        for k, region in enumerate(regions):
            expected = _impact_vector(factors, f"electricity.{region}").copy()
            expected[:, ENERGY] = 1.0
            assert grid[k].tobytes() == expected.tobytes()


def test_the_devices_grid_is_the_users_unless_the_terminals_are_elsewhere():
    """The devices' use rows are the users' grid (one array for both) where no service
    says `terminals.location`, and their own where one does: each tier's use rows are its
    own region's, and the totals the footprint's to the bit."""
    same = [MINIMAL_DATA, {**MINIMAL_DATA, "usage": {**MINIMAL_DATA["usage"], "location": "DEU"}}]
    elsewhere = [*same, {**MINIMAL_DATA, "terminals": {"location": "USA"}}]
    central = TABLE.central()
    use = {
        tier: next(a for a, x in enumerate(ACTIVITIES) if (x.tier, x.phase) == (tier, "use"))
        for tier in ("terminals", "network")
    }
    for datas in (same, elsewhere):
        arrays = service_arrays([service(copy.deepcopy(d)).questionnaire for d in datas])
        rows = _rows(arrays, central, [True] * len(ACTIVITIES))
        terminals, network = rows[use["terminals"]], rows[use["network"]]
        assert (terminals is network) == (datas is same)
        assert (
            services_first(terminals, arrays.count)
            == _grid(central, arrays.terminal_region).tobytes()
        )
        assert services_first(network, arrays.count) == _grid(central, arrays.user_region).tobytes()
        whole = evaluate(arrays, central).total
        assert evaluate_totals(arrays, central).tobytes() == whole.tobytes()
    assert arrays.terminal_region == ["FRA", "DEU", "USA"] != arrays.user_region


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_tiers_and_phases_sum_to_the_total(path):
    f = footprint([service(example_data(path))], TABLE)
    total = f.total
    np.testing.assert_allclose(f.by_tier().sum(axis=2), total, rtol=1e-12)
    np.testing.assert_allclose(f.by_phase().sum(axis=2), total, rtol=1e-12)
    assert (f.contributions >= 0).all()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_lower_carbon_hosting_grid_lowers_the_datacenter_use_phase(path):
    base = example_data(path)
    greener = copy.deepcopy(base)
    greener["hosting"]["location"] = "SWE"
    base["hosting"]["location"] = "POL"
    coal, hydro = contributions(base, greener)
    climate = CRITERION_IDS.index("climate_change")
    assert (
        phase_totals(hydro, "datacenter", "use")[climate]
        < phase_totals(coal, "datacenter", "use")[climate]
    )
    # the energy drawn is the same: only its carbon changes
    energy = CRITERION_IDS.index("energy")
    assert phase_totals(hydro, "datacenter", "use")[energy] == pytest.approx(
        phase_totals(coal, "datacenter", "use")[energy]
    )


def test_services_evaluated_together_equal_services_evaluated_alone():
    datas = [example_data(p) for p in EXAMPLE_FILES]
    together = contributions(*datas)
    for i, data in enumerate(datas):
        np.testing.assert_allclose(together[i], contributions(data)[0], rtol=1e-12)


def test_no_hosting_means_no_datacenter_tier():
    # (an `ai:` block served by an API has data-centre impacts of its own, hosting or not)
    data = next(d for d in map(example_data, EXAMPLE_FILES) if "ai" not in d)
    del data["hosting"]
    (c,) = contributions(data)
    assert tier_totals(c, "datacenter").sum() == 0


def test_samples_axis_broadcasts():
    arrays = service_arrays([service(example_data(p)).questionnaire for p in EXAMPLE_FILES])
    central = TABLE.central()
    stacked = type(central)(TABLE, np.repeat(central.matrix, 3, axis=0))
    f = evaluate(arrays, stacked)
    assert f.contributions.shape == (len(EXAMPLE_FILES), 3, len(ACTIVITIES), len(CRITERION_IDS))
    np.testing.assert_allclose(f.contributions[:, 2], f.contributions[:, 0])


# --- hand-checked cases, one per tier ------------------------------------------------------
# MINIMAL: 1000 users × 10 visits × 6 min = 1000 h on laptops; 10 MB × 10,000 visits = 100 GB
# on fixed access; France (electricity.FRA.climate_change = 0.0519 kg CO2e/kWh, ADEME Base
# Empreinte 2024 consumption mix).
MINIMAL = MINIMAL_DATA
CLIMATE = CRITERION_IDS.index("climate_change")
ENERGY = CRITERION_IDS.index("energy")
MINERALS = CRITERION_IDS.index("minerals_metals")
ACIDIFICATION = CRITERION_IDS.index("acidification")


def test_terminals_hand_checked():
    (c,) = contributions(MINIMAL)
    # manufacturing: 1000 h / (5 years × 3 h/day × 365.25 days) = 0.182524 laptop
    #                0.182524 × 185.1 kg CO2e (ADEME model 2.1.0) = 33.7851 kg
    # use: 1000 h × 26.5 W (ADEME average draw) = 26.5 kWh; 26.5 × 0.0519 = 1.37535 kg
    assert phase_totals(c, "terminals", "manufacturing")[CLIMATE] == pytest.approx(
        33.7851, rel=1e-4
    )
    assert phase_totals(c, "terminals", "use")[CLIMATE] == pytest.approx(1.37535, rel=1e-4)
    assert phase_totals(c, "terminals", "use")[ENERGY] == pytest.approx(26.5)


def test_terminal_settings_replace_the_defaults():
    data = copy.deepcopy(MINIMAL)
    data["terminals"] = {
        "location": "SWE",
        "laptop": {"lifetime": "8 years", "hours_per_day": "4 h", "power": "40 W"},
    }
    (c,) = contributions(data)
    # manufacturing: 1000 h / (8 years × 4 h/day × 365.25 days) = 0.0855578 × 185.1 = 15.8368 kg
    assert phase_totals(c, "terminals", "manufacturing")[CLIMATE] == pytest.approx(
        15.8368, rel=1e-4
    )
    # use: 1000 h × 40 W = 40 kWh on the Swedish grid, not the users' French one
    swe = TABLE.value("electricity.SWE.climate_change")
    assert phase_totals(c, "terminals", "use")[ENERGY] == pytest.approx(40.0)
    assert phase_totals(c, "terminals", "use")[CLIMATE] == pytest.approx(40 * swe)
    # the network keeps the users' grid
    (base,) = contributions(MINIMAL)
    np.testing.assert_allclose(tier_totals(c, "network"), tier_totals(base, "network"))


def test_a_background_transfer_has_no_device_time():
    data = copy.deepcopy(MINIMAL)
    data["usage"]["visit_duration"] = 0
    (c,) = contributions(data)
    assert (tier_totals(c, "terminals") == 0).all()
    # per_gb network: 100 GB still cross the network and the box
    assert tier_totals(c, "network")[ENERGY] == pytest.approx(6.17755, rel=1e-5)


def test_network_hand_checked_per_gb():
    """The default, ADEME reference allocation: equipment and electricity per GB, the box per
    GB of a line's yearly traffic."""
    (c,) = contributions(MINIMAL)
    # network: 100 GB × 0.03294 kWh/GB = 3.294 kWh
    # box: 100 GB × 8 W × 8766 h / 1000 / 2432 GB a year = 2.88355 kWh; 6.17755 kWh in all
    # × 0.0519 kg/kWh = 0.320615 kg
    assert phase_totals(c, "network", "use")[ENERGY] == pytest.approx(6.17755, rel=1e-5)
    assert phase_totals(c, "network", "use")[CLIMATE] == pytest.approx(0.320615, rel=1e-4)
    # equipment: 100 GB × 0.0008803 kg/GB = 0.08803 kg
    # box: 100 GB / (2432 GB a year × 5 years) = 0.00822368 box × 63.04 kg = 0.518421 kg
    assert phase_totals(c, "network", "manufacturing")[CLIMATE] == pytest.approx(0.606451, rel=1e-4)


def with_network_model(model: str) -> dict:
    data = copy.deepcopy(MINIMAL)
    data["usage"]["network_model"] = model
    return data


def test_network_hand_checked_energy_only():
    (c,) = contributions(with_network_model("energy"))
    # 100 GB × 0.05 kWh/GB = 5 kWh; box by time: 1000 h × 8 W = 8 kWh; 13 kWh × 0.0519 = 0.6747 kg
    assert phase_totals(c, "network", "use")[ENERGY] == pytest.approx(13.0)
    assert phase_totals(c, "network", "use")[CLIMATE] == pytest.approx(0.6747, rel=1e-4)
    # no network equipment; box: 1000 h / (5 years × 8766 h) = 0.0228154 box × 63.04 = 1.43828 kg
    assert phase_totals(c, "network", "manufacturing")[CLIMATE] == pytest.approx(1.43828, rel=1e-4)


def test_network_hand_checked_power_model():
    (c,) = contributions(with_network_model("power"))
    # line held 1000 h × 9.146 W = 9.146 kWh, + 100 GB × 6.667e-5 kWh/GB = 0.006667 kWh;
    # box by time 8 kWh: 17.152667 kWh
    assert phase_totals(c, "network", "use")[ENERGY] == pytest.approx(17.152667, rel=1e-5)
    # equipment per GB 0.08803 kg + box by time 1.43828 kg = 1.52631 kg
    assert phase_totals(c, "network", "manufacturing")[CLIMATE] == pytest.approx(1.52631, rel=1e-4)


def test_under_the_power_model_less_data_saves_only_the_marginal_part():
    lighter = with_network_model("power")
    lighter["usage"]["data_per_visit"] = "5 MB"
    heavy, light = contributions(with_network_model("power"), lighter)
    # 50 GB fewer × 6.667e-5 kWh/GB = 0.0033335 kWh saved, out of 17.15 kWh
    saved = phase_totals(heavy, "network", "use") - phase_totals(light, "network", "use")
    assert saved[ENERGY] == pytest.approx(0.0033335, rel=1e-3)


def test_mobile_per_gb_every_criterion_has_equipment():
    data = copy.deepcopy(MINIMAL)
    data["usage"]["network"] = {"mobile": "100%"}
    (c,) = contributions(data)
    # 100 GB × 0.01436 kg/GB = 1.436 kg of mobile equipment, no box
    manufacturing = phase_totals(c, "network", "manufacturing")
    assert manufacturing[CLIMATE] == pytest.approx(1.436, rel=1e-3)
    # 100 GB × 1.944e-6 kg Sb eq/GB: the 0.01436 kg CO2e/GB times the mobile network's own
    # minerals-to-climate ratio in Base Empreinte, 2.41e-18 / 1.78e-14 = 1.354e-4 per kg
    assert manufacturing[CRITERION_IDS.index("minerals_metals")] == pytest.approx(
        1.944e-4, rel=1e-3
    )
    # every criterion; water: 100 GB × 0.01436 kg/GB × ADEME's box 0.3518 m3 per kg CO2 eq
    # = 0.5051 m3 world eq (the row holds 0.005051 per GB)
    assert (manufacturing[: len(CRITERION_IDS) - 1] > 0).all()
    assert manufacturing[CRITERION_IDS.index("water_use")] == pytest.approx(0.5051, rel=1e-6)


HOSTED = {
    **MINIMAL,
    "hosting": {
        "location": "FRA",
        "pue": 1.5,
        "servers": [
            {"name": "db", "type": "physical", "utilization": "50%"},
            {"name": "web", "type": "virtual", "vcpu": 8, "count": 2, "lifetime": "4 years"},
        ],
        "storage": {"volume": "1 TB", "type": "ssd", "replicas": 1},
    },
}


def test_datacenter_hand_checked():
    (c,) = contributions(HOSTED)
    # servers, manufacturing: physical 1 × 1/4 years + virtual 2 × 8/64 vCPU × 1/4 = 0.3125
    #   medium server × 1406 kg = 439.375 kg
    # network gear and building: 1.25 server-years × (112.6 + 5.086) kg = 147.1075 kg
    # storage, manufacturing: 1 TB × 1 replica × 1/6 years × 160 kg/TB = 26.667 kg
    assert phase_totals(c, "datacenter", "manufacturing")[CLIMATE] == pytest.approx(
        439.375 + 147.1075 + 26.667, rel=1e-4
    )
    # servers, use: physical 50 + 250 × 0.5 = 175 W; virtual 2 × 0.125 × (50 + 250 × 0.5
    #   default utilisation) = 43.75 W; 218.75 W × 8766 h × PUE 1.5 = 2876.34 kWh
    # storage, use: 1 TB × 1.2 W/TB × 8766 h × 1.5 = 15.779 kWh; total 2892.12 kWh
    assert phase_totals(c, "datacenter", "use")[ENERGY] == pytest.approx(2892.12, rel=1e-4)
    # × 0.0519 kg/kWh = 150.101 kg
    assert phase_totals(c, "datacenter", "use")[CLIMATE] == pytest.approx(150.101, rel=1e-4)


def item(c: np.ndarray, tier: str, phase: str, name: str) -> np.ndarray:
    (index,) = [
        i for i, a in enumerate(ACTIVITIES) if (a.tier, a.phase, a.item) == (tier, phase, name)
    ]
    return c[index]


def test_a_configured_server_scales_each_criterion_by_its_components():
    data = copy.deepcopy(MINIMAL)
    data["hosting"] = {"location": "FRA", "servers": [{"name": "db", "type": "physical"}]}
    large = copy.deepcopy(data)
    large["hosting"]["servers"][0]["archetype"] = "large"
    gpus = copy.deepcopy(data)
    gpus["hosting"]["servers"][0]["gpus"] = 2
    medium, big, gpu = (
        item(c, "datacenter", "manufacturing", "servers") for c in contributions(data, large, gpus)
    )
    # UBA components, kg CO2 eq (CPU (cores × 0.245 + 0.491) cm2 × 1.97 + 9.14; memory GB / 0.625
    # cm2 × 2.20 + 32 GB modules × 5.22; SSD GB / 48.5 cm2 × 2.20 + 1 TB drives × 6.34; fixed 368.1)
    # medium 2 × 24 cores, 256 GB, 1 TB: 43.382 + 942.88 + 51.701 + 368.1 = 1406.06
    # large  2 × 48 cores, 512 GB, 4 TB: 66.549 + 1885.76 + 206.80 + 368.1 = 2527.21
    # one server for 1 year of 4: 1406 kg × 1/4 = 351.5 kg; large × 2527.21 / 1406.06
    assert medium[CLIMATE] == pytest.approx(351.5, rel=1e-6)
    assert big[CLIMATE] == pytest.approx(351.5 * 2527.21 / 1406.06, rel=1e-4)
    # minerals from the UBA adp of the same parts, kg Sb eq (CPU cm2 × 5.87e-7 + 0.0204; memory
    # cm2 × 6.30e-5 + modules × 0.00169; SSD cm2 × 6.30e-5 + drives × 0.000563; fixed 0.07353)
    # medium: 0.0408075 + 0.0393248 + 0.0018620 + 0.07353 = 0.1555243
    # large:  0.0408144 + 0.0786496 + 0.0074479 + 0.07353 = 0.2004419 (memory weighs less)
    assert medium[MINERALS] == pytest.approx(0.1556 / 4, rel=1e-6)
    assert big[MINERALS] == pytest.approx(0.1556 / 4 * 0.2004419 / 0.1555243, rel=1e-4)
    # no component data for acidification, particulate matter, radiation, water, fossil
    # resources: carbon's ratio. Water: 439.7 m3 world eq a medium server (1406 kg × ADEME's
    # desktop 0.3127 m3 per kg CO2 eq), a quarter of it for one year of four
    water = CRITERION_IDS.index("water_use")
    others = list(range(2, ENERGY))
    np.testing.assert_allclose(big[others] / medium[others], 2527.21 / 1406.06, rtol=1e-4)
    assert medium[water] == pytest.approx(439.7 / 4, rel=1e-6)
    # two GPU cards of 67 kg: × (1406.06 + 134) / 1406.06
    assert gpu[CLIMATE] == pytest.approx(351.5 * 1540.06 / 1406.06, rel=1e-4)
    # ...with their own acidification, 0.6301 mol H+ eq each, beside the rest at the medium
    # server's ratio (7.568 / 1406 per kg CO2 eq): (1406.06 × 7.568 / 1406 + 2 × 0.6301) / 7.5683
    assert gpu[ACIDIFICATION] == pytest.approx(7.568 / 4 * (7.56832 + 1.2602) / 7.56832, rel=1e-4)


def test_a_configured_server_draws_the_power_of_its_components():
    def use_kwh(**server) -> float:
        data = copy.deepcopy(MINIMAL)
        server = {"name": "db", "type": "physical", "utilization": "50%", **server}
        data["hosting"] = {"location": "FRA", "pue": 1.0, "servers": [server]}
        (c,) = contributions(data)
        return item(c, "datacenter", "use", "servers")[ENERGY]

    hours = 8766  # one year, PUE 1
    # unconfigured: the archetype defaults, 50 W + (300 - 50) W × 50 % = 175 W
    assert use_kwh() == pytest.approx(175 * hours / 1000, rel=1e-9)
    assert use_kwh(archetype="medium") == pytest.approx(175 * hours / 1000, rel=1e-9)
    # components (Cloud Carbon Footprint): threads = CPUs × cores × 2; 0.74 W a thread at idle,
    # 3.5 at full load; memory 0.392 W/GB and SSD 1.2 W/TB at any load
    # medium 96 threads, 256 GB, 1 TB: idle 71.04 + 100.352 + 1.2 = 172.592 W, full 437.552 W
    # small  32 threads,  64 GB, 0.1 TB: idle 23.68 + 25.088 + 0.12 = 48.888 W, full 137.208 W
    # small: idle 50 × 48.888 / 172.592 = 14.1629 W, full 300 × 137.208 / 437.552 = 94.0742 W
    # at 50 %: 14.1629 + (94.0742 - 14.1629) × 0.5 = 54.1186 W
    assert use_kwh(archetype="small") == pytest.approx(54.1186 * hours / 1000, rel=1e-5)
    # medium with 512 GB: idle 172.592 + 100.352 = 272.944 W -> 50 × 272.944 / 172.592 = 79.0729;
    # full 537.904 W -> 300 × 537.904 / 437.552 = 368.8055; at 50 %: 223.9392 W
    assert use_kwh(memory="512 GB") == pytest.approx(223.9392 * hours / 1000, rel=1e-5)
    # two GPU cards add 2 × 400 W TDP × 50 % = 400 W to the medium server's 175 W
    assert use_kwh(gpus=2) == pytest.approx(575 * hours / 1000, rel=1e-9)
    # a measured power still replaces the model
    assert use_kwh(archetype="large", power="200 W") == pytest.approx(200 * hours / 1000)


def test_a_service_with_a_configured_and_a_shared_server_weighs_each_by_its_own_profile():
    data = copy.deepcopy(MINIMAL)
    servers = [{"name": "db", "type": "physical", "archetype": "large"}]
    data["hosting"] = {"location": "FRA", "servers": servers}
    alone = item(contributions(data)[0], "datacenter", "manufacturing", "servers")
    data["hosting"]["shared"] = [{"name": "CDN", "per": "gb"}]
    both = item(contributions(data)[0], "datacenter", "manufacturing", "servers")
    # the CDN adds 100 GB × 4.659e-7 server-years / 4 years of a medium server on every criterion
    added = 100 * 4.659e-7 / 4
    assert both[MINERALS] - alone[MINERALS] == pytest.approx(added * 0.1556, rel=1e-3)
    assert both[CLIMATE] - alone[CLIMATE] == pytest.approx(added * 1406, rel=1e-3)


def test_infrastructure_per_kw_of_it_follows_the_power_drawn():
    def building(infrastructure: str | None, **server) -> float:
        data = copy.deepcopy(MINIMAL)
        server = {"name": "app", "type": "physical", "utilization": "50%", **server}
        data["hosting"] = {"location": "FRA", "servers": [server]}
        data["hosting"] |= {"infrastructure": infrastructure} if infrastructure else {}
        (c,) = contributions(data)
        return item(c, "datacenter", "manufacturing", "building")[CLIMATE]

    # per server (default): 1 server-year × 5.086 kg CO2 eq (0.68 m2 × 187 kg / 25 years)
    assert building(None) == pytest.approx(5.086, rel=1e-4)
    assert building("per_server") == pytest.approx(5.086, rel=1e-4)
    # per kW: 50 W + (300 - 50) W × 50 % = 175 W drawn, over ADEME's 367 W server:
    # 175 / 367 × 5.086 = 2.4252 kg (13.86 kg CO2 eq per kW-year of IT)
    assert building("per_kw") == pytest.approx(2.4252, rel=1e-4)
    # a measured 734 W server takes the room of two reference servers: 10.172 kg
    assert building("per_kw", power="734 W") == pytest.approx(10.172, rel=1e-4)


def test_a_shared_platform_per_gb_hand_checked():
    data = copy.deepcopy(MINIMAL)
    data["hosting"] = {"location": "FRA", "shared": [{"name": "CDN", "per": "gb"}]}
    (c,) = contributions(data)
    # 100 GB × 4.659e-7 server-years/GB = 4.659e-5 server-years
    # servers: 4.659e-5 / 4 years × 1406 kg = 0.016376 kg
    assert item(c, "datacenter", "manufacturing", "servers")[CLIMATE] == pytest.approx(
        0.016376, rel=1e-4
    )
    # gear 4.659e-5 × 112.6 = 0.0052460 kg; building 4.659e-5 × 5.086 = 0.00023696 kg
    assert item(c, "datacenter", "manufacturing", "network_gear")[CLIMATE] == pytest.approx(
        0.0052460, rel=1e-4
    )
    assert item(c, "datacenter", "manufacturing", "building")[CLIMATE] == pytest.approx(
        0.00023696, rel=1e-3
    )
    # use: 100 GB × 0.001947 kWh/GB (PUE included: no default PUE on top) = 0.1947 kWh
    assert phase_totals(c, "datacenter", "use")[ENERGY] == pytest.approx(0.1947, rel=1e-6)


def test_a_shared_platform_per_visit_takes_its_share_and_a_measured_energy():
    data = copy.deepcopy(MINIMAL)
    shared = {"name": "API", "per": "visit", "share": "50%", "energy": "2 Wh"}
    data["hosting"] = {"location": "FRA", "shared": [shared]}
    (c,) = contributions(data)
    # 10,000 visits × 50 % × 2 Wh = 10 kWh
    assert phase_totals(c, "datacenter", "use")[ENERGY] == pytest.approx(10.0, rel=1e-9)
    # 5,000 visits × 7.796e-11 server-years = 3.898e-7 server-years × 112.6 kg of gear
    assert item(c, "datacenter", "manufacturing", "network_gear")[CLIMATE] == pytest.approx(
        3.898e-7 * 112.6, rel=1e-4
    )


def test_environments_multiply_the_datacenter_only():
    doubled = copy.deepcopy(HOSTED)
    doubled["hosting"]["environments"] = 2
    one, two = contributions(HOSTED, doubled)
    np.testing.assert_allclose(tier_totals(two, "datacenter"), 2 * tier_totals(one, "datacenter"))
    np.testing.assert_allclose(tier_totals(two, "terminals"), tier_totals(one, "terminals"))


def test_a_measured_power_replaces_the_model():
    measured = copy.deepcopy(HOSTED)
    measured["hosting"]["servers"] = [{"name": "db", "type": "physical", "power": "200 W"}]
    measured["hosting"].pop("storage")
    (c,) = contributions(measured)
    # 200 W × 8766 h × 1.5 = 2629.8 kWh
    assert phase_totals(c, "datacenter", "use")[ENERGY] == pytest.approx(2629.8, rel=1e-6)


def test_market_based_climate_recharacterises_the_data_centre_kwh_only():
    from acvnum.calculation.results import market_based_climate

    (c,) = contributions(HOSTED)
    # location-based total - data-centre use at the grid (150.101 kg) + 2892.12 kWh × 0.020
    # kg/kWh (a contract at 20 g/kWh) = total - 150.101 + 57.842
    total = c[:, CLIMATE].sum()
    assert market_based_climate(c, 0.020) == pytest.approx(total - 150.101 + 57.842, rel=1e-4)
    assert market_based_climate(c, 0.0519) == pytest.approx(total)  # the grid's own factor


def test_kept_devices_carry_their_own_impacts_on_every_criterion():
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["visit_duration"] = 0  # no visit device time: the kept speakers alone
    data["terminals"] = {"equipment": {"speaker": 0.5}}
    (c,) = contributions(data)
    made = phase_totals(c, "terminals", "manufacturing")
    # 1,000 users x 0.5 = 500 speakers, 5 years of life, 1 year: 100 made x 20.5 kg CO2e
    # (ADEME model 2.1.0: 19,500 + 300 + 700 g) = 2,050 kg.
    assert made[CRITERION_IDS.index("climate_change")] == pytest.approx(2050.0)
    # Metals: 100 x 20.5 kg x the median metals-to-carbon ratio of Base Empreinte's consumer
    # electronics (4.571e-5 kg Sb eq per kg CO2e, the laptop's) = 100 x 9.371e-4 kg Sb eq.
    assert made[CRITERION_IDS.index("minerals_metals")] == pytest.approx(0.09371, rel=1e-3)
    # Water: 100 x (4,410 + 5 l) = 441.5 m3 world eq.
    assert made[CRITERION_IDS.index("water_use")] == pytest.approx(441.5)
    assert (made[: len(CRITERION_IDS) - 1] > 0).all()  # every impact criterion has a factor


def test_an_item_s_impacts_are_derived_once_per_set_of_values_and_cannot_be_changed():
    """The table's central values are one FactorValues, and an item's vector is made once
    from them: the same read-only array at the next evaluation, its cells the factors'."""
    central = TABLE.central()
    assert TABLE.central() is central
    laptop = _impact_vector(central, "device.laptop")
    assert _impact_vector(central, "device.laptop") is laptop
    for index, criterion in enumerate(CRITERION_IDS):
        factor_id = f"device.laptop.{criterion}"
        expected = TABLE.value(factor_id) if factor_id in TABLE else 0.0  # energy: none
        assert laptop[0, index] == expected
    with pytest.raises(ValueError, match="read-only"):
        laptop[0, 0] = 1.0
    # Other values (a user's table, samples) derive their own.
    doubled = FactorValues(TABLE, central.matrix * 2.0)
    assert np.array_equal(_impact_vector(doubled, "device.laptop"), laptop * 2.0)
    assert _impact_vector(central, "device.laptop") is laptop


def test_the_storage_and_servers_rows_are_one_vector_where_every_service_has_the_same():
    """Where every service stores on one type and no server is configured, the storage and
    servers rows are that type's and the medium server's vectors (views of their own: the
    uncertainty sums the amounts of one row object's activities), else each service's,
    services last; both are the general formulas' rows to the bit, and the totals the
    footprint's."""
    server = {"name": "web", "count": 2, "type": "physical"}
    hosted = {**MINIMAL_DATA, "hosting": {"location": "FRA", "servers": [server]}}
    hdd = {
        **hosted,
        "hosting": {**hosted["hosting"], "storage": {"volume": "2 TB", "type": "hdd"}},
    }
    configured = {
        **hosted,
        "hosting": {**hosted["hosting"], "servers": [{**server, "archetype": "large"}]},
    }
    central = TABLE.central()
    at = {
        item: next(
            a
            for a, x in enumerate(ACTIVITIES)
            if (x.tier, x.phase, x.item) == ("datacenter", "manufacturing", item)
        )
        for item in ("storage", "servers")
    }
    for datas, shared in (
        ([MINIMAL_DATA, MINIMAL_DATA], True),
        ([MINIMAL_DATA, hdd, configured], False),
    ):
        arrays = service_arrays([service(copy.deepcopy(d)).questionnaire for d in datas])
        rows = _rows(arrays, central, [True] * len(ACTIVITIES))
        storage, servers = rows[at["storage"]], rows[at["servers"]]
        assert (storage.ndim == servers.ndim == 2) == shared
        assert storage is not _impact_vector(central, "storage.ssd")
        assert servers is not _impact_vector(central, "server.physical")
        hdd_rows = arrays.storage_hdd[..., np.newaxis] == 1
        general = np.where(
            hdd_rows, _impact_vector(central, "storage.hdd"), _impact_vector(central, "storage.ssd")
        )
        assert services_first(storage, arrays.count) == general.tobytes()
        profile = _padded(server_profile(arrays, central))
        general = _impact_vector(central, "server.physical") * profile
        assert services_first(servers, arrays.count) == general.tobytes()
        assert (
            evaluate_totals(arrays, central).tobytes() == evaluate(arrays, central).total.tobytes()
        )


def test_the_footprint_s_contributions_are_in_c_order():
    """Summed over the activities, an array in C order adds them one after another, as
    the levers' totals do; in another order (the products are made services last) numpy
    may add them pairwise, other bits."""
    datas = [MINIMAL_DATA, {**MINIMAL_DATA, "usage": {**MINIMAL_DATA["usage"], "location": "DEU"}}]
    arrays = service_arrays([service(copy.deepcopy(d)).questionnaire for d in datas])
    footprint = evaluate(arrays, TABLE.central())
    assert footprint.contributions.flags.c_contiguous
    assert footprint.inventory.flags.c_contiguous


def _network_as_before(s, f, gigabytes, hours) -> np.ndarray:
    """The network's columns as the inventory worked them out before each access and model
    had columns of their own: every model for every service over (N, S, accesses), picked
    by np.where (the reference the columns are held to, bit for bit)."""
    from acvnum.calculation.inventory import HOURS_PER_YEAR

    def per_access(quantity: str) -> np.ndarray:
        return np.stack([f[f"network.{n}.{quantity}"] for n in ("fixed", "mobile")], axis=-1)

    gigabytes = gigabytes[..., np.newaxis] * s.network_shares
    hours = hours[..., np.newaxis] * s.network_shares
    per_gb = gigabytes * per_access("intensity")
    energy = gigabytes * per_access("energy")
    power = hours * per_access("baseline") / 1000 + gigabytes * per_access("marginal")
    model = s.network_model[..., np.newaxis]
    kwh = np.where(model == 0, per_gb, np.where(model == 1, energy, power))
    equipment = np.where(model == 1, 0.0, gigabytes)
    lifetime, traffic = f["network.box.lifetime"], f["network.box.traffic"]
    box_power_kw = f["network.box.power"] / 1000
    fixed_gb, fixed_hours = gigabytes[..., 0], hours[..., 0]
    box_share = np.where(
        s.network_model == 0,
        fixed_gb / (traffic * lifetime),
        fixed_hours / (lifetime * HOURS_PER_YEAR),
    )
    box_kwh = np.where(
        s.network_model == 0,
        fixed_gb * box_power_kw * HOURS_PER_YEAR / traffic,
        fixed_hours * box_power_kw,
    )
    columns = (equipment[..., 0], equipment[..., 1], kwh[..., 0], kwh[..., 1], box_share, box_kwh)
    return np.stack(np.broadcast_arrays(*columns), axis=-1)


@pytest.mark.parametrize(
    "models",
    [["per_gb"], ["energy"], ["power"], ["per_gb", "power"], ["energy", "power", "per_gb"]],
)
def test_each_network_model_is_worked_out_where_a_service_takes_it_to_the_bit(models):
    """The network's columns are worked out for the models the services take (one: that
    model's columns alone), each service's the same bits as every model worked out for
    every service and picked, under one factor sample and three."""
    from acvnum.calculation.inventory import _network_columns

    datas = []
    for k, model in enumerate(models * 2):
        data = with_network_model(model)
        data["usage"]["network"] = {"fixed": f"{30 + 10 * k}%", "mobile": f"{70 - 10 * k}%"}
        datas.append(data)
    arrays = service_arrays([service(d).questionnaire for d in datas])
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    for factors in (TABLE.central(), spread):
        shape = (arrays.count, factors.samples)
        columns = _network_columns(arrays, factors, arrays.gigabytes, arrays.hours)
        made = np.stack([np.broadcast_to(c, shape) for c in columns], axis=-1)
        before = _network_as_before(arrays, factors, arrays.gigabytes, arrays.hours)
        assert made.tobytes() == np.broadcast_to(before, made.shape).tobytes()


def test_the_contributions_are_each_activity_s_amounts_times_its_row_to_the_bit():
    """The footprint made services last holds, for every service, sample, activity and
    criterion, the activity's amount times its characterisation row's value, as the
    stacked (N, S, activities, criteria) matrix times the inventory gave them."""
    arrays = service_arrays([service(example_data(path)).questionnaire for path in EXAMPLE_FILES])
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    for factors in (TABLE.central(), spread):
        footprint = evaluate(arrays, factors)
        shape = (arrays.count, factors.samples, len(CRITERION_IDS))
        rows = [np.broadcast_to(row, shape) for row in characterisation_rows(arrays, factors)]
        matrix = np.stack(rows, axis=2)
        assert footprint.inventory.tobytes() == inventory(arrays, factors).tobytes()
        expected = footprint.inventory[..., np.newaxis] * matrix
        assert footprint.contributions.tobytes() == np.ascontiguousarray(expected).tobytes()


def test_grid_rows_and_prefixes_read_the_regions_codes_as_their_texts():
    """The grids gathered by the regions' codes are the rows `_grid` gathers by their texts,
    whatever names the codes index (a lever pass's regions name some no service is in);
    `_first_used` names them as `_codes` names the texts (the order of first use)."""
    from acvnum.calculation.engine import _codes, _first_used, _grid_rows
    from acvnum.calculation.inventory import Regions

    central = TABLE.central()
    texts = ["DEU", "FRA", "DEU", "USA"]
    for regions in (
        Regions.of(texts),
        Regions(("SWE", "USA", "FRA", "DEU"), np.array([3, 2, 3, 1])),
    ):
        rows = _grid_rows(central, regions)  # (S, criteria, N), services last
        assert np.moveaxis(rows, -1, 0).tobytes() == _grid(central, texts).tobytes()
        names, index = _first_used(regions)
        expected = _codes(texts)
        assert names == expected[0] and index.tolist() == expected[1].tolist()
    one = _grid_rows(central, Regions(("SWE", "FRA"), np.array([1, 1])))
    assert one.tobytes() == _grid(central, ["FRA"])[0].tobytes()  # one region: its row


def test_grid_rows_are_gathered_from_one_held_table_per_values_and_names():
    """`_grid_rows` stacks a names' grid table once per FactorValues (read-only, in its
    `derived`): gathered again, the rows are the same bytes; a one-region row is a view of
    its own each time (pieces are told apart by their objects), and other values (a
    sample) get their own table."""
    from acvnum.calculation.engine import _grid_rows
    from acvnum.calculation.inventory import Regions

    central = FactorValues(TABLE, TABLE.values[np.newaxis, :])
    regions = Regions(("SWE", "USA", "FRA", "DEU"), np.array([3, 2, 3, 1]))
    first = _grid_rows(central, regions)
    key = "grid:SWE|USA|FRA|DEU"
    held = {k: v for k, v in central.derived.items() if k.startswith("grid:")}
    assert list(held) == [key] and not held[key].flags.writeable
    assert _grid_rows(central, regions).tobytes() == first.tobytes()
    assert central.derived[key] is held[key]
    one = Regions(("SWE", "FRA"), np.array([1, 1]))
    a, b = _grid_rows(central, one), _grid_rows(central, one)
    assert a is not b and a.tobytes() == b.tobytes() == _grid(central, ["FRA"])[0].tobytes()
    doubled = FactorValues(TABLE, TABLE.values[np.newaxis, :] * 2)
    assert _grid_rows(doubled, regions).tobytes() != first.tobytes()
