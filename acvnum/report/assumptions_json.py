"""The `assumptions` lists of a chunk's services as JSON text, written from their
questionnaires without making their rows.

A service's ~35 rows (acvnum.calculation.assumptions.collect) are mostly the same from
service to service (a factor's default, a server's configuration, the devices' defaults);
made as objects, then as dicts for orjson, they were a quarter of a portfolio's JSON time.
Here each group of rows (a slot: the period, the visits' duration, the hosting's location, a
server...) is a column of the chunk: its values read for all services at once, their keys
looked up in the slot's texts in C (map, zip, attrgetter: no Python step per service), and
only the keys not seen before in the run are made, by the reference functions of `collect`
and encoded (`json_format`'s row dict), so a text is always its rows'. The numbers of which
each service gives its own (users, data per visit) are formatted at once, the same text as
english_text's. A service of another shape (ranges, terminals, AI, video, messages, shared
platforms, a market-based factor) gets None: its rows are made and written from them, the
reference path. Held to the rows' bytes by tests/report/test_assumptions_json.py.

A number is its own key: the readers make every number a float and refuse a yes/no (an int
is written as the float it equals); a key holding a 0 is never kept (-0.0 would share it).

Measured (cachegrind, `texts` of 4 chunks of 500 services of /tmp/p10k after a warm one,
OPENBLAS_NUM_THREADS=1): 90 M instructions a chunk when each service's keys were made in
Python slot by slot (a tuple and a look-up per service and slot, a Python call per server),
62 M with the keys made in C, 44 M with the users' and data's rows formatted at once and a
server as four slots by position and value. Tried and slower: a server as one slot keyed by
all it reads (its new combinations, a fifth of a chunk's servers, made each chunk: 46.7 M),
a service's hosting rows left as pieces rather than joined (more pieces for the Part).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import chain, compress, islice, repeat
from operator import attrgetter, contains
from typing import Any

import numpy as np

from acvnum.calculation import assumptions as reference
from acvnum.calculation.assumptions import QUESTIONNAIRE, Assumptions
from acvnum.calculation.results import Assumption
from acvnum.i18n import english_text
from acvnum.questionnaire import units
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.rules import DEFAULT_NETWORK_MODEL, DEVICE_TYPES, NETWORK_TYPES
from acvnum.reference.factors import FactorTable

#: A text made, and the source texts its rows cite (none for a value the file gives).
Made = tuple[bytes, tuple[str, ...]]
#: Makes the Made of the service at a position of a chunk.
Make = Callable[[int], Made]
#: Whether a key's text may be kept for other services (not a 0's).
Keep = Callable[[Any], bool] | None
_HELD = 4096  # texts kept per slot; a slot's table is emptied when full
_SOURCES_HELD = 65536  # texts' sources kept per table; all emptied when more, between Parts

#: A key whose slot has no row for the service (no storage).
_NO_ROW = object()
#: What every slot's table holds from the start: no row, no text.
_SEED: dict[Hashable, bytes] = {_NO_ROW: b""}
#: A share's slot: a share of 0 (or -0.0) has no row.
_NO_SHARE: dict[Hashable, bytes] = {_NO_ROW: b"", 0.0: b""}


class Writer:
    """Writes the services of one Part (its citations: `cited`) under one factor table, with
    the slots' texts of the table, which the run's Parts share: each text's sources are cited
    once per Part. `row_text`: a row's JSON text; `dumps`: orjson.dumps."""

    def __init__(
        self,
        table: FactorTable,
        cited: Any,
        row_text: Callable[[Assumption], bytes],
        dumps: Callable[[Any], bytes],
    ) -> None:
        self.table, self.cited, self._row_text, self._dumps = table, cited, row_text, dumps
        kept = _kept(table)
        self._slots, self._sources, self._tuples = kept.slots, kept.sources, kept.tuples
        self._seen: set[bytes] = set()  # the texts whose sources this Part has looked at
        self._cited: set[tuple[str, ...]] = set()  # the sources this Part has cited
        self._heads: dict[str, bytes] = {}  # an input row's text up to its value, by path

    def column(
        self,
        slot: str,
        keys: Sequence[Hashable],
        make: Make,
        keep: Keep = None,
        seed: dict[Hashable, bytes] = _SEED,
        cite: bool = True,
    ) -> list[bytes]:
        """The slot's text for each key: one look-up a key in C; a key not kept yet made by
        `make` of its first position, kept for the run unless `keep(key)` is false. Each
        text's sources are cited once per Part (`cite`: the slot's rows may have some)."""
        texts = self._slots.get(slot)
        if texts is None:
            texts = self._slots[slot] = dict(seed)
        try:
            out = list(map(texts.__getitem__, keys))
        except KeyError:
            out = list(map(texts.get, keys))
            self._fill(texts, keys, out, make, keep, seed)
        if cite:
            self._cite(out)
        return out

    def given(self, path: str, amount: Any, unit: str) -> Made:
        """A value the file gives: its row's text (`row`'s object as orjson writes it), no
        source."""
        value = self._dumps(english_text(amount, unit, written=True))
        return self._head(path) + value + _INPUT, ()

    def numbers(self, path: str, amounts: Sequence[float]) -> list[bytes]:
        """The rows of a number each service gives at `path` (unit ''), formatted at once in
        C, english_text's '.6g' (users: a chunk's are all different, so none is kept)."""
        return list(map(self._template(path, b"%.6g").__mod__, amounts))

    def byte_counts(self, path: str, amounts: Sequence[float]) -> list[bytes]:
        """The rows of an amount of bytes each service gives at `path`, formatted at once:
        english_text's, in the largest decimal unit that keeps the number >= 1
        (units.bytes_in_unit's; data per visit: most of a chunk's are its own)."""
        values = np.asarray(amounts, dtype=float)
        unit = (values[:, None] >= _BYTE_SIZES[1:]).sum(axis=1)
        counts = (values / _BYTE_SIZES[unit]).tolist()
        templates = [self._template(path, b"%.6g " + name) for name in _BYTE_UNITS]
        return list(map(bytes.__mod__, map(templates.__getitem__, unit.tolist()), counts))

    def rows(self, made: Assumption | Sequence[Assumption]) -> Made:
        """The text of reference rows (one or several) and the sources they cite."""
        rows = (made,) if isinstance(made, Assumption) else made
        text = b"".join([b"," + self._row_text(r) for r in rows])
        sources = dict.fromkeys(r.source for r in rows if r.source != QUESTIONNAIRE)
        return text, tuple(sources)

    def _head(self, path: str) -> bytes:
        """An input row's text up to its value, made once a path."""
        head = self._heads.get(path)
        if head is None:
            head = self._heads[path] = b',{"path":' + self._dumps(path) + b',"value":'
        return head

    def _template(self, path: str, value: bytes) -> bytes:
        """An input row's text with `value` as a %-format of its value's text."""
        return self._head(path).replace(b"%", b"%%") + b'"' + value + b'"' + _INPUT

    def _fill(
        self,
        texts: dict[Hashable, bytes],
        keys: Sequence[Hashable],
        out: list[Any],
        make: Make,
        keep: Keep,
        seed: dict[Hashable, bytes],
    ) -> None:
        """Make the texts `out` lacks: each distinct key's once, at its first position (kept,
        the table emptied first when full), a key not to keep's at each. `keep` is asked
        once a distinct key and the texts are looked up and set out in C (map): a worker's
        first chunk lacks every text (some 24 slots of 500 services), and a Python step a
        position took its assumptions from 120.3 to 126.9 M instructions (cachegrind; a
        later chunk's, 49 M, are the same either way)."""
        missing = [k for k, text in enumerate(out) if text is None]
        missed = list(map(keys.__getitem__, missing))
        first: dict[Hashable, int] = {}
        firsts = list(map(first.setdefault, missed, missing))  # each's key's first position
        apart = [] if keep is None else _set_apart(first, keep, missing, missed)
        wanted = [*first.values(), *apart]
        made = dict(zip(wanted, map(self._made, map(make, wanted)), strict=True))
        if len(texts) + len(first) > _HELD:
            texts.clear()
            texts.update(seed)
        texts.update(zip(first, map(made.__getitem__, first.values()), strict=True))
        # A position's own text where it was made (a key set apart), else its key's.
        filled = list(map(made.get, missing, map(made.__getitem__, firsts)))
        if len(missing) == len(out):
            out[:] = filled
        else:
            for k, text in zip(missing, filled, strict=True):
                out[k] = text

    def _made(self, made: Made) -> bytes:
        """A text made, its sources kept (the same tuple for the same sources)."""
        text, cites = made
        if cites:
            self._sources[text] = self._tuples.setdefault(cites, cites)
        return text

    def _cite(self, column: list[bytes]) -> None:
        """Cite the sources of the texts of `column` this Part has not looked at yet (the
        distinct texts found in C: a slot has a few for 500 services)."""
        fresh = set(column).difference(self._seen)
        if fresh:
            self._seen |= fresh
            cited = self._cited
            for found in map(self._sources.get, fresh):
                if found and found not in cited:
                    cited.add(found)
                    self.cited.cite(found)


def _set_apart(
    first: dict[Hashable, int], keep: Callable[[Any], bool], missing: list[int], missed: list[Any]
) -> list[int]:
    """The positions whose key is not to be kept (each made on its own), their keys taken
    out of `first`."""
    dropped = [key for key in first if not keep(key)]
    if not dropped:
        return []
    for key in dropped:
        del first[key]
    apart = set(dropped)
    return [k for k, key in zip(missing, missed, strict=True) if key in apart]


def row(path: str, value: str, status: str, sources: list[str]) -> dict[str, Any]:
    """An assumption row's JSON object (json_format writes every row with it)."""
    return {"path": path, "value": value, "status": status, "sources": sources}


#: An input row's text after its value (`row`'s last keys, as orjson writes them).
_INPUT = b',"status":"input","sources":[]}'
#: units.bytes_in_unit's units and their sizes (units.BYTE_UNITS).
_BYTE_UNITS = tuple(name.encode() for name, _ in units.BYTE_UNITS)
_BYTE_SIZES = np.array([size for _, size in units.BYTE_UNITS])


class _Kept:
    """What the writers of a table share for the run: its slots' texts (by slot, then key),
    the sources of the texts that cite any, and one tuple object per distinct sources."""

    __slots__ = ("slots", "sources", "table", "tuples")

    def __init__(self, table: FactorTable) -> None:
        self.table = table  # held, so that its id is not reused
        self.slots: dict[str, dict[Hashable, bytes]] = {}
        self.sources: dict[bytes, tuple[str, ...]] = {}
        self.tuples: dict[tuple[str, ...], tuple[str, ...]] = {}


_SLOTS: dict[int, _Kept] = {}


def _kept(table: FactorTable) -> _Kept:
    """The table's _Kept (made anew when its sources grew past _SOURCES_HELD)."""
    found = _SLOTS.get(id(table))
    if found is None or found.table is not table or len(found.sources) > _SOURCES_HELD:
        if len(_SLOTS) >= 8:
            _SLOTS.clear()
        found = _SLOTS[id(table)] = _Kept(table)
    return found


def plain(view: Any) -> Questionnaire | None:
    """The questionnaire of a service whose rows are of the shape written here (its rows not
    made yet), else None."""
    if type(view) is not Assumptions or view.made or view.ranges or view.market is not None:
        return None
    q = view.questionnaire
    if q.terminals is not None or q.ai is not None or q.video is not None:
        return None
    if q.messages is not None:
        return None
    h = q.hosting
    if h is not None and (h.shared or h.electricity_factor is not None):
        return None
    return q


def _nonzero(key: Any) -> bool:
    return key != 0


def _first_nonzero(key: tuple[Any, ...]) -> bool:
    return key[0] != 0


def _second_nonzero(key: tuple[Any, ...]) -> bool:
    return key[1] != 0


_USAGE = attrgetter("usage")
_USAGE_FIELDS = attrgetter(
    "users", "visits_per_user", "visit_duration", "data_per_visit", "location",
    "network_model", "devices", "network",
)  # fmt: skip
_PERIOD, _GIVEN, _HOSTING = attrgetter("period"), attrgetter("given"), attrgetter("hosting")
_FREQUENCY = attrgetter("count", "per_seconds")


def texts(qs: Sequence[Questionnaire], w: Writer) -> list[tuple[bytes, ...]]:
    """The `assumptions` list's JSON text of each questionnaire `plain` accepted, in pieces
    to be joined inside its brackets (`joined`): the rows `collect` makes, in its order, slot
    by slot for the whole chunk (a slot's rows from the function `collect` calls for them,
    once per distinct key). A service's pieces are not joined here: the service's are."""
    if not qs:
        return []
    table, column = w.table, w.column
    users, visits, durations, data, locations, models, devices, network = zip(
        *map(_USAGE_FIELDS, map(_USAGE, qs)), strict=True
    )
    device_shares = list(map(reference.DEVICE_SHARES, devices))
    network_shares = list(map(reference.NETWORK_SHARES, network))
    used = list(map(tuple, map(compress, repeat(DEVICE_TYPES), device_shares)))
    accesses = list(
        zip(models, map(tuple, map(compress, repeat(NETWORK_TYPES), network_shares)), strict=True)
    )
    columns = [
        _period(w, qs),
        w.numbers("usage.users", users),
        _visits(w, visits),
        _inputs(w, "usage.visit_duration", "s", durations),
        w.byte_counts("usage.data_per_visit", data),
        *_shares(w, "usage.devices.", DEVICE_TYPES, device_shares),
        *_shares(w, "usage.network.", NETWORK_TYPES, network_shares),
        column("location", locations,
            lambda k: w.rows(reference.region_row(table, "usage.location", locations[k]))),
        column("network_model", models,
            lambda k: w.rows(reference.network_model_row(models[k]))),
        _hosting(w, list(map(_HOSTING, qs))),
        column("terminals.location", locations,
            lambda k: w.rows(reference.terminals_row(None, locations[k]))),
        column("devices", used,
            lambda k: w.rows(reference.default_devices(table, used[k]))),
        column("network", accesses,
            lambda k: w.rows(reference.network_rows(
                table, accesses[k][0] or DEFAULT_NETWORK_MODEL, accesses[k][1]))),
    ]  # fmt: skip
    return list(zip(*columns, strict=True))


def joined(pieces: Sequence[bytes]) -> bytes:
    """A service's `assumptions` list's JSON text from its pieces (`texts`)."""
    return b"[" + b"".join(pieces) + b"]"


def _inputs(w: Writer, path: str, unit: str, values: Sequence[Any]) -> list[bytes]:
    """The rows of a number each service gives at `path`, in `unit` (assumptions._input's),
    made once per value."""
    return w.column(path, values, lambda k: w.given(path, values[k], unit), _nonzero, cite=False)


def _period(w: Writer, qs: Sequence[Questionnaire]) -> list[bytes]:
    """The first row: the period's (kept without the comma before it)."""
    periods = list(map(_PERIOD, qs))
    given = list(map(contains, map(_GIVEN, qs), repeat("period")))

    def make(k: int) -> Made:
        text, sources = w.rows(reference.period_row(periods[k], given[k]))
        return text[1:], sources

    return w.column("period", list(zip(periods, given, strict=True)), make, _first_nonzero)


def _visits(w: Writer, visits: Sequence[Any]) -> list[bytes]:
    """The visits' rows (a Frequency, keyed by its count and period)."""
    path = "usage.visits_per_user"
    return w.column(
        path,
        list(map(_FREQUENCY, visits)),
        lambda k: w.given(path, visits[k], ""),
        _first_nonzero,
        cite=False,
    )


def _shares(
    w: Writer, prefix: str, names: Sequence[str], shares: list[tuple[float, ...]]
) -> list[list[bytes]]:
    """Per device or access, its share's row for each service, where above 0 (a value the
    file gives, in %: assumptions._given_share's)."""
    columns = []
    for name, values in zip(names, zip(*shares, strict=True), strict=True):
        path = prefix + name

        def make(k: int, path: str = path, values: tuple[float, ...] = values) -> Made:
            return w.given(path, values[k], "%") if values[k] else (b"", ())

        columns.append(w.column(path, values, make, _nonzero, _NO_SHARE, cite=False))
    return columns


_HOSTING_FIELDS = attrgetter(
    "location", "pue", "environments", "given", "infrastructure", "servers", "storage"
)


def _hosting(w: Writer, hostings: list[Any]) -> list[bytes]:
    """Each service's hosting rows: where, PUE, environments, infrastructure, servers,
    storage (none for a service without hosting)."""
    if None not in hostings:
        return _hosted(w, hostings)
    out = [b""] * len(hostings)
    where = [k for k, h in enumerate(hostings) if h is not None]
    if where:
        for k, text in zip(where, _hosted(w, [hostings[k] for k in where]), strict=True):
            out[k] = text
    return out


def _hosted(w: Writer, hostings: list[Any]) -> list[bytes]:
    """`_hosting`'s texts of services that all have a hosting."""
    table, column = w.table, w.column
    locations, pues, environments, given, infrastructures, groups, storages = zip(
        *map(_HOSTING_FIELDS, hostings), strict=True
    )
    stored = [_NO_ROW if s is None else (s.type, "type" in s.given, s.replicas) for s in storages]
    environment_keys = list(
        zip(environments, map(contains, given, repeat("environments")), strict=True)
    )
    columns = [
        column("hosting.location", locations,
            lambda k: w.rows(reference.region_row(table, "hosting.location", locations[k]))),
        column("hosting.pue", pues,
            lambda k: w.rows(reference.pue_row(table, hostings[k])), _nonzero),
        column("hosting.environments", environment_keys,
            lambda k: w.rows(reference.environments_row(hostings[k])), _first_nonzero),
        column("hosting.infrastructure", infrastructures,
            lambda k: w.rows(reference.infrastructure_rows(hostings[k], table))),
        _servers(w, groups),
        column("storage", stored,
            lambda k: w.rows(reference.storage(table, storages[k])), _replicas),
    ]  # fmt: skip
    return list(map(b"".join, zip(*columns, strict=True)))


def _replicas(key: Any) -> bool:
    return key is _NO_ROW or key[2] != 0


#: What a server's rows read: those of the common shape (no instance, archetype or part
#: given: all None), then lifetime, utilization, power and type.
_SHAPE = ("instance", "archetype", "cpus", "cores", "memory", "ssd", "gpus")
_SERVER_READ = attrgetter(*_SHAPE, "lifetime", "utilization", "power", "type")
_COMMON = (None,) * len(_SHAPE)
#: A key made for its service alone (reference.server_key's None: a 0).
_APART = object()


def _servers(w: Writer, groups: Sequence[list[Any]]) -> list[bytes]:
    """Each service's servers' rows. A server of the common shape's are four slots' texts,
    each looked up by its position and the one value its rows read (lifetime, utilization,
    power given or modelled, then the tail: the host's vCPUs and the archetype), one look-up
    a server and slot, in C; another's, its rows as one slot's (reference.server_key).
    A service's are a run of the chunk's servers, in order."""
    lengths = list(map(len, groups))
    servers = list(chain.from_iterable(groups))
    if not servers:
        return [b""] * len(groups)
    table, column = w.table, w.column
    index = list(chain.from_iterable(map(range, lengths)))
    read = list(zip(*map(_SERVER_READ, servers), strict=True))
    lifetimes, utilizations, powers, types = read[len(_SHAPE) :]

    def power(k: int) -> Made:
        if powers[k] is None:
            return w.rows(reference.modelled_power(table, index[k], servers[k]))
        return w.given(_base(index[k]) + ".power", powers[k], "W")

    slots = [
        ("server.lifetime", list(zip(index, lifetimes, strict=True)),
         lambda k: w.rows(reference.server_lifetime(table, index[k], servers[k])),
         _second_nonzero),
        ("server.utilization", list(zip(index, utilizations, strict=True)),
         lambda k: w.rows(reference.server_utilization(table, index[k], servers[k])),
         _second_nonzero),
        ("server.power", list(zip(index, powers, strict=True)), power, _second_nonzero),
        ("server.tail", list(zip(index, types, strict=True)),
         lambda k: w.rows(reference.plain_server_tail(table, index[k], servers[k])),
         None),
    ]  # fmt: skip
    if any(set(values) != {None} for values in read[: len(_SHAPE)]):
        slots = _other_shapes(w, index, servers, slots)
    parts = [column(*slot) for slot in slots]
    flat = chain.from_iterable(zip(*parts, strict=True))
    return list(map(b"".join, map(islice, repeat(flat), map(len(parts).__mul__, lengths))))


Slot = tuple[str, list[Hashable], Make, Keep]


def _other_shapes(w: Writer, index: list[int], servers: list[Any], slots: list[Slot]) -> list[Slot]:
    """`_servers`' slots when some servers are not of the common shape: a slot of their rows
    first (reference.server's, by reference.server_key), theirs no row in the others."""
    common = [shape == _COMMON for shape in map(attrgetter(*_SHAPE), servers)]
    keys = [
        _NO_ROW if plain else reference.server_key(i, s) or _APART
        for plain, i, s in zip(common, index, servers, strict=True)
    ]

    def whole(k: int) -> Made:
        return w.rows(reference.server(w.table, index[k], servers[k]))

    return [("server", keys, whole, _not_apart)] + [
        (slot, [key if plain else _NO_ROW for plain, key in zip(common, keys_, strict=True)],
         make, keep)
        for slot, keys_, make, keep in slots
    ]  # fmt: skip


def _not_apart(key: Any) -> bool:
    return key is not _APART


def _base(i: int) -> str:
    return _BASES[i] if i < len(_BASES) else f"hosting.servers[{i}]"


_BASES = tuple(f"hosting.servers[{i}]" for i in range(16))
