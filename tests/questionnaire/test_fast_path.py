"""The fast path against the reference path (block reader, countries upper-cased, plain
reader): on the examples, on generated portfolio files with their edge cases, and on those
files broken line by line, it declines or builds exactly the records the reference builds
(1 from 1.0, a default from an answer); files load to the same services, or the same
problems, and a folder's JSON is the same to the byte."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, record_shape, run_cli_in_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acvnum.errors import InputError
from acvnum.questionnaire import fast_path, plain, records, units
from acvnum.questionnaire.service import _normalise, load_service, service_from_document
from acvnum.questionnaire.yaml_reader import _scalar, load_yaml, parse_yaml
from acvnum.reference.factors import load_factors

TABLE = load_factors(None)


def _reference(text: str) -> records.Questionnaire | None:
    """What the reference path reads a text the fast path may take as: None where it would
    not read it with the plain reader."""
    try:
        document = parse_yaml(text, "f.yaml")
    except InputError:
        return None
    _normalise(document)
    return plain.read(document.data)


def _agrees(text: str) -> bool:
    """The fast path declines `text` or reads it as the reference does; True if it read it."""
    read = fast_path.read(text)
    if read is None:
        return False
    expected = _reference(text)
    assert expected is not None, f"the fast path took what the reference declines: {text!r}"
    assert record_shape(read) == record_shape(expected), text
    return True


# --- generated portfolio files, with the edge cases a portfolio may hold ------------------

_DEVICES = ("smartphone", "tablet", "laptop", "desktop", "television")
_COUNTRIES = ("FRA", "fra", " deu", "USA", "WLD", "EU27", "ATA", "Xyz")  # ATA, XYZ: no factor
_QUANTITIES = {
    "users": ("50000", "1", "0", "50_000", "1.0", "true", "1e3", "'2000'", "12 users", "-3"),
    "visits_per_user": ("2 / month", "24", "0", "0 / week", "1.5 / day", "3/week", "1.0"),
    "visit_duration": ("5 min", "1", "1.0", "1,5 min", "0 s", "2 h", "90 s", "25 h"),
    "data_per_visit": ("2.5 MB", "2,5 MB", "0", "1 GB", "true", "0.42 MB", "3 Mo", "2 MB..4 MB"),
    "pue": ("1.5", "1,5", "1", "true", "1.20", "0.9", "~"),
    "count": ("1", "2", "1.0", "0", "2.5", "true"),
    "vcpu": ("2", "4", "16", "2.6", "0"),
    "power": ("250 W", "120 W", "0,3 kW", "250"),
    "utilization": ("30%", "0.3", "5%", "130%", "30 %"),
    "lifetime": ("5 years", "4", "18 months"),
    "volume": ("500 GB", "1 TB", "3703 GB", "0", "1,5 TB", "-1 GB"),
    "replicas": ("1", "3", "1.0", "0"),
}


def _pick(rng: random.Random, key: str) -> str:
    """Mostly the usual value (the first), else any: edge cases in a few fields a file."""
    values = _QUANTITIES[key]
    return values[0] if rng.random() < 0.8 else rng.choice(values)


def _shares(rng: random.Random, names: tuple[str, ...]) -> list[tuple[str, str]]:
    chosen = rng.sample(names, rng.randint(1, len(names)))
    cuts = sorted(rng.sample(range(1, 100), len(chosen) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    style = "{}%" if rng.random() < 0.8 else rng.choice(("{} %", "0.{:02d}", "{}"))
    shares = [
        (n, style.format(p) if p < 100 or "0." not in style else "1")
        for n, p in zip(chosen, parts, strict=True)
    ]
    if rng.random() < 0.05:
        shares[0] = (shares[0][0], rng.choice(("99%", "0%", "101%", "true", "x")))
    return shares


def portfolio_file(rng: random.Random) -> str:
    """A questionnaire as a portfolio holds them, with any of its edge cases."""
    step = " " * rng.choice((2, 2, 2, 4))
    names = ("Service 00001", "x", "Été 2", '"Quoted"', "a # b")
    lines = [f"name: {rng.choice(names)}"]
    if rng.random() < 0.2:
        lines.append(f"period: {rng.choice(('1 year', '6 months', '1'))}")
    lines.append("usage:")
    for key in ("users", "visits_per_user", "visit_duration", "data_per_visit"):
        if rng.random() < 0.97:
            lines.append(f"{step}{key}: {_pick(rng, key)}")
    for section, names in (("devices", _DEVICES), ("network", ("mobile", "fixed"))):
        lines.append(f"{step}{section}:")
        lines += [f"{step * 2}{name}: {share}" for name, share in _shares(rng, names)]
    if rng.random() < 0.9:
        lines.append(f"{step}location: {rng.choice(_COUNTRIES)}")
    if rng.random() < 0.1:
        lines.append(f"{step}network_model: {rng.choice(('attributional', 'marginal', 'x'))}")
    if rng.random() < 0.05:
        lines.append("hosting:")
    elif rng.random() < 0.9:
        lines += _hosting(rng, step)
    if rng.random() < 0.1:
        lines += _optional_block(rng, step)
    if rng.random() < 0.2:  # comments and blank lines anywhere
        for _ in range(rng.randint(1, 3)):
            where = rng.randint(0, len(lines))
            lines.insert(where, rng.choice(("", "# a note", "   ", f"{step}# indented note")))
    return "\n".join(lines) + rng.choice(("\n", "\n", "", "\n\n"))


def _hosting(rng: random.Random, step: str) -> list[str]:
    lines = ["hosting:", f"{step}location: {rng.choice(_COUNTRIES)}"]
    if rng.random() < 0.8:
        lines.append(f"{step}pue: {_pick(rng, 'pue')}")
    lines.append(f"{step}servers:")
    item = step * 2 if rng.random() < 0.95 else step  # items indented, or at the key's indent
    for k in range(rng.randint(0 if rng.random() < 0.05 else 1, 4)):
        server = [f"name: s{k}"]
        if rng.random() < 0.9:
            server.append(f"count: {_pick(rng, 'count')}")
        virtual = rng.random() < 0.6
        server.append(f"type: {'virtual' if virtual else 'physical'}")
        if rng.random() < (0.95 if virtual else 0.03):
            server.append(f"vcpu: {_pick(rng, 'vcpu')}")
        for key in ("power", "utilization", "lifetime"):
            if rng.random() < 0.3:
                server.append(f"{key}: {_pick(rng, key)}")
        rng.shuffle(server)
        lines.append(f"{item}- {server[0]}")
        lines += [f"{item}  {line}" for line in server[1:]]
    if rng.random() < 0.7:
        lines += [
            f"{step}storage:",
            f"{step * 2}volume: {_pick(rng, 'volume')}",
            f"{step * 2}type: {rng.choice(('ssd', 'hdd', 'tape'))}",
            f"{step * 2}replicas: {_pick(rng, 'replicas')}",
        ]
    if rng.random() < 0.2:
        lines.append(f"{step}environments: {rng.choice(('2', '1', '0', '2.0'))}")
    return lines


def _optional_block(rng: random.Random, step: str) -> list[str]:
    """One of the optional blocks, as the examples write them."""
    blocks = {
        "ai": ["requests_per_visit: 0.5", "output_tokens: 400", "model:", f"{step}size: medium"],
        "video": ["watched_per_visit: 3 min", "quality: hd", "call_participants: 4"],
        "messages": ["per_user: 10 / day", "size: 300 kB", "recipients: 3"],
        "terminals": ["location: fra", "equipment:", f"{step}speaker: 0.29"],
        "budgets": ["- criterion: climate_change", "  per: visit", "  max: 5 g"],
    }
    name = rng.choice(sorted(blocks))
    return [f"{name}:", *(f"{step}{line}" for line in blocks[name])]


#: What a line of a broken file may become: another indent, a duplicate, another value...
_BREAKS = (
    lambda line, rng: " " + line,
    lambda line, rng: line[1:],
    lambda line, rng: line + "\n" + line,
    lambda line, rng: line.replace(": ", rng.choice((":", ": [", ": {a: 1}", ":\t", ": &x "))),
    lambda line, rng: line.replace(":", rng.choice(("_x:", ": 1\n  unknown:", ":\n    - 1"))),
    lambda line, rng: line + rng.choice((" # c", "  ", "\r", "\t", " ...", "…", ":")),
    lambda line, rng: line.split(":")[0] + rng.choice((": true", ": 1", ": 1.0", ": ~", ":")),
    lambda line, rng: line.replace("- ", rng.choice(("-", "- - ", "  - ", "-   "))),
    lambda line, rng: rng.choice(("---", "...", "- x", "? a", "!!str x", "&a b: 1", "a: *b")),
)


def broken_file(rng: random.Random) -> str:
    lines = portfolio_file(rng).split("\n")
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(lines))
        lines[where] = rng.choice(_BREAKS)(lines[where], rng)
    return "\n".join(lines)


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_generated_portfolio_files_are_read_as_the_reference_reads_them(comma):
    rng = random.Random(29)
    with units.decimal_comma(comma):
        taken = sum(_agrees(portfolio_file(rng)) for _ in range(1500))
    assert taken > 300  # most of the files the edge cases leave valid


def test_broken_portfolio_files_are_declined_or_read_as_the_reference_reads_them():
    rng = random.Random(30)
    taken = sum(_agrees(broken_file(rng)) for _ in range(2000))
    assert taken > 30  # a comment or a blank made of a line, a value that still reads


_LINES = st.sampled_from(
    [*portfolio_file(random.Random(1)).split("\n"), *portfolio_file(random.Random(2)).split("\n")]
)


@given(st.lists(_LINES, min_size=1, max_size=30))
@settings(
    derandomize=True, max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_lines_of_portfolio_files_in_any_order_are_read_as_the_reference_reads_them(lines):
    _agrees("\n".join(lines))


def test_the_examples_are_read_as_the_reference_reads_them():
    taken = {p.name for p in EXAMPLES.glob("*.yaml") if _agrees(p.read_text(encoding="utf-8"))}
    # Every example the plain reader takes without a range (the others: a range, or text
    # the block reader leaves to libyaml, such as a quoted value with an escape).
    assert {"ecommerce.yaml", "webmail.yaml", "video-conferencing.yaml"} <= taken


def test_a_file_read_twice_shares_nothing_a_service_could_change():
    """What is remembered is immutable (floats, text, frozen records); lists are a file's own."""
    text = portfolio_file(random.Random(5))
    while fast_path.read(text) is None or fast_path.read(text).hosting is None:
        text = portfolio_file(random.Random(len(text)))
    first, second = fast_path.read(text), fast_path.read(text)
    assert first.hosting.servers is not second.hosting.servers
    first.hosting.servers.append("x")
    assert record_shape(second) == record_shape(_reference(text))
    with pytest.raises(AttributeError):
        first.usage.devices.laptop = 1.0  # type: ignore[misc]


def test_a_section_remembered_by_its_text_is_read_again_in_the_other_convention():
    text = "name: a\nusage:\n  users: 1\n  visits_per_user: 1\n  visit_duration: 1,5 min\n"
    text += "  data_per_visit: 1 MB\n  devices:\n    laptop: 0,5\n    desktop: 0,5\n"
    text += "  network:\n    fixed: 1\n"
    assert fast_path.read(text) is None  # '1,5 min' is refused without the decimal comma
    with units.decimal_comma():
        read = fast_path.read(text)
    assert read is not None and read.usage.visit_duration == 90.0  # 1.5 min, hand-checked
    assert read.usage.devices.laptop == 0.5
    assert fast_path.read(text) is None


def _files(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"s{i:03d}.yaml"
        path.write_text(portfolio_file(rng) if i % 4 else broken_file(rng), encoding="utf-8")
        paths.append(path)
    return paths


def _outcome(load, path: Path) -> object:
    try:
        service = load(path)
    except InputError as error:
        return [str(problem) for problem in error.problems]
    bounds = service.bounds
    return (
        record_shape(service.questionnaire),
        [record_shape(q) for q in (bounds.low, bounds.high)],
        bounds.written,
        repr(service.document.data),
        service.file,
    )


def test_files_load_to_the_services_or_problems_of_the_reference_path(tmp_path):
    """Unknown countries included: the problems have the same words and places."""
    for path in _files(tmp_path / "p", 300, 31):
        reference = _outcome(lambda p: service_from_document(load_yaml(p), TABLE), path)
        assert _outcome(lambda p: load_service(p, TABLE), path) == reference


def test_a_folder_estimate_writes_the_same_json_as_the_reference_path(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    rng = random.Random(32)
    folder.mkdir()
    written = 0
    while written < 40:
        text = portfolio_file(rng)
        try:
            service_from_document(parse_yaml(text, "f.yaml"), TABLE)
        except InputError:  # a broken value, an unknown country: the folder would be refused
            continue
        (folder / f"s{written:02d}.yaml").write_text(text, encoding="utf-8")
        written += 1
    fast = run_cli_in_process("estimate", str(folder), "-f", "json")
    monkeypatch.setattr(fast_path, "read", lambda text: None)
    reference = run_cli_in_process("estimate", str(folder), "-f", "json")
    assert fast.returncode == reference.returncode == 0, reference.stderr
    assert fast.stdout == reference.stdout
    assert len(json.loads(fast.stdout)["services"]) == 40


# --- numbers read by plans ---------------------------------------------------------------

#: Number fields with the units a portfolio writes them in, and the largest usual number.
_NUMBER_LINES = {
    "usage": (
        ("users", ("", "", " MB"), 10**9),
        ("data_per_visit", (" MB", " GB", " kB", ""), 10**4),
    ),
    "storage": (("volume", (" GB", " TB", " MB", ""), 10**5), ("replicas", ("",), 5)),
    "server": (
        ("count", ("",), 20),
        ("vcpu", ("",), 64),
        ("utilization", ("%",) * 4 + ("",), 100),
        ("power", (" W",) * 4 + (" kW",), 100),
    ),
}


#: Names: text YAML reads as itself (read without the block reader's line reader), and text
#: that is something else, or is refused, or that the fast path leaves to the reference.
_NAMES = ("Service {:05d}", "s{}", "Shop {} v1.2_b-c", "a..{}", "true", "Null", "yes", "no {}")
_NAMES += ("a: {}", "a #{}", "a#{}", "x  {}", "{} x", "Été {}", "x {} ", "~", "-{}", "'{}'")
_NAMES += ("{}", "{}.5", "{} MB", "{}%")


def _number(rng: random.Random, high: int) -> str:
    """A number as a portfolio writes it (whole, or with 1 to 6 decimals), or now and then
    one near a form or a bound the readers treat apart."""
    if rng.random() < 0.03:
        edges = ("0", "0.0", "007", "1.0000000", "999999999999", "1e3", "-3", "101", "513")
        return rng.choice(edges)
    whole = rng.randint(1, high)
    return str(whole) if rng.random() < 0.5 else f"{rng.uniform(0, high):.{rng.randint(1, 6)}f}"


def planned_file(rng: random.Random) -> str:
    """A questionnaire whose number fields and name hold values seen for the first time."""
    usage, storage, server = (
        {
            key: f"{_number(rng, high)}{rng.choice(units_)}"
            for key, units_, high in _NUMBER_LINES[part]
        }
        for part in ("usage", "storage", "server")
    )
    name = _NAMES[0] if rng.random() < 0.6 else rng.choice(_NAMES)
    lines = [
        f"name: {name.format(rng.randint(0, 99999))}",
        "usage:",
        f"  users: {usage['users']}",
        "  visits_per_user: 2 / month",
        "  visit_duration: 5 min",
        f"  data_per_visit: {usage['data_per_visit']}",
        "  devices:",
        "    laptop: 100%",
        "  network:",
        "    fixed: 100%",
        "hosting:",
        f"  pue: 1.{rng.randint(0, 99):02d}",
        "  servers:",
        "    - name: s0",
        f"      count: {server['count']}",
        "      type: virtual",
        f"      vcpu: {server['vcpu']}",
        f"      utilization: {server['utilization']}",
        f"      power: {server['power']}",
        "  storage:",
        f"    volume: {storage['volume']}",
        f"    replicas: {storage['replicas']}",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_numbers_and_names_seen_for_the_first_time_are_read_as_the_reference_reads_them(comma):
    """Each file holds new numbers in every number field: once a template's plan is made, the
    plan reads them; the records are the reference's to the bit, and out-of-range or
    unusual numbers are declined as the reference refuses them. Names likewise."""
    rng = random.Random(33)
    with units.decimal_comma(comma):
        taken = sum(_agrees(planned_file(rng)) for _ in range(3000))
    assert taken > 200  # the others hold a number out of its field's bounds
    usage = fast_path._ROOT.children["usage"]
    server = fast_path._ROOT.children["hosting"].children["servers"].item
    assert usage.plans[comma][("users", "")] == (1.0, False, usage.plans[comma][("users", "")][2])
    assert usage.plans[comma][("data_per_visit", " MB")][:2] == (1e6, False)
    assert server.plans[comma][("utilization", "%")][:2] == (100.0, True)  # 57% is 57 / 100
    assert not server.plans[comma].get(("utilization", ""))  # 2 is refused, 0.3 is not


def test_a_plan_is_made_only_where_one_operation_reads_as_the_reader_does():
    def read(raw):  # a reader that is not one multiplication: no plan, whatever its number
        return units.parse(raw, units.DATA, "MB") ** 1.0001

    assert fast_path._plan(read, float, "3", " MB", read("3 MB")) is False
    # 57 * 0.01 is 0.5700000000000001, 57 / 100 is 0.57: the division is the plan.
    assert fast_path._plan(units.parse_fraction, float, "57", "%", 0.57)[:2] == (100.0, True)
    # A plan that reads its own number otherwise than the line was read is not kept.
    assert fast_path._plan(units.parse_fraction, float, "57", "%", 0.58) is False
    # Both operations read the probes alike (a unit of 1): one multiplication by 1.
    assert fast_path._plan(units.parse_number, float, "4", "", 4.0)[:2] == (1.0, False)


def _number_fields() -> list[tuple[str, plain.Reader]]:
    """Every number field the fast path may plan, as (section.key, its reader)."""
    found, todo, seen = [], [("", fast_path._ROOT)], set()
    while todo:
        where, section = todo.pop()
        if id(section) in seen:
            continue
        seen.add(id(section))
        if section.kind == fast_path._ITEMS:
            todo.append((where + "[]", section.item))
        for key, child in section.children.items():
            if section.readers[key] in plain.NUMBERS:
                found.append((f"{where}.{key}", section.readers[key]))
            todo.append((f"{where}.{key}", child))
    return sorted(found, key=lambda found: found[0])


#: Every unit a number line of the template may carry: none, a percent sign, and each unit
#: of every dimension that is a word of ASCII letters (the template's), with its space.
_ASCII_UNITS = [u for d in units.DIMENSIONS for u in d.units if u.isascii() and u.isalpha()]
_TEMPLATE_UNITS = ("", "%", " users", *(f" {unit}" for unit in _ASCII_UNITS if len(unit) <= 8))


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_a_plan_reads_every_number_as_its_field_does_in_every_field_and_unit(comma):
    """Beyond the probes a plan is checked on: in every number field of every section and
    with every unit the template takes, a plan made from one line reads random numbers
    (whole, 1 to 6 decimals, up to 12 digits) to the field reader's bit, or both refuse."""
    rng = random.Random(41)
    planned = 0
    with units.decimal_comma(comma):
        for where, reader in _number_fields():
            read_value, check = plain.NUMBERS[reader]
            for unit in _TEMPLATE_UNITS:
                try:
                    three = reader(_scalar("3" + unit))
                except Exception:  # the field refuses 3 in this unit: no line to plan from
                    continue
                plan = fast_path._plan(read_value, check, "3", unit, three)
                if not plan:
                    continue
                planned += 1
                factor, divide, plan_check = plan
                for _ in range(60):
                    whole = str(rng.randint(0, 10 ** rng.randint(1, 12) - 1))
                    number = whole if rng.random() < 0.3 else f"{whole}.{rng.randint(0, 999999)}"
                    try:
                        expected = repr(reader(_scalar(number + unit)))
                    except Exception:
                        expected = "refused"
                    value = float(number) / factor if divide else float(number) * factor
                    try:
                        got = repr(plan_check(value))
                    except Exception:
                        got = "refused"
                    assert got == expected, (where, number + unit)
    assert len(_number_fields()) > 30 and planned > 100  # every section's fields, most units


# --- shapes seen before, holding other numbers -------------------------------------------

#: What may happen to a line of a file whose shape the fast path knows: a key given twice,
#: the line moved up a section or down one, a comment, CRLF, numbers YAML reads otherwise.
_SHIFTS = (
    lambda lines, i, rng: lines.insert(i, lines[i]),
    lambda lines, i, rng: lines.insert(rng.randrange(len(lines)), lines.pop(i)),
    lambda lines, i, rng: lines.__setitem__(i, lines[i][2:]),
    lambda lines, i, rng: lines.__setitem__(i, "  " + lines[i]),
    lambda lines, i, rng: lines.__setitem__(i, lines[i] + rng.choice((" # note", "\r", " "))),
    lambda lines, i, rng: lines.__setitem__(
        i, re.sub(r"(?<=: )[0-9]+", lambda m: rng.choice(("007", "1e3", "1,5", "0x1")), lines[i])
    ),
)


def shaped_file(rng: random.Random) -> str:
    """A file of the usual shape whose numbers are new and mostly within their bounds."""
    whole = lambda high: str(rng.randint(1, high))  # noqa: E731
    decimal = lambda high: f"{rng.uniform(0.01, high):.{rng.randint(1, 4)}f}"  # noqa: E731
    either = lambda high: whole(high) if rng.random() < 0.5 else decimal(high)  # noqa: E731
    lines = [
        f"name: Service {rng.randint(0, 99999):05d}",
        "usage:",
        f"  users: {whole(10**7)}",
        "  visits_per_user: 2 / month",
        f"  visit_duration: {either(50)} min",
        f"  data_per_visit: {either(90)} {rng.choice(('MB', 'kB', 'GB'))}",
        "  devices:",
        *rng.choice((["    laptop: 100%"], ["    laptop: 60%", "    smartphone: 40%"])),
        "  network:",
        "    fixed: 100%",
        "  location: FRA",
        "hosting:",
        f"  pue: 1.{rng.randint(0, 99):02d}",
        "  servers:",
        "    - name: s0",
        f"      count: {whole(9)}",
        "      type: virtual",
        f"      vcpu: {whole(32)}",
        f"      utilization: {whole(99)}%",
        f"      power: {either(400)} W",
        "  storage:",
        f"    volume: {either(5000)} {rng.choice(('GB', 'TB'))}",
        f"    replicas: {whole(3)}",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_known_shapes_with_new_numbers_and_a_line_astray_are_read_as_the_reference_does(comma):
    """Every file of the usual shape, new numbers in its number fields (read by their plans
    in the open section, the sections closed and opened by lines read before), and one in
    three with a line moved, doubled, indented otherwise or spelt otherwise: the fast path
    declines it or builds the reference's records, bit for bit."""
    rng = random.Random(34)
    taken = astray = 0
    with units.decimal_comma(comma):
        for n in range(3000):
            lines = shaped_file(rng).split("\n")
            if n % 3 == 0:
                rng.choice(_SHIFTS)(lines, rng.randrange(len(lines) - 1), rng)
            text = "\n".join(lines)
            if n % 50 == 0:
                text = "\ufeff" + text.replace("\n", "\r\n")
            read = _agrees(text)
            taken += read
            astray += read and n % 3 == 0
            if n % 3 and n % 50 and not read:  # the usual shape: declined only where refused
                assert _reference(text) is None, text
    assert taken > 1500 and astray > 150


# --- the usual shape, read whole ---------------------------------------------------------


def usual_file(rng: random.Random) -> str:
    """A file of a portfolio's usual shape (benchmarks/bench_portfolio.py writes these), with
    values new and seen before, some of them out of bounds or read otherwise by YAML."""
    odd = lambda usual, *others: usual if rng.random() < 0.97 else rng.choice(others)  # noqa: E731
    devices = [f"    {name}: {share}" for name, share in _shares(rng, _DEVICES)]
    countries = [country for country in _COUNTRIES if country[0] != " "]  # (see _VALUE)
    mobile = rng.randint(0, 100)
    lines = [
        f"name: {odd(f'Service {rng.randint(0, 99999):05d}', 'x', 'null', 'a.b-c_d 2')}",
        "usage:",
        f"  users: {odd(str(rng.randint(1, 2_000_000)), '0', '1.5', '12 users', '1e3', '~')}",
        f"  visits_per_user: {odd(f'{rng.randint(1, 30)} / month', '24', '2/week')}",
        f"  visit_duration: {odd(f'{rng.randint(1, 45)} min', '1,5 min', '25 h', '3')}",
        f"  data_per_visit: {odd(f'{rng.uniform(0.1, 50):.2f} MB', '2,5 MB', 'true', '-1 MB')}",
        "  devices:",
        *devices,
        "  network:",
        f"    mobile: {mobile}%",
        f"    fixed: {odd(f'{100 - mobile}%', '50%', '1')}",
        f"  location: {odd(rng.choice(countries), 'null', '2')}",
        "hosting:",
        f"  location: {rng.choice(countries)}",
        f"  pue: {odd(f'{rng.uniform(1.1, 2.0):.2f}', '0.9', '1,5', '2')}",
        "  servers:",
    ]
    for k in range(rng.randint(1, 4)):
        lines += [f"    - name: s{k}", f"      count: {odd(str(rng.randint(1, 6)), '0', '2.5')}"]
        if rng.random() < 0.6:
            lines += ["      type: virtual", f"      vcpu: {odd('8', '2.6', '0')}"]
        else:
            lines.append("      type: physical")
            if rng.random() < 0.5:
                lines.append(f"      power: {rng.randint(120, 400)} W")
        if rng.random() < 0.5:
            lines.append(f"      utilization: {odd(f'{rng.randint(5, 80)}%', '130%', '0.3')}")
    if rng.random() < 0.7:
        lines += [
            "  storage:",
            f"    volume: {odd(f'{rng.randint(1, 5000)} GB', '1,5 TB', '-1 GB', '0')}",
            f"    type: {odd(rng.choice(('ssd', 'hdd')), 'tape')}",
            f"    replicas: {odd(str(rng.randint(1, 3)), '0', '1.0')}",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_files_of_the_usual_shape_are_read_whole_as_the_reference_reads_them(comma):
    """Read whole (`_usual`), not line by line, wherever the reference takes them: the same
    records, bit for bit, and the same refusals (then the line-by-line way declines)."""
    rng = random.Random(35)
    whole = 0
    with units.decimal_comma(comma):
        for _ in range(3000):
            text = usual_file(rng)
            read = fast_path._usual(text, comma)
            expected = _reference(text)
            if expected is None or fast_path.rules.impossible(expected):
                assert fast_path.read(text) is None, text
                continue
            assert read is not None, text  # taken whole, not line by line
            assert record_shape(read) == record_shape(expected), text
            whole += 1
    assert whole > 1000


def test_the_usual_shape_s_possessive_pattern_matches_as_the_backtracking_one():
    """`_USUAL`'s values and section lines give nothing back (possessive): the same texts
    match, cut into the same groups, as with the quantifiers that backtrack."""
    backtracking = re.compile(fast_path._USUAL.pattern.replace("*+", "*").replace("++", "+"))
    assert backtracking.pattern != fast_path._USUAL.pattern
    rng, matched = random.Random(41), 0
    for _ in range(500):
        text = usual_file(rng)
        lines = text.split("\n")
        at = rng.randrange(len(lines))
        for changed in (text, "\n".join([*lines[:at], *_lines_astray(rng), *lines[at:]])):
            possessive = fast_path._USUAL.fullmatch(changed)
            assert (possessive is None) == (backtracking.fullmatch(changed) is None), changed
            if possessive is not None:
                assert possessive.groups() == backtracking.fullmatch(changed).groups()
                matched += 1
    assert matched > 500


def _lines_astray(rng: random.Random) -> list[str]:
    """A line or two a usual file does not hold there, at any indent."""
    pool = ("  storage:", "    - name: s9", "  network:", "    x: 1", "      y: 2", "", "  z:")
    return rng.sample(pool, rng.randint(1, 2))


def test_new_numbers_of_the_usual_shape_are_read_by_their_plans_from_the_match():
    """A user count, a data size and a volume: read by their plans from the number and unit
    `_USUAL` cut from their lines, as the reference reads them, and not remembered by line
    (a portfolio writes most of them once)."""
    rng = random.Random(43)
    for _ in range(50):  # the plans, made from the first lines read the reference way
        fast_path._usual(usual_file(rng), False)
    base = (
        "name: Service 00001\nusage:\n  users: {users}\n  visits_per_user: 3 / month\n"
        "  visit_duration: 5 min\n  data_per_visit: {data}\n  devices:\n    laptop: 100%\n"
        "  network:\n    fixed: 100%\n  location: FRA\nhosting:\n  location: FRA\n"
        "  pue: 1.5\n  servers:\n    - name: s0\n      count: 2\n      type: virtual\n"
        "      vcpu: 2\n  storage:\n    volume: {volume}\n    type: ssd\n    replicas: 2\n"
    )
    usage, storage = fast_path._USAGE.known[False], fast_path._STORAGE.known[False]
    for users, data, volume in (("1234567", "12.34 MB", "4321 GB"), ("7654321", "0.57 MB", "9 GB")):
        text = base.format(users=users, data=data, volume=volume)
        read = fast_path._usual(text, False)
        assert read is not None and _agrees(text)
        assert record_shape(read) == record_shape(_reference(text))
        assert f"  users: {users}" not in usage and f"  data_per_visit: {data}" not in usage
        assert f"    volume: {volume}" not in storage


def test_a_usual_file_s_usage_is_checked_by_its_visits_and_duration_lines():
    """`_usual` remembers whether `rules.impossible` passes a usage by its visits' and
    duration's lines, together: 20 visits a day of 1 h pass, of 2 h (40 h a day) do not,
    whatever was read before (the reference refuses it; the fast path declines it)."""
    text = (
        "name: Service 00001\nusage:\n  users: 1200\n  visits_per_user: 20 / day\n"
        "  visit_duration: {duration}\n  data_per_visit: 2.50 MB\n  devices:\n"
        "    laptop: 100%\n  network:\n    fixed: 100%\n  location: FRA\nhosting:\n"
        "  location: FRA\n  pue: 1.5\n  servers:\n    - name: s0\n      count: 2\n"
        "      type: virtual\n      vcpu: 2\n"
    )
    for _ in range(2):
        for duration, possible in (("1 h", True), ("2 h", False), ("61 min", True)):
            usual = text.format(duration=duration)
            assert _agrees(usual) is possible, duration
            assert (fast_path._usual(usual, False) is not None) is possible, duration
    assert ("  visits_per_user: 20 / day", "  visit_duration: 2 h") in fast_path._POSSIBLE[False]


def test_the_usual_shape_s_names_are_what_the_name_s_reader_makes_of_them():
    """`_usual` takes the name `_USUAL` cut as it is, without calling its reader."""
    read_name = fast_path._ROOT.readers["name"]
    names = ["a", "Z", "Service 00001", "a.b-c_d 2", "x" * 300, "A 1 2 3", "b-", "c.", "d_ e"]
    rng = random.Random(47)
    names += [usual_file(rng).split("\n", 1)[0].removeprefix("name: ") for _ in range(200)]
    for name in names:
        text = usual_file(rng).split("\n", 1)[1]
        match = fast_path._USUAL.fullmatch(f"name: {name}\n{text}")
        if match is not None and name not in fast_path._NOT_TEXT_KEYS:
            assert read_name(match[1]) == match[1] == name
            read = fast_path._usual(f"name: {name}\n{text}", False)
            assert read is None or read.name == name


#: Lines of the usual shape `_usual` must leave to the line-by-line way, and where they go.
_ASTRAY = {
    "    laptop: 50%": (
        "    laptop: 50%\n    laptop: 50%",  # a key given twice
        "      laptop: 50%",  # further right than its section's keys
        "    # laptop: 50%",  # a comment among the section's lines
        "    laptop:",  # a key whose value is below
        "    - laptop: 50%",  # an item where a key belongs
    ),
    "      count: 2": (
        "    -   count: 2",  # a wider dash
        "      - count: 2",  # an item in an item
        "      count: 2\n      count: 2",
        "      count:\n        x: 1",
        "",
    ),
    "  pue: 1.5": ("  pue: # none", "  pue: 1.5\n  pue: 1.5", "   pue: 1.5", "  pue: [1.5]"),
    "name: Service 00001": ("name: true", "name: x: y", "name: 'quoted'", "name: a  b"),
}


def test_lines_astray_in_the_usual_shape_are_left_to_the_line_by_line_way():
    usual = (
        "name: Service 00001\nusage:\n  users: 1200\n  visits_per_user: 3 / month\n"
        "  visit_duration: 5 min\n  data_per_visit: 2.50 MB\n  devices:\n    laptop: 50%\n"
        "    desktop: 50%\n  network:\n    fixed: 100%\n  location: FRA\nhosting:\n"
        "  location: FRA\n  pue: 1.5\n  servers:\n    - name: s0\n      count: 2\n"
        "      type: virtual\n      vcpu: 2\n  storage:\n    volume: 5 GB\n    type: ssd\n"
        "    replicas: 2\n"
    )
    assert _agrees(usual) and fast_path._usual(usual, False) is not None
    for line, others in _ASTRAY.items():
        assert line in usual
        for other in others:
            text = usual.replace(line, other)
            assert fast_path._usual(text, False) is None, text
            _agrees(text)  # the line-by-line way declines it or reads it as the reference


def test_the_usual_shape_s_sections_need_no_check_and_hold_their_required_keys():
    """`_usual` makes their records without `_record`'s checks."""
    for section, keys in (
        (fast_path._USAGE, fast_path._USAGE_KEYS),
        (fast_path._HOSTING, fast_path._HOSTING_KEYS),
        (fast_path._STORAGE, fast_path._STORAGE_KEYS),
        (fast_path._ROOT, fast_path._ROOT_KEYS),
    ):
        assert section.check is None and section.required <= keys
        assert keys <= set(section.readers)


def test_an_item_s_first_line_read_before_is_not_taken_as_the_value_of_a_key_above(tmp_path):
    """After `instance:` with no value, `    - count: 2` (read before as a server's first
    line) starts the next server: it was taken as one more key of the server above, so two
    servers read as one and a file the reference refuses was taken (found in review)."""
    usage = (
        "name: s\nusage:\n  users: 10\n  visits_per_user: 2 / month\n"
        "  visit_duration: 5 min\n  data_per_visit: 1 MB\n"
        "  devices:\n    laptop: 100%\n  network:\n    fixed: 100%\n  location: FRA\n"
        "hosting:\n  location: FRA\n  servers:\n"
    )
    first = usage + "    - count: 2\n      name: a\n      type: physical\n"
    merged = (
        usage + "    - count: 2\n      name: s9\n      type: physical\n"
        "    - name: s0\n      type: virtual\n      instance:\n"
        "    - count: 2\n      vcpu: 4\n"
    )
    assert _agrees(first)  # `    - count: 2` is now a remembered server's first line
    assert _reference(merged) is None  # the reference refuses it
    assert fast_path.read(merged) is None
    for name, text in (("first.yaml", first), ("merged.yaml", merged)):  # one run, in order
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli_in_process(
        "validate", str(tmp_path / "first.yaml"), str(tmp_path / "merged.yaml")
    )
    assert result.returncode == 2, result.stdout
    assert "merged.yaml:18:7: hosting.servers[1]: a virtual server needs 'vcpu'" in result.stderr
    assert "merged.yaml:21:7: hosting.servers[2]: missing required key 'type'" in result.stderr


def _sections(section=fast_path._ROOT):
    """Every section the fast path reads, the root's and below."""
    yield section
    for child in [*section.children.values(), *([section.item] if section.item else [])]:
        yield from _sections(child)


def test_long_lines_and_items_are_read_but_not_remembered():
    """What a cache keeps is bounded by its size too, not only its count: a server named in
    2,000 characters is read as the reference reads it, and neither its line nor its item is
    kept (100,000 such files with 100 KB names kept some 930 MB)."""
    long_name = "n" * 2000
    rng, read = random.Random(5), 0
    for k in range(20):
        text = usual_file(rng).replace("    - name: s0", f"    - name: {long_name}{k}", 1)
        read += _agrees(text)
    kept = [
        key
        for section in _sections()
        for caches in (section.known, section.by_lines)
        for cache in caches
        for key in cache
    ]
    assert read > 5 and kept  # long files read by the fast path; the usual lines remembered
    longest = max(len(k) if isinstance(k, str) else sum(map(len, k)) for k in kept)
    assert longest <= fast_path.REMEMBERED_UP_TO < len(long_name)


def _records_of(value: object) -> list[records.Record]:
    """A record and every record inside it."""
    if isinstance(value, list):
        return [r for item in value for r in _records_of(item)]
    if not isinstance(value, records.Record):
        return []
    return [value, *(r for _, v in value.items() for r in _records_of(v))]


def test_the_usual_shape_s_records_hold_their_fields_as_trusted_makes_them():
    """`_usual` gives each record its fields at once: every field and `given`, nothing more,
    each default as `Record.trusted` fills it (a list a record's own), the same records."""
    rng, read = random.Random(53), 0
    for _ in range(300):
        text = usual_file(rng)
        questionnaire = fast_path._usual(text, False)
        if questionnaire is None:
            continue
        read += 1
        for record in _records_of(questionnaire):
            cls = type(record)
            assert list(record.__dict__) == [*cls.FIELDS, "given"] or isinstance(
                record, records.Server | records.Devices | records.Network
            )
            given = {name: record.__dict__[name] for name in record.given}
            trusted = cls.trusted(record.given, given)
            assert record.__dict__ == trusted.__dict__  # (1 is 1.0 here, not below)
            assert record_shape(record) == record_shape(trusted)
        again = fast_path._usual(text, False)
        assert questionnaire.budgets is not again.budgets
        assert questionnaire.hosting.shared is not again.hosting.shared
    assert read > 150


@pytest.mark.parametrize("comma", [False, True], ids=["point", "decimal comma"])
def test_a_new_shares_section_is_read_from_its_lines_fractions_as_its_reader_reads_it(comma):
    """A devices or network section not seen before, its lines seen before: made from the
    fractions its lines are remembered as, the record its reader makes of its values (and
    left to the reader where they do not sum to 100%: it scales or refuses them)."""
    rng, taken, left = random.Random(59), 0, 0
    section = fast_path._DEVICES
    with units.decimal_comma(comma):
        for _ in range(400):
            lines = [f"    {name}: {share}" for name, share in _shares(rng, _DEVICES)]
            if rng.random() < 0.1:
                lines[-1] = lines[-1].replace("%", "0%")  # 10 times the share: over 100%
            try:
                values = fast_path._values(section, lines, 4, comma)
                expected = section.read(values)
            except Exception:
                expected = None
            made = fast_path._shares(section, lines, comma)
            if made is None:
                left += 1
                continue
            taken += 1
            assert expected is not None and record_shape(made) == record_shape(expected)
    assert taken > 200 and left > 20
    assert all(type(f) is float for _, f in section.fractions[comma].values())
