"""The `assumptions` lists of a chunk's services as JSON text, written from their
questionnaires without making their rows.

A service's ~50 rows (acvnum.calculation.assumptions.collect) are mostly the same from
service to service (a factor's default, a server's configuration, the devices' defaults);
made as objects, then as dicts for orjson, they were a quarter of a portfolio's JSON time.
Here each group of rows (a slot: the period, the visits' duration, the hosting's head, a
server...) is looked up by the raw values it is made from, slot by slot for the whole
chunk: once per distinct value, not once per service (a look-up a service and slot was a
tenth of a worker's time); a slot not seen before is made by the reference functions of
`collect` and encoded (`json_format`'s row dict), so its text is always its rows'. A
service of another shape (ranges, terminals, AI, video, messages, shared platforms, a
market-based factor) gets None: its rows are made and written from them, the reference
path. Held to the rows' bytes by tests/report/test_assumptions_json.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import accumulate, compress
from operator import attrgetter, itemgetter
from typing import Any

from acvnum.calculation import assumptions as reference
from acvnum.calculation.assumptions import QUESTIONNAIRE, Assumptions
from acvnum.calculation.results import Assumption
from acvnum.i18n import english_text
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.rules import DEFAULT_NETWORK_MODEL, DEVICE_TYPES, NETWORK_TYPES
from acvnum.reference.factors import FactorTable

#: A slot's text (each row after a comma, as it follows another row), the source texts its
#: rows cite, and the last Part that cited them.
Entry = list[Any]
_HELD = 4096  # texts per slot kept; a slot's table is emptied when full
#: Makes the Entries of items, in order.
Made = Callable[[list[Any]], list[Entry]]


def _each(make: Callable[[Any], Entry]) -> Made:
    """A Made of `make` applied to each item."""
    return lambda items: list(map(make, items))


class Writer:
    """Writes the services of one Part (its citations: `cited`) under one factor table, with
    the slots' texts of the table, which the run's Parts share: each slot's sources are cited
    once per Part. `row_text`: a row's JSON text; `dumps`: orjson.dumps."""

    def __init__(
        self,
        table: FactorTable,
        cited: Any,
        row_text: Callable[[Assumption], bytes],
        dumps: Callable[[Any], bytes],
    ) -> None:
        self.table, self.cited, self._row_text, self._dumps = table, cited, row_text, dumps
        self.slots = _slots(table)
        self._heads: dict[str, bytes] = {}  # an input row's text up to its value, by path

    def column(
        self, slot: str, keys: Sequence[Hashable], make: Callable[[Any], Any], of: Sequence[Any]
    ) -> list[bytes]:
        """The slot's text for each key, made from `make(of[k])` (a row or a tuple of rows)
        once per distinct key (kept for the run), its sources cited once per Part. A None key
        is not kept (a 0, which -0.0 would share: made apart); OMIT gives b"" (no row)."""
        return self._texts(slot, keys, _each(lambda item: self._made(make(item))), of)

    def given(
        self,
        slot: str,
        keys: Sequence[Hashable],
        path: Callable[[Any], str],
        unit: str,
        of: Sequence[Any],
    ) -> list[bytes]:
        """`column`'s texts of the rows of values the file gives (assumptions.input_row's),
        written without the rows; `of`: (index, amount) pairs, `path(index)` the row's path."""
        return self._texts(slot, keys, _each(self._input_row(path, unit)), of)

    def entries(
        self, slot: str, keys: Sequence[Hashable], made: Made, of: Sequence[Any]
    ) -> list[Entry]:
        """The slot's Entry for each key (OMIT's: no row), not cited: `column`'s, the distinct
        keys not kept made at once, `made(items)` their Entries."""
        return self._lookup(slot, keys, made, of)

    def given_entries(
        self,
        slot: str,
        keys: Sequence[Hashable],
        path: Callable[[Any], str],
        unit: str,
        of: Sequence[Any],
    ) -> list[Entry]:
        """`given`'s Entries, not cited (see `entries`)."""
        return self.entries(slot, keys, _each(self._input_row(path, unit)), of)

    def _texts(
        self, slot: str, keys: Sequence[Hashable], made: Made, of: Sequence[Any]
    ) -> list[bytes]:
        """`entries`' texts, each distinct Entry cited once per Part."""
        entries = self._lookup(slot, keys, made, of)
        self.cite(entries)
        return list(map(_TEXT, entries))

    def cite(self, entries: list[Entry]) -> None:
        """Cite the sources of `entries` in this Part, each distinct Entry looked at once
        (found by identity in C: a slot has a few distinct Entries for 500 services)."""
        cited = self.cited
        for entry in dict(zip(map(id, entries), entries, strict=True)).values():
            if entry[2] is not cited and entry[1]:
                self._cited(entry)

    def _lookup(
        self, slot: str, keys: Sequence[Hashable], made: Made, of: Sequence[Any]
    ) -> list[Entry]:
        """`entries`, with OMIT's as the empty Entry: one look-up a key in C, then the keys
        not kept yet (each distinct one made once, kept) and the None keys (made apart)."""
        texts = self.slots.get(slot)
        if texts is None:
            texts = self.slots[slot] = {OMIT: _EMPTY}
        out = list(map(texts.get, keys))
        if None not in out:
            return out
        where = [k for k, entry in enumerate(out) if entry is None]
        missing = {keys[k]: of[k] for k in where}
        apart = missing.pop(None, _NO) is not _NO
        if missing:
            if len(texts) + len(missing) > _HELD:
                texts.clear()
                texts[OMIT] = _EMPTY
            for key, entry in zip(missing, made(list(missing.values())), strict=True):
                texts[key] = entry
        if apart:
            nones = [k for k in where if keys[k] is None]
            for k, entry in zip(nones, made([of[k] for k in nones]), strict=True):
                out[k] = entry
        for k in where:
            if out[k] is None:
                out[k] = texts[keys[k]]
        return out

    def _input_row(self, path: Callable[[Any], str], unit: str) -> Callable[[Any], Entry]:
        """The Entry of an (index, amount) the file gives: its row's text, no source (`row`'s
        object as orjson writes it, its fixed keys written once a path)."""
        dumps, heads = self._dumps, self._heads

        def make(item: tuple[Any, Any]) -> Entry:
            where = path(item[0])
            head = heads.get(where)
            if head is None:
                head = heads[where] = b',{"path":' + dumps(where) + b',"value":'
            return [head + dumps(english_text(item[1], unit, written=True)) + _INPUT, (), None]

        return make

    def _cited(self, entry: Entry) -> bytes:
        if entry[2] is not self.cited:
            self.cited.cite(entry[1])
            entry[2] = self.cited
        return entry[0]

    def _made(self, made: Assumption | Sequence[Assumption]) -> Entry:
        rows = (made,) if isinstance(made, Assumption) else made
        text = b"".join([b"," + self._row_text(r) for r in rows])
        return [
            text,
            tuple(dict.fromkeys(r.source for r in rows if r.source != QUESTIONNAIRE)),
            None,
        ]


def row(path: str, value: str, status: str, sources: list[str]) -> dict[str, Any]:
    """An assumption row's JSON object (json_format writes every row with it)."""
    return {"path": path, "value": value, "status": status, "sources": sources}


#: An input row's text after its value (`row`'s last keys, as orjson writes them).
_INPUT = b',"status":"input","sources":[]}'


_SLOTS: dict[int, tuple[FactorTable, dict[str, dict[Hashable, Any]]]] = {}


def _slots(table: FactorTable) -> dict[str, dict[Hashable, Any]]:
    """The table's slots' texts (held with the table, so that its id is not reused)."""
    found = _SLOTS.get(id(table))
    if found is None or found[0] is not table:
        if len(_SLOTS) >= 8:
            _SLOTS.clear()
        found = _SLOTS[id(table)] = (table, {})
    return found[1]


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


#: A key whose slot has no row for the service (a 0 share, no hosting, no storage).
OMIT = object()
#: OMIT's Entry: no text, no source (kept in every slot's table).
_EMPTY: Entry = [b"", (), None]
_NO = object()  # not found
_TEXT = itemgetter(0)  # an Entry's text


def _kept(value: Any) -> Hashable | None:
    """A key for one number (with its type: 1 and 1.0 are equal keys); None for a 0."""
    return (value, type(value)) if value else None


def texts(qs: Sequence[Questionnaire], w: Writer) -> list[tuple[bytes, ...]]:
    """The `assumptions` list's JSON text of each questionnaire `plain` accepted, in pieces
    to be joined inside its brackets (`joined`): the rows `collect` makes, in its order, slot
    by slot for the whole chunk (a slot's rows from the function `collect` calls for them,
    once per distinct key). A service's pieces are not joined here: the service's are."""
    table, column = w.table, w.column
    usage = [q.usage for q in qs]
    devices = list(map(reference.DEVICE_SHARES, [u.devices for u in usage]))
    network = list(map(reference.NETWORK_SHARES, [u.network for u in usage]))
    periods = [(q.period, "period" in q.given) for q in qs]
    first = column(
        "period",
        [(p, type(p), given) if p else None for p, given in periods],
        lambda p: reference.period_row(*p),
        periods,
    )
    columns = [
        [text[1:] for text in first],  # the first row: no comma before it
        _given(w, "users", "usage.users", "", [u.users for u in usage]),
        w.given("visits_per_user",
                [(v, type(v)) if v.count else None for v in (u.visits_per_user for u in usage)],
                lambda _: "usage.visits_per_user", "",
                [(0, u.visits_per_user) for u in usage]),
        _given(w, "visit_duration", "usage.visit_duration", "s",
               [u.visit_duration for u in usage]),
        _given(w, "data_per_visit", "usage.data_per_visit", "B",
               [u.data_per_visit for u in usage]),
        *_shares(w, "usage.devices.", DEVICE_TYPES, devices),
        *_shares(w, "usage.network.", NETWORK_TYPES, network),
        column("location", [(u.location,) for u in usage],
               lambda u: reference.region_row(table, "usage.location", u.location), usage),
        column("network_model", [(u.network_model,) for u in usage],
               lambda u: reference.network_model_row(u.network_model), usage),
    ]  # fmt: skip
    hostings = [q.hosting for q in qs]
    if any(h is not None for h in hostings):
        columns += _hosting(w, hostings)
    used = [tuple(compress(DEVICE_TYPES, shares)) for shares in devices]
    accesses = [
        (u.network_model, tuple(compress(NETWORK_TYPES, shares)))
        for u, shares in zip(usage, network, strict=True)
    ]
    columns += [
        column("terminals.location", [(u.location,) for u in usage],
               lambda u: reference.terminals_row(None, u.location), usage),
        column("devices", used, lambda kinds: reference.default_devices(table, kinds), used),
        column("network", accesses,
               lambda key: reference.network_rows(table, key[0] or DEFAULT_NETWORK_MODEL, key[1]),
               accesses),
    ]  # fmt: skip
    return list(zip(*columns, strict=True))


def joined(pieces: Sequence[bytes]) -> bytes:
    """A service's `assumptions` list's JSON text from its pieces (`texts`)."""
    return b"[" + b"".join(pieces) + b"]"


def _given(w: Writer, slot: str, path: str, unit: str, values: list[Any]) -> list[bytes]:
    """The rows of a number each service gives at `path`."""
    return w.given(slot, list(map(_kept, values)), lambda _: path, unit, [(0, v) for v in values])


def _shares(
    w: Writer, prefix: str, names: Sequence[str], shares: list[tuple[float, ...]]
) -> list[list[bytes]]:
    """Per device or access, its share's row for each service, where above 0 (a value the
    file gives, in %: assumptions._given_share's)."""
    columns = []
    for k, name in enumerate(names):
        values = [s[k] for s in shares]
        path = prefix + name
        keys = [(v, type(v)) if v else OMIT for v in values]
        given = [(0, v) for v in values]
        columns.append(w.given(path, keys, lambda _, path=path: path, "%", given))
    return columns


def _hosting(w: Writer, hostings: list[Any]) -> list[list[bytes]]:
    """The hosting's rows: where, PUE, environments, infrastructure, servers, storage (none
    for a service without hosting)."""
    table, column = w.table, w.column
    pues = [OMIT if h is None else h.pue for h in hostings]
    environments = [
        OMIT if h is None
        else (h.environments, type(h.environments), "environments" in h.given)
        if h.environments else None
        for h in hostings
    ]  # fmt: skip
    given_pue = w.given(
        "hosting.pue",
        [OMIT if p is OMIT or p is None else _kept(p) for p in pues],
        lambda _: "hosting.pue",
        "",
        [(0, p) for p in pues],
    )
    default_pue = column(
        "hosting.pue",
        [(None,) if p is None else OMIT for p in pues],
        lambda h: reference.pue_row(table, h),
        hostings,
    )
    return [
        column("hosting.location", [OMIT if h is None else (h.location,) for h in hostings],
               lambda h: reference.region_row(table, "hosting.location", h.location), hostings),
        [g or d for g, d in zip(given_pue, default_pue, strict=True)],
        column("hosting.environments", environments, reference.environments_row, hostings),
        column("hosting.infrastructure",
               [OMIT if h is None else (h.infrastructure,) for h in hostings],
               lambda h: reference.infrastructure_rows(h, table), hostings),
        _servers(w, hostings),
        column("storage",
               [OMIT if h is None or h.storage is None else reference.storage_key(h.storage)
                for h in hostings],
               lambda h: reference.storage(table, h.storage), hostings),
    ]  # fmt: skip


def _servers(w: Writer, hostings: list[Any]) -> list[bytes]:
    """Each service's servers' rows: each distinct server's (`_server_key`) once for the
    run, from `_server_entries`; a service's are a run of the chunk's servers, in order."""
    groups = [() if h is None else h.servers for h in hostings]
    servers = [(i, s) for group in groups for i, s in enumerate(group)]
    keys = [_server_key(i, s, _SERVER_KEYED(s)) for i, s in servers]
    entries = w.entries("servers", keys, lambda items: _server_entries(w, items), servers)
    w.cite(entries)
    texts = list(map(_TEXT, entries))
    ends = accumulate(map(len, groups))
    return [b"".join(texts[end - len(g) : end]) for g, end in zip(groups, ends, strict=True)]


#: What `_server_key` reads of a server: whether it is of the common shape, then its kind
#: and the values it gives, in one call a server.
_SERVER_KEYED = attrgetter(
    "instance", "archetype", "cpus", "cores", "memory", "ssd", "gpus",
    "type", "lifetime", "utilization", "power",
)  # fmt: skip
_COMMON = (None,) * 7  # no instance, archetype or part given: reference.plain_server


def _server_key(i: int, s: Any, fields: tuple[Any, ...]) -> Hashable | None:
    """What the `i`th server's rows are made from (`fields`: its `_SERVER_KEYED`): of the
    common shape, its type and the values it gives (with their types; None for a 0, made
    apart); any other, server_key's."""
    if fields[:7] != _COMMON:
        found = reference.server_key(i, s)
        return None if found is None else ("server", found)
    values = fields[8:]
    if 0 in values:
        return None
    return (i, fields[7], *values, *map(type, values))


def _server_entries(w: Writer, servers: list[tuple[int, Any]]) -> list[Entry]:
    """The Entries of servers (their rows from their slots: of the common shape, its given
    values' and its defaults'; any other, the server's rows as one slot)."""
    table = w.table
    plain = [reference.plain_server(s) for _, s in servers]

    def given(name: str, unit: str) -> list[Entry]:
        values = [getattr(s, name) for _, s in servers]
        return w.given_entries(
            "server." + name,
            [OMIT if not p or v is None else _at(i, v)
             for p, v, (i, _) in zip(plain, values, servers, strict=True)],
            lambda i: _base(i) + "." + name, unit,
            [(i, v) for v, (i, _) in zip(values, servers, strict=True)],
        )  # fmt: skip

    def slot(name: str, keys: list[Hashable], make: Callable[..., Any]) -> list[Entry]:
        return w.entries(name, keys, lambda items: [w._made(make(table, *i)) for i in items],
                         servers)  # fmt: skip

    def default(name: str, make: Callable[..., Any]) -> list[Entry]:
        keys = [(i,) if p and getattr(s, name) is None else OMIT
                for p, (i, s) in zip(plain, servers, strict=True)]  # fmt: skip
        return slot("server." + name, keys, make)

    parts = [
        slot("server", [OMIT if p else reference.server_key(i, s)
                        for p, (i, s) in zip(plain, servers, strict=True)], reference.server),
        default("lifetime", reference.server_lifetime),
        given("lifetime", "s"),
        default("utilization", reference.server_utilization),
        given("utilization", "%"),
        default("power", reference.modelled_power),
        given("power", "W"),
        slot("server.tail",
             [(i, s.type) if p else OMIT for p, (i, s) in zip(plain, servers, strict=True)],
             reference.plain_server_tail),
    ]  # fmt: skip
    return [_joined_entry(made) for made in zip(*parts, strict=True)]


def _joined_entry(entries: Sequence[Entry]) -> Entry:
    """One Entry of the rows of several, in order."""
    sources = (source for entry in entries for source in entry[1])
    return [b"".join([entry[0] for entry in entries]), tuple(dict.fromkeys(sources)), None]


def _at(i: int, value: float) -> Hashable | None:
    """A key for the `i`th server's number (see `_kept`)."""
    return (i, value, type(value)) if value else None


def _base(i: int) -> str:
    return _BASES[i] if i < len(_BASES) else f"hosting.servers[{i}]"


_BASES = tuple(f"hosting.servers[{i}]" for i in range(16))
