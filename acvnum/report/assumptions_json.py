"""A service's `assumptions` list as JSON text, written from its questionnaire without
making its rows.

A service's ~50 rows (acvnum.calculation.assumptions.collect) are mostly the same from
service to service (a factor's default, a server's configuration, the devices' defaults);
made as objects, then as dicts for orjson, they were a quarter of a portfolio's JSON time.
Here each group of rows (a slot: the period, the visits' duration, the hosting's head, a
server...) is looked up by the raw values it is made from; a slot not seen before is made
by the reference functions of `collect` and encoded (`json_format`'s row dict), so its
text is always its rows'. A service of another shape (ranges, terminals, AI, video,
messages, shared platforms, a market-based factor) gets None: its rows are made and
written from them, the reference path. Held to the rows' bytes by
tests/report/test_assumptions_json.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import compress
from typing import Any

from acvnum.calculation import assumptions as reference
from acvnum.calculation.assumptions import QUESTIONNAIRE, Assumptions
from acvnum.calculation.results import Assumption
from acvnum.i18n import english_text
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.rules import DEFAULT_NETWORK_MODEL, DEVICE_TYPES, NETWORK_TYPES
from acvnum.reference.factors import FactorTable

#: A slot's text, the source texts its rows cite, and the last Part that cited them.
Entry = list[Any]
_HELD = 4096  # texts per slot kept; a slot's table is emptied when full


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

    def look(self, slot: str, key: Hashable | None, make: Callable[..., Any], *args: Any) -> bytes:
        """The slot's text for `key`, made from `make(*args)` (a row or a tuple of rows) when
        not seen; None key: not kept (a 0, which -0.0 would share, is written apart)."""
        texts = self.slots.get(slot)
        if texts is None:
            texts = self.slots[slot] = {}
        entry = texts.get(key) if key is not None else None
        if entry is None:
            entry = self._made(make(*args))
            if key is not None:
                if len(texts) >= _HELD:
                    texts.clear()
                texts[key] = entry
        if entry[2] is not self.cited:
            for source in entry[1]:
                self.cited.keys_of(source)
            entry[2] = self.cited
        return entry[0]

    def given(self, slot: str, key: Hashable | None, path: str, amount: Any, unit: str) -> bytes:
        """The text of the row of a value the file gives (assumptions.input_row's), written
        without the row: most are new to the run (an audience, a data volume)."""
        texts = self.slots.get(slot)
        if texts is None:
            texts = self.slots[slot] = {}
        text = texts.get(key) if key is not None else None
        if text is None:
            text = self._dumps(row(path, english_text(amount, unit, written=True), "input", []))
            if key is not None:
                if len(texts) >= _HELD:
                    texts.clear()
                texts[key] = text
        return text

    def _made(self, made: Assumption | Sequence[Assumption]) -> Entry:
        rows = (made,) if isinstance(made, Assumption) else made
        text = b",".join([self._row_text(r) for r in rows])
        return [
            text,
            tuple(dict.fromkeys(r.source for r in rows if r.source != QUESTIONNAIRE)),
            None,
        ]


def row(path: str, value: str, status: str, sources: list[str]) -> dict[str, Any]:
    """An assumption row's JSON object (json_format writes every row with it)."""
    return {"path": path, "value": value, "status": status, "sources": sources}


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


def _kept(value: Any) -> Hashable | None:
    """A key for one number (with its type: 1 and 1.0 are equal keys); None for a 0."""
    return (value, type(value)) if value else None


def text(q: Questionnaire, w: Writer) -> bytes:
    """The `assumptions` list's JSON text of a questionnaire `plain` accepted: the rows
    `collect` makes, in its order (a slot's rows from the function `collect` calls for them)."""
    table, look, given, u = w.table, w.look, w.given, q.usage
    devices = reference.DEVICE_SHARES(u.devices)
    network = reference.NETWORK_SHARES(u.network)
    used = tuple(compress(DEVICE_TYPES, devices))
    accesses = tuple(compress(NETWORK_TYPES, network))
    vpu, period, in_period = u.visits_per_user, q.period, "period" in q.given
    parts = [
        look("period", (period, type(period), in_period) if period else None,
             reference.period_row, period, in_period),
        given("users", _kept(u.users), "usage.users", u.users, ""),
        given("visits_per_user", (vpu, type(vpu)) if vpu.count else None,
              "usage.visits_per_user", vpu, ""),
        given("visit_duration", _kept(u.visit_duration), "usage.visit_duration",
              u.visit_duration, "s"),
        given("data_per_visit", _kept(u.data_per_visit), "usage.data_per_visit",
              u.data_per_visit, "B"),
    ]  # fmt: skip
    parts += [_share(w, "usage.devices.", d, devices[k]) for k, d in enumerate(DEVICE_TYPES)]
    parts += [_share(w, "usage.network.", n, network[k]) for k, n in enumerate(NETWORK_TYPES)]
    parts += [
        look("location", (u.location,), reference.region_row, table, "usage.location",
             u.location),
        look("network_model", (u.network_model,), reference.network_model_row,
             u.network_model),
    ]  # fmt: skip
    if q.hosting is not None:
        parts += _hosting(q.hosting, w)
    parts += [
        look("terminals.location", (u.location,), reference.terminals_row, None, u.location),
        look("devices", used, reference.default_devices, table, used),
        look("network", (u.network_model, accesses), reference.network_rows, table,
             u.network_model or DEFAULT_NETWORK_MODEL, accesses),
    ]  # fmt: skip
    return b"[" + b",".join([part for part in parts if part]) + b"]"


def _share(w: Writer, prefix: str, name: str, share: float) -> bytes:
    """A device's or an access's share, listed when above 0."""
    if not share:
        return b""
    return w.look(prefix, (name, share, type(share)), reference.share_row, prefix + name, share)


def _hosting(h: Any, w: Writer) -> list[bytes]:
    """The hosting's rows: where, PUE, environments, infrastructure, servers, storage."""
    table, look = w.table, w.look
    pue, environments = h.pue, h.environments
    parts = [
        look("hosting.location", (h.location,), reference.region_row, table,
             "hosting.location", h.location),
        w.given("hosting.pue", _kept(pue), "hosting.pue", pue, "") if pue is not None
        else look("hosting.pue", (None,), reference.pue_row, table, h),
        look("hosting.environments",
             (environments, type(environments), "environments" in h.given)
             if environments else None, reference.environments_row, h),
        look("hosting.infrastructure", (h.infrastructure,), reference.infrastructure_rows, h,
             table),
    ]  # fmt: skip
    for i, s in enumerate(h.servers):
        parts += _server(w, i, s)
    if h.storage is not None:
        key = reference.storage_key(h.storage)
        parts.append(look("storage", key, reference.storage, table, h.storage))
    return parts


def _server(w: Writer, i: int, s: Any) -> list[bytes]:
    """A server's rows: of the common shape, its given values' and its defaults' texts;
    any other, the server's rows as one slot."""
    table, look, given = w.table, w.look, w.given
    if not reference.plain_server(s):
        return [look("server", reference.server_key(i, s), reference.server, table, i, s)]
    base = _BASES[i] if i < len(_BASES) else f"hosting.servers[{i}]"
    lifetime, utilization, power = s.lifetime, s.utilization, s.power
    return [
        look("server.lifetime", (i,), reference.server_lifetime, table, i, s)
        if lifetime is None
        else given("server.lifetime", _at(i, lifetime), base + ".lifetime", lifetime, "s"),
        look("server.utilization", (i,), reference.server_utilization, table, i, s)
        if utilization is None
        else given("server.utilization", _at(i, utilization), base + ".utilization",
                   utilization, "%"),
        look("server.power", (i,), reference.modelled_power, table, i, s)
        if power is None
        else given("server.power", _at(i, power), base + ".power", power, "W"),
        look("server.tail", (i, s.type), reference.plain_server_tail, table, i, s),
    ]  # fmt: skip


def _at(i: int, value: float) -> Hashable | None:
    """A key for the `i`th server's number (see `_kept`)."""
    return (i, value, type(value)) if value else None


_BASES = tuple(f"hosting.servers[{i}]" for i in range(16))
