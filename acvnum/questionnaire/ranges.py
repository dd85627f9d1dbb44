"""Questionnaire quantities given as ranges, e.g. `data_per_visit: 2 MB..4 MB`.

A range `low..high` is read like a factor's range: low and high are the 5th and 95th
percentiles of the quantity (see acvnum.analysis.uncertainty). Its central value, used by every
deterministic figure, is the geometric mean sqrt(low x high), the median of a lognormal
with those percentiles; when low is 0 it is the arithmetic mean (low + high) / 2 instead,
because the geometric mean would be 0 whatever high is (no lognormal has a 5th percentile
of 0): '0 MB..4 MB' is centred on 2 MB, '0.1 MB..4 MB' on 0.63 MB.
A unit written only after high applies to both ends ("2..4 MB"). Both ends are validated
like any other value; low must not exceed high.

Only quantity fields are scanned for ranges: free text (a name, a description, a country,
a type) is left as written, so `description: 2..3 pages` is just a description.
"""

from __future__ import annotations

import copy
import math
import re
import types
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from acvnum.errors import InputError, UnitError, in_order, message
from acvnum.questionnaire import plain, units
from acvnum.questionnaire.paths import dotted, fields_below, get, pattern, set_in
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.yaml_reader import Document, Path_

if TYPE_CHECKING:
    from pydantic import BaseModel

#: The "unit" of a count or rate ('10 / month..30 / month'): its central value is written
#: as a plain count over the whole period, whatever the rate's unit of time.
FREQUENCY = "/"
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
    # The optional blocks (issue 13): a field "<block>.<name>" of the block's arrays.
    ("ai", "requests_per_visit"): ("ai.requests", ""),
    ("ai", "requests_per_user"): ("ai.requests", FREQUENCY),
    ("ai", "output_tokens"): ("ai.output_tokens", ""),
    ("ai", "input_tokens"): ("ai.input_tokens", ""),
    ("ai", "model", "parameters"): ("ai.parameters", "B"),
    ("ai", "model", "active_parameters"): ("ai.active_parameters", "B"),
    ("ai", "self_hosted", "gpus"): ("ai.gpus", ""),
    ("ai", "self_hosted", "utilization"): ("ai.utilization", ""),
    ("ai", "self_hosted", "pue"): ("ai.pue", ""),
    ("ai", "training", "gpu_hours"): ("ai.training_gpu_hours", ""),
    ("video", "watched_per_visit"): ("video.hours", "s"),
    ("video", "watched_per_user"): ("video.hours", "s"),
    ("video", "background_share"): ("video.background", ""),
    ("video", "call_participants"): ("video.participants", ""),
    ("messages", "per_user"): ("messages.items", FREQUENCY),
    ("messages", "size"): ("messages.size_gb", "B"),
    ("messages", "recipients"): ("messages.recipients", ""),
    ("messages", "retention"): ("messages.retention_years", "s"),
    ("messages", "copies"): ("messages.copies", ""),
}
_END = rf"{units.NUMBER}\s*[^\d\s.][^.]*?|{units.NUMBER}"
_RANGE = re.compile(rf"^\s*(?P<low>{_END})\s*\.\.(?!\.)\s*(?P<high>{_END})\s*$")
#: '2 MB...4 MB' or '2 MB…4 MB': a range with the wrong separator, not a low end of 0.4 MB.
#: Searching from the last digit before the dots (`[^.…\d]`) keeps the search linear.
_ELLIPSIS = re.compile(r"\d[^.…\d]*(?:\.{3,}|…)")


def _is_text(annotation: Any) -> bool:
    """A free-text field (str, str | None, a Literal of words): never a quantity."""
    if annotation is str or get_origin(annotation) is Literal:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return all(_is_text(a) for a in get_args(annotation) if a is not type(None))
    return False


def _text_fields(model: type[BaseModel]) -> set[tuple[str, ...]]:
    """The path patterns of every free-text field, from the models themselves."""
    return {path for path, info in fields_below(model) if _is_text(info.annotation)}


@cache
def text_fields() -> set[tuple[str, ...]]:
    """The free-text fields' path patterns, walked once from the models when a file may
    hold a range (pydantic's machinery is not loaded for the others)."""
    from acvnum.questionnaire.models import Questionnaire as Model  # pydantic: see above

    return _text_fields(Model)


def _quantity_texts(data: Any) -> list[tuple[Path_, str]]:
    """Every string value outside the free-text fields, with its path (one walk, the
    path's pattern carried along: every file of a portfolio is scanned)."""
    found: list[tuple[Path_, str]] = []
    text = text_fields()

    def walk(data: Any, path: Path_, shape: tuple[str, ...]) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(value, (*path, key), (*shape, "*" if isinstance(key, int) else str(key)))
        elif isinstance(data, list):
            for i, value in enumerate(data):
                walk(value, (*path, i), (*shape, "*"))
        # Longer texts are no quantity: the unit reader refuses them, quoting only their start.
        elif isinstance(data, str) and len(data) <= units.MAX_QUANTITY_CHARS and shape not in text:
            found.append((path, data))

    walk(data, (), ())
    return found


def _find(texts: list[tuple[Path_, str]]) -> list[tuple[Path_, re.Match[str]]]:
    """Every quantity written as a range, with its path (its ends' thousands separators
    read as a plain value's are: '1 000..2 000 kB')."""
    found = [(path, _RANGE.match(units.as_written(text, comma=False))) for path, text in texts]
    return [(path, match) for path, match in found if match]


def _ellipses(document: Document, texts: list[tuple[Path_, str]]) -> list:
    """Problems for ranges written with three dots or an ellipsis ('2 MB...4 MB')."""
    return [
        document.problem(path, message("range.ellipsis", path=dotted(path), text=repr(text)))
        for path, text in texts
        if _ELLIPSIS.search(text)
    ]


def _ends(match: re.Match[str]) -> tuple[str, str]:
    """The two ends as texts; the high end's unit is lent to a bare low end. An end that
    cannot be read (a '1,6' without --lang fr) is left as written: validating it reports
    it at its line and column."""
    low, high = match["low"].strip(), match["high"].strip()
    high_unit, low_unit = _unit(high), _unit(low)
    if low_unit == "" and high_unit:
        low = f"{low} {high_unit}" if high_unit != "%" else f"{low}%"
    return low, high


def _unit(end: str) -> str | None:
    """The unit written at one end of a range: '' for a bare number, None when unreadable."""
    try:
        return units.split_quantity(end)[1] or ""
    except UnitError:
        return None


@dataclass(frozen=True)
class Bounds:
    """A questionnaire at its central values, and at the low and high ends of its ranges."""

    central: Questionnaire
    low: Questionnaire
    high: Questionnaire
    written: dict[str, str]  # dotted path -> the range as written
    #: Whether the ends were read with a decimal comma (units.decimal_comma, as --lang fr
    #: reads a file): the report reads them again to show them, perhaps outside that block.
    comma: bool = False


def central_value(low: float, high: float) -> float:
    """Geometric mean of the ends, or their arithmetic mean when low is 0."""
    return math.sqrt(low * high) if low > 0 else (low + high) / 2


def _validated(document: Document, data: Any, range_centres: bool = False) -> Questionnaire:
    """pydantic's path: the models' checks and, for anything they refuse, their messages."""
    # The models are imported only here: a valid file the plain reader takes never needs them.
    from acvnum.questionnaire.models import validate

    return validate(document.with_data(data), range_centres=range_centres)


def _both_ends(document: Document, found: list) -> tuple[Questionnaire, Questionnaire]:
    """Validate the questionnaire at the low ends and at the high ends, all problems at once."""
    ends, problems = [], []
    for side in (0, 1):
        data = copy.deepcopy(document.data)
        for path, match in found:
            set_in(data, path, _ends(match)[side])
        try:
            ends.append(_validated(document, data))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(in_order(problems))
    return ends[0], ends[1]


def _number(q: Questionnaire, path: Path_) -> float:
    """The value at `path` as one number: a count or rate is taken over the whole period."""
    value = get(q, path)
    if isinstance(value, units.Frequency):
        return value.over(q.period)
    return float(value)


def _may_hold_range(document: Document) -> bool:
    """Whether some text in the document's data has two dots or an ellipsis: without one
    there is no range and no misspelt range, and the walk is skipped (most files of a
    portfolio have none). A file's text without them has none in its data when the data is
    the text as written (`verbatim`: a search of ~500 characters, where repr took a fifth of
    the reading time); otherwise repr writes every string's dots and ellipses as they are,
    in native code."""
    text = document.verbatim
    if text is not None and ".." not in text and "\u2026" not in text:
        return False
    try:
        written = repr(document.data)
    except ValueError:  # an int of over 4,300 digits (from the API) has no repr: walk the data
        return True
    return ".." in written or "\u2026" in written


def validate_ranges(document: Document) -> Bounds:
    """Document -> the questionnaire at its central values and at both ends of its ranges."""
    if not _may_hold_range(document):
        questionnaire = plain.read(document.data) or _validated(document, document.data)
        return Bounds(questionnaire, questionnaire, questionnaire, {})
    texts = _quantity_texts(document.data)
    ellipses = _ellipses(document, texts)
    if ellipses:
        raise InputError(ellipses)
    found = _find(texts)
    misplaced = [path for path, _ in found if pattern(path) not in RANGEABLE]
    if misplaced:
        allowed = ", ".join(dotted(p).replace(".*", "[]") for p in RANGEABLE)
        raise InputError(
            [
                document.problem(p, message("range.misplaced", path=dotted(p), allowed=allowed))
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
        lo, hi = _number(low, path), _number(high, path)
        if lo > hi:
            problems.append(document.problem(path, message("range.inverted", path=dotted(path))))
        unit = RANGEABLE[pattern(path)][1]
        central = central_value(lo, hi)
        set_in(data, path, central if unit == FREQUENCY else f"{central!r} {unit}".strip())
    if problems:
        raise InputError(problems)
    given = dict(texts)
    written = {dotted(path): given[path].strip() for path, _ in found}
    central = _validated(document, data, range_centres=True)
    return Bounds(central, low, high, written, units.comma_in_force())
