"""Variants: a questionnaire with some values changed, the changes recorded, evaluated in one batch.

A variant never copies its questionnaire: it keeps the values it changed beside it, by
path, and `totals` writes them into the engine's arrays (acvnum.calculation.inventory
`take` and `with_inputs`), any number of variants in one engine pass. Levers and
`--what-if` both build variants; `savings` compares them with their baselines, all rows
at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from acvnum.calculation.engine import evaluate_totals
from acvnum.calculation.inventory import (
    edits_in_place,
    service_arrays,
    take,
    with_factor_scale,
    with_inputs,
)
from acvnum.calculation.results import maker
from acvnum.i18n import CHOICES, Translator, Value, choice
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire.paths import dotted
from acvnum.questionnaire.records import Questionnaire
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable


@dataclass(frozen=True)
class Change:
    """One value changed: its path and the values before and after, numbers until shown."""

    path: str
    before: Value
    after: Value
    #: What the path is about, by the name a reader knows it by (a server's name); kept out
    #: of the JSON, which names the path.
    subject: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self._line

    @cached_property
    def _line(self) -> str:
        """The change in English, written once (changes are shared between services)."""
        return _line(self.path, *self._english)

    def text(self, t: Translator) -> str:
        """The change in the report's language ('4 ans → 6 ans', '3 → 1,6')."""
        return f"{t.label(self.path)}{t.value(self.before)} → {t.value(self.after)}"

    def to_dict(self) -> dict[str, str]:
        """The JSON's change: the values in English."""
        before, after = self._english
        return {"path": self.path, "before": before, "after": after}

    @cached_property
    def _english(self) -> tuple[str, str]:
        """Both values in English, written once (the JSON shows each twice)."""
        return str(self.before), str(self.after)


def _line(path: str, before: str, after: str) -> str:
    return f"{path}: {before} → {after}"


#: How a questionnaire key's value is shown (see i18n.Value): durations, bytes, shares, W.
_UNITS = {
    "visit_duration": "s",
    "lifetime": "s",
    "watched_per_visit": "s",
    "watched_per_user": "s",
    "data_per_visit": "B",
    "volume": "B",
    "utilization": "%",
    "fixed": "%",
    "mobile": "%",
    "power": "W",
    "parameters": "billion",
    "active_parameters": "billion",
    "retention": "s",
    "size": "B",
    "hours_per_day": "s",
    "background_share": "%",
    **dict.fromkeys(("smartphone", "tablet", "laptop", "desktop", "television"), "%"),
}


def value_at(path: modelpath.Path, amount: Any, default: bool = False) -> Value:
    """A questionnaire value as a change shows it, in the unit a reader expects for its key."""
    key = str(path[-1])
    if isinstance(amount, str | bool) and key in CHOICES:  # one of the key's words
        return choice(key, amount, default)
    return Value(amount, _UNITS.get(key, ""), default)


@dataclass(frozen=True)
class Variant:
    """A questionnaire, the values changed in it (by path, in base units) and per-service
    factor multipliers, with the changes that led to them. The questionnaire itself is
    never copied nor changed: `get` reads a changed value first, then the questionnaire."""

    questionnaire: Questionnaire
    factor_scale: Mapping[str, float] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    edits: Mapping[modelpath.Path, Any] = field(default_factory=dict)

    def get(self, path: modelpath.Path) -> Any:
        """The value at `path` in this variant."""
        if path in self.edits:
            return self.edits[path]
        return modelpath.get(self.questionnaire, path)

    def lookup(self, path: modelpath.Path) -> Any:
        """The value at `path`, or None where a section on the way is absent."""
        try:
            return self.get(path)
        except (AttributeError, IndexError):
            return None

    def copy(self) -> Questionnaire:
        """A copy of the questionnaire with the changed values in it (validated no further)."""
        q = self.questionnaire
        for path, value in self.edits.items():
            q = modelpath.replace(q, path, value)
        return q

    def set(
        self, path: modelpath.Path, value: Any, before: Any = None, shown: Change | None = None
    ) -> Variant:
        """The variant with the value at `path` replaced and the change recorded: `shown`
        when the value set is the engine's means and not what a reader should read (an
        average of 1.3 servers is servers running part of the time)."""
        old = self.get(path) if before is None else before
        subject = server_name(self.questionnaire, path)
        change = shown or Change(_dotted(path), value_at(path, old), value_at(path, value), subject)
        edits, changes = {**self.edits, path: value}, (*self.changes, change)
        return Variant(self.questionnaire, self.factor_scale, changes, edits)  # not replace(): hot


@lru_cache(maxsize=4096)
def _dotted(path: modelpath.Path) -> str:
    """`dotted`, remembered: levers change the same few paths in every service."""
    return dotted(path)


def server_name(q: Questionnaire, path: modelpath.Path) -> str:
    """A server's name for a change under hosting.servers[i], else '' (a --what-if may name
    a server the file does not have yet)."""
    if len(path) > 2 and path[:2] == ("hosting", "servers") and q.hosting is not None:
        index = path[2]
        if isinstance(index, int) and -len(q.hosting.servers) <= index < len(q.hosting.servers):
            return q.hosting.servers[index].name
    return ""


def totals(variants: list[Variant], table: FactorTable) -> np.ndarray:
    """Central totals of every variant in one engine pass: (V, criteria).

    The arrays are built once per distinct questionnaire, taken again for each variant of
    it, and each variant's changed values written into its row.
    """
    if not variants:
        return np.zeros((0, len(CRITERION_IDS)))
    position: dict[int, int] = {}
    questionnaires: list[Questionnaire] = []
    rows, edits = [], []
    for k, v in enumerate(variants):
        base, changed = v.questionnaire, v.edits
        if changed and not edits_in_place(base, changed):
            base, changed = v.copy(), {}  # rare: an answer the arrays derive more from
        if id(base) not in position:
            position[id(base)] = len(questionnaires)
            questionnaires.append(base)
        rows.append(position[id(base)])
        edits += [(k, path, value) for path, value in changed.items()]
    arrays = take(service_arrays(questionnaires), rows)
    arrays = with_factor_scale(with_inputs(arrays, edits), [v.factor_scale for v in variants])
    return evaluate_totals(arrays, table.central())[:, 0]


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


_SAVING = maker(Saving)  # a lever run makes six a service


@dataclass(frozen=True, eq=False)
class Savings:
    """K changes compared with their baselines at once: (K, criteria) and (K,) arrays."""

    saved: np.ndarray
    fraction: np.ndarray
    persons_equivalent: np.ndarray

    def row(self, k: int) -> Saving:
        saved, fraction, persons = self._lists
        return _SAVING(  # saving, reduction, persons_equivalent
            dict(zip(CRITERION_IDS, saved[k], strict=True)),
            dict(zip(CRITERION_IDS, fraction[k], strict=True)),
            persons[k],
        )

    @cached_property
    def _lists(self) -> tuple[list[list[float]], list[list[float]], list[float]]:
        """The arrays as Python floats, converted once (not once a row: same numbers)."""
        return self.saved.tolist(), self.fraction.tolist(), self.persons_equivalent.tolist()


def savings(
    before: np.ndarray, after: np.ndarray, period_years: np.ndarray, weights: np.ndarray
) -> Savings:
    """(K, criteria) totals before and after K changes, over periods of (K,) years."""
    saved = before - after
    fraction = np.divide(saved, before, out=np.zeros_like(saved), where=before != 0)
    # A row sum, not `saved @ weights`: a matrix product's summation order depends on K, so
    # a lever's persons-equivalent would differ in its last digit between batch sizes.
    return Savings(saved, fraction, (saved * weights).sum(axis=-1) / period_years)


def saving(
    before: np.ndarray, after: np.ndarray, period_years: float, weights: np.ndarray
) -> Saving:
    """One change: (criteria,) totals before and after."""
    years = np.array([period_years])
    return savings(before[np.newaxis], after[np.newaxis], years, weights).row(0)
