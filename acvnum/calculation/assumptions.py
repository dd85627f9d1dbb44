"""Which values the calculation used, and whether each was given or defaulted (with its source).

The report lists them so a reader can see at a glance what to measure instead of assume.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from itertools import compress
from typing import Any

from acvnum.calculation.results import Assumption
from acvnum.calculation.workloads import REFERENCE_GPU, gpu_prefix
from acvnum.i18n import Figure, Note, Value, choice
from acvnum.questionnaire import units
from acvnum.questionnaire.records import AI, Hosting, Questionnaire, Server
from acvnum.questionnaire.rules import (
    DEFAULT_NETWORK_MODEL,
    DEVICE_TYPES,
    EQUIPMENT_TYPES,
    NETWORK_TYPES,
)
from acvnum.reference import defaults
from acvnum.reference.defaults import DEFAULT_REGION, DESIGN_DEFAULT
from acvnum.reference.factors import FactorTable
from acvnum.words import rounded, significant_digits

QUESTIONNAIRE = "questionnaire"

#: What a row adds after the questionnaire's key ('hosting.servers[0].power (idle)'): the
#: JSON writes the words after the path in English, the reports in their language.
IDLE, FULL_LOAD = Note("idle"), Note("full_load")
PER_VCPU_IDLE, PER_VCPU_FULL_LOAD = Note("per_vcpu_idle"), Note("per_vcpu_full_load")
API = Note("api")
NOTES = (IDLE, FULL_LOAD, PER_VCPU_IDLE, PER_VCPU_FULL_LOAD, API)


def _written(amount: float | str | units.Frequency, unit: str = "") -> Value:
    """A value as the questionnaire writes it (i18n.Value formats it per language)."""
    return Value(amount, unit, written=True)


def _share(value: float) -> Value:
    """'50%', '12.5%': a whole percent, else to its tenth."""
    return _written(value, "%")


def _optional(amount: float | None, unit: str = "") -> Value | None:
    return None if amount is None else _written(amount, unit)


def _about(seconds: float) -> Value:
    """A duration in its largest unit to 3 digits ('2.24 years'), the blocks' way."""
    return Value(seconds, "s", written=True, approximate=True)


def _factor_value(value: float, unit: str, fraction: bool) -> Value:
    """A factor written as the questionnaire would write it, so that a default and an input
    read alike: '50%' (not '0.5 1'), '1.56' (no unit '1'), '4 years' (not '4 year')."""
    if fraction:
        return _share(value)
    return _written(value, "" if unit == "1" else unit)


@lru_cache(maxsize=2048)
def _factor(
    table: FactorTable,
    path: str,
    factor_id: str,
    fraction: bool = False,
    note: Note | None = None,
) -> Assumption:
    """A factor's row, made once per table (results share the frozen rows: a portfolio's
    services name the same few dozen factors)."""
    factor = table[factor_id]
    status = "input" if factor_id in table.user_ids else "default"
    value = _factor_value(factor.value, factor.unit, fraction)
    return Assumption(path, value, status, factor.source, note)


def _given_or_factor(
    table: FactorTable, path: str, given: Value | None, factor_id: str, fraction: bool = False
) -> Assumption:
    """The value given, or a factor's (a shared platform's energy, whose factor depends on
    what the platform's share is per)."""
    if given is not None:
        return Assumption(path, given, "input", QUESTIONNAIRE)
    return _factor(table, path, factor_id, fraction)


def _given_or_default(
    table: FactorTable,
    path: str,
    given: Value | None,
    pattern: defaults.Pattern,
    fraction: bool = False,
) -> Assumption:
    """The value given, or the default of `pattern` (acvnum.reference.defaults) with its source."""
    if given is not None:
        return Assumption(path, given, "input", QUESTIONNAIRE)
    return _factor(table, path, defaults.factor_id(pattern), fraction)


def _new_input(path: str, amount: float | units.Frequency, unit: str = "") -> Assumption:
    return Assumption(path, _written(amount, unit), "input", QUESTIONNAIRE)


#: A given value's row, made once per path and value and shared (rows are frozen): a
#: portfolio's files give the same durations, PUEs and lifetimes. Not for 0, which -0.0
#: would share.
_input_row = lru_cache(maxsize=8192, typed=True)(_new_input)


def _input(path: str, amount: float | units.Frequency, unit: str = "") -> Assumption:
    """The row of a value the file gives."""
    if amount == 0:
        return _new_input(path, amount, unit)
    return _input_row(path, amount, unit)


def _input_or_default(
    table: FactorTable,
    path: str,
    amount: float | None,
    unit: str,
    pattern: defaults.Pattern,
    fraction: bool = False,
) -> Assumption:
    """`_given_or_default` of an amount the file may leave out (None)."""
    if amount is not None:
        return _input(path, amount, unit)
    return _factor(table, path, defaults.factor_id(pattern), fraction)


def _given_or_design(path: str, value: Value, given: bool) -> Assumption:
    """A value whose default is a modelling convention of acvnum rather than a factor."""
    kind = type(value.amount)
    if kind is str or (kind in (float, int) and value.amount != 0):
        return _design_row(path, value, given, kind)
    return _new_design_row(path, value, given)


def _new_design_row(path: str, value: Value, given: bool) -> Assumption:
    return Assumption(
        path, value, "input" if given else "default", QUESTIONNAIRE if given else DESIGN_DEFAULT
    )


@lru_cache(maxsize=4096)
def _design_row(path: str, value: Value, given: bool, _kind: type) -> Assumption:
    """The same row made once and shared (rows are frozen): a portfolio's services mostly keep
    the same conventions ('per_gb', 'medium', 1 environment). By the amount's type too (1 and
    1.0 are equal keys); not for 0, which -0.0 would share."""
    return _new_design_row(path, value, given)


@lru_cache(maxsize=4096)
def _region(table: FactorTable, path: str, given: str | None) -> Assumption:
    if given is not None:
        return Assumption(path, Value(given), "input", QUESTIONNAIRE)
    return Assumption(path, Value(DEFAULT_REGION), "default", defaults.region_source(table))


@lru_cache(maxsize=4096, typed=True)
def _given_share(path: str, value: float) -> Assumption:
    """A share the file gives (never 0: a share of 0 is not listed), one row per value: a
    portfolio's services give the same few dozen percentages."""
    return Assumption(path, _share(value), "input", QUESTIONNAIRE)


#: A piece's rows (a tuple many services share) are made once per table and the raw values
#: they are made from, with the values' types (1 and 1.0 are equal keys but not the same
#: row); never from a 0, which -0.0 would share. Keyed on the values, not on Value objects:
#: a hit costs a tuple and a dict look-up, not the Values made and hashed.
_PIECES: dict[tuple[Any, ...], tuple[Assumption, ...]] = {}
_PIECES_HELD = 8192


def _remembered(
    key: tuple[Any, ...], make: Callable[[], tuple[Assumption, ...]]
) -> tuple[Assumption, ...]:
    """The piece kept under `key`, made by `make` and kept the first time it is asked for."""
    piece = _PIECES.get(key)
    if piece is None:
        if len(_PIECES) >= _PIECES_HELD:
            _PIECES.clear()
        piece = _PIECES[key] = make()
    return piece


_DEVICE_SHARES = operator.attrgetter(*DEVICE_TYPES)
_NETWORK_SHARES = operator.attrgetter(*NETWORK_TYPES)


def _users(users: float) -> Assumption:
    return Assumption("usage.users", _written(users), "input", QUESTIONNAIRE)


def _usage(q: Questionnaire, table: FactorTable) -> list[Assumption | tuple[Assumption, ...]]:
    u = q.usage
    return [
        _users(u.users),
        _input("usage.visits_per_user", u.visits_per_user),
        _input("usage.visit_duration", u.visit_duration, "s"),
        _input("usage.data_per_visit", u.data_per_visit, "B"),
        _shares(_DEVICE_SHARES(u.devices), _NETWORK_SHARES(u.network)),
        _region(table, "usage.location", u.location),
        _network_model(u.network_model),
    ]


def _shares(devices: tuple[float, ...], network: tuple[float, ...]) -> tuple[Assumption, ...]:
    """The devices' and the accesses' shares given above 0, in order, made once per set of
    shares (a share of 0 is not listed, so -0.0 makes no row to share)."""
    key = ("shares", devices, network, tuple(map(type, devices)), tuple(map(type, network)))
    return _remembered(key, lambda: _new_shares(devices, network))


def _new_shares(devices: tuple[float, ...], network: tuple[float, ...]) -> tuple[Assumption, ...]:
    rows = [
        _given_share(f"usage.devices.{d}", share)
        for d, share in zip(DEVICE_TYPES, devices, strict=True)
        if share
    ]
    rows += [
        _given_share(f"usage.network.{n}", share)
        for n, share in zip(NETWORK_TYPES, network, strict=True)
        if share
    ]
    return tuple(rows)


#: What a choice left out is (the models' defaults), by questionnaire path.
_CHOSEN_BY_DEFAULT = {
    "usage.network_model": DEFAULT_NETWORK_MODEL,
    "hosting.infrastructure": "per_server",
}


@lru_cache(maxsize=256)
def _choice_row(path: str, key: str, given: str | None) -> Assumption:
    """The row of a choice (its word, or the default's), made once per word: every service
    has one."""
    word = _CHOSEN_BY_DEFAULT[path] if given is None else given
    return _given_or_design(path, choice(key, word), given is not None)


def market_based(q: Questionnaire, market_total: float | None) -> list[Assumption]:
    """The contract's factor and the climate total it gives (market-based), when given: the
    location-based figures stay the headline, both are shown."""
    factor = q.hosting.electricity_factor if q.hosting else None
    if factor is None or market_total is None:
        return []
    return [
        Assumption(
            "hosting.electricity_factor",
            _written(factor * 1000, "g CO2e/kWh"),
            "input",
            QUESTIONNAIRE,
        ),
        Assumption(
            "market_based_climate",
            Value(market_total, "kg CO2 eq", written=True, digits=4),
            "input",
            defaults.CONTRACT_FACTOR,
        ),
    ]


def _instance(
    table: FactorTable, base: str, prefix: str, provider: str, power: float | None
) -> list[Assumption]:
    """A named cloud instance: its vCPUs and host from the tables, its per-vCPU power."""
    host = f"{prefix}.host_vcpu" if f"{prefix}.host_vcpu" in table else "server.virtual.host_vcpu"
    rows = [
        _factor(table, f"{base}.vcpu", f"{prefix}.vcpu"),
        _factor(table, f"{base}.memory", f"{prefix}.memory"),
        _factor(table, f"{base}.host_vcpu", host),
    ]
    if power is not None:
        return [*rows, Assumption(f"{base}.power", _written(power, "W"), "input", QUESTIONNAIRE)]
    return [
        *rows,
        _factor(table, f"{base}.power", f"cloud.power.{provider}_idle", note=PER_VCPU_IDLE),
        _factor(table, f"{base}.power", f"cloud.power.{provider}_max", note=PER_VCPU_FULL_LOAD),
    ]


def _infrastructure(h: Hosting, table: FactorTable) -> list[Assumption]:
    """How the building, cooling and power equipment is shared; per kW, the reference power."""
    way = h.infrastructure or _CHOSEN_BY_DEFAULT["hosting.infrastructure"]
    rows = [_choice_row("hosting.infrastructure", "infrastructure", h.infrastructure)]
    if way == "per_kw":
        path = "hosting.infrastructure.server_power"
        rows.append(_factor(table, path, "datacenter.per_kw.server_power"))
    return rows


def _hosting(q: Questionnaire, table: FactorTable) -> list[Assumption | tuple[Assumption, ...]]:
    """The hosting's pieces: where, PUE, environments and infrastructure, each server's
    rows, the shared platforms', the storage's."""
    h = q.hosting
    if h is None:
        return []
    pieces: list[Assumption | tuple[Assumption, ...]] = [_hosting_head(table, h)]
    for i, s in enumerate(h.servers):
        pieces.append(_server(table, i, s))
    if h.shared:
        pieces.append(tuple(_shared(table, h)))
    if h.storage is not None:
        pieces.append(_storage(table, h.storage))
    return pieces


def _hosting_key(h: Hosting) -> tuple[Any, ...] | None:
    """What the hosting's head is made from (None: a 0, made apart)."""
    if h.pue == 0 or h.environments == 0:
        return None
    values = (h.location, h.pue, h.environments, "environments" in h.given, h.infrastructure)
    return values, tuple(map(type, values))


def _hosting_head(table: FactorTable, h: Hosting) -> tuple[Assumption, ...]:
    """Location, PUE, environments and infrastructure, made once per table and values."""
    values = _hosting_key(h)
    if values is None:
        return _new_hosting_head(table, h)
    return _remembered(("hosting", table, values), lambda: _new_hosting_head(table, h))


def _new_hosting_head(table: FactorTable, h: Hosting) -> tuple[Assumption, ...]:
    return (
        _region(table, "hosting.location", h.location),
        _pue(table, h),
        _environments(h),
        *_infrastructure(h, table),
    )


def _pue(table: FactorTable, h: Hosting) -> Assumption:
    return _input_or_default(table, "hosting.pue", h.pue, "", ("hosting", "pue"))


def _environments(h: Hosting) -> Assumption:
    given = "environments" in h.given
    return _given_or_design("hosting.environments", _written(h.environments), given)


def storage_key(storage: Any) -> tuple[Any, ...] | None:
    """What the storage's rows are made from (None: a 0, made apart)."""
    if storage.replicas == 0:
        return None
    return storage.type, "type" in storage.given, storage.replicas, type(storage.replicas)


def _storage(table: FactorTable, storage: Any) -> tuple[Assumption, ...]:
    """The storage's type and replicas, made once per table and values."""
    values = storage_key(storage)
    if values is None:
        return _new_storage(table, storage)
    return _remembered(("storage", table, values), lambda: _new_storage(table, storage))


def _new_storage(table: FactorTable, storage: Any) -> tuple[Assumption, ...]:
    kind = choice("type", storage.type)
    replicas = storage.replicas
    return (
        _given_or_design("hosting.storage.type", kind, "type" in storage.given),
        _input_or_default(
            table, "hosting.storage.replicas", replicas, "", ("hosting", "storage", "replicas")
        ),
    )


#: What a server's rows are made from (not its name, count or vCPUs).
SERVER_FIELDS = (
    "lifetime", "utilization", "instance", "provider", "power", "type", "archetype",
    "cpus", "cores", "memory", "ssd", "gpus",
)  # fmt: skip
_SERVER_FIELDS = operator.attrgetter(*SERVER_FIELDS)


def server_key(i: int, s: Server) -> tuple[Any, ...] | None:
    """What the `i`th server's rows are made from (None: a 0, made apart)."""
    values = _SERVER_FIELDS(s)
    if 0 in values:
        return None
    return i, values, tuple(map(type, values))


def _server(table: FactorTable, i: int, s: Server) -> tuple[Assumption, ...]:
    """The `i`th server's rows, made once per table, position and configuration (not for a
    0, which -0.0 would share): a portfolio's servers are mostly a few dozen configurations."""
    found = server_key(i, s)
    if found is None:
        return _new_server(table, i, s)
    return _remembered(("server", table, *found), lambda: _new_server(table, i, s))


def _new_server(table: FactorTable, i: int, s: Server) -> tuple[Assumption, ...]:
    """Lifetime and utilization, power (the instance's, given, or modelled), the host's
    vCPUs of a virtual server, and the configuration."""
    base = f"hosting.servers[{i}]"
    rows = [_server_lifetime(table, i, s), _server_utilization(table, i, s)]
    if s.cloud_prefix is not None:
        rows += _instance(table, base, s.cloud_prefix, s.provider or "", s.power)
    elif s.power is not None:
        rows.append(_input(f"{base}.power", s.power, "W"))
    else:
        rows += _server_power(table, base, s)
    if s.type == "virtual" and s.cloud_prefix is None:
        rows.append(_factor(table, f"{base}.host_vcpu", "server.virtual.host_vcpu"))
    rows += _server_configuration(table, base, s)
    return tuple(rows)


def _server_lifetime(table: FactorTable, i: int, s: Server) -> Assumption:
    path = f"hosting.servers[{i}].lifetime"
    return _input_or_default(table, path, s.lifetime, "s", _LIFETIME)


def _server_utilization(table: FactorTable, i: int, s: Server) -> Assumption:
    path = f"hosting.servers[{i}].utilization"
    return _input_or_default(table, path, s.utilization, "%", _UTILIZATION, fraction=True)


def _plain_server_tail(table: FactorTable, i: int, s: Server) -> tuple[Assumption, ...]:
    """What follows the power of a server `plain_server` accepts: the host's vCPUs of a
    virtual one, the medium archetype's configuration."""
    base = f"hosting.servers[{i}]"
    rows = [_factor(table, f"{base}.host_vcpu", "server.virtual.host_vcpu")]
    return (*rows[: s.type == "virtual"], *_server_configuration(table, base, s))


def _modelled_power(table: FactorTable, i: int, s: Server) -> tuple[Assumption, ...]:
    return tuple(_server_power(table, f"hosting.servers[{i}]", s))


def plain_server(s: Server) -> bool:
    """A server of the common shape: no named instance, archetype or configuration given
    (its rows: lifetime, utilization, power, then `_plain_server_tail`'s)."""
    return s.instance is None and s.archetype is None and _PARTS(s) == _UNCONFIGURED


_PARTS = operator.attrgetter("cpus", "cores", "memory", "ssd", "gpus")


_LIFETIME: defaults.Pattern = ("hosting", "servers", "*", "lifetime")
_UTILIZATION: defaults.Pattern = ("hosting", "servers", "*", "utilization")


def _device_value(key: str, value: float) -> Value:
    """A `terminals:` value (base units) written as the factor table writes it."""
    if key == "lifetime":
        return _written(value, "s")
    if key == "hours_per_day":
        return _written(value / units.SECONDS_PER_HOUR, "h/day")
    return _written(value, "W")


def _ai_model(ai: AI, table: FactorTable) -> list[Assumption]:
    """The model's size: given in parameters, or the cited size of its class."""
    m = ai.model
    if m.size is None:
        active = m.parameters if m.active_parameters is None else m.active_parameters
        return [
            Assumption(
                "ai.model.parameters", _written(m.parameters, "billion"), "input", QUESTIONNAIRE
            ),
            _given_or_design(
                "ai.model.active_parameters",
                _written(active, "billion"),
                m.active_parameters is not None,
            ),
        ]
    size = table[f"ai.size_{m.size}.parameters"]
    parameters = _written(size.value, "billion")
    size_word = Note("choice", choice("size", m.size))
    rows = [Assumption("ai.model.size", parameters, "default", size.source, size_word)]
    if m.size == "frontier":
        rows.append(
            _factor(table, "ai.model.active_share", "ai.size_frontier.active_share", fraction=True)
        )
    return rows


def _ai(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """The AI block's answers, and the method's defaults behind them."""
    ai = q.ai
    if ai is None:
        return []
    if ai.requests_per_visit is not None:
        requests = Assumption(
            "ai.requests_per_visit", _written(ai.requests_per_visit), "input", QUESTIONNAIRE
        )
    else:
        assert ai.requests_per_user is not None  # the model requires one of the two
        requests = Assumption(
            "ai.requests_per_user", _written(ai.requests_per_user), "input", QUESTIONNAIRE
        )
    rows = [
        requests,
        Assumption("ai.output_tokens", _written(ai.output_tokens), "input", QUESTIONNAIRE),
        *_input_tokens(ai, table),
        *_ai_model(ai, table),
        _factor(table, "ai.batch_size", "ai.default.batch_size"),
        _factor(table, "ai.hardware.lifetime", "ai.hardware.lifetime"),
    ]
    hosted = ai.self_hosted
    if hosted is None:
        rows.append(_factor(table, "ai.pue", "ai.api.pue", note=API))
        spread = table["ai.api.grid_scale"]
        rows.append(Assumption("ai.location", Value(DEFAULT_REGION), "default", spread.source, API))
        return rows
    utilization = _optional(hosted.utilization, "%")
    pue = hosted.pue or (q.hosting.pue if q.hosting else None)  # defaults.INHERITED
    location = hosted.location or (q.hosting.location if q.hosting else None)
    base: defaults.Pattern = ("ai", "self_hosted")
    rows += [
        Assumption("ai.self_hosted.gpus", _written(hosted.gpus), "input", QUESTIONNAIRE),
        _given_or_default(
            table, "ai.self_hosted.utilization", utilization, (*base, "utilization"), True
        ),
        _given_or_default(table, "ai.self_hosted.pue", _optional(pue), (*base, "pue")),
        _region(table, "ai.self_hosted.location", location),
        _given_or_design("ai.self_hosted.gpu", Value(hosted.gpu), "gpu" in hosted.given),
        _factor(table, "ai.gpu.power", f"{gpu_prefix(hosted.gpu)}.power"),
    ]
    return rows + _training_gpu(ai, table)


def _input_tokens(ai: AI, table: FactorTable) -> list[Assumption]:
    """Input tokens, and what one weighs against an output token; not given: not counted."""
    if ai.input_tokens is None:
        return [
            Assumption(
                "ai.input_tokens", _written(0.0), "default", table["ai.gpu.energy_per_token"].source
            )
        ]
    return [
        Assumption("ai.input_tokens", _written(ai.input_tokens), "input", QUESTIONNAIRE),
        _factor(table, "ai.input_token.energy_ratio", "ai.input_token.energy_ratio"),
    ]


def _training_gpu(ai: AI, table: FactorTable) -> list[Assumption]:
    """The training runs' GPU type where it differs from the inference's (or is given)."""
    if ai.training is None:
        return []
    inference = ai.self_hosted.gpu if ai.self_hosted else REFERENCE_GPU
    gpu = ai.training.gpu or inference
    rows = [_given_or_design("ai.training.gpu", Value(gpu), ai.training.gpu is not None)]
    rows.append(_factor(table, "ai.training.gpu.power", f"{gpu_prefix(gpu)}.power"))
    return rows


def _video(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """The video block's answers, the data rate of its quality and the back end's factors."""
    v = q.video
    if v is None:
        return []
    if v.watched_per_visit is not None:
        watched = ("video.watched_per_visit", _about(v.watched_per_visit))
    else:
        watched = ("video.watched_per_user", _about(v.watched_per_user or 0))
    rows = [
        Assumption(*watched, "input", QUESTIONNAIRE),
        Assumption("video.quality", choice("quality", v.quality), "input", QUESTIONNAIRE),
        _factor(table, f"video.{v.quality}.data_rate", f"video.{v.quality}.data_rate"),
    ]
    if v.call_participants is not None:
        participants = _written(v.call_participants)
        rows.append(Assumption("video.call_participants", participants, "input", QUESTIONNAIRE))
    if v.background_share:
        share = _share(v.background_share)
        rows.append(Assumption("video.background_share", share, "input", QUESTIONNAIRE))
    rows.append(_factor(table, "video.backend.energy", "video.backend.energy"))
    rows.append(_factor(table, "video.backend.server_years", "video.backend.server_years"))
    return rows


def _messages(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """The messages block's answers, or the ADEME model's defaults where left out."""
    m = q.messages
    if m is None:
        return []
    size, recipients = _optional(m.size, "B"), _optional(m.recipients)
    retention = None if m.retention is None else _about(m.retention)
    copies = _optional(m.copies)
    links = choice("attachments_as_links", bool(m.attachments_as_links))
    return [
        Assumption("messages.per_user", _written(m.per_user), "input", QUESTIONNAIRE),
        _given_or_default(table, "messages.size", size, ("messages", "size")),
        _given_or_default(table, "messages.recipients", recipients, ("messages", "recipients")),
        _given_or_default(table, "messages.retention", retention, ("messages", "retention")),
        _given_or_default(table, "messages.copies", copies, ("messages", "copies")),
        _given_or_design("messages.attachments_as_links", links, "attachments_as_links" in m.given),
        _factor(table, "messages.server.energy", "messages.server.energy"),
    ]


#: Where a configured server's watts come from (methodology 3.3).
SERVER_POWER_MODEL = (  # factor ids and proper names: reads the same in every language
    "server.physical.power_idle, server.physical.power_max × server.power.* "
    "(Cloud Carbon Footprint; NVIDIA A100), acvnum method §3.3"
)


def _server_power(table: FactorTable, base: str, server) -> list[Assumption]:
    """The modelled watts: the archetype's defaults, or those of the configuration given."""
    # Imported here: numpy and the server model are needed only for a configured server.
    from acvnum.calculation import servers

    if not servers.is_configured(server):
        return [
            _factor(table, f"{base}.power", "server.physical.power_idle", note=IDLE),
            _factor(table, f"{base}.power", "server.physical.power_max", note=FULL_LOAD),
        ]
    idle, full = servers.modelled_watts(table.central(), [server])
    shown = {IDLE: idle[0, 0], FULL_LOAD: full[0, 0]}  # three figures: a model's
    return [
        Assumption(
            f"{base}.power", _written(rounded(float(w), 3), "W"), "default", SERVER_POWER_MODEL, k
        )
        for k, w in shown.items()
    ]


def _server_configuration(table: FactorTable, base: str, server) -> list[Assumption]:
    """The archetype and each part of the configuration, given or the archetype's."""
    archetype = server.archetype or "medium"
    given = server.archetype is not None
    if (server.cpus, server.cores, server.memory, server.ssd, server.gpus) == _UNCONFIGURED:
        return list(_archetype_rows(table, base, archetype, given))
    rows = [_given_or_design(f"{base}.archetype", choice("archetype", archetype), given)]
    shown = {
        "cpus": (server.cpus, ""),
        "cores": (server.cores, ""),
        "memory": (None if server.memory is None else server.memory / units.BYTES_PER_GB, "GB"),
        "ssd": (None if server.ssd is None else server.ssd / units.BYTES_PER_TB, "TB"),
        "gpus": (server.gpus, ""),
    }
    for part, (given, unit) in shown.items():
        if given is not None:
            rows.append(Assumption(f"{base}.{part}", _written(given, unit), "input", QUESTIONNAIRE))
        else:
            rows.append(_archetype_part(table, f"{base}.{part}", archetype, part, unit))
    return rows


_UNCONFIGURED = (None, None, None, None, None)


@lru_cache(maxsize=4096)
def _archetype_rows(
    table: FactorTable, base: str, archetype: str, given: bool
) -> tuple[Assumption, ...]:
    """A server given no part of its configuration: the archetype's rows, made once per
    table and path (most servers of a portfolio)."""
    rows = [_given_or_design(f"{base}.archetype", choice("archetype", archetype), given)]
    for part, unit in _PART_UNITS.items():
        rows.append(_archetype_part(table, f"{base}.{part}", archetype, part, unit))
    return tuple(rows)


#: The unit each part of a configuration is shown in.
_PART_UNITS = {"cpus": "", "cores": "", "memory": "GB", "ssd": "TB", "gpus": ""}


@lru_cache(maxsize=4096)
def _archetype_part(
    table: FactorTable, path: str, archetype: str, part: str, unit: str
) -> Assumption:
    """A part of the archetype's configuration, made once per table and path."""
    factor = table[f"server.{archetype}.{part}"]
    return Assumption(path, _written(factor.value, unit), "default", factor.source)


def _shared(table: FactorTable, h) -> list[Assumption]:
    """Each shared platform's share and intensity (energy given, or the sourced default)."""
    rows = []
    for i, e in enumerate(h.shared):
        base = f"hosting.shared[{i}]"
        rows.append(Assumption(f"{base}.per", choice("per", e.per), "input", QUESTIONNAIRE))
        rows.append(_given_or_design(f"{base}.share", _share(e.share), "share" in e.given))
        energy = None if e.energy is None else _written(e.energy * 1000, "Wh")
        rows.append(
            _given_or_factor(table, f"{base}.energy", energy, f"datacenter.shared.{e.per}.energy")
        )
        rows.append(
            _factor(table, f"{base}.server_years", f"datacenter.shared.{e.per}.server_years")
        )
    return rows


def _device_factors(q: Questionnaire, table: FactorTable) -> list[tuple[Assumption, ...]]:
    """Each used device type's lifetime, hours a day and power: given in `terminals:`, or the
    factor's default; then the network's factors (pieces)."""
    used = tuple(compress(DEVICE_TYPES, _DEVICE_SHARES(q.usage.devices)))
    if q.terminals is None:
        return [_default_devices(table, used), _network_factors(q, table)]
    rows = []
    for d in used:
        for key in defaults.DEVICE_DEFAULTS:
            path = f"terminals.{d}.{key}"
            given = q.terminals.setting(d, key) if q.terminals else None
            if given is None:
                rows.append(_factor(table, path, defaults.device_factor_id(d, key)))
            else:
                rows.append(Assumption(path, _device_value(key, given), "input", QUESTIONNAIRE))
        standby = q.terminals.setting(d, "standby") if q.terminals else None
        if standby is not None:  # counted only where given (the reference counts none)
            value = _device_value("standby", standby)
            rows.append(Assumption(f"terminals.{d}.standby", value, "input", QUESTIONNAIRE))
    return [(*rows, *_kept_equipment(q, table)), _network_factors(q, table)]


@lru_cache(maxsize=1024)
def _default_devices(table: FactorTable, used: tuple[str, ...]) -> tuple[Assumption, ...]:
    """The devices' rows of a file without `terminals:`, made once per set of devices used."""
    return tuple(
        _factor(table, f"terminals.{d}.{key}", defaults.device_factor_id(d, key))
        for d in used
        for key in defaults.DEVICE_DEFAULTS
    )


def _kept_equipment(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """Each kind of kept device: its count per user, then its lifetime, hours a day, power and
    standby, given in `terminals:` or the factor's default."""
    kept = q.terminals.equipment if q.terminals else None
    rows = []
    for k in EQUIPMENT_TYPES:
        count = getattr(kept, k) if kept else 0.0
        if not count:
            continue
        path = f"terminals.equipment.{k}"
        rows.append(Assumption(path, _written(count), "input", QUESTIONNAIRE))
        for key in defaults.EQUIPMENT_DEFAULTS:
            given = q.terminals.setting(k, key) if q.terminals else None
            if given is None:
                rows.append(
                    _factor(table, f"terminals.{k}.{key}", defaults.device_factor_id(k, key))
                )
            else:
                value = _device_value(key, given)
                rows.append(Assumption(f"terminals.{k}.{key}", value, "input", QUESTIONNAIRE))
    return rows


def _terminals_location(q: Questionnaire) -> Assumption:
    """Where the devices draw their electricity: given, or the users' location."""
    given = q.terminals.location if q.terminals else None
    return _terminals_row(given, q.usage.location)


@lru_cache(maxsize=1024)
def _terminals_row(given: str | None, users: str | None) -> Assumption:
    """The devices' region row, made once per region (every service has one)."""
    if given is not None:
        return Assumption("terminals.location", Value(given), "input", QUESTIONNAIRE)
    region = Value(users or DEFAULT_REGION)
    return Assumption("terminals.location", region, "default", defaults.USERS_LOCATION)


#: The network factors each allocation model reads (per access used; the box if fixed).
NETWORK_FACTORS = {
    "per_gb": (("intensity",), ("traffic",)),
    "energy": (("energy",), ()),
    "power": (("baseline", "marginal"), ()),
}


def _network_factors(q: Questionnaire, table: FactorTable) -> tuple[Assumption, ...]:
    model = q.usage.network_model or DEFAULT_NETWORK_MODEL
    used = tuple(compress(NETWORK_TYPES, _NETWORK_SHARES(q.usage.network)))
    return _network_rows(table, model, used)


def _network_model(given: str | None) -> Assumption:
    return _choice_row("usage.network_model", "network_model", given)


@lru_cache(maxsize=1024)
def _network_rows(table: FactorTable, model: str, used: tuple[str, ...]) -> tuple[Assumption, ...]:
    """The network factors' rows, made once per allocation model and accesses used."""
    per_access, box = NETWORK_FACTORS[model]
    rows = [
        _factor(table, f"network.{n}.{k}", f"network.{n}.{k}") for n in used for k in per_access
    ]
    if "fixed" in used:
        rows += [_factor(table, f"network.box.{k}", f"network.box.{k}") for k in box]
    return tuple(rows)


#: An end of a range as the reader takes it (units.as_written: no thousands separator, a
#: decimal point): a number, then its unit ('2MB', '4 MB', '60%'), which starts with no
#: comma or point ('1,5' read without a decimal comma is not 1 in the unit ',5').
_END = re.compile(
    r"(?P<number>[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?P<space>\s*)(?P<unit>%|[^\d\s,.].*)?"
)


def _end(text: str, comma: bool) -> Figure | str:
    """One end of a range, read once here from the file's text by the reader's rules
    (`comma`: with a decimal comma, as --lang fr reads the file): its number with the digits
    written ('1 500' -> 1500.0, 2 digits; '1,500' with a comma -> 1.5, 4 digits), its unit,
    and the text itself, which English shows as written; French writes the number in its
    convention. Anything else (a comma the reader would refuse) as is. The spaces around
    '..' ('2 MB .. 4 MB') are the range's, not the end's: English keeps them as written."""
    match = _END.fullmatch(units.as_written(text.strip(), comma))
    if match is None:
        return text
    number, unit, space = match["number"], match["unit"] or "", match["space"]
    return Figure(float(number), unit, bool(space), significant_digits(number), written=text)


def _as_written(row: Assumption, ranges: dict[str, str], comma: bool) -> Assumption:
    """A value given as a range shows the range as written and its central value to 3
    significant digits: '2 MB..4 MB (central 2.83 MB)', not '2.82843 MB'. `comma`: the
    questionnaire was read with a decimal comma ('1,5 Mo..3 Mo')."""
    # A noted row is acvnum's own figure (the idle watts), never the range the file gave.
    written = ranges.get(row.path) if row.note is None else None
    if written is None:
        return row
    low, _, high = written.partition("..")
    # A centre is seldom a round count of a unit: a duration shows in its largest unit
    # ('5.29 years'), never as seconds.
    approximate = row.value.approximate or row.value.unit in ("s", "year")
    value = dataclasses.replace(
        row.value, digits=3, ends=(_end(low, comma), _end(high, comma)), approximate=approximate
    )
    return dataclasses.replace(row, value=value)


def collect(
    q: Questionnaire,
    table: FactorTable,
    ranges: dict[str, str] | None = None,
    comma: bool = False,
) -> list[Assumption]:
    """Every value behind the result, questionnaire first, then the model's parameters.

    `ranges` maps the dotted path of each value given as a range to the range as written;
    `comma`: the questionnaire was read with a decimal comma (questionnaire.ranges.Bounds).
    """
    pieces = [
        _period(q.period, "period" in q.given),
        *_usage(q, table),
        *_hosting(q, table),
        _terminals_location(q),
    ]
    if q.ai is not None or q.video is not None or q.messages is not None:
        pieces.append((*_ai(q, table), *_video(q, table), *_messages(q, table)))
    pieces += _device_factors(q, table)
    rows: list[Assumption] = []
    for piece in pieces:  # a row, or a tuple of rows many services share
        if type(piece) is tuple:
            rows += piece
        else:
            rows.append(piece)
    if not ranges:
        return rows
    return [_as_written(row, ranges, comma) for row in rows]


def _period(period: float, given: bool) -> Assumption:
    """The period's row, made once per value (not for a 0, which -0.0 would share)."""
    if period == 0:
        return _new_period(period, given)
    return _period_row(period, given)


def _new_period(period: float, given: bool) -> Assumption:
    return _given_or_design("period", _written(period, "s"), given)


_period_row = lru_cache(maxsize=1024, typed=True)(_new_period)


def warnings(q: Questionnaire) -> list[str]:
    """Message keys (with arguments) for what the reader must know about the perimeter."""
    found: list[str] = []
    if q.hosting is None:
        found.append("warning.no_hosting")
    elif not q.hosting.servers and q.hosting.storage is None and not q.hosting.shared:
        found.append("warning.empty_hosting")
    if q.usage.location is None:
        found.append("warning.default_user_location")
    if q.hosting is not None and q.hosting.location is None:
        found.append("warning.default_host_location")
    if q.ai is not None and q.ai.self_hosted is None:
        found.append("warning.ai_api_region")
    return found


class Assumptions(Sequence[Assumption]):
    """A service's assumption rows (`collect`, then the market-based ones), made when first
    read, and what they are made from: a portfolio's JSON writes most services' rows from
    their questionnaires without making them (acvnum.report.assumptions_json)."""

    __slots__ = ("_rows", "comma", "market", "questionnaire", "ranges", "table")

    def __init__(
        self,
        questionnaire: Questionnaire,
        table: FactorTable,
        ranges: dict[str, str] | None = None,
        market: float | None = None,
        comma: bool = False,
    ) -> None:
        self.questionnaire, self.table, self.ranges, self.market, self.comma = (
            questionnaire, table, ranges, market, comma,
        )  # fmt: skip
        self._rows: list[Assumption] | None = None

    @property
    def made(self) -> bool:
        """Whether the rows were made (read)."""
        return self._rows is not None

    @property
    def rows(self) -> list[Assumption]:
        """The rows, made once (two threads reading at once may both make them: the same)."""
        rows = self._rows
        if rows is None:
            q = self.questionnaire
            rows = collect(q, self.table, self.ranges, self.comma) + market_based(q, self.market)
            self._rows = rows
        return rows

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Assumption]:
        return iter(self.rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Assumptions):
            return self.rows == other.rows
        if isinstance(other, list):
            return self.rows == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal as lists are, not hashable

    def __repr__(self) -> str:
        return f"Assumptions({self.rows!r})"


#: What acvnum.report.assumptions_json makes a slot's rows with when it has not seen them:
#: the functions `collect` calls, so that a slot's text is its rows'.
DEVICE_SHARES, NETWORK_SHARES = _DEVICE_SHARES, _NETWORK_SHARES
period_row, region_row = _period, _region
network_model_row, terminals_row = _network_model, _terminals_row
pue_row, environments_row, infrastructure_rows = _pue, _environments, _infrastructure
server, server_lifetime, server_utilization = _server, _server_lifetime, _server_utilization
modelled_power, plain_server_tail = _modelled_power, _plain_server_tail
storage, default_devices, network_rows = _storage, _default_devices, _network_rows
