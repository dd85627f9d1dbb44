"""Levers: each one hand-checked on a small case, then the properties of the proposals."""

import copy
import dataclasses
import gc
import pickle
import types
import weakref

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

import acvnum.analysis.levers as levers_module
from acvnum.analysis import lever_arrays
from acvnum.analysis.levers import KINDS, Context, apply, catalogue, propose
from acvnum.analysis.variants import Variant, boundary_weights, saving, totals
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import HOURS_PER_YEAR, service_arrays
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
LIMITS = boundaries(TABLE)
CONTEXT = Context(TABLE, LIMITS)
LEVERS = {lever.id: lever for lever in catalogue()}
V = TABLE.value

#: 1000 users x 10 visits of 6 min and 10 MB: 10,000 visits, 1000 device-hours, 100 GB.
BASE = yaml.safe_load(MINIMAL)
HOURS, GIGABYTES = 1000.0, 100.0
#: One physical server drawing a measured 100 W all year at PUE 1: 100 x 8766 / 1000 kWh.
SERVER_KWH = 100 * HOURS_PER_YEAR / 1000
SERVER = ("hosting", "servers", 0)  # the path of the first server group


def make(usage: dict | None = None, hosting: dict | None = None) -> Questionnaire:
    data = copy.deepcopy(BASE)
    data["usage"].update(usage or {})
    if hosting is not None:
        data["hosting"] = hosting
    return as_record(data)


def server(**fields) -> dict:
    return {"name": "app", "type": "physical", **fields}


def effect(lever_id: str, q: Questionnaire):
    """The lever's variant and what the engine says it saves."""
    variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
    assert variant is not None, f"{lever_id} should apply"
    before, after = totals([Variant(q), variant], TABLE)
    return variant, saving(before, after, q.period_years, boundary_weights(LIMITS))


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_has_at_least_twelve_levers_in_both_languages_with_a_source():
    assert len(LEVERS) == len(catalogue()) >= 12
    for lever in catalogue():
        assert lever.change["kind"] in KINDS, lever.id
        assert lever.tier in ("terminals", "network", "datacenter"), lever.id
        for lang in ("en", "fr"):
            assert lever.title[lang].strip() and len(lever.rationale[lang]) > 80, lever.id
        assert len(lever.source) > 40, lever.id
    assert {lever.tier for lever in catalogue()} == {"terminals", "network", "datacenter"}


def test_catalogue_regions_exist_in_the_factor_tables():
    assert set(LEVERS["low_carbon_region"].change["candidates"]) <= set(TABLE.regions())


# --- each lever, hand-checked ---------------------------------------------------------------


def test_lighter_pages_saves_30_percent_of_the_network_energy():
    variant, e = effect("lighter_pages", make())
    assert variant.get(("usage", "data_per_visit")) == pytest.approx(7e6)
    # per_gb (default): 30 GB x (network.fixed.intensity 0.03294 kWh/GB + the box's
    # 8 W x 8766 h / 1000 / 2432 GB = 0.02884 kWh/GB): every network kWh is per GB.
    box_per_gb = V("network.box.power") * HOURS_PER_YEAR / 1000 / V("network.box.traffic")
    expected = GIGABYTES * 0.3 * (V("network.fixed.intensity") + box_per_gb)
    assert e.saving["energy"] == pytest.approx(expected)


def test_under_the_power_model_lighter_pages_save_only_the_marginal_energy():
    _, e = effect("lighter_pages", make({"network_model": "power"}))
    # 30 GB x network.fixed.marginal (6.667e-05 kWh/GB) = 0.002 kWh: the line's baseline
    # and the box (both by time) do not move.
    assert e.saving["energy"] == pytest.approx(GIGABYTES * 0.3 * V("network.fixed.marginal"))
    # the network equipment is still allocated per GB: its share goes down by 30%.
    expected = GIGABYTES * 0.3 * V("network.fixed.climate_change")
    assert e.saving["climate_change"] > expected


def test_shorter_journeys_cut_every_criterion_by_20_percent_without_hosting():
    # Without hosting, every activity is proportional to device-hours or to gigabytes.
    _, e = effect("shorter_journeys", make())
    for criterion in CRITERION_IDS:
        assert e.reduction[criterion] == pytest.approx(0.2), criterion


def test_mobile_to_fixed_trades_mobile_energy_for_fixed_energy_and_the_box():
    _, e = effect("mobile_to_fixed", make({"network": {"mobile": "100%"}}))
    # 50 GB move: 50 x (0.199 - 0.03294) kWh/GB saved; the box now carries 50 GB, at
    # 8 W x 8766 h / 1000 / 2432 GB a year = 0.02884 kWh/GB.
    moved = GIGABYTES / 2 * (V("network.mobile.intensity") - V("network.fixed.intensity"))
    box = GIGABYTES / 2 * V("network.box.power") * HOURS_PER_YEAR / 1000 / V("network.box.traffic")
    assert e.saving["energy"] == pytest.approx(moved - box)


def test_mobile_to_fixed_under_the_energy_model_adds_box_time():
    _, e = effect(
        "mobile_to_fixed", make({"network": {"mobile": "100%"}, "network_model": "energy"})
    )
    # 50 GB move: 50 x (0.12 - 0.05) kWh saved; the box now runs 500 of the 1000 hours.
    moved = GIGABYTES / 2 * (V("network.mobile.energy") - V("network.fixed.energy"))
    box = HOURS / 2 * V("network.box.power") / 1000
    assert e.saving["energy"] == pytest.approx(moved - box)


def test_older_devices_spread_manufacturing_over_a_life_50_percent_longer():
    variant, e = effect("older_devices", make())
    assert dict(variant.factor_scale) == {"device.laptop.lifetime": 1.5}
    share = HOURS / (V("device.laptop.lifetime") * V("device.laptop.active_hours") * 365.25)
    # manufacturing x (1 - 1/1.5): a third of the laptops' embodied impact.
    expected = share * V("device.laptop.climate_change") / 3
    assert e.saving["climate_change"] == pytest.approx(expected)
    assert e.saving["energy"] == pytest.approx(0, abs=1e-12)


def test_low_carbon_region_moves_to_the_lightest_candidate():
    hosting = {"location": "DEU", "pue": 1.0, "servers": [server(power="100 W")]}
    variant, e = effect("low_carbon_region", make(hosting=hosting))
    candidates = LEVERS["low_carbon_region"].change["candidates"]
    best = min(candidates, key=CONTEXT.region_weight)
    assert variant.get(("hosting", "location")) == best
    grid = V("electricity.DEU.climate_change") - V(f"electricity.{best}.climate_change")
    assert e.saving["climate_change"] == pytest.approx(SERVER_KWH * grid)


def test_better_pue_lowers_a_given_or_default_pue_to_the_target():
    _, e = effect("better_pue", make(hosting={"pue": 2.0, "servers": [server(power="100 W")]}))
    assert e.saving["energy"] == pytest.approx(SERVER_KWH * (2.0 - 1.2))
    variant, e = effect("better_pue", make(hosting={"servers": [server(power="100 W")]}))
    assert str(variant.changes[0].before) == "1.56"  # the factor table's default PUE
    assert e.saving["energy"] == pytest.approx(SERVER_KWH * (V("datacenter.default.pue") - 1.2))


def test_right_sizing_keeps_the_load_on_fewer_busier_servers():
    q = make(hosting={"pue": 1.0, "servers": [server(count=4, utilization="15%")]})
    variant, e = effect("right_sizing", q)
    count, utilization = (variant.get((*SERVER, key)) for key in ("count", "utilization"))
    # ceil(4 x 15% / 60%) = 1 server at 60%: the same load (0.6 server-equivalents).
    assert (count, utilization) == (1, pytest.approx(0.6))
    idle, peak = V("server.physical.power_idle"), V("server.physical.power_max")
    watts_before = 4 * (idle + (peak - idle) * 0.15)  # 350 W
    watts_after = idle + (peak - idle) * 0.6  # 200 W
    expected = (watts_before - watts_after) * HOURS_PER_YEAR / 1000
    assert e.saving["energy"] == pytest.approx(expected)


def test_right_sizing_scales_a_measured_power_by_the_power_model():
    q = make(hosting={"servers": [server(count=2, utilization="10%", power="180 W")]})
    variant, _ = effect("right_sizing", q)
    changed = tuple(variant.get((*SERVER, key)) for key in ("count", "utilization", "power"))
    # 1 server at 20%: 180 W x (50 + 250 x 0.2) / (50 + 250 x 0.1) = 180 x 100 / 75 = 240 W.
    assert changed == (1, pytest.approx(0.2), pytest.approx(240))


def test_longer_server_life_spreads_manufacturing_over_six_years():
    _, e = effect("longer_server_life", make(hosting={"servers": [server(power="100 W")]}))
    # 1 server-year: 1406 kg / 4 years - 1406 kg / 6 years = 117.2 kg CO2 eq.
    expected = V("server.physical.climate_change") * (1 / V("server.physical.lifetime") - 1 / 6)
    assert e.saving["climate_change"] == pytest.approx(expected)
    assert e.saving["energy"] == pytest.approx(0, abs=1e-9)


#: Two non-production copies of three on 50 h of 168 h: the share of server-hours left.
RUNNING_OF_THREE = (1 + 2 * 50 / 168) / 3


def test_environments_off_hours_saves_only_the_electricity_of_physical_servers():
    storage = {"volume": "1 TB", "replicas": 1}
    hosting = {"pue": 1.0, "environments": 3, "servers": [server(power="100 W")]}
    q = make(hosting={**hosting, "storage": storage})
    variant, e = effect("environments_off_hours", q)
    # Only the server's power changes: the environments and the data are kept.
    assert set(variant.edits) == {(*SERVER, "power")}
    assert variant.get((*SERVER, "power")) == pytest.approx(100 * RUNNING_OF_THREE, rel=1e-5)
    # 3 x 100 W all year -> 100 W + 2 x 100 W on 50 h of 168 h; nothing else changes.
    kwh = SERVER_KWH * 3 * (1 - RUNNING_OF_THREE)
    assert e.saving["energy"] == pytest.approx(kwh, rel=1e-5)
    # A server switched off was still built: every impact saved is the grid's (WLD), none
    # is the server's manufacturing.
    for criterion in CRITERION_IDS[:-1]:
        grid = V(f"electricity.WLD.{criterion}")
        assert e.saving[criterion] == pytest.approx(kwh * grid, rel=1e-5), criterion


def test_levers_model_a_configured_server_with_its_own_watts():
    # small archetype at 50 %: 14.1629 W idle, 94.0742 W at full load (test_engine), 54.1186 W
    hosting = {"pue": 1.0, "environments": 3, "servers": [server(archetype="small")]}
    variant, e = effect("environments_off_hours", make(hosting=hosting))
    assert variant.get((*SERVER, "power")) == pytest.approx(54.1186 * RUNNING_OF_THREE, rel=1e-5)
    kwh = 54.1186 * HOURS_PER_YEAR / 1000 * 3 * (1 - RUNNING_OF_THREE)
    assert e.saving["energy"] == pytest.approx(kwh, rel=1e-5)
    # right-sizing a measured small server follows the small server's curve:
    # 180 W x (14.1629 + 79.9113 x 0.2) / (14.1629 + 79.9113 x 0.1) = 180 x 30.1452 / 22.1540
    small = {"count": 2, "utilization": "10%", "power": "180 W", "archetype": "small"}
    variant, _ = effect("right_sizing", make(hosting={"servers": [server(**small)]}))
    assert variant.get((*SERVER, "power")) == pytest.approx(180 * 30.1452 / 22.1540, rel=1e-4)


def test_environments_off_hours_frees_the_host_share_of_virtual_servers():
    hosting = {
        "pue": 1.0,
        "environments": 3,
        "servers": [{"name": "vm", "type": "virtual", "vcpu": 8, "count": 2}],
    }
    variant, e = effect("environments_off_hours", make(hosting=hosting))
    assert variant.get((*SERVER, "count")) == pytest.approx(2 * RUNNING_OF_THREE)
    units = 2 * 8 / V("server.virtual.host_vcpu")  # host-equivalents, per environment
    idle, peak = V("server.physical.power_idle"), V("server.physical.power_max")
    watts = units * (idle + (peak - idle) * V("datacenter.default.utilization"))
    kwh = 3 * watts * HOURS_PER_YEAR / 1000 * (1 - RUNNING_OF_THREE)
    built = 3 * units / V("server.physical.lifetime") * (1 - RUNNING_OF_THREE)
    assert e.saving["energy"] == pytest.approx(kwh, rel=1e-5)
    # the hosted server-years carry the data centre's network gear and building too
    hosted = 3 * units * (1 - RUNNING_OF_THREE)
    infrastructure = V("datacenter.gear.climate_change") + V("datacenter.building.climate_change")
    expected = (
        built * V("server.physical.climate_change")
        + hosted * infrastructure
        + kwh * V("electricity.WLD.climate_change")
    )
    assert e.saving["climate_change"] == pytest.approx(expected, rel=1e-5)


def test_environments_off_hours_does_not_apply_without_servers():
    hosting = {"environments": 3, "storage": {"volume": "1 TB"}}
    assert apply(LEVERS["environments_off_hours"], Variant(make(hosting=hosting)), CONTEXT) is None


def test_data_retention_halves_the_storage():
    hosting = {"pue": 1.0, "storage": {"volume": "1 TB", "replicas": 1}}
    _, e = effect("data_retention", make(hosting=hosting))
    # 1 TB x 1.2 W/TB x 8766 h = 10.5 kWh a year, half saved.
    assert e.saving["energy"] == pytest.approx(0.5 * V("storage.ssd.power") * HOURS_PER_YEAR / 1000)


def test_cold_data_on_hdd_swaps_ssd_factors_for_hdd_ones():
    storage = {"volume": "1 TB", "type": "ssd", "replicas": 1}
    _, e = effect(
        "cold_data_hdd", make(hosting={"location": "FRA", "pue": 1.0, "storage": storage})
    )
    kwh = (V("storage.ssd.power") - V("storage.hdd.power")) * HOURS_PER_YEAR / 1000
    embodied = V("storage.ssd.climate_change") / V("storage.ssd.lifetime") - V(
        "storage.hdd.climate_change"
    ) / V("storage.hdd.lifetime")  # 160/6 - 20/4 = 21.7 kg per TB-year
    assert e.saving["energy"] == pytest.approx(kwh)
    expected = embodied + kwh * V("electricity.FRA.climate_change")
    assert e.saving["climate_change"] == pytest.approx(expected)


@pytest.mark.parametrize("replicas", [3, None], ids=["given", "default"])
def test_fewer_replicas_keeps_two_copies(replicas):
    storage = {"volume": "1 TB", **({"replicas": replicas} if replicas else {})}
    _, e = effect("fewer_replicas", make(hosting={"pue": 1.0, "storage": storage}))
    # 3 copies -> 2: one TB-year of SSD power saved.
    assert e.saving["energy"] == pytest.approx(V("storage.ssd.power") * HOURS_PER_YEAR / 1000)


# --- levers that would change nothing ------------------------------------------------------


@pytest.mark.parametrize(
    ("lever_id", "usage", "hosting"),
    [
        ("mobile_to_fixed", None, None),
        ("better_pue", None, {"pue": 1.1}),
        ("low_carbon_region", None, {"location": "NOR"}),
        ("longer_server_life", None, {"servers": [server(lifetime="7 years")]}),
        ("environments_off_hours", None, {"environments": 1}),
        ("cold_data_hdd", None, {"storage": {"volume": "1 TB", "type": "hdd"}}),
        ("fewer_replicas", None, {"storage": {"volume": "1 TB", "replicas": 2}}),
        ("right_sizing", None, {"servers": [server(count=3, utilization="70%")]}),
        ("right_sizing", None, {"servers": [server(count=1, utilization="10%")]}),
        ("data_retention", None, None),
    ],
)
def test_a_lever_with_nothing_to_change_does_not_apply(lever_id, usage, hosting):
    assert apply(LEVERS[lever_id], Variant(make(usage, hosting)), CONTEXT) is None


def test_no_datacenter_lever_without_hosting():
    proposed = {r.lever.id for r in propose([make()], TABLE, LIMITS, 20)[0].levers}
    assert proposed == {"lighter_pages", "shorter_journeys", "older_devices"}


def test_a_change_the_engine_finds_without_effect_is_not_proposed():
    # An empty hosting section: PUE and region levers apply but change no figure.
    q = make(hosting={"location": "DEU"})
    assert apply(LEVERS["better_pue"], Variant(q), CONTEXT) is not None
    proposed = {r.lever.id for r in propose([q], TABLE, LIMITS, 20)[0].levers}
    assert not proposed & {"better_pue", "low_carbon_region"}


# --- properties on every example -------------------------------------------------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
EXAMPLE_QUESTIONNAIRES = [
    as_record(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in EXAMPLE_FILES
]


@pytest.fixture(scope="module")
def proposals():
    return propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, 20)


def test_every_proposed_lever_lowers_the_normalised_total(proposals):
    for p in proposals:
        assert p.levers
        assert all(r.effect.persons_equivalent > 0 for r in p.levers)


def test_a_lever_says_exactly_what_the_engine_computes_for_it_alone(proposals):
    """Never raises a criterion by more than it says: the batch equals a lone evaluation."""
    weights = boundary_weights(LIMITS)
    for q, p in zip(EXAMPLE_QUESTIONNAIRES, proposals, strict=True):
        (before,) = totals([Variant(q)], TABLE)
        for r in p.levers:
            (after,) = totals([apply(r.lever, Variant(q), CONTEXT)], TABLE)
            alone = saving(before, after, q.period_years, weights)
            for c in CRITERION_IDS:
                assert r.effect.reduction[c] == pytest.approx(alone.reduction[c], abs=1e-12)
                assert r.effect.saving[c] == pytest.approx(alone.saving[c], rel=1e-12)


def test_ranking_is_by_persons_equivalent_then_id(proposals):
    for p in proposals:
        keys = [(-r.effect.persons_equivalent, r.lever.id) for r in p.levers]
        assert keys == sorted(keys)
        assert [r.rank for r in p.levers] == list(range(1, len(p.levers) + 1))


def test_ties_are_broken_by_id(monkeypatch):
    # Two levers making the same change save exactly the same: only the id can order them.
    # The catalogue lists the later id first, so catalogue order would put it first.
    twin = LEVERS["lighter_pages"]
    twins = tuple(dataclasses.replace(twin, id=i) for i in ("pages_b", "pages_a"))
    monkeypatch.setattr(levers_module, "catalogue", lambda: twins)
    (p,) = propose([make()], TABLE, LIMITS, 20)
    a, b = p.levers
    assert a.effect.persons_equivalent == b.effect.persons_equivalent > 0
    assert [r.lever.id for r in p.levers] == ["pages_a", "pages_b"]


def test_count_keeps_the_best(proposals):
    top = propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, 2)
    for short, full in zip(top, proposals, strict=True):
        assert [r.lever.id for r in short.levers] == [r.lever.id for r in full.levers[:2]]


def test_combined_is_never_worse_than_the_best_single_lever(proposals):
    for count in (2, 5, 20):
        for p in propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, count):
            best = max(r.effect.persons_equivalent for r in p.levers)
            assert p.combined.effect.persons_equivalent >= best
            assert p.combined.levers[0] == p.levers[0].lever.id


def test_combined_is_computed_not_summed(proposals):
    # Shorter journeys then lighter pages: 0.8 x 0.7 of the data, not 1 - 0.2 - 0.3.
    p = propose([make()], TABLE, LIMITS, 3)[0]
    assert set(p.combined.levers) == {"older_devices", "shorter_journeys", "lighter_pages"}
    summed = sum(r.effect.saving["energy"] for r in p.levers)
    assert p.combined.effect.saving["energy"] < summed
    data = [c for c in p.combined.changes if c.path == "usage.data_per_visit"]
    assert str(data[-1].after) == "5.6 MB"  # 10 MB x 0.8 x 0.7


def test_proposing_leaves_the_questionnaires_unchanged():
    before = copy.deepcopy(EXAMPLE_QUESTIONNAIRES)
    propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, 20)
    assert before == EXAMPLE_QUESTIONNAIRES


def test_all_services_and_levers_take_two_engine_calls_per_path(engine_calls):
    calls = engine_calls
    propose(EXAMPLE_QUESTIONNAIRES * 3, TABLE, LIMITS, 5)
    # every lever of every service, then every combination: once for the services without
    # an optional block (the array path), once for those with one (the per-service path)
    assert len(calls) == 4
    assert sum(calls[::2]) > 12 * len(EXAMPLE_QUESTIONNAIRES)


def test_central_totals_given_spare_the_services_own_rows_and_change_no_bit(engine_calls):
    """assess_services hands the levers its central totals: the array path's first pass then
    evaluates only the levers' rows, and every figure stays what it was."""
    services = EXAMPLE_QUESTIONNAIRES * 2
    arrays = service_arrays(services)
    central = evaluate(arrays, TABLE.central()).contributions[:, 0].sum(axis=1)
    given = propose(services, TABLE, LIMITS, 20, arrays, central)
    rows_given = list(engine_calls)
    engine_calls.clear()
    alone = propose(services, TABLE, LIMITS, 20, arrays)
    plain = sum(lever_arrays.plain(q) for q in services)
    assert 0 < plain < len(services)  # both paths are taken
    assert rows_given[0] == engine_calls[0] - plain  # the array path's first pass
    assert rows_given[1:] == engine_calls[1:]
    for a, b in zip(given, alone, strict=True):
        assert [r.to_dict() for r in a.levers] == [r.to_dict() for r in b.levers]
        assert (a.combined and a.combined.to_dict()) == (b.combined and b.combined.to_dict())


def test_proposals_are_deterministic(proposals):
    again = propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, 20)
    for a, b in zip(again, proposals, strict=True):
        assert [r.to_dict() for r in a.levers] == [r.to_dict() for r in b.levers]


def test_to_dict_carries_the_contract_keys(proposals):
    d = proposals[0].levers[0].to_dict()
    assert {"id", "rank", "title", "change", "reduction", "saving"} <= set(d)
    assert set(d["reduction"]) == set(CRITERION_IDS)
    assert np.isfinite(list(d["saving"].values())).all()


def test_every_lever_s_arrays_give_its_changed_copy_s_figures_to_the_last_bit():
    """Levers change the engine's arrays, never a model: the figures are those of a copy of
    the questionnaire with the same values changed, on every example."""
    variants = [
        v
        for q in EXAMPLE_QUESTIONNAIRES
        for lever in catalogue()
        if (v := apply(lever, Variant(q), CONTEXT)) is not None
    ]
    copies = [dataclasses.replace(v, questionnaire=v.copy(), edits={}) for v in variants]
    assert len(variants) > 3 * len(EXAMPLE_QUESTIONNAIRES)
    np.testing.assert_array_equal(totals(variants, TABLE), totals(copies, TABLE))


def test_the_engine_arrays_a_caller_has_give_the_same_proposals(proposals):
    # The examples mix services with and without optional blocks: the array path takes the
    # rows of the arrays given for the services without one.
    arrays = service_arrays(EXAMPLE_QUESTIONNAIRES)
    given = propose(EXAMPLE_QUESTIONNAIRES, TABLE, LIMITS, 20, arrays)
    assert given == proposals
    assert any(not lever_arrays.plain(q) for q in EXAMPLE_QUESTIONNAIRES)
    assert any(lever_arrays.plain(q) for q in EXAMPLE_QUESTIONNAIRES)


def test_a_service_s_levers_pickled_or_copied_are_its_values_not_its_chunk():
    # The array path keeps a chunk's findings (_Chunk: frames, steps, arrays) and makes a
    # service's levers from them when read; pickled or copied, one service's Proposals must
    # be its own values, the same whatever the size of the chunk it was found in.
    services = [make({"users": 1000 + 10 * i}, {"location": "FRA"}) for i in range(40)]
    alone = propose(services[:1], TABLE, LIMITS, 5)[0]
    among = propose(services, TABLE, LIMITS, 5)[0]
    assert type(among) is levers_module._ArrayProposals  # the path under test
    for copied in (pickle.loads(pickle.dumps(among)), copy.deepcopy(among), copy.copy(among)):
        assert type(copied) is levers_module.Proposals
        assert copied == among == alone
        assert copied.combined is not None
    assert len(pickle.dumps(among)) == len(pickle.dumps(alone))


def test_a_service_s_levers_are_a_frozen_tuple_made_or_still_held():
    services = [make({"users": 1000 + 10 * i}, {"location": "FRA"}) for i in range(40)]
    among = propose(services, TABLE, LIMITS, 5)[0]
    plain = pickle.loads(pickle.dumps(among))
    for proposals, inner in ((among, "_held"), (plain, "_found")):
        with pytest.raises(AttributeError, match="frozen"):
            setattr(proposals, inner, ((), None))
        with pytest.raises(AttributeError, match="frozen"):
            proposals.note = "mine"
        assert type(proposals.levers) is tuple and len(proposals.levers) > 1
    with pytest.raises(AttributeError, match="frozen"):
        del among._held  # made now, still refused
    assert among == plain


def test_a_service_s_levers_once_read_let_go_of_their_chunk():
    # A service kept alive must not keep its chunk's frames and steps: once made, its
    # Proposals hold their own values (and its JSON is written from them: encoded None).
    services = [make({"users": 1000 + 10 * i}, {"location": "FRA"}) for i in range(40)]
    found = propose(services, TABLE, LIMITS, 5)
    kept = found[3]
    alive = weakref.ref(kept._held)  # the chunk, until its values are made
    assert kept.encoded() is not None
    levers, combined = kept.levers, kept.combined
    assert kept.encoded() is None
    del found
    gc.collect()
    assert alive() is None
    assert kept.levers is levers and kept.combined is combined
    assert kept == propose(services[3:4], TABLE, LIMITS, 5)[0]


def test_rows_lay_each_service_s_entries_and_combination_out_as_their_own_json():
    """_Rows: services without levers (first, between, last), one lever (no combination)
    and several (with one); entries with two changes (given out of order), none and one,
    a combination with one: each service's levers list and combination object, the
    numbers written as orjson writes the floats."""
    import json

    import orjson

    lengths = np.array([0, 2, 0, 1, 0])
    combined = np.array([False, True, False, False, False])
    rows = levers_module._Rows(lengths, combined)
    numbers = levers_module._NUMBERS
    table = np.arange(4 * numbers, dtype=float).reshape(4, numbers) / 7
    table[rows.combined_at] *= -1
    paths, values = lever_arrays.Paths(), lever_arrays.Values()
    p, q = paths.number("usage.p"), paths.number('a "q"')

    def written(*changes: tuple[int, int, int, str, str]) -> lever_arrays.Written:
        columns = [np.array([c[k] for c in changes], dtype=int) for k in range(3)]
        rows = np.arange(len(changes))
        before = values.add([c[3] for c in changes], rows, "", False)
        after = values.add([c[4] for c in changes], rows, "", False)
        return lever_arrays.Written(*columns, before, after)

    leads = [b'[{"id":"a","change":"', b',{"id":"b","change":"', b'[{"id":"c","change":"']
    rows.put_leads(leads, [b'{"levers":["a","b"],"changes":['])
    entries = written((0, 7, q, "3", "4"), (2, 0, p, "5", "6"), (0, 2, p, "1", "2"))
    combination = written((int(rows.combined_at[0]), 1, p, "8", "9"))
    rows.put_changes(entries, combination, paths, values.texts())
    levers, combinations = rows.written(table, orjson)

    def saving(row: np.ndarray) -> dict:
        c = len(CRITERION_IDS)
        return {
            "reduction": dict(zip(CRITERION_IDS, row[:c].tolist(), strict=True)),
            "saving": dict(zip(CRITERION_IDS, row[c : 2 * c].tolist(), strict=True)),
            "persons_equivalent_saved": row[-1].item(),
        }

    def change(path: str, before: str, after: str) -> dict:
        return {"path": path, "before": before, "after": after}

    entry = [
        {
            "id": "a",
            "change": 'usage.p: 1 → 2; a "q": 3 → 4',
            "changes": [change("usage.p", "1", "2"), change('a "q"', "3", "4")],
        },
        {"id": "b", "change": "", "changes": []},
        {"id": "c", "change": "usage.p: 5 → 6", "changes": [change("usage.p", "5", "6")]},
    ]
    assert [json.loads(t) for t in levers] == [
        [],
        [entry[0] | saving(table[0]), entry[1] | saving(table[1])],
        [],
        [entry[2] | saving(table[3])],
        [],
    ]
    assert combinations[:1] == [None] and combinations[2:] == [None, None, None]
    assert json.loads(combinations[1]) == {
        "levers": ["a", "b"],
        "changes": [change("usage.p", "8", "9")],
        **saving(table[2]),
    }


@pytest.mark.parametrize("seed", range(20))
def test_candidates_are_ordered_service_after_service_best_first_ties_by_id(seed):
    """`_order` keeps what one lexsort of every candidate on (service, -saving, id) keeps."""
    random = np.random.default_rng(seed)
    n, width, count = int(random.integers(1, 30)), int(random.integers(1, 13)), 1 + seed % 6
    grid = random.random((n, width)) < 0.7  # each service's candidate levers
    owner, ids = (a.astype(int) for a in np.nonzero(grid))
    persons = random.integers(0, 4, len(owner)).astype(float)  # many ties
    persons[random.random(len(owner)) < 0.1] = -0.0
    kept = random.random(len(owner)) < 0.8
    effects = types.SimpleNamespace(persons_equivalent=persons)
    expected = np.lexsort((ids, -persons, owner))
    expected = expected[kept[expected]]
    firsts = np.searchsorted(owner[expected], owner[expected])
    expected = expected[np.arange(len(expected)) - firsts < count]
    got = levers_module._order(owner, effects, ids, kept, count, n)
    assert got.tolist() == expected.tolist()


def test_a_chunk_s_context_is_the_last_one_when_its_table_and_limits_are_the_same():
    """propose's Context (the regions' weights worked out once) is kept for the next chunk
    of the same table and limits, and made anew for another table or other limits."""
    first = levers_module._context(TABLE, LIMITS)
    assert levers_module._context(TABLE, boundaries(TABLE)) is first  # equal limits
    other = load_factors()
    assert levers_module._context(other, boundaries(other)).table is other
    fewer = dataclasses.replace(LIMITS, per_person_year={"climate_change": 1000.0})
    assert levers_module._context(TABLE, fewer).limits is fewer
    propose([make()], TABLE, LIMITS, 3)
    assert levers_module._context(TABLE, LIMITS) is levers_module._CONTEXTS[0]
    assert levers_module._CONTEXTS[0].limits == LIMITS
