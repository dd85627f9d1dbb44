"""A figure (acvnum.words.Figure) is numbers until `Words.figure` writes it: English as the
JSON shows it, French in its convention with the same digits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acvnum.words import Figure, Words, rounded, significant_digits

EN, FR = Words("en"), Words("fr")


@pytest.mark.parametrize(
    ("figure", "english", "french"),
    [
        # 'MB' is 'Mo' in fr.json; French keeps the number and its unit on one line.
        (Figure(2.5, "MB", True), "2.5 MB", "2,5\u00a0Mo"),
        # A whole percent in full; French sets a narrow no-break space before '%'.
        (Figure(60.0, "%", precision=None), "60%", "60\u202f%"),
        # 'g' to 6 digits: 1234567 -> 1.23457e+06; French writes those 6 digits in full,
        # grouped by a narrow no-break space: 1 234 570.
        (Figure(1234567.0), "1.23457e+06", "1\u202f234\u202f570"),
        # 3 digits, scientific from 10**3 in English (a factor's way); French groups.
        (Figure(1500.0, "W", True, 3), "1.5e+03 W", "1\u202f500\u00a0W"),
        # Below 1e-3 French turns scientific too, with the digits English shows (2).
        (Figure(0.00015, "kWh", True), "0.00015 kWh", "1,5e-04\u00a0kWh"),
        # The duration word agrees with the number: singular below 2 in French.
        (Figure(1.5, "years", True), "1.5 years", "1,5\u00a0an"),
        (Figure(8.0, "/ month", True), "8 / month", "8\u00a0/ mois"),
        # A model's parameters: '70B' in every language, not '70 o'.
        (Figure(70.0, "B", billions=True), "70B", "70B"),
        # A range's end: English as the file wrote it, French with its 3 digits, zero kept.
        (Figure(2.5, "MB", True, 3, written="2.50 MB"), "2.50 MB", "2,50\u00a0Mo"),
        (Figure(1500.0, "GB", True, 2, written="1,500 GB"), "1,500 GB", "1\u202f500\u00a0Go"),
        ("ssd", "ssd", "ssd"),  # data: as it is
    ],
)
def test_a_figure_is_written_in_each_language_from_its_numbers(figure, english, french):
    assert EN.figure(figure) == english
    assert FR.figure(figure) == french


def test_units_are_vocabulary_translated_word_by_word():
    assert FR.unit("h/day") == "h/jour"
    assert FR.unit("kWh/GB") == "kWh/Go"
    assert FR.unit("years", 4) == "ans" and FR.unit("years", 1.5) == "an"


@pytest.mark.parametrize(
    ("written", "digits"),
    [("2.50", 3), ("0.05", 1), ("4", 1), ("1500", 2), ("1.5e3", 2), ("-0.0", 1), ("100.5", 4)],
)
def test_the_digits_a_number_was_written_with(written, digits):
    assert significant_digits(written) == digits


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).filter(
        lambda x: x == 0 or abs(x) > 1e-300  # subnormal: round() keeps the float as it is
    ),
    st.integers(1, 17),
)
@settings(max_examples=2000, deadline=None)
def test_rounded_is_the_number_python_g_writes(value, digits):
    """French writes the number English shows: `rounded` must be the float 'g' writes, for
    any magnitude, tie or sign (the reference parses the 'g' text: a test may)."""
    assert rounded(value, digits) == float(f"{value:.{digits}g}")
    assert math.copysign(1, rounded(value, digits)) == math.copysign(1, value)
