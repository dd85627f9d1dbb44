"""The `criteria` objects of a chunk's services as JSON text, written from the chunk's arrays.

Criteria are half of a portfolio's JSON: eight objects of some 33 numbers a service. Made
into CriterionResults, then dicts for orjson to walk, they were a fifth of a worker's time.
Here the services are grouped by what their text shares: the activities their `by_item`
shows (a chunk has a handful of such sets), their coverage statement (a few dozen, each
written once), and the figures that are the same for all of them: the zeros of what they
do not use and each boundary's per-person figure, a quarter of the numbers. A group's text
is a list of pieces made once for the run, those figures written into it. One orjson call
writes the other numbers of a set of activities' services (orjson spells a float64 array's
numbers as it spells Python floats), split once, and each service's are joined with its
group's pieces. A chunk of 500 generated services (benchmarks/bench_portfolio.py's):
131.8 -> 99.6 M instructions (cachegrind), 13.1 -> 11.0 ms (best of 30, old and new runs
alternated).
Tried: a service's text left in pieces for the document's one join, fewer instructions
but 5.8 ms more a chunk (95,000 small objects visited again, out of the cache).

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
#: A group's pieces: text, None where a number goes, text, ... text.
Block = list[bytes | None]


def texts(views: Sequence[object], orjson: Any, label: Label) -> list[bytes | None]:
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


def chunk_texts(chunk: CriteriaChunk, rows: np.ndarray, orjson: Any, label: Label) -> list[bytes]:
    """The `criteria` object's text of the chunk's services at `rows`, in order: per set of
    activities shown, one orjson call for the numbers that are not their group's (see
    `_groups`), set between the pieces of each service's group."""
    spell = _remembered(orjson.dumps)  # keys and coverage lists repeat: each written once
    statements, said = _statements(chunk, rows)
    patterns, which = shown_patterns(chunk.contributions[rows])
    out: list[bytes] = [b""] * len(rows)
    for p, pattern in enumerate(patterns):
        members = np.flatnonzero(which == p)
        made = _Made(chunk.limits, pattern, label, spell)
        numbers = _numbers(chunk, rows[members], pattern)
        fixed = _fixed(numbers, chunk.bounded, pattern)
        blocks: list[Block] = [[]] * len(members)
        for group, s in _groups(fixed, said[members]):
            shared = fixed[group[0]]
            block = made.template(statements[s], shared, numbers[group[0], shared], orjson)
            for k in group:
                blocks[k] = block
        for k, text in zip(members.tolist(), _filled(blocks, numbers, fixed, orjson), strict=True):
            out[k] = text
    return out


def _fixed(numbers: np.ndarray, bounded: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """(n, numbers) which of each service's numbers go into its group's pieces: its zeros
    (+0.0, the figures of what it does not use; -0.0 is spelled apart) and each boundary's
    per-person figure (the chunk's own)."""
    per_person = np.zeros((len(CRITERION_IDS), _figures(pattern)), dtype=bool)
    per_person[:, -len(_BOUNDARY)] = True
    per_person = per_person[_kept(bounded, pattern)]
    return (numbers.view(np.uint64) == 0) | per_person


def _groups(fixed: np.ndarray, said: np.ndarray) -> list[tuple[list[int], int]]:
    """The services (positions) of each group sharing their fixed numbers and coverage
    statement, with the statement's number, in the order each group first comes."""
    # Each service's key is its row's bytes as one void item (tolist: one bytes object a
    # row): np.packbits over the rows was 3.5 M instructions a chunk of 500, this 0.3 M.
    said_bytes = said.astype("<u4").view(np.uint8).reshape(-1, 4)
    keys = np.concatenate([fixed.view(np.uint8), said_bytes], axis=1)
    rows = keys.view(np.dtype((np.void, keys.shape[1]))).ravel().tolist()
    groups: dict[bytes, list[int]] = {}
    for k, key in enumerate(rows):
        groups.setdefault(key, []).append(k)
    return [(group, int(said[group[0]])) for group in groups.values()]


def _filled(
    blocks: list[Block], numbers: np.ndarray, fixed: np.ndarray, orjson: Any
) -> list[bytes]:
    """Each service's text: its group's pieces (`blocks`) with its `numbers` that are not
    `fixed` set in. One orjson call writes them all, one service's after another, split
    once; each service's are joined with its pieces in turn."""
    varying = ~fixed
    text = orjson.dumps(numbers[varying], option=orjson.OPT_SERIALIZE_NUMPY)  # '[a,b,...]'
    spelled = text[1:-1].split(b",")
    working: dict[int, list[Any]] = {}  # per group: its pieces, its numbers set in each time
    texts, start = [], 0
    for block, stop in zip(blocks, np.cumsum(varying.sum(axis=1)).tolist(), strict=True):
        if len(block) == 1:  # no number of its own
            texts.append(block[0])
            continue
        filled = working.get(id(block))
        if filled is None:
            filled = working[id(block)] = block.copy()
        filled[1::2] = spelled[start:stop]
        texts.append(b"".join(filled))
        start = stop
    return texts


#: The pieces made, by what they are made from (the criteria's boundaries, the activities
#: shown, the numbers fixed, the coverage statement, held with it): the run's chunks share
#: most of them (a statement is one object for the run: acvnum.calculation.coverage).
_TEMPLATES: dict[Hashable, tuple[object, Block]] = {}
_HELD = 1024


class _Made:
    """The pieces of one set of activities shown, made once for the run."""

    def __init__(
        self, limits: Sequence[float | None], pattern: np.ndarray, label: Label, spell: Spell
    ) -> None:
        self.limits, self.pattern, self.label, self.spell = limits, pattern, label, spell
        self.key = (label, tuple(limits), pattern.tobytes())
        self.bodies: list[list[bytes]] | None = None

    def template(
        self,
        statement: Mapping[str, Coverage] | None,
        fixed: np.ndarray,
        values: np.ndarray,
        orjson: Any,
    ) -> Block:
        """A group's pieces with `statement`, the numbers `fixed` (their `values`) written
        in: text, None (a number), text, ... text."""
        key = (*self.key, fixed.tobytes(), id(statement))
        held = _TEMPLATES.get(key)
        if held is None or held[0] is not statement:
            if self.bodies is None:
                inner = _inner(np.flatnonzero(self.pattern), self.limits, self.spell)
                self.bodies = _bodies(_starts(self.label, self.spell), inner)
            closings = _closings(statement, self.limits, self.spell)
            slots = _slots(self.bodies, closings)
            written = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].split(b",")
            if len(_TEMPLATES) >= _HELD:
                _TEMPLATES.clear()
            held = _TEMPLATES[key] = (statement, _block(slots, fixed, written))
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


def _bodies(starts: list[bytes], inner: list[list[bytes]]) -> list[list[bytes]]:
    """Per criterion, the text before each of its numbers: its start, then the pieces
    before each of its numbers after the total."""
    return [[start, *between] for start, between in zip(starts, inner, strict=True)]


def _slots(bodies: list[list[bytes]], closings: list[bytes]) -> list[bytes]:
    """A service's `criteria` text around its numbers: the text before each number, then
    the text after the last."""
    slots = [b"{" + bodies[0][0]]
    for c, body in enumerate(bodies):
        slots += body[1:]
        slots.append(closings[c] + (b"," + bodies[c + 1][0] if c + 1 < len(bodies) else b"}"))
    return slots


def _block(slots: list[bytes], fixed: np.ndarray, written: list[bytes]) -> Block:
    """`slots` with the `written` numbers `fixed` set in, a None for each other number:
    the slots and numbers joined once, a NUL (which no JSON text holds raw) standing for
    each number not fixed, and cut there. A worker's first chunk makes some 60 blocks of
    260 numbers: 17.8 M instructions when each run was added up number by number, 13.2 M
    so (cachegrind, chunk 0 of /tmp/p10k's blocks)."""
    texts = iter(written)
    numbers = [next(texts) if is_fixed else _CUT for is_fixed in fixed.tolist()]
    pieces = [b""] * (2 * len(numbers) + 1)
    pieces[0::2] = slots
    pieces[1::2] = numbers
    runs = b"".join(pieces).split(_CUT)
    block: Block = [None] * (2 * len(runs) - 1)
    block[0::2] = runs
    return block


#: What stands for a number not fixed in a block's text while it is cut (`_block`).
_CUT = b"\0"


def _figures(pattern: np.ndarray) -> int:
    """How many numbers a criterion's text has before `_kept`: total, per user, per visit,
    tiers, phases, the activities shown, the boundary's figures."""
    return 3 + len(TIERS) + len(PHASES) + int(pattern.sum()) + len(_BOUNDARY)


def _kept(bounded: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """(criteria, figures) the numbers a service's text shows: a criterion without a
    boundary has none of its figures ("planetary_boundary": null)."""
    keep = np.ones((len(CRITERION_IDS), _figures(pattern)), dtype=bool)
    keep[~bounded, -len(_BOUNDARY) :] = False
    return keep


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
    return values[:, _kept(chunk.bounded, pattern)]


def _inner(columns: np.ndarray, limits: Sequence[float | None], spell: Spell) -> list[list[bytes]]:
    """Per criterion, the pieces of text before each of its numbers after the total, for a
    service showing the activities `columns`."""
    items = [ITEM_KEYS[a] for a in columns.tolist()]
    inner = []
    for limit in limits:
        between = _keyed(b",", ["per_user", "per_visit"], spell)
        between += _keyed(b',"by_tier":{', TIERS, spell)
        between += _keyed(b'},"by_phase":{', PHASES, spell)
        between += _keyed(b'},"by_item":{', items, spell)
        if limit is not None:
            between += _keyed(b'},"planetary_boundary":{', _BOUNDARY, spell)
        inner.append(between)
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
