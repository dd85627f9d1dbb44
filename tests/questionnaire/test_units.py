"""Quantities with units: every documented form, and the refusals."""

import math
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acvnum.errors import UnitError
from acvnum.questionnaire import units
from acvnum.questionnaire.units import DATA, POWER, TIME


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
        # 1e308 TB = 1e320 B: beyond the largest float (~1.8e308), so inf in base units
        ("1e308 TB", "too large to compute with"),
        (1e308, "too large to compute with"),  # read in MB: 1e314 B
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


@pytest.mark.parametrize(
    ("value", "dimension", "message"),
    [
        ("2 kg", DATA, "'kg' is a unit of mass; this field takes a data size such as 2.5 MB"),
        ("2 g", units.ENERGY, "'g' is a unit of mass; this field takes an energy such as 0.5 Wh"),
        ("5 MB", TIME, "'MB' is a unit of data; this field takes a duration such as 5 min"),
        ("3 W", units.MASS, "'W' is a unit of power; this field takes a mass such as 2 g"),
        ("2 mb", DATA, "unknown data unit 'mb'; did you mean 'MB'?"),  # a case slip first
    ],
)
def test_a_unit_of_another_dimension_is_named_as_such(value, dimension, message):
    with pytest.raises(UnitError) as caught:
        units.parse(value, dimension, dimension.base)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1:30", "'1:30' is ambiguous (hours:minutes or minutes:seconds?): write the unit"),
        ("1:30:00", "'1:30:00' is ambiguous"),
        ("0x10", "'0x10' is not a decimal number: write it in decimal"),
        ("0o17 min", "unknown duration unit 'o17 min'"),  # not a bare radix number: a unit typo
    ],
)
def test_forms_yaml_1_1_read_as_numbers_are_refused_with_how_to_write_them(text, message):
    with pytest.raises(UnitError, match=re.escape(message)):
        units.parse(text, TIME, "min")


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3.0), (2.5, 2.5), ("4", 4.0), (" 1e3 ", 1000.0), ("1_000", 1e3)]
)
def test_plain_numbers(value, expected):
    assert units.parse_number(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0x10", "expected a plain decimal number such as 24, got '0x10'"),
        ("1:30", "expected a plain decimal number such as 24, got '1:30'"),
        ("4 vCPU", "expected a plain number without a unit (a number such as 2), got '4 vCPU'"),
        (True, "expected a number such as 2, got true"),  # as YAML writes it
        (float("inf"), "not a finite number"),
    ],
)
def test_plain_number_refusals(value, message):
    with pytest.raises(UnitError, match=re.escape(message)):
        units.parse_number(value)


# --- linear time and length caps (issue 11) ---------------------------------------------------

#: Texts that took time growing with the square of their length before the cap: a unit
#: followed by a long run of spaces, digits and spaces, a long run of digits.
_SLOW_SHAPES = ["1 x" + " " * 1_000_000 + "y", "1 " * 500_000 + "MB", "1" * 1_000_000 + " x"]


@pytest.mark.parametrize("text", _SLOW_SHAPES, ids=["spaces", "digits-spaces", "digits"])
def test_a_megabyte_quantity_is_refused_in_well_under_a_second(text):
    started = time.process_time()
    for parse in (units.split_quantity, units.parse_frequency, units.parse_number):
        with pytest.raises(UnitError, match=r"characters long: a quantity takes at most 100"):
            parse(text)
    assert time.process_time() - started < 0.2


def test_a_refused_long_quantity_is_quoted_by_its_start_only():
    with pytest.raises(UnitError) as caught:
        units.split_quantity("2 MB" + " " * 5000)
    assert len(str(caught.value)) < 120
    assert "5004 characters" in str(caught.value)


def test_a_quantity_of_exactly_the_cap_is_read():
    text = "2" + " " * (units.MAX_QUANTITY_CHARS - 3) + "MB"
    assert len(text) == units.MAX_QUANTITY_CHARS
    assert units.parse(text, DATA, "MB") == pytest.approx(2e6)


def test_spaces_around_a_quantity_are_still_allowed():
    assert units.split_quantity("  2.5 MB \n") == (2.5, "MB")


def test_a_rate_with_nothing_after_the_slash_is_refused_not_read_per_second():
    with pytest.raises(UnitError, match="write the time after '/'"):
        units.parse_frequency("0.0001 /")


@pytest.mark.parametrize(
    ("written", "kg_per_kwh"),
    [("20 g/kWh", 0.02), ("20 g CO2e/kWh", 0.02), ("0.02 kg/kWh", 0.02), (20, 0.02)],
)
def test_carbon_intensity_is_read_in_kg_per_kwh(written, kg_per_kwh):
    # a plain number is in g CO2e/kWh, as contracts write it
    assert units.parse_carbon_intensity(written) == pytest.approx(kg_per_kwh)


def test_a_carbon_intensity_per_mwh_is_converted():
    assert units.parse_carbon_intensity("20 kg/MWh") == pytest.approx(0.02)


# --- numbers as French writes them ---------------------------------------------------------


def test_spaces_between_groups_of_three_digits_are_thousands_separators_in_any_language():
    assert units.parse_number("50 000") == 50000
    assert units.parse_number("1\u202f000\u00a0000") == 1e6  # narrow and plain no-break spaces
    assert units.parse("2 500 MB", units.DATA, "B") == 2.5e9
    with pytest.raises(UnitError):
        units.parse_number("2 5")  # not a group of three: two numbers, refused
    with pytest.raises(UnitError):
        units.parse_number("1 0000")


def test_a_decimal_comma_is_read_only_in_french():
    with pytest.raises(UnitError):
        units.parse_number("2,5")  # English: never 25, never a list
    with units.decimal_comma():
        assert units.parse("2,5 Mo", units.DATA, "B") == 2.5e6
        assert units.parse("1,5 To", units.DATA, "B") == 1.5e12
        assert units.parse_fraction("62,5 %") == 0.625
        assert units.parse_frequency("2,5 par mois").per_seconds == units.SECONDS_PER_YEAR / 12
        assert units.parse("1,5 h", units.TIME, "s") == 5400  # 1.5 x 3600 s
        assert units.parse("4 ans", units.TIME, "s") == 4 * units.SECONDS_PER_YEAR
        assert units.parse_number("50 000,5") == 50000.5
        for text in ("2,5,3", "2,,5", "1.000,5"):
            with pytest.raises(UnitError):
                units.parse_number(text)
    with pytest.raises(UnitError):
        units.parse_number("2,5")  # the block ends, and French reading with it


def test_french_words_for_units_are_known():
    for text, seconds in (
        ("1 an", units.SECONDS_PER_YEAR),
        ("3 mois", units.SECONDS_PER_YEAR / 4),
        ("2 semaines", 14 * units.SECONDS_PER_DAY),
        ("1 jour", units.SECONDS_PER_DAY),
        ("2 heures", 7200),
        ("5 min", 300),
    ):
        assert units.parse(text, units.TIME, "s") == pytest.approx(seconds)
    assert units.parse("1 Ko", units.DATA, "B") == 1e3
    assert units.parse("1 Go", units.DATA, "B") == 1e9


def test_reading_french_numbers_stays_linear_and_capped():
    text = "1" + " 000" * 24  # 97 characters, under the cap
    assert units.parse_number(text) == 1e72
    with pytest.raises(UnitError, match="at most"):
        units.parse_number("1" + "\u00a0000" * 30)


def test_an_approximate_duration_takes_the_largest_unit_it_reaches_to_three_digits():
    year = units.SECONDS_PER_YEAR
    assert units.format_duration(5**0.5 * year) == f"{5**0.5 * year:g} s"  # exact only
    assert units.format_duration(5**0.5 * year, approximate=True) == "2.24 years"
    assert units.format_duration(103.923, approximate=True) == "1.73 min"
    assert units.format_duration(2 * 60, approximate=True) == "2 min"  # round: as before
    assert units.format_duration(30, approximate=True) == "30 s"


def test_a_rate_per_a_time_too_long_for_a_float_is_refused():
    """'1 / 1e308 years' is 1 visit per 3.2e315 s: inf seconds, which read as no visits at
    all (the count over the period was 0); now refused where the time is read."""
    with pytest.raises(UnitError, match="too large to compute with"):
        units.parse_frequency("1 / 1e308 years")
    assert units.parse_frequency("1 / 1e300 years").per_seconds == pytest.approx(3.15576e307)


_NUMBERS = ["0", "1", "42", "007", "0.5", "12.25", "1.", ".5", "0x1", "1e3", "1_0", "9" * 30]
_UNITS = ["MB", "GB", "W", "%", "x", "e", "E", "bF", "xF", "b1", "min", "", "% ", "Mo", "1"]


@given(
    st.sampled_from(_NUMBERS),
    st.sampled_from(["", " ", "  ", "\u00a0", ","]),
    st.sampled_from(_UNITS),
)
@settings(derandomize=True, max_examples=1500, deadline=None)
def test_the_usual_quantity_is_read_as_the_general_steps_read_it(number, space, unit):
    """'0.42 MB' and '60%' skip the general steps (no clock, radix, separator or comma to
    read): the same number and unit, or the same refusal, as those steps give."""
    text = number + space + unit
    for comma in (False, True):

        def outcome(split, comma=comma):
            try:
                return split(text, comma)
            except UnitError as error:
                return str(error)

        assert outcome(units._split.__wrapped__) == outcome(units._split_any)


def test_a_usual_quantity_read_without_the_general_steps():
    # '0.42 MB' = 0.42 x 1e6 B
    assert units.parse("0.42 MB", DATA, "B") == 420_000.0
    assert units._split.__wrapped__("60%", False) == (60.0, "%")
    assert units._split.__wrapped__("3703 GB", True) == (3703.0, "GB")
    assert units._USUAL.fullmatch("0xF") is None  # a radix: the general steps refuse it
