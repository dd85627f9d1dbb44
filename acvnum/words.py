"""One catalogue of words per language, and the words of a sentence in the language: numbers,
units and quantities as each language writes them. A leaf module (no acvnum import), so
that a message can be shown in any language from anywhere, errors included."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

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

    def figure(self, parts: Parts | str, billions: bool = False) -> str:
        """A number and its unit as English writes them ('2.5', ' ', 'MB') in the language:
        the number in its convention with the digits English shows, the unit through the
        catalogue ('2,5 Mo'); data (a country code, 'ssd') as it is. `billions`: a model's
        parameters, '70B' in every language (not bytes)."""
        if isinstance(parts, str):
            return parts
        number, space, unit = parts
        if self.lang == "en":
            return f"{number}{space}{unit}"
        plain = number.replace(",", "")  # a range's end may group thousands: '1,500 GB'
        figure = self.number(float(plain), significant_digits(plain))
        if unit == "%":
            return f"{figure}\u202f%"
        if billions:
            return f"{figure}B"
        return f"{figure}{_no_break(space)}{self.unit(unit, float(plain)) if unit else ''}"

    def plural(self, count: float) -> str:
        """'one' or 'other': French keeps the singular below 2 (1,5 an), English only at 1."""
        singular = abs(count) < 2 if self.lang == "fr" else count == 1
        return "one" if singular else "other"


#: Duration words that agree with their number ('1 year', '2 years').
_COUNTED = frozenset({"year", "month", "week", "day"})
_WORD = re.compile(r"[A-Za-z]+")
#: A number and its unit as English writes them: ('2.5', ' ', 'MB'), ('60', '', '%').
Parts = tuple[str, str, str]


def _no_break(space: str) -> str:
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
    import math

    return math.floor(math.log10(value))
