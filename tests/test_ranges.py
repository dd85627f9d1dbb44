"""Questionnaire ranges (low..high): central value, both ends validated, located errors."""

import pytest
from conftest import MINIMAL

from acvnum.loading import InputError, parse_yaml
from acvnum.ranges import validate_ranges


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
    assert message in problem.message
    assert (problem.file, problem.line) == ("service.yaml", MINIMAL.split(old)[0].count("\n") + 1)
