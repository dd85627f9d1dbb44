"""Levers: catalogue changes applied to copies of a questionnaire, evaluated, ranked.

The catalogue (factors/levers.yaml) is data; this module knows only the kinds of change.
Every lever of every service, and then every combination, is evaluated by the engine in
one batch (two engine calls in all), so a saving is always recomputed, never canned.
Ranking: persons-equivalent saved (sum over criteria of the yearly saving divided by one
person's yearly planetary boundary; energy has no boundary), ties broken by id.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np
import yaml

from acvnum import modelpath, units
from acvnum.boundaries import Boundaries
from acvnum.criteria import CRITERION_IDS
from acvnum.engine import evaluate
from acvnum.factors import FactorTable, default_directory
from acvnum.inventory import DEFAULT_REGION, service_arrays
from acvnum.questionnaire import DEVICE_TYPES, Questionnaire, dotted
from acvnum.result import ServiceResult

#: A relative saving of the normalised total below this is "no change": not proposed.
EPSILON = 1e-9


@dataclass(frozen=True)
class Lever:
    """One entry of the catalogue."""

    id: str
    tier: str
    title: Mapping[str, str]
    rationale: Mapping[str, str]
    change: Mapping[str, Any]
    source: str


@cache
def catalogue() -> tuple[Lever, ...]:
    """The levers of factors/levers.yaml, read once."""
    text = (default_directory() / "levers.yaml").read_text(encoding="utf-8")
    return tuple(
        Lever(
            id=item["id"],
            tier=item["tier"],
            title=item["title"],
            rationale=item["rationale"],
            change=item["change"],
            source=" ".join(item["source"].split()),
        )
        for item in yaml.safe_load(text)["levers"]
    )


# --- variants: a questionnaire and the model assumptions changed for it -----------------


@dataclass(frozen=True)
class Change:
    """One value changed, as the report shows it."""

    path: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.path}: {self.before} → {self.after}"


@dataclass(frozen=True)
class Variant:
    """A questionnaire with per-service factor multipliers, and the changes that led to it."""

    questionnaire: Questionnaire
    factor_scale: Mapping[str, float] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()

    def set(self, path: modelpath.Path, value: Any, before: Any = None) -> Variant:
        """A copy with the value at `path` replaced and the change recorded."""
        old = modelpath.get(self.questionnaire, path) if before is None else before
        change = Change(dotted(path), show_value(path, old), show_value(path, value))
        return replace(
            self,
            questionnaire=modelpath.replace(self.questionnaire, path, value),
            changes=(*self.changes, change),
        )


def show_value(path: modelpath.Path, value: Any) -> str:
    """A value in the unit a reader expects for its key, to three significant digits."""
    key = path[-1]
    if value is None:
        return "default"
    if isinstance(value, str | bool):
        return value
    if key in ("visit_duration", "lifetime"):
        return _duration(value)
    value = float(f"{value:.3g}")
    if key in ("data_per_visit", "volume"):
        return units.format_bytes(value)
    if key in ("utilization", "fixed", "mobile"):
        return f"{value:.0%}"
    if key == "power":
        return f"{value:g} W"
    return f"{value:g}"


def _duration(seconds: float) -> str:
    """'3.75 years', '4 min': the largest unit that keeps the number >= 1, 3 digits."""
    for size, name in (
        (units.SECONDS_PER_YEAR, "year"),
        (units.SECONDS_PER_DAY, "day"),
        (units.SECONDS_PER_HOUR, "h"),
        (60.0, "min"),
        (1.0, "s"),
    ):
        if seconds >= size or size == 1.0:
            count = float(f"{seconds / size:.3g}")
            plural = "s" if name in ("year", "day") and count != 1 else ""
            return f"{count:g} {name}{plural}"
    raise AssertionError("unreachable")


def _show_factor(value: float, unit: str) -> str:
    """A factor value: years as durations, anything else with its unit."""
    if unit == "year":
        return _duration(value * units.SECONDS_PER_YEAR)
    return f"{value:.3g} {unit}"


def _lookup(q: Questionnaire, path: modelpath.Path) -> Any:
    """The value at `path`, or None where a section on the way is absent."""
    try:
        return modelpath.get(q, path)
    except (AttributeError, IndexError):
        return None


@dataclass(frozen=True)
class Context:
    """What a change may consult besides the questionnaire: defaults and boundaries."""

    table: FactorTable
    limits: Boundaries

    def default(self, factor_id: str) -> float:
        return self.table.value(factor_id)

    def region_weight(self, region: str) -> float:
        """Persons-equivalent per kWh of a region's electricity, summed over criteria."""
        return sum(
            self.table.value(f"electricity.{region}.{c}") / boundary
            for c, boundary in self.limits.per_person_year.items()
        )


# --- the kinds of change ----------------------------------------------------------------

Apply = Callable[[Variant, Mapping[str, Any], Context], "Variant | None"]


def _scale(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    out = v
    for text in p["paths"]:
        path = modelpath.parse(text)
        value = _lookup(out.questionnaire, path)
        if value:
            out = out.set(path, value * p["factor"])
    return out if out.changes != v.changes else None


def _shift_network(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    network = v.questionnaire.usage.network
    moved = network.mobile * p["share"]
    if moved <= 0:
        return None
    v = v.set(("usage", "network", "mobile"), network.mobile - moved)
    return v.set(("usage", "network", "fixed"), network.fixed + moved)


def _scale_factor(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    devices = v.questionnaire.usage.devices
    scale, changes = dict(v.factor_scale), list(v.changes)
    for device in DEVICE_TYPES:
        if not getattr(devices, device):
            continue
        factor_id = f"device.{device}.{p['quantity']}"
        before = scale.get(factor_id, 1.0)
        scale[factor_id] = before * p["factor"]
        unit, value = c.table[factor_id].unit, c.default(factor_id)
        shown = (_show_factor(value * s, unit) for s in (before, scale[factor_id]))
        changes.append(Change(factor_id, *shown))
    return replace(v, factor_scale=scale, changes=tuple(changes))


def _cap(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    path = modelpath.parse(p["path"])
    if _lookup(v.questionnaire, path[:-1]) is None:
        return None
    given = _lookup(v.questionnaire, path)
    current = c.default(p["default"]) if given is None else given
    if current <= p["target"]:
        return None
    return v.set(path, float(p["target"]), before=current)


def _floor(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    hosting = v.questionnaire.hosting
    target = p["target"] * units.SECONDS_PER_YEAR
    default = c.default(p["default"]) * units.SECONDS_PER_YEAR
    out = v
    for i, server in enumerate(hosting.servers if hosting else []):
        current = getattr(server, p["field"])
        current = default if current is None else current
        if current < target:
            out = out.set(("hosting", "servers", i, p["field"]), target, before=current)
    return out if out.changes != v.changes else None


def _region(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    hosting = v.questionnaire.hosting
    known = set(c.table.regions())
    candidates = [r for r in p["candidates"] if r in known]
    if hosting is None or not candidates:
        return None
    current = hosting.location or DEFAULT_REGION
    best = min(candidates, key=lambda r: (c.region_weight(r), r))
    if c.region_weight(best) >= c.region_weight(current):
        return None
    return v.set(("hosting", "location"), best, before=current)


def _power_at(utilization: float, c: Context) -> float:
    """The linear idle-to-peak power model of the factor table, in W."""
    idle, peak = c.default("server.physical.power_idle"), c.default("server.physical.power_max")
    return idle + (peak - idle) * utilization


def _right_size(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    hosting = v.questionnaire.hosting
    out = v
    for i, s in enumerate(hosting.servers if hosting else []):
        used = (
            c.default("datacenter.default.utilization") if s.utilization is None else s.utilization
        )
        count = min(s.count, max(1, math.ceil(s.count * used / p["target"] - 1e-9)))
        if count >= s.count:
            continue
        busier = used * s.count / count
        base = ("hosting", "servers", i)
        out = out.set((*base, "count"), float(count))
        out = out.set((*base, "utilization"), busier, before=used)
        if s.power is not None:
            power = s.power * _power_at(busier, c) / _power_at(used, c)
            out = out.set((*base, "power"), power)
    return out if out.changes != v.changes else None


def _off_hours(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    hosting = v.questionnaire.hosting
    if hosting is None or hosting.environments <= 1:
        return None
    environments = 1 + (hosting.environments - 1) * p["on_share"]
    out = v.set(("hosting", "environments"), environments)
    if hosting.storage is not None and hosting.storage.volume:
        # Storage is counted per environment: keep the data, only the servers stop.
        kept = hosting.storage.volume * hosting.environments / environments
        out = out.set(("hosting", "storage", "volume"), kept)
    return out


def _switch(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    path = modelpath.parse(p["path"])
    current = _lookup(v.questionnaire, path)
    if current is None or current == p["value"]:
        return None
    return v.set(path, p["value"])


KINDS: dict[str, Apply] = {
    "scale": _scale,
    "shift_network": _shift_network,
    "scale_factor": _scale_factor,
    "cap": _cap,
    "floor": _floor,
    "region": _region,
    "right_size": _right_size,
    "off_hours": _off_hours,
    "switch": _switch,
}


def apply(lever: Lever, variant: Variant, context: Context) -> Variant | None:
    """The variant with the lever's change, or None if it would change nothing."""
    return KINDS[lever.change["kind"]](variant, lever.change, context)


# --- evaluation and ranking -------------------------------------------------------------


def totals(variants: list[Variant], table: FactorTable) -> np.ndarray:
    """Central totals of every variant in one engine pass: (V, criteria)."""
    if not variants:
        return np.zeros((0, len(CRITERION_IDS)))
    arrays = service_arrays([v.questionnaire for v in variants], [v.factor_scale for v in variants])
    return evaluate(arrays, table.central()).total[:, 0]


def boundary_weights(limits: Boundaries) -> np.ndarray:
    """(criteria,) 1 / one person's yearly boundary; 0 where there is none (energy)."""
    return np.array([1 / limits.per_person_year.get(c, math.inf) for c in CRITERION_IDS])


@dataclass(frozen=True)
class Saving:
    """What a change saves per criterion (absolute, and as a fraction of the baseline)."""

    saving: dict[str, float]
    reduction: dict[str, float]
    persons_equivalent: float  # yearly persons-equivalent saved, summed over criteria

    def to_dict(self) -> dict[str, Any]:
        return {
            "reduction": self.reduction,
            "saving": self.saving,
            "persons_equivalent_saved": self.persons_equivalent,
        }


def saving(
    before: np.ndarray, after: np.ndarray, period_years: float, weights: np.ndarray
) -> Saving:
    """From (criteria,) totals before and after a change."""
    saved = before - after
    fraction = np.divide(saved, before, out=np.zeros_like(saved), where=before != 0)
    return Saving(
        saving=dict(zip(CRITERION_IDS, saved.tolist(), strict=True)),
        reduction=dict(zip(CRITERION_IDS, fraction.tolist(), strict=True)),
        persons_equivalent=float(saved @ weights / period_years),
    )


@dataclass(frozen=True)
class LeverResult:
    """A proposed lever: its change for this service and what the engine says it saves."""

    lever: Lever
    rank: int
    changes: tuple[Change, ...]
    effect: Saving

    def title(self, lang: str = "en") -> str:
        return self.lever.title[lang]

    def rationale(self, lang: str = "en") -> str:
        return " ".join(self.lever.rationale[lang].split())

    def change_text(self) -> str:
        return "; ".join(str(c) for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.lever.id,
            "rank": self.rank,
            "tier": self.lever.tier,
            "title": self.lever.title["en"],
            "change": self.change_text(),
            "changes": [vars(c) for c in self.changes],
            **self.effect.to_dict(),
            "rationale": self.rationale("en"),
            "source": self.lever.source,
        }


@dataclass(frozen=True)
class Combination:
    """The top levers applied together, evaluated as one scenario."""

    levers: tuple[str, ...]
    changes: tuple[Change, ...]
    effect: Saving

    def to_dict(self) -> dict[str, Any]:
        return {
            "levers": list(self.levers),
            "changes": [vars(c) for c in self.changes],
            **self.effect.to_dict(),
        }


@dataclass(frozen=True)
class Proposals:
    """One service's levers, best first, and their combination (None below two levers)."""

    levers: list[LeverResult]
    combined: Combination | None


def _candidates(
    questionnaires: list[Questionnaire], context: Context
) -> list[tuple[int, Lever, Variant]]:
    """Every lever that changes something, for every service."""
    found = []
    for i, q in enumerate(questionnaires):
        for lever in catalogue():
            variant = apply(lever, Variant(q), context)
            if variant is not None:
                found.append((i, lever, variant))
    return found


def _combine(base: Questionnaire, levers: list[LeverResult], context: Context) -> list[Variant]:
    """Every prefix of the ranked levers applied together: top 1, top 2, ... top K."""
    prefixes, variant = [], Variant(base)
    for result in levers:
        variant = apply(result.lever, variant, context) or variant
        prefixes.append(variant)
    return prefixes


def propose(
    questionnaires: list[Questionnaire], table: FactorTable, limits: Boundaries, count: int
) -> list[Proposals]:
    """The `count` best levers of each service and their combination, in two engine passes.

    The combination is the best prefix of the ranked levers (usually all of them): adding
    a lever that interacts badly with the ones before it is never recommended, so the
    combination is never worse than the best single lever.
    """
    context, weights = Context(table, limits), boundary_weights(limits)
    candidates = _candidates(questionnaires, context)
    n = len(questionnaires)
    computed = totals([Variant(q) for q in questionnaires] + [v for _, _, v in candidates], table)
    base, after = computed[:n], computed[n:]
    ranked: list[list[tuple[float, str, Lever, Variant, Saving]]] = [[] for _ in range(n)]
    for (i, lever, variant), row in zip(candidates, after, strict=True):
        effect = saving(base[i], row, questionnaires[i].period_years, weights)
        baseline = float(base[i] @ weights) / questionnaires[i].period_years
        if effect.persons_equivalent > EPSILON * baseline:
            ranked[i].append((-effect.persons_equivalent, lever.id, lever, variant, effect))
    levers = [
        [
            LeverResult(lever, rank, variant.changes, effect)
            for rank, (_, _, lever, variant, effect) in enumerate(sorted(r)[:count], start=1)
        ]
        for r in ranked
    ]
    return _with_combinations(questionnaires, levers, base, table, context, weights)


def _with_combinations(
    questionnaires: list[Questionnaire],
    levers: list[list[LeverResult]],
    base: np.ndarray,
    table: FactorTable,
    context: Context,
    weights: np.ndarray,
) -> list[Proposals]:
    """Evaluate every prefix of every service's ranked levers in one pass; keep the best."""
    prefixes = [
        _combine(q, r, context) if len(r) > 1 else []
        for q, r in zip(questionnaires, levers, strict=True)
    ]
    computed = totals([v for p in prefixes for v in p], table)
    proposals, start = [], 0
    for i, (q, variants) in enumerate(zip(questionnaires, prefixes, strict=True)):
        rows, start = computed[start : start + len(variants)], start + len(variants)
        if not variants:
            proposals.append(Proposals(levers[i], None))
            continue
        effects = [saving(base[i], row, q.period_years, weights) for row in rows]
        best = max(range(len(effects)), key=lambda k: (effects[k].persons_equivalent, -k))
        ids = tuple(r.lever.id for r in levers[i][: best + 1])
        combined = Combination(ids, variants[best].changes, effects[best])
        proposals.append(Proposals(levers[i], combined))
    return proposals


def attach_levers(
    results: list[ServiceResult],
    questionnaires: list[Questionnaire],
    table: FactorTable,
    limits: Boundaries,
    count: int,
) -> None:
    """Store each service's proposals in its result (`levers`, `levers_combined`)."""
    for result, proposals in zip(
        results, propose(questionnaires, table, limits, count), strict=True
    ):
        result.levers = list(proposals.levers)
        result.levers_combined = proposals.combined
