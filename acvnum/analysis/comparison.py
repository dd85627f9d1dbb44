"""Two footprints side by side: a live result or a saved result JSON, reduced to the figures
a comparison needs, and the change between them per criterion and per tier.

`acvnum diff` shows the changes; `acvnum check --baseline` judges them against a tolerance.
A saved JSON is an input like a questionnaire: every problem with it is an InputError.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from acvnum.calculation.inventory import TIERS
from acvnum.calculation.results import SCHEMA_VERSION, ServiceResult
from acvnum.errors import InputError, Problem, Refusal, message
from acvnum.escaping import shorten
from acvnum.files import json_position, read_text, strict_json
from acvnum.reference.criteria import BY_ID, CRITERION_IDS

#: Result JSON versions a baseline may be written in (1: acvnum 0.1, one service unwrapped).
READABLE_VERSIONS = (1, SCHEMA_VERSION)

Per = Literal["visit", "user", "total"]
PERS: tuple[Per, ...] = ("visit", "user", "total")
#: Relative changes smaller than this are floating-point noise, not growth.
_NOISE = 1e-9


@dataclass(frozen=True)
class CriterionFigures:
    """One criterion's footprint over the period, and its split by tier."""

    unit: str
    total: float
    by_tier: dict[str, float]


@dataclass(frozen=True)
class Snapshot:
    """What a comparison reads of a result, whether computed now or saved as JSON."""

    name: str
    source: str
    users: float
    visits: float
    criteria: dict[str, CriterionFigures]
    period_days: float | None = None  # None: a saved result that does not say
    factors_version: str | None = None  # None: a saved result that does not say
    #: The central value of every factor behind the figures (None: not recorded).
    factor_values: Mapping[str, float] | None = None

    def divisor(self, per: Per) -> float:
        """What a total is divided by to read it per visit, per user or in total."""
        return {"visit": self.visits, "user": self.users, "total": 1.0}[per] or 1.0

    def value(self, criterion: str, per: Per) -> float:
        return self.criteria[criterion].total / self.divisor(per)

    def tiers(self, criterion: str, per: Per) -> dict[str, float]:
        divisor = self.divisor(per)
        return {t: v / divisor for t, v in self.criteria[criterion].by_tier.items()}


def from_result(result: ServiceResult) -> Snapshot:
    figures = result.criteria.items()
    criteria = {cid: CriterionFigures(c.unit, c.total, dict(c.by_tier)) for cid, c in figures}
    return Snapshot(
        result.name,
        result.source_file,
        result.users,
        result.visits,
        criteria,
        result.period_days,
        result.factors_version,
        result.factor_values,
    )


# --- saved results ------------------------------------------------------------------------


#: Where a value is in a result JSON: its object keys and list indices from the top.
JsonPath = tuple[str | int, ...]


class _Malformed(Refusal):
    """A result JSON that does not have the shape `acvnum estimate --format json` writes;
    `path`: where the value refused is (located at its line and column)."""

    def __init__(self, key: str, /, path: JsonPath = (), **args: object):
        super().__init__(key, **args)
        self.path = path


def _dotted(path: JsonPath) -> str:
    """('services', 0, 'service', 'users') -> '$.services[0].service.users'."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def _refused(key: str, path: JsonPath, **args: object) -> _Malformed:
    """The refusal of the value at `path`, which the message names as `at`."""
    return _Malformed(key, path, at=_dotted(path), **args)


def _number(data: dict[str, Any], key: str, where: JsonPath, positive: bool = False) -> float:
    """A finite number, never negative (JSON has no NaN, but Python's reader would take one;
    no footprint, count or period is below zero); `positive` for a divisor: a baseline of
    zero visits would compare a total against per-visit."""
    value = data.get(key)
    path = (*where, key)
    if key not in data:
        raise _refused("result.missing", path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refused("result.not_a_number", path, value=_shown(value))
    number = float(value)
    if not math.isfinite(number):
        raise _refused("result.not_finite", path)
    if positive and number <= 0:
        raise _refused("result.not_positive", path, value=number)
    if number < 0:
        raise _refused("result.negative", path, value=number)
    return number


def _shown(value: Any) -> str:
    """A refused value as the file wrote it, in JSON ('null', 'true', '"5"'), not as Python
    would ('None', 'True', "'5'"); an array or an object by its JSON name."""
    if isinstance(value, list | dict):
        return "array" if isinstance(value, list) else "object"
    return shorten(json.dumps(value, ensure_ascii=False))


def _text(data: dict[str, Any], key: str, where: JsonPath) -> str:
    value = data.get(key)
    path = (*where, key)
    if not isinstance(value, str):
        raise _refused("result.not_text", path)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ('\\ud800') cannot be written back
        raise _refused("result.not_unicode", path) from None
    return value


def _mapping(data: Any, key: str, where: JsonPath) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise _refused("result.not_object", (*where, key))
    return value


#: How far a criterion's total may be from the sum of its tiers: the same items added in
#: another order (acvnum writes every float in full), not a figure edited by hand.
_SUM_TOLERANCE = 1e-9


def _criterion(data: Any, where: JsonPath) -> CriterionFigures:
    if not isinstance(data, dict):
        raise _refused("result.no_unit", where)
    unit = _text(data, "unit", where)
    expected = BY_ID[str(where[-1])].unit
    if unit != expected:  # 'g CO2 eq' for kg: its totals would be read 1000 times too large
        path = (*where, "unit")
        raise _refused("result.unit", path, unit=repr(shorten(unit)), expected=repr(expected))
    total = _number(data, "total", where)
    tiers = _mapping(data, "by_tier", where)
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        tier = repr(shorten(unknown[0]))
        path = (*where, "by_tier", unknown[0])
        raise _Malformed("result.unknown_tier", path, at=_dotted(where), tier=tier)
    by_tier = {tier: _number(tiers, tier, (*where, "by_tier")) for tier in tiers}
    # check names the tiers that grew, diff shows them: they must add up to what is judged
    summed = math.fsum(by_tier.values())
    if abs(total - summed) > _SUM_TOLERANCE * max(total, summed):
        raise _refused("result.tiers_sum", (*where, "total"), total=total, summed=summed)
    return CriterionFigures(unit, total, by_tier)


def _criteria(data: Any, where: JsonPath) -> dict[str, CriterionFigures]:
    found = _mapping(data, "criteria", where)
    unknown = [cid for cid in found if cid not in CRITERION_IDS]
    if unknown:
        known = ", ".join(CRITERION_IDS)
        raise _Malformed(
            "result.unknown_criterion",
            (*where, "criteria", unknown[0]),
            at=_dotted(where),
            criterion=repr(shorten(unknown[0])),
            known=known,
        )
    return {cid: _criterion(c, (*where, "criteria", cid)) for cid, c in found.items()}


def _service(data: Any, source: str, where: JsonPath) -> Snapshot:
    service = _mapping(data, "service", where)
    inside = (*where, "service")
    name = _text(service, "name", inside)
    criteria = _criteria(data, where)
    users = _number(service, "users", inside, positive=True)
    visits = _number(service, "visits", inside, positive=True)
    _divides(criteria, users, (*inside, "users"))
    _divides(criteria, visits, (*inside, "visits"))
    days = (
        _number(service, "period_days", inside, positive=True) if "period_days" in service else None
    )
    return Snapshot(name, source, users, visits, criteria, days)


def _divides(criteria: dict[str, CriterionFigures], divisor: float, path: JsonPath) -> None:
    """Refuse a count of users or visits so small (1e-308) that a figure read per user or
    per visit is out of range: every later difference and ratio would be inf or NaN."""
    figures = [f for c in criteria.values() for f in (c.total, *c.by_tier.values())]
    if not math.isfinite(max(figures, default=0.0) / divisor):
        raise _refused("result.divides_out_of_range", path, value=divisor)


#: The keys only a questionnaire has at its top level: said so, not "malformed JSON".
_QUESTIONNAIRE_KEYS = {"usage", "hosting", "budgets"}
_QUESTIONNAIRE = message("result.questionnaire")


def _services(document: Any, source: str, by_name: bool) -> list[Snapshot]:
    if not isinstance(document, dict):
        raise _Malformed("result.not_json_object")
    if "schema_version" not in document and _QUESTIONNAIRE_KEYS & set(document):
        raise _Malformed(_QUESTIONNAIRE)
    if "schema_version" not in document:
        raise _refused("result.missing", ("schema_version",))
    version = document.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        readable = " and ".join(str(v) for v in READABLE_VERSIONS)
        raise _Malformed(
            "result.version", ("schema_version",), version=_shown(version), readable=readable
        )
    if version == 1 and "services" not in document:  # version 1: one service, no envelope
        return [_service(document, source, ())]
    services = document.get("services")
    if not isinstance(services, list) or not services:
        raise _Malformed("result.no_services", ("services",))
    version_, values = _factors(document)
    found = [
        replace(
            _service(s, source, ("services", i)), factors_version=version_, factor_values=values
        )
        for i, s in enumerate(services)
    ]
    if by_name:
        _names_once(found)
    return found


def _names_once(services: list[Snapshot]) -> None:
    """check finds each service's baseline by its name: two of one name are ambiguous (the
    second is refused, where its name is)."""
    first: dict[str, int] = {}
    for i, snapshot in enumerate(services):
        if snapshot.name in first:
            path = ("services", i, "service", "name")
            raise _refused(
                "result.name_twice",
                path,
                name=shorten(repr(snapshot.name)),
                first=first[snapshot.name],
            )
        first[snapshot.name] = i


def _factors(document: dict[str, Any]) -> tuple[str | None, dict[str, float] | None]:
    """The factors version and values a saved result records (None where it does not)."""
    factors = document.get("factors")
    if not isinstance(factors, dict):
        return None, None
    version = factors.get("version") if isinstance(factors.get("version"), str) else None
    values = factors.get("values")
    if not isinstance(values, dict):
        return version, None
    numbers = {
        k: float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }
    return version, numbers


def _looks_like_yaml_questionnaire(text: str) -> bool:
    """A YAML file given where a result JSON was expected: its top-level keys show it."""
    return bool(re.search(r"^(?:name|usage|hosting):", text, re.MULTILINE))


def load_json(path: str | Path, by_name: bool = False) -> list[Snapshot]:
    """The services of a result JSON written by `acvnum estimate --format json`, checked
    as strictly as a questionnaire: bounded nesting and integers, finite numbers, known
    criteria and tiers, positive users, visits and period, impacts never below zero and
    totals that are the sums of their tiers. Every problem is located at the line and
    column of the value refused. `by_name`: the services will be looked up by name (check's
    baseline), so each name must be there once (a portfolio's may repeat one)."""
    name = str(path)
    text = read_text(Path(path), "a result JSON")
    try:
        document = strict_json(text, name)
    except InputError:
        if _looks_like_yaml_questionnaire(text):
            raise InputError([Problem(name, 1, 1, _QUESTIONNAIRE)]) from None
        raise
    try:
        return _services(document, name, by_name)
    except _Malformed as error:
        refusal = message("result.malformed", reason=error.message)
        line, column = json_position(text, error.path)
        raise InputError([Problem(name, line, column, refusal)]) from None


# --- changes ------------------------------------------------------------------------------


def _ratio(delta: float, before: float) -> float | None:
    """delta / |before|, or None (as from nothing) when it is out of range in percent: a
    saved result may hold 1e-320 where the other has 5, or factors of -1e308 and 1e308,
    whose ratio or difference is inf, which no report can print nor JSON hold."""
    relative = delta / abs(before)
    return relative if math.isfinite(relative * 100) else None


@dataclass(frozen=True)
class Change:
    """From `before` to `after`; `relative` is None when it grew from nothing."""

    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def relative(self) -> float | None:
        if self.before:
            return _ratio(self.delta, self.before)
        return 0.0 if self.after == 0 else None

    def to_dict(self) -> dict[str, float | None]:
        return {"a": self.before, "b": self.after, "change": self.delta, "change_pct": self.pct}

    @property
    def pct(self) -> float | None:
        """The relative change in percent (JSON and tables speak in %)."""
        relative = self.relative
        return None if relative is None else relative * 100


@dataclass(frozen=True)
class CriterionChange:
    criterion: str
    unit: str
    value: Change
    by_tier: dict[str, Change]

    def tiers_grown(self) -> list[str]:
        """The tiers whose value went up, the largest increase first."""
        grown = [t for t, c in self.by_tier.items() if c.relative is None or c.relative > _NOISE]
        return sorted(grown, key=lambda t: -self.by_tier[t].delta)


@dataclass(frozen=True)
class FactorChange:
    """A factor whose central value differs between two results (None: absent from one)."""

    id: str
    before: float | None
    after: float | None

    @property
    def relative(self) -> float | None:
        if self.before is None or self.after is None or self.before == 0:
            return None
        return _ratio(self.after - self.before, self.before)

    def to_dict(self) -> dict[str, Any]:
        relative = self.relative
        pct = None if relative is None else relative * 100
        return {"id": self.id, "a": self.before, "b": self.after, "change_pct": pct}


def factor_changes(a: Snapshot, b: Snapshot) -> list[FactorChange] | None:
    """The factors whose values differ from a to b, the largest relative change first (added
    or removed ones last); None when either result does not record its factors.

    A result compared with a baseline computed under other factor values has changed for
    that reason too: reports name these so a factor update is not read as a regression.
    """
    if a.factor_values is None or b.factor_values is None:
        return None
    before, after = a.factor_values, b.factor_values
    changed = [
        FactorChange(fid, before.get(fid), after.get(fid))
        for fid in sorted(before.keys() | after.keys())
        if before.get(fid) != after.get(fid)
    ]
    return sorted(changed, key=lambda c: -abs(c.relative) if c.relative is not None else math.inf)


def periods_differ(a: Snapshot, b: Snapshot) -> bool:
    """Whether totals of a and b cover different spans (a year against a month): then only
    per-visit or per-user figures compare. Unknown periods are not said to differ."""
    if a.period_days is None or b.period_days is None:
        return False
    return abs(a.period_days - b.period_days) > 1e-6 * max(a.period_days, b.period_days)


def compare(a: Snapshot, b: Snapshot, per: Per) -> list[CriterionChange]:
    """Every criterion the two share, from a to b, read per visit, per user or in total."""
    changes = []
    for cid in [c for c in a.criteria if c in b.criteria]:
        tiers_a, tiers_b = a.tiers(cid, per), b.tiers(cid, per)
        by_tier = {t: Change(tiers_a.get(t, 0.0), tiers_b.get(t, 0.0)) for t in tiers_a | tiers_b}
        value = Change(a.value(cid, per), b.value(cid, per))
        changes.append(CriterionChange(cid, b.criteria[cid].unit, value, by_tier))
    return changes
