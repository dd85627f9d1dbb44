"""One catalogue of words per language: every user-facing sentence of the reports.

The catalogue and the sentence-level words live in acvnum.words (which errors use too);
here, the values reports show (`Value`: assumptions, levers' and what-if's changes), which
need the questionnaire's units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from acvnum.errors import Quantity
from acvnum.questionnaire import units
from acvnum.words import LANGUAGES, Figure, Words, catalogue, format_number, rounded

__all__ = [
    "CHOICES",
    "LANGUAGES",
    "Figure",
    "Note",
    "Translator",
    "Value",
    "catalogue",
    "choice",
    "english_text",
    "format_number",
    "quantity",
]


class Translator(Words):
    """`t("key", n=3)` -> the sentence in the chosen language; a missing key is a bug."""

    def value(self, shown: Value) -> str:
        """A value in the language, from its number and unit: English as the JSON shows it
        ('3.75 years', '60%', '1.56 (default)', '2 MB..4 MB (central 2.83 MB)'), French with
        the same digits in its convention ('3,75 ans', '60\u202f%', '1,56 (défaut)')."""
        note = " " + self("default_value.note") if shown.default else ""
        if shown.amount is None:
            return self("default_value.word") + note
        if shown.choice:  # one of a questionnaire key's words (a flag: 'true' as YAML has it)
            amount = str(shown.amount).lower() if isinstance(shown.amount, bool) else shown.amount
            return self.messages.get(f"choice.{shown.choice}.{amount}", str(amount)) + note
        figure = self.figure(_figure(shown))
        if shown.ends is not None:  # a range: its ends as the file wrote them, then its centre
            low, high = (self.figure(end) for end in shown.ends)
            figure = f"{low}..{high} ({self('range.central', figure=figure)})"
        return figure + note

    def note(self, note: Note | None) -> str:
        """What acvnum adds after an assumption's key, in the language: ' (idle)', ' (au
        repos)'; a choice in brackets worded as the key's choices are (' (de pointe)')."""
        if note is None:
            return ""
        if note.word is None:
            return self(f"assumption.note.{note.key}")
        return self(f"assumption.note.{note.key}", word=self.value(note.word))

    def with_unit(self, number: str, unit: str, count: float) -> str:
        """A number as written and its unit in the language, agreeing with `count`: '5 years',
        '5\u00a0ans' (French keeps them on one line); a unit the catalogue does not know (a
        user's table) as written, none without one."""
        if not unit:
            return number
        space = "\u00a0" if self.lang == "fr" else " "
        return f"{number}{space}{self.unit(unit, count)}"


@dataclass(frozen=True)
class Value:
    """A value a report shows, kept as a number and its unit until a renderer formats it.

    `unit` says how: 's' a duration in seconds, 'year' a duration in years, 'B' bytes,
    '%' a share (0.6 is 60%), 'billion' a model's parameters ('70B'), anything else ('W',
    'kWh/GB', '') written after the number.
    A change's value shows 3 significant digits ('2.83 MB'); a factor (`factor`) its value
    to 3 digits as Python's 'g' writes it. `default`: the file left it out.
    An assumption's value (`written`) shows as the questionnaire would write it: `digits`
    significant digits (Python's 'g', 6), a duration in the unit it is a round count of
    ('18 months', else seconds, or with `approximate` its largest unit to 3 digits), a
    share to a tenth of a percent; given as a range, `ends` are its ends as the file wrote
    them and the amount its centre.
    `choice`: the amount is one of a questionnaire key's choices ('per_server'), which the
    catalogue words as `choice.<choice>.<amount>` (English as the file writes it, French in
    words).
    """

    amount: float | str | units.Frequency | None  # None: modelled, no single value
    unit: str = ""
    default: bool = False
    factor: bool = False
    written: bool = False
    digits: int = 6
    approximate: bool = False
    ends: tuple[Figure | str, Figure | str] | None = None
    choice: str = ""

    def __str__(self) -> str:
        """The value in English, as the JSON shows it; written once per value object (a
        portfolio's services share most assumption rows and lever changes)."""
        text = self.__dict__.get("_english")
        if text is None:
            text = self.__dict__["_english"] = self._english_text()
        return text

    def _english_text(self) -> str:
        amount = self.amount
        if type(amount) in (float, int, str) and amount != 0:
            return _english_text(self, type(amount))
        # Not remembered: 0.0 and -0.0 are equal keys but are written apart, as are True and 1.
        return _english().value(self)


@dataclass(frozen=True)
class Note:
    """Words acvnum adds after an assumption's key, kept apart from it so that each report
    says them in its language: 'hosting.servers[0].power (idle)' in the JSON, '(au repos)'
    in French. `key` names them in the catalogue (`assumption.note.<key>`); `word`: the
    choice a 'choice' note holds (the model's size: 'ai.model.size (medium)')."""

    key: str
    word: Value | None = None

    def __str__(self) -> str:
        """The words in English, as the JSON writes them after the key."""
        return _english().note(self)


@lru_cache(maxsize=4096)
def _english_text(value: Value, _kind: type) -> str:
    """A value in English, remembered by value and type: levers show the same lifetimes,
    shares and regions in every service of a portfolio."""
    return _english().value(value)


@cache
def _english() -> Translator:
    """The English translator, made once (every change of every lever is written with it)."""
    return Translator("en")


def _figure(v: Value) -> Figure | str:
    """The value's number and unit as a Figure, or the text of a non-numeric value."""
    assert v.amount is not None
    return _made(v.amount, v.unit, v.written, v.factor, v.digits, v.approximate)


def _made(
    amount: float | str | units.Frequency,
    unit: str,
    written: bool,
    factor: bool,
    digits: int = 6,
    approximate: bool = False,
) -> Figure | str:
    """`_figure` of a Value's fields (see Value)."""
    if isinstance(amount, str | bool):
        return str(amount)
    if isinstance(amount, units.Frequency):
        return _frequency(amount, digits if written else 6)
    if written:
        return _written(amount, unit, digits, approximate)
    return _shown(amount, unit, factor)


def english_text(
    amount: float | str | units.Frequency,
    unit: str = "",
    *,
    written: bool = False,
    factor: bool = False,
) -> str:
    """`str(Value(amount, unit, written=written, factor=factor))` without the Value: the
    folder JSON writes a chunk's distinct values with it, some thousand a chunk (a lever's
    changes: acvnum.analysis.lever_arrays; what a file gives: acvnum.report.assumptions_json)."""
    return _english().figure(_made(amount, unit, written, factor))


def _frequency(amount: units.Frequency, digits: int) -> Figure:
    if amount.per_seconds is None:
        return Figure(amount.count, precision=digits)
    per = units.format_duration(amount.per_seconds).removeprefix("1 ")
    return Figure(amount.count, f"/ {per}", True, digits)


def _shown(amount: float, unit: str, factor: bool) -> Figure:
    """A number shown with 3 significant digits (a change's value, not as the file wrote it)."""
    if unit in ("s", "year"):
        seconds = amount * units.SECONDS_PER_YEAR if unit == "year" else amount
        return _duration(seconds)
    if factor:  # a space even without a unit, as the JSON has always shown it
        return Figure(amount, unit, True, 3, billions=unit == "billion")
    three = rounded(amount, 3)
    if unit == "B":
        number, name = units.bytes_in_unit(three)
        return Figure(number, name, True)
    if unit == "%":  # the whole percent, in full
        return Figure(three * 100, "%", precision=None)
    if unit == "billion":  # a model's parameters: '70B'
        return Figure(three, "B", billions=True)
    return Figure(three, unit, bool(unit))


def _written(amount: float, unit: str, digits: int, approximate: bool) -> Figure:
    """A value as the questionnaire writes it ('18 months', '2.5 MB', '12.5%', '1.56')."""
    if unit in ("s", "year"):
        seconds = amount * units.SECONDS_PER_YEAR if unit == "year" else amount
        count, name = units.duration_parts(seconds, approximate)
        return Figure(count, name, True, digits)
    if unit == "B":
        count, name = units.bytes_in_unit(amount)
        return Figure(count, name, True, digits)
    if unit == "%":  # a whole percent, else to its tenth
        whole = abs(amount * 100 - round(amount * 100)) < 1e-9
        return Figure(round(amount * 100, 0 if whole else 1), "%", precision=digits)
    if unit == "billion":
        return Figure(amount, "B", precision=digits, billions=True)
    return Figure(amount, unit, bool(unit), digits)


def _duration(seconds: float) -> Figure:
    """'3.75 years', '4 min': the largest unit that keeps the number >= 1, 3 digits."""
    for size, name in (
        (units.SECONDS_PER_YEAR, "year"),
        (units.SECONDS_PER_DAY, "day"),
        (units.SECONDS_PER_HOUR, "h"),
        (60.0, "min"),
    ):
        if seconds >= size:
            count = rounded(seconds / size, 3)
            plural = "s" if name in ("year", "day") and count != 1 else ""
            return Figure(count, f"{name}{plural}", True)
    return Figure(rounded(seconds, 3), "s", True)


#: The questionnaire keys whose value is one of a few words, by their catalogue group
#: (`choice.<group>.<word>`): reports show the word in their language.
CHOICES = {
    "infrastructure": "infrastructure",
    "network_model": "network_model",
    "type": "type",
    "quality": "quality",
    "per": "per",
    "archetype": "archetype",
    "size": "model_size",
    "attachments_as_links": "flag",
    "audio_in_background": "flag",
}


def choice(key: str, amount: str | bool, default: bool = False) -> Value:
    """The value of questionnaire key `key`, one of the key's words ('per_server'; a flag,
    shown as the file writes it: 'true')."""
    return Value(amount, default=default, choice=CHOICES.get(key, ""))


def quantity(amount: float | units.Frequency, unit: str = "") -> Quantity:
    """A value of the questionnaire for a message's argument ('2.5 MB', '5 min', '2 / month'),
    as its parts: the message shows it in its language without reading it back."""
    return Quantity(_figure(Value(amount, unit, written=True)))
