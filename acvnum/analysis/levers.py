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
from pathlib import Path
from typing import Any

import numpy as np

from acvnum.analysis import lever_arrays
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
from acvnum.calculation.engine import evaluate_totals
from acvnum.calculation.inventory import ServiceArrays, service_arrays, take
from acvnum.i18n import Translator
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.yaml_reader import load_plain_yaml
from acvnum.reference import store
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
    """The levers of factors/levers.yaml, read once, from the copy an earlier run kept
    when there is one (parsing the YAML was a quarter of proposing levers to one service)."""
    path = default_directory() / "levers.yaml"

    def parsed() -> list[dict[str, Any]]:
        return load_plain_yaml(path.read_text(encoding="utf-8"))["levers"]

    def made(items: list[dict[str, Any]]) -> tuple[Lever, ...]:
        return tuple(
            Lever(
                id=item["id"],
                tier=item["tier"],
                title=item["title"],
                rationale=item["rationale"],
                change=item["change"],
                source=" ".join(item["source"].split()),
            )
            for item in items
        )

    return store.cached("levers", [Path(__file__), path], "levers:1", parsed, made)


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
        return {**self.entry(), "rationale": self.rationale("en"), "source": self.lever.source}

    def entry(self) -> dict[str, Any]:
        """`to_dict` without what every service shares (rationale and source): the result
        JSON's lever, whose rationale goes once to the document's catalogue."""
        return {
            "id": self.lever.id,
            "rank": self.rank,
            "tier": self.lever.tier,
            "title": self.lever.title["en"],
            "change": self.change_text(),
            "changes": [c.to_dict() for c in self.changes],
            **self.effect.to_dict(),
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
    order = order[kept[order]]
    owners = owner[order]
    firsts = np.searchsorted(owners, owners)  # where each service's run starts
    order = order[np.arange(len(order)) - firsts < count]
    ends = np.cumsum(np.bincount(owner[order], minlength=n))[:-1]
    return [part.tolist() for part in np.split(order, ends)]


def propose(
    questionnaires: list[Questionnaire],
    table: FactorTable,
    limits: Boundaries,
    count: int,
    arrays: ServiceArrays | None = None,
    totals: np.ndarray | None = None,
) -> list[Proposals]:
    """The `count` best levers of each service and their combination, in two engine passes
    (two more when some services have an optional block).

    The combination is the best prefix of the ranked levers (usually all of them): adding
    a lever that interacts badly with the ones before it is never recommended, so the
    combination is never worse than the best single lever.

    Services without an optional block take the array path (acvnum.analysis.lever_arrays:
    each lever applied to all of them at once); the others, or all when a lever has no
    array twin, apply each lever to each service (acvnum.analysis.lever_kinds).
    `arrays`: the questionnaires' engine arrays when the caller has them (not built again);
    `totals`: their central totals (N, criteria), when the caller has them too (the first
    pass then evaluates the levers' rows only, not the services as they are again).
    """
    context, weights = Context(table, limits), boundary_weights(limits)
    arrayed = _array_levers(catalogue())
    found: list[Proposals | None] = [None] * len(questionnaires)
    plain = [arrayed is not None and lever_arrays.plain(q) for q in questionnaires]
    if arrayed is not None and any(plain):
        rows = [i for i, p in enumerate(plain) if p]
        try:
            chunk = [questionnaires[i] for i in rows]
            if arrays is None:
                arrays, totals = service_arrays(chunk), None
            elif len(rows) < len(plain):
                arrays = take(arrays, rows)
                totals = None if totals is None else totals[rows]
            proposed = _propose_arrays(chunk, arrays, arrayed, context, weights, count, totals)
            for i, p in zip(rows, proposed, strict=True):
                found[i] = p
        except lever_arrays.Unsupported:
            plain = [False] * len(questionnaires)
    rest = [i for i, p in enumerate(plain) if not p]
    if rest:
        chunk = [questionnaires[i] for i in rest]
        for i, p in zip(rest, _propose_each(chunk, context, weights, count), strict=True):
            found[i] = p
    return [p for p in found if p is not None]


ArrayLever = tuple[Lever, lever_arrays.Kind]


def _array_levers(levers: tuple[Lever, ...]) -> list[ArrayLever] | None:
    """The levers that may change a service without optional blocks, each with its array
    kind; None if one has no array twin (every service then takes the per-service path)."""
    found = []
    for lever in levers:
        if lever_arrays.block_of(lever.change) is not None:
            continue  # changes a block only: nothing to change without it
        kind = lever_arrays.KINDS.get(lever.change["kind"])
        if kind is None:
            return None
        found.append((lever, kind))
    return found


def _propose_arrays(
    questionnaires: list[Questionnaire],
    arrays: ServiceArrays,
    levers: list[ArrayLever],
    context: Context,
    weights: np.ndarray,
    count: int,
    totals: np.ndarray | None = None,
) -> list[Proposals]:
    """`propose` for services without optional blocks: every lever applied to all of them at
    once as array edits, every candidate evaluated in one engine pass (with the services as
    they are, unless their `totals` are given), then every prefix of every service's ranking
    stepped through together and evaluated in a second."""
    n = len(questionnaires)
    frame = lever_arrays.frame_of(questionnaires, context)
    steps = [kind(frame, lever.change, context) for lever, kind in levers]
    lever_of = np.concatenate([np.full(int(s.changed.sum()), k) for k, s in enumerate(steps)])
    owner = np.concatenate([np.flatnonzero(s.changed) for s in steps]).astype(int)
    # Service after service, levers in catalogue order, as the per-service path lists them.
    order = np.lexsort((lever_of, owner))
    owner, lever_of = owner[order], lever_of[order].astype(int)
    frames = [frame, *(s.frame for s in steps)]
    if totals is None:
        which = np.concatenate([np.zeros(n, dtype=int), lever_of + 1])
        rows = np.concatenate([np.arange(n), owner])
        computed = _frame_totals(frames, which, rows, arrays, context)
        base, changed = computed[:n], computed[n:]
    elif len(owner):
        base, changed = totals, _frame_totals(frames, lever_of + 1, owner, arrays, context)
    else:
        base, changed = totals, np.zeros((0, totals.shape[1]))
    years = arrays.period_years[:, 0]
    effects = savings(base[owner], changed, years[owner], weights)
    kept = effects.persons_equivalent > EPSILON * (base @ weights / years)[owner]
    ids = [levers[k][0].id for k in lever_of.tolist()]
    ranked = _ranked(owner, effects, ids, kept, n, count)
    owners, kinds = owner.tolist(), lever_of.tolist()
    results = [
        [
            LeverResult(
                levers[kinds[k]][0], rank, steps[kinds[k]].changes(owners[k]), effects.row(k)
            )
            for rank, k in enumerate(ks, start=1)
        ]
        for ks in ranked
    ]
    ranked_levers = [[kinds[k] for k in ks] for ks in ranked]
    found = _Found(frame, steps, results, ranked_levers)
    return _array_combinations(found, levers, base, years, arrays, context, weights)


@dataclass(frozen=True, eq=False)
class _Found:
    """What the array path found of each lever alone: the base frame, each lever's step on it,
    each service's proposed levers and their indexes among the array levers."""

    frame: lever_arrays.Frame
    steps: list[lever_arrays.Step]
    results: list[list[LeverResult]]
    ranked: list[list[int]]


def _array_combinations(
    found: _Found,
    levers: list[ArrayLever],
    base: np.ndarray,
    years: np.ndarray,
    arrays: ServiceArrays,
    context: Context,
    weights: np.ndarray,
) -> list[Proposals]:
    """Every prefix of every service's ranked levers (two or more), in step: at step j each
    service's j-th lever is applied to what the steps before left, one array edit per lever.

    A step that changes a service just as its lever alone does shows that lever's changes
    (the same objects); only the others are written anew."""
    results, ranked = found.results, found.ranked
    n = len(results)
    lengths = np.array([len(r) for r in ranked], dtype=int)
    depth = int(lengths.max(initial=0)) if (lengths > 1).any() else 0
    at = np.full((depth, n), -1, dtype=int)  # the lever applied at each step, per service
    for i, ks in enumerate(ranked):
        if len(ks) > 1:
            at[: len(ks), i] = ks
    current, snapshots = found.frame, []
    applied: dict[tuple[int, int], tuple[lever_arrays.Step, list[bool], list[bool]]] = {}
    for j in range(depth):
        # sorted(set()), not np.unique: np.unique imports numpy.ma (some 8 ms of a run)
        for k in sorted(set(at[j][at[j] >= 0].tolist())):
            lever, kind = levers[k]
            step = kind(current, lever.change, context)
            chosen = (at[j] == k) & step.changed
            current = lever_arrays.merged(current, step.frame, chosen)
            alone = step.same(found.steps[k])
            applied[j, k] = (step, chosen.tolist(), alone.tolist())
        snapshots.append(current)
    steps = [np.flatnonzero(lengths > max(j, 1)) for j in range(depth)]
    rows = np.concatenate([np.zeros(0, dtype=int), *steps]).astype(int)
    which = np.concatenate(
        [np.zeros(0, dtype=int), *(np.full(len(r), j) for j, r in enumerate(steps))]
    ).astype(int)
    order = np.lexsort((which, rows))  # service after service, as the per-service path
    rows, which = rows[order], which[order]
    computed = _frame_totals(snapshots, which, rows, arrays, context) if len(rows) else None
    proposals: list[Proposals] = [Proposals(r, None) for r in results]
    if computed is None:
        return proposals
    effects = savings(base[rows], computed, years[rows], weights)
    persons = np.full((n, depth), -np.inf)
    persons[rows, which] = effects.persons_equivalent
    best = persons.argmax(axis=1)  # the first best: the shortest prefix among equals
    position = np.full((n, depth), -1, dtype=int)
    position[rows, which] = np.arange(len(rows))
    for i in np.flatnonzero(lengths > 1).tolist():
        b = int(best[i])
        changes: list[Change] = []
        for j in range(b + 1):
            step, chosen, alone = applied[j, int(at[j, i])]
            if chosen[i]:
                changes += results[i][j].changes if alone[i] else step.changes(i)
        ids = tuple(r.lever.id for r in results[i][: b + 1])
        combined = Combination(ids, tuple(changes), effects.row(int(position[i, b])))
        proposals[i] = Proposals(results[i], combined)
    return proposals


def _frame_totals(
    frames: list[lever_arrays.Frame],
    which: np.ndarray,
    rows: np.ndarray,
    arrays: ServiceArrays,
    context: Context,
) -> np.ndarray:
    """Central totals (K, criteria) of service `rows[k]` as frame `which[k]` has it: one pass."""
    picked = lever_arrays.pick(frames, which, rows)
    arrays = lever_arrays.arrays_of(picked, arrays, rows)
    return evaluate_totals(arrays, context.table.central())[:, 0]


def _propose_each(
    questionnaires: list[Questionnaire], context: Context, weights: np.ndarray, count: int
) -> list[Proposals]:
    """`propose` one service and one lever at a time (services with an optional block)."""
    candidates = _candidates(questionnaires, context)
    n = len(questionnaires)
    computed = totals(
        [Variant(q) for q in questionnaires] + [v for _, _, v in candidates], context.table
    )
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
