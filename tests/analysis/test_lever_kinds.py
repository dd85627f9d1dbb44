"""The kinds of change a lever makes, each called with its parameters as the catalogue
(factors/levers.yaml) would give them: the values it sets, worked out by hand from its rule,
and None where it would change nothing.

What each catalogue lever saves is tested through the engine in tests/analysis/test_levers.py
and test_ai_levers.py; here each kind's rule on its own.
"""

from __future__ import annotations

import copy
import math

import pytest
import yaml
from conftest import MINIMAL, ROOT

from acvnum.analysis.lever_kinds import KINDS, Context
from acvnum.analysis.variants import Variant
from acvnum.questionnaire import units
from acvnum.questionnaire.models import as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import load_factors

YEAR = units.SECONDS_PER_YEAR
TABLE = load_factors()
CONTEXT = Context(TABLE, boundaries(TABLE))


def make(usage: dict | None = None, **sections):
    data = copy.deepcopy(yaml.safe_load(MINIMAL))
    data["usage"].update(usage or {})
    data.update(sections)
    return as_record(data)


def change(kind: str, q, **parameters) -> Variant | None:
    return KINDS[kind](Variant(q), {"kind": kind, **parameters}, CONTEXT)


def edits(variant: Variant) -> dict:
    return dict(variant.edits)


def physical(**fields) -> dict:
    return {"name": "app", "type": "physical", **fields}


def test_every_kind_the_catalogue_names_is_a_kind():
    text = (ROOT / "factors" / "levers.yaml").read_text(encoding="utf-8")
    kinds = {lever["change"]["kind"] for lever in yaml.safe_load(text)["levers"]}
    assert kinds == set(KINDS)


# --- the context --------------------------------------------------------------------------


def test_the_context_reads_factors_and_the_defaults_they_fill():
    assert CONTEXT.default("datacenter.default.pue") == TABLE.value("datacenter.default.pue")
    assert CONTEXT.defaulted(("hosting", "pue")) == TABLE.value("datacenter.default.pue")
    # a server's lifetime defaults to a factor in years, read in seconds
    assert CONTEXT.defaulted(("hosting", "servers", "*", "lifetime")) == (
        TABLE.value("server.physical.lifetime") * YEAR
    )


def test_a_region_s_weight_sums_its_kwh_over_each_person_s_boundary():
    limits = CONTEXT.limits.per_person_year
    expected = sum(TABLE.value(f"electricity.FRA.{c}") / b for c, b in limits.items())
    assert CONTEXT.region_weight("FRA") == pytest.approx(expected)
    assert "FRA" in CONTEXT.regions


# --- scale --------------------------------------------------------------------------------


def test_scale_multiplies_every_path_given():
    # MINIMAL: visits of 6 min (360 s) and 10 MB; 80% of each: 288 s and 8 MB
    v = change("scale", make(), paths=["usage.visit_duration", "usage.data_per_visit"], factor=0.8)
    assert edits(v) == {
        ("usage", "visit_duration"): pytest.approx(288.0),
        ("usage", "data_per_visit"): pytest.approx(8e6),
    }
    assert [str(c) for c in v.changes] == [
        "usage.visit_duration: 6 min → 4.8 min",
        "usage.data_per_visit: 10 MB → 8 MB",
    ]


def test_scale_keeps_a_rate_a_rate():
    q = make({"visits_per_user": "20 / month"})
    v = change("scale", q, paths=["usage.visits_per_user"], factor=0.5)
    rate = v.get(("usage", "visits_per_user"))
    assert rate.count == 10
    assert rate.per_seconds == q.usage.visits_per_user.per_seconds


def test_scale_changes_nothing_absent_or_zero():
    # no hosting section; a value of 0
    assert change("scale", make(), paths=["hosting.storage.volume"], factor=0.5) is None
    nothing = make({"data_per_visit": 0})
    assert change("scale", nothing, paths=["usage.data_per_visit"], factor=0.5) is None


# --- network and devices ------------------------------------------------------------------


def test_shift_network_moves_a_share_of_the_mobile_data_to_fixed():
    # mobile 40%, fixed 60%; half the mobile moves: mobile 20%, fixed 80%
    q = make({"network": {"mobile": "40%", "fixed": "60%"}})
    v = change("shift_network", q, share=0.5)
    assert edits(v) == {
        ("usage", "network", "mobile"): pytest.approx(0.2),
        ("usage", "network", "fixed"): pytest.approx(0.8),
    }
    assert change("shift_network", make(), share=0.5) is None  # no mobile data


def test_scale_factor_scales_a_device_factor_of_each_device_used():
    q = make({"devices": {"laptop": "60%", "smartphone": "40%"}})
    v = change("scale_factor", q, quantity="lifetime", factor=1.5)
    assert dict(v.factor_scale) == {
        "device.laptop.lifetime": 1.5,
        "device.smartphone.lifetime": 1.5,
    }
    # in DEVICE_TYPES' order, each device's own lifetime (smartphone 2.5, laptop 5 years)
    lifetimes = [TABLE.value(f"device.{d}.lifetime") for d in ("smartphone", "laptop")]
    assert lifetimes == [2.5, 5.0]
    assert [str(c) for c in v.changes] == [
        "device.smartphone.lifetime: 2.5 years → 3.75 years",
        "device.laptop.lifetime: 5 years → 7.5 years",
    ]
    # applied again, the scales multiply
    again = KINDS["scale_factor"](v, {"quantity": "lifetime", "factor": 1.5}, CONTEXT)
    assert again.factor_scale["device.laptop.lifetime"] == pytest.approx(2.25)


# --- hosting ------------------------------------------------------------------------------


def test_cap_lowers_a_given_value_or_the_default_it_falls_back_on():
    given = make(hosting={"pue": 1.5, "servers": [physical()]})
    v = change("cap", given, path="hosting.pue", target=1.2)
    assert edits(v) == {("hosting", "pue"): 1.2}
    assert str(v.changes[0]) == "hosting.pue: 1.5 → 1.2"
    defaulted = make(hosting={"servers": [physical()]})
    v = change("cap", defaulted, path="hosting.pue", target=1.2)
    default = TABLE.value("datacenter.default.pue")  # 1.56
    assert str(v.changes[0]) == f"hosting.pue: {default:g} → 1.2"


def test_cap_changes_nothing_already_low_or_absent():
    low = make(hosting={"pue": 1.1, "servers": [physical()]})
    assert change("cap", low, path="hosting.pue", target=1.2) is None
    assert change("cap", make(), path="hosting.pue", target=1.2) is None


def test_floor_raises_each_shorter_server_lifetime_to_its_target():
    hosting = {
        "servers": [
            physical(name="old", lifetime="3 years"),
            physical(name="kept", lifetime="8 years"),
            physical(name="default"),
        ]
    }
    v = change("floor", make(hosting=hosting), field="lifetime", target=6)
    assert edits(v) == {
        ("hosting", "servers", 0, "lifetime"): 6 * YEAR,
        ("hosting", "servers", 2, "lifetime"): 6 * YEAR,
    }
    default = TABLE.value("server.physical.lifetime")
    assert [str(c) for c in v.changes] == [
        "hosting.servers[0].lifetime: 3 years → 6 years",
        f"hosting.servers[2].lifetime: {default:g} years → 6 years",
    ]
    assert [c.subject for c in v.changes] == ["old", "default"]
    assert change("floor", make(hosting=hosting), field="lifetime", target=2) is None
    assert change("floor", make(), field="lifetime", target=6) is None


def test_region_moves_to_the_lightest_known_candidate():
    q = make(hosting={"location": "FRA", "servers": [physical()]})
    candidates = ["NOR", "SWE", "CHE", "FRA", "FIN"]
    lightest = min(candidates, key=CONTEXT.region_weight)
    assert lightest != "FRA"  # France's kWh is not the lightest of the five in the table
    v = change("region", q, candidates=[*candidates, "XXX"])  # an unknown region is skipped
    assert edits(v) == {("hosting", "location"): lightest}
    assert str(v.changes[0]) == f"hosting.location: FRA → {lightest}"
    # from the lightest, nowhere lighter to go
    there = make(hosting={"location": lightest, "servers": [physical()]})
    assert change("region", there, candidates=candidates) is None


def test_region_needs_hosting_and_a_known_candidate():
    assert change("region", make(), candidates=["SWE"]) is None
    q = make(hosting={"location": "FRA", "servers": [physical()]})
    assert change("region", q, candidates=["XXX"]) is None


def test_right_size_keeps_the_load_on_fewer_busier_servers():
    # 4 servers at 20%: a load of 0.8 server; at 50% it takes ceil(0.8 / 0.5) = 2 at 40%.
    # A measured 200 W scales by the idle-to-peak model (50 W idle, 300 W peak, the default
    # factors): (50 + 250 x 0.4) / (50 + 250 x 0.2) = 150 / 100, so 300 W
    assert TABLE.value("server.physical.power_idle") == 50.0
    assert TABLE.value("server.physical.power_max") == 300.0
    hosting = {"servers": [physical(count=4, utilization="20%", power="200 W")]}
    v = change("right_size", make(hosting=hosting), target=0.5)
    server = ("hosting", "servers", 0)
    assert edits(v) == {
        (*server, "count"): 2.0,
        (*server, "utilization"): pytest.approx(0.4),
        (*server, "power"): pytest.approx(300.0),
    }


def test_right_size_changes_nothing_already_busy_enough():
    # 2 servers at 40%: a load of 0.8 at 50% still needs ceil(1.6) = 2
    hosting = {"servers": [physical(count=2, utilization="40%")]}
    assert change("right_size", make(hosting=hosting), target=0.5) is None
    assert change("right_size", make(), target=0.5) is None


def test_off_hours_runs_the_copies_beyond_the_first_part_of_the_time():
    # 3 environments, copies on a quarter of the time: (1 + 2 x 0.25) / 3 = 50% of the hours.
    # The virtual servers run half as many on average (shown as hours running); the physical
    # one draws half its power, modelled at the default 50% utilisation: 50 + 250 x 0.5 W
    hosting = {
        "environments": 3,
        "servers": [
            {"name": "vm", "type": "virtual", "vcpu": 4, "count": 2},
            physical(name="box"),
        ],
    }
    v = change("off_hours", make(hosting=hosting), on_share=0.25)
    assert edits(v) == {
        ("hosting", "servers", 0, "count"): pytest.approx(1.0),
        ("hosting", "servers", 1, "power"): pytest.approx(87.5),
    }
    assert [str(c) for c in v.changes] == [
        "hosting.servers[0].hours_running: 100% → 50%",
        "hosting.servers[1].power: 175 W → 87.5 W",
    ]
    single = {"environments": 1, "servers": [physical()]}
    assert change("off_hours", make(hosting=single), on_share=0.25) is None


def test_switch_sets_a_different_value_only():
    hosting = {"servers": [physical()], "storage": {"volume": "1 TB", "type": "ssd"}}
    v = change("switch", make(hosting=hosting), path="hosting.storage.type", value="hdd")
    assert edits(v) == {("hosting", "storage", "type"): "hdd"}
    assert str(v.changes[0]) == "hosting.storage.type: ssd → hdd"
    hosting["storage"]["type"] = "hdd"
    assert change("switch", make(hosting=hosting), path="hosting.storage.type", value="hdd") is None
    assert change("switch", make(), path="hosting.storage.type", value="hdd") is None


# --- AI, video, messages ------------------------------------------------------------------


def ai(model: dict, **fields) -> dict:
    return {"requests_per_visit": 1, "output_tokens": 300, "model": model, **fields}


@pytest.mark.parametrize(("size", "smaller"), [("frontier", "large"), ("medium", "small")])
def test_smaller_model_takes_the_size_class_below(size, smaller):
    v = change("smaller_model", make(ai=ai({"size": size})), factor=0.2)
    assert edits(v) == {("ai", "model", "size"): smaller}


def test_smaller_model_scales_given_parameters_and_stops_at_the_smallest_class():
    # 70B with 10B active, times 0.2: 14B with 2B active
    given = make(ai=ai({"parameters": "70B", "active_parameters": "10B"}))
    v = change("smaller_model", given, factor=0.2)
    assert edits(v) == {
        ("ai", "model", "parameters"): pytest.approx(14.0),
        ("ai", "model", "active_parameters"): pytest.approx(2.0),
    }
    assert change("smaller_model", make(ai=ai({"size": "small"})), factor=0.2) is None
    assert change("smaller_model", make(), factor=0.2) is None


def test_batch_gpus_puts_the_same_work_on_fewer_busier_gpus():
    # 8 GPUs at 30%: a load of 2.4; at 80%, ceil(3.0) = 3 GPUs at 2.4 / 3 = 80%
    hosted = ai({"size": "medium"}, self_hosted={"gpus": 8, "utilization": "30%"})
    v = change("batch_gpus", make(ai=hosted), target=0.8)
    assert edits(v) == {
        ("ai", "self_hosted", "gpus"): 3.0,
        ("ai", "self_hosted", "utilization"): pytest.approx(0.8),
    }
    # a model served through an API has no GPUs of its own to batch on
    assert change("batch_gpus", make(ai=ai({"size": "medium"})), target=0.8) is None
    assert change("smaller_model", make(ai=hosted), factor=0.2) is None


def video(quality: str) -> dict:
    return {"watched_per_visit": "5 min", "quality": quality}


@pytest.mark.parametrize(
    ("quality", "lower"),
    [
        ("uhd", "full_hd"),  # 7 GB/h -> 3 GB/h
        ("full_hd", "sd"),  # hd has full_hd's 3 GB/h: no saving there, so sd (0.7 GB/h)
        ("hd", "sd"),
        ("sd", None),  # the floor
    ],
)
def test_lower_quality_takes_the_next_lower_data_rate_down_to_the_floor(quality, lower):
    rates = {q: TABLE.value(f"video.{q}.data_rate") for q in ("sd", "hd", "full_hd", "uhd")}
    assert rates == {"sd": 0.7, "hd": 3.0, "full_hd": 3.0, "uhd": 7.0}
    v = change("lower_quality", make(video=video(quality)), floor="sd")
    assert (v and edits(v)) == ({("video", "quality"): lower} if lower else None)


def test_lower_quality_needs_a_video_section():
    assert change("lower_quality", make(), floor="sd") is None


def test_cap_years_lowers_a_duration_or_its_default_to_a_number_of_years():
    messages = {"per_user": "10 / day", "size": "300 kB", "retention": "5 years"}
    v = change("cap_years", make(messages=messages), path="messages.retention", target=2)
    assert edits(v) == {("messages", "retention"): 2 * YEAR}
    assert str(v.changes[0]) == "messages.retention: 5 years → 2 years"
    del messages["retention"]  # the default: 10 years
    v = change("cap_years", make(messages=messages), path="messages.retention", target=2)
    default = TABLE.value("messages.default.retention")
    assert str(v.changes[0]) == f"messages.retention: {default:g} years → 2 years"
    assert change("cap_years", make(), path="messages.retention", target=2) is None


def test_no_kind_changes_its_variant_in_place():
    q = make({"network": {"mobile": "40%", "fixed": "60%"}})
    before = Variant(q)
    after = KINDS["shift_network"](before, {"share": 0.5}, CONTEXT)
    assert before.edits == {} and before.changes == ()
    assert after is not before
    assert math.isclose(q.usage.network.mobile, 0.4)
