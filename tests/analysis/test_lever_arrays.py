"""Levers as array edits: the array path proposes exactly what the per-service path does
(every lever, rank, change, saving and combination, to the last bit), for any services
hypothesis can write without an optional block, and it takes two engine passes in all."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import acvnum.analysis.levers as levers_module
from acvnum.analysis import lever_arrays
from acvnum.analysis.levers import Context, Proposals, catalogue, propose
from acvnum.analysis.variants import boundary_weights
from acvnum.calculation import servers as server_config
from acvnum.calculation.inventory import service_arrays, take
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.questionnaire.rules import DEVICE_TYPES
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import load_factors

TABLE = load_factors()
LIMITS = boundaries(TABLE)
CONTEXT = Context(TABLE, LIMITS)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

percent = st.integers(min_value=0, max_value=100)
regions = st.sampled_from(["FRA", "DEU", "USA", "SWE", "CHN", "WLD", "EU27", None])


@st.composite
def servers(draw: st.DrawFn, index: int) -> dict:
    group: dict = {"name": f"s{index}", "count": draw(st.integers(1, 12))}
    if draw(st.booleans()):
        group |= {"type": "virtual", "vcpu": draw(st.sampled_from([1, 2, 4, 8, 16]))}
    else:
        group["type"] = "physical"
        if draw(st.booleans()):
            group["power"] = f"{draw(st.integers(20, 900))} W"
        if draw(st.booleans()):  # a configured server draws its components' watts
            group["archetype"] = draw(st.sampled_from(["small", "medium", "large"]))
    if draw(st.booleans()):
        group["utilization"] = f"{draw(percent)}%"
    if draw(st.booleans()):
        group["lifetime"] = f"{draw(st.integers(1, 9))} years"
    return group


@st.composite
def questionnaires(draw: st.DrawFn, index: int) -> Questionnaire:
    data = copy.deepcopy(MINIMAL_DATA)
    data["name"] = f"Service {index}"
    mobile = draw(percent)
    devices = draw(st.sampled_from([{"laptop": "100%"}, {"smartphone": "60%", "tablet": "40%"}]))
    data["usage"] |= {
        "visit_duration": f"{draw(st.integers(0, 90))} min",
        "data_per_visit": f"{draw(st.integers(0, 40))} MB",
        "network": {"mobile": f"{mobile}%", "fixed": f"{100 - mobile}%"},
        "devices": devices,
    }
    if draw(st.booleans()):
        hosting: dict = {}
        if (location := draw(regions)) is not None:
            hosting["location"] = location
        if draw(st.booleans()):
            hosting["pue"] = draw(st.sampled_from([1.05, 1.2, 1.5, 2.1]))
        if draw(st.booleans()):
            hosting["environments"] = draw(st.integers(1, 4))
        hosting["servers"] = [draw(servers(k)) for k in range(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            storage = {"volume": f"{draw(st.integers(0, 900))} GB"}
            storage["type"] = draw(st.sampled_from(["ssd", "hdd"]))
            if draw(st.booleans()):
                storage["replicas"] = draw(st.integers(1, 4))
            hosting["storage"] = storage
        data["hosting"] = hosting
    return as_record(data)


portfolios = st.integers(1, 6).flatmap(
    lambda n: st.tuples(*(questionnaires(i) for i in range(n))).map(list)
)


def each(qs: list[Questionnaire], count: int) -> list[Proposals]:
    """The per-service path, as reference."""
    return levers_module._propose_each(qs, CONTEXT, boundary_weights(LIMITS), count)


def shown(proposals: list[Proposals]) -> list:
    """Everything a report reads of the proposals, the changes' subjects included."""
    return [
        (
            [(r.to_dict(), [c.subject for c in r.changes]) for r in p.levers],
            p.combined and (p.combined.to_dict(), [c.subject for c in p.combined.changes]),
        )
        for p in proposals
    ]


@PROPERTY
@given(portfolios, st.sampled_from([1, 3, 20]))
def test_the_array_path_proposes_what_the_per_service_path_does(qs, count):
    assert all(lever_arrays.plain(q) for q in qs)
    assert shown(propose(qs, TABLE, LIMITS, count)) == shown(each(qs, count))


def test_the_examples_get_the_same_proposals_in_a_portfolio_as_alone():
    """A service with an optional block takes the per-service path, the others the array
    path; each gets what it gets alone, to the last bit (a saving is a row sum: it does not
    depend on where its row sits in a batch)."""
    qs = [
        as_record(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(EXAMPLES.glob("*.yaml"))
    ]
    assert any(lever_arrays.plain(q) for q in qs) and not all(lever_arrays.plain(q) for q in qs)
    together = shown(propose(qs, TABLE, LIMITS, 5))
    alone = [shown(propose([q], TABLE, LIMITS, 5))[0] for q in qs]
    assert together == alone


def test_every_lever_of_the_catalogue_has_an_array_twin_or_changes_a_block_only():
    arrayed = levers_module._array_levers(catalogue())
    assert arrayed is not None
    blocks = {lever.id for lever in catalogue() if lever_arrays.block_of(lever.change)}
    assert {lever.id for lever, _ in arrayed} | blocks == {lever.id for lever in catalogue()}
    assert {"ai_smaller_model", "video_lower_quality", "message_retention"} <= blocks


def test_every_lever_kind_has_its_array_twin_or_changes_a_block_only():
    """The catalogue's levers are checked above; a kind registered in lever_kinds alone
    would send every service the per-service way the day a lever uses it."""
    from acvnum.analysis import lever_kinds

    block_only = set(lever_arrays._BLOCK_KINDS)
    assert set(lever_kinds.KINDS) - block_only == set(lever_arrays.KINDS)
    assert block_only <= set(lever_kinds.KINDS)


def test_a_lever_without_an_array_twin_sends_every_service_the_per_service_way(monkeypatch):
    qs = [as_record(MINIMAL_DATA)]
    expected = shown(propose(qs, TABLE, LIMITS, 5))
    monkeypatch.setattr(lever_arrays, "KINDS", {})
    assert levers_module._array_levers(catalogue()) is None
    assert shown(propose(qs, TABLE, LIMITS, 5)) == expected


def test_a_portfolio_without_blocks_takes_two_engine_passes(engine_calls):
    calls = engine_calls
    qs = [as_record(MINIMAL_DATA)] * 50
    propose(qs, TABLE, LIMITS, 5)
    # the services and their 3 levers that change something (50 + 3 x 50), then the
    # prefixes of their rankings (top 2, top 3: 2 x 50; top 1 is the best lever alone,
    # evaluated in the first pass)
    assert calls == [200, 100]


def _record_columns(qs: list[Questionnaire]) -> dict[str, list]:
    """The answers a frame holds, read from the records one by one (None: not given)."""
    hosting = [q.hosting for q in qs]
    storage = [h.storage if h else None for h in hosting]
    groups = [g for h in hosting if h for g in h.servers]
    return {
        "data_per_visit": [q.usage.data_per_visit for q in qs],
        "visit_duration": [q.usage.visit_duration for q in qs],
        "mobile": [q.usage.network.mobile for q in qs],
        "fixed": [q.usage.network.fixed for q in qs],
        "hosted": [h is not None for h in hosting],
        "region": [(h.location if h else None) or "WLD" for h in hosting],
        "pue": [h.pue if h else None for h in hosting],
        "environments": [h.environments if h else 1.0 for h in hosting],
        "stored": [s is not None for s in storage],
        "volume": [s.volume if s else 0.0 for s in storage],
        "hdd": [s is not None and s.type == "hdd" for s in storage],
        "replicas": [s.replicas if s else None for s in storage],
        "count": [g.count for g in groups],
        "virtual": [g.type == "virtual" for g in groups],
        "utilization": [g.utilization for g in groups],
        "power": [g.power for g in groups],
        "lifetime": [g.lifetime for g in groups],
        "configured": [server_config.is_configured(g) for g in groups],
    }


@PROPERTY
@given(portfolios)
def test_a_frame_holds_the_records_answers_read_from_the_engine_arrays(qs):
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    expected = _record_columns(qs)
    got = {**frame.services, **frame.servers}
    for name, values in expected.items():
        if name == "region":
            assert [frame.layout.regions[k] for k in got[name]] == values
        elif name != "configured":
            kind = bool if name in ("hosted", "stored", "hdd", "virtual") else float
            column = np.array([np.nan if v is None else v for v in values], dtype=kind)
            assert got[name].dtype == column.dtype, name
            assert np.array_equal(got[name], column, equal_nan=kind is float), name
    assert got["devices"].tolist() == [
        [getattr(q.usage.devices, d) for d in DEVICE_TYPES] for q in qs
    ]
    assert frame.layout.names == tuple(g.name for q in qs if q.hosting for g in q.hosting.servers)
    # A configured group has its configuration's watts, the others the table's defaults.
    groups = [g for q in qs if q.hosting for g in q.hosting.servers]
    configured = [k for k, c in enumerate(expected["configured"]) if c]
    idle, peak = server_config.modelled_watts(CONTEXT.central, [groups[k] for k in configured])
    for name, own, default in (("idle", idle, "power_idle"), ("peak", peak, "power_max")):
        watts = np.full(len(groups), CONTEXT.default(f"server.physical.{default}"))
        watts[configured] = own[:, 0]
        assert got[name].tolist() == watts.tolist()


def _fields_equal(a: object, b: object) -> bool:
    """Arrays equal in shape, type and values (NaN equal to NaN), and so on down."""
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_fields_equal(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a):
        return all(
            _fields_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    return type(a) is type(b) and a == b


def test_arrays_at_take_each_service_from_its_frame_with_its_server_groups():
    data = copy.deepcopy(MINIMAL_DATA)
    data["hosting"] = {
        "location": "SWE",
        "servers": [
            {"name": "a", "count": 2, "type": "physical"},
            {"name": "b", "count": 3, "type": "physical"},
        ],
    }
    qs = [as_record(MINIMAL_DATA), as_record(data)]
    arrays = service_arrays(qs)
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    doubled = frame.with_columns(
        {"pue": np.array([1.1, 1.3])}, servers={"count": frame.servers["count"] * 2}
    )
    which, rows = np.array([1, 0, 0]), np.array([1, 0, 1])
    out = lever_arrays.arrays_at([frame, doubled], which, rows, arrays)
    # service 1 doubled (4, 6), service 0 (no servers), service 1 as it is (2, 3)
    assert out.servers.count[:, 0].tolist() == [4.0, 6.0, 2.0, 3.0]
    assert out.servers.service.tolist() == [0, 0, 2, 2]
    assert out.pue[:, 0].tolist()[0] == 1.3 and np.isnan(out.pue[1:, 0]).all()
    # Everything else is the rows taken as they are, the absent blocks' too.
    same = dataclasses.replace(out, pue=arrays.pue[rows])
    same = dataclasses.replace(
        same, servers=dataclasses.replace(same.servers, count=arrays.servers.count[[0, 1, 0, 1]])
    )
    assert _fields_equal(same, take(arrays, rows))
    assert not _fields_equal(out, take(arrays, rows))


def test_a_new_change_is_the_change_its_constructor_makes():
    """_new_change makes Change and Value field by field: the same values, fields and text."""
    from acvnum.analysis.variants import Change
    from acvnum.i18n import Value

    for before, after, unit, factor in [(2.0, 1.2, "", False), (5.0, 7.5, "kg", True)]:
        made = lever_arrays._new_change("hosting.pue", before, after, unit, factor, "web")
        expected = Change(
            "hosting.pue",
            Value(before, unit, factor=factor),
            Value(after, unit, factor=factor),
            "web",
        )
        assert made == expected and made.subject == "web"
        assert vars(made.before) == vars(expected.before) and str(made) == str(expected)


def _objects_encoded(step: lever_arrays.Step, rows: list[int]) -> tuple[list[bytes], list[bytes]]:
    """What Step.written should give: each service's Change objects encoded by orjson."""
    import orjson

    changes = [step.changes(i) for i in rows]
    return (
        [b"".join(b"," + orjson.dumps(c.to_dict()) for c in cs) for cs in changes],
        [b"".join(b"; " + orjson.dumps(str(c))[1:-1] for c in cs) for cs in changes],
    )


def _laid_out(step: lever_arrays.Step, rows: list[int]) -> tuple[list[bytes], list[bytes]]:
    """Step.written's changes of `rows` laid out row by row, by their order (each order
    given once a row), as the objects' JSON and lines are joined."""
    paths, values = lever_arrays.Paths(), lever_arrays.Values()
    written = step.written(np.array(rows, dtype=int), paths, values)
    texts = values.texts()
    found = sorted(
        zip(
            written.row.tolist(),
            written.order.tolist(),
            written.path.tolist(),
            texts.take(written.before).tolist(),
            texts.take(written.after).tolist(),
            strict=True,
        )
    )
    assert len({(row, order) for row, order, *_ in found}) == len(found)
    changes, lines = [b""] * len(rows), [b""] * len(rows)
    for row, _, path, before, after in found:
        text = paths.escaped(path)
        changes[row] += b',{"path":"' + text + b'","before":"' + before
        changes[row] += b'","after":"' + after + b'"}'
        lines[row] += b"; " + text + b": " + before + " → ".encode() + after
    return changes, lines


@PROPERTY
@given(portfolios, st.randoms(use_true_random=False))
def test_a_step_s_changes_written_for_the_json_are_its_change_objects_encoded(qs, random):
    """Step.written (the folder JSON's levers, no Change made) writes every lever's changes
    of every service as its Change objects encoded, to the byte, in their order: defaults
    and inputs, server paths, factors, regions; for any rows (repeated, in any order), and
    for a lever applied after another one (as the combinations apply them)."""
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    every = list(range(len(qs)))
    some = random.choices(every, k=random.randint(1, 2 * len(qs)))
    levers = levers_module._array_levers(catalogue())
    for lever, kind in levers:
        step = kind(frame, lever.change, CONTEXT)
        for rows in (every, some):
            assert _laid_out(step, rows) == _objects_encoded(step, rows)
        other, other_kind = random.choice(levers)
        after = kind(other_kind(frame, other.change, CONTEXT).frame, lever.change, CONTEXT)
        assert _laid_out(after, every) == _objects_encoded(after, every)


@PROPERTY
@given(portfolios, st.randoms(use_true_random=False))
def test_a_step_is_the_same_as_its_lever_alone_where_its_changes_are(qs, random):
    """Step.same over some rows, or none (the services a combination's step changes): True
    where the lever applied after another shows the changes it shows alone, False where they
    differ (the answer of comparing the Change objects: no generated value is NaN or -0)."""
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    levers = levers_module._array_levers(catalogue())
    rows = sorted(random.sample(range(len(qs)), random.randint(0, len(qs))))  # none: none
    for lever, kind in levers:
        alone = kind(frame, lever.change, CONTEXT)
        other, other_kind = random.choice(levers)
        after = kind(other_kind(frame, other.change, CONTEXT).frame, lever.change, CONTEXT)
        same = after.same(alone, np.array(rows, dtype=int))
        assert same.tolist() == [after.changes(i) == alone.changes(i) for i in rows]


def _written(values: np.ndarray | list, rows: np.ndarray, unit: str, factor: bool) -> list:
    """`values` at `rows` as lever_arrays.Values writes them (added with others before and
    after: numbers, not places, find them)."""
    found = lever_arrays.Values()
    found.add(np.array([7.5]), np.array([0]), unit, factor)
    numbers = found.add(values, rows, unit, factor)
    found.add(["x"], np.array([0]), unit, factor)
    return found.texts().take(numbers).tolist()


def test_values_written_once_are_told_apart_by_bits_and_type(monkeypatch):
    """The memo of written values never gives one value's text to another equal to it:
    0.0 and -0.0, 1, 1.0 and True, NaN, a float32 array, and the same values again."""
    import orjson

    from acvnum.i18n import english_text

    monkeypatch.setattr(lever_arrays, "_WRITTEN", {})
    floats = np.array([0.0, -0.0, 1.0, np.nan, 2.5e6, -0.0, 0.0, np.nan, 1.0])
    others = [1, True, 1.0, 0, False, -0.0, 0.0, "ssd", True]
    for values in (floats, floats.astype(np.float32), others, np.array([1, 0, -3, 1])):
        for unit, factor in (("", False), ("B", False), ("%", False), ("kg", True), ("s", False)):
            rows = np.arange(len(values))[::-1].repeat(2)
            amounts = [values[k] for k in rows.tolist()]
            if isinstance(values, np.ndarray):
                amounts = values.astype(float if values.dtype.kind == "f" else int)[rows].tolist()
            expected = [orjson.dumps(english_text(a, unit, factor=factor))[1:-1] for a in amounts]
            assert _written(values, rows, unit, factor) == expected
    # Every value found again (no NaN, which is never found again): 0.0 and -0.0 apart.
    for unit in ("B", "s"):
        numbers = np.array([-0.0, 0.0, 2.5e6, -0.0, 1.0])
        rows = np.arange(len(numbers))
        expected = [orjson.dumps(english_text(a, unit))[1:-1] for a in numbers.tolist()]
        assert expected[0] != expected[1]
        first = _written(numbers, rows, unit, False)
        size = len(lever_arrays._WRITTEN[unit, False])
        assert first == expected == _written(numbers, rows, unit, False)
        assert len(lever_arrays._WRITTEN[unit, False]) == size  # all found: none written again


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([999.5, 0.0, -0.0]),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([("B", False), ("%", False), ("", False), ("kg", True), ("s", False)]),
)
def test_new_floats_written_by_their_three_digits_are_their_english_text(values, unit_factor):
    """A float is written from the text of its 3 significant digits when one was written
    before (`_three_digits`' code): the text english_text gives it, neighbours told apart
    where their digits differ, durations (whose words depend on more) never shared."""
    import orjson

    from acvnum.i18n import english_text

    unit, factor = unit_factor
    nearby = [v * (1 + 1e-9) for v in values]  # mostly the same 3 digits, other bits
    column = np.array(values + nearby + values, dtype=float)
    rows = np.arange(len(column))
    amounts = column.tolist()
    expected = [orjson.dumps(english_text(a, unit, factor=factor))[1:-1] for a in amounts]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lever_arrays, "_WRITTEN", {})
        assert _written(column, rows, unit, factor) == expected
        codes = any(isinstance(k, int) for k in lever_arrays._WRITTEN[unit, factor])
        assert codes == (unit != "s")


def _digits(amount: float) -> str:
    """'%.3g' of a float, its sign apart from a NaN's ('%.3g' writes every NaN 'nan')."""
    return "%.3g" % amount  # noqa: UP031


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
        | st.builds(
            lambda digits, exponent, sign: sign * digits * 10.0**exponent,
            st.integers(1000, 9999),  # 4 digits: half of them end in 5, ties to be called
            st.integers(-320, 300),
            st.sampled_from([1, -1]),
        )
        | st.builds(lambda n, k: n / 2.0**k, st.integers(1, 10**6), st.integers(0, 30)),
        min_size=1,
        max_size=40,
    )
)
def test_three_digits_codes_are_the_digits_percent_3g_rounds_to(values):
    """Two floats have the same code exactly when '%.3g' writes them alike, ties (a fourth
    digit 5 exactly, in binary fractions) and their neighbours, powers of ten, 999.5,
    subnormals, zeros, infinities and NaN included; a finite non-zero float's code is
    '%.2e''s (`_digits_code`)."""
    amounts = np.array(values, dtype=float)
    codes = lever_arrays._three_digits(amounts).tolist()
    texts = [_digits(a) for a in amounts.tolist()]
    texts_of: dict[int, set[str]] = {}
    for code, text in zip(codes, texts, strict=True):
        texts_of.setdefault(code, set()).add(text)
    assert all(len(found) == 1 for found in texts_of.values())  # a code, one text
    assert len(set(texts)) == len(texts_of)  # a text, one code
    for amount, code in zip(amounts.tolist(), codes, strict=True):
        if amount != 0 and np.isfinite(amount):
            assert code == lever_arrays._digits_code(amount)


def test_three_digits_calls_near_ties_by_their_text():
    """Floats whose fourth digit is a 5 (the float a hair above or below it) are rounded as
    '%.3g' rounds them, not as the floating-point product would."""
    ties = np.array([0.1235, 1.125, 12.25, 2.675, 1.0005e-5, 999.5, 99.95, 34510000.0])
    ties = np.concatenate([ties, np.nextafter(ties, 0), np.nextafter(ties, np.inf), -ties])
    codes = lever_arrays._three_digits(ties).tolist()
    assert codes == [lever_arrays._digits_code(a) for a in ties.tolist()]


@PROPERTY
@given(portfolios, st.randoms(use_true_random=False))
def test_a_merged_frame_takes_each_column_from_the_step_where_chosen(qs, random):
    """merged keeps a column the step shares as it is, and takes every other one row by
    row (a service's server groups with it): the np.where of each column, to the bit."""
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    for lever, kind in levers_module._array_levers(catalogue()):
        step = kind(frame, lever.change, CONTEXT)
        where = np.array([random.random() < 0.5 for _ in qs])
        out = lever_arrays.merged(frame, step.frame, where)
        for name in {*frame.services, *step.frame.services}:
            a, b = frame.column(name), step.frame.column(name)
            expected = np.where(where.reshape(-1, *([1] * (a.ndim - 1))), b, a)
            assert out.column(name).tobytes() == expected.tobytes()
        groups = where[frame.layout.owner]
        for name, column in frame.servers.items():
            expected = np.where(groups, step.frame.servers[name], column)
            assert out.servers[name].tobytes() == expected.tobytes()


def _lever(lever_id: str) -> tuple:
    lever = next(lever for lever in catalogue() if lever.id == lever_id)
    return lever, lever_arrays.KINDS[lever.change["kind"]]


def test_a_lever_applied_alone_says_the_columns_it_read_and_wrote():
    qs = [as_record(MINIMAL_DATA)]
    frame = lever_arrays.frame_of(qs, service_arrays(qs), CONTEXT)
    lever, kind = _lever("better_pue")
    step, uses = lever_arrays.applied(kind, frame, lever.change, CONTEXT)
    assert (uses.services, uses.written_services) == ({"pue", "hosted"}, {"pue"})
    assert uses.servers == uses.written_servers == set()
    assert type(step.frame) is lever_arrays.Frame  # no longer noting what is read
    lever, kind = _lever("right_sizing")
    _, uses = lever_arrays.applied(kind, frame, lever.change, CONTEXT)
    assert uses.services == set()
    assert uses.servers == {"count", "utilization", "power", "idle", "peak"}
    assert uses.written_servers == {"count", "utilization", "power"}


def test_a_combination_applies_a_lever_again_only_where_a_step_before_changed_its_columns(
    monkeypatch,
):
    """Minimal data: older devices (device factors), shorter journeys (duration and data per
    visit), lighter pages (data per visit): only lighter pages meets a column changed."""
    calls = []

    def counted(kind):
        def apply(frame, change, context):
            calls.append(change.get("paths") or change["kind"])
            return kind(frame, change, context)

        return apply

    monkeypatch.setattr(
        lever_arrays, "KINDS", {name: counted(k) for name, k in lever_arrays.KINDS.items()}
    )
    qs = [as_record(MINIMAL_DATA)] * 3
    found = propose(qs, TABLE, LIMITS, 5)
    alone = len(levers_module._array_levers(catalogue()))
    assert calls[alone:] == [["usage.data_per_visit"]]
    assert found[0].combined.levers == ("older_devices", "shorter_journeys", "lighter_pages")
    assert shown(found) == shown(each(qs, 5))
