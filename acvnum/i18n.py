"""One catalogue of words per language: every user-facing sentence of the reports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from acvnum.errors import Message, Quantity
from acvnum.questionnaire import units

LANGUAGES = ("en", "fr")
_DIRECTORY = Path(__file__).parent / "locale"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language, read once."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; known: {', '.join(LANGUAGES)}")
    return json.loads((_DIRECTORY / f"{lang}.json").read_text(encoding="utf-8"))


class Translator:
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
        and stays singular ('8 / mois')."""
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
        figure = self.number(float(number), _significant(number))
        if unit == "%":
            return f"{figure}\u202f%{note}"
        if shown.unit == "billion":  # model cards write '70B' in every language (not bytes)
            return f"{figure}B{note}"
        return f"{figure}{space}{self.unit(unit, float(number)) if unit else ''}{note}"

    def quantity(self, text: str) -> str:
        """A value shown in English ('2.5 years', '8 / month', '0.05 kWh/GB', '60%',
        '1.56 (default)') in the language, at render time: the number in its convention
        with the digits it was shown with, the unit through the catalogue. Anything that
        is not a number and a unit (a country code, 'ssd') is data and stays as it is."""
        if self.lang == "en":
            return text
        note = ""
        if text.endswith(_DEFAULT_NOTE):
            text, note = text[: -len(_DEFAULT_NOTE)], " " + self("default_value.note")
        if text == "default":
            return self("default_value.word") + note
        ranged = _RANGE_SHOWN.fullmatch(text)
        if ranged is not None:  # '2 MB..4 MB (central 2.83 MB)', from calculation.assumptions
            return self._range(ranged) + note
        match = _QUANTITY.fullmatch(text)
        if match is None:
            return text + note
        written = match["number"].replace(",", "")
        number = self.number(float(written), _significant(written))
        unit = match["unit"]
        if unit == "%":
            return f"{number}\u202f%{note}"
        shown = self.unit(unit, float(written)) if unit else ""
        return f"{number}{match['space']}{shown}{note}"

    def _range(self, ranged: re.Match[str]) -> str:
        """A range as written, each end and its centre localised like any quantity."""
        shown = f"{self.quantity(ranged['low'])}..{self.quantity(ranged['high'])}"
        central = ranged["central"]
        return shown + (f" (central {self.quantity(central)})" if central else "")

    def plural(self, count: float) -> str:
        """'one' or 'other': French keeps the singular below 2 (1,5 an), English only at 1."""
        singular = abs(count) < 2 if self.lang == "fr" else count == 1
        return "one" if singular else "other"


#: Duration words that agree with their number ('1 year', '2 years').
_COUNTED = frozenset({"year", "month", "week", "day"})
_WORD = re.compile(r"[A-Za-z]+")
_DEFAULT_NOTE = " (default)"
#: 'central' reads the same in French, so the words stay and only the numbers change.
_RANGE_SHOWN = re.compile(r"(?P<low>.+?)\.\.(?P<high>.+?)(?: \(central (?P<central>.+)\))?")
_QUANTITY = re.compile(
    r"(?P<number>[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
    r"(?P<space>\s*)(?P<unit>%|[^\d\s].*)?"
)


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
        return Translator("en").value(self)


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


def _key(text: str) -> str:
    """A unit as a catalogue key: 'disease inc.' -> 'disease_inc'."""
    return re.sub(r"\W+", "_", text).strip("_")


def _significant(written: str) -> int:
    """The significant digits a number was written with: '2.50' -> 3, '0.05' -> 1, '4' -> 1."""
    mantissa = written.lower().split("e")[0].lstrip("+-")
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return max(1, len(digits))


def render(message: Message, lang: str) -> str:
    """A message in `lang`: its template from the catalogue, its arguments rendered in the
    same language (numbers in its convention, by the template's own format spec)."""
    arguments = {name: _argument(value, lang) for name, value in message.args}
    template = catalogue(lang)[message.key]
    return template.format(**arguments) if arguments else template


def _argument(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, tuple):
        return ", ".join(str(_argument(item, lang)) for item in value)
    if isinstance(value, Quantity):
        return Translator(lang).quantity(value.text)
    if lang == "fr" and isinstance(value, int | float) and not isinstance(value, bool):
        return _FrenchNumber(value)
    return value


class _FrenchNumber:
    """A number a French template formats with its English spec ('{total:.1%}'): the same
    digits, a decimal comma, a narrow no-break space for thousands and before '%'."""

    def __init__(self, value: float):
        self.value = value

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        text = text.replace(",", "\u202f").replace(".", ",")
        return text.replace("%", "\u202f%")

    def __str__(self) -> str:
        return format(self, "")


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
    import math

    return math.floor(math.log10(value))
