"""The inventory's per-service factor overrides (the hook of assumption levers), and
variants' arrays: rows taken again with some answers changed, exactly as a changed copy."""

import dataclasses

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from acvnum.calculation import inventory as inventory_module
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import (
    ACTIVITIES,
    edits_in_place,
    present_columns,
    service_arrays,
    take,
    with_inputs,
)
from acvnum.calculation.workloads import (
    ai_inventory,
    gpu_lifetimes,
    message_inventory,
    video_inventory,
)
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.models import as_record
from acvnum.reference.factors import FactorValues, load_factors

TABLE = load_factors()
Q = as_record(yaml.safe_load(MINIMAL))
LAPTOP = [a.tier == "terminals" and a.item == "laptop" for a in ACTIVITIES]


def test_a_factor_scale_applies_to_its_service_only():
    arrays = service_arrays([Q, Q], [{}, {"device.laptop.lifetime": 2.0}])
    amounts = evaluate(arrays, TABLE.central()).inventory[:, 0]
    manufacturing = [
        i for i, a in enumerate(ACTIVITIES) if LAPTOP[i] and a.phase == "manufacturing"
    ]
    use = [i for i, a in enumerate(ACTIVITIES) if LAPTOP[i] and a.phase == "use"]
    np.testing.assert_allclose(amounts[1, manufacturing], amounts[0, manufacturing] / 2)
    np.testing.assert_allclose(amounts[1, use], amounts[0, use])
    others = [i for i in range(len(ACTIVITIES)) if not LAPTOP[i]]
    np.testing.assert_allclose(amounts[1, others], amounts[0, others])


def test_without_overrides_nothing_changes():
    plain = evaluate(service_arrays([Q]), TABLE.central()).total
    unit = evaluate(service_arrays([Q], [{"device.laptop.power": 1.0}]), TABLE.central()).total
    np.testing.assert_array_equal(plain, unit)


def test_only_factors_read_per_service_can_be_scaled():
    with pytest.raises(ValueError, match="cannot be scaled per service"):
        service_arrays([Q], [{"server.physical.lifetime": 2.0}])


# --- variants: rows taken again, answers changed in the arrays ----------------------------

EXAMPLE_QUESTIONNAIRES = [
    as_record(yaml.safe_load(p.read_text(encoding="utf-8")))
    for p in sorted(EXAMPLES.glob("*.yaml"))
]
#: A value for every path the arrays hold, in base units (servers: the example's first).
EDITS = [
    (("usage", "visit_duration"), 90.0),
    (("usage", "data_per_visit"), 1.5e6),
    (("usage", "network", "mobile"), 0.25),
    (("usage", "network", "fixed"), 0.75),
    (("usage", "devices", "laptop"), 0.5),
    (("hosting", "location"), None),
    (("hosting", "pue"), 1.2),
    (("hosting", "environments"), 2.0),
    (("hosting", "storage", "volume"), 3e12),
    (("hosting", "storage", "type"), "hdd"),
    (("hosting", "storage", "replicas"), 2.0),
    (("hosting", "servers", 0, "count"), 3.0),
    (("hosting", "servers", 0, "utilization"), 0.55),
    (("hosting", "servers", 0, "power"), 120.0),
    (("hosting", "servers", 0, "lifetime"), 6 * units.SECONDS_PER_YEAR),
]


#: A self-hosted AI model on the hosting's own location and PUE (none of its own).
SELF_HOSTED_AI = as_record(
    yaml.safe_load(MINIMAL)
    | {
        "hosting": {"location": "FRA", "servers": [{"name": "a", "type": "physical"}]},
        "ai": {
            "requests_per_visit": 1,
            "output_tokens": 400,
            "model": {"size": "medium"},
            "self_hosted": {"gpus": 2},
        },
    }
)


def assert_same_arrays(actual, expected, name: str = "arrays") -> None:
    """Equal to the last bit, field by field (NaN equals NaN), blocks and dicts included."""
    if dataclasses.is_dataclass(expected):
        for f in dataclasses.fields(expected):
            field = f"{name}.{f.name}"
            assert_same_arrays(getattr(actual, f.name), getattr(expected, f.name), field)
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys(), name
        for key in expected:
            assert_same_arrays(actual[key], expected[key], f"{name}[{key}]")
    elif isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(actual, expected, err_msg=name)
    else:
        assert actual == expected, name


@pytest.mark.parametrize(("path", "value"), EDITS, ids=lambda x: str(x))
def test_an_answer_changed_in_the_arrays_is_exactly_the_changed_copy_s(path, value):
    """The arrays of a variant hold the very numbers of a changed copy of the questionnaire,
    every example at once, each taken twice (the second copy changed)."""
    qs = [q for q in EXAMPLE_QUESTIONNAIRES if q.hosting and q.hosting.storage]
    rows = [i for i in range(len(qs)) for _ in (0, 1)]
    edits = [(2 * i + 1, path, value) for i in range(len(qs))]
    actual = with_inputs(take(service_arrays(qs), rows), edits)
    copies = [c for q in qs for c in (q, modelpath.replace(q, path, value))]
    assert_same_arrays(actual, service_arrays(copies))


def test_taking_rows_again_keeps_each_service_s_server_groups():
    qs = EXAMPLE_QUESTIONNAIRES
    rows = [3, 0, 3, 1, 2, 2]
    assert_same_arrays(take(service_arrays(qs), rows), service_arrays([qs[i] for i in rows]))


def test_an_answer_read_twice_is_not_changed_in_place():
    """usage.location is the terminals' grid too; a self-hosted AI model takes the
    hosting's location and PUE: such variants are evaluated from a changed copy."""
    assert edits_in_place(Q, [("usage", "visit_duration"), ("hosting", "pue")])
    assert not edits_in_place(Q, [("usage", "location")])
    assert not edits_in_place(Q, [("usage", "users")])
    assert not edits_in_place(SELF_HOSTED_AI, [("hosting", "location")])
    assert not edits_in_place(SELF_HOSTED_AI, [("hosting", "pue")])


def test_a_variant_of_a_self_hosted_ai_service_moved_elsewhere_is_its_changed_copy():
    from acvnum.analysis.variants import Variant, totals

    edits = {("hosting", "location"): "SWE", ("hosting", "pue"): 1.2}
    variant = Variant(SELF_HOSTED_AI, edits=edits)
    copy = variant.copy()
    assert copy.hosting.location == "SWE" and SELF_HOSTED_AI.hosting.location == "FRA"
    # The GPUs follow the hosting to Sweden: the copy's figures, to the last bit.
    np.testing.assert_array_equal(totals([variant], TABLE), totals([Variant(copy)], TABLE))
    assert not np.array_equal(totals([variant], TABLE), totals([Variant(SELF_HOSTED_AI)], TABLE))


def test_a_path_the_engine_does_not_read_cannot_be_changed_in_the_arrays():
    with pytest.raises(ValueError, match="name is not an input"):
        with_inputs(service_arrays([Q]), [(0, ("name",), "other")])


# --- devices kept over the period (terminals.equipment) and standby ------------------------


def _amounts(terminals: dict) -> dict[tuple[str, str], float]:
    """{(item, phase): amount} of MINIMAL with a `terminals:` section."""
    q = as_record(yaml.safe_load(MINIMAL) | {"terminals": terminals})
    amounts = evaluate(service_arrays([q]), TABLE.central()).inventory[0, 0]
    return {(a.item, a.phase): float(amounts[i]) for i, a in enumerate(ACTIVITIES)}


def test_kept_devices_are_counted_whole_with_their_active_use_and_standby():
    kept = _amounts(
        {"equipment": {"speaker": 0.5, "game_console": 0.2}, "speaker": {"standby": "1 W"}}
    )
    # 1,000 users x 0.5 = 500 speakers over the 1-year period, 5 years of life: 100 made.
    # Each draws 3 h x 20 W + 21 h x 1 W (given) = 81 Wh a day:
    # 500 x 81 Wh x 365.25 days = 14,792.6 kWh.
    assert kept["speaker", "manufacturing"] == pytest.approx(100.0)
    assert kept["speaker", "use"] == pytest.approx(14_792.625)
    # 200 consoles, 6 years: 33.33 made; 1 h x 80 W + 23 h x 2 W (the EU networked-standby
    # limit, the default) = 126 Wh a day: 200 x 126 x 365.25 / 1000 = 9,204.3 kWh.
    assert kept["game_console", "manufacturing"] == pytest.approx(200 / 6)
    assert kept["game_console", "use"] == pytest.approx(9_204.3)
    assert kept["printer", "manufacturing"] == kept["printer", "use"] == 0
    # The visits' own laptop is untouched by the kept devices.
    assert kept["laptop", "use"] == pytest.approx(_amounts({})["laptop", "use"])


def test_a_kept_device_s_settings_replace_its_defaults():
    kept = _amounts(
        {
            "equipment": {"printer": 1},
            "printer": {"lifetime": "10 years", "hours_per_day": "2 h", "power": "30 W"},
        }
    )
    # 1,000 printers over 10 years: 100 made; 2 h x 30 W + 22 h x 2 W = 104 Wh a day:
    # 1,000 x 104 x 365.25 / 1000 = 37,986 kWh.
    assert kept["printer", "manufacturing"] == pytest.approx(100.0)
    assert kept["printer", "use"] == pytest.approx(37_986.0)


def test_a_visit_device_s_standby_is_carried_by_its_hours_of_use():
    # MINIMAL: 1,000 users x 10 visits x 6 min = 1,000 laptop hours at 26.5 W: 26.5 kWh.
    assert _amounts({})["laptop", "use"] == pytest.approx(26.5)
    # With 2 W of standby over the 21 h a day the owner does not use it, per 3 h of use:
    # 2 x 21 / 3 = 14 W more per hour of use, 1,000 h x 40.5 W = 40.5 kWh.
    standby = _amounts({"laptop": {"standby": "2 W"}})
    assert standby["laptop", "use"] == pytest.approx(40.5)
    assert standby["laptop", "manufacturing"] == pytest.approx(
        _amounts({})["laptop", "manufacturing"]
    )


@pytest.mark.parametrize(
    "names",
    [
        [None] * 5,
        ["cloud.aws.t3.micro"] * 4,
        ["no.such"] * 3,
        [""] * 2,
        ["cloud.aws.t3.micro"],
    ],
)
def test_one_name_for_every_group_gives_the_gathered_rows(names):
    """_per_group's path for one name shared by every group (no gather) gives the rows the
    gather gives (forced by one more, different name), to the bit."""
    from acvnum.calculation.inventory import _per_group
    from acvnum.reference.factors import FactorValues

    central = TABLE.central()
    sampled = FactorValues(TABLE, central.matrix * np.array([[1.0], [0.5], [2.0]]))
    for factors in (central, sampled):
        alike = _per_group(names, "{}.vcpu", factors, np.nan)
        gathered = _per_group([*names, "cloud.aws.t3.medium"], "{}.vcpu", factors, np.nan)[:-1]
        assert alike.shape == gathered.shape and alike.tobytes() == gathered.tobytes()
        alike[0] = -1  # its own array, not a view of a shared row
        assert not (_per_group(names, "{}.vcpu", factors, np.nan) == -1).any()


def test_each_group_takes_the_factor_its_name_names_or_the_default():
    from acvnum.calculation.inventory import _per_group

    central = TABLE.central()
    names = ["cloud.aws.t3.micro", None, "no.such", "", "cloud.aws.t3.medium", None]
    found = _per_group(names, "{}.vcpu", central, 7.0)[:, 0].tolist()
    micro, medium = central["cloud.aws.t3.micro.vcpu"][0], central["cloud.aws.t3.medium.vcpu"][0]
    assert found == [micro, 7.0, 7.0, 7.0, medium, 7.0]


def test_sums_per_service_are_np_add_at_s_to_the_bit():
    """Groups' rows added per service as np.add.at adds them (from 0, row after row): with
    few columns (a central pass) and with many (samples), a service without a row at 0."""
    from acvnum.calculation.inventory import _per_service

    rng = np.random.default_rng(3)
    service = np.array([0, 0, 2, 2, 2, 4, 0])
    for shape in ((7, 1, 3), (7, 50, 2), (0, 1, 3)):
        values = rng.normal(size=shape) * 10.0 ** rng.integers(-12, 12, size=shape)
        values[values.shape[0] // 2 :] *= -1e-300  # tiny and negative: rounding and signs
        expected = np.zeros((5, *shape[1:]))
        np.add.at(expected, service[: shape[0]], values)
        found = _per_service(values, service[: shape[0]], 5)
        assert found.shape == expected.shape and found.tobytes() == expected.tobytes()


def test_a_list_of_one_value_taken_again_is_the_rows_taken_one_by_one():
    from acvnum.calculation.inventory import rows_of

    index = np.array([2, 0, 2, 1, 1])
    for values in (["FRA"] * 3, [None] * 3, ["FRA", "DEU", "FRA"]):
        assert rows_of(values, index) == [values[k] for k in index.tolist()]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"archetype": "medium"},
        {"archetype": "large"},
        {"cpus": 2},
        {"cores": 16},
        {"memory": "64 GB"},
        {"ssd": "2 TB"},
        {"gpus": 0},
        {"archetype": "medium", "memory": "0 GB"},
    ],
)
def test_a_server_is_configured_when_its_archetype_or_a_part_is_given(extra):
    """is_configured (read without given_parts' dict) says what given_parts says."""
    from acvnum.calculation import servers

    data = yaml.safe_load(MINIMAL)
    data["hosting"] = {"servers": [{"name": "s", "count": 2, "type": "physical", **extra}]}
    server = as_record(data).hosting.servers[0]
    given = any(v is not None for v in servers.given_parts(server).values())
    expected = server.archetype not in (None, servers.DEFAULT_ARCHETYPE) or given
    assert (
        servers.is_configured(server)
        == expected
        == bool(set(extra) - {"archetype"} or (extra.get("archetype") not in (None, "medium")))
    )


# --- what most services leave out: no `terminals:` block, no ai/video/messages ------------


def test_each_service_s_rows_are_its_own_arrays_whatever_its_neighbours_leave_out():
    """The rows of a service with a `terminals:` section or an optional block, among
    services without (whose settings are filled, blocks repeated, without a look at each),
    are its arrays alone; so are the others'."""
    kept = as_record(
        yaml.safe_load(MINIMAL)
        | {"terminals": {"equipment": {"printer": 1}, "printer": {"power": "30 W"}}}
    )
    qs = [Q, kept, *EXAMPLE_QUESTIONNAIRES, Q, SELF_HOSTED_AI, Q]
    together = service_arrays(qs)
    for i, q in enumerate(qs):
        assert_same_arrays(take(together, [i]), service_arrays([q]), f"service {i}")


def test_services_without_a_block_get_the_rows_the_blocks_builder_gives_them():
    from acvnum.calculation.workloads import ai_arrays, message_arrays, video_arrays

    qs = [Q, modelpath.replace(Q, ("usage", "users"), 7.0), Q]
    arrays = service_arrays(qs)
    assert_same_arrays(arrays.ai, ai_arrays(qs), "ai")
    assert_same_arrays(arrays.video, video_arrays(qs), "video")
    assert_same_arrays(arrays.messages, message_arrays(qs), "messages")


def test_server_groups_arrays_are_each_group_s_fields_in_order():
    """Each group's fields, read once a group and set out in columns, are those a group read
    field by field gives: services without hosting or servers among them, named instances,
    archetypes, configurations, values left out (NaN)."""
    from acvnum.calculation import servers as server_config
    from acvnum.calculation.inventory import SERVER_ARCHETYPES

    no_servers = as_record(yaml.safe_load(MINIMAL) | {"hosting": {"location": "FRA"}})
    servers = [
        {"name": "a", "type": "physical", "archetype": "large", "cpus": 2, "memory": "64 GB"},
        {"name": "b", "type": "physical", "ssd": "2 TB", "gpus": 1, "power": "241.0 W"},
        {"name": "c", "type": "virtual", "vcpu": 4, "utilization": "30%", "lifetime": "5 years"},
    ]
    configured = as_record(yaml.safe_load(MINIMAL) | {"hosting": {"servers": servers}})
    qs = [Q, *EXAMPLE_QUESTIONNAIRES, no_servers, configured, SELF_HOSTED_AI, Q]
    rows = [(i, s) for i, q in enumerate(qs) if q.hosting for s in q.hosting.servers]
    groups = [s for _, s in rows]
    assert any(s.instance for s in groups) and any(s.archetype for s in groups)
    assert any(s.memory is not None for s in groups) and any(s.power is None for s in groups)

    def column(values):
        return np.array([np.nan if v is None else v for v in values], dtype=float)[:, None]

    def scaled(name, by):
        return column([None if getattr(s, name) is None else getattr(s, name) / by for s in groups])

    servers = service_arrays(qs).servers
    expected = dict(
        service=np.array([i for i, _ in rows], dtype=int),
        count=column([s.count for s in groups]),
        virtual=column([float(s.type == "virtual") for s in groups]),
        vcpu=column([s.vcpu for s in groups]),
        utilization=column([s.utilization for s in groups]),
        lifetime_years=scaled("lifetime", units.SECONDS_PER_YEAR),
        power=column([s.power for s in groups]),
        cloud=[s.cloud_prefix for s in groups],
        provider=[s.provider for s in groups],
        archetype=np.array(
            [
                [SERVER_ARCHETYPES.index(s.archetype or server_config.DEFAULT_ARCHETYPE)]
                for s in groups
            ],
            dtype=int,
        ),
        parts={
            "cpus": column([s.cpus for s in groups]),
            "cores": column([s.cores for s in groups]),
            "memory": scaled("memory", units.BYTES_PER_GB),
            "ssd": scaled("ssd", units.BYTES_PER_TB),
            "gpus": column([s.gpus for s in groups]),
        },
    )
    for name, value in expected.items():
        assert_same_arrays(getattr(servers, name), value, name)
        if isinstance(value, np.ndarray):
            assert getattr(servers, name).dtype == value.dtype, name
    assert service_arrays([Q, no_servers]).servers.count.shape == (0, 1)


def test_fields_no_server_group_gives_are_the_columns_a_read_group_by_group_gives():
    """A portfolio's servers name no instance, archetype, lifetime nor part: those columns,
    made without a look at each group, are NaN, None and the default archetype's index."""
    from acvnum.calculation import servers as server_config
    from acvnum.calculation.inventory import SERVER_ARCHETYPES

    plain = [
        {"name": "a", "type": "virtual", "vcpu": 2},
        {"name": "b", "type": "physical", "power": "200 W", "utilization": "40%"},
    ]
    q = as_record(yaml.safe_load(MINIMAL) | {"hosting": {"servers": plain}})
    servers = service_arrays([q, q]).servers
    nan = np.full((4, 1), np.nan)
    np.testing.assert_array_equal(servers.lifetime_years, nan)
    for part in servers.parts.values():
        np.testing.assert_array_equal(part, nan)
    assert servers.cloud == [None] * 4
    default = SERVER_ARCHETYPES.index(server_config.DEFAULT_ARCHETYPE)
    assert servers.archetype.dtype == int and servers.archetype.tolist() == [[default]] * 4
    np.testing.assert_array_equal(servers.vcpu, [[2.0], [np.nan], [2.0], [np.nan]])


# --- parts no service has: their columns left unmade ----------------------------------------

#: Each optional part's columns among ACTIVITIES.
PARTS = {
    "equipment": [i for i, a in enumerate(ACTIVITIES) if a.tier == "terminals" and a.optional],
    "ai": [i for i, a in enumerate(ACTIVITIES) if a.item in ("ai", "ai_gpus", "ai_servers")],
    "video": [i for i, a in enumerate(ACTIVITIES) if a.item == "video"],
    "messages": [i for i, a in enumerate(ACTIVITIES) if a.item == "messages"],
}


def worked_out(s, f) -> dict[str, list[np.ndarray]]:
    """Each part's columns by the general formulas, whether a service has it or not."""
    pue = inventory_module._default(s.pue, f["datacenter.default.pue"])
    ai_kwh, ai_hours, ai_servers = ai_inventory(
        s.ai, f, s.period_years, f["datacenter.default.pue"]
    )
    video_gb, video_kwh, video_servers = video_inventory(s.video, f)
    message_gb, message_kwh, message_tb, message_lives = message_inventory(
        s.messages, f, s.period_years
    )
    power = message_tb * f["storage.ssd.power"] * s.period_years * inventory_module.HOURS_PER_YEAR
    network_kwh = inventory_module.network_per_gb(s, f)[..., [2, 3, 5]].sum(axis=-1)
    return {
        "equipment": list(inventory_module._kept(s, f)),
        "ai": [ai_kwh, gpu_lifetimes(s.ai, ai_hours, f), ai_servers],
        "video": [video_gb, video_gb * network_kwh, video_kwh, video_servers],
        "messages": [
            message_gb,
            message_gb * network_kwh,
            (message_kwh + power / 1000) * pue,
            message_lives,
        ],
    }


@pytest.mark.parametrize("q", EXAMPLE_QUESTIONNAIRES, ids=lambda q: q.name)
def test_a_part_no_service_has_is_left_out_and_is_zero_when_worked_out(q):
    """A part (devices kept, an AI block, video, messages) that no service has is left out
    of the columns (None); worked out by the general formulas its columns are 0.0, not
    -0.0, in every row, under one factor sample and three (the low and high ends too). A
    part a service has is worked out."""
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    arrays = service_arrays([q, Q])
    has = {
        "equipment": bool(arrays.equipment.any()),
        **{name: getattr(q, name) is not None for name in ("ai", "video", "messages")},
    }
    for factors in (TABLE.central(), spread):
        columns = present_columns(arrays, factors)
        for name, values in worked_out(arrays, factors).items():
            assert all((columns[i] is None) != has[name] for i in PARTS[name]), name
            if not has[name]:
                for value in values:
                    assert (value == 0).all() and not np.signbit(value).any(), name
        full = inventory_module.inventory_columns(arrays, factors)
        assert all(c is not None for c in full)
        assert [k for k, c in enumerate(columns) if c is None] == sorted(
            i for name in PARTS if not has[name] for i in PARTS[name]
        )


@pytest.mark.parametrize("q", EXAMPLE_QUESTIONNAIRES, ids=lambda q: q.name)
def test_whether_every_server_is_medium_is_each_group_s_answer(q):
    """`ServerArrays.all_medium` (worked out once an arrays) says what asking each group
    says: no group configured (another archetype, a part given)."""
    data = yaml.safe_load(MINIMAL)
    data["hosting"] = {"servers": [{"name": "db", "count": 1, "type": "physical"}]}
    medium = as_record(data)
    data["hosting"]["servers"][0]["memory"] = "64 GB"
    configured = as_record(data)
    for questionnaires in ([q], [q, Q], [q, medium], [q, configured], [configured]):
        servers = service_arrays(questionnaires).servers
        assert servers.all_medium == (not inventory_module._configured(servers).any())
        assert servers.named == any(name is not None for name in servers.cloud)
        assert servers.all_medium != (configured in questionnaires)


def test_a_default_is_the_factor_itself_where_no_row_gives_the_input():
    """`_default` is np.where's pick, broadcast alike: the default itself where no row gives
    the input, the input itself where every row does, the pick where some do."""
    default = np.array([[2.0], [3.0]])  # (kinds, 1, S) as the devices' factors
    default = default[:, np.newaxis, :]
    for given in (
        np.full((2, 4, 1), np.nan),
        np.arange(8.0).reshape(2, 4, 1),
        np.array([[[np.nan], [1.0], [np.nan], [-0.0]], [[5.0], [np.nan], [7.0], [8.0]]]),
    ):
        made = inventory_module._default(given, default)
        expected = np.where(np.isnan(given), default, given)
        assert np.broadcast_to(made, expected.shape).tobytes() == expected.tobytes()
        if np.isnan(given).all():
            assert made is default
        elif not np.isnan(given).any():
            assert made is given


def test_regions_are_codes_into_their_names_and_read_as_a_list_of_them():
    from acvnum.calculation.inventory import Regions, rows_of

    texts = ["FRA", "DEU", "FRA", "USA", "DEU"]
    regions = Regions.of(texts)
    assert regions.names == ("FRA", "DEU", "USA")
    assert regions.codes.tolist() == [0, 1, 0, 2, 1]
    assert list(regions) == texts and regions == texts and regions[3] == "USA"
    assert regions[1:3] == texts[1:3] and len(regions) == 5
    taken = rows_of(regions, np.array([3, 3, 0]))
    assert isinstance(taken, Regions) and taken.names == regions.names
    assert taken == ["USA", "USA", "FRA"] and taken.used().tolist() == [True, False, True]
    assert taken != texts and Regions.of(["FRA"] * 3).codes.tolist() == [0, 0, 0]
    with pytest.raises(ValueError):
        taken.codes[0] = 1  # read-only, as the arrays are


def test_a_changed_host_region_is_written_into_the_regions():
    from acvnum.calculation.inventory import Regions, with_inputs

    data = [yaml.safe_load(MINIMAL) for _ in range(3)]
    arrays = service_arrays([as_record(d) for d in data])
    changed = with_inputs(arrays, [(1, ("hosting", "location"), "SWE")])
    assert isinstance(changed.host_region, Regions)
    assert list(changed.host_region) == [arrays.host_region[0], "SWE", arrays.host_region[2]]


def test_regions_not_given_are_the_default_s():
    """`_regions` reads a location not given (None) as the default region, whether or not
    another service names the default, as `location or DEFAULT_REGION` does."""
    from acvnum.calculation.inventory import _regions
    from acvnum.reference.defaults import DEFAULT_REGION

    for located in (
        [None, "DEU", None],
        [DEFAULT_REGION, None, "DEU"],
        ["DEU", "USA"],
        [None],
        [],
    ):
        regions = _regions(located)
        assert list(regions) == [r or DEFAULT_REGION for r in located]
        assert len(set(regions.names)) == len(regions.names)  # one code a region


def test_services_with_and_without_hosting_read_as_each_alone():
    """service_arrays reads a chunk's hosting answers a field at a time, a service without
    hosting as none given: each row is the row of the service read alone."""
    bare = yaml.safe_load(MINIMAL)  # no hosting
    hosting = {
        "location": "DEU",
        "pue": 1.4,
        "environments": 2,
        "infrastructure": "per_kw",
        "servers": [{"name": "web", "type": "physical", "count": 2}],
        "storage": {"volume": "2 TB", "type": "hdd", "replicas": 3},
    }
    data = {**bare, "hosting": hosting, "usage": {**bare["usage"], "location": None}}
    data["usage"].pop("location")
    chunk = [as_record(d) for d in (data, bare, data)]
    assert chunk[0].hosting is not None and chunk[1].hosting is None
    together = service_arrays(chunk)
    for i, q in enumerate(chunk):
        alone = service_arrays([q])
        for field in dataclasses.fields(alone):
            a, b = getattr(alone, field.name), getattr(together, field.name)
            if isinstance(a, np.ndarray):
                assert a.tobytes() == b[i : i + 1].tobytes(), field.name
            elif field.name.endswith("region"):
                assert list(a) == [b[i]], field.name


def test_an_absent_block_is_its_first_row_spread_not_gathered():
    """Without an AI, video or messages block in any service, each block's arrays are the
    first service's block spread over every row: read-only views holding what a gather of
    that row holds."""
    from acvnum.calculation.inventory import rows_of
    from acvnum.calculation.workloads import ai_arrays, message_arrays, video_arrays

    chunk = [Q, Q, Q]
    arrays = service_arrays(chunk)
    for name, build in (("ai", ai_arrays), ("video", video_arrays), ("messages", message_arrays)):
        spread, gathered = getattr(arrays, name), rows_of(build(chunk[:1]), np.zeros(3, int))
        for field in dataclasses.fields(spread):
            a, b = getattr(spread, field.name), getattr(gathered, field.name)
            if isinstance(a, np.ndarray):
                assert a.tobytes() == b.tobytes() and not a.flags.writeable, field.name
            elif isinstance(a, list):
                assert a == b, field.name


def test_visits_are_each_questionnaire_s_to_the_bit():
    """service_arrays works the chunk's visits out at once: each the questionnaire's own
    `visits` (a rate over the period, or a count), to the bit."""
    from acvnum.questionnaire.service import load_files
    from acvnum.reference.factors import load_factors

    files = sorted(EXAMPLES.glob("*.yaml"))
    services = [s.questionnaire for s in load_files(files, load_factors())]
    counted = yaml.safe_load(MINIMAL)  # a count over the period, and a period of its own
    counted.update(period="90 days")
    chunk = [*services, Q, as_record(counted)]
    visits = service_arrays(chunk).visits
    assert visits.shape == (len(chunk), 1)
    assert visits[:, 0].tobytes() == np.array([q.visits for q in chunk]).tobytes()


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6.0).reshape(3, 1, 2),  # contiguous numbers: the ndarray constructor's view
        np.broadcast_to(np.array([[2.5]]), (4, 1)),  # an absent block's, spread already
        np.arange(12.0).reshape(3, 4)[:, ::2],  # a strided row: broadcast_to's view
        np.array([["a"], ["b"]], dtype=object),  # objects: broadcast_to's view
    ],
)
def test_a_spread_row_is_broadcast_to_s_read_only_view_of_the_first(value):
    """spread_rows' arrays are np.broadcast_to's: the first row at k rows, the same bytes,
    stride 0 down the rows, read-only (even from a writeable array), whichever way made."""
    spread = inventory_module.spread_rows(value, 5)
    expected = np.broadcast_to(value[:1], (5, *value.shape[1:]))
    assert spread.shape == expected.shape and spread.dtype == value.dtype
    assert spread.strides[0] == 0 and not spread.flags.writeable
    assert spread.tolist() == expected.tolist()
    assert np.shares_memory(spread, value)
