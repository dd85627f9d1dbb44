"""Questionnaire ranges (low..high): central value, both ends validated, located errors."""

import time

import pytest
from conftest import MINIMAL

from acvnum.errors import InputError
from acvnum.questionnaire.ranges import validate_ranges
from acvnum.questionnaire.yaml_reader import parse_yaml


def bounds(text: str):
    return validate_ranges(parse_yaml(text, "service.yaml"))


def test_a_range_has_its_geometric_mean_as_central_value():
    b = bounds(MINIMAL.replace("10 MB", "2 MB..8 MB"))
    assert b.central.usage.data_per_visit == pytest.approx(4e6)  # sqrt(2 x 8) = 4 MB
    assert (b.low.usage.data_per_visit, b.high.usage.data_per_visit) == (2e6, 8e6)
    assert b.written == {"usage.data_per_visit": "2 MB..8 MB"}


def test_the_high_end_lends_its_unit_and_zero_takes_the_arithmetic_mean():
    b = bounds(MINIMAL.replace("10 MB", "0..10 MB"))
    assert b.low.usage.data_per_visit == 0.0
    assert b.central.usage.data_per_visit == pytest.approx(5e6)  # (0 + 10) / 2 = 5 MB
    b = bounds(MINIMAL.replace("6 min", "4..9 min"))
    assert b.central.usage.visit_duration == pytest.approx(6 * 60)  # sqrt(4 x 9) = 6 min


def test_dots_are_looked_for_in_the_text_as_written_then_in_the_data():
    from acvnum.questionnaire.ranges import _may_hold_range

    assert not _may_hold_range(parse_yaml(MINIMAL, "q.yaml"))
    noted = parse_yaml(MINIMAL + "# 2..4 MB would be a range\n", "q.yaml")
    assert noted.verbatim is not None and not _may_hold_range(noted)  # a comment: the data has none
    assert _may_hold_range(parse_yaml(MINIMAL.replace("10 MB", "2 MB..4 MB"), "q.yaml"))
    assert _may_hold_range(parse_yaml(MINIMAL.replace("10 MB", "2 MB\u2026 4 MB"), "q.yaml"))
    escaped = parse_yaml(MINIMAL.replace("10 MB", '"2 MB\\x2e.4 MB"'), "q.yaml")
    assert escaped.verbatim is None and _may_hold_range(escaped)  # '2 MB..4 MB' once read
    changed = parse_yaml(MINIMAL, "q.yaml").with_data({"usage": {"users": "1..2"}})
    assert changed.verbatim is None and _may_hold_range(changed)  # a what-if copy: its data
    b = bounds(MINIMAL.replace("10 MB", "2 MB..4 MB") + "# 1..2\n")
    assert b.written == {"usage.data_per_visit": "2 MB..4 MB"}


def test_without_ranges_the_three_questionnaires_are_one():
    b = bounds(MINIMAL)
    assert b.central is b.low is b.high and b.written == {}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("10 MB", "8 MB..2 MB", "usage.data_per_visit: the low end exceeds the high end"),
        ("users: 1000", "users: 10..20", "usage.users cannot be a range"),
        ("10 MB", "2 MB..4 XB", "unknown data unit 'XB'"),
    ],
)
def test_bad_ranges_are_located(old, new, message):
    with pytest.raises(InputError) as error:
        bounds(MINIMAL.replace(old, new))
    (problem,) = error.value.problems
    assert message in str(problem.message)
    assert (problem.file, problem.line) == ("service.yaml", MINIMAL.split(old)[0].count("\n") + 1)


@pytest.mark.parametrize(
    ("new", "refused"),
    [
        ("1,5 MB..2 MB", ["'1,5 MB'"]),
        ("1 MB..2,5 MB", ["'2,5 MB'"]),
        ("1,5..2,5 MB", ["'1,5'", "'2,5 MB'"]),
    ],
)
def test_a_decimal_comma_at_either_end_is_located_not_a_crash(new, refused):
    """Without --lang fr a comma between digits is refused at the range's line, for each end
    written so (it used to escape as a traceback when the unit of an end was looked up)."""
    with pytest.raises(InputError) as error:
        bounds(MINIMAL.replace("10 MB", new))
    line = MINIMAL.split("10 MB")[0].count("\n") + 1
    assert [(p.line, str(p.message).split(" has ")[0]) for p in error.value.problems] == [
        (line, f"usage.data_per_visit: {text}") for text in refused
    ]


def test_thousands_separators_are_read_at_both_ends_as_in_a_plain_value():
    """'1 000..4 000 kB' is 1 MB..4 MB (central sqrt(1 x 4) = 2 MB), shown as written."""
    found = bounds(MINIMAL.replace("10 MB", "1 000..4\u202f000 kB"))
    assert found.low.usage.data_per_visit == pytest.approx(1e6)
    assert found.central.usage.data_per_visit == pytest.approx(2e6)
    assert found.written == {"usage.data_per_visit": "1 000..4\u202f000 kB"}
    assert found.comma is False  # read as English reads it


def test_a_decimal_comma_range_is_read_with_lang_fr():
    """'1,5..2,5 Mo' under --lang fr is 1.5 MB..2.5 MB: central sqrt(1.5 x 2.5) = 1.9365 MB."""
    from acvnum.questionnaire.units import decimal_comma

    with decimal_comma():
        found = bounds(MINIMAL.replace("10 MB", "1,5..2,5 MB"))
    assert found.low.usage.data_per_visit == pytest.approx(1.5e6)
    assert found.central.usage.data_per_visit == pytest.approx(1.9365e6, rel=1e-4)
    # Said with the ends, which the report reads again after the block (acvnum.calculation.
    # assumptions._end): '1,5' is 1.5 there too.
    assert found.comma is True


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("name: Minimal", "name: Minimal\ndescription: 2..3 pages"),
        ("name: Minimal", "name: 1..2"),
    ],
)
def test_free_text_that_looks_like_a_range_is_left_alone(old, new):
    b = bounds(MINIMAL.replace(old, new))
    assert b.written == {} and b.central is b.low


def test_a_server_name_is_free_text_too():
    text = MINIMAL + "hosting:\n  servers:\n    - {name: 1..2, type: physical, power: 100..400 W}\n"
    b = bounds(text)
    assert b.central.hosting.servers[0].name == "1..2"
    assert b.written == {"hosting.servers[0].power": "100..400 W"}


@pytest.mark.parametrize("written", ["2 MB...4 MB", "2 MB…4 MB", "2....4 MB"])
def test_three_dots_are_a_syntax_error_not_a_low_end_of_0_4(written):
    with pytest.raises(InputError) as error:
        bounds(MINIMAL.replace("10 MB", written))
    (problem,) = error.value.problems
    assert str(problem.message) == (
        f"usage.data_per_visit: write a range with two dots, e.g. '2 MB..4 MB', not {written!r}"
    )


def test_a_range_of_replicas_may_centre_between_whole_numbers():
    text = MINIMAL + "hosting:\n  storage:\n    volume: 1 GB\n    replicas: 2..3\n"
    b = bounds(text)
    assert b.central.hosting.storage.replicas == pytest.approx(6**0.5)
    with pytest.raises(InputError, match=r"replicas must be a whole number, got 2\.5"):
        bounds(text.replace("2..3", "2.5..3"))


def test_a_megabyte_quantity_is_refused_by_length_in_well_under_a_second():
    # '1 x', a megabyte of spaces, 'y': the range and ellipsis patterns took time growing with
    # the square of such a run (80 kB: 19 s); longer texts than a quantity are no longer scanned.
    value = "1 x" + " " * 1_000_000 + "y"
    document = parse_yaml(MINIMAL.replace("10 MB", f'"{value}"'), "q.yaml")
    started = time.process_time()
    with pytest.raises(InputError) as caught:
        validate_ranges(document)
    assert time.process_time() - started < 1.0
    assert "a quantity takes at most 100" in str(caught.value)
