"""A portfolio's assumption rows written from the questionnaires (report.assumptions_json):
the same bytes, the same sources cited, as the rows made and written one by one."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from acvnum.calculation import assumptions
from acvnum.i18n import Value, english_text
from acvnum.questionnaire import units
from acvnum.report import assumptions_json, json_format

NAMES = [
    'Quote "q" and back\\slash',
    "tab\tand\u0001control\u001f",
    "accents é ü ß, 日本語 and 🌍",
    "line\nbreak",
]


def _service(rng: random.Random, i: int) -> str:
    """A questionnaire of the common shape with edge cases: zero visits, data or utilization,
    numbers written 1 / 1.0, no location (the default region), servers of every kind,
    storage, environments, infrastructure; and some of another shape (a market-based
    factor, a shared platform; an archetype or a cloud instance among the servers)."""
    name = NAMES[i % len(NAMES)] if i < 2 * len(NAMES) else f"Service {i}"
    escaped = name.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    users = rng.choice(["1", "1000", "1000.0", "113619", "2.5", "50000"])
    lines = [
        f'name: "{escaped} {i}"',
        *(["period: " + rng.choice(["1 year", "6 months", "365 days", "30 days"])] * (i % 3 == 0)),
        "usage:",
        f"  users: {users}",
        "  visits_per_user: "
        + rng.choice(["1e-9", "1", "1.0", "9 / month", "2 / week", "1e-9 / month"]),
        "  visit_duration: " + rng.choice(["0 min", "5 min", "36 min", "1 h", "90 s"]),
        "  data_per_visit: " + rng.choice(["0 MB", "0.42 MB", "34.19 MB", "2 GB", "1.0 MB"]),
        "  devices:",
        *rng.choice(
            [
                ["    laptop: 100%"],
                ["    smartphone: 60%", "    tablet: 40%"],
                ["    television: 0.35", "    laptop: 0.65"],
                ["    desktop: 1"],
                ["    smartphone: 78%", "    tablet: 15%", "    television: 7%"],
            ]
        ),
        "  network:",
        *rng.choice(
            [["    fixed: 100%"], ["    mobile: 17%", "    fixed: 83%"], ["    mobile: 1.0"]]
        ),
    ]
    location = rng.choice([None, "FRA", "USA", "WLD", "EU27", "CHE", "NOR"])
    if location:
        lines.append(f"  location: {location}")
    model = rng.choice([None, None, "per_gb", "energy", "power"])
    if model:
        lines.append(f"  network_model: {model}")
    if rng.random() < 0.85 or i in (5, 7):  # 5, 7: a market-based factor, a shared platform
        lines += _hosting(rng, i)
    return "\n".join(lines) + "\n"


def _hosting(rng: random.Random, i: int) -> list[str]:
    lines = ["hosting:"]
    location = rng.choice([None, "FRA", "SWE", "IND", "WLD"])
    if location:
        lines.append(f"  location: {location}")
    if rng.random() < 0.6:
        lines.append(f"  pue: {rng.choice(['1', '1.0', '1.5', '1.76', '2.1'])}")
    if rng.random() < 0.3:
        lines.append(f"  environments: {rng.choice(['1', '1.0', '2', '3'])}")
    if rng.random() < 0.3:
        lines.append(f"  infrastructure: {rng.choice(['per_server', 'per_kw'])}")
    if i % 17 == 5:
        lines.append("  electricity_factor: 20 g/kWh")  # market-based: the rows' way
    servers = []
    for k in range(rng.choice([0, 1, 1, 2, 3, 4])):
        server = [f"    - name: s{k}", f"      count: {rng.randint(1, 9)}"]
        kind = rng.random()
        if kind < 0.45:
            server += ["      type: virtual", f"      vcpu: {rng.choice([2, 4, 8])}"]
        elif kind < 0.85:
            server.append("      type: physical")
            if rng.random() < 0.5:
                server.append(f"      power: {rng.choice(['241 W', '241.0 W', '90 W'])}")
        elif kind < 0.92:
            server += ["      type: physical", "      archetype: large", "      cpus: 2"]
        else:
            server += ["      type: virtual", "      provider: ovhcloud", "      instance: b3-16"]
        if rng.random() < 0.5:
            server.append(f"      utilization: {rng.choice(['0%', '30%', '69%', '0.5', '50.0%'])}")
        if rng.random() < 0.4:
            server.append(f"      lifetime: {rng.choice(['4 years', '5 years', '5.0 years'])}")
        servers += server
    if servers:
        lines += ["  servers:", *servers]
    if i % 23 == 7:
        lines += ["  shared:", "    - name: cdn", "      per: gb"]
    if rng.random() < 0.6:
        storage = ["  storage:", f"    volume: {rng.choice(['0 GB', '500 GB', '3703 GB'])}"]
        if rng.random() < 0.5:
            storage.append(f"    type: {rng.choice(['ssd', 'hdd'])}")
        if rng.random() < 0.5:
            storage.append(f"    replicas: {rng.choice(['1', '2', '2.0', '3'])}")
        lines += storage
    return lines


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """80 generated questionnaires, one given a range, and the examples (AI, video, messages,
    terminals: the rows' way)."""
    folder = tmp_path_factory.mktemp("portfolio")
    rng = random.Random(20261130)
    for i in range(80):
        (folder / f"s{i:03}.yaml").write_text(_service(rng, i), encoding="utf-8")
    text = (folder / "s010.yaml").read_text(encoding="utf-8").splitlines()
    ranged = [
        "  data_per_visit: 2 MB..4 MB" if line.startswith("  data_per_visit:") else line
        for line in text
    ]
    (folder / "ranged.yaml").write_text("\n".join(ranged) + "\n", encoding="utf-8")
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    return folder


def _assessed(folder: Path) -> list:
    import acvnum

    return acvnum.estimate(str(folder)).services()


def test_a_part_s_assumptions_are_the_rows_bytes_and_cite_the_same_sources(folder):
    """Services written from their questionnaires (most of them), then from their rows: each
    service's bytes are those json_format writes from its rows on its own, and each Part cites
    what the rows cite, a second Part of the same writer included."""
    services = _assessed(folder)
    plain = [assumptions_json.plain(r.assumptions) is not None for r, _ in services]
    assert 60 < sum(plain) < len(services)  # both ways are taken
    halves = services[: len(services) // 2], services[len(services) // 2 :]
    parts = [json_format.part(half, first=False) for half in halves]
    # Written without making the rows: the plain services' views are still unread.
    assert [not r.assumptions.made for r, _ in services] == plain
    for half, part in zip(halves, parts, strict=True):
        cited = json_format.Citations()  # not a Part's: every row made and written
        expected = [json_format.encode(json_format.service_dict(r, cited, f)) for r, f in half]
        assert part.services == b",".join(expected)
        assert (part.cited.keys, part.cited.own) == (cited.keys, cited.own)
    fresh = _assessed(folder)[: len(halves[0])]  # the writer's texts again, cited anew
    again = json_format.part(fresh, first=False)
    assert again.services == parts[0].services and again.cited.keys == parts[0].cited.keys


def test_a_slot_s_table_emptied_when_full_writes_the_same_bytes(folder, monkeypatch):
    """With a few texts kept per slot (the table emptied again and again while a chunk is
    looked up, None keys made apart among them), a Part's services are the rows' bytes."""
    monkeypatch.setattr(assumptions_json, "_HELD", 3)
    monkeypatch.setattr(assumptions_json, "_SLOTS", {})
    services = _assessed(folder)
    part = json_format.part(services, first=False)
    cited = json_format.Citations()
    expected = [json_format.encode(json_format.service_dict(r, cited, f)) for r, f in services]
    assert part.services == b",".join(expected)
    assert (part.cited.keys, part.cited.own) == (cited.keys, cited.own)


def test_a_name_json_refuses_to_encode_leaves_the_rows_written_as_json_writes_them(folder):
    """A service orjson refuses (a lone surrogate in its name) is written by json from its
    objects, as before, and its neighbours from their questionnaires; a command's extras
    follow the envelope's keys (one named as a key of the envelope: its dict's way)."""
    import dataclasses

    services = _assessed(folder)[:6]
    first = services[0]
    second = next(s for s in services if assumptions_json.plain(s.result.assumptions))
    services.append(
        first._replace(result=dataclasses.replace(first.result, name="lone \udc80 surrogate"))
    )
    # A command's own objects after the envelope's (check), and one named as an envelope key.
    extras = {"checked": {"passed": True, "limits": [1.5, None]}}
    services.append(second._replace(result=dataclasses.replace(second.result, extras=extras)))
    clash = {"warnings": ["a command's own"]}
    services.append(second._replace(result=dataclasses.replace(second.result, extras=clash)))
    part = json_format.part(services, first=False)
    cited = json_format.Citations()
    expected = [json_format.encode(json_format.service_dict(r, cited, f)) for r, f in services]
    assert part.services == b",".join(expected)
    assert b"\\udc80" in expected[-3] and b'"checked":{"passed":true' in expected[-2]


def test_each_kind_of_service_takes_its_way(folder):
    """The common shape is written from the questionnaire; a range, terminals, AI, video,
    messages, a shared platform, a market-based factor or rows already read go the rows' way."""
    services = _assessed(folder)
    by_file = {Path(r.source_file).stem: r.assumptions for r, _ in services}
    for stem in ("ranged", "s005", "s007", "ai-assistant", "video-conferencing", "webmail"):
        assert assumptions_json.plain(by_file[stem]) is None, stem
    assert assumptions_json.plain(by_file["s001"]) is not None
    list(by_file["s001"])  # read: made
    assert assumptions_json.plain(by_file["s001"]) is None


def test_the_view_is_the_rows_collect_makes():
    """An Assumptions view reads as the list `collect` makes (and the market-based rows)."""
    from conftest import MINIMAL_DATA

    import acvnum

    result = acvnum.estimate(MINIMAL_DATA).results[0]
    view = result.assumptions
    assert isinstance(view, assumptions.Assumptions) and not view.made
    rows = assumptions.collect(view.questionnaire, view.table)
    assert len(view) == len(rows) and view[0] == rows[0] and list(view) == rows
    assert (
        view.made
        and view == rows
        and view == assumptions.Assumptions(view.questionnaire, view.table)
    )


@pytest.mark.parametrize("unit", ["", "s", "B", "%", "W", "year", "billion", "g CO2e/kWh"])
def test_written_text_is_the_value_s_english(unit):
    """english_text(amount, unit, written=True) is str(Value(amount, unit, written=True)),
    any number."""
    rng = random.Random(unit)
    amounts: list = [0, 0.0, -0.0, 1, 1.0, 0.5, 12.5, 1e-9, 3.4e12, 113619, 2.24 * 3.15e7]
    amounts += [rng.uniform(0, 10) ** rng.uniform(-6, 12) for _ in range(200)]
    for amount in amounts:
        expected = str(Value(amount, unit, written=True))
        assert english_text(amount, unit, written=True) == expected, amount
    for count in (0, 1, 2.5, 9):
        for per in (None, 86400.0, 604800.0, units.SECONDS_PER_YEAR / 12):
            frequency = units.Frequency(count, per)
            assert english_text(frequency, written=True) == str(Value(frequency, written=True))


@pytest.fixture(scope="module")
def table():
    from acvnum.reference.factors import load_factors

    return load_factors(None)


def _writer(table) -> assumptions_json.Writer:
    """A Part's writer, as json_format makes it."""
    import orjson

    cited = json_format.Citations(encoded=True)
    return assumptions_json.Writer(table, cited, json_format._row_json, orjson.dumps)


def test_numbers_formatted_at_once_are_the_given_rows_texts(table):
    """The users' and the data's rows, formatted for a whole column at once, are the rows of
    the values given (english_text's), any number: 0 and -0.0, an int, round and odd ones,
    each decimal unit of bytes and its bounds."""
    w = _writer(table)
    rng = random.Random(7)
    amounts: list = [0, 0.0, -0.0, 1, 1.0, 0.5, 999.999, 1000, 1e3, 1e6 - 1e-7, 1e6, 2.5e9, 1e12]
    amounts += [113619, 2**60, 3.4e15, 5e-324, 123456.5, 999999.5]
    amounts += [rng.uniform(0, 10) ** rng.uniform(-6, 14) for _ in range(2000)]
    path = "usage.data_per_visit"
    expected = [w.given(path, a, "B")[0] for a in amounts]
    assert w.byte_counts(path, amounts) == expected
    expected = [w.given("usage.users", a, "")[0] for a in amounts]
    assert w.numbers("usage.users", amounts) == expected


def test_a_key_holding_a_zero_is_made_for_its_service_alone(table):
    """0.0 and -0.0 are equal keys but not the same text: neither is kept, each is made
    where it is (and a kept key is made once a chunk, at its first place)."""
    w = _writer(table)
    made: list[int] = []

    def make(k: int) -> tuple[bytes, tuple[str, ...]]:
        made.append(k)
        return w.given("usage.visit_duration", values[k], "s")

    values = [0.0, -0.0, 60.0, 0.0, 60.0, -0.0]
    texts = w.column("test.zero", values, make, assumptions_json._nonzero, cite=False)
    assert made == [2, 0, 1, 3, 5]  # 60 once, then each zero
    assert texts == [w.given("usage.visit_duration", v, "s")[0] for v in values]
    assert b'"-0 s"' in texts[1] and b'"0 s"' in texts[0]
    assert w.column("test.zero", [60.0], make, cite=False) == texts[2:3] and len(made) == 5


def test_a_column_partly_known_makes_only_its_new_keys_in_their_places(table):
    """A column some of whose keys have texts: each new key's is made once, at its first
    place, a zero's at each place, and every text lands where its key is."""
    w = _writer(table)
    made: list[int] = []

    def make(k: int) -> tuple[bytes, tuple[str, ...]]:
        made.append(k)
        return w.given("usage.visit_duration", values[k], "s")

    values = [60.0, 120.0]
    w.column("test.partly", values, make, assumptions_json._nonzero, cite=False)
    made.clear()
    values = [60.0, 30.0, 120.0, 30.0, 0.0, 45.0, 0.0]
    texts = w.column("test.partly", values, make, assumptions_json._nonzero, cite=False)
    assert made == [1, 5, 4, 6]  # the new keys at their first places, then each zero
    assert texts == [w.given("usage.visit_duration", v, "s")[0] for v in values]


def test_a_server_s_rows_read_what_the_reference_keys_it_by():
    """A server of the common shape is written from its position, lifetime, utilization,
    power and type, and checked for the common shape by the other fields the reference
    keys a server's rows by (its provider matters only with an instance)."""
    read = set(assumptions_json._SHAPE) | {"lifetime", "utilization", "power", "type"}
    assert read | {"provider"} == set(assumptions.SERVER_FIELDS)


def test_a_chunk_is_written_without_a_python_step_per_service(folder, table, monkeypatch):
    """The common shape's services of a chunk already seen are written with no row made, no
    reference function called and no Python function called per service or server: the
    slots' makers run only for a key not kept, one holding a 0 (at each of its positions),
    and the keys' checks once a distinct key lacking a text."""
    services = [r for r, _ in _assessed(folder)]
    qs = [q for q in map(assumptions_json.plain, [r.assumptions for r in services]) if q]
    first = assumptions_json.texts(qs, _writer(table))
    kept: list[bool] = []  # whether each distinct key checked may be kept: none (0s)
    made: list[str] = []

    def checked(function):
        def check(key):
            kept.append(function(key))
            return kept[-1]

        return check

    def counted(name, function):
        def call(*args, **kwargs):
            made.append(name)
            return function(*args, **kwargs)

        return call

    for name in ("_nonzero", "_first_nonzero", "_second_nonzero", "_replicas", "_not_apart"):
        monkeypatch.setattr(assumptions_json, name, checked(getattr(assumptions_json, name)))
    for name in ("rows", "given"):
        function = getattr(assumptions_json.Writer, name)
        monkeypatch.setattr(assumptions_json.Writer, name, counted(name, function))
    assert assumptions_json.texts(qs, _writer(table)) == first
    assert kept and not any(kept) and len(made) >= len(kept)
