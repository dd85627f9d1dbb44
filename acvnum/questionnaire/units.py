"""Quantities with units: parse a questionnaire string into a number in a base unit.

Base units: bytes, seconds, watts, kilograms, kilowatt-hours, fractions (0-1).
Every parser raises `UnitError` with a catalogued message (acvnum.errors.Message) that the
command shows in the run's language; what a field takes (a count, a ratio, a size) is said
by the hint the field's type passes in.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, lru_cache

from acvnum.errors import Message, UnitError, message, yaml_value
from acvnum.words import rounded

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
DAYS_PER_YEAR = 365.25
SECONDS_PER_YEAR = DAYS_PER_YEAR * SECONDS_PER_DAY
BYTES_PER_GB = 1e9
BYTES_PER_TB = 1e12


@dataclass(frozen=True)
class Dimension:
    """A physical dimension: the units it knows (as multipliers of the base unit)."""

    name: str
    base: str
    units: dict[str, float]
    case_sensitive: bool = False

    @cached_property
    def hint(self) -> Message:
        """What a field of this dimension takes: 'a number and a unit, e.g. '2.5 MB''
        (made once: every quantity read passes it, in case it cannot be read)."""
        return message(f"hint.{self.name}")

    def knows(self, unit: str) -> bool:
        """Whether `unit` is one of this dimension's units (with its case rule)."""
        if self.case_sensitive:
            return unit in self.units
        return unit.lower() in self._lowered

    @cached_property
    def _lowered(self) -> dict[str, float]:
        """The units by lower-case name (worked out once: every quantity read asks)."""
        return {k.lower(): v for k, v in self.units.items()}

    def factor(self, unit: str) -> float:
        key = unit if self.case_sensitive else unit.lower()
        table = self.units if self.case_sensitive else self._lowered
        if key in table:
            return table[key]
        raise UnitError(self._unknown(unit))

    @property
    def _unit_words(self) -> Message:
        return message(f"dimension.{self.name}.unit")

    def _unknown(self, unit: str) -> Message:
        """Why `unit` is refused: a case slip, a unit of another dimension, or a typo.

        Checked in that order because a close spelling from this dimension ('g' -> 'GWh',
        'kg' -> 'Ko') misleads when the unit is a real one of another dimension.
        """
        lowered = {name.lower(): name for name in self.units}
        if unit.lower() in lowered:
            close = message("error.did_you_mean", name=lowered[unit.lower()])
            return message(
                "quantity.unknown_unit", what=self._unit_words, unit=unit, suggestion=close
            )
        others = [d for d in DIMENSIONS if d is not self]
        # Exact spelling first: 'W' is a power before it is a week ('w').
        other = next((d for d in others if unit in d.units), None) or next(
            (d for d in others if d.knows(unit)), None
        )
        if other is not None:
            return message(
                "quantity.other_dimension",
                unit=unit,
                other=message(f"dimension.{other.name}.of"),
                noun=message(f"noun.{self.name}"),
            )
        close = difflib.get_close_matches(unit.lower(), list(lowered), n=1, cutoff=0.5)
        suggestion = message("error.did_you_mean", name=lowered[close[0]]) if close else ""
        known = ", ".join(sorted(self.units, key=str.lower)[:12])
        return message(
            "quantity.unknown_unit_known",
            what=self._unit_words,
            unit=unit,
            suggestion=suggestion,
            known=known,
        )


_DECIMAL = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}

DATA = Dimension(
    "data",
    "B",
    {
        **{f"{p}B": f for p, f in _DECIMAL.items()},
        **{f"{p}o": f for p, f in _DECIMAL.items()},  # French octets: Mo, Go, To
        **{f"{p}B": f for p, f in _BINARY.items()},
        "kB": 1e3,
        "KB": 1e3,
        "ko": 1e3,
        "Ko": 1e3,
    },
    case_sensitive=True,
)

_TIME_WORDS = {
    SECONDS_PER_DAY * DAYS_PER_YEAR: (
        "y",
        "yr",
        "yrs",
        "year",
        "years",
        "an",
        "ans",
        "année",
        "années",
    ),
    SECONDS_PER_DAY * DAYS_PER_YEAR / 12: ("month", "months", "mo", "mois"),
    SECONDS_PER_DAY * 7: ("w", "wk", "week", "weeks", "semaine", "semaines"),
    SECONDS_PER_DAY: ("d", "day", "days", "jour", "jours", "j"),
    SECONDS_PER_HOUR: ("h", "hr", "hrs", "hour", "hours", "heure", "heures"),
    60.0: ("min", "mins", "minute", "minutes", "mn"),
    1.0: ("s", "sec", "secs", "second", "seconds", "seconde", "secondes"),
}
TIME = Dimension(
    "duration",
    "s",
    {w: f for f, words in _TIME_WORDS.items() for w in words},
)
POWER = Dimension(
    "power",
    "W",
    {"mW": 1e-3, "W": 1.0, "kW": 1e3, "MW": 1e6},
    case_sensitive=True,
)
MASS = Dimension(
    "mass",
    "kg",
    {"mg": 1e-6, "g": 1e-3, "kg": 1.0, "t": 1e3},
    case_sensitive=True,
)
ENERGY = Dimension(
    "energy",
    "kWh",
    {
        "Wh": 1e-3,
        "kWh": 1.0,
        "MWh": 1e3,
        "GWh": 1e6,
        "J": 1 / 3.6e6,
        "kJ": 1 / 3.6e3,
        "MJ": 1 / 3.6,
    },
    case_sensitive=True,
)
#: Every dimension, to tell a user that a refused unit belongs to another one.
DIMENSIONS = (DATA, TIME, POWER, MASS, ENERGY)
#: What the fields that are not plain numbers take, for the message of an unreadable value.
DATA_HINT = DATA.hint
FRACTION_HINT = message("hint.fraction")
FREQUENCY_HINT = message("hint.frequency")

NUMBER = r"[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
#: Matched against stripped text: no trailing `\s*` after a lazy unit, which made the time
#: grow with the square of a run of spaces.
_QUANTITY = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>[^\d\s].*)?")
#: The longest quantity text read ('1.5e3 kWh..2e3 kWh / month' needs ~30): a cap, so no
#: pattern ever runs over a megabyte-long value, and messages quote it whole.
MAX_QUANTITY_CHARS = 100
#: Forms YAML 1.1 read as numbers (1:30 = 90, 0x10 = 16); the loader keeps them as text.
_CLOCK = re.compile(r"^\s*[-+]?\d+(?::\d+)+(?:\.\d*)?\s*$")
_RADIX = re.compile(r"^\s*[-+]?0[xXoObB][0-9a-fA-F_]+\s*$")


def _finite(number: float, text: object) -> float:
    if not math.isfinite(number):
        raise UnitError("number.not_finite", text=repr(text))
    return number


def _computable(base: float, written: object) -> float:
    """A quantity in base units that overflowed ('1e308 years' is inf seconds) is refused: a
    rate per such a time would read as no visits at all, and inf breaks every sum after it."""
    if not math.isfinite(base):
        raise UnitError("quantity.too_large", text=repr(written))
    return base


def to_float(value: int | float) -> float:
    """A Python number as a float: an int too large for one (10**400, from the API: YAML's
    are cut at 30 digits) is refused as inf is, not an OverflowError's traceback."""
    try:
        return float(value)
    except OverflowError:
        exponent = int(math.log10(abs(value)))
        lead = abs(value) // 10 ** (exponent - 2)  # the first three digits, for the message
        sign = "-" if value < 0 else ""
        raise UnitError("number.not_finite", text=f"{sign}{lead / 100:g}e+{exponent}") from None


def _refuse_number_forms(text: str) -> None:
    """Refuse '1:30' and '0x10' with how to write them, instead of 'unknown unit :30'."""
    if _CLOCK.match(text):
        raise UnitError("number.clock", text=repr(text))
    if _RADIX.match(text):
        raise UnitError("number.radix", text=repr(text))


def check_length(text: str) -> None:
    """Refuse a quantity text longer than MAX_QUANTITY_CHARS, quoting only its start."""
    if len(text) > MAX_QUANTITY_CHARS:
        raise UnitError(
            "quantity.too_long", start=repr(text[:20]), length=len(text), limit=MAX_QUANTITY_CHARS
        )


#: Whether a comma between digits is a decimal point ('2,5 Mo' = 2.5 MB), as French writes
#: it. Off by default: in English '1,500' is fifteen hundred, so a comma is never guessed.
_DECIMAL_COMMA: ContextVar[bool] = ContextVar("decimal_comma", default=False)
#: A space, no-break space or narrow no-break space between a digit and exactly three more
#: ('50 000', '1\u202f000\u202f000'): a thousands separator in every language, so always read.
#: Fixed-width look-arounds keep the substitution linear in the text's length.
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
_COMMA = re.compile(r"(?<=\d),(?=\d)")


#: Whether a `decimal_comma` block is in force (a reader remembering what it read keeps the
#: two conventions apart): the variable's own getter, no Python call (a portfolio's reading
#: asks for every field of every file).
comma_in_force: Callable[[], bool] = _DECIMAL_COMMA.get


@contextmanager
def decimal_comma(enabled: bool = True) -> Iterator[None]:
    """Within the block, read '2,5' as 2.5 (the French convention) when `enabled`."""
    token = _DECIMAL_COMMA.set(enabled)
    try:
        yield
    finally:
        _DECIMAL_COMMA.reset(token)


def as_written(text: str, comma: bool | None = None) -> str:
    """Numbers as people write them, in the form the parsers read: '50 000' -> '50000' and,
    with a decimal comma (`comma`, else the `decimal_comma` block in force), '2,5' -> '2.5'.
    One comma between digits only: '2,5,3' becomes '2.5.3' and is refused, never a list."""
    text = _THOUSANDS.sub("", text)
    if _DECIMAL_COMMA.get() if comma is None else comma:
        text = _COMMA.sub(".", text)
    return text


#: What a field of no known dimension takes, for a message: 'a number such as 2'.
NUMBER_HINT = message("hint.number", example=2)


def split_quantity(text: str, hint: Message = DATA_HINT) -> tuple[float, str | None]:
    """'2.5 MB' -> (2.5, 'MB'); '3' -> (3.0, None); '50 000' and, in French, '2,5 Mo' too.
    `hint` says what the field takes when the text cannot be read at all."""
    check_length(text)
    split = _split(text, _DECIMAL_COMMA.get())
    if split is None:
        raise UnitError("quantity.unreadable", text=repr(text), hint=hint)
    return split


#: The usual quantity, '0.42 MB' or '60%': digits, perhaps a point and more digits, then one
#: space and letters, or a percent sign. No clock, radix, thousands separator or comma is
#: in it for `_split`'s general steps to read or refuse: it is read without them.
_USUAL = re.compile(r"(\d+(?:\.\d+)?)(?: ([A-Za-z]+)|(%))")


@lru_cache(maxsize=4096)
def _split(text: str, comma: bool) -> tuple[float, str | None] | None:
    """`split_quantity` of a text at most MAX_QUANTITY_CHARS long, read once per text and
    convention (a portfolio's files write the same '50%' and '4 years'); None: unreadable."""
    usual = _USUAL.fullmatch(text)
    if usual is not None:  # (a portfolio's unique values: '3703 GB', '0.42 MB')
        return _finite(float(usual[1]), text), usual[2] or usual[3]
    return _split_any(text, comma)


def _split_any(text: str, comma: bool) -> tuple[float, str | None] | None:
    """`_split` of any text: the general steps."""
    _refuse_number_forms(text)
    written = as_written(text, comma)
    if _COMMA.search(written):
        raise UnitError("quantity.comma", text=repr(text))
    match = _QUANTITY.fullmatch(written.strip())
    if not match:
        return None
    number = _finite(float(match["number"].replace("_", "")), text)
    return number, match["unit"]


def parse(value: object, dimension: Dimension, plain_unit: str) -> float:
    """A quantity in the dimension's base unit; a plain number is read in `plain_unit`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError(
            "quantity.type", noun=message(f"noun.{dimension.name}"), value=yaml_value(value)
        )
    if isinstance(value, int | float):
        return _computable(_finite(to_float(value), value) * dimension.factor(plain_unit), value)
    number, unit = split_quantity(value, dimension.hint)
    return _computable(number * dimension.factor(unit if unit is not None else plain_unit), value)


_CO2 = re.compile(r"\s*CO2\s*(?:e|eq)?\.?\s*$", re.IGNORECASE)


def parse_carbon_intensity(value: object) -> float:
    """A grid's carbon intensity in kg CO2e/kWh: '20 g/kWh', '20 g CO2e/kWh', '0.02 kg/kWh';
    a plain number is read in g CO2e/kWh, as contracts and grid operators write it."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("carbon.type", value=yaml_value(value))
    if isinstance(value, int | float):
        return _finite(to_float(value), value) * MASS.factor("g")
    check_length(value)
    mass, slash, energy = value.rpartition("/")
    if not slash:
        return parse(value, MASS, "g")
    per = parse(f"1 {energy.strip()}", ENERGY, "kWh")
    return parse(_CO2.sub("", mass), MASS, "g") / per


def parse_number(value: object, hint: Message = NUMBER_HINT) -> float:
    """A plain number (24, 2.5, or the same as text); a unit, '1:30' or '0x10' is refused.
    `hint` is what the field takes, in words ('a count such as 50000', 'a ratio such as 1.5').

    Without it pydantic would answer '0x10' with "unable to parse string as a number".
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("number.type", hint=hint, value=yaml_value(value))
    if isinstance(value, int | float):
        return _finite(to_float(value), value)
    check_length(value)
    if _CLOCK.match(value) or _RADIX.match(value):
        raise UnitError("number.plain_decimal", value=yaml_value(value))
    written = as_written(value)
    if _QUANTITY.fullmatch(written.strip()) is None and not _COMMA.search(written):
        raise UnitError("number.unreadable", text=yaml_value(value), hint=hint)
    number, unit = split_quantity(value, hint)
    if unit is not None:
        raise UnitError("number.with_unit", hint=hint, value=yaml_value(value))
    return number


def parse_fraction(value: object) -> float:
    """'60%' or 0.6 -> 0.6. A plain number above 1 is refused: it is ambiguous."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("fraction.type", value=yaml_value(value))
    if isinstance(value, str):
        number, unit = split_quantity(value, FRACTION_HINT)
        if unit not in (None, "%"):
            raise UnitError("fraction.unit", value=yaml_value(value))
        fraction = number / 100 if unit == "%" else number
        plain = unit is None
    else:
        fraction, plain = _finite(to_float(value), value), True
    if plain and fraction > 1:
        raise UnitError("fraction.ambiguous", value=yaml_value(value), fraction=fraction)
    return fraction


@dataclass(frozen=True)
class Frequency:
    """A count over the period ('24') or a rate ('2 / month', '3 / week')."""

    count: float
    per_seconds: float | None = None

    def over(self, period_seconds: float) -> float:
        """The count over a period of the given length."""
        if self.per_seconds is None:
            return self.count
        return self.count * period_seconds / self.per_seconds

    def __str__(self) -> str:
        if self.per_seconds is None:
            return f"{self.count:g}"
        per = format_duration(self.per_seconds)
        return f"{self.count:g} / {per.removeprefix('1 ')}"


def parse_frequency(value: object) -> Frequency:
    """'2 / month' -> Frequency(2, month); 24 -> Frequency(24)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("frequency.type", value=yaml_value(value))
    if isinstance(value, int | float):
        return Frequency(_finite(to_float(value), value))
    check_length(value)
    text = value.replace(" per ", "/").replace(" par ", "/")
    if "/" not in text:
        number, unit = split_quantity(text, FREQUENCY_HINT)
        if unit is not None:
            raise UnitError("frequency.unit", value=yaml_value(value))
        return Frequency(number)
    count_text, _, per_text = text.partition("/")
    count, unit = split_quantity(count_text, FREQUENCY_HINT)
    if unit is not None:
        raise UnitError("frequency.count_unit", value=yaml_value(value))
    per_text = per_text.strip()
    if not per_text:
        raise UnitError("frequency.no_time", value=yaml_value(value))
    per = parse(per_text if per_text[:1].isdigit() else f"1 {per_text}", TIME, "s")
    if per <= 0:
        raise UnitError("frequency.not_positive", value=yaml_value(value))
    return Frequency(count, per)


_DURATION_UNITS = (
    (SECONDS_PER_YEAR, "year"),
    (SECONDS_PER_YEAR / 12, "month"),
    (SECONDS_PER_DAY * 7, "week"),
    (SECONDS_PER_DAY, "day"),
    (SECONDS_PER_HOUR, "h"),
    (60.0, "min"),
)


def _named(count: float, name: str) -> tuple[float, str]:
    plural = "s" if name in ("year", "month", "week", "day") and count != 1 else ""
    return count, f"{name}{plural}"


def duration_parts(seconds: float, approximate: bool = False) -> tuple[float, str]:
    """A duration as (count, unit) in its most readable unit: (1.0, 'year'), (5.0, 'min').

    A duration that is no round count of any unit is in seconds (90.5, 's'), or, when
    `approximate`, in the largest unit it reaches to 3 digits (2.24, 'years': the centre
    of a range '1 year..5 years').
    """
    for size, name in _DURATION_UNITS:
        if seconds >= size and abs(seconds / size - round(seconds / size, 2)) < 1e-9:
            return _named(seconds / size, name)
    if approximate:
        for size, name in _DURATION_UNITS:
            if seconds >= size:
                return _named(rounded(seconds / size, 3), name)
    return seconds, "s"


def format_duration(seconds: float, approximate: bool = False) -> str:
    """The most readable unit for a duration: '1 year', '5 min', '90.5 s' (see
    `duration_parts`)."""
    count, unit = duration_parts(seconds, approximate)
    return f"{count:g} {unit}"


#: The decimal units bytes are shown in, smallest first, with their sizes in bytes.
BYTE_UNITS: tuple[tuple[str, float], ...] = (
    ("B", 1.0), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
)  # fmt: skip
_LARGEST_FIRST = BYTE_UNITS[:0:-1]  # TB down to kB: below a kB, bytes


def bytes_in_unit(count: float) -> tuple[float, str]:
    """Bytes in the largest decimal unit that keeps the number >= 1: (2.5, 'MB')."""
    for name, size in _LARGEST_FIRST:
        if count >= size:
            return count / size, name
    return count, "B"


def format_bytes(count: float) -> str:
    """Bytes in the largest decimal unit that keeps the number >= 1."""
    number, name = bytes_in_unit(count)
    return f"{number:g} {name}"
