"""Which values the calculation used, and whether each was given or defaulted (with its source).

The report lists them so a reader can see at a glance what to measure instead of assume.
"""

from __future__ import annotations

import re
from functools import lru_cache

from acvnum.calculation.results import Assumption
from acvnum.calculation.workloads import REFERENCE_GPU, gpu_prefix
from acvnum.questionnaire import units
from acvnum.questionnaire.models import (
    AI,
    DEFAULT_NETWORK_MODEL,
    DEVICE_TYPES,
    NETWORK_TYPES,
    Hosting,
    Questionnaire,
)
from acvnum.reference import defaults
from acvnum.reference.defaults import DEFAULT_REGION, DESIGN_DEFAULT
from acvnum.reference.factors import FactorTable

QUESTIONNAIRE = "questionnaire"


def _fmt_fraction(value: float) -> str:
    return f"{value:.0%}" if abs(value * 100 - round(value * 100)) < 1e-9 else f"{value:.1%}"


def _factor_value(value: float, unit: str, fraction: bool) -> str:
    """A factor written as the questionnaire would write it, so that a default and an input
    read alike: '50%' (not '0.5 1'), '1.56' (no unit '1'), '4 years' (not '4 year')."""
    if fraction:
        return _fmt_fraction(value)
    if unit == "1":
        return f"{value:g}"
    if unit == "year":
        return units.format_duration(value * units.SECONDS_PER_YEAR)
    return f"{value:g} {unit}"


@lru_cache(maxsize=2048)
def _factor(table: FactorTable, path: str, factor_id: str, fraction: bool = False) -> Assumption:
    """A factor's row, made once per table (results share the frozen rows: a portfolio's
    services name the same few dozen factors)."""
    factor = table[factor_id]
    status = "input" if factor_id in table.user_ids else "default"
    value = _factor_value(factor.value, factor.unit, fraction)
    return Assumption(path, value, status, factor.source)


def _given_or_factor(
    table: FactorTable, path: str, given: str | None, factor_id: str, fraction: bool = False
) -> Assumption:
    """The value given, or a factor's (a shared platform's energy, whose factor depends on
    what the platform's share is per)."""
    if given is not None:
        return Assumption(path, given, "input", QUESTIONNAIRE)
    return _factor(table, path, factor_id, fraction)


def _given_or_default(
    table: FactorTable,
    path: str,
    given: str | None,
    pattern: defaults.Pattern,
    fraction: bool = False,
) -> Assumption:
    """The value given, or the default of `pattern` (acvnum.reference.defaults) with its source."""
    if given is not None:
        return Assumption(path, given, "input", QUESTIONNAIRE)
    return _factor(table, path, defaults.factor_id(pattern), fraction)


def _given_or_design(path: str, value: str, given: bool) -> Assumption:
    """A value whose default is a modelling convention of acvnum rather than a factor."""
    return Assumption(
        path, value, "input" if given else "default", QUESTIONNAIRE if given else DESIGN_DEFAULT
    )


def _region(table: FactorTable, path: str, given: str | None) -> Assumption:
    if given is not None:
        return Assumption(path, given, "input", QUESTIONNAIRE)
    return Assumption(path, DEFAULT_REGION, "default", defaults.region_source(table))


def _usage(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    u = q.usage
    rows = [
        Assumption("usage.users", f"{u.users:g}", "input", QUESTIONNAIRE),
        Assumption("usage.visits_per_user", str(u.visits_per_user), "input", QUESTIONNAIRE),
        Assumption(
            "usage.visit_duration", units.format_duration(u.visit_duration), "input", QUESTIONNAIRE
        ),
        Assumption(
            "usage.data_per_visit", units.format_bytes(u.data_per_visit), "input", QUESTIONNAIRE
        ),
    ]
    rows += [
        Assumption(
            f"usage.devices.{d}", _fmt_fraction(getattr(u.devices, d)), "input", QUESTIONNAIRE
        )
        for d in DEVICE_TYPES
        if getattr(u.devices, d)
    ]
    rows += [
        Assumption(
            f"usage.network.{n}", _fmt_fraction(getattr(u.network, n)), "input", QUESTIONNAIRE
        )
        for n in NETWORK_TYPES
        if getattr(u.network, n)
    ]
    rows.append(_region(table, "usage.location", u.location))
    model = u.network_model or DEFAULT_NETWORK_MODEL
    rows.append(_given_or_design("usage.network_model", model, u.network_model is not None))
    return rows


def market_based(q: Questionnaire, market_total: float | None) -> list[Assumption]:
    """The contract's factor and the climate total it gives (market-based), when given: the
    location-based figures stay the headline, both are shown."""
    factor = q.hosting.electricity_factor if q.hosting else None
    if factor is None or market_total is None:
        return []
    return [
        Assumption(
            "hosting.electricity_factor", f"{factor * 1000:g} g CO2e/kWh", "input", QUESTIONNAIRE
        ),
        Assumption(
            "market_based_climate",
            f"{market_total:.4g} kg CO2 eq",
            "input",
            "hosting.electricity_factor",
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
        return [*rows, Assumption(f"{base}.power", f"{power:g} W", "input", QUESTIONNAIRE)]
    return [
        *rows,
        _factor(table, f"{base}.power per vCPU (idle)", f"cloud.power.{provider}_idle"),
        _factor(table, f"{base}.power per vCPU (full load)", f"cloud.power.{provider}_max"),
    ]


def _infrastructure(h: Hosting, table: FactorTable) -> list[Assumption]:
    """How the building, cooling and power equipment is shared; per kW, the reference power."""
    way = h.infrastructure or "per_server"
    rows = [_given_or_design("hosting.infrastructure", way, h.infrastructure is not None)]
    if way == "per_kw":
        path = "hosting.infrastructure.server_power"
        rows.append(_factor(table, path, "datacenter.per_kw.server_power"))
    return rows


def _hosting(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    h = q.hosting
    if h is None:
        return []
    rows = [
        _region(table, "hosting.location", h.location),
        _given_or_default(
            table, "hosting.pue", None if h.pue is None else f"{h.pue:g}", ("hosting", "pue")
        ),
        _given_or_design(
            "hosting.environments", f"{h.environments:g}", "environments" in h.model_fields_set
        ),
        *_infrastructure(h, table),
    ]
    for i, s in enumerate(h.servers):
        base = f"hosting.servers[{i}]"
        lifetime = None if s.lifetime is None else units.format_duration(s.lifetime)
        utilization = None if s.utilization is None else _fmt_fraction(s.utilization)
        server = ("hosting", "servers", "*")
        rows.append(_given_or_default(table, f"{base}.lifetime", lifetime, (*server, "lifetime")))
        rows.append(
            _given_or_default(
                table, f"{base}.utilization", utilization, (*server, "utilization"), fraction=True
            )
        )
        if s.cloud_prefix is not None:
            rows += _instance(table, base, s.cloud_prefix, s.provider or "", s.power)
        elif s.power is not None:
            rows.append(Assumption(f"{base}.power", f"{s.power:g} W", "input", QUESTIONNAIRE))
        else:
            rows.append(_factor(table, f"{base}.power (idle)", "server.physical.power_idle"))
            rows.append(_factor(table, f"{base}.power (full load)", "server.physical.power_max"))
        if s.type == "virtual" and s.cloud_prefix is None:
            rows.append(_factor(table, f"{base}.host_vcpu", "server.virtual.host_vcpu"))
        rows += _server_configuration(table, base, s)
    rows += _shared(table, h)
    if h.storage is not None:
        given_type = "type" in h.storage.model_fields_set
        rows.append(_given_or_design("hosting.storage.type", h.storage.type, given_type))
        replicas = None if h.storage.replicas is None else f"{h.storage.replicas:g}"
        rows.append(
            _given_or_default(
                table, "hosting.storage.replicas", replicas, ("hosting", "storage", "replicas")
            )
        )
    return rows


def _device_value(key: str, value: float) -> str:
    """A `terminals:` value (base units) written as the factor table writes it."""
    if key == "lifetime":
        return units.format_duration(value)
    if key == "hours_per_day":
        return f"{value / units.SECONDS_PER_HOUR:g} h/day"
    return f"{value:g} W"


def _ai_model(ai: AI, table: FactorTable) -> list[Assumption]:
    """The model's size: given in parameters, or the cited size of its class."""
    m = ai.model
    if m.size is None:
        active = m.parameters if m.active_parameters is None else m.active_parameters
        return [
            Assumption("ai.model.parameters", f"{m.parameters:g}B", "input", QUESTIONNAIRE),
            _given_or_design(
                "ai.model.active_parameters", f"{active:g}B", m.active_parameters is not None
            ),
        ]
    size = table[f"ai.size_{m.size}.parameters"]
    rows = [Assumption(f"ai.model.size ({m.size})", f"{size.value:g}B", "default", size.source)]
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
            "ai.requests_per_visit", f"{ai.requests_per_visit:g}", "input", QUESTIONNAIRE
        )
    else:
        requests = Assumption(
            "ai.requests_per_user", str(ai.requests_per_user), "input", QUESTIONNAIRE
        )
    rows = [
        requests,
        Assumption("ai.output_tokens", f"{ai.output_tokens:g}", "input", QUESTIONNAIRE),
        *_input_tokens(ai, table),
        *_ai_model(ai, table),
        _factor(table, "ai.batch_size", "ai.default.batch_size"),
        _factor(table, "ai.hardware.lifetime", "ai.hardware.lifetime"),
    ]
    hosted = ai.self_hosted
    if hosted is None:
        rows.append(_factor(table, "ai.pue (API)", "ai.api.pue"))
        spread = table["ai.api.grid_scale"]
        rows.append(Assumption("ai.location (API)", DEFAULT_REGION, "default", spread.source))
        return rows
    utilization = None if hosted.utilization is None else _fmt_fraction(hosted.utilization)
    pue = hosted.pue or (q.hosting.pue if q.hosting else None)  # defaults.INHERITED
    location = hosted.location or (q.hosting.location if q.hosting else None)
    base: defaults.Pattern = ("ai", "self_hosted")
    rows += [
        Assumption("ai.self_hosted.gpus", f"{hosted.gpus:g}", "input", QUESTIONNAIRE),
        _given_or_default(
            table, "ai.self_hosted.utilization", utilization, (*base, "utilization"), True
        ),
        _given_or_default(
            table, "ai.self_hosted.pue", None if pue is None else f"{pue:g}", (*base, "pue")
        ),
        _region(table, "ai.self_hosted.location", location),
        _given_or_design("ai.self_hosted.gpu", hosted.gpu, "gpu" in hosted.model_fields_set),
        _factor(table, "ai.gpu.power", f"{gpu_prefix(hosted.gpu)}.power"),
    ]
    return rows + _training_gpu(ai, table)


def _input_tokens(ai: AI, table: FactorTable) -> list[Assumption]:
    """Input tokens, and what one weighs against an output token; not given: not counted."""
    if ai.input_tokens is None:
        return [
            Assumption("ai.input_tokens", "0", "default", table["ai.gpu.energy_per_token"].source)
        ]
    return [
        Assumption("ai.input_tokens", f"{ai.input_tokens:g}", "input", QUESTIONNAIRE),
        _factor(table, "ai.input_token.energy_ratio", "ai.input_token.energy_ratio"),
    ]


def _training_gpu(ai: AI, table: FactorTable) -> list[Assumption]:
    """The training runs' GPU type where it differs from the inference's (or is given)."""
    if ai.training is None:
        return []
    inference = ai.self_hosted.gpu if ai.self_hosted else REFERENCE_GPU
    gpu = ai.training.gpu or inference
    rows = [_given_or_design("ai.training.gpu", gpu, ai.training.gpu is not None)]
    rows.append(_factor(table, "ai.training.gpu.power", f"{gpu_prefix(gpu)}.power"))
    return rows


def _video(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """The video block's answers, the data rate of its quality and the back end's factors."""
    v = q.video
    if v is None:
        return []
    if v.watched_per_visit is not None:
        watched = ("video.watched_per_visit", units.format_duration(v.watched_per_visit, True))
    else:
        watched = ("video.watched_per_user", units.format_duration(v.watched_per_user or 0, True))
    rows = [
        Assumption(*watched, "input", QUESTIONNAIRE),
        Assumption("video.quality", v.quality, "input", QUESTIONNAIRE),
        _factor(table, f"video.{v.quality}.data_rate", f"video.{v.quality}.data_rate"),
    ]
    if v.call_participants is not None:
        participants = f"{v.call_participants:g}"
        rows.append(Assumption("video.call_participants", participants, "input", QUESTIONNAIRE))
    if v.background_share:
        rows.append(
            Assumption(
                "video.background_share", _fmt_fraction(v.background_share), "input", QUESTIONNAIRE
            )
        )
    rows.append(_factor(table, "video.backend.energy", "video.backend.energy"))
    rows.append(_factor(table, "video.backend.server_years", "video.backend.server_years"))
    return rows


def _messages(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """The messages block's answers, or the ADEME model's defaults where left out."""
    m = q.messages
    if m is None:
        return []
    size = None if m.size is None else units.format_bytes(m.size)
    recipients = None if m.recipients is None else f"{m.recipients:g}"
    retention = None if m.retention is None else units.format_duration(m.retention, True)
    copies = None if m.copies is None else f"{m.copies:g}"
    links = "true" if m.attachments_as_links else "false"
    return [
        Assumption("messages.per_user", str(m.per_user), "input", QUESTIONNAIRE),
        _given_or_default(table, "messages.size", size, ("messages", "size")),
        _given_or_default(table, "messages.recipients", recipients, ("messages", "recipients")),
        _given_or_default(table, "messages.retention", retention, ("messages", "retention")),
        _given_or_default(table, "messages.copies", copies, ("messages", "copies")),
        _given_or_design(
            "messages.attachments_as_links", links, "attachments_as_links" in m.model_fields_set
        ),
        _factor(table, "messages.server.energy", "messages.server.energy"),
    ]


def _server_configuration(table: FactorTable, base: str, server) -> list[Assumption]:
    """The archetype and each part of the configuration, given or the archetype's."""
    archetype = server.archetype or "medium"
    rows = [_given_or_design(f"{base}.archetype", archetype, server.archetype is not None)]
    shown = {
        "cpus": (server.cpus, "{:g}"),
        "cores": (server.cores, "{:g}"),
        "memory": (
            None if server.memory is None else server.memory / units.BYTES_PER_GB,
            "{:g} GB",
        ),
        "ssd": (None if server.ssd is None else server.ssd / units.BYTES_PER_TB, "{:g} TB"),
        "gpus": (server.gpus, "{:g}"),
    }
    for part, (given, form) in shown.items():
        factor = table[f"server.{archetype}.{part}"]
        if given is not None:
            rows.append(Assumption(f"{base}.{part}", form.format(given), "input", QUESTIONNAIRE))
        else:
            value = form.format(factor.value)
            rows.append(Assumption(f"{base}.{part}", value, "default", factor.source))
    return rows


def _shared(table: FactorTable, h) -> list[Assumption]:
    """Each shared platform's share and intensity (energy given, or the sourced default)."""
    rows = []
    for i, e in enumerate(h.shared):
        base = f"hosting.shared[{i}]"
        rows.append(Assumption(f"{base}.per", e.per, "input", QUESTIONNAIRE))
        rows.append(
            _given_or_design(f"{base}.share", _fmt_fraction(e.share), "share" in e.model_fields_set)
        )
        energy = None if e.energy is None else f"{e.energy * 1000:g} Wh"
        rows.append(
            _given_or_factor(table, f"{base}.energy", energy, f"datacenter.shared.{e.per}.energy")
        )
        rows.append(
            _factor(table, f"{base}.server_years", f"datacenter.shared.{e.per}.server_years")
        )
    return rows


def _device_factors(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    """Each used device type's lifetime, hours a day and power: given in `terminals:`, or the
    factor's default."""
    used = [d for d in DEVICE_TYPES if getattr(q.usage.devices, d)]
    rows = []
    for d in used:
        for key in defaults.DEVICE_DEFAULTS:
            path = f"terminals.{d}.{key}"
            given = q.terminals.setting(d, key) if q.terminals else None
            if given is None:
                rows.append(_factor(table, path, defaults.device_factor_id(d, key)))
            else:
                rows.append(Assumption(path, _device_value(key, given), "input", QUESTIONNAIRE))
    return rows + _network_factors(q, table)


def _terminals_location(q: Questionnaire) -> Assumption:
    """Where the devices draw their electricity: given, or the users' location."""
    given = q.terminals.location if q.terminals else None
    if given is not None:
        return Assumption("terminals.location", given, "input", QUESTIONNAIRE)
    return Assumption(
        "terminals.location", q.usage.location or DEFAULT_REGION, "default", "usage.location"
    )


#: The network factors each allocation model reads (per access used; the box if fixed).
NETWORK_FACTORS = {
    "per_gb": (("intensity",), ("traffic",)),
    "energy": (("energy",), ()),
    "power": (("baseline", "marginal"), ()),
}


def _network_factors(q: Questionnaire, table: FactorTable) -> list[Assumption]:
    per_access, box = NETWORK_FACTORS[q.usage.network_model or DEFAULT_NETWORK_MODEL]
    used = [n for n in NETWORK_TYPES if getattr(q.usage.network, n)]
    rows = [
        _factor(table, f"network.{n}.{k}", f"network.{n}.{k}") for n in used for k in per_access
    ]
    if "fixed" in used:
        rows += [_factor(table, f"network.box.{k}", f"network.box.{k}") for k in box]
    return rows


def _as_written(row: Assumption, ranges: dict[str, str]) -> Assumption:
    """A value given as a range shows the range as written and its central value to 3
    significant digits: '2 MB..4 MB (central 2.83 MB)', not '2.82843 MB'."""
    written = ranges.get(row.path)
    if written is None:
        return row
    central = re.sub(units.NUMBER, lambda m: f"{float(m[0]):.3g}", row.value)
    return Assumption(row.path, f"{written} (central {central})", row.status, row.source)


def collect(
    q: Questionnaire, table: FactorTable, ranges: dict[str, str] | None = None
) -> list[Assumption]:
    """Every value behind the result, questionnaire first, then the model's parameters.

    `ranges` maps the dotted path of each value given as a range to the range as written.
    """
    period = _given_or_design(
        "period", units.format_duration(q.period), "period" in q.model_fields_set
    )
    rows = [
        period,
        *_usage(q, table),
        *_hosting(q, table),
        _terminals_location(q),
        *_ai(q, table),
        *_video(q, table),
        *_messages(q, table),
        *_device_factors(q, table),
    ]
    return [_as_written(row, ranges or {}) for row in rows]


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
