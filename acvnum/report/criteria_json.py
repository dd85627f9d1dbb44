"""The `criteria` objects of a chunk's services as JSON text, written from the chunk's arrays.

Criteria are half of a portfolio's JSON: eight objects of some 33 numbers a service. Made
into CriterionResults, then dicts for orjson to walk, they were a fifth of a worker's time.
Here the services are grouped by the activities their `by_item` shows (a chunk has a
handful of such sets); one orjson call writes all the numbers of a group (orjson spells a
float64 array's numbers as it spells Python floats), and they are set between pieces of
text the group shares (keys, labels, units), but for the piece that closes each criterion,
which holds the service's coverage statement (a few distinct ones, each written once).

The reference stays `json_format._criterion` over the CriterionResults; the two are held to
the same bytes by tests/report/test_criteria_json.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from acvnum.calculation.coverage import Coverage
from acvnum.calculation.inventory import PHASES, TIERS
from acvnum.calculation.results import ITEM_KEYS, ChunkCriteria, CriteriaChunk, shown_patterns
from acvnum.reference.criteria import BY_ID, CRITERION_IDS

#: A criterion's boundary figures, in the order of its `planetary_boundary` object.
_BOUNDARY = ("per_person_year", "persons_equivalent", "share_per_user")

Spell = Callable[[object], bytes]
Label = Callable[[str], str]


def texts(views: Sequence[object], orjson: Any, label: Callable[[str], str]) -> list[bytes | None]:
    """The `criteria` object's text of each service whose criteria are a chunk's view
    (ChunkCriteria: no interval), None for the others (written from their results).
    `orjson`: the module; `label`: a criterion's English label."""
    found: list[bytes | None] = [None] * len(views)
    chunks: dict[int, tuple[CriteriaChunk, list[int], list[int]]] = {}
    for i, view in enumerate(views):
        chunk = view.chunk if isinstance(view, ChunkCriteria) else None  # read once
        if chunk is not None:
            entry = chunks.setdefault(id(chunk), (chunk, [], []))
            entry[1].append(i)
            entry[2].append(view.row)
    for chunk, where, rows in chunks.values():
        for i, text in zip(where, chunk_texts(chunk, np.array(rows), orjson, label), strict=True):
            found[i] = text
    return found


def chunk_texts(
    chunk: CriteriaChunk, rows: np.ndarray, orjson: Any, label: Callable[[str], str]
) -> list[bytes]:
    """The `criteria` object's text of the chunk's services at `rows`, in order: per set of
    activities shown, one orjson call for the numbers, and per coverage statement too, a
    template (`%`) that sets a service's numbers in its text."""
    spell = _remembered(orjson.dumps)  # keys and coverage lists repeat: each written once
    statements, said = _statements(chunk, rows)
    patterns, which = shown_patterns(chunk.contributions[rows])
    out = np.empty(len(rows), dtype=object)
    for p, pattern in enumerate(patterns):
        members = np.flatnonzero(which == p)
        made = _Made(chunk.limits, pattern, label, spell)
        templates = {
            s: made.template(statements[s])
            # sorted(set()), not np.unique: np.unique of a plain array imports numpy.ma
            # (some 10 ms of each worker process)
            for s in sorted(set(said[members].tolist()))
        }
        numbers = _numbers(chunk, rows[members], pattern)
        text = orjson.dumps(numbers, option=orjson.OPT_SERIALIZE_NUMPY)[2:-2]
        out[members] = [
            templates[s] % tuple(row.split(b","))
            for s, row in zip(said[members].tolist(), text.split(b"],["), strict=True)
        ]
    return out.tolist()


#: The templates made, by what they are made from (the criteria bounded, the activities
#: shown, the coverage statement, held with it): the run's chunks share most of them (a
#: statement is one object for the run: acvnum.calculation.coverage).
_TEMPLATES: dict[Hashable, tuple[object, bytes]] = {}
_HELD = 1024


class _Made:
    """The templates of one set of activities shown, made once for the run."""

    def __init__(
        self, limits: Sequence[float | None], pattern: np.ndarray, label: Label, spell: Spell
    ) -> None:
        self.limits, self.pattern, self.label, self.spell = limits, pattern, label, spell
        self.key = (label, tuple(v is None for v in limits), pattern.tobytes())
        self.bodies: list[bytes] | None = None

    def template(self, statement: Mapping[str, Coverage] | None) -> bytes:
        """A service's `criteria` text with `%b` for each number, with `statement`."""
        key = (*self.key, id(statement))
        held = _TEMPLATES.get(key)
        if held is None or held[0] is not statement:
            if self.bodies is None:
                inner = _inner(np.flatnonzero(self.pattern), self.limits, self.spell)
                self.bodies = _bodies(_starts(self.label, self.spell), inner)
            closings = _closings(statement, self.limits, self.spell)
            if len(_TEMPLATES) >= _HELD:
                _TEMPLATES.clear()
            held = _TEMPLATES[key] = (statement, _template(self.bodies, closings))
        return held[1]


def _starts(label: Label, spell: Spell) -> list[bytes]:
    """Per criterion, its text up to its total: key, label and unit."""
    return [
        b"%s:{%s:%s,%s:%s,%s:"
        % tuple(map(spell, (cid, "label", label(cid), "unit", BY_ID[cid].unit, "total")))
        for cid in CRITERION_IDS
    ]


def _statements(
    chunk: CriteriaChunk, rows: np.ndarray
) -> tuple[list[Mapping[str, Coverage] | None], np.ndarray]:
    """The distinct coverage statements of the services at `rows` (most services of a
    portfolio share one object: acvnum.calculation.coverage), and which one each has."""
    given = chunk.coverage
    held = [given[r] if given else None for r in rows.tolist()]
    _, first, which = np.unique([id(s) for s in held], return_index=True, return_inverse=True)
    return [held[i] for i in first.tolist()], which.ravel()


def _bodies(starts: list[bytes], inner: list[list[bytes]]) -> list[bytes]:
    """Per criterion, its text up to its last number with `%b` for each number: its start,
    then the pieces before each of its numbers after the total."""
    return [
        b"".join([_escaped(text) + b"%b" for text in [start, *pieces]])
        for start, pieces in zip(starts, inner, strict=True)
    ]


def _template(bodies: list[bytes], closings: list[bytes]) -> bytes:
    """A service's `criteria` text with `%b` for each number."""
    criteria = [body + _escaped(closing) for body, closing in zip(bodies, closings, strict=True)]
    return b"{" + b",".join(criteria) + b"}"


def _escaped(text: bytes) -> bytes:
    return text.replace(b"%", b"%%")


def _numbers(chunk: CriteriaChunk, rows: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """(n, numbers) of the services at `rows`, in the order their text shows them: for
    each criterion its total, per user, per visit, by tier, by phase, by item (the
    activities in `pattern`), then its boundary's three figures when it has one."""
    n, criteria = len(rows), len(CRITERION_IDS)
    limit = np.array([1.0 if v is None else v for v in chunk.limits])
    blocks = [
        chunk.totals[rows][..., np.newaxis],
        chunk.per_user[rows][..., np.newaxis],
        chunk.per_visit[rows][..., np.newaxis],
        chunk.by_tier[rows],
        chunk.by_phase[rows],
        chunk.contributions[rows][:, pattern].transpose(0, 2, 1),
        np.broadcast_to(limit, (n, criteria))[..., np.newaxis],
        chunk.persons[rows][..., np.newaxis],
        chunk.shares[rows][..., np.newaxis],
    ]
    values = np.concatenate(blocks, axis=2)  # (n, criteria, figures)
    keep = np.ones(values.shape[1:], dtype=bool)
    keep[~chunk.bounded, -len(_BOUNDARY) :] = False  # "planetary_boundary": null
    return np.ascontiguousarray(values[:, keep])  # orjson writes C-ordered arrays only


def _inner(columns: np.ndarray, limits: Sequence[float | None], spell: Spell) -> list[list[bytes]]:
    """Per criterion, the pieces of text before each of its numbers after the total, for a
    service showing the activities `columns`."""
    items = [ITEM_KEYS[a] for a in columns.tolist()]
    inner = []
    for limit in limits:
        pieces = _keyed(b",", ["per_user", "per_visit"], spell)
        pieces += _keyed(b',"by_tier":{', TIERS, spell)
        pieces += _keyed(b'},"by_phase":{', PHASES, spell)
        pieces += _keyed(b'},"by_item":{', items, spell)
        if limit is not None:
            pieces += _keyed(b'},"planetary_boundary":{', _BOUNDARY, spell)
        inner.append(pieces)
    return inner


def _closings(
    statement: Mapping[str, Coverage] | None, limits: Sequence[float | None], spell: Spell
) -> list[bytes]:
    """The text after each criterion's last number, with one coverage statement."""
    closings = []
    for cid, limit in zip(CRITERION_IDS, limits, strict=True):
        text = b"}" if limit is not None else b'},"planetary_boundary":null'
        covered = statement.get(cid) if statement else None
        if covered is not None:
            text += b',"coverage":' + spell(covered)
        closings.append(text + b"}")
    return closings


def _remembered(dumps: Spell) -> Spell:
    """`dumps` that writes each key, label or Coverage once (a Coverage as its object)."""
    written: dict[object, bytes] = {}

    def spell(value: object) -> bytes:
        text = written.get(value)
        if text is None:
            shown = value
            if isinstance(value, Coverage):
                shown = {"covered": list(value.covered), "not_covered": list(value.not_covered)}
            text = written[value] = dumps(shown)
        return text

    return spell


def _keyed(opening: bytes, keys: Sequence[str], spell: Spell) -> list[bytes]:
    """The pieces before each number of an object with `keys`, the first after `opening`."""
    return [(opening if k == 0 else b",") + spell(key) + b":" for k, key in enumerate(keys)]
