"""Levers: catalogue changes applied to copies of a questionnaire, evaluated, ranked.

The catalogue (factors/levers.yaml) is data; acvnum.analysis.lever_kinds knows the kinds of change.
Every lever of every service, and then every combination, is evaluated by the engine in
one batch (two engine calls in all), so a saving is always recomputed, never canned.
Ranking: persons-equivalent saved (sum over criteria of the yearly saving divided by one
person's yearly planetary boundary; energy has no boundary), ties broken by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from acvnum.analysis.lever_kinds import KINDS, Context
from acvnum.analysis.variants import (
    Change,
    Saving,
    Savings,
    Variant,
    boundary_weights,
    savings,
    totals,
)
from acvnum.i18n import Translator
from acvnum.questionnaire.models import Questionnaire
from acvnum.questionnaire.yaml_reader import load_plain_yaml
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.factors import FactorTable, default_directory

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
        for item in load_plain_yaml(text)["levers"]
    )


def apply(lever: Lever, variant: Variant, context: Context) -> Variant | None:
    """The variant with the lever's change, or None if it would change nothing."""
    return KINDS[lever.change["kind"]](variant, lever.change, context)


# --- proposals ---------------------------------------------------------------------------


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

    def change_text(self, t: Translator | None = None) -> str:
        """Every change, in English (the JSON's `change`) or in the report's language."""
        if t is None:
            return "; ".join(str(c) for c in self.changes)
        return t("punctuation.semicolon").join(c.text(t) for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.lever.id,
            "rank": self.rank,
            "tier": self.lever.tier,
            "title": self.lever.title["en"],
            "change": self.change_text(),
            "changes": [c.to_dict() for c in self.changes],
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
            "changes": [c.to_dict() for c in self.changes],
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


def _ranked(
    owner: np.ndarray, effects: Savings, ids: list[str], kept: np.ndarray, n: int, count: int
) -> list[list[int]]:
    """Per service, the candidates kept, best first (ties by id), at most `count`."""
    order = np.lexsort((np.array(ids), -effects.persons_equivalent, owner))
    ranked: list[list[int]] = [[] for _ in range(n)]
    for k in order[kept[order]]:
        if len(ranked[owner[k]]) < count:
            ranked[owner[k]].append(int(k))
    return ranked


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
    base, years = computed[:n], np.array([q.period_years for q in questionnaires])
    owner = np.array([i for i, _, _ in candidates], dtype=int)
    effects = savings(base[owner], computed[n:], years[owner], weights)
    kept = effects.persons_equivalent > EPSILON * (base @ weights / years)[owner]
    ids = [lever.id for _, lever, _ in candidates]
    levers = [
        [
            LeverResult(candidates[k][1], rank, candidates[k][2].changes, effects.row(k))
            for rank, k in enumerate(ks, start=1)
        ]
        for ks in _ranked(owner, effects, ids, kept, n, count)
    ]
    return _with_combinations(questionnaires, levers, base, years, context, weights)


def _with_combinations(
    questionnaires: list[Questionnaire],
    levers: list[list[LeverResult]],
    base: np.ndarray,
    years: np.ndarray,
    context: Context,
    weights: np.ndarray,
) -> list[Proposals]:
    """Evaluate every prefix of every service's ranked levers in one pass; keep the best."""
    prefixes = [
        _combine(q, r, context) if len(r) > 1 else []
        for q, r in zip(questionnaires, levers, strict=True)
    ]
    owner = np.array([i for i, p in enumerate(prefixes) for _ in p], dtype=int)
    computed = totals([v for p in prefixes for v in p], context.table)
    effects = savings(base[owner], computed, years[owner], weights)
    proposals, start = [], 0
    persons = effects.persons_equivalent.tolist()
    for i, variants in enumerate(prefixes):
        if not variants:
            proposals.append(Proposals(levers[i], None))
            continue
        # max takes the first best: the shortest prefix among equals.
        best = max(range(len(variants)), key=lambda j: persons[start + j])
        ids = tuple(r.lever.id for r in levers[i][: best + 1])
        combined = Combination(ids, variants[best].changes, effects.row(start + best))
        proposals.append(Proposals(levers[i], combined))
        start += len(variants)
    return proposals
