"""The kinds of change a lever makes, each a small function of a variant (read, then set).

A change returns the new variant, or None when it would change nothing for this service
(PUE already low, no mobile traffic...): such a lever is never proposed. The sizes come
from the catalogue (factors/levers.yaml); defaults from acvnum.reference.defaults.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Any

from acvnum.analysis.variants import Change, Variant
from acvnum.calculation import servers as server_config
from acvnum.i18n import Value
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.rules import AI_SIZES, DEVICE_TYPES, VIDEO_QUALITIES
from acvnum.reference import defaults
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.defaults import DEFAULT_REGION
from acvnum.reference.factors import FactorTable, FactorValues


@dataclass(frozen=True, eq=False)
class Context:
    """What a change may consult besides the questionnaire: defaults and boundaries."""

    table: FactorTable
    limits: Boundaries

    def default(self, factor_id: str) -> float:
        """A factor's central value."""
        return self.table.value(factor_id)

    def defaulted(self, pattern: defaults.Pattern) -> float:
        """The value the calculation uses where the file leaves `pattern` out (base unit)."""
        value = defaults.value(pattern, self.table)
        assert isinstance(value, float), pattern
        return value

    @cached_property
    def central(self) -> FactorValues:
        """The central value of every factor, as the calculation reads them."""
        return self.table.central()

    @cached_property
    def regions(self) -> frozenset[str]:
        return frozenset(self.table.regions())

    @cached_property
    def _region_weights(self) -> dict[str, float]:
        return {
            region: sum(
                self.table.value(f"electricity.{region}.{c}") / boundary
                for c, boundary in self.limits.per_person_year.items()
            )
            for region in self.regions
        }

    def region_weight(self, region: str) -> float:
        """Persons-equivalent per kWh of a region's electricity, summed over criteria."""
        return self._region_weights[region]


@cache
def _parsed(text: str) -> modelpath.Path:
    """A catalogue path, parsed once."""
    return modelpath.parse(text)


Apply = Callable[[Variant, Mapping[str, Any], Context], "Variant | None"]


def _times(value: Any, factor: float) -> Any:
    """A number, or a count over the period or a rate ('20 / month'), times `factor`."""
    if isinstance(value, units.Frequency):
        return units.Frequency(value.count * factor, value.per_seconds)
    return value * factor


def _scale(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    """Multiply the values at `paths` by `factor` (absent or zero values stay as they are)."""
    out = v
    for text in p["paths"]:
        path = _parsed(text)
        value = out.lookup(path)
        if value:
            out = out.set(path, _times(value, p["factor"]))
    return out if out.changes != v.changes else None


def _shift_network(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    """Move `share` of the mobile data to fixed access; the shares still sum to 100%."""
    mobile, fixed = v.get(("usage", "network", "mobile")), v.get(("usage", "network", "fixed"))
    moved = mobile * p["share"]
    if moved <= 0:
        return None
    v = v.set(("usage", "network", "mobile"), mobile - moved)
    return v.set(("usage", "network", "fixed"), fixed + moved)


def _scale_factor(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Multiply a device factor (a model assumption) for the device types the service uses."""
    scale, changes = dict(v.factor_scale), list(v.changes)
    for device in DEVICE_TYPES:
        if not v.get(("usage", "devices", device)):
            continue
        factor_id = f"device.{device}.{p['quantity']}"
        before = scale.get(factor_id, 1.0)
        scale[factor_id] = before * p["factor"]
        unit, value = c.table[factor_id].unit, c.default(factor_id)
        shown = (Value(value * s, unit, factor=True) for s in (before, scale[factor_id]))
        changes.append(Change(factor_id, *shown))
    return replace(v, factor_scale=scale, changes=tuple(changes))


def _lowered(v: Variant, path_text: str, target: float, c: Context) -> Variant | None:
    """The value at the path (or the default it falls back on, reference.defaults) lowered
    to `target` if higher; None where the section is absent or the value already low."""
    path = _parsed(path_text)
    if v.lookup(path[:-1]) is None:
        return None
    given = v.lookup(path)
    current = c.defaulted(modelpath.pattern(path)) if given is None else given
    if current <= target:
        return None
    return v.set(path, target, before=current)


def _cap(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Lower the value at `path` (or the default it falls back on) to `target` if higher."""
    return _lowered(v, p["path"], float(p["target"]), c)


def _floor(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Raise every server's `field` (a lifetime, in years) to `target` where lower."""
    hosting = v.questionnaire.hosting
    target = p["target"] * units.SECONDS_PER_YEAR
    default = c.defaulted(("hosting", "servers", "*", p["field"]))
    out = v
    for i in range(len(hosting.servers) if hosting else 0):
        path = ("hosting", "servers", i, p["field"])
        current = v.get(path)
        current = default if current is None else current
        if current < target:
            out = out.set(path, target, before=current)
    return out if out.changes != v.changes else None


def _region(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Move hosting to the candidate whose kWh weighs least, if lighter than today's."""
    hosting = v.questionnaire.hosting
    candidates = [r for r in p["candidates"] if r in c.regions]
    if hosting is None or not candidates:
        return None
    current = v.get(("hosting", "location")) or DEFAULT_REGION
    best = min(candidates, key=lambda r: (c.region_weight(r), r))
    if c.region_weight(best) >= c.region_weight(current):
        return None
    return v.set(("hosting", "location"), best, before=current)


def _power_at(utilization: float, s: Mapping[str, Any]) -> float:
    """The linear idle-to-peak power model, in W, with the server's own idle and peak."""
    return s["idle"] + (s["peak"] - s["idle"]) * utilization


def _server(v: Variant, i: int, c: Context) -> dict[str, Any]:
    """Server `i` of the variant: its count, type, utilisation and power as changed so far,
    and the idle and full-load watts the calculation models it with (its configuration's)."""
    server = {
        key: v.get(("hosting", "servers", i, key))
        for key in ("count", "type", "utilization", "power")
    }
    model = v.questionnaire.hosting.servers[i]
    if server_config.is_configured(model):
        idle, peak = server_config.modelled_watts(c.central, [model])
        return server | {"idle": float(idle[0, 0]), "peak": float(peak[0, 0])}
    idle, peak = c.default("server.physical.power_idle"), c.default("server.physical.power_max")
    return server | {"idle": idle, "peak": peak}


def _utilization(s: Mapping[str, Any], c: Context) -> float:
    """The server's given utilisation, or the factor table's default."""
    given = s["utilization"]
    return c.defaulted(("hosting", "servers", "*", "utilization")) if given is None else given


def _right_size(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Fewer servers at `target` utilisation carrying the same load (count x utilisation)."""
    hosting = v.questionnaire.hosting
    out = v
    for i in range(len(hosting.servers) if hosting else 0):
        s = _server(v, i, c)
        used = _utilization(s, c)
        count = min(s["count"], max(1, math.ceil(s["count"] * used / p["target"] - 1e-9)))
        if count >= s["count"]:
            continue
        busier = used * s["count"] / count
        base = ("hosting", "servers", i)
        out = out.set((*base, "count"), float(count))
        out = out.set((*base, "utilization"), busier, before=used)
        if s["power"] is not None:
            power = s["power"] * _power_at(busier, s) / _power_at(used, s)
            out = out.set((*base, "power"), power)
    return out if out.changes != v.changes else None


def _off_hours(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Non-production environments run `on_share` of the time; their data is kept.

    Hosting is counted `environments` times, so running the copies beyond the first only
    `on_share` of the time leaves `running` = (1 + (environments - 1) x on_share) /
    environments of the servers' hours. What that saves depends on who owns the hardware:
    a physical server switched off still had to be built, so only its electricity goes
    (its average draw scales by `running`); a stopped virtual server frees its share of a
    host for other tenants, so its allocated manufacturing goes with its electricity (its
    average running count scales by `running`, shown as the share of hours it runs: server
    counts stay whole). Storage stays: the data is kept.
    """
    hosting = v.questionnaire.hosting
    environments = None if hosting is None else v.get(("hosting", "environments"))
    if hosting is None or environments <= 1:
        return None
    running = (1 + (environments - 1) * p["on_share"]) / environments
    out = v
    for i in range(len(hosting.servers)):
        s, base = _server(v, i, c), ("hosting", "servers", i)
        if s["type"] == "virtual":
            shown = Change(
                f"{modelpath.dotted(base)}.hours_running",
                Value(1.0, "%"),
                Value(running, "%"),
                subject=hosting.servers[i].name,
            )
            out = out.set((*base, "count"), s["count"] * running, shown=shown)
            continue
        power = _power_at(_utilization(s, c), s) if s["power"] is None else s["power"]
        out = out.set((*base, "power"), power * running, before=power)
    return out if out.changes != v.changes else None


def _switch(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    """Set the value at `path` to `value` where it is different."""
    path = _parsed(p["path"])
    current = v.lookup(path)
    if current is None or current == p["value"]:
        return None
    return v.set(path, p["value"])


def _smaller_model(v: Variant, p: Mapping[str, Any], _: Context) -> Variant | None:
    """An API model one size class down, or its parameters times `factor`.

    A self-hosted fleet is counted whole whatever it runs: its lever is batching.
    """
    ai = v.questionnaire.ai
    if ai is None or ai.self_hosted is not None:
        return None
    size = v.get(("ai", "model", "size"))
    if size is not None:
        rank = AI_SIZES.index(size)
        return None if rank == 0 else v.set(("ai", "model", "size"), AI_SIZES[rank - 1])
    out = v
    for key in ("parameters", "active_parameters"):
        given = v.get(("ai", "model", key))
        if given is not None:
            out = out.set(("ai", "model", key), given * p["factor"])
    return out


def _batch_gpus(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Self-hosted GPUs batching more requests: the same work on fewer, busier GPUs."""
    ai = v.questionnaire.ai
    if ai is None or ai.self_hosted is None:
        return None
    base = ("ai", "self_hosted")
    count, given = v.get((*base, "gpus")), v.get((*base, "utilization"))
    used = c.defaulted((*base, "utilization")) if given is None else given
    gpus = min(count, max(1, math.ceil(count * used / p["target"] - 1e-9)))
    if gpus >= count:
        return None
    out = v.set((*base, "gpus"), float(gpus))
    return out.set((*base, "utilization"), used * count / gpus, before=used)


def _lower_quality(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Video served one quality down, to the next whose data rate is lower, not below `floor`."""
    if v.questionnaire.video is None:
        return None
    quality = v.get(("video", "quality"))

    def rate(name: str) -> float:
        return c.default(f"video.{name}.data_rate")

    floor = VIDEO_QUALITIES.index(p["floor"])
    lower = [
        q
        for q in reversed(VIDEO_QUALITIES[floor : VIDEO_QUALITIES.index(quality)])
        if rate(q) < rate(quality)
    ]
    return v.set(("video", "quality"), lower[0]) if lower else None


def _cap_years(v: Variant, p: Mapping[str, Any], c: Context) -> Variant | None:
    """Lower a duration at `path` (or its default, reference.defaults) to `target` years."""
    return _lowered(v, p["path"], p["target"] * units.SECONDS_PER_YEAR, c)


KINDS: dict[str, Apply] = {
    "scale": _scale,
    "shift_network": _shift_network,
    "scale_factor": _scale_factor,
    "cap": _cap,
    "floor": _floor,
    "region": _region,
    "right_size": _right_size,
    "off_hours": _off_hours,
    "switch": _switch,
    "smaller_model": _smaller_model,
    "batch_gpus": _batch_gpus,
    "lower_quality": _lower_quality,
    "cap_years": _cap_years,
}
