"""The assumptions table: defaults read like inputs, ranges as written."""

from __future__ import annotations

from conftest import MINIMAL

from acvnum.calculation import assumptions
from acvnum.questionnaire.ranges import validate_ranges
from acvnum.questionnaire.yaml_reader import parse_yaml
from acvnum.reference.factors import load_factors

HOSTING = """\
hosting:
  servers:
    - name: db
      type: physical
  storage:
    volume: 10 GB
"""


def json_path(a) -> str:
    """A row's path as the JSON writes it: the key, then the note in English ('(idle)')."""
    return f"{a.path}{a.note or ''}"


def rows(text: str) -> dict[str, str]:
    bounds = validate_ranges(parse_yaml(text, "s.yaml"))
    found = assumptions.collect(bounds.central, load_factors(), bounds.written)
    return {json_path(a): str(a.value) for a in found}


def collected(text: str) -> dict:
    bounds = validate_ranges(parse_yaml(text, "s.yaml"))
    return {json_path(a): a for a in assumptions.collect(bounds.central, load_factors())}


def test_defaults_are_written_as_the_questionnaire_would_write_them():
    used = rows(MINIMAL + HOSTING)
    assert used["hosting.servers[0].utilization"] == "50%"  # not '0.5 1'
    assert used["hosting.pue"] == "1.56"  # no unit '1'
    assert used["hosting.storage.replicas"] == "3"
    assert used["hosting.servers[0].lifetime"] == "4 years"  # not '4 year'
    assert used["terminals.laptop.lifetime"] == "5 years"
    assert used["hosting.servers[0].power (idle)"] == "50 W"


def test_a_configured_server_shows_the_watts_of_its_configuration():
    small = HOSTING.replace("type: physical", "type: physical\n      archetype: small")
    found = collected(MINIMAL + small)
    # small archetype: 50 W × 48.888 / 172.592 and 300 W × 137.208 / 437.552 (test_engine)
    assert str(found["hosting.servers[0].power (idle)"].value) == "14.2 W"
    assert str(found["hosting.servers[0].power (full load)"].value) == "94.1 W"
    assert found["hosting.servers[0].power (idle)"].source == assumptions.SERVER_POWER_MODEL


def test_what_acvnum_adds_after_a_key_is_the_row_s_note_not_its_path():
    found = collected(MINIMAL + HOSTING)
    idle, full = (
        found["hosting.servers[0].power (idle)"],
        found["hosting.servers[0].power (full load)"],
    )
    assert (idle.path, idle.note) == ("hosting.servers[0].power", assumptions.IDLE)
    assert (full.path, full.note) == ("hosting.servers[0].power", assumptions.FULL_LOAD)
    assert found["hosting.servers[0].lifetime"].note is None


def test_a_range_shows_as_written_with_its_central_value():
    text = MINIMAL.replace("10 MB", "2 MB..4 MB") + HOSTING + "  pue: 1.2..1.8\n"
    used = rows(text)
    assert used["usage.data_per_visit"] == "2 MB..4 MB (central 2.83 MB)"
    assert used["hosting.pue"] == "1.2..1.8 (central 1.47)"
    assert used["usage.visit_duration"] == "6 min"  # not a range: as before


def test_a_ranged_duration_shows_its_centre_in_its_largest_unit():
    """sqrt(4 x 7) = 5.2915 years: '5.29 years', never its count of seconds (1.67e+08 s)."""
    servers = HOSTING.replace(
        "      type: physical", "      type: physical\n      lifetime: 4 years..7 years"
    )
    used = rows(MINIMAL + servers)
    assert used["hosting.servers[0].lifetime"] == "4 years..7 years (central 5.29 years)"


def test_a_range_reads_in_french_number_by_number():
    """The ends as written and the centre, each number in French with the digits shown."""
    from acvnum.i18n import Translator

    text = MINIMAL.replace("10 MB", "2 MB..4 MB") + HOSTING + "  pue: 1.2..1.8\n"
    bounds = validate_ranges(parse_yaml(text, "s.yaml"))
    found = assumptions.collect(bounds.central, load_factors(), bounds.written)
    fr = {a.path: Translator("fr").value(a.value) for a in found}
    assert fr["usage.data_per_visit"] == "2\u00a0Mo..4\u00a0Mo (valeur centrale 2,83\u00a0Mo)"
    assert fr["hosting.pue"] == "1,2..1,8 (valeur centrale 1,47)"


def test_spaces_around_a_range_s_dots_are_kept_in_english_and_each_end_read_in_french():
    """'2 MB .. 4 MB': the spaces belong to the range, not to its ends; the ends were once
    left as text in French ('2 Mo.. 4 MB': the second end untranslated)."""
    from acvnum.i18n import Translator

    text = MINIMAL.replace("10 MB", "2 MB .. 4 MB") + HOSTING + "  pue: 1.2 .. 1.8\n"
    bounds = validate_ranges(parse_yaml(text, "s.yaml"))
    found = assumptions.collect(bounds.central, load_factors(), bounds.written)
    en = {a.path: Translator("en").value(a.value) for a in found}
    fr = {a.path: Translator("fr").value(a.value) for a in found}
    assert en["usage.data_per_visit"] == "2 MB .. 4 MB (central 2.83 MB)"
    assert fr["usage.data_per_visit"] == "2\u00a0Mo..4\u00a0Mo (valeur centrale 2,83\u00a0Mo)"
    assert en["hosting.pue"] == "1.2 .. 1.8 (central 1.47)"
    assert fr["hosting.pue"] == "1,2..1,8 (valeur centrale 1,47)"


def test_a_range_read_with_a_decimal_comma_shows_the_numbers_read():
    """'1,500 kB..2,5 MB' as --lang fr reads it is 1.5 kB..2.5 MB: its centre is
    sqrt(1500 x 2.5e6) B = 61.2 kB. The rows are made when first read, after the reading's
    decimal_comma block (a report is rendered after it): the convention comes with the
    bounds. French shows the ends read, with the digits written ('1,500': 4); the JSON's
    English shows the range as the file wrote it."""
    from acvnum.i18n import Translator
    from acvnum.questionnaire.units import decimal_comma

    with decimal_comma():
        bounds = validate_ranges(parse_yaml(MINIMAL.replace("10 MB", "1,500 kB..2,5 MB"), "s.yaml"))
    view = assumptions.Assumptions(bounds.central, load_factors(), bounds.written, None, True)
    (row,) = [a for a in view if a.path == "usage.data_per_visit"]
    assert str(row.value) == "1,500 kB..2,5 MB (central 61.2 kB)"
    assert Translator("fr").value(row.value) == (
        "1,500\u00a0ko..2,5\u00a0Mo (valeur centrale 61,2\u00a0ko)"
    )
    # Read without the comma, an end the reader would refuse is shown as written.
    (english,) = [
        a
        for a in assumptions.collect(bounds.central, load_factors(), bounds.written)
        if a.path == "usage.data_per_visit"
    ]
    assert Translator("fr").value(english.value).startswith("1,500 kB..2,5 MB")


def test_terminal_settings_are_inputs_and_the_rest_defaults():
    terminals = """
terminals:
  location: SWE
  laptop:
    lifetime: 7 years
    hours_per_day: 2 h
"""
    used = collected(MINIMAL + terminals)
    assert (
        str(used["terminals.laptop.lifetime"].value),
        used["terminals.laptop.lifetime"].status,
    ) == (
        "7 years",
        "input",
    )
    assert str(used["terminals.laptop.hours_per_day"].value) == "2 h/day"
    assert used["terminals.laptop.power"].status == "default"
    assert str(used["terminals.laptop.power"].value) == "26.5 W"  # ADEME average draw in use
    assert (str(used["terminals.location"].value), used["terminals.location"].status) == (
        "SWE",
        "input",
    )


def test_terminals_location_defaults_to_the_users():
    used = collected(MINIMAL)
    assert used["terminals.location"].status == "default"
    assert used["terminals.location"].source == "usage.location"


def test_infrastructure_allocation_is_named_with_its_reference_power():
    default = collected(MINIMAL + HOSTING)
    assert str(default["hosting.infrastructure"].value) == "per_server"
    assert default["hosting.infrastructure"].status == "default"
    assert "hosting.infrastructure.server_power" not in default
    per_kw = collected(
        MINIMAL + HOSTING.replace("hosting:\n", "hosting:\n  infrastructure: per_kw\n")
    )
    assert per_kw["hosting.infrastructure"].status == "input"
    assert str(per_kw["hosting.infrastructure.server_power"].value) == "0.367 kW/server"


def test_kept_devices_show_their_count_and_each_parameter():
    kept = """
terminals:
  equipment:
    speaker: 0.29
  speaker:
    standby: 1 W
  laptop:
    standby: 0.5 W
"""
    used = collected(MINIMAL + kept)
    assert (
        str(used["terminals.equipment.speaker"].value),
        used["terminals.equipment.speaker"].status,
    ) == ("0.29", "input")
    assert (str(used["terminals.speaker.power"].value), used["terminals.speaker.power"].status) == (
        "20 W",
        "default",
    )
    assert str(used["terminals.speaker.hours_per_day"].value) == "3 h/day"
    assert (
        str(used["terminals.speaker.standby"].value),
        used["terminals.speaker.standby"].status,
    ) == ("1 W", "input")
    # A visit device's standby is shown only where given (none is counted otherwise).
    assert str(used["terminals.laptop.standby"].value) == "0.5 W"
    assert not any(path.startswith("terminals.printer") for path in used)
    assert "terminals.laptop.standby" not in collected(MINIMAL)


SERVERS = """\
hosting:
  location: {location}
  environments: {environments}
  infrastructure: {infrastructure}
  servers:
    - name: a
      type: virtual
      vcpu: 4
      utilization: {utilization}
    - name: b
      type: physical
      power: {power}
    - name: c
      type: physical
      archetype: {archetype}
      cpus: {cpus}
      memory: 64 GB
    - name: d
      type: virtual
      provider: ovhcloud
      instance: b3-16
      lifetime: {lifetime}
"""


def _variants() -> list[str]:
    """Questionnaires whose rows share paths with values equal as numbers but written apart
    (1 and 1.0, 0 and -0.0), or differing in one field a shared row is made from."""
    texts = []
    for i, (utilization, power, cpus, lifetime, environments) in enumerate(
        [
            ("50%", "200 W", 2, "5 years", 1),
            ("50.0%", "200.0 W", 2.0, "5.0 years", 1.0),
            ("0%", "150 W", 1, "4 years", 2),
            ("-0.0%", "150.0 W", 1.0, "4 years", 2.0),
            ("51%", "200 W", 3, "6 years", 3),
        ]
    ):
        hosting = SERVERS.format(
            location=("FRA", "DEU")[i % 2],
            environments=environments,
            infrastructure=("per_server", "per_kw")[i % 2],
            utilization=utilization,
            power=power,
            archetype=("medium", "large")[i % 2],
            cpus=cpus,
            lifetime=lifetime,
        )
        texts.append(MINIMAL + hosting)
        texts.append(MINIMAL.replace("location: FRA", "location: DEU") + hosting)
    return texts


def _clear_caches() -> None:
    for value in vars(assumptions).values():
        clear = getattr(value, "cache_clear", None)
        if clear is not None:
            clear()
    assumptions._PIECES.clear()


def _strict(rows) -> list:
    """Each row as what tells it apart: its value's amount type as well as the value."""
    return [
        (a.path, a.note, type(a.value.amount), a.value, str(a.value), a.status, a.source)
        for a in rows
    ]


def test_rows_made_once_and_shared_are_those_made_afresh_for_each_file(tmp_path):
    """collect shares rows between files (servers, choices, regions, defaults); each file's
    rows are what they are when every cache starts empty for it."""
    import sys

    from conftest import EXAMPLES, ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_portfolio import generate

    generate(tmp_path, 60)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
    texts += _variants()
    table = load_factors()
    read = [validate_ranges(parse_yaml(text, "s.yaml")) for text in texts]
    shared = [_strict(assumptions.collect(b.central, table, b.written)) for b in read]
    for bounds, rows_shared in zip(read, shared, strict=True):
        _clear_caches()
        assert _strict(assumptions.collect(bounds.central, table, bounds.written)) == rows_shared
