"""Levers as array edits: every lever of the catalogue applied to a whole chunk of services at
once, on columns of the answers it reads, never one service and one lever at a time.

A `Frame` holds, per service and per server group, the answers levers change, in base
units (NaN: not given). A lever kind here is the array twin of its function in
acvnum.analysis.lever_kinds: the same arithmetic, in the same order, element by element, so
that the figures are those of the per-service path to the last bit (tests/analysis say so).
Its `Step` keeps what changed as columns; `Change` objects are written only for the levers
a service is shown, and the folder JSON writes those changes straight from the columns
(`Step.written`: each distinct value formatted once a chunk, no Change made). A frame
becomes engine arrays by the operations service_arrays uses.

Services with an optional block (ai, video, messages) and kinds without a twin here take
the per-service path (acvnum.analysis.lever_kinds): `supported` says which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from acvnum.analysis.lever_kinds import Context
from acvnum.analysis.variants import _UNITS, Change, _dotted
from acvnum.calculation import servers as server_config
from acvnum.calculation.inventory import (
    GROUPED_FIELDS,
    Regions,
    ServerArrays,
    ServiceArrays,
    rows_of,
    spread_rows,
    take_grouped,
)
from acvnum.calculation.results import maker
from acvnum.i18n import Value, english_text
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.rules import DEVICE_TYPES, NETWORK_TYPES, SERVER_ARCHETYPES

#: The questionnaire's optional blocks: a service with one takes the per-service path.
BLOCKS = ("ai", "video", "messages")
#: Kinds that change only a block (and give nothing to a service without it).
_BLOCK_KINDS = {"smaller_model": "ai", "batch_gpus": "ai", "lower_quality": "video"}

#: Number answers of a service a lever may change: path -> (column, the column saying
#: whether the section holding it is there, None where it always is).
_NUMBERS: dict[tuple[str, ...], tuple[str, str | None]] = {
    ("usage", "data_per_visit"): ("data_per_visit", None),
    ("usage", "visit_duration"): ("visit_duration", None),
    ("usage", "network", "mobile"): ("mobile", None),
    ("usage", "network", "fixed"): ("fixed", None),
    ("hosting", "pue"): ("pue", "hosted"),
    ("hosting", "environments"): ("environments", "hosted"),
    ("hosting", "storage", "volume"): ("volume", "stored"),
    ("hosting", "storage", "replicas"): ("replicas", "stored"),
}
#: Number answers of a server group a lever may change.
_SERVER_NUMBERS = ("count", "utilization", "power", "lifetime")
_SERVER = ("hosting", "servers", "*")
_STORAGE_TYPE = ("hosting", "storage", "type")
_LOCATION = ("hosting", "location")


class Unsupported(Exception):
    """A lever this module has no array twin for: the per-service path evaluates it."""


# --- the frame ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Layout:
    """What stays the same in every frame of a chunk: whose server groups are where."""

    owner: np.ndarray  # (M,) the service of each server group
    first: np.ndarray  # (N,) the index of each service's first group
    counts: np.ndarray  # (N,) how many groups each service has
    names: tuple[str, ...]  # (M,) each group's name (a change's subject)
    regions: tuple[str, ...]  # the names the `region` codes index

    def groups(self, i: int) -> range:
        return range(int(self.first[i]), int(self.first[i] + self.counts[i]))


@dataclass(frozen=True, eq=False)
class Frame:
    """The answers levers read and change, for N services and their M server groups.

    `services` columns are (N,) (device shares (N, devices)); `servers` columns are (M,);
    a `scale:<factor id>` column is a per-service factor multiplier (1 where absent)."""

    layout: Layout
    services: Mapping[str, np.ndarray]
    servers: Mapping[str, np.ndarray]

    @property
    def count(self) -> int:
        return len(self.layout.first)

    def column(self, name: str) -> np.ndarray:
        if name.startswith("scale:") and name not in self.services:
            return np.ones(self.count)
        return self.services[name]

    def with_columns(
        self, services: Mapping[str, np.ndarray] = {}, servers: Mapping[str, np.ndarray] = {}
    ) -> Frame:
        return Frame(self.layout, {**self.services, **services}, {**self.servers, **servers})


def frame_of(
    questionnaires: Sequence[Questionnaire], arrays: ServiceArrays, context: Context
) -> Frame:
    """The answers of N questionnaires (without optional blocks), `arrays` their engine
    arrays: what those hold as the file gives it (shares, PUE, environments, replicas,
    storage type, servers' counts, types, utilisations, powers and configurations) is
    read there, a column at a time; only the rest (durations, data, volumes, lifetimes,
    names) from the records (each answer read once a chunk, not once for the engine and
    again here: 19.4 -> 6 M instructions a chunk of 500)."""
    n = len(questionnaires)
    hosting = [q.hosting for q in questionnaires]
    storage = [h.storage if h else None for h in hosting]
    hosts = arrays.host_region
    regions = tuple(sorted({*context.regions, *_used_names(hosts)}))
    code = np.array([regions.index(r) if r in regions else -1 for r in hosts.names], dtype=int)
    servers = [h.servers if h else () for h in hosting]
    groups = list(chain.from_iterable(servers))
    counts = np.fromiter(map(len, servers), int, n)
    usage = _numbers(map(_USAGE_NUMBERS, [q.usage for q in questionnaires]), n, 2)
    g = arrays.servers
    services = {
        "data_per_visit": usage[:, 0].copy(),
        "visit_duration": usage[:, 1].copy(),
        "mobile": _answers(arrays.network_shares[:, 0, NETWORK_TYPES.index("mobile")]),
        "fixed": _answers(arrays.network_shares[:, 0, NETWORK_TYPES.index("fixed")]),
        "devices": arrays.device_shares[:, 0, :].astype(float),
        "hosted": arrays.hosted[:, 0] == 1,
        "region": code[hosts.codes],
        "pue": _answers(arrays.pue[:, 0]),
        "environments": _answers(arrays.environments[:, 0]),
        "stored": np.fromiter([s is not None for s in storage], bool, n),
        "volume": np.fromiter([s.volume if s else 0.0 for s in storage], float, n),
        "hdd": arrays.storage_hdd[:, 0] == 1,
        "replicas": _answers(arrays.replicas[:, 0]),
    }
    columns = {
        "count": _answers(g.count[:, 0]),
        "virtual": g.virtual[:, 0] == 1,
        "utilization": _answers(g.utilization[:, 0]),
        "power": _answers(g.power[:, 0]),
        "lifetime": _given([s.lifetime for s in groups]),
        **_modelled_watts(groups, g, context),
    }
    first = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(int)
    owner = np.repeat(np.arange(n), counts)
    layout = Layout(owner, first, counts, tuple([s.name for s in groups]), regions)
    return Frame(layout, services, columns)


def _used_names(regions: Regions) -> list[str]:
    """The names of the regions some service is in."""
    return [regions.names[k] for k in np.flatnonzero(regions.used()).tolist()]


#: A service's usage numbers the frame reads from its record (the arrays hold them converted).
_USAGE_NUMBERS = attrgetter("data_per_visit", "visit_duration")


def _given(values: list[float | None]) -> np.ndarray:
    """(M,) floats, NaN where not given (np.array's conversion of None: a look at each)."""
    if values.count(None) == len(values):  # given by none (most lifetimes)
        return np.full(len(values), np.nan)
    return np.fromiter([np.nan if v is None else v for v in values], float, len(values))


def _numbers(rows: Iterable[tuple[float, ...]], n: int, k: int) -> np.ndarray:
    """(n, k) floats of n rows of k numbers, by one fromiter over them all (np.array of n
    tuples looks at each tuple and number: four times as long; the same doubles)."""
    return np.fromiter(chain.from_iterable(rows), float, n * k).reshape(n, k)


def _answers(column: np.ndarray) -> np.ndarray:
    """A column of the engine arrays as a frame's: float, contiguous, its own copy."""
    return column.astype(float)


def _modelled_watts(groups: list, g: ServerArrays, context: Context) -> dict[str, np.ndarray]:
    """(M,) idle and full-load watts of each server group, its configuration's where it has
    one (another archetype or a part given: acvnum.calculation.servers.is_configured, read
    from the groups' arrays `g`), the factor table's defaults otherwise."""
    idle = np.full(len(groups), context.default("server.physical.power_idle"))
    peak = np.full(len(groups), context.default("server.physical.power_max"))
    medium = SERVER_ARCHETYPES.index(server_config.DEFAULT_ARCHETYPE)
    parts = np.concatenate([g.parts[p] for p in server_config.PARTS], axis=1)
    configured = np.flatnonzero((g.archetype[:, 0] != medium) | ~np.isnan(parts).all(axis=1))
    if len(configured):
        own = server_config.modelled_watts(context.central, [groups[k] for k in configured])
        idle[configured], peak[configured] = own[0][:, 0], own[1][:, 0]
    return {"idle": idle, "peak": peak}


class _Noted(dict):
    """A frame's columns that note the name of each one looked up (see `applied`)."""

    def __init__(self, columns: Mapping[str, np.ndarray], noted: set[str]) -> None:
        super().__init__(columns)
        self.noted = noted

    def __getitem__(self, name: str) -> np.ndarray:
        self.noted.add(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self.noted.add(str(name))
        return super().__contains__(name)


@dataclass(frozen=True, eq=False)
class _Noting(Frame):
    """A frame whose columns note what is read, and whose edits note into the same sets."""

    def with_columns(
        self, services: Mapping[str, np.ndarray] = {}, servers: Mapping[str, np.ndarray] = {}
    ) -> Frame:
        noted = self.services.noted, self.servers.noted  # type: ignore[attr-defined]
        return _Noting(
            self.layout,
            _Noted({**self.services, **services}, noted[0]),
            _Noted({**self.servers, **servers}, noted[1]),
        )


@dataclass(frozen=True, eq=False)
class Uses:
    """The columns a lever's arithmetic reads or writes (of services, of server groups), and
    those it writes: a service whose used columns hold what they held in the frame the lever
    was first applied to gets from it, applied to any frame, what it got then (a kind works
    row by row: a service's answers and its groups')."""

    services: frozenset[str]
    servers: frozenset[str]
    written_services: frozenset[str]
    written_servers: frozenset[str]


def applied(
    kind: Kind, frame: Frame, change: Mapping[str, Any], context: Context
) -> tuple[Step, Uses]:
    """`kind(frame, change, context)`, and the columns it used (read as it ran)."""
    read: tuple[set[str], set[str]] = (set(), set())
    noting = _Noting(frame.layout, _Noted(frame.services, read[0]), _Noted(frame.servers, read[1]))
    step = kind(noting, change, context)
    out = Frame(frame.layout, dict(step.frame.services), dict(step.frame.servers))
    wrote = written_columns(frame, out)
    uses = Uses(frozenset(read[0] | wrote[0]), frozenset(read[1] | wrote[1]), wrote[0], wrote[1])
    return replace(step, frame=out), uses


def written_columns(frame: Frame, out: Frame) -> tuple[frozenset[str], frozenset[str]]:
    """The columns of services and of server groups `out` holds anew (not `frame`'s own)."""
    return (
        frozenset(n for n, c in out.services.items() if frame.services.get(n) is not c),
        frozenset(n for n, c in out.servers.items() if frame.servers.get(n) is not c),
    )


def _group_rows(layout: Layout, rows: np.ndarray) -> np.ndarray:
    """The server groups of services `rows`, in order (a service's groups are contiguous)."""
    counts = layout.counts[rows]
    firsts = np.cumsum(counts) - counts  # where each row's groups start among those taken
    # each group taken: its place among those taken, moved to where its service's start
    return np.arange(int(counts.sum())) + np.repeat(layout.first[rows] - firsts, counts)


def merged(frame: Frame, other: Frame, where: np.ndarray) -> Frame:
    """`other`'s services where `where` is True, `frame`'s elsewhere (one layout). A column
    both hold (a step's frame shares those its lever leaves with the frame it was made
    from) is kept as it is, without a look at its rows."""
    services = {}
    for name in {*frame.services, *other.services}:
        a = frame.services.get(name)
        if a is not None and a is other.services.get(name):
            services[name] = a
            continue
        a = frame.column(name)
        services[name] = _either(where.reshape(-1, *([1] * (a.ndim - 1))), other.column(name), a)
    servers = dict(frame.servers)
    changed = [name for name, column in servers.items() if other.servers[name] is not column]
    if changed:
        groups = where[frame.layout.owner]
        for name in changed:
            servers[name] = np.where(groups, other.servers[name], servers[name])
    return Frame(frame.layout, services, servers)


def _either(where: np.ndarray, b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """`np.where(where, b, a)`; `a` itself when both are one column (no lever changed it)."""
    return a if a is b else np.where(where, b, a)


#: The engine fields a frame's answers give (`arrays_at` works them out), not taken from
#: the base arrays; `servers` is rebuilt, its groups' answers from the frame too.
_FROM_FRAME = frozenset(
    {
        "hours",
        "gigabytes",
        "network_shares",
        "host_region",
        "pue",
        "environments",
        "storage_tb",
        "storage_hdd",
        "replicas",
        "servers",
        "factor_scale",
    }
)
_SERVERS_FROM_FRAME = ("service", "count", "utilization", "power", "lifetime_years")


def arrays_at(
    frames: Sequence[Frame], which: np.ndarray, rows: np.ndarray, base: ServiceArrays
) -> ServiceArrays:
    """The engine arrays of service `rows[k]` as frame `which[k]` has it: `base`'s row with
    that frame's answers written in by the operations service_arrays applies to them.

    Every frame shares one layout, of services without optional blocks (their `base`
    rows' blocks are all the absent block's: repeated, not gathered). Only the columns the
    engine reads are gathered, each by one np.take (of the frames' columns end to end where
    a lever changed it), and the fields the frame gives are not taken from `base` first
    (pick then arrays_of took every field, and built a frame with its groups' names:
    2 passes of a chunk of /tmp/p10k 38.5 -> 21 M instructions)."""
    layout = frames[0].layout
    size, k = len(layout.first), len(rows)
    groups = _group_rows(layout, rows)
    counts = layout.counts[rows]

    ends: dict[bool, np.ndarray] = {}  # the rows to take of the columns end to end

    def gathered(columns: list[np.ndarray], server: bool) -> np.ndarray:
        if all(c is columns[0] for c in columns):  # no lever changed it: no stack to make
            return np.take(columns[0], groups if server else rows, axis=0)
        if server not in ends:  # row r of frame f is row f * size + r of the columns end to end
            ends[server] = (
                np.repeat(which, counts) * len(layout.owner) + groups
                if server
                else which * size + rows
            )
        return np.take(np.concatenate(columns), ends[server], axis=0)

    def answers(name: str) -> np.ndarray:
        return gathered([f.column(name) for f in frames], False)

    def answer(name: str) -> np.ndarray:
        return answers(name)[:, np.newaxis]

    def group_answer(name: str) -> np.ndarray:
        return gathered([f.servers[name] for f in frames], True)[:, np.newaxis]

    taken = {
        f.name: _base_rows(f.name, getattr(base, f.name), rows, base)
        for f in fields(base)
        if f.name not in _FROM_FRAME
    }
    servers = base.servers
    servers = replace(
        servers,
        service=np.repeat(np.arange(k), counts),
        count=group_answer("count"),
        utilization=group_answer("utilization"),
        power=group_answer("power"),
        lifetime_years=group_answer("lifetime") / units.SECONDS_PER_YEAR,
        **{
            f.name: rows_of(getattr(servers, f.name), groups)
            for f in fields(servers)
            if f.name not in _SERVERS_FROM_FRAME
        },
    )
    scaled = sorted({name for f in frames for name in f.services if name.startswith("scale:")})
    visits = taken["visits"]
    return replace(
        base,
        **taken,
        hours=visits * answer("visit_duration") / units.SECONDS_PER_HOUR,
        gigabytes=visits * answer("data_per_visit") / units.BYTES_PER_GB,
        network_shares=np.concatenate([answer(n) for n in NETWORK_TYPES], axis=1)[:, np.newaxis, :],
        host_region=Regions(layout.regions, answers("region")),
        pue=answer("pue"),
        environments=answer("environments"),
        storage_tb=answer("volume") / units.BYTES_PER_TB,
        storage_hdd=answer("hdd").astype(float),
        replicas=answer("replicas"),
        servers=servers,
        factor_scale={
            **rows_of(base.factor_scale, rows),
            **{name.removeprefix("scale:"): answer(name) for name in scaled},
        },
    )


def _base_rows(name: str, value: Any, rows: np.ndarray, base: ServiceArrays) -> Any:
    """Field `name` of `base` at `rows` (a list of texts by one gather of its objects; an
    optional block, absent from every row, by `spread_rows`)."""
    if name in BLOCKS:
        return spread_rows(value, len(rows))
    if name in GROUPED_FIELDS:
        return take_grouped(value, rows, base.count)
    if isinstance(value, list):
        return np.take(np.array(value, dtype=object), rows).tolist()
    return rows_of(value, rows)  # arrays, dicts of them, Regions (their codes taken)


# --- what a step changed, written as Change objects only when shown -------------------------


@dataclass(frozen=True, eq=False)
class Shown:
    """One path a step changed, for every service (or server group) at once: before and after
    where `where` is True."""

    path: tuple[str, ...]  # a service path, or a server pattern ('hosting', 'servers', '*', key)
    before: np.ndarray | list[Any]
    after: np.ndarray | list[Any]
    where: np.ndarray
    unit: str | None = None  # None: the unit of the path's key (variants.value_at)
    factor: bool = False
    text: str | None = None  # the path as shown, where it is not the path itself

    @property
    def server(self) -> bool:
        return self.path[:3] == _SERVER

    @cached_property
    def _lists(self) -> tuple[list[Any], list[Any], list[bool]]:
        """Python values (not numpy scalars: the same numbers, written as Python writes them)."""
        return _plain(self.before), _plain(self.after), self.where.tolist()

    @cached_property
    def _unit(self) -> str:
        return _UNITS.get(str(self.path[-1]), "") if self.unit is None else self.unit

    @cached_property
    def _path_text(self) -> str:
        """The path as a service's change shows it."""
        return self.text or _dotted(self.path)

    def _text(self, index: int | None) -> str:
        if index is None:
            return self._path_text
        return _server_text(self.path[-1] if self.text is None else self.text, index)

    def change(self, k: int, subject: str, index: int | None = None) -> Change | None:
        """The change at row `k` (a service, or a server group `index` of its service)."""
        before, after, where = self._lists
        if not where[k]:
            return None
        return _change(self._text(index), before[k], after[k], self._unit, self.factor, subject)

    def same(self, other: Shown, rows: np.ndarray) -> np.ndarray:
        """(len(rows),) whether this and `other` (the same path) show the same change at
        `rows`, bit for bit."""
        where = self.where[rows]
        equal = (_bits(self.before, rows) == _bits(other.before, rows)) & (
            _bits(self.after, rows) == _bits(other.after, rows)
        )
        return (where == other.where[rows]) & (~where | equal)

    def written(
        self, rows: np.ndarray, paths: Paths, values: Values, index: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """The changes at `rows` as the result JSON writes them (None: no row changed):
        where among `rows` they are, their paths' numbers in `paths` (`index`: each server
        group's place in its service), and the values before and after as their numbers in
        `values` (written in English with the chunk's others)."""
        at = np.flatnonzero(self.where[rows])
        if not len(at):
            return None
        taken = rows[at]
        before = values.add(self.before, taken, self._unit, self.factor)
        after = values.add(self.after, taken, self._unit, self.factor)
        if index is None:
            path = np.full(len(at), paths.number(self._path_text))
        else:  # each server group's place written once: hosting.servers[2].count
            places = index[at]
            numbers = np.zeros(int(places.max()) + 1, dtype=int)
            present = np.zeros(len(numbers), bool)
            present[places] = True
            for k in np.flatnonzero(present).tolist():
                numbers[k] = paths.number(self._text(k))
            path = numbers[places]
        return at, path, before, after


def _plain(values: np.ndarray | list[Any]) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _bits(values: np.ndarray | list[Any], rows: np.ndarray) -> np.ndarray:
    """`values` at `rows` to compare exactly: floats by their bits (NaN equals NaN, -0 is
    not 0)."""
    if not isinstance(values, np.ndarray):
        return np.asarray([values[k] for k in rows.tolist()])
    taken = values[rows]
    return taken.view(np.int64) if taken.dtype == float else taken


@lru_cache(maxsize=1024)
def _server_text(key: str, index: int) -> str:
    return f"{_dotted(('hosting', 'servers', index))}.{key}"


#: What ends a row of changes' texts joined at once (`Paths.heads`): JSON-escaped texts hold
#: no NUL. Three, not one: bytes.split looks for a longer separator by skips, not byte by
#: byte (cutting a chunk's changes: 4.1 -> 3.2 M instructions).
CUT = b"\0\0\0"


class Paths:
    """The paths a chunk's changes show, numbered as they are met, with what a change's
    JSON and English line start with (JSON-escaped, see `_escaped`)."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._escaped: list[bytes] = []

    def number(self, path: str) -> int:
        found = self._numbers.get(path)
        if found is None:
            (escaped,) = _escaped([path])  # first: a text orjson refuses is not numbered
            found = self._numbers[path] = len(self._escaped)
            self._escaped.append(escaped)
        return found

    def escaped(self, number: int) -> bytes:
        """Path `number` JSON-escaped."""
        return self._escaped[number]

    def heads(self) -> tuple[np.ndarray, np.ndarray]:
        """What a change's JSON and its English line start with, up to its value before, by
        `2 * path + first`: after the change before it in its row ('"},{"path":"<path>",
        "before":"' and '; <path>: '), or first in its row, after the `CUT` that ends the
        row before it (`CUT` '{"path":...' and `CUT` '<path>: ')."""
        changes, lines = objects(2 * len(self._escaped)), objects(2 * len(self._escaped))
        changes[0::2] = [b'"},{"path":"' + t + b'","before":"' for t in self._escaped]
        changes[1::2] = [CUT + b'{"path":"' + t + b'","before":"' for t in self._escaped]
        lines[0::2] = [b"; " + t + b": " for t in self._escaped]
        lines[1::2] = [CUT + t + b": " for t in self._escaped]
        return changes, lines


def objects(n: int) -> np.ndarray:
    """An object array of n, to be filled (np.empty: not np.full, which would make a bytes
    value a numpy bytes scalar)."""
    return np.empty(n, dtype=object)


@dataclass(frozen=True, eq=False)
class Written:
    """Changes of some rows as the result JSON writes them, one entry per change, in no
    particular order: `row` the row it changes (an index of the rows asked for), `order`
    its place among that row's changes (ascending, not consecutive), `path` its path's
    number (`Paths`), `before` and `after` its values' numbers (`Values`). The folder
    JSON lays them out among a chunk's other pieces (acvnum.analysis.levers._Rows), with
    no text made per change or per row."""

    row: np.ndarray
    order: np.ndarray
    path: np.ndarray
    before: np.ndarray
    after: np.ndarray

    @staticmethod
    def of(parts: Sequence[tuple[np.ndarray, ...]]) -> Written:
        """The changes of `parts`, each (row, order, path, before, after), end to end."""
        if not parts:
            none = np.zeros(0, dtype=int)
            return Written(none, none, none, none, none)
        return Written(*(np.concatenate([p[k] for p in parts]) for k in range(5)))

    def taken(self, where: np.ndarray) -> Written:
        """The changes `where` is True."""
        return Written(*(column[where] for column in self.columns()))

    def columns(self) -> tuple[np.ndarray, ...]:
        return self.row, self.order, self.path, self.before, self.after


def _escaped(texts: list[str]) -> list[bytes]:
    """Texts as JSON writes them between their quotes, by one orjson call (a text it
    refuses raises, and the folder JSON writes the objects instead, see
    acvnum.analysis.levers._Chunk.encoded): the list's JSON cut at its '","', which no
    escaped text holds (a quote in one is escaped). 380 instructions a text for 1,000
    texts, 2,900 in a call each; a chunk writes some 250 new texts, the first 1,700."""
    # Imported here: only the folder JSON's compact document needs it.
    import orjson

    return orjson.dumps(texts)[2:-2].split(b'","') if texts else []


#: The English values of changes, JSON-escaped, by (unit, factor) and key: a float by its
#: 3 significant digits (`_three_digits`: all a change's value shows but for a duration,
#: i18n._shown_parts rounds first), a duration by its value (-0.0 by `_NEGATIVE_ZERO`),
#: another value by its type and value (1 and True apart). A chunk's levers show some 2,700
#: distinct values, their texts some 1,700, most of them in every chunk (lifetimes, shares,
#: regions, volumes).
_WRITTEN: dict[tuple[str, bool], dict[Any, bytes]] = {}
#: The key of -0.0 in `_WRITTEN` (where 0.0 would find 0.0's text).
_NEGATIVE_ZERO = ("-0.0",)
#: The units whose values are shown in words of their own size (i18n._duration_parts), not
#: from their 3 significant digits.
_DURATIONS = ("s", "year")
#: `_three_digits`' codes of the floats without digits: 0.0, -0.0, NaN, inf and -inf (a
#: number's code is its exponent plus 400, times 1000, plus its digits: 76,100 or more).
_ZERO, _MINUS_ZERO, _NAN, _INFINITY, _MINUS_INFINITY = range(5)


def _memo(memos: dict[tuple[str, bool], dict[Any, bytes]], unit: str, factor: bool) -> dict:
    """The memo of (unit, factor), emptied past 20,000 values (some 2 MB: new values are
    mostly one chunk's)."""
    memo = memos.get((unit, factor))
    if memo is None or len(memo) > 20_000:
        memo = memos[unit, factor] = {}
    return memo


class Values:
    """The values a chunk's changes show, numbered as they are met (`add`) and written in
    English, JSON-escaped, all at once (`texts`): a (unit, factor)'s floats of the whole
    chunk in one call, each distinct one looked up once. A chunk shows some 9,300 values,
    2,700 distinct, in some 50 columns: written column by column, each value looked up
    and each new float's '%.3g' made, they cost 24.5 M instructions, 8 M more than now
    (cachegrind, `_Chunk.encoded` on /tmp/p10k)."""

    def __init__(self) -> None:
        self._count = 0
        #: by (unit, factor, floats): the values met and their numbers
        self._met: dict[tuple[str, bool, bool], list[tuple[Any, np.ndarray]]] = {}

    def add(
        self, values: np.ndarray | list[Any], rows: np.ndarray, unit: str, factor: bool
    ) -> np.ndarray:
        """The numbers of `values` at `rows` (a float array's as floats, other values as
        Python values: 1 and True apart)."""
        floats = isinstance(values, np.ndarray) and values.dtype.kind == "f"
        if floats:
            taken: Any = values.astype(float, copy=False)[rows]
        elif isinstance(values, np.ndarray):
            taken = values[rows].tolist()
        else:
            taken = [values[k] for k in rows.tolist()]
        numbers = np.arange(self._count, self._count + len(rows))
        self._count += len(rows)
        self._met.setdefault((unit, factor, floats), []).append((taken, numbers))
        return numbers

    def texts(self) -> np.ndarray:
        """Every value's text (objects: bytes), by number."""
        texts = objects(self._count)
        for (unit, factor, floats), met in self._met.items():
            numbers = np.concatenate([n for _, n in met])
            if floats:
                texts[numbers] = _float_bytes(np.concatenate([v for v, _ in met]), unit, factor)
            else:
                amounts = list(chain.from_iterable(v for v, _ in met))
                texts[numbers] = _object_bytes(amounts, unit, factor)
        return texts


def _float_bytes(amounts: np.ndarray, unit: str, factor: bool) -> np.ndarray:
    """Floats in English, JSON-escaped (`i18n.english_text`), as objects: each distinct one
    (by its bits: -0.0 apart from 0.0) looked up once, by its 3 significant digits
    (`_three_digits`) or, a duration, by its value (a NaN is never found again, which
    writes it anew)."""
    memo = _memo(_WRITTEN, unit, factor)
    bits, inverse = np.unique(amounts.view(np.int64), return_inverse=True)
    distinct = bits.view(float)
    amounts_of: list[Any] = distinct.tolist()
    if unit in _DURATIONS:
        keys = list(amounts_of)
        for p in np.flatnonzero((distinct == 0) & np.signbit(distinct)).tolist():
            keys[p] = _NEGATIVE_ZERO  # equal to 0.0 as a key, but written apart
    else:
        keys = _three_digits(distinct).tolist()
    return _looked_up(memo, keys, amounts_of, unit, factor).take(inverse.ravel())


def _object_bytes(amounts: list[Any], unit: str, factor: bool) -> np.ndarray:
    """Values of a list or of an array of other than floats in English, JSON-escaped, as
    objects, known by their type and value (1 and True apart; a zero float by its text:
    -0.0 is written apart)."""
    memo = _memo(_WRITTEN, unit, factor)
    keys = [(float, str(a)) if type(a) is float and a == 0 else (type(a), a) for a in amounts]
    return _looked_up(memo, keys, amounts, unit, factor)


def _looked_up(
    memo: dict[Any, bytes], keys: list[Any], amounts: list[Any], unit: str, factor: bool
) -> np.ndarray:
    """The texts of `keys` in `memo` (objects), the new ones written from the `amounts`
    they stand for (english_text, all escaped at once) and kept."""
    found = objects(len(keys))
    try:
        found[:] = list(map(memo.__getitem__, keys))
        return found
    except KeyError:
        pass
    new: dict[Any, int] = {}  # each new key, and where its amount is (a key met twice: once)
    for p, text in enumerate(map(memo.get, keys)):
        if text is None:
            new.setdefault(keys[p], p)
    texts = [english_text(amounts[p], unit, factor=factor) for p in new.values()]
    memo.update(zip(new, _escaped(texts), strict=True))
    found[:] = list(map(memo.__getitem__, keys))
    return found


def _three_digits(amounts: np.ndarray) -> np.ndarray:
    """A code of each float's 3 significant digits as '%.3g' rounds them (a change's text is
    a function of them): +-((exponent + 400) * 1000 + digits), and codes of their own for
    0.0, -0.0, NaN, inf and -inf. Worked out in floating point, all at once; from '%.2e''s
    text (the same rounding) where a fourth digit 5 is too near to call or the number is
    too small (subnormal). '%.3g' of each costs 3,000 instructions a float, 1,500 new
    floats a chunk."""
    size = np.abs(amounts)
    with np.errstate(all="ignore"):
        exponent = np.floor(np.log10(size))
        scaled = size * 10.0 ** (2.0 - exponent)  # the digits: [100, 1000), but at 10**k
        half = np.abs(scaled - np.floor(scaled) - 0.5)
    digits = np.rint(scaled)
    unsure = ~((half > 1e-6) & (digits >= 100) & (digits <= 1000))  # NaN: unsure
    up = digits == 1000  # 999.5 and up: 1.00 at the next exponent
    digits[up] = 100
    exponent[up] += 1
    codes = np.where(unsure, 0.0, (exponent + 400) * 1000 + digits)
    codes = np.copysign(codes, amounts).astype(np.int64)
    finite = np.isfinite(amounts)
    if not finite.all():
        codes[np.isnan(amounts)] = _NAN
        codes[amounts == np.inf] = _INFINITY
        codes[amounts == -np.inf] = _MINUS_INFINITY
    zero = size == 0
    if zero.any():
        codes[zero] = np.where(np.signbit(amounts[zero]), _MINUS_ZERO, _ZERO)
    for p in np.flatnonzero(unsure & finite & ~zero).tolist():
        codes[p] = _digits_code(float(amounts[p]))
    return codes


def _digits_code(amount: float) -> int:
    """`_three_digits`' code of a finite, non-zero float from its '%.2e' text."""
    text = "%.2e" % amount  # noqa: UP031 -- '-1.24e-05': mode 2 rounding, as '%.3g'
    negative = text.startswith("-")
    text = text.removeprefix("-")
    code = (int(text[5:]) + 400) * 1000 + int(text[0] + text[2:4])
    return -code if negative else code


def _change(text: str, before: Any, after: Any, unit: str, factor: bool, subject: str) -> Change:
    """A Change, shared between services that show the very same one (the default PUE
    lowered, every smartphone kept longer): Change and Value are frozen."""
    if before == 0 or after == 0:  # 0.0 and -0.0 are equal keys but are written apart
        return _new_change(text, before, after, unit, factor, subject)
    key = (text, type(before), before, type(after), after, unit, factor, subject)
    found = _CHANGES.get(key)
    if found is None:
        found = _CHANGES[key] = _new_change(text, before, after, unit, factor, subject)
        if len(_CHANGES) > 100_000:
            _CHANGES.clear()
    return found


_CHANGES: dict[tuple[Any, ...], Change] = {}


#: Change and Value made field by field at once (a chunk makes some 2,000 new changes).
_CHANGE, _VALUE = maker(Change), maker(Value)


def _new_change(
    text: str, before: Any, after: Any, unit: str, factor: bool, subject: str
) -> Change:
    """`Change(text, Value(before, unit, factor=factor), Value(after, ...), subject)`."""
    # amount, unit, default, factor, written, digits, approximate, ends, choice
    return _CHANGE(
        text,
        _VALUE(before, unit, False, factor, False, 6, False, None, ""),
        _VALUE(after, unit, False, factor, False, 6, False, None, ""),
        subject,
    )


@dataclass(frozen=True, eq=False)
class Step:
    """A lever applied to a frame: the new frame, which services it changed, and how."""

    frame: Frame
    changed: np.ndarray  # (N,) bool
    shown: tuple[Shown, ...] = field(default=())

    def changes(self, i: int) -> tuple[Change, ...]:
        """Service `i`'s changes, in the order the per-service kind records them: its own
        paths, then server by server."""
        out = []
        for s in self._services:  # s.change(i, ""), inlined: a chunk asks some 4,000 times
            before, after, where = s._lists
            if where[i]:
                out.append(_change(s._path_text, before[i], after[i], s._unit, s.factor, ""))
        if self._servers:
            layout = self.frame.layout
            for index, g in enumerate(layout.groups(i)):
                name = layout.names[g]
                out += [c for s in self._servers if (c := s.change(g, name, index)) is not None]
        return tuple(out)

    def written(self, rows: np.ndarray, paths: Paths, values: Values) -> Written:
        """Services `rows`' changes (`changes`) as the result JSON writes them, each row's
        in `changes`' order: its own paths, then server by server each group's paths
        (`Shown.written`). The folder JSON's path: no Change made."""
        parts = []
        for s, shown in enumerate(self._services):
            found = shown.written(rows, paths, values)
            if found is not None:
                at, path, before, after = found
                parts.append((at, np.full(len(at), s), path, before, after))
        if self._servers:
            layout = self.frame.layout
            groups = _group_rows(layout, rows)
            counts = layout.counts[rows]
            owner = np.repeat(np.arange(len(rows)), counts)
            index = np.arange(len(groups)) - np.repeat(np.cumsum(counts) - counts, counts)
            first, width = len(self._services), len(self._servers)
            for t, shown in enumerate(self._servers):
                found = shown.written(groups, paths, values, index)
                if found is not None:
                    at, path, before, after = found
                    parts.append((owner[at], first + index[at] * width + t, path, before, after))
        return Written.of(parts)

    def same(self, other: Step, rows: np.ndarray) -> np.ndarray:
        """(len(rows),) whether services `rows`' changes are the same in this step and in
        `other` (the same lever applied to another frame of the same services): asked for
        the services a combination's step changes only (a few dozen of a chunk)."""
        same = np.ones(len(rows), bool)
        for a, b in zip(self._services, other._services, strict=True):
            same &= a.same(b, rows)
        if self._servers:
            counts = self.frame.layout.counts[rows]
            groups, owner = (
                _group_rows(self.frame.layout, rows),
                np.repeat(np.arange(len(rows)), counts),
            )
            for a, b in zip(self._servers, other._servers, strict=True):
                differ = ~a.same(b, groups)
                same &= np.bincount(owner, weights=differ, minlength=len(rows)) == 0
        return same

    @cached_property
    def _services(self) -> tuple[Shown, ...]:
        return tuple(s for s in self.shown if not s.server)

    @cached_property
    def _servers(self) -> tuple[Shown, ...]:
        return tuple(s for s in self.shown if s.server)


Kind = Callable[[Frame, Mapping[str, Any], Context], Step]


def _number(frame: Frame, path: tuple[str, ...]) -> tuple[str, np.ndarray, np.ndarray]:
    """A number answer's column, its values and where its section is there."""
    if path not in _NUMBERS:
        raise Unsupported(modelpath.dotted(path))
    name, section = _NUMBERS[path]
    there = np.ones(frame.count, bool) if section is None else frame.services[section]
    return name, frame.services[name], there


def _scale(frame: Frame, p: Mapping[str, Any], _: Context) -> Step:
    """lever_kinds._scale: the values at `paths` times `factor` where given and not zero."""
    out, shown = frame, []
    changed = np.zeros(frame.count, bool)
    for text in p["paths"]:
        path = _pattern(text)
        name, value, there = _number(out, path)
        where = there & ~np.isnan(value) & (value != 0)
        after = value * p["factor"]
        out = out.with_columns({name: np.where(where, after, value)})
        shown.append(Shown(path, value, after, where))
        changed |= where
    return Step(out, changed, tuple(shown))


def _shift_network(frame: Frame, p: Mapping[str, Any], _: Context) -> Step:
    """lever_kinds._shift_network: `share` of the mobile data to fixed access."""
    mobile, fixed = frame.services["mobile"], frame.services["fixed"]
    moved = mobile * p["share"]
    where = moved > 0
    mobile_after, fixed_after = mobile - moved, fixed + moved
    out = frame.with_columns(
        {
            "mobile": np.where(where, mobile_after, mobile),
            "fixed": np.where(where, fixed_after, fixed),
        }
    )
    shown = (
        Shown(("usage", "network", "mobile"), mobile, mobile_after, where),
        Shown(("usage", "network", "fixed"), fixed, fixed_after, where),
    )
    return Step(out, where, shown)


def _scale_factor(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    """lever_kinds._scale_factor: a device factor times `factor` for the devices used."""
    devices = frame.services["devices"]
    columns, shown = {}, []
    for d, device in enumerate(DEVICE_TYPES):
        used = devices[:, d] != 0
        factor_id = f"device.{device}.{p['quantity']}"
        before = frame.column(f"scale:{factor_id}")
        after = before * p["factor"]
        columns[f"scale:{factor_id}"] = np.where(used, after, before)
        unit, value = c.table[factor_id].unit, c.default(factor_id)
        shown.append(Shown((), value * before, value * after, used, unit, True, factor_id))
    return Step(frame.with_columns(columns), np.ones(frame.count, bool), tuple(shown))


def _lowered(frame: Frame, path: tuple[str, ...], target: float, c: Context) -> Step:
    """lever_kinds._lowered: the value (or its default) lowered to `target` where higher."""
    name, given, there = _number(frame, path)
    current = np.where(np.isnan(given), c.defaulted(path), given)
    where = there & (current > target)
    out = frame.with_columns({name: np.where(where, target, given)})
    return Step(out, where, (Shown(path, current, np.full(frame.count, target), where),))


def _cap(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    path = _pattern(p["path"])
    return _lowered(frame, path, float(p["target"]), c)


def _cap_years(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    path = _pattern(p["path"])
    return _lowered(frame, path, p["target"] * units.SECONDS_PER_YEAR, c)


def _server_number(frame: Frame, key: str) -> np.ndarray:
    if key not in _SERVER_NUMBERS:
        raise Unsupported(f"hosting.servers[*].{key}")
    return frame.servers[key]


def _any_group(frame: Frame, where: np.ndarray) -> np.ndarray:
    """(N,) whether any server group of each service is in `where` (M,)."""
    return np.bincount(frame.layout.owner, weights=where, minlength=frame.count) > 0


def _floor(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    """lever_kinds._floor: every server's `field` raised to `target` years where lower."""
    key = p["field"]
    given = _server_number(frame, key)
    target = p["target"] * units.SECONDS_PER_YEAR
    current = np.where(np.isnan(given), c.defaulted((*_SERVER, key)), given)
    where = current < target
    out = frame.with_columns(servers={key: np.where(where, target, given)})
    shown = Shown((*_SERVER, key), current, np.full(len(given), target), where)
    return Step(out, _any_group(frame, where), (shown,))


def _region(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    """lever_kinds._region: hosting moved to the lightest candidate, where lighter."""
    regions = frame.layout.regions
    codes = frame.services["region"]
    candidates = [r for r in p["candidates"] if r in c.regions]
    if not candidates:
        return Step(frame, np.zeros(frame.count, bool))
    best = min(candidates, key=lambda r: (c.region_weight(r), r))
    weights = np.array([c.region_weight(r) if r in c.regions else np.inf for r in regions])
    where = frame.services["hosted"] & (c.region_weight(best) < weights[codes])
    out = frame.with_columns({"region": np.where(where, regions.index(best), codes)})
    names = [regions[k] for k in codes.tolist()]
    shown = Shown(_LOCATION, names, [best] * frame.count, where)
    return Step(out, where, (shown,))


def _power_at(utilization: np.ndarray, frame: Frame) -> np.ndarray:
    """Each group's linear idle-to-peak power, in W, with its own idle and peak."""
    idle, peak = frame.servers["idle"], frame.servers["peak"]
    return idle + (peak - idle) * utilization


def _utilization(frame: Frame, c: Context) -> np.ndarray:
    given = frame.servers["utilization"]
    return np.where(np.isnan(given), c.defaulted((*_SERVER, "utilization")), given)


def _right_size(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    """lever_kinds._right_size: fewer servers at `target` utilisation, the same load."""
    count, power = frame.servers["count"], frame.servers["power"]
    used = _utilization(frame, c)
    fewer = np.minimum(count, np.maximum(1, np.ceil(count * used / p["target"] - 1e-9)))
    where = fewer < count
    with np.errstate(divide="ignore", invalid="ignore"):
        busier = used * count / fewer
        power_after = power * _power_at(busier, frame) / _power_at(used, frame)
    measured = where & ~np.isnan(power)
    out = frame.with_columns(
        servers={
            "count": np.where(where, fewer, count),
            "utilization": np.where(where, busier, frame.servers["utilization"]),
            "power": np.where(measured, power_after, power),
        }
    )
    shown = (
        Shown((*_SERVER, "count"), count, fewer, where),
        Shown((*_SERVER, "utilization"), used, busier, where),
        Shown((*_SERVER, "power"), power, power_after, measured),
    )
    return Step(out, _any_group(frame, where), shown)


def _off_hours(frame: Frame, p: Mapping[str, Any], c: Context) -> Step:
    """lever_kinds._off_hours: non-production environments run `on_share` of the time."""
    environments = frame.services["environments"]
    eligible = frame.services["hosted"] & (environments > 1)
    running = (1 + (environments - 1) * p["on_share"]) / environments
    owner = frame.layout.owner
    groups, share = eligible[owner], running[owner]
    virtual = frame.servers["virtual"]
    count, power = frame.servers["count"], frame.servers["power"]
    drawn = np.where(np.isnan(power), _power_at(_utilization(frame, c), frame), power)
    on, physical = groups & virtual, groups & ~virtual
    out = frame.with_columns(
        servers={
            "count": np.where(on, count * share, count),
            "power": np.where(physical, drawn * share, power),
        }
    )
    shown = (
        Shown((*_SERVER, "count"), np.ones(len(owner)), share, on, "%", text="hours_running"),
        Shown((*_SERVER, "power"), drawn, drawn * share, physical),
    )
    return Step(out, eligible & (frame.layout.counts > 0), shown)


def _switch(frame: Frame, p: Mapping[str, Any], _: Context) -> Step:
    """lever_kinds._switch: the value at `path` set to `value` where different."""
    path = _pattern(p["path"])
    value = p["value"]
    if path == _STORAGE_TYPE:
        hdd = frame.services["hdd"]
        current = np.where(hdd, "hdd", "ssd")
        where = frame.services["stored"] & (current != value)
        out = frame.with_columns({"hdd": np.where(where, value == "hdd", hdd)})
        return Step(out, where, (Shown(path, current.tolist(), [value] * frame.count, where),))
    if isinstance(value, str | bool):
        raise Unsupported(p["path"])
    name, given, there = _number(frame, path)
    where = there & ~np.isnan(given) & (given != value)
    out = frame.with_columns({name: np.where(where, value, given)})
    return Step(out, where, (Shown(path, given, np.full(frame.count, value), where),))


KINDS: dict[str, Kind] = {
    "scale": _scale,
    "shift_network": _shift_network,
    "scale_factor": _scale_factor,
    "cap": _cap,
    "floor": _floor,
    "region": _region,
    "right_size": _right_size,
    "off_hours": _off_hours,
    "switch": _switch,
    "cap_years": _cap_years,
}


@lru_cache(maxsize=256)
def _pattern(text: str) -> tuple[str, ...]:
    """A catalogue path's pattern, parsed once a run (each chunk's levers read the same few
    paths: 68 parses by regular expressions a chunk)."""
    return modelpath.pattern(modelpath.parse(text))


def block_of(change: Mapping[str, Any]) -> str | None:
    """The optional block a change touches alone (it changes nothing without it), or None."""
    if change["kind"] in _BLOCK_KINDS:
        return _BLOCK_KINDS[change["kind"]]
    texts = change.get("paths") or ([change["path"]] if "path" in change else [])
    heads = {_pattern(t)[0] for t in texts}
    return heads.pop() if len(heads) == 1 and heads <= set(BLOCKS) else None


def plain(q: Questionnaire) -> bool:
    """Whether the service has none of the optional blocks (the array path takes it)."""
    return q.ai is None and q.video is None and q.messages is None
