"""Quantities with units: every documented form, and the refusals."""

import math

import pytest

from acvnum import units
from acvnum.units import DATA, POWER, TIME, UnitError


@pytest.mark.parametrize(
    ("text", "expected_bytes"),
    [
        ("2.5 MB", 2.5e6),
        ("2.5MB", 2.5e6),
        ("800 kB", 8e5),
        ("1 GB", 1e9),
        ("2 TB", 2e12),
        ("1 KiB", 1024),
        ("1 MiB", 1024**2),
        ("1 GiB", 1024**3),
        ("1 TiB", 1024**4),
        ("3 Go", 3e9),  # French octets
        ("512 B", 512),
        (3, 3e6),  # plain number in the field's base unit (MB here)
    ],
)
def test_data_sizes(text, expected_bytes):
    assert units.parse(text, DATA, "MB") == pytest.approx(expected_bytes)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30 s", 30),
        ("5 min", 300),
        ("1.5 h", 5400),
        ("2 days", 172800),
        ("1 week", 604800),
        ("1 month", 365.25 * 86400 / 12),
        ("4 years", 4 * 365.25 * 86400),
        ("2 ans", 2 * 365.25 * 86400),
        (5, 300),  # plain number: minutes for this field
    ],
)
def test_durations(text, seconds):
    assert units.parse(text, TIME, "min") == pytest.approx(seconds)


def test_power_in_kilowatts():
    assert units.parse("0.3 kW", POWER, "W") == pytest.approx(300)


@pytest.mark.parametrize(("text", "fraction"), [("60%", 0.6), (0.6, 0.6), ("0.25", 0.25), (1, 1.0)])
def test_fractions(text, fraction):
    assert units.parse_fraction(text) == pytest.approx(fraction)


def test_plain_number_above_one_is_ambiguous_for_a_fraction():
    with pytest.raises(UnitError, match="ambiguous: write '60%'"):
        units.parse_fraction(60)


@pytest.mark.parametrize(
    ("text", "count_per_year"),
    [("2 / month", 24), ("3/week", 3 * 365.25 / 7), ("1 per day", 365.25), (24, 24), ("12", 12)],
)
def test_frequencies_over_a_year(text, count_per_year):
    frequency = units.parse_frequency(text)
    assert frequency.over(units.SECONDS_PER_YEAR) == pytest.approx(count_per_year)


def test_frequency_prints_as_written():
    assert str(units.parse_frequency("2 / month")) == "2 / month"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2.5 XB", "unknown data unit 'XB'"),
        ("2.5 mb", "did you mean 'MB'"),
        ("lots", "cannot read 'lots'"),
        ("nan MB", "cannot read 'nan MB'"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (True, "expected a data"),
        ([1, 2], "expected a data"),
    ],
)
def test_refusals_say_why(value, message):
    with pytest.raises(UnitError, match=message):
        units.parse(value, DATA, "MB")


def test_unknown_time_unit_is_refused_in_a_rate():
    with pytest.raises(UnitError, match="unknown duration unit 'fortnightly'"):
        units.parse_frequency("2 / fortnightly")


def test_formatting_round_trips_readable_values():
    assert units.format_duration(300) == "5 min"
    assert units.format_duration(units.SECONDS_PER_YEAR * 4) == "4 years"
    assert units.format_bytes(2.5e6) == "2.5 MB"
    assert math.isclose(units.parse(units.format_bytes(7.5e11), DATA, "MB"), 7.5e11)
