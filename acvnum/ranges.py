"""Questionnaire quantities given as ranges, e.g. `data_per_visit: 2 MB..4 MB`.

A range `low..high` is read like a factor's range: low and high are the 5th and 95th
percentiles of the quantity (see acvnum.uncertainty). Its central value, used by every
deterministic figure, is the geometric mean sqrt(low x high), the median of a lognormal
with those percentiles; when low is 0 it is the arithmetic mean (low + high) / 2.
A unit written only after high applies to both ends ("2..4 MB"). Both ends are validated
like any other value; low must not exceed high.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from acvnum import units
from acvnum.loading import Document, InputError, Path_
from acvnum.questionnaire import Questionnaire, validate

#: The quantities that accept a range: the inventory field each one feeds and its base unit.
RANGEABLE: dict[tuple[str, ...], tuple[str, str]] = {
    ("usage", "visit_duration"): ("hours", "s"),
    ("usage", "data_per_visit"): ("gigabytes", "B"),
    ("hosting", "pue"): ("pue", ""),
    ("hosting", "storage", "volume"): ("storage_tb", "B"),
    ("hosting", "storage", "replicas"): ("replicas", ""),
    ("hosting", "servers", "*", "utilization"): ("servers.utilization", ""),
    ("hosting", "servers", "*", "power"): ("servers.power", "W"),
    ("hosting", "servers", "*", "lifetime"): ("servers.lifetime_years", "s"),
}
_END = rf"{units.NUMBER}\s*[^\d\s.][^.]*?|{units.NUMBER}"
_RANGE = re.compile(rf"^\s*(?P<low>{_END})\s*\.\.\s*(?P<high>{_END})\s*$")


def _pattern(path: Path_) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else str(part) for part in path)


def dotted(path: Path_) -> str:
    """('hosting', 'servers', 0, 'power') -> 'hosting.servers[0].power'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _find(data: Any, path: Path_ = ()) -> list[tuple[Path_, re.Match[str]]]:
    """Every string value written as a range, with its path."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _find(value, (*path, key))]
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in _find(value, (*path, i))]
    match = _RANGE.match(data) if isinstance(data, str) else None
    return [(path, match)] if match else []


def _ends(match: re.Match[str]) -> tuple[str, str]:
    """The two ends as texts; the high end's unit is lent to a bare low end."""
    low, high = match["low"].strip(), match["high"].strip()
    _, high_unit = units.split_quantity(high)
    _, low_unit = units.split_quantity(low)
    if low_unit is None and high_unit is not None:
        low = f"{low} {high_unit}" if high_unit != "%" else f"{low}%"
    return low, high


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(model: Any, path: Path_) -> float:
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return float(model)


@dataclass(frozen=True)
class Bounds:
    """A questionnaire at its central values, and at the low and high ends of its ranges."""

    central: Questionnaire
    low: Questionnaire
    high: Questionnaire
    written: dict[str, str]  # dotted path -> the range as written


def central_value(low: float, high: float) -> float:
    """Geometric mean of the ends, or their arithmetic mean when low is 0."""
    return math.sqrt(low * high) if low > 0 else (low + high) / 2


def _validated(document: Document, data: Any) -> Questionnaire:
    return validate(Document(document.file, data, document.marks))  # type: ignore[return-value]


def _both_ends(document: Document, found: list) -> tuple[Questionnaire, Questionnaire]:
    """Validate the questionnaire at the low ends and at the high ends, all problems at once."""
    ends, problems = [], []
    for side in (0, 1):
        data = copy.deepcopy(document.data)
        for path, match in found:
            _set(data, path, _ends(match)[side])
        try:
            ends.append(_validated(document, data))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(sorted(set(problems), key=lambda p: (p.line, p.column, p.message)))
    return ends[0], ends[1]


def validate_ranges(document: Document) -> Bounds:
    """Document -> the questionnaire at its central values and at both ends of its ranges."""
    found = _find(document.data)
    misplaced = [path for path, _ in found if _pattern(path) not in RANGEABLE]
    if misplaced:
        allowed = ", ".join(dotted(p).replace(".*", "[]") for p in RANGEABLE)
        raise InputError(
            [
                document.problem(
                    p, f"{dotted(p)} cannot be a range; ranges are accepted for {allowed}"
                )
                for p in misplaced
            ]
        )
    if not found:
        questionnaire = _validated(document, document.data)
        return Bounds(questionnaire, questionnaire, questionnaire, {})
    low, high = _both_ends(document, found)
    data = copy.deepcopy(document.data)
    problems = []
    for path, _ in found:
        lo, hi = _get(low, path), _get(high, path)
        if lo > hi:
            problems.append(
                document.problem(path, f"{dotted(path)}: the low end exceeds the high end")
            )
        unit = RANGEABLE[_pattern(path)][1]
        _set(data, path, f"{central_value(lo, hi)!r} {unit}".strip())
    if problems:
        raise InputError(problems)
    written = {dotted(path): match.string.strip() for path, match in found}
    return Bounds(_validated(document, data), low, high, written)
