"""One catalogue of words per language, and the words of a sentence in the language: numbers,
units and quantities as each language writes them. A leaf module (no acvnum import), so
that a message can be shown in any language from anywhere, errors included."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

LANGUAGES = ("en", "fr")
_DIRECTORY = Path(__file__).parent / "locale"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language, read once."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; known: {', '.join(LANGUAGES)}")
    return json.loads((_DIRECTORY / f"{lang}.json").read_text(encoding="utf-8"))


class Words:
    """`t("key", n=3)` -> the sentence in the chosen language; a missing key is a bug."""

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self.messages = catalogue(lang)

    def __call__(self, key: str, **arguments: object) -> str:
        return self.messages[key].format(**arguments) if arguments else self.messages[key]

    def number(self, value: float, digits: int = 3) -> str:
        """A number with `digits` significant digits, in the language's convention."""
        return format_number(value, digits, self.lang)

    def percent(self, share: float) -> str:
        """A share as a whole percentage: '13%' in English, '13 %' (no-break) in French."""
        return f"{share:.0%}" if self.lang == "en" else f"{share * 100:.0f}\u202f%"

    def label(self, text: str) -> str:
        """'Energy per visit: ' / 'Énergie par visite\u202f: ': French sets a (narrow,
        no-break) space before a colon; the space never leaves the colon alone on a line."""
        return text + self("punctuation.colon")

    def unit(self, text: str, count: float = 1.0) -> str:
        """A unit in the language: a whole unit the catalogue knows ('disease incidence'),
        else word by word ('h/day' -> 'h/jour', 'kWh/GB' -> 'kWh/Go'). A duration word right
        after the number agrees with `count` ('4 ans', '1,5 an'); after a '/' it is a rate
        and stays singular ('8 / mois'). It reads unit vocabulary (the questionnaire's unit
        words, a user's table's), never a value: numbers reach a report as `Figure`s."""
        whole = f"unit.{_key(text)}"
        if whole in self.messages:
            return self.messages[whole]

        def word(match: re.Match[str]) -> str:
            token = match.group(0)
            base = token[:-1] if token.endswith("s") and token[:-1] in _COUNTED else token
            if base in _COUNTED:
                rate = "/" in text[: match.start()]
                return self.messages[f"unit.{base}.{self.plural(1 if rate else count)}"]
            return self.messages.get(f"unit.{token}", token)

        return _WORD.sub(word, text)

    def figure(self, shown: Figure | str) -> str:
        """A number and its unit in the language, written from the numbers: English as the
        JSON shows it ('2.5 MB', '60%', a range's end as the file wrote it), French in its
        convention with the same significant digits ('2,5\u00a0Mo', '60\u202f%'), the unit
        through the catalogue; data (a country code, 'ssd') as it is. The one place a
        figure becomes text, so that the languages cannot disagree on its digits."""
        if isinstance(shown, str):
            return shown
        if self.lang == "en":
            space = " " if shown.space else ""
            return shown.written or f"{_english_number(shown)}{space}{shown.unit}"
        amount, digits = shown.shown()
        number = format_number(amount, digits, self.lang)
        if shown.unit == "%":
            return f"{number}\u202f%"
        if shown.billions:
            return f"{number}B"
        unit = self.unit(shown.unit, amount) if shown.unit else ""
        return f"{number}{_no_break(shown.space)}{unit}"

    def plural(self, count: float) -> str:
        """'one' or 'other': French keeps the singular below 2 (1,5 an), English only at 1."""
        singular = abs(count) < 2 if self.lang == "fr" else count == 1
        return "one" if singular else "other"


#: Duration words that agree with their number ('1 year', '2 years').
_COUNTED = frozenset({"year", "month", "week", "day"})
_WORD = re.compile(r"[A-Za-z]+")


class Figure(NamedTuple):
    """A number and its unit, kept as numbers until `Words.figure` writes them in a language.

    `amount` is shown to `precision` significant digits as Python's 'g' writes it (trailing
    zeros dropped, scientific from 10**precision): 'g' is what the JSON has always shown;
    `precision` None: a whole number in full (a share's whole percent). `unit` as English
    writes it ('MB', 'years', '%', '/ month'), after a space when `space`; `billions`: a
    model's parameters, '70B' in every language (not bytes).
    A range's end keeps the file's text (`written`, which English shows) and its number with
    the significant digits the file wrote (`precision`, trailing zeros too: '2.50' -> 3).
    """

    amount: float
    unit: str = ""
    space: bool = False
    precision: int | None = 6
    billions: bool = False
    written: str = ""

    def shown(self) -> tuple[float, int]:
        """(the number shown, its significant digits): what every language writes."""
        if self.written:
            return self.amount, self.precision or 1
        if self.precision is None:
            whole = round(self.amount, 0)
            return whole, _digits(whole, _FLOAT_DIGITS)
        amount = rounded(self.amount, self.precision)
        return amount, _digits(amount, self.precision)


def _english_number(shown: Figure) -> str:
    """The number as English (and the JSON) writes it: Python's 'g', or whole in full."""
    if shown.precision is None:
        return f"{shown.amount:.0f}"
    return f"{shown.amount:.{shown.precision}g}"


#: The largest power of ten a float holds (10.0 ** 309 overflows).
_LARGEST_EXPONENT = 308
#: Significant digits a float holds (enough to tell any two floats apart).
_FLOAT_DIGITS = 17


def rounded(value: float, digits: int) -> float:
    """`value` to `digits` significant digits, the float Python's 'g' writes them from:
    round() to the decimal place, which rounds the binary value as format() does."""
    if value == 0 or not math.isfinite(value):
        return value
    try:
        return round(value, digits - 1 - _exponent(abs(value)))
    except OverflowError:  # rounded past the largest float ('1.8e+308'), as float() reads it
        return math.copysign(math.inf, value)


def _exponent(size: float) -> int:
    """The power of ten of a positive number's first digit: 9.99e299 -> 299, where log10
    reads 300 (its result is rounded: near a power of ten it lands on either side)."""
    exponent = _floor_log10(size)
    if size < 10.0**exponent:
        return exponent - 1
    if exponent < _LARGEST_EXPONENT and size >= 10.0 ** (exponent + 1):
        return exponent + 1
    return exponent


def _digits(value: float, most: int) -> int:
    """The significant digits `value` needs, at most `most`: 2.5 -> 2, 1500.0 -> 2."""
    if value == 0 or not math.isfinite(value):
        return 1
    for digits in range(1, most):
        if rounded(value, digits) == value:
            return digits
    return most


def _no_break(space: bool) -> str:
    """The space between a French number and its unit: no-break ('3,75\u00a0ans' is never
    split at the end of a line), as French typography sets it."""
    return "\u00a0" if space else ""


def _key(text: str) -> str:
    """A unit as a catalogue key: 'disease inc.' -> 'disease_inc'."""
    return re.sub(r"\W+", "_", text).strip("_")


def significant_digits(written: str) -> int:
    """The significant digits a number was written with: '2.50' -> 3, '0.05' -> 1, '4' -> 1."""
    mantissa = written.lower().split("e")[0].lstrip("+-")
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return max(1, len(digits))


def format_number(value: float, digits: int = 3, lang: str = "en") -> str:
    """3 significant digits; thousands grouped; scientific only for the very small or large."""
    if value == 0:
        text = "0"
    elif abs(value) < 1e-3 or abs(value) >= 1e9:
        text = f"{value:.{digits - 1}e}"
    else:
        decimals = max(0, digits - 1 - int(_floor_log10(abs(value))))
        text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _floor_log10(value: float) -> int:
    return math.floor(math.log10(value))
