"""Questionnaires -> inventory: the activity quantities of N services for S factor samples.

Inputs are arrays of shape (N, 1) (or (N, S) when an input is itself uncertain), factor
values have shape (S,), so every formula broadcasts to (N, S) with no Python loop over
services or samples. A NaN input means "not given": the factor's default applies.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache, cached_property, lru_cache
from itertools import chain, repeat
from typing import Any

import numpy as np

from acvnum.calculation import servers as server_config
from acvnum.calculation.workloads import (
    AIArrays,
    MessageArrays,
    VideoArrays,
    ai_arrays,
    ai_inventory,
    gpu_lifetimes,
    message_arrays,
    message_inventory,
    video_arrays,
    video_inventory,
)
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.records import Hosting, Questionnaire
from acvnum.questionnaire.rules import (
    DEFAULT_NETWORK_MODEL,
    DEVICE_TYPES,
    EQUIPMENT_TYPES,
    NETWORK_MODELS,
    NETWORK_TYPES,
    SERVER_ARCHETYPES,
)
from acvnum.reference import defaults
from acvnum.reference.criteria import IMPACT_IDS
from acvnum.reference.defaults import DEFAULT_REGION
from acvnum.reference.factors import FactorValues

HOURS_PER_YEAR = units.DAYS_PER_YEAR * 24


@dataclass(frozen=True)
class Activity:
    """One row of the inventory: what it measures and where it belongs in the breakdowns."""

    tier: str
    phase: str
    item: str
    unit: str
    #: From an optional block of the questionnaire: left out of the by-item breakdowns of a
    #: service that does not use it, so that such a service reads as it did before the block.
    optional: bool = False


ACTIVITIES: tuple[Activity, ...] = (
    *(Activity("terminals", "manufacturing", d, "device share") for d in DEVICE_TYPES),
    *(Activity("terminals", "use", d, "kWh") for d in DEVICE_TYPES),
    # Devices kept whole over the period (terminals.equipment), apart from the visits'.
    *(Activity("terminals", "manufacturing", k, "device share", True) for k in EQUIPMENT_TYPES),
    *(Activity("terminals", "use", k, "kWh", True) for k in EQUIPMENT_TYPES),
    Activity("network", "manufacturing", "fixed", "GB"),
    Activity("network", "manufacturing", "mobile", "GB"),
    Activity("network", "use", "fixed", "kWh"),
    Activity("network", "use", "mobile", "kWh"),
    Activity("network", "manufacturing", "box", "box share"),
    Activity("network", "use", "box", "kWh"),
    # The optional blocks' traffic over the users' networks, kept apart from the visits'.
    Activity("network", "manufacturing", "video", "GB", optional=True),
    Activity("network", "use", "video", "kWh", optional=True),
    Activity("network", "manufacturing", "messages", "GB", optional=True),
    Activity("network", "use", "messages", "kWh", optional=True),
    Activity("datacenter", "manufacturing", "servers", "server share"),
    Activity("datacenter", "use", "servers", "kWh"),
    Activity("datacenter", "manufacturing", "storage", "TB-lifetime"),
    Activity("datacenter", "use", "storage", "kWh"),
    # Optional workload blocks (acvnum.calculation.workloads): zero when a block is absent.
    Activity("datacenter", "use", "ai", "kWh", optional=True),
    Activity("datacenter", "manufacturing", "ai_gpus", "GPU share", optional=True),
    Activity("datacenter", "manufacturing", "ai_servers", "server share", optional=True),
    Activity("datacenter", "use", "video", "kWh", optional=True),
    Activity("datacenter", "manufacturing", "video", "server share", optional=True),
    Activity("datacenter", "use", "messages", "kWh", optional=True),
    Activity("datacenter", "manufacturing", "messages", "TB-lifetime", optional=True),
    Activity("datacenter", "manufacturing", "network_gear", "server-year"),
    Activity("datacenter", "manufacturing", "building", "server-year"),
)
TIERS = ("terminals", "network", "datacenter")
PHASES = ("manufacturing", "use")


def label_mask(attribute: str, labels: tuple[str, ...]) -> np.ndarray:
    """(labels, activities) of 0/1: which activities each tier or phase label sums over."""
    return np.array(
        [[getattr(a, attribute) == label for a in ACTIVITIES] for label in labels], dtype=float
    )


N_DEVICES = len(DEVICE_TYPES)
N_EQUIPMENT = len(EQUIPMENT_TYPES)


def _column(values: Sequence[float | None]) -> np.ndarray:
    """Per-service scalars (a list or a tuple) -> (N, 1), None -> NaN."""
    if None in values:
        if values.count(None) == len(values):  # a field no one gave (most server parts)
            return np.full(len(values), np.nan)[:, np.newaxis]
        values = [np.nan if v is None else v for v in values]
    # fromiter: a list of floats read in a third of np.array's time (the same doubles)
    return np.fromiter(values, dtype=float, count=len(values))[:, np.newaxis]


def _over(values: Sequence[float | None], divisor: float) -> list[float | None]:
    """Each value over `divisor` (a unit), None kept; no pass where all are None."""
    if values.count(None) == len(values):
        return list(values)
    return [None if v is None else v / divisor for v in values]


@dataclass(frozen=True, eq=False)
class ServerArrays:
    """Every server group of every service, flattened: shape (M, 1) each, `service` (M,)."""

    service: np.ndarray
    count: np.ndarray
    virtual: np.ndarray
    vcpu: np.ndarray
    utilization: np.ndarray
    lifetime_years: np.ndarray
    power: np.ndarray
    archetype: np.ndarray  # (M, 1) indexes into SERVER_ARCHETYPES
    parts: dict[str, np.ndarray]  # servers.PARTS -> (M, 1), NaN where not given
    #: A named cloud instance's factor prefix ('cloud.aws.m5.large') and provider, per group.
    cloud: list[str | None] = field(default_factory=list)
    provider: list[str | None] = field(default_factory=list)

    @cached_property
    def all_medium(self) -> bool:
        """Whether every group is the default medium server with no part given: worked out
        once (the arrays are never written in place; a change is a new ServerArrays), where
        the power, the manufacturing and the engine's servers row each asked it of some
        10,000 groups in a lever pass."""
        return server_config.all_medium(self.archetype, self.parts)

    @cached_property
    def named(self) -> bool:
        """Whether a group names a cloud instance (else none has the cloud model's power)."""
        return self.cloud.count(None) != len(self.cloud)


@dataclass(frozen=True, eq=False)
class SharedArrays:
    """Every shared-platform entry of every service: shape (K, 1) each, `service` (K,)."""

    service: np.ndarray
    per: np.ndarray  # (K,) index into SHARED_BASES
    share: np.ndarray
    energy: np.ndarray  # kWh per unit, NaN where the default intensity applies


SHARED_BASES = ("gb", "hour", "visit")


class Regions(Sequence[str]):
    """Each service's region (an ISO code of the electricity tables) as an index into a few
    distinct names: a Sequence of the names, whose engine rows, lever passes and coverage
    read `codes` (a gather a row) instead of a text a service (dict look-ups of 4,341 texts
    a lever pass: some 1 ms a chunk of 500). Immutable, as the arrays are."""

    __slots__ = ("codes", "names")

    def __init__(self, names: tuple[str, ...], codes: np.ndarray) -> None:
        self.names = names  # the names the codes index (some may be unused)
        self.codes = codes  # (N,) intp
        codes.flags.writeable = False

    @classmethod
    def of(cls, regions: Iterable[str]) -> Regions:
        """Regions from their names, one a service (distinct names in order of first use)."""
        regions = list(regions)
        names = tuple(dict.fromkeys(regions))
        if len(names) == 1:  # one region for all (a lever pass's most often)
            return cls(names, np.zeros(len(regions), dtype=np.intp))
        index = {name: k for k, name in enumerate(names)}
        return cls(names, np.fromiter(map(index.__getitem__, regions), np.intp, len(regions)))

    def used(self) -> np.ndarray:
        """(names,) whether some service is in each name's region."""
        return np.bincount(self.codes, minlength=len(self.names)) > 0

    def taken(self, rows: np.ndarray) -> Regions:
        """The regions of services `rows` (a row may repeat)."""
        return Regions(self.names, np.take(self.codes, rows))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.names[c] for c in self.codes[index].tolist()]
        return self.names[self.codes[index]]

    def __iter__(self) -> Iterator[str]:
        return map(self.names.__getitem__, self.codes.tolist())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Regions) and other.names == self.names:
            return np.array_equal(self.codes, other.codes)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a value compared by its services' regions

    def __repr__(self) -> str:
        return f"Regions({list(self)!r})"


@dataclass(frozen=True, eq=False)
class ServiceArrays:
    """The questionnaire answers of N services as arrays, in base units."""

    period_years: np.ndarray
    visits: np.ndarray
    hours: np.ndarray
    gigabytes: np.ndarray
    device_shares: np.ndarray  # (N, 1, devices)
    network_shares: np.ndarray  # (N, 1, networks)
    network_model: np.ndarray  # (N, 1) index into NETWORK_MODELS
    user_region: Regions
    terminal_region: Regions  # the devices' electricity (terminals.location, else users')
    #: Device parameters given in the questionnaire's `terminals:` section, (N, 1, devices)
    #: per key (lifetime in years, hours_per_day in hours, power in W: the units of their
    #: factors, see reference.defaults.DEVICE_DEFAULTS), NaN where not given.
    device_given: dict[str, np.ndarray]
    #: Each visit device type's standby draw (W) given in `terminals:`, 0 where not: the
    #: French reference counts active use only. (N, 1, devices)
    device_standby: np.ndarray
    #: Devices kept over the period by all the users (users x terminals.equipment), (N, 1,
    #: kinds), and the parameters given for them, as device_given (standby in W).
    equipment: np.ndarray
    equipment_given: dict[str, np.ndarray]
    host_region: Regions
    hosted: np.ndarray  # 1 where the hosting section is given
    pue: np.ndarray
    environments: np.ndarray
    #: 1 where the data centre's infrastructure is shared per kW of IT, 0 per server.
    infrastructure_per_kw: np.ndarray
    storage_tb: np.ndarray
    storage_hdd: np.ndarray
    replicas: np.ndarray
    servers: ServerArrays
    ai: AIArrays
    video: VideoArrays
    messages: MessageArrays
    shared: SharedArrays
    #: Per-service multipliers of device factors, (N, 1) each: the hook for levers that
    #: change a model assumption rather than an answer (e.g. devices kept longer).
    factor_scale: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.visits.shape[0]

    def factor(self, f: FactorValues, factor_id: str) -> np.ndarray:
        """A factor's values, scaled per service where an override applies: (S,) or (N, S)."""
        scale = self.factor_scale.get(factor_id)
        return f[factor_id] if scale is None else scale * f[factor_id]


#: A server group's fields `_server_arrays` reads, at once (one C call a group).
_SERVER_FIELDS = operator.attrgetter(
    "count", "type", "vcpu", "utilization", "lifetime", "power", "archetype", "provider",
    "instance", "cpus", "cores", "memory", "ssd", "gpus",
)  # fmt: skip


def _server_arrays(hosting: list[Any]) -> ServerArrays:
    """Every server group's arrays, from each service's hosting (a record with no servers
    where it has none): each group's fields read in one call, then a column each (a column
    read group by group was a look-up a field and group). A field no group gives (a
    portfolio's archetypes, instances, lifetimes and parts) is not read group by group."""
    servers = [h.servers for h in hosting]
    groups = list(chain.from_iterable(servers))
    columns = list(zip(*map(_SERVER_FIELDS, groups), strict=True)) or [()] * 14
    count, kind, vcpu, utilization, lifetime, power, archetype, provider, instance = columns[:9]
    m = len(groups)
    named = instance.count(None) != m
    return ServerArrays(
        service=np.repeat(np.arange(len(hosting)), list(map(len, servers))),
        count=_column(count),
        virtual=_column([float(t == "virtual") for t in kind]),
        vcpu=_column(vcpu),
        utilization=_column(utilization),
        lifetime_years=_column(_over(lifetime, units.SECONDS_PER_YEAR)),
        power=_column(power),
        cloud=[g.cloud_prefix for g in groups] if named else [None] * m,
        provider=list(provider),
        archetype=_archetypes(archetype),
        parts=_server_parts(*columns[9:]),
    )


def _archetypes(archetype: Sequence[str | None]) -> np.ndarray:
    """(M, 1) indexes into SERVER_ARCHETYPES, the default's where none is given."""
    default = SERVER_ARCHETYPES.index(server_config.DEFAULT_ARCHETYPE)
    if archetype.count(None) == len(archetype):
        return np.full((len(archetype), 1), default, dtype=int)
    return np.array(
        [SERVER_ARCHETYPES.index(a) if a else default for a in archetype], dtype=int
    ).reshape(-1, 1)


def _server_parts(
    cpus: Sequence[Any],
    cores: Sequence[Any],
    memory: Sequence[Any],
    ssd: Sequence[Any],
    gpus: Sequence[Any],
) -> dict[str, np.ndarray]:
    """The configuration given per group (its fields' columns), in the units of the
    archetype factors (GB, TB)."""
    return {
        "cpus": _column(cpus),
        "cores": _column(cores),
        "memory": _column(_over(memory, units.BYTES_PER_GB)),
        "ssd": _column(_over(ssd, units.BYTES_PER_TB)),
        "gpus": _column(gpus),
    }


def _shared_arrays(hosting: Sequence[Any]) -> SharedArrays:
    """Every shared-platform entry of every service's hosting (a record with none where it
    has no hosting)."""
    rows = [(i, e) for i, h in enumerate(hosting) if h.shared for e in h.shared]
    return SharedArrays(
        service=np.array([i for i, _ in rows], dtype=int),
        per=np.array([SHARED_BASES.index(e.per) for _, e in rows], dtype=int),
        share=_column([e.share for _, e in rows]),
        energy=_column([e.energy for _, e in rows]),
    )


def _per_group(
    names: list[str | None], template: str, f: FactorValues, default: np.ndarray | float
) -> np.ndarray:
    """(M, S): each server group's factor `template` names with its own name (a cloud
    instance's prefix, a provider) where it has one in the tables, else `default`.

    One row per distinct name, then one gather: no array per group (broadcasting one per
    group took half of a 1,000-service run with levers), and no factor id written per group
    (a lever pass has some 10,000 groups, a handful of names).
    """
    if not names:
        return np.zeros((0, f.samples))
    # One name for every group (most often none, in a lever pass): no gather.
    alike = names.count(names[0]) == len(names)
    codes: dict[str | None, int] = {}
    for name in (names[0],) if alike else dict.fromkeys(names):  # the distinct names, in order
        codes[name] = len(codes) + 1 if name and template.format(name) in f.table else 0
    rows = np.empty((max(codes.values()) + 1, f.samples))
    rows[0] = default
    for name, code in codes.items():
        if code:
            rows[code] = f[template.format(name)]
    if alike:  # every row is the one name's (or the default)
        return np.broadcast_to(rows[codes[names[0]]], (len(names), f.samples)).copy()
    return rows[list(map(codes.__getitem__, names))]


def _cloud_power(g: ServerArrays, f: FactorValues, utilization: np.ndarray) -> np.ndarray:
    """(M, S) W of each group's named instances: vCPUs x the provider's per-vCPU power at
    the utilisation (Cloud Carbon Footprint's linear model); NaN for other groups."""
    idle = _per_group(g.provider, "cloud.power.{}_idle", f, np.nan)
    peak = _per_group(g.provider, "cloud.power.{}_max", f, np.nan)
    vcpu = _per_group(g.cloud, "{}.vcpu", f, np.nan)
    return g.count * vcpu * (idle + (peak - idle) * utilization)


#: The factors a per-service override may scale: those read per service by `_terminals`.
SCALABLE_FACTORS = frozenset(
    defaults.device_factor_id(d, key) for d in DEVICE_TYPES for key in defaults.DEVICE_DEFAULTS
)


def _factor_scale(overrides: list[Mapping[str, float]] | None, n: int) -> dict[str, np.ndarray]:
    """Per-service overrides -> {factor id: (N, 1) multipliers}, 1 where not overridden."""
    overrides = overrides or [{}] * n
    ids = sorted({fid for o in overrides for fid in o})
    unknown = [fid for fid in ids if fid not in SCALABLE_FACTORS]
    if unknown:
        raise ValueError(f"factors {unknown} cannot be scaled per service")
    return {fid: _column([o.get(fid, 1.0) for o in overrides]) for fid in ids}


#: (row, its `terminals:` block) of the services that have one: most have none, and their
#: settings are NaN (their kept equipment 0) without a look at each.
Terminals = list[tuple[int, Any]]


def _with_terminals(terminals: Sequence[Any]) -> Terminals:
    """(row, block) of each questionnaire's `terminals:` block given (`terminals`: each
    one's, None where it has none)."""
    if terminals.count(None) == len(terminals):  # most portfolios: none
        return []
    return [(i, t) for i, t in enumerate(terminals) if t is not None]


def _settings(
    n: int, terminals: Terminals, kinds: tuple[str, ...], key: str, divisor: float
) -> np.ndarray:
    """(N, 1, kinds): `terminals.<kind>.<key>` of each service over `divisor` (its factor's
    unit), NaN where not given."""
    values = np.full((n, 1, len(kinds)), np.nan)
    for i, block in terminals:
        for k, kind in enumerate(kinds):
            value = block.setting(kind, key)
            if value is not None:
                values[i, 0, k] = value / divisor
    return values


def _device_given(n: int, terminals: Terminals) -> dict[str, np.ndarray]:
    """{`terminals:` key: (N, 1, devices)} of the values set there, in their factor's unit
    (reference.defaults.DEVICE_DEFAULTS), NaN elsewhere."""
    return {
        key: _settings(n, terminals, DEVICE_TYPES, key, divisor)
        for key, (_, divisor) in defaults.DEVICE_DEFAULTS.items()
    }


def _equipment(
    services: list[Questionnaire], terminals: Terminals
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(devices kept by all users (N, 1, kinds), {key: (N, 1, kinds) given, NaN elsewhere})."""
    n = len(services)
    counts = np.zeros((n, 1, N_EQUIPMENT))
    for i, block in terminals:
        kept = block.equipment
        if kept is not None:
            users = services[i].usage.users
            counts[i, 0] = [users * getattr(kept, kind) for kind in EQUIPMENT_TYPES]
    settings = {
        key: _settings(n, terminals, EQUIPMENT_TYPES, key, divisor)
        for key, (_, divisor) in defaults.EQUIPMENT_DEFAULTS.items()
    }
    return counts, settings


def with_factor_scale(arrays: ServiceArrays, overrides: list[Mapping[str, float]]) -> ServiceArrays:
    """The arrays with per-service factor multipliers, one mapping per row (see service_arrays)."""
    return replace(arrays, factor_scale=_factor_scale(overrides, arrays.count))


def service_arrays(
    services: list[Questionnaire], factor_scale: list[Mapping[str, float]] | None = None
) -> ServiceArrays:
    """Stack the answers of N questionnaires into arrays (one pass over the models).

    `factor_scale`, one mapping per service, multiplies the named device factors for that
    service only (see SCALABLE_FACTORS).
    """
    n = len(services)
    usage, hosting, periods, ai, video, messages, devices = _fields(_QUESTIONNAIRE, services, 7)
    duration, data, models, located = _fields(_USAGE, usage, 4)
    # `is`, not `in`: a record's == is a Python call a service
    absent = any(map(operator.is_, hosting, repeat(None)))
    hosts = [h or _NO_HOSTING for h in hosting] if absent else hosting
    location, pue, environments, infrastructure, storage = _fields(_HOSTING, hosts, 5)
    visits = _column([q.visits for q in services])
    terminals = _with_terminals(devices)  # the `terminals:` blocks
    equipment, equipment_given = _equipment(services, terminals)
    user_region = _regions(located)
    return ServiceArrays(
        period_years=_column(periods) / units.SECONDS_PER_YEAR,
        visits=visits,
        hours=visits * _column(duration) / units.SECONDS_PER_HOUR,
        gigabytes=visits * _column(data) / units.BYTES_PER_GB,
        device_shares=_shares(_DEVICE_SHARES, [u.devices for u in usage], N_DEVICES),
        network_shares=_shares(_NETWORK_SHARES, [u.network for u in usage], len(NETWORK_TYPES)),
        network_model=_network_models(models),
        user_region=user_region,
        terminal_region=_terminal_regions(services, terminals, user_region),
        device_given=_device_given(n, terminals),
        device_standby=np.nan_to_num(_settings(n, terminals, DEVICE_TYPES, "standby", 1.0)),
        equipment=equipment,
        equipment_given=equipment_given,
        host_region=_regions(location),
        hosted=np.ones((n, 1))
        if hosts is hosting
        else _column([float(h is not None) for h in hosting]),
        pue=_column(pue),
        environments=_column(environments),
        infrastructure_per_kw=_column([float(i == "per_kw") for i in infrastructure]),
        storage_tb=_column([s.volume / units.BYTES_PER_TB if s else 0.0 for s in storage]),
        storage_hdd=_column([float(s is not None and s.type == "hdd") for s in storage]),
        replicas=_column([s.replicas if s else None for s in storage]),
        servers=_server_arrays(hosts),
        ai=_blocks(ai_arrays, services, ai),
        video=_blocks(video_arrays, services, video),
        messages=_blocks(message_arrays, services, messages),
        shared=_shared_arrays(hosts),
        factor_scale=_factor_scale(factor_scale, n),
    )


#: The answers service_arrays reads of each questionnaire, usage and hosting, each getter
#: reading one record's at once (one C call a record, then a column each by zip: a list
#: made a field and record was most of the reading).
_QUESTIONNAIRE = operator.attrgetter(
    "usage", "hosting", "period", "ai", "video", "messages", "terminals"
)
_USAGE = operator.attrgetter("visit_duration", "data_per_visit", "network_model", "location")
_HOSTING = operator.attrgetter("location", "pue", "environments", "infrastructure", "storage")
#: What a service without hosting reads as its hosting's answers: none given, one environment.
_NO_HOSTING = Hosting()


def _fields(getter: Callable[[Any], tuple[Any, ...]], records: list[Any], k: int) -> list[Any]:
    """The k fields `getter` reads, a tuple of every record's each (k empty ones: no record)."""
    return list(zip(*map(getter, records), strict=True)) or [()] * k


def _regions(located: Sequence[str | None]) -> Regions:
    """Each service's region, the default where none is given (as `location or default`)."""
    regions = Regions.of(located)
    names = regions.names
    if all(names):
        return regions
    if "" not in names and DEFAULT_REGION not in names:
        # None is the one name not given (names are distinct): the default's name for it
        return Regions(tuple(r or DEFAULT_REGION for r in names), regions.codes)
    return Regions.of([r or DEFAULT_REGION for r in located])


def _terminal_regions(
    services: list[Questionnaire], terminals: Terminals, users: Regions
) -> Regions:
    """The devices' regions: terminals.location, else the users' (the same Regions where no
    service has a `terminals:` block)."""
    if not terminals:
        return users
    located = [
        (q.terminals.location if q.terminals else None) or q.usage.location for q in services
    ]
    return _regions(located)


def _network_models(models: Sequence[str | None]) -> np.ndarray:
    """(N, 1) each service's network model as an index into NETWORK_MODELS (float)."""
    if models.count(None) == len(models):  # none given: the default's for all
        return np.full((len(models), 1), float(NETWORK_MODELS.index(DEFAULT_NETWORK_MODEL)))
    return _column([NETWORK_MODELS.index(m or DEFAULT_NETWORK_MODEL) for m in models])


#: Each device's or access's share, in DEVICE_TYPES's or NETWORK_TYPES's order.
_DEVICE_SHARES = operator.attrgetter(*DEVICE_TYPES)
_NETWORK_SHARES = operator.attrgetter(*NETWORK_TYPES)


def _shares(fields: Callable[[Any], tuple[float, ...]], records: list[Any], k: int) -> np.ndarray:
    """(N, 1, k) of each record's k shares, read by one fromiter over them all (np.array of
    N tuples looked at each tuple and number: 4 times as long, the same doubles)."""
    flat = chain.from_iterable(map(fields, records))
    return np.fromiter(flat, float, len(records) * k).reshape(len(records), 1, k)


def _blocks(build: Any, services: list[Questionnaire], blocks: list[Any]) -> Any:
    """`build(services)` for an optional block (ai, video, messages): when no service has
    one (most portfolios), every row is the same absent block's, built for the first
    service and spread over the others (`spread_rows`), not built again for each."""
    if any(blocks) or not services:
        return build(services)
    return spread_rows(build(services[:1]), len(services))


def spread_rows(value: Any, k: int) -> Any:
    """A block's arrays (and lists, dicts, blocks of them) whose every row is the same, at k
    rows: its first row spread over them, a read-only view of it (an absent block's: not a
    gather, nor a copy, of each of its arrays)."""
    if isinstance(value, np.ndarray):
        return _first_row_spread(value, k)
    if isinstance(value, list):
        return value[:1] * k
    if isinstance(value, dict):
        return {key: spread_rows(item, k) for key, item in value.items()}
    return replace(value, **{f.name: spread_rows(getattr(value, f.name), k) for f in fields(value)})


def _first_row_spread(value: np.ndarray, k: int) -> np.ndarray:
    """`np.broadcast_to(value[:1], (k, ...))`: the first row at k rows, a read-only view
    (stride 0 down the rows), made by the ndarray constructor over that row where it is one
    contiguous buffer of numbers (all an absent block holds): broadcast_to's checks took
    3 us an array, some 20 arrays a block spread three times a chunk (0.25 ms a chunk)."""
    first = value[:1]
    shape = (k, *value.shape[1:])
    if not first.flags.c_contiguous or value.dtype.hasobject:
        return np.broadcast_to(first, shape)
    spread = np.ndarray(shape, value.dtype, first, 0, (0, *value.strides[1:]))
    spread.flags.writeable = False
    return spread


# --- variants: rows of the arrays taken again, some of their answers changed -------------

#: A questionnaire path whose value the arrays hold ("*" stands for a server's index).
InputPath = tuple[str | int, ...]
Edit = tuple[int, InputPath, Any]  # (row of the arrays, questionnaire path, value in base units)


def _server_rows(servers: ServerArrays, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The server groups of services `rows`, in order: (their rows, the first of each service).

    Groups are stored service after service, so a service's groups are one contiguous run.
    """
    counts = np.bincount(servers.service, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    taken = counts[rows]
    firsts = np.concatenate(([0], np.cumsum(taken)[:-1])).astype(int)
    within = np.arange(int(taken.sum())) - np.repeat(firsts, taken)
    return (np.repeat(starts[rows], taken) + within).astype(int), firsts


def rows_of(value: Any, index: np.ndarray) -> Any:
    """A per-service field at rows `index`: arrays, lists, dicts of them, blocks of them."""
    if isinstance(value, np.ndarray):
        # np.take: the rows fancy indexing gives, some 20x faster on (N, 1, k) arrays
        return np.take(value, index, axis=0)
    if isinstance(value, Regions):
        return value.taken(index)
    if isinstance(value, list):
        if value and value.count(value[0]) == len(value):  # one value (no AI block, no cloud)
            return [value[0]] * len(index)
        return list(map(value.__getitem__, index.tolist()))
    if isinstance(value, dict):
        return {key: rows_of(item, index) for key, item in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: rows_of(getattr(value, f.name), index) for f in fields(value)}
        )
    raise TypeError(f"cannot take rows of {type(value).__name__}")


def take(arrays: ServiceArrays, rows: Sequence[int]) -> ServiceArrays:
    """The arrays of the services at `rows` (a row may repeat): one per variant to evaluate."""
    index = np.asarray(rows, dtype=int)
    columns = {
        f.name: rows_of(getattr(arrays, f.name), index)
        for f in fields(arrays)
        if f.name not in GROUPED_FIELDS
    }
    grouped = {
        name: take_grouped(getattr(arrays, name), index, arrays.count) for name in GROUPED_FIELDS
    }
    return replace(arrays, **columns, **grouped)


#: Fields stored per group or entry of a service (their own `service` index), not per service.
GROUPED_FIELDS = ("servers", "shared")


def take_grouped(g: Any, index: np.ndarray, n: int) -> Any:
    """The groups (server groups, shared platforms) of services `index`, renumbered."""
    group_index, _ = _server_rows(g, index, n)
    taken = {
        f.name: rows_of(getattr(g, f.name), group_index) for f in fields(g) if f.name != "service"
    }
    owners = np.repeat(np.arange(len(index)), np.bincount(g.service, minlength=n)[index])
    return replace(g, service=owners.astype(int), **taken)


def _per_visit(s: ServiceArrays, rows: np.ndarray, values: np.ndarray, per: float) -> np.ndarray:
    """A per-visit answer over all visits, as service_arrays computes it (same operations)."""
    return s.visits[rows] * values[:, np.newaxis] / per


#: How a changed answer reaches the arrays: path -> (field, conversion from the base unit).
#: The conversions repeat service_arrays' operations, so a variant's arrays hold the very
#: numbers service_arrays would compute from a changed copy of the questionnaire.
_SERVICE_INPUTS: dict[InputPath, str] = {
    ("usage", "visit_duration"): "hours",
    ("usage", "data_per_visit"): "gigabytes",
    ("hosting", "location"): "host_region",
    ("hosting", "pue"): "pue",
    ("hosting", "environments"): "environments",
    ("hosting", "storage", "volume"): "storage_tb",
    ("hosting", "storage", "type"): "storage_hdd",
    ("hosting", "storage", "replicas"): "replicas",
    **{("usage", "devices", d): "device_shares" for d in DEVICE_TYPES},
    **{("usage", "network", n): "network_shares" for n in NETWORK_TYPES},
}
_SERVER_INPUTS = {
    "count": "count",
    "utilization": "utilization",
    "power": "power",
    "lifetime": "lifetime_years",
    "vcpu": "vcpu",
}


def _converted(path: InputPath, values: list[Any]) -> np.ndarray | list[str]:
    """Answers in base units -> what the arrays hold for them (before any per-visit product)."""
    key = path[-1]
    if key == "location":
        return [v or DEFAULT_REGION for v in values]
    if key == "type":
        return np.array([float(v == "hdd") for v in values])
    column = np.array([np.nan if v is None else v for v in values], dtype=float)
    if key == "volume":
        return column / units.BYTES_PER_TB
    if key == "lifetime":
        return column / units.SECONDS_PER_YEAR
    return column


#: Answers another part of the arrays also reads for some questionnaires: a self-hosted AI
#: model draws on the hosting's location and PUE where it names none of its own.
_SHARED_WITH_AI = frozenset({("hosting", "location"), ("hosting", "pue")})


@lru_cache(maxsize=4096)
def _edit_pattern(path: InputPath) -> tuple[str, ...]:
    """An edit's path as a pattern: edits name a few paths thousands of times (levers)."""
    return modelpath.pattern(path)


@cache
def _held(pattern: tuple[str, ...]) -> bool:
    """Whether the arrays hold the answer at `pattern` as it is (see with_inputs)."""
    server = pattern[:3] == ("hosting", "servers", "*") and pattern[3:] in [
        (key,) for key in _SERVER_INPUTS
    ]
    return server or pattern in _SERVICE_INPUTS


def edits_in_place(q: Questionnaire, paths: Iterable[InputPath]) -> bool:
    """Whether `with_inputs` gives exactly the arrays of `q` with the values at `paths`
    changed; where it does not (a path the arrays derive more from), evaluate a changed copy."""
    for path in paths:
        pattern = _edit_pattern(path)
        if not _held(pattern):
            return False
        if pattern in _SHARED_WITH_AI and q.ai is not None and q.ai.self_hosted is not None:
            return False
    return True


def with_inputs(arrays: ServiceArrays, edits: Sequence[Edit]) -> ServiceArrays:
    """The arrays with some answers changed: each edit sets one row's value at one path.

    Edits are grouped by path and written with one array assignment per path; a path the
    arrays do not hold (the name, the budgets...) is a ValueError: it cannot change a figure.
    """
    groups: dict[InputPath, list[tuple[int, InputPath, Any]]] = {}
    for edit in edits:
        groups.setdefault(_edit_pattern(edit[1]), []).append(edit)
    services: dict[str, Any] = {}
    servers: dict[str, np.ndarray] = {}
    _, firsts = _server_rows(arrays.servers, np.arange(arrays.count), arrays.count)
    for path, group in groups.items():
        server = path[:3] == ("hosting", "servers", "*") and path[3] in _SERVER_INPUTS
        if not server and path not in _SERVICE_INPUTS:
            raise ValueError(f"{'.'.join(map(str, path))} is not an input of the engine")
        rows = np.array([row for row, _, _ in group], dtype=int)
        values = _converted(path, [value for _, _, value in group])
        if server:
            name = _SERVER_INPUTS[str(path[3])]
            column = servers.setdefault(name, getattr(arrays.servers, name).copy())
            column[firsts[rows] + np.array([p[2] for _, p, _ in group], dtype=int), 0] = values
        else:
            name = _SERVICE_INPUTS[path]
            current = services.get(name, getattr(arrays, name))
            services[name] = _written(arrays, name, path, rows, values, current)
    return replace(arrays, **services, servers=replace(arrays.servers, **servers))


def _written(
    s: ServiceArrays,
    name: str,
    path: InputPath,
    rows: np.ndarray,
    values: np.ndarray | list[str],
    current: np.ndarray | Regions,
) -> np.ndarray | Regions:
    """A copy of one field with `values` written at `rows`."""
    if isinstance(current, Regions):
        out = list(current)
        for row, value in zip(rows, values, strict=True):
            out[row] = value
        return Regions.of(out)
    out = current.copy()
    assert isinstance(values, np.ndarray)
    if name == "hours":
        out[rows] = _per_visit(s, rows, values, units.SECONDS_PER_HOUR)
    elif name == "gigabytes":
        out[rows] = _per_visit(s, rows, values, units.BYTES_PER_GB)
    elif name in ("device_shares", "network_shares"):
        kinds = DEVICE_TYPES if name == "device_shares" else NETWORK_TYPES
        out[rows, 0, kinds.index(str(path[-1]))] = values
    else:
        out[rows, 0] = values
    return out


def _default(given: np.ndarray, default: np.ndarray) -> np.ndarray:
    """The input where given, else the factor's value (broadcast over samples).

    Where no row gives it (a portfolio's terminals settings, servers' lifetimes and
    utilisations, mostly) it is `default` itself, not spread over the rows, and where every
    row does, `given` itself: np.where would pick the same values, and what they enter
    broadcasts them as it did (a chain of factors is then worked out once, not per service:
    the devices' lifetimes, hours and powers)."""
    missing = np.isnan(given)
    if missing.all():
        return default
    if not missing.any():
        return given
    return np.where(missing, default, given)


def _terminals(s: ServiceArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray]:
    """(device shares of manufacturing, kWh), each (devices, N, S or 1): kinds first, so
    that each product runs over the services with one value per kind and sample (kinds
    last, a product with the devices' (S, devices) factors ran numpy's loop 5 values at
    a time), and each kind's column is contiguous."""

    def per_device(key: str) -> np.ndarray:
        """The questionnaire's value where given, else its default; then a lever's scale
        (none where no service's is set: x * 1 is x)."""
        ids = [defaults.device_factor_id(d, key) for d in DEVICE_TYPES]
        factors = np.stack([f[i] for i in ids])[:, np.newaxis, :]  # (devices, 1, S)
        values = _default(_kinds_first(s.device_given[key]), factors)
        scales = [s.factor_scale.get(i) for i in ids]
        if all(x is None for x in scales):
            return values
        ones = np.ones_like(s.visits)
        return values * np.stack([ones if x is None else x for x in scales])

    device_hours = s.hours * _kinds_first(s.device_shares)
    hours_a_day = per_device("hours_per_day")
    active_hours_in_life = per_device("lifetime") * hours_a_day * units.DAYS_PER_YEAR
    manufacturing = device_hours / active_hours_in_life
    # Standby, where given, is carried as manufacturing is: each hour of use carries the
    # idle hours of the owner's day over its active ones.
    idle_watts = _kinds_first(s.device_standby) * (24 - hours_a_day) / hours_a_day
    use_kwh = device_hours * (per_device("power") + idle_watts) / 1000
    return manufacturing, use_kwh


def _kinds_first(values: np.ndarray) -> np.ndarray:
    """(N, 1 or S, kinds) -> (kinds, N, 1 or S), a contiguous copy."""
    return np.ascontiguousarray(np.moveaxis(values, -1, 0))


def _kept(s: ServiceArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray]:
    """(device lifetimes made, kWh), each (N, S, kinds), of the devices kept whole over the
    period: each one's life share is the period over its lifetime, and it draws its active
    power for its hours a day and its standby power the rest of the day."""

    def per_kind(key: str) -> np.ndarray:
        ids = [defaults.device_factor_id(k, key) for k in EQUIPMENT_TYPES]
        factors = np.stack([f[i] for i in ids], axis=-1)  # (S, kinds)
        return _default(s.equipment_given[key], factors)  # (N, S, kinds)

    device_years = s.equipment * s.period_years[..., np.newaxis]
    hours = per_kind("hours_per_day")
    watts = hours * per_kind("power") + (24 - hours) * per_kind("standby")  # Wh a day
    return device_years / per_kind("lifetime"), device_years * units.DAYS_PER_YEAR * watts / 1000


def _network(
    s: ServiceArrays, f: FactorValues, gigabytes: np.ndarray, hours: np.ndarray
) -> np.ndarray:
    """`_network_columns` stacked on a last axis: (N, S, 6)."""
    return np.stack(np.broadcast_arrays(*_network_columns(s, f, gigabytes, hours)), axis=-1)


def _network_columns(
    s: ServiceArrays, f: FactorValues, gigabytes: np.ndarray, hours: np.ndarray
) -> list[np.ndarray]:
    """(fixed GB, mobile GB, fixed kWh, mobile kWh, box share, box kWh), each broadcastable
    to (N, S), for `gigabytes` and connection `hours` ((N, 1) or (N, S)) over the service's
    access networks.

    Three allocations (NETWORK_MODELS), each worked out where a service takes it, picked
    per service (`_per_model`):
    - per_gb, the ADEME reference (RCP, NegaOctet): equipment (GB) and electricity (kWh/GB)
      per GB; the box per GB of the line's yearly traffic, as the reference allocates it;
    - energy: electricity per GB only, the box by time;
    - power: a baseline per connection-hour plus a marginal per GB, equipment per GB, the
      box by time. Cutting data then saves only the marginal part.
    Every column is linear in the GB and the hours: the visits' traffic and each block's
    (GB without hours of their own) are computed apart and add up to their sum's. Each
    access's column is its own contiguous array (a product per access: the same products
    as over an (N, S, accesses) array, whose columns were strided operands of every later
    product).
    """
    models = _models(s.network_model)
    shares = [s.network_shares[..., k] for k in range(len(NETWORK_TYPES))]
    gb = [gigabytes * share for share in shares]
    time = [hours * share for share in shares]

    def factor(k: int, quantity: str) -> np.ndarray:
        return f[f"network.{NETWORK_TYPES[k]}.{quantity}"]

    def kwh(k: int) -> np.ndarray:
        return _per_model(
            s.network_model,
            models,
            lambda: gb[k] * factor(k, "intensity"),
            lambda: gb[k] * factor(k, "energy"),
            lambda: time[k] * factor(k, "baseline") / 1000 + gb[k] * factor(k, "marginal"),
        )

    def equipment(k: int) -> np.ndarray:
        return _per_model(
            s.network_model, models, lambda: gb[k], lambda: np.zeros_like(gb[k]), lambda: gb[k]
        )

    lifetime, traffic = f["network.box.lifetime"], f["network.box.traffic"]
    box_power_kw = f["network.box.power"] / 1000
    by_time = (lambda: time[0] / (lifetime * HOURS_PER_YEAR), lambda: time[0] * box_power_kw)
    box_share = _per_model(
        s.network_model, models, lambda: gb[0] / (traffic * lifetime), by_time[0], by_time[0]
    )
    box_kwh = _per_model(
        s.network_model,
        models,
        lambda: gb[0] * box_power_kw * HOURS_PER_YEAR / traffic,
        by_time[1],
        by_time[1],
    )
    return [equipment(0), equipment(1), kwh(0), kwh(1), box_share, box_kwh]


def _models(model: np.ndarray) -> list[int]:
    """The network models (indexes into NETWORK_MODELS) some service takes."""
    return [m for m in range(len(NETWORK_MODELS)) if (model == m).any()]


def _per_model(
    model: np.ndarray, present: list[int], *made: Callable[[], np.ndarray]
) -> np.ndarray:
    """Each service's column under its network model (`model` (N, 1) indexes `made`, one
    maker per NETWORK_MODELS), worked out only for the models `present` (mostly one: its
    column as it is, np.where's pick of its values), else picked by np.where."""
    if len(present) == 1:
        return made[present[0]]()
    columns = {m: made[m]() for m in present}
    picked = columns[present[-1]]
    for m in reversed(present[:-1]):
        picked = np.where(model == m, columns[m], picked)
    return picked


def network_per_gb(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(N, S, 6): the network columns of one GB of a block's traffic (no connection time of
    its own: a block's data flows during the visits), for each service's access mix."""
    one = np.ones_like(s.visits)
    return np.broadcast_to(_network(s, f, one, np.zeros_like(one)), (s.count, f.samples, 6))


_SERVER_LIFETIME = ("hosting", "servers", "*", "lifetime")
_SERVER_UTILIZATION = ("hosting", "servers", "*", "utilization")


def _per_service(values: np.ndarray, service: np.ndarray, n: int) -> np.ndarray:
    """Sum (K, S, q) rows of groups or entries into (N, S, q) by their service index.

    Added row after row from 0, as np.add.at adds them: one np.bincount per column where
    there are a few (a central pass: S = 1), np.add.at's own loop for samples."""
    width = int(np.prod(values.shape[1:]))
    if width > 8:
        totals = np.zeros((n, *values.shape[1:]))
        np.add.at(totals, service, values)
        return totals
    columns = values.reshape(len(values), width).T
    sums = [np.bincount(service, weights=c, minlength=n) for c in columns]
    return np.stack(sums, axis=-1).reshape(n, *values.shape[1:])


@dataclass(frozen=True, eq=False)
class _Groups:
    """Each server group's own figures, (M, S): hosts it occupies, their lifetime, watts."""

    units_of_host: np.ndarray
    lifetime: np.ndarray
    watts: np.ndarray


def _hosts(s: ServiceArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray]:
    """(M, S) each: the hosts each server group occupies, and their lifetime in years."""
    g = s.servers
    # A named cloud instance takes its vCPUs and its host's from the tables (cloud.*).
    vcpu = _default(g.vcpu, _per_group(g.cloud, "{}.vcpu", f, np.nan))
    host_vcpu = _per_group(g.cloud, "{}.host_vcpu", f, f["server.virtual.host_vcpu"])
    host_share = np.where(g.virtual == 1, vcpu / host_vcpu, 1.0)
    lifetime = _default(g.lifetime_years, f[defaults.factor_id(_SERVER_LIFETIME)])
    return g.count * host_share, lifetime


def _server_groups(s: ServiceArrays, f: FactorValues) -> _Groups:
    g = s.servers
    units_of_host, lifetime = _hosts(s, f)
    utilization = _default(g.utilization, f[defaults.factor_id(_SERVER_UTILIZATION)])
    idle_scale, peak_scale, gpu_w = server_config.power_scales(
        f, g.archetype, g.parts, g.all_medium
    )
    idle = f["server.physical.power_idle"] * idle_scale
    peak = f["server.physical.power_max"] * peak_scale + gpu_w
    modelled_w = units_of_host * (idle + (peak - idle) * utilization)
    if g.named:  # a named instance's power is the cloud model's (NaN elsewhere: not named)
        modelled_w = _default(_cloud_power(g, f, utilization), modelled_w)
    measured = ~np.isnan(g.power)
    if not measured.any():  # no power given: the model's (np.where's pick, the same bits)
        return _Groups(units_of_host, lifetime, modelled_w)
    watts = np.where(measured, g.count * np.nan_to_num(g.power), modelled_w)
    return _Groups(units_of_host, lifetime, watts)


def _own_servers(s: ServiceArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per service, summed over its server groups, per year and environment, each (N, S):
    medium-server lifetimes made, server-years hosted, watts drawn (before PUE). Each summed
    on its own (the same additions as over the three stacked: each sum is its own group's
    rows in order), so each is a contiguous column, not one of three strided ones."""
    g, groups = s.servers, _server_groups(s, f)
    equivalents = server_config.medium_equivalents(f, g.archetype, g.parts, g.all_medium)
    made = groups.units_of_host * equivalents / groups.lifetime
    shape = (len(g.service), f.samples)
    made, hosted, watts = (
        _per_service(np.broadcast_to(v, shape), g.service, s.count)
        for v in (made, groups.units_of_host, groups.watts)
    )
    return made, hosted, watts


def server_profile(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(N, S, impact criteria): each service's server manufacturing on every criterion over
    its carbon, both in medium servers (1 where all its servers are medium or shared).

    The inventory counts servers in medium servers by carbon; this profile lets a configured
    server weigh on minerals by its own components (acvnum.calculation.servers)."""
    g = s.servers
    shape = (s.count, f.samples, len(IMPACT_IDS))
    configured = np.flatnonzero(_configured(g))
    if not len(configured):  # every server a default medium one: no weighing to do
        return np.ones(shape)
    units_of_host, lifetime = _hosts(s, f)
    weights = server_config.criterion_weights(f, g.archetype, g.parts)  # (M, S, C)
    made = (units_of_host / lifetime)[..., np.newaxis] * weights
    made = np.broadcast_to(made, (len(g.service), *shape[1:]))
    years = (s.period_years * s.environments)[..., np.newaxis]
    shared = (_shared(s, f)[..., 0] / f["server.physical.lifetime"])[..., np.newaxis]
    total = _per_service(made, g.service, s.count) * years + shared
    carbon = total[..., :1]
    return np.divide(total, carbon, out=np.ones_like(total), where=carbon > 0)


def any_configured(s: ServiceArrays) -> bool:
    """Whether a server group of the services is not the default medium one (else every
    `server_profile` is 1)."""
    return not s.servers.all_medium


def _configured(g: ServerArrays) -> np.ndarray:
    """(M,) True where a group's server is not the default medium archetype."""
    medium = SERVER_ARCHETYPES.index(server_config.DEFAULT_ARCHETYPE)
    given = np.column_stack([~np.isnan(g.parts[p][:, 0]) for p in server_config.PARTS])
    return (g.archetype[:, 0] != medium) | given.any(axis=1)


def _shared(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """Per service, summed over its shared platforms, (N, S, 2): server-years, kWh.

    Each entry takes its share of the service's GB, hours or visits over the period, times
    the platform intensity (server-years and kWh per unit, PUE included in the kWh)."""
    e = s.shared
    if not len(e.service):  # no shared platform: the sums from 0 are all 0.0
        return np.zeros((s.count, f.samples, 2))
    amounts = np.concatenate([s.gigabytes, s.hours, s.visits], axis=1)  # (N, bases)
    amount = amounts[e.service, e.per][:, np.newaxis] * e.share
    intensities = {
        q: np.stack(np.broadcast_arrays(*(f[f"datacenter.shared.{b}.{q}"] for b in SHARED_BASES)))
        for q in ("server_years", "energy")
    }
    server_years = amount * intensities["server_years"][e.per]
    kwh = amount * _default(e.energy, intensities["energy"][e.per])
    per_entry = np.stack(np.broadcast_arrays(server_years, kwh), axis=-1)
    per_entry = np.broadcast_to(per_entry, (len(e.service), f.samples, 2))
    return _per_service(per_entry, e.service, s.count)


def _servers(s: ServiceArrays, f: FactorValues, pue: np.ndarray) -> tuple[np.ndarray, ...]:
    """(medium-server lifetimes of manufacturing, kWh, server-years, server-years of the
    infrastructure), each (N, S): own servers over the period and environments, plus the
    service's share of shared platforms.

    The infrastructure (building, cooling, power equipment) is counted per server-year of
    ADEME's reference server; per kW of IT, own servers count their watts over its 367 W."""
    (made, hosted, watts), shared = _own_servers(s, f), _shared(s, f)
    years = s.period_years * s.environments
    manufacturing = made * years + shared[..., 0] / f["server.physical.lifetime"]
    use_kwh = watts * years * HOURS_PER_YEAR / 1000 * pue + shared[..., 1]
    server_years = hosted * years + shared[..., 0]
    per_kw = watts / (1000 * f["datacenter.per_kw.server_power"]) * years
    infrastructure = np.where(s.infrastructure_per_kw == 1, per_kw, hosted * years)
    return manufacturing, use_kwh, server_years, infrastructure + shared[..., 0]


def _storage(s: ServiceArrays, f: FactorValues, pue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(TB-lifetimes of manufacturing, kWh), each (N, S)."""

    def by_type(quantity: str) -> np.ndarray:
        return np.where(
            s.storage_hdd == 1, f[f"storage.hdd.{quantity}"], f[f"storage.ssd.{quantity}"]
        )

    replicas = _default(s.replicas, f[defaults.factor_id(("hosting", "storage", "replicas"))])
    terabytes = s.storage_tb * replicas * s.environments
    manufacturing = terabytes * s.period_years / by_type("lifetime")
    use_kwh = terabytes * by_type("power") * s.period_years * HOURS_PER_YEAR / 1000 * pue
    return manufacturing, use_kwh


def inventory(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """The activity quantities, shape (N, S, activities), in the order of ACTIVITIES."""
    shape = (s.count, f.samples)
    return np.stack([np.broadcast_to(c, shape) for c in inventory_columns(s, f)], axis=-1)


def inventory_columns(s: ServiceArrays, f: FactorValues) -> list[np.ndarray]:
    """`inventory`'s columns before they are stacked, each broadcastable to (N, S)."""
    zero = np.zeros((s.count, 1))
    return [zero if c is None else c for c in present_columns(s, f)]


def present_columns(s: ServiceArrays, f: FactorValues) -> list[np.ndarray | None]:
    """`inventory_columns`, None for the columns of a part no service has (its amounts are
    0.0 in every row, worked out or not: the engine's totals leave them out unmade).

    A part is absent where the amounts every one of its columns multiplies are 0 in every
    row: kept equipment (no device kept), an AI block (no request, no self-hosted GPU, no
    training), video (no hour watched), messages (none sent). Each of its columns is then a
    sum of products of that 0 with finite, non-negative figures (factors are finite and
    within their bounds, answers checked), so 0.0, not -0.0. A lever pass has none of them:
    17 of its 39 columns, some 14 M of the 80 M instructions its three engine passes took
    a chunk of 500 (cachegrind)."""
    pue = _default(s.pue, f[defaults.factor_id(("hosting", "pue"))])
    device_manufacturing, device_kwh = _terminals(s, f)
    server_manufacturing, server_kwh, server_years, infrastructure_years = _servers(s, f, pue)
    storage_manufacturing, storage_kwh = _storage(s, f, pue)
    traffic, backend = _block_columns(s, f, pue)
    shape = (s.count, f.samples)
    return [
        *np.broadcast_to(device_manufacturing, (N_DEVICES, *shape)),
        *np.broadcast_to(device_kwh, (N_DEVICES, *shape)),
        *_kept_columns(s, f),
        *_network_columns(s, f, s.gigabytes, s.hours),
        *traffic,
        server_manufacturing,
        server_kwh,
        storage_manufacturing,
        storage_kwh,
        *_ai_columns(s, f),
        *backend,
        server_years,  # network gear
        infrastructure_years,  # building, cooling and power equipment
    ]


Columns = list[np.ndarray | None]


def _by_kind(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(N, S or 1, kinds) -> (kinds, N, S): a contiguous column per device kind, copied
    once (a strided column made every product it entered numpy's slow loop)."""
    spread = np.broadcast_to(values, (*shape, values.shape[-1]))
    return np.ascontiguousarray(np.moveaxis(spread, -1, 0))


def _kept_columns(s: ServiceArrays, f: FactorValues) -> Columns:
    """Kept devices' lifetimes made, then their kWh, a column per kind (None: none kept)."""
    if not s.equipment.any():
        return [None] * (2 * N_EQUIPMENT)
    kept_made, kept_kwh = _kept(s, f)
    shape = (s.count, f.samples, N_EQUIPMENT)
    return [
        *_by_kind(kept_made, shape[:2]),
        *_by_kind(kept_kwh, shape[:2]),
    ]


def _ai_columns(s: ServiceArrays, f: FactorValues) -> Columns:
    """kWh, GPU lifetimes and server lifetimes of the AI block (None: no service has one)."""
    a = s.ai
    if not (a.requests.any() or a.training_gpu_hours.any() or (a.self_hosted * a.gpus).any()):
        return [None] * 3
    ai_pue = f[defaults.factor_id(defaults.AI_PUE)]
    ai_kwh, ai_hours, ai_servers = ai_inventory(a, f, s.period_years, ai_pue)
    return [ai_kwh, gpu_lifetimes(a, ai_hours, f), ai_servers]


def _block_columns(s: ServiceArrays, f: FactorValues, pue: np.ndarray) -> tuple[Columns, Columns]:
    """The video's and the messages' columns: (their traffic's GB and kWh over the users'
    networks, video then messages; their back ends' kWh and server or TB lifetimes)."""
    traffic: Columns = [None] * 4
    backend: Columns = [None] * 4
    if s.video.hours.any():
        traffic[0], backend[0], backend[1] = video_inventory(s.video, f)
    if s.messages.items.any():
        traffic[2], message_kwh, message_tb, backend[3] = message_inventory(
            s.messages, f, s.period_years
        )
        storage_kwh = message_tb * f["storage.ssd.power"] * s.period_years * HOURS_PER_YEAR / 1000
        backend[2] = (message_kwh + storage_kwh) * pue
    if traffic[0] is not None or traffic[2] is not None:
        # kWh per GB of a block's traffic: the networks' electricity and the box's (per_gb)
        network_kwh = network_per_gb(s, f)[..., [2, 3, 5]].sum(axis=-1)
        for k in (0, 2):
            if traffic[k] is not None:
                traffic[k + 1] = traffic[k] * network_kwh
    return traffic, backend
