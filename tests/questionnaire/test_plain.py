"""The plain reader against pydantic: on every example, on the questionnaires the suite
builds, and on generated documents, valid and broken, it declines or builds exactly the
records the models do. Accepting what the models refuse fails the test."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_DATA, record_shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acvnum.errors import InputError, UnitError
from acvnum.questionnaire import models, plain, records, rules, units
from acvnum.questionnaire.models import validate
from acvnum.questionnaire.service import _normalise
from acvnum.questionnaire.yaml_reader import Document, load_yaml

INPUTS = Path(__file__).resolve().parent.parent / "inputs"


def _by_models(data: Any) -> records.Questionnaire | None:
    try:
        return validate(Document("q.yaml", copy.deepcopy(data)))
    except InputError:
        return None


def assert_plain_agrees(data: Any) -> bool:
    """The plain reader declines, or gives the models' records; True when it read `data`."""
    document = Document("q.yaml", copy.deepcopy(data))
    _normalise(document)  # as service_from_document does before both readers
    kept = copy.deepcopy(document.data)
    read = plain.read(document.data)
    assert _shape_of_data(document.data) == _shape_of_data(kept), "the reader changed the data"
    if read is None:
        return False
    expected = _by_models(document.data)
    assert expected is not None, f"the plain reader took what the models refuse: {data!r}"
    assert record_shape(read) == record_shape(expected)
    return True


def _shape_of_data(data: Any) -> str:
    return repr(data)


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.name)
def test_every_example_is_read_as_the_models_read_it(path):
    assert_plain_agrees(load_yaml(path).data)


def test_the_common_examples_are_read_without_the_models():
    """The reader is worth having: it takes every example (none has a range)."""
    taken = {p.name for p in _examples() if assert_plain_agrees(load_yaml(p).data)}
    assert taken == {p.name for p in _examples()}


@pytest.mark.parametrize("path", sorted((INPUTS / "bad").glob("*.yaml")), ids=lambda p: p.name)
def test_broken_inputs_are_declined(path):
    """Except a country the factor tables do not know: the models take it, the tables refuse
    it (questionnaire.service), whichever reader read the file."""
    try:
        data = load_yaml(path).data
    except InputError:
        return  # refused by the YAML reader, before any questionnaire reader
    assert assert_plain_agrees(data) == (path.name == "unknown_country.yaml")


def _every_section() -> dict[str, Any]:
    """A questionnaire with every section the plain reader takes, and budgets."""
    data = copy.deepcopy(MINIMAL_DATA)
    data["period"] = "6 months"
    data["functional_unit"] = "one visit"
    data["description"] = None
    data["usage"]["network_model"] = "energy"
    data["usage"]["devices"] = {"smartphone": "33.4%", "laptop": "66.7%"}
    data["hosting"] = {
        "location": "fra",
        "pue": "1.4",
        "environments": 2,
        "electricity_factor": "20 g/kWh",
        "infrastructure": "per_kw",
        "servers": [
            {"name": "web", "type": "virtual", "vcpu": 4, "count": 3, "utilization": "40%"},
            {
                "name": "db",
                "type": "physical",
                "archetype": "large",
                "cpus": 2,
                "cores": 32,
                "memory": "256 GB",
                "ssd": "2 TB",
                "gpus": 0,
                "lifetime": "5 years",
                "power": "300 W",
            },
            {"name": "api", "type": "virtual", "provider": "aws", "instance": "m5.large"},
        ],
        "storage": {"volume": "2 TB", "type": "hdd", "replicas": 3},
        "shared": [{"name": "CDN", "per": "gb", "share": "80%", "energy": "0.3 Wh"}],
    }
    data["terminals"] = {
        "location": "DEU",
        "laptop": {"lifetime": "4 years", "hours_per_day": 3, "power": "20 W", "standby": 1},
        "equipment": {"printer": 0.3, "speaker": 1},
        "speaker": {"standby": "2 W"},
    }
    data["budgets"] = [
        {"criterion": "climate_change", "per": "visit", "max": "2 g CO2e"},
        {"criterion": "all", "per": "user", "max_boundary_share": "1%"},
        {"criterion": "energy", "per": "total", "max": "5 MWh"},
        {"criterion": "fossil_resources", "per": "visit", "max": "1 kWh"},
    ]
    return data


EVERY_SECTION = _every_section()
#: The optional blocks, each field written.
EVERY_BLOCK = copy.deepcopy(MINIMAL_DATA) | yaml.safe_load(
    """
ai:
  requests_per_user: 20 / month
  output_tokens: 300
  input_tokens: "2000"
  model: {parameters: 70B, active_parameters: 12B}
  self_hosted: {gpus: 2, gpu: NVIDIA A100 PCIe 40GB, utilization: 50%, location: swe, pue: 1.2}
  training: {gpu_hours: 1000, gpu: h100, amortised_over: 2 years}
video:
  watched_per_visit: 2 min
  quality: full_hd
  call_participants: 4
  background_share: 10%
  audio_in_background: true
messages:
  per_user: 30 / month
  size: 75 kB
  recipients: 2
  retention: 5 years
  copies: 3
  attachments_as_links: false
"""
)


def test_a_questionnaire_with_every_section_is_read_as_the_models_read_it():
    assert assert_plain_agrees(EVERY_SECTION)
    assert assert_plain_agrees(MINIMAL_DATA)
    assert assert_plain_agrees(EVERY_BLOCK)
    sized = copy.deepcopy(EVERY_BLOCK)
    sized["ai"] = {"requests_per_visit": 1.5, "output_tokens": 400, "model": {"size": "large"}}
    sized["video"] = {"watched_per_user": "30 min", "quality": "audio"}
    assert assert_plain_agrees(sized)


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    """Every key and item of the data, as paths."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*path, i))
    return found


#: Values as a file may write them, in range and out of it, of the right type and not.
ODD_VALUES = [
    0, 1, 2, 3, 1.5, 0.4, -1, 24, 20, 65, 600, 1e6, 1e7, 1e12, 1e20, 1e308, 10**400, math.inf,
    math.nan, True, False, None, "", " ", "abc", "2.5 MB", "5 min", "4 years", "6 months",
    "60%", "40%", "100%", "150%", "-5%", "0.3", "1,5", "50 000", "1:30", "0x10", "1e400 MB",
    "2 / month", "1000000 / s", "3 per week", "300 W", "0.3 kW", "20 g/kWh", "2 g", "5 kWh",
    "h100", "virtual", "physical", "aws", "m5.large", "ssd", "hdd", "gb", "visit", "user",
    "all", "climate_change", "energy", "per_gb", "power", "small", "large", "FRA", "fra",
    "2 MB..4 MB", "1 TB", "256 GB", [], {}, [1], {"a": 1}, {"laptop": "100%"},
]  # fmt: skip
#: Values each key takes, so that many generated documents stay valid and are compared.
PLAUSIBLE: dict[Any, list[Any]] = {
    "users": [1, 3, 50000, "50 000", 1.5, "2e3"],
    "visits_per_user": [1, 24, "2 / month", "3 per week", "1 / day", 0.5],
    "visit_duration": [0, "30 s", "5 min", 3, "1 h", "1.5 min"],
    "data_per_visit": [0, 2, "2.5 MB", "800 kB", "1 GiB", "1,5 MB"],
    "laptop": ["100%", 1, 1.0, "99.8%"],
    "fixed": ["100%", 1, "100.4%"],
    "location": ["FRA", "deu", None, "WLD"],
    "pue": [1, 1.2, "1.5", None],
    "environments": [1, 2, 3.5],
    "count": [1, 2, 10],
    "vcpu": [1, 0.5, 16, "8"],
    "utilization": ["40%", 0.3, 0, 1, None],
    "lifetime": ["4 years", 5, "36 months", None],
    "power": ["300 W", 150, "0.2 kW", None],
    "standby": [0, "1 W", None],
    "hours_per_day": [1, "3 h", 24, None],
    "memory": ["64 GB", 128, None],
    "volume": ["2 TB", 500, "1.5 PB"],
    "replicas": [1, 2, 3, None],
    "share": ["50%", 1, 0.25],
    "energy": ["0.3 Wh", 0.001, None],
    "period": ["1 year", "6 months", 2, "30 days"],
    "max": ["2 g", "3 kg", 0.5, None],
    "max_boundary_share": ["1%", 0.01, None],
    "printer": [0, 0.3, 2],
    "gpus": [1, 4, 8],
    "gpu": ["h100", "L4", "nvidia a100", "p100", "b200"],
    "parameters": ["8B", 70, "1.8 T", "350M"],
    "active_parameters": ["1B", 12, None],
    "size": ["small", "frontier", None, "75 kB", 2],  # the model's size class, a message's size
    "output_tokens": [100, 300, "1000"],
    "input_tokens": [0, 2000, None],
    "requests_per_user": ["10 / month", 50, None],
    "requests_per_visit": [1, 0.5, None],
    "gpu_hours": [10, 1e6],
    "amortised_over": ["1 year", 3],
    "watched_per_visit": ["1 min", 2, None],
    "watched_per_user": ["10 h", None],
    "quality": ["audio", "hd", "uhd"],
    "call_participants": [2, 10, None],
    "background_share": [0, "50%"],
    "audio_in_background": [True, False, 1, "yes"],
    "per_user": ["30 / month", 100],
    "recipients": [0, 1, 5, None],
    "retention": ["1 year", 10, None],
    "copies": [1, 3, None],
    "attachments_as_links": [True, False],
}
KEYS = ["name", "vcpu", "count", "type", "users", "max", "share", "volume", "lifetime", "typo"]


@st.composite
def documents(draw: st.DrawFn, odd: bool = True) -> Any:
    """A known-good questionnaire with a few values replaced, keys added or removed (`odd`),
    or only values replaced by others their keys take."""
    data = copy.deepcopy(draw(st.sampled_from([MINIMAL_DATA, EVERY_SECTION, EVERY_BLOCK])))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        actions = ["plausible", "plausible", "set", "set", "delete", "add"]
        action = draw(st.sampled_from(actions if odd else ["plausible"]))
        if not odd and path[-1] not in PLAUSIBLE:
            continue
        if action == "plausible" and path[-1] in PLAUSIBLE:
            parent[path[-1]] = draw(st.sampled_from(PLAUSIBLE[path[-1]]))
        elif action in ("set", "plausible"):
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    return data


@settings(
    derandomize=True,
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
def test_generated_documents_are_declined_or_read_as_the_models_read_them(data):
    assert_plain_agrees(data)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(documents(odd=False))
def test_generated_plausible_documents_are_read_as_the_models_read_them(data):
    assert_plain_agrees(data)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["smartphone", "tablet", "laptop", "desktop", "television", "x"]),
        st.one_of(
            st.floats(-0.1, 1.2),
            st.integers(0, 100).map(lambda n: f"{n}%"),
            st.decimals(0, 1, places=3).map(lambda d: f"{float(d) * 100:.1f}%"),
        ),
        max_size=5,
    )
)
def test_device_shares_are_renormalised_or_declined_as_the_models_do(devices):
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["devices"] = devices
    assert_plain_agrees(data)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["fixed", "mobile", "wifi"]),
        st.one_of(
            st.floats(-0.1, 1.2),
            st.integers(-5, 105).map(lambda n: f"{n}%"),
            st.integers(0, 1),
            st.sampled_from(["50", "x", "1.004", ".nan", "0 %"]),
        ),
        max_size=3,
    )
)
def test_network_shares_are_renormalised_or_declined_as_the_models_do(network):
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["network"] = network
    assert_plain_agrees(data)


@pytest.mark.parametrize(
    ("devices", "expected"),
    [
        # 60% + 40.4% = 100.4%, within the 0.5% tolerance: each divided by their sum (1.004)
        (
            {"laptop": "60%", "smartphone": "40.4%"},
            {"laptop": 0.6 / (0.6 + 40.4 / 100), "smartphone": 40.4 / 100 / (0.6 + 40.4 / 100)},
        ),
        ({"laptop": 0.25, "tablet": 0.75}, {"laptop": 0.25, "tablet": 0.75}),
        ({"television": 1}, {"television": 1.0}),  # an integer: 1.0, given
        ({"laptop": "60%", "smartphone": "40.6%"}, None),  # 100.6%: outside the tolerance
        ({"laptop": "150%", "smartphone": "-50%"}, None),  # sums to 100%, neither a share
        ({"laptop": "100%", "phone": "0%"}, None),  # a device the models do not know
        ({}, None),  # no device: 0%
        ({"laptop": 0.5, "tablet": float("nan")}, None),
    ],
)
def test_device_shares_hand_checked(devices, expected):
    """The usual section is scaled by the shares reader itself (not the general way):
    the same floats, bit for bit, and the same refusals."""
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["devices"] = devices
    read = assert_plain_agrees(data)
    assert read == (expected is not None)
    if expected is not None:
        record = plain.read(copy.deepcopy(data)).usage.devices
        assert {k: v for k, v in record.items() if k in record.given} == expected
        assert record.given == frozenset(devices)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=5),
    st.floats(1 - rules.SHARE_TOLERANCE, 1 + rules.SHARE_TOLERANCE),
)
def test_shares_scaled_by_the_shares_reader_sum_to_one_well_inside_the_tolerance(parts, total):
    """The shares reader does not ask shares_sum_to_one about the shares it scales itself:
    scaled, in the record's order, with the defaults' zeros, they sum to 1 within 1e-12,
    whatever the shares within the tolerance (the check allows 0.005)."""
    names = ["smartphone", "tablet", "laptop", "desktop", "television"][: len(parts)]
    if sum(parts) == 0:
        return
    shares = [p * total / sum(parts) for p in parts]
    if not all(0 <= v <= 1 for v in shares) or abs(sum(shares) - 1) > rules.SHARE_TOLERANCE:
        return  # (rounding took them outside: the general way reads them)
    record = plain.SECTIONS[records.Usage]["devices"](dict(zip(names, shares, strict=True)))
    total_read = sum(value for _, value in record.items())
    assert abs(total_read - 1) < 1e-12
    rules.shares_sum_to_one(dict(record.items()), "device")  # (refuses nothing)


def test_a_refusal_the_models_word_is_declined():
    """Each of these is refused by the models; the plain reader must leave them to them."""
    for change in (
        {"users": 0},
        {"visit_duration": "25 h"},
        {"visits_per_user": "1000000 / s"},
        {"visits_per_user": "100 / day", "visit_duration": "20 min"},  # 33 h a day
        {"devices": {"laptop": "90%"}},
        {"devices": {"laptop": "1,0"}},
        {"network": {"fixed": "60%", "satellite": "40%"}},
        {"network_model": "per_byte"},
        {"location": 250},
    ):
        data = copy.deepcopy(MINIMAL_DATA)
        data["usage"].update(change)
        assert _by_models(data) is None, change
        assert not assert_plain_agrees(data), change


def test_the_plain_reader_reads_every_field_of_the_sections_it_reads():
    """A field added to a model and its record is added to the plain reader too (or the
    reader would decline every file that writes it, silently slower)."""
    assert {cls.__name__ for cls in plain.SECTIONS} == set(records.BY_NAME)
    for cls, readers in plain.SECTIONS.items():
        assert tuple(readers) == tuple(getattr(models, cls.__name__).model_fields), cls


def test_ranges_and_lax_yes_no_are_left_to_the_models():
    ranged = copy.deepcopy(MINIMAL_DATA)
    ranged["usage"]["data_per_visit"] = "2 MB..4 MB"
    assert plain.read(ranged) is None
    video = yaml.safe_load("watched_per_visit: 3 min\nquality: hd\naudio_in_background: 1\n")
    data = copy.deepcopy(MINIMAL_DATA) | {"video": video}
    assert _by_models(data) is not None and plain.read(data) is None
    video["audio_in_background"] = True
    assert assert_plain_agrees(data)


def test_text_with_a_lone_surrogate_is_declined_where_the_models_refuse_it():
    """A dict from the API can hold a str YAML cannot write: 'a\\ud800'. pydantic refuses it
    in the text fields with a minimum length (name, functional_unit), so the plain reader must
    not take it there; elsewhere both take it as it is."""
    for key in ("name", "functional_unit"):
        data = copy.deepcopy(EVERY_SECTION)
        data[key] = "a\ud800"
        assert _by_models(data) is None, key
        assert not assert_plain_agrees(data), key
    for path in (
        ("description",),
        ("usage", "location"),
        ("hosting", "servers", 0, "name"),
        ("hosting", "shared", 0, "name"),
    ):
        data = copy.deepcopy(EVERY_SECTION)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = "a\ud800"
        assert assert_plain_agrees(data), path
    data = copy.deepcopy(EVERY_SECTION)
    data["name"] = "Caf\u00e9 \U0001f600"  # text beyond ASCII is read
    assert assert_plain_agrees(data)


class _Float(float):
    """A float subclass, as a caller's own number type may be (the API takes any data)."""


class _Int(int):
    pass


def _respelt(value: Any) -> list[Any]:
    """Other spellings of a value that a reader may take: spacing, case, exponents, full-width
    digits, a decimal comma, Python number types YAML cannot give (the API can)."""
    if isinstance(value, bool) or value is None:
        return [value, None]
    if isinstance(value, int | float):
        whole = float(value).is_integer()
        return [
            float(value), str(value), f"{value:e}", f" {value} ", f"+{value}",
            str(value).replace(".", ","), _Float(value), np.float64(value),
            *([_Int(value), int(value)] if whole else []), None,
        ]  # fmt: skip
    number, _, unit = value.strip().partition(" ")
    if not number[:1].isdigit():
        return [value, value.upper(), f" {value} ", None]
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    return [
        f"{number}{unit}", f" {number}  {unit} ", f"{number}\u00a0{unit}", f"{number}\t{unit}",
        f"{number} {unit.upper()}", f"{number} {unit.lower()}", f"{full_width} {unit}",
        f"{number}e0 {unit}", f"{number.replace('.', ',')} {unit}", f"0{number} {unit}", None,
    ]  # fmt: skip


@st.composite
def respelt_documents(draw: st.DrawFn) -> tuple[Any, bool]:
    """A valid questionnaire with a few values spelt otherwise (or null), and whether numbers
    are read with a decimal comma (--lang fr)."""
    data = copy.deepcopy(draw(st.sampled_from([EVERY_SECTION, EVERY_BLOCK, *_EXAMPLE_DATA])))
    leaves = [p for p in _paths(data) if p and not isinstance(_at(data, p), dict | list)]
    for path in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4, unique=True)):
        _at(data, path[:-1])[path[-1]] = draw(st.sampled_from(_respelt(_at(data, path))))
    return data, draw(st.booleans())


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


_EXAMPLE_DATA = [load_yaml(p).data for p in _examples()]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(respelt_documents())
def test_values_spelt_otherwise_are_declined_or_read_as_the_models_read_them(document):
    """A differential fuzz generating documents so (30,000, and 20,000 more as YAML text with
    tags, aliases and odd scalars) found one divergence, a lone surrogate in the name (declined
    since): this keeps such a comparison in the suite (some 260 of the 400 are read)."""
    data, comma = document
    with units.decimal_comma(comma):
        assert_plain_agrees(data)


def test_a_field_reader_remembers_each_text_per_convention_and_no_refusal():
    calls: list[Any] = []

    def read_size(raw: Any) -> float:
        calls.append(raw)
        return units.parse(raw, units.DATA, "MB")

    reader = plain.remembered(read_size)
    assert reader("2 MB") == 2e6 and reader("2 MB") == 2e6
    assert calls == ["2 MB"]  # read once
    assert reader(1) == 1e6 and reader(1) == 1e6 and reader(1.0) == 1e6
    with pytest.raises(UnitError):
        reader(True)  # equal to 1 as a key, but not a number: not taken for the 1 read before
    assert calls == ["2 MB", 1, 1.0, True]  # an integer once; floats and bools as they come
    with pytest.raises(UnitError):
        reader("2,5 MB")  # a comma is not guessed in English
    with units.decimal_comma():
        assert reader("2,5 MB") == 2.5e6  # 2.5 MB in French
        assert reader("2,5 MB") == 2.5e6
    with pytest.raises(UnitError):
        reader("2,5 MB")  # the refusal was not remembered, nor the French reading here
    assert calls.count("2,5 MB") == 3


def test_a_remembered_reader_forgets_all_past_its_bound(monkeypatch):
    monkeypatch.setattr(plain, "REMEMBERED", 2)
    calls: list[Any] = []
    reader = plain.remembered(lambda raw: calls.append(raw) or float(raw))
    for raw in ("1", "2", "3", "1"):
        reader(raw)
    assert calls == ["1", "2", "3", "1"]  # '3' came with two known: all were forgotten


@pytest.mark.parametrize(
    ("block", "refusal"),
    [
        (
            {"video": {"watched_per_visit": "-5 min", "quality": "hd"}},
            "watched_per_visit must be 0",
        ),
        ({"video": {"watched_per_user": "-5 h", "quality": "hd"}}, "watched_per_user must be 0"),
        (
            {"video": {"watched_per_user": "5 h", "quality": "hd", "background_share": "150%"}},
            "a share must be between 0 and 1, got 1.5",
        ),
        (
            {"hosting": {"shared": [{"name": "CDN", "per": "gb", "share": "-50%"}]}},
            "a share must be between 0 and 1, got -0.5",
        ),
        (
            {"ai": EVERY_BLOCK["ai"] | {"requests_per_user": "-20 / month"}},
            "requests_per_user must be between 0 and 1e+13, got -20",
        ),
        (
            {"ai": EVERY_BLOCK["ai"] | {"self_hosted": {"gpus": 1, "utilization": "-50%"}}},
            "utilization must be between 0 and 1, got -0.5",
        ),
    ],
)
def test_negative_amounts_both_readers_took_are_refused(block, refusal):
    """Found reviewing the readers: both took these, and a self-hosted GPU load of -50% made
    the service's climate change total -1,001 kg. The models refuse them, the reader declines."""
    data = copy.deepcopy(MINIMAL_DATA) | copy.deepcopy(block)
    with pytest.raises(InputError, match=re.escape(refusal)):
        validate(Document("q.yaml", copy.deepcopy(data)))
    assert not assert_plain_agrees(data)
