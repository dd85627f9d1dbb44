"""Levers: catalogue changes applied to copies of a questionnaire, evaluated, ranked.

The catalogue (factors/levers.yaml) is data; acvnum.analysis.lever_kinds knows the kinds of change.
Every lever of every service, and then every combination, is evaluated by the engine in
one batch (two engine calls in all), so a saving is always recomputed, never canned.
Ranking: persons-equivalent saved (sum over criteria of the yearly saving divided by one
person's yearly planetary boundary; energy has no boundary), ties broken by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

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
from acvnum.reference.criteria import CRITERION_IDS
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


class Proposals:
    """One service's levers, best first, and their combination (None below two levers).

    A frozen value, compared by its levers (unhashable, as the results' Savings are). Not
    a dataclass so that the array path's `_ArrayProposals` can make them only when first
    read (`_made`); copied or pickled, that one is a plain Proposals. `encoded` is the
    folder JSON's fast path."""

    def __init__(self, levers: Iterable[LeverResult], combined: Combination | None) -> None:
        object.__setattr__(self, "_found", (tuple(levers), combined))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Proposals are frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Proposals are frozen: cannot delete {name!r}")

    @property
    def levers(self) -> tuple[LeverResult, ...]:
        return self._made()[0]

    @property
    def combined(self) -> Combination | None:
        return self._made()[1]

    def _made(self) -> tuple[tuple[LeverResult, ...], Combination | None]:
        return self._found

    def encoded(self) -> Encoded | None:
        """The levers' JSON already written (the array path's, see `_Chunk.encoded`), or
        None: the JSON is then made from `levers` and `combined`."""
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Proposals):
            return NotImplemented
        return self._made() == other._made()

    __hash__ = None  # type: ignore[assignment]  # a value, compared by its levers

    def __repr__(self) -> str:
        return f"Proposals(levers={self.levers!r}, combined={self.combined!r})"


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


def _order(
    owner: np.ndarray, effects: Savings, ids: np.ndarray, kept: np.ndarray, count: int, n: int
) -> np.ndarray:
    """The candidates kept, service after service, each service's best first (ties by id:
    `ids` each candidate's lever's place among the ids sorted, at most one candidate a
    service and id), at most `count` a service, of `n` services.

    Sorted in a grid of a row per service and a column per id, each short row on its own,
    not by one lexsort of every candidate on three keys (3.3 -> 1.3 M instructions a
    chunk of 500): a stable sort of a row keeps equal savings in id order."""
    width = int(ids.max(initial=-1)) + 1
    key = np.full((n, width), np.inf)  # inf: no candidate, or one not kept
    key[owner, ids] = np.where(kept, -effects.persons_equivalent, np.inf)
    at = np.full((n, width), -1)
    at[owner, ids] = np.arange(len(owner))
    # each row's best places, as places in the grid end to end
    best = np.argsort(key, axis=1, kind="stable")[:, :count] + width * np.arange(n)[:, None]
    return at.ravel()[best[key.ravel()[best] < np.inf]]


def _runs(values: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """`values` cut into consecutive runs of `lengths`, as lists."""
    ends = np.cumsum(lengths).tolist()
    flat = values.tolist()
    return [flat[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def _ranked(
    owner: np.ndarray, effects: Savings, ids: np.ndarray, kept: np.ndarray, n: int, count: int
) -> list[list[int]]:
    """Per service, the candidates kept, best first, at most `count` (see `_order`; `ids`
    the candidates' lever ids)."""
    place = {name: k for k, name in enumerate(sorted(set(ids.tolist())))}
    places = np.array([place[name] for name in ids.tolist()], dtype=int)
    order = _order(owner, effects, places, kept, count, n)
    return _runs(order, np.bincount(owner[order], minlength=n))


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
    context = _context(table, limits)
    weights = boundary_weights(limits)
    arrayed = _array_levers(catalogue())
    found: list[Proposals | None] = [None] * len(questionnaires)
    n = len(questionnaires)
    plain = [False] * n if arrayed is None else list(map(lever_arrays.plain, questionnaires))
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


_CONTEXTS: list[Context] = []  # the last one made


def _context(table: FactorTable, limits: Boundaries) -> Context:
    """The lever Context of `table` and `limits`: the last one made when it is theirs (a
    portfolio's chunks share it, and what it works out once, the regions' weights and
    the regions: some 200 look-ups a chunk)."""
    last = _CONTEXTS[-1] if _CONTEXTS else None
    if last is not None and last.table is table and last.limits == limits:
        return last
    _CONTEXTS[:] = [Context(table, limits)]
    return _CONTEXTS[0]


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
    stepped through together and evaluated in a second. What is found stays in arrays (a
    `_Chunk`): each service's LeverResults are made when first asked for."""
    n = len(questionnaires)
    frame = lever_arrays.frame_of(questionnaires, arrays, context)
    alone = [lever_arrays.applied(kind, frame, lever.change, context) for lever, kind in levers]
    steps = [step for step, _ in alone]
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
    # Ties by id: each lever's place among the ids sorted, an int per candidate (not its id).
    by_id = np.argsort(np.argsort(np.array([lever.id for lever, _ in levers])))
    order = _order(owner, effects, by_id[lever_of], kept, count, n)
    lengths = np.bincount(owner[order], minlength=n)
    at = _prefix_steps(owner[order], lever_of[order], lengths)
    # Each service's best lever alone is its top-1 prefix: not evaluated again.
    ranked_any = np.flatnonzero(lengths)
    top = np.full(n, -np.inf)
    top[ranked_any] = effects.persons_equivalent[order[(np.cumsum(lengths) - lengths)[ranked_any]]]
    combined = _array_combinations(
        frame, alone, at, lengths, top, levers, base, years, arrays, context, weights
    )
    ranked, ranked_levers = _runs(order, lengths), _runs(lever_of[order], lengths)
    chunk = _Chunk(
        levers, steps, lever_of.tolist(), effects, order, ranked, ranked_levers, combined
    )
    return [_ArrayProposals(chunk, i) for i in range(n)]


@dataclass(frozen=True, eq=False)
class _Combined:
    """Every service's best prefix of its ranked levers, as the array path stepped through
    them: `at[i][j]` the lever applied at step j to service i (-1: none), `applied[j, k]`
    lever k's step at step j with where it was chosen and where its changes are those of
    the lever alone; `best[i]` the last step of service i's best prefix (-1: below two
    levers, no combination) and `row[i]` that prefix's row of `effects` (-1 for the top-1
    prefix: the best lever alone, whose saving is its own)."""

    at: list[list[int]]  # (N, depth): at[i][j]
    applied: dict[tuple[int, int], tuple[lever_arrays.Step, np.ndarray, np.ndarray]]
    best: list[int]
    row: list[int]
    effects: Savings | None

    def changes(self, i: int, alone: list[tuple[Change, ...]]) -> tuple[Change, ...]:
        """Service i's combined changes: a step that changes it just as its lever alone does
        shows that lever's changes (`alone`, the same objects); only the others are written
        anew."""
        changes: list[Change] = []
        for j in range(self.best[i] + 1):
            step, chosen, same = self.applied[j, self.at[i][j]]
            if chosen[i]:
                changes += alone[j] if same[i] else step.changes(i)
        return tuple(changes)


def _prefix_steps(owners: np.ndarray, kinds: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(depth, N) the lever (its index among the array levers) applied at each step of each
    service's prefixes, -1: none (a service below two levers has no combination); from the
    ranked candidates' services `owners` and levers `kinds`, service after service."""
    n = len(lengths)
    depth = int(lengths.max(initial=0)) if (lengths > 1).any() else 0
    position = np.arange(len(owners)) - (np.cumsum(lengths) - lengths)[owners]
    combined = lengths[owners] > 1
    at = np.full((depth, n), -1, dtype=int)
    at[position[combined], owners[combined]] = kinds[combined]
    return at


def _array_combinations(
    frame: lever_arrays.Frame,
    alone: list[tuple[lever_arrays.Step, lever_arrays.Uses]],
    at: np.ndarray,
    lengths: np.ndarray,
    top: np.ndarray,
    levers: list[ArrayLever],
    base: np.ndarray,
    years: np.ndarray,
    arrays: ServiceArrays,
    context: Context,
    weights: np.ndarray,
) -> _Combined:
    """Every prefix of every service's ranked levers (two or more; `lengths` how many each
    service has, `at` see `_prefix_steps`), in step: at step j each service's j-th lever is
    applied to what the steps before left, each lever's step alone (on `frame`) and the
    columns it uses being `alone`. The top-1 prefix is the best lever alone, whose saving
    (`top`: its persons-equivalent) the first pass has: the engine evaluates the others
    (an engine row is the same whatever rows it is evaluated with).

    A lever is applied again only where a step before changed a column it uses (data per
    visit scaled twice, servers right-sized then switched off out of hours): elsewhere a
    service gets from it what it got alone, and its step alone is merged in (a chunk of
    /tmp/p10k applies some 6 levers again, not 48, and compares fewer services' changes:
    propose 130.0 -> 119.4 M instructions a chunk)."""
    n, depth = len(lengths), len(at)
    current, snapshots = frame, []
    applied: dict[tuple[int, int], tuple[lever_arrays.Step, np.ndarray, np.ndarray]] = {}
    # Per column, the services whose value a step has changed (of services, of server groups)
    touched: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] = ({}, {})
    for j in range(depth):
        # sorted(set()), not np.unique: np.unique imports numpy.ma (some 8 ms of a run)
        for k in sorted(set(at[j][at[j] >= 0].tolist())):
            step, uses = alone[k]
            wanted = at[j] == k
            dirty = wanted & _touched(touched, uses)
            if dirty.any():
                lever, kind = levers[k]
                step = kind(current, lever.change, context)
                chosen = wanted & step.changed
                # Whether each service chosen here changes as with its lever alone (False
                # elsewhere: only the chosen are read); those it met clean do.
                same = chosen & ~dirty
                again = np.flatnonzero(chosen & dirty)
                same[again] = step.same(alone[k][0], again)
                written = step.frame
            else:
                chosen = wanted & step.changed
                same = chosen
                written = current.with_columns(
                    {name: step.frame.services[name] for name in uses.written_services},
                    {name: step.frame.servers[name] for name in uses.written_servers},
                )
            for names, columns in zip(
                lever_arrays.written_columns(current, written), touched, strict=True
            ):
                for name in names:
                    columns[name] = columns[name] | chosen if name in columns else chosen
            current = lever_arrays.merged(current, written, chosen)
            applied[j, k] = (step, chosen, same)
        snapshots.append(current)
    prefixes = [np.flatnonzero(lengths > j) for j in range(1, depth)]
    rows = np.concatenate([np.zeros(0, dtype=int), *prefixes]).astype(int)
    which = np.concatenate(
        [np.zeros(0, dtype=int), *(np.full(len(r), j) for j, r in enumerate(prefixes, 1))]
    ).astype(int)
    order = np.lexsort((which, rows))  # service after service, as the per-service path
    rows, which = rows[order], which[order]
    if not len(rows):
        return _Combined([], applied, [-1] * n, [-1] * n, None)
    computed = _frame_totals(snapshots, which, rows, arrays, context)
    effects = savings(base[rows], computed, years[rows], weights)
    persons = np.full((n, depth), -np.inf)
    persons[:, 0] = top
    persons[rows, which] = effects.persons_equivalent
    best = persons.argmax(axis=1)  # the first best: the shortest prefix among equals
    position = np.full((n, depth), -1, dtype=int)
    position[rows, which] = np.arange(len(rows))
    best = np.where(lengths > 1, best, -1)
    row = np.where(lengths > 1, position[np.arange(n), np.maximum(best, 0)], -1)
    return _Combined(at.T.tolist(), applied, best.tolist(), row.tolist(), effects)


def _touched(
    touched: tuple[dict[str, np.ndarray], dict[str, np.ndarray]], uses: lever_arrays.Uses
) -> np.ndarray | bool:
    """Whether a step before has changed a column `uses` names, per service (False: none)."""
    found: np.ndarray | bool = False
    for columns, names in zip(touched, (uses.services, uses.servers), strict=True):
        for name in names & columns.keys():
            found = found | columns[name]
    return found


class Encoded(NamedTuple):
    """A service's levers as the result JSON writes them: `levers` the list, `combined`
    the object (None below two levers) and `used` the levers shown (the document's
    `lever_catalogue` has their rationales)."""

    levers: bytes
    combined: bytes | None
    used: tuple[Lever, ...]


@dataclass(frozen=True, eq=False)
class _Chunk:
    """What the array path found for a chunk of services, kept as its arrays and steps.

    Per candidate k (a lever that changes service owner[k]): `kinds[k]` its lever's index
    among `levers`, `effects` row k its saving; `order` the candidates shown, service after
    service, `ranked[i]` service i's, best first, `ranked_levers[i]` their levers' indexes.
    Each service's LeverResults and Combination are made from it when a report asks for
    them (`proposals`), and the folder JSON writes them straight from it (`encoded`)."""

    levers: list[ArrayLever]
    steps: list[lever_arrays.Step]
    kinds: list[int]
    effects: Savings
    order: np.ndarray  # the ranked candidates, service after service
    ranked: list[list[int]]
    ranked_levers: list[list[int]]
    combined: _Combined

    def alone(self, i: int) -> list[tuple[Change, ...]]:
        """Service i's changes of each of its ranked levers, applied alone."""
        return [self.steps[k].changes(i) for k in self.ranked_levers[i]]

    def proposals(self, i: int) -> tuple[tuple[LeverResult, ...], Combination | None]:
        """Service i's levers and combination, the analysis' values."""
        alone = self.alone(i)
        results = tuple(
            LeverResult(self.levers[self.kinds[k]][0], rank, changes, self.effects.row(k))
            for rank, (k, changes) in enumerate(zip(self.ranked[i], alone, strict=True), 1)
        )
        b = self.combined.best[i]
        if b < 0 or self.combined.effects is None:
            return results, None
        ids = tuple(r.lever.id for r in results[: b + 1])
        # The top lever alone: its saving again, a Saving of its own (its dicts are not the
        # lever's: the API's to_dict would share them, and a change to one change the other).
        row = self.combined.row[i]
        effect = self.effects.row(self.ranked[i][0]) if b == 0 else self.combined.effects.row(row)
        return results, Combination(ids, self.combined.changes(i, alone), effect)

    @cached_property
    def encoded(self) -> list[Encoded] | None:
        """Every service's levers as the result JSON writes them (`LeverResult.entry` and
        `Combination.to_dict` encoded by orjson), written from the arrays without a
        LeverResult, Combination, Change or Saving object: the folder JSON's fast path
        (levers were a third of a service's time). The savings of the whole chunk are
        encoded in one orjson call (a float64 array is written as the Python floats would
        be); a change's values are written once per distinct value (a chunk's services
        share most of them) and each change joined from them. None without orjson, or when
        it refuses a text (json then writes the objects, as it did)."""
        try:
            import orjson  # imported here: only the folder JSON's compact document needs it
        except ImportError:
            return None
        try:
            return self._encoded(orjson)
        except orjson.JSONEncodeError:  # a text orjson refuses (see json_format.encode)
            return None

    def _encoded(self, orjson: Any) -> list[Encoded]:
        """See `encoded`: each lever's changes found for all the services it is shown to at
        once (`lever_arrays.Step.written`), every saving's numbers by one orjson call, and
        the chunk's levers laid out as rows of pieces (`_Rows`), joined once for each
        service's levers and once for its combination."""
        n = len(self.ranked)
        lengths = np.array([len(ks) for ks in self.ranked], dtype=int)
        starts = np.cumsum(lengths) - lengths
        owners = np.repeat(np.arange(n), lengths)  # each shown candidate's service
        kinds = np.asarray(self.kinds, dtype=int)[self.order]
        best = np.array(self.combined.best, dtype=int)
        rows = _Rows(lengths, best >= 0)
        paths, values = lever_arrays.Paths(), lever_arrays.Values()
        parts = []
        for kind in sorted(set(kinds.tolist())):
            at = np.flatnonzero(kinds == kind)
            found = self.steps[kind].written(owners[at], paths, values)
            parts.append((at[found.row], found.order, found.path, found.before, found.after))
        alone = lever_arrays.Written.of(parts)  # rows: the entries
        combined = rows.combined
        # Each entry: its lever's head at its rank, its changes, its saving.
        ranks = np.arange(len(self.order)) - np.repeat(starts, lengths) + 1
        leads = _entry_leads(self.levers, kinds, ranks, orjson.dumps)
        table = np.empty((rows.count, _NUMBERS))
        table[rows.entry_at] = _saving_table(self.effects, self.order)
        # Each combination: its levers' ids, its changes, its saving (the best lever
        # alone's own where the best prefix is that lever).
        alone_best = best[combined] == 0
        at = rows.combined_at
        table[at[alone_best]] = _saving_table(
            self.effects, self.order[starts[combined[alone_best]]]
        )
        rows_of = np.array(self.combined.row, dtype=int)[combined[~alone_best]]
        if len(rows_of):
            assert self.combined.effects is not None
            table[at[~alone_best]] = _saving_table(self.combined.effects, rows_of)
        rows.put_leads(leads, self._combination_leads(combined, orjson.dumps))
        combination_changes = self._combination_changes(alone, starts, rows, paths, values)
        rows.put_changes(alone, combination_changes, paths, values.texts())
        levers, combinations = rows.written(table, orjson)
        catalogue = [lever for lever, _ in self.levers]
        used = [tuple(map(catalogue.__getitem__, ks)) for ks in self.ranked_levers]
        return list(map(Encoded, levers, combinations, used))

    def _combination_leads(self, combined: np.ndarray, dumps: Callable[..., bytes]) -> list[bytes]:
        """Each combination's JSON up to its changes: `{"levers":[...],"changes":[`, written
        once per distinct list of levers (a chunk's combinations share a few)."""
        ids_of: dict[tuple[int, ...], bytes] = {}
        leads = []
        for i in combined.tolist():
            key = tuple(self.ranked_levers[i][: self.combined.best[i] + 1])
            lead = ids_of.get(key)
            if lead is None:
                ids = dumps([self.levers[k][0].id for k in key])
                lead = ids_of[key] = b'{"levers":' + ids + b',"changes":['
            leads.append(lead)
        return leads

    def _combination_changes(
        self,
        alone: lever_arrays.Written,
        starts: np.ndarray,
        rows: _Rows,
        paths: lever_arrays.Paths,
        values: lever_arrays.Values,
    ) -> lever_arrays.Written:
        """Every combination's changes (rows: `rows`' rows; order: the step, then the
        change's order in it), step by step over the services (`_Combined`): a step that
        changes a service just as its lever alone does shows that entry's changes (`alone`,
        rows: the entries), the others' are found anew."""
        comb = self.combined
        best = np.array(comb.best, dtype=int)
        row_of = np.full(len(best), -1)
        row_of[rows.combined] = rows.combined_at
        reused_row = np.full(len(self.order), -1)  # by entry: the combination showing it
        reused_step = np.zeros(len(self.order), dtype=int)  # and at which step
        parts = []
        for (j, _), (step, chosen, alike) in comb.applied.items():
            shown = chosen & (best >= j)
            kept = np.flatnonzero(shown & alike)
            reused_row[starts[kept] + j] = row_of[kept]
            reused_step[starts[kept] + j] = j
            new = np.flatnonzero(shown & ~alike)
            if len(new):
                found = step.written(new, paths, values)
                order = j * _ORDERS + found.order
                parts.append((row_of[new[found.row]], order, found.path, found.before, found.after))
        reused = alone.taken(reused_row[alone.row] >= 0)
        order = reused_step[reused.row] * _ORDERS + reused.order
        parts.append((reused_row[reused.row], order, reused.path, reused.before, reused.after))
        return lever_arrays.Written.of(parts)


_ARROW = " → ".encode()  # between the values of a change's line (variants._line)

#: A bound on a change's order within its lever's changes (`lever_arrays.Step.written`):
#: a combination's changes are ordered by step, then by it.
_ORDERS = 1 << 40

#: The numbers of a saving's JSON: reduction and saving by criterion, persons-equivalent.
_NUMBERS = 2 * len(CRITERION_IDS) + 1


def _saving_table(effects: Savings, rows: np.ndarray) -> np.ndarray:
    """(len(rows), _NUMBERS) the numbers of `effects`' rows `rows`, in `_keys`' order."""
    return np.concatenate(
        [effects.fraction[rows], effects.saved[rows], effects.persons_equivalent[rows, None]],
        axis=1,
    )


def _entry_leads(
    levers: list[ArrayLever], kinds: np.ndarray, ranks: np.ndarray, dumps: Callable[..., bytes]
) -> np.ndarray:
    """Each entry's JSON up to its change's text (objects): '[' (its service's first) or
    ',', then `{"id":...,"rank":...,"tier":...,"title":...,"change":"`, written once per
    lever and rank met and taken by one index (a look-up per entry: 1.5 M instructions a
    chunk)."""
    ranked = int(ranks.max(initial=0)) + 1
    codes = kinds * ranked + ranks
    met = np.zeros(len(levers) * ranked, bool)
    met[codes] = True
    leads = lever_arrays.objects(len(met))
    for code in np.flatnonzero(met).tolist():
        kind, rank = divmod(code, ranked)
        lever = levers[kind][0]
        head = {"id": lever.id, "rank": rank, "tier": lever.tier, "title": lever.title["en"]}
        leads[code] = (b"[" if rank == 1 else b",") + dumps(head)[:-1] + b',"change":"'
    return leads.take(codes)


@cache
def _keys() -> tuple[bytes, ...]:
    """`Saving.to_dict()` as JSON after an entry's changes, in pieces: what comes before
    each number (reduction and saving by criterion, then the persons-equivalent), the first
    after the changes' list, and what ends it."""
    keys = [json.dumps(c).encode() + b":" for c in CRITERION_IDS]
    return (
        b'],"reduction":{' + keys[0],
        *(b"," + k for k in keys[1:]),
        b'},"saving":{' + keys[0],
        *(b"," + k for k in keys[1:]),
        b'},"persons_equivalent_saved":',
        b"}",
    )


@cache
def _row_template() -> list[bytes]:
    """A row of `_Rows`' pieces with the keys between a saving's numbers in place: lead,
    line, '","changes":[', changes, the first key, each number (empty here) and the key
    after it, the end. Repeated for a chunk's rows, not a list of each key laid out every
    chunk (the levers' JSON 105.8 -> 104.2 M instructions a chunk)."""
    pieces = [b""] * 5
    for key in _keys()[1:-1]:
        pieces += [b"", key]
    return [*pieces, b"", b""]


class _Rows:
    """A chunk's levers' JSON as rows of pieces, service after service, each service's
    entries then its combination: [lead, line, '","changes":[' (an entry's), changes, then
    each number after its key, then the end], laid out in one list with a stride, each
    service's rows joined into its `levers` and `levers_combined`."""

    def __init__(self, lengths: np.ndarray, combined: np.ndarray) -> None:
        """`lengths`: each service's entries; `combined`: whether it has a combination."""
        before = np.cumsum(combined) - combined  # the combinations of the services before
        starts = np.cumsum(lengths) - lengths
        self.combined = np.flatnonzero(combined)  # the services with a combination
        self.count = int(lengths.sum() + combined.sum())
        self.entry_at = np.arange(int(lengths.sum())) + np.repeat(before, lengths)
        self.combined_at = (starts + lengths + before)[self.combined]
        self._columns = [lever_arrays.objects(self.count) for _ in range(4)]
        self._columns[1][:] = b""  # an entry's line: none where no change
        self._columns[2][:] = b""
        self._columns[2][self.entry_at] = b'","changes":['
        self._entry = np.zeros(self.count, bool)
        self._entry[self.entry_at] = True
        self._columns[3][:] = b""
        self._first_key = lever_arrays.objects(self.count)
        self._first_key[:] = _keys()[0]  # no change: ends an empty list
        end = _keys()[-1]
        ends = lever_arrays.objects(self.count)
        ends[:] = end
        ends[self.entry_at[(starts + lengths - 1)[lengths > 0]]] = end + b"]"
        self._ends = ends.tolist()
        # each service's first row, its entries and its combination's rows (0 or 1)
        self._spans = list(
            zip(
                (starts + before).tolist(),
                lengths.tolist(),
                combined.astype(int).tolist(),
                strict=True,
            )
        )

    def put_leads(self, entries: np.ndarray | list[bytes], combined: list[bytes]) -> None:
        self._columns[0][self.entry_at] = entries
        self._columns[0][self.combined_at] = combined

    def put_changes(
        self,
        entries: lever_arrays.Written,
        combined: lever_arrays.Written,
        paths: lever_arrays.Paths,
        texts: np.ndarray,
    ) -> None:
        """The entries' changes (rows: the entries, in order) and the combinations' (rows:
        these rows): each row's changes list, and an entry's line, its changes' texts
        laid out in row order and joined once (a `lever_arrays.CUT` before each row's first
        change), not change by change or row by row. `texts`: the values' texts, by number
        (`lever_arrays.Values.texts`)."""
        moved = (self.entry_at[entries.row], *entries.columns()[1:])
        both = lever_arrays.Written.of([moved, combined.columns()])
        if not len(both.row):
            return
        order = np.lexsort((both.order, both.row))
        rows, path = both.row[order], both.path[order]
        first = np.ones(len(rows), bool)
        first[1:] = rows[1:] != rows[:-1]
        heads = 2 * path + first
        before, after = texts.take(both.before.take(order)), texts.take(both.after.take(order))
        changes, lines = paths.heads()
        shown = rows[first]  # the rows with a change, in order
        self._columns[3][shown] = _framed(changes.take(heads), before, b'","after":"', after)
        self._first_key[shown] = b'"}' + _keys()[0]  # the last change's end
        inline = self._entry[rows]  # an entry's change
        if inline.any():
            texts = _framed(lines.take(heads[inline]), before[inline], _ARROW, after[inline])
            self._columns[1][rows[inline][first[inline]]] = texts

    def written(self, table: np.ndarray, orjson: Any) -> tuple[list[bytes], list[bytes | None]]:
        """Each service's `levers` and `levers_combined` (None: none), `table` each row's
        saving's numbers. The numbers are written by one orjson call over the flat table
        (a float64 array is written as the Python floats would be) and split at its
        commas."""
        template = _row_template()
        width = len(template)
        pieces = template * self.count  # the keys between the numbers in place
        for k, column in enumerate(self._columns):
            pieces[k::width] = column.tolist()
        if self.count:
            text = orjson.dumps(table.ravel(), option=orjson.OPT_SERIALIZE_NUMPY)
            numbers = text[1:-1].split(b",")
            pieces[4::width] = self._first_key.tolist()
            for j in range(_NUMBERS):
                pieces[5 + 2 * j :: width] = numbers[j::_NUMBERS]
        pieces[width - 1 :: width] = self._ends
        levers, combinations = [], []
        join = b"".join
        for first, count, combined in self._spans:
            at, end = first * width, (first + count) * width
            levers.append(join(pieces[at:end]) if count else b"[]")
            combinations.append(join(pieces[end : end + width]) if combined else None)
        return levers, combinations


def _framed(heads: np.ndarray, before: np.ndarray, middle: bytes, after: np.ndarray) -> list[bytes]:
    """Changes in row order, each `heads[k]`, `before[k]`, `middle`, `after[k]`, joined
    once and cut at the `lever_arrays.CUT` each row's first head starts with: each row's
    text."""
    pieces = [middle] * (4 * len(heads))
    pieces[0::4], pieces[1::4], pieces[3::4] = heads.tolist(), before.tolist(), after.tolist()
    return b"".join(pieces).split(lever_arrays.CUT)[1:]


class _ArrayProposals(Proposals):
    """Service i of a `_Chunk`: its LeverResults and Combination made when first read.

    Once made, it keeps them and lets go of the chunk (its frames and steps): a service
    kept alive does not keep its whole chunk's arrays; its JSON is then written from the
    objects (`encoded` None: the same bytes)."""

    _held: _Chunk | tuple[tuple[LeverResult, ...], Combination | None]
    _i: int

    def __init__(self, chunk: _Chunk, i: int) -> None:
        # The chunk until the values are made, then the values: one attribute, read once by
        # each reader, so two threads reading an unread service never see a half-made one.
        # Set past the frozen __setattr__: only this class's own making changes it.
        object.__setattr__(self, "_held", chunk)
        object.__setattr__(self, "_i", i)

    def _made(self) -> tuple[tuple[LeverResult, ...], Combination | None]:
        held = self._held
        if isinstance(held, _Chunk):
            held = held.proposals(self._i)
            object.__setattr__(self, "_held", held)
        return held

    def encoded(self) -> Encoded | None:
        held = self._held
        encoded = held.encoded if isinstance(held, _Chunk) else None
        return None if encoded is None else encoded[self._i]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled or copied, it is the plain Proposals of its values, not its whole chunk
        # (a chunk's frames and steps: megabytes for one service of a 500-service chunk).
        return Proposals, self._made()


def _frame_totals(
    frames: list[lever_arrays.Frame],
    which: np.ndarray,
    rows: np.ndarray,
    arrays: ServiceArrays,
    context: Context,
) -> np.ndarray:
    """Central totals (K, criteria) of service `rows[k]` as frame `which[k]` has it: one pass."""
    arrays = lever_arrays.arrays_at(frames, which, rows, arrays)
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
    ids = np.array([lever.id for _, lever, _ in candidates])
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
