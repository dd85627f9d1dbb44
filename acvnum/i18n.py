"""One catalogue of words per language: every user-facing sentence of the reports."""

from __future__ import annotations

import json
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
