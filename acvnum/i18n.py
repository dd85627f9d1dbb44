"""One catalogue of words per language: every user-facing sentence of the reports.

The catalogue and the sentence-level words live in acvnum.words (which errors use too);
here, the values a change shows (`Value`), which need the questionnaire's units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from acvnum.questionnaire import units
from acvnum.words import (
    LANGUAGES,
    Words,
    _no_break,
    catalogue,
    format_number,
    significant_digits,
)

__all__ = ["LANGUAGES", "Translator", "Value", "catalogue", "format_number"]


class Translator(Words):
    """`t("key", n=3)` -> the sentence in the chosen language; a missing key is a bug."""

    def value(self, shown: Value) -> str:
        """A changed value (a lever's, a what-if's) in the language, from its number and
        unit: English as the JSON shows it ('3.75 years', '60%', '1.56 (default)'), French
        with the same digits in its convention ('3,75 ans', '60\u202f%', '1,56 (défaut)')."""
        note = " " + self("default_value.note") if shown.default else ""
        if shown.amount is None:
            return self("default_value.word") + note
        parts = _english_parts(shown)
        if isinstance(parts, str):  # data: a country code, 'ssd'
            return parts + note
        number, space, unit = parts
        if self.lang == "en":
            return f"{number}{space}{unit}{note}"
        figure = self.number(float(number), significant_digits(number))
        if unit == "%":
            return f"{figure}\u202f%{note}"
        if shown.unit == "billion":  # model cards write '70B' in every language (not bytes)
            return f"{figure}B{note}"
        return f"{figure}{_no_break(space)}{self.unit(unit, float(number)) if unit else ''}{note}"


@dataclass(frozen=True)
class Value:
    """A value a change shows, kept as a number and its unit until a renderer formats it.

    `unit` says how: 's' a duration in seconds, 'year' a duration in years, 'B' bytes,
    '%' a share (0.6 is 60%), 'billion' a model's parameters ('70B'), anything else ('W',
    'kWh/GB', '') written after the number.
    A questionnaire value shows 3 significant digits ('2.83 MB'); a factor (`factor`) its
    value to 3 digits as Python's 'g' writes it. `default`: the file left it out.
    """

    amount: float | str | units.Frequency | None  # None: modelled, no single value
    unit: str = ""
    default: bool = False
    factor: bool = False

    def __str__(self) -> str:
        """The value in English, as the JSON shows it."""
        amount = self.amount
        if type(amount) in (float, int, str) and amount != 0:
            return _english_text(self, type(amount))
        # Not remembered: 0.0 and -0.0 are equal keys but are written apart, as are True and 1.
        return _english().value(self)


@lru_cache(maxsize=4096)
def _english_text(value: Value, _kind: type) -> str:
    """A value in English, remembered by value and type: levers show the same lifetimes,
    shares and regions in every service of a portfolio."""
    return _english().value(value)


@cache
def _english() -> Translator:
    """The English translator, made once (every change of every lever is written with it)."""
    return Translator("en")


def _english_parts(v: Value) -> tuple[str, str, str] | str:
    """(number, space, unit) as English writes them, or the text of a non-numeric value."""
    amount = v.amount
    if isinstance(amount, str | bool):
        return str(amount)
    if isinstance(amount, units.Frequency):
        count = f"{amount.count:g}"
        if amount.per_seconds is None:
            return count, "", ""
        return count, " ", f"/ {units.format_duration(amount.per_seconds).removeprefix('1 ')}"
    assert amount is not None
    if v.unit in ("s", "year"):
        seconds = amount * units.SECONDS_PER_YEAR if v.unit == "year" else amount
        return _duration_parts(seconds)
    if v.factor:
        return f"{amount:.3g}", " ", v.unit
    rounded = float(f"{amount:.3g}")
    if v.unit == "B":
        number, name = units.bytes_in_unit(rounded)
        return f"{number:g}", " ", name
    if v.unit == "%":
        return f"{rounded:.0%}"[:-1], "", "%"
    if v.unit == "billion":  # a model's parameters: '70B'
        return f"{rounded:g}", "", "B"
    return f"{rounded:g}", " " if v.unit else "", v.unit


def _duration_parts(seconds: float) -> tuple[str, str, str]:
    """'3.75 years', '4 min': the largest unit that keeps the number >= 1, 3 digits."""
    for size, name in (
        (units.SECONDS_PER_YEAR, "year"),
        (units.SECONDS_PER_DAY, "day"),
        (units.SECONDS_PER_HOUR, "h"),
        (60.0, "min"),
    ):
        if seconds >= size:
            count = float(f"{seconds / size:.3g}")
            plural = "s" if name in ("year", "day") and count != 1 else ""
            return f"{count:g}", " ", f"{name}{plural}"
    return f"{float(f'{seconds:.3g}'):g}", " ", "s"
