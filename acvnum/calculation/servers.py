"""A server's configuration -> its manufacturing, in medium-archetype server equivalents.

The factor table gives every criterion for one medium server (`server.physical.*`); a
configured server (CPUs, cores, memory, local SSD, GPUs; each value not given is its
archetype's) weighs, on each criterion, its component impact over the medium archetype's,
so the default is exactly 1. Component factors come from UBA 2021 via boaviztapi: carbon
in `server.component.<part>`, other criteria in `server.parts.<part>.<criterion>`. Where a
part has none for a criterion (acidification of a CPU, say), the part's carbon stands in,
times the medium server's ratio of that criterion to carbon: a criterion without any
component data scales with carbon, as before.
Its power follows the configuration the same way (`power_scales`): the archetype's idle
and full-load watts times the configured server's component power over the medium
archetype's, GPU cards on top at their TDP times utilisation, so again the default is 1.
Arrays are (M, 1) per server group, factors (S,): results broadcast to (M, S).
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from acvnum.questionnaire import units
from acvnum.questionnaire.rules import SERVER_ARCHETYPES
from acvnum.reference.criteria import IMPACT_IDS
from acvnum.reference.factors import FactorValues

PARTS = ("cpus", "cores", "memory", "ssd", "gpus")  # memory in GB, ssd in TB
DEFAULT_ARCHETYPE = "medium"
CLIMATE = "climate_change"
#: Component factors with an impact per unit (the others are geometry: areas, densities).
IMPACT_PARTS = ("cpu_die", "cpu_base", "ram_die", "ram_base", "ssd_die", "ssd_base", "gpu", "fixed")


def part_factors(f: FactorValues, criterion: str = CLIMATE) -> dict[str, np.ndarray]:
    """Each part's impact per unit on one criterion, (S,): its own factor where the tables
    have one, else its carbon times the medium server's criterion-to-carbon ratio."""
    carbon = {p: f[f"server.component.{p}"] for p in IMPACT_PARTS}
    if criterion == CLIMATE or f"server.physical.{criterion}" not in f.table:
        return carbon  # a criterion with no server factor is not covered: nothing to weigh
    ratio = f[f"server.physical.{criterion}"] / f[f"server.physical.{CLIMATE}"]
    own = f.table.position
    return {
        p: f[i] if (i := f"server.parts.{p}.{criterion}") in own else carbon[p] * ratio
        for p in IMPACT_PARTS
    }


def _quantities(f: FactorValues, cpus, cores, memory_gb, ssd_tb, gpus) -> np.ndarray:
    """(..., IMPACT_PARTS): how much of each part one server of this configuration has: cm2
    of CPU die, CPUs, cm2 of memory die, modules, cm2 of flash die, drives, GPUs, one set
    of fixed parts (boaviztapi's component model)."""
    c = "server.component."
    cpu_area = cores * f[c + "cpu_die_per_core"] + f[c + "cpu_die_fixed"]  # cm2 per CPU
    parts = (
        cpus * cpu_area,
        cpus,
        memory_gb / f[c + "ram_density"],
        np.ceil(memory_gb / f[c + "ram_module"]),
        ssd_tb * 1000 / f[c + "ssd_density"],
        np.ceil(ssd_tb),  # drives of 1 TB, rounded up
        gpus,
        np.ones_like(cpu_area),
    )
    return np.stack(np.broadcast_arrays(*parts), axis=-1)


def component_impact(
    f: FactorValues, cpus, cores, memory_gb, ssd_tb, gpus, criterion: str = CLIMATE
) -> np.ndarray:
    """One server of this configuration, on one criterion."""
    k = part_factors(f, criterion)
    per_part = np.stack([k[p] for p in IMPACT_PARTS], axis=-1)  # (S, parts)
    return (_quantities(f, cpus, cores, memory_gb, ssd_tb, gpus) * per_part).sum(axis=-1)


def component_carbon(f: FactorValues, cpus, cores, memory_gb, ssd_tb, gpus) -> np.ndarray:
    """kg CO2 eq to make one server of this configuration."""
    return component_impact(f, cpus, cores, memory_gb, ssd_tb, gpus)


def archetype_part(f: FactorValues, archetype: np.ndarray, part: str) -> np.ndarray:
    """(M, S): each group's archetype value of one part (`archetype`: indexes, shape (M, 1))."""
    table = np.stack(np.broadcast_arrays(*(f[f"server.{a}.{part}"] for a in SERVER_ARCHETYPES)))
    return table[archetype[:, 0]]


def _configuration(f: FactorValues, archetype: np.ndarray, given: dict[str, np.ndarray]):
    return [np.where(np.isnan(given[p]), archetype_part(f, archetype, p), given[p]) for p in PARTS]


def all_medium(archetype: np.ndarray, given: dict[str, np.ndarray]) -> bool:
    """Whether every group is the default medium server with no part given."""
    medium = SERVER_ARCHETYPES.index(DEFAULT_ARCHETYPE)
    return bool((archetype == medium).all()) and all(np.isnan(given[p]).all() for p in PARTS)


def _all_medium(
    archetype: np.ndarray, given: dict[str, np.ndarray], medium: bool | None, *own: np.ndarray
) -> bool:
    """Whether every group is the default medium server with no part given (`medium`, when
    the caller knows it), and the medium server's own figures `own` are finite and not
    zero: each group's configuration is then the medium's, worked out by the same
    operations, and its ratio to the medium's own is exactly 1 (x / x). Most portfolios'
    servers, and every group of a lever pass over them (some 10,000 for 500 services, the
    configuration model's arrays made for each)."""
    if not (all_medium(archetype, given) if medium is None else medium):
        return False
    return all(bool(np.isfinite(x).all() and (x != 0).all()) for x in own)


def medium_equivalents(
    f: FactorValues,
    archetype: np.ndarray,
    given: dict[str, np.ndarray],
    every_medium: bool | None = None,
):
    """(M, S): how many medium servers' manufacturing each group's server is, in carbon.

    `archetype` (M, 1) holds indexes into SERVER_ARCHETYPES; `given` maps each of PARTS to
    (M, 1) values, NaN where the questionnaire leaves the archetype's value.
    """
    medium = _medium(f, "carbon")
    if _all_medium(archetype, given, every_medium, medium):
        return np.ones((len(archetype), f.samples))
    return component_carbon(f, *_configuration(f, archetype, given)) / medium


def criterion_weights(f: FactorValues, archetype: np.ndarray, given: dict[str, np.ndarray]):
    """(M, S, impact criteria): medium servers' manufacturing each group's server is, per
    criterion (the climate column is `medium_equivalents`)."""
    factors = [part_factors(f, c) for c in IMPACT_IDS]
    per_part = np.stack(
        [np.stack([k[p] for p in IMPACT_PARTS], axis=-1) for k in factors], axis=-1
    )  # (S, parts, criteria)
    config = _quantities(f, *_configuration(f, archetype, given))  # (M, S, parts)
    medium = _quantities(f, *(f[f"server.{DEFAULT_ARCHETYPE}.{p}"] for p in PARTS))  # (S, parts)
    return np.einsum("msp,spc->msc", config, per_part) / np.einsum("sp,spc->sc", medium, per_part)


def _component_power(f: FactorValues, cpus, cores, memory_gb, ssd_tb) -> tuple[np.ndarray, ...]:
    """W of one server's CPUs, memory and SSD at idle and at full load (Cloud Carbon
    Footprint's per-thread and per-GB coefficients; memory and drives draw alike at any load)."""
    p = "server.power."
    threads = cpus * cores * f[p + "threads_per_core"]
    steady = memory_gb * f[p + "memory"] + ssd_tb * f["storage.ssd.power"]
    return threads * f[p + "cpu_idle"] + steady, threads * f[p + "cpu_max"] + steady


def _medium(f: FactorValues, figure: str) -> np.ndarray:
    """(S,) the medium server's own carbon, idle or full-load component watts, worked out
    once per set of factor values (FactorValues.derived, read-only): every inventory of a
    chunk and of its lever passes divides by them."""
    key = f"server.{DEFAULT_ARCHETYPE}:{figure}"
    if key not in f.derived:
        parts = [f[f"server.{DEFAULT_ARCHETYPE}.{p}"] for p in PARTS]
        idle, full = _component_power(f, *parts[:4])
        figures = {"carbon": component_carbon(f, *parts), "idle": idle, "full": full}
        for name, value in figures.items():
            value = np.array(value, dtype=float)
            value.flags.writeable = False
            f.derived[f"server.{DEFAULT_ARCHETYPE}:{name}"] = value
    return f.derived[key]


def power_scales(
    f: FactorValues,
    archetype: np.ndarray,
    given: dict[str, np.ndarray],
    every_medium: bool | None = None,
):
    """(M, S) each: a group's server idle and full-load power over the medium archetype's
    (CPUs, memory, SSD), and its GPU cards' watts at full load (0 at idle).

    The archetype's watts (server.physical.power_*) stay the level; the components say how
    a configuration departs from it, so an unconfigured server keeps exactly its default."""
    medium_idle, medium_full = _medium(f, "idle"), _medium(f, "full")
    if _all_medium(archetype, given, every_medium, medium_idle, medium_full):
        shape = (len(archetype), f.samples)
        gpus = f[f"server.{DEFAULT_ARCHETYPE}.gpus"] * f["server.power.gpu"]
        return np.ones(shape), np.ones(shape), np.broadcast_to(gpus, shape).copy()
    cpus, cores, memory, ssd, gpus = _configuration(f, archetype, given)
    idle, full = _component_power(f, cpus, cores, memory, ssd)
    return idle / medium_idle, full / medium_full, gpus * f["server.power.gpu"]


def given_parts(server) -> dict[str, float | None]:
    """A questionnaire server's configuration in the units of PARTS (GB, TB), None where the
    archetype's value holds."""
    return {
        "cpus": server.cpus,
        "cores": server.cores,
        "memory": None if server.memory is None else server.memory / units.BYTES_PER_GB,
        "ssd": None if server.ssd is None else server.ssd / units.BYTES_PER_TB,
        "gpus": server.gpus,
    }


_parts = attrgetter(*PARTS)  # a server's given parts as a tuple (the fields are PARTS' names)
_NO_PARTS = (None,) * len(PARTS)


def is_configured(server) -> bool:
    """Whether a questionnaire server departs from the default medium archetype: another
    archetype, or a part given (`given_parts` not None; read without making its dict, once
    per server group of every lever pass)."""
    return server.archetype not in (None, DEFAULT_ARCHETYPE) or _parts(server) != _NO_PARTS


def modelled_watts(f: FactorValues, servers: list) -> tuple[np.ndarray, np.ndarray]:
    """(M, S) each: the idle and full-load watts of questionnaire servers, as the inventory
    models them (assumptions and levers read them; the inventory works on its own arrays)."""
    index = np.array([[SERVER_ARCHETYPES.index(s.archetype or DEFAULT_ARCHETYPE)] for s in servers])
    configs = [given_parts(s) for s in servers]
    parts = {
        p: np.array([[np.nan if c[p] is None else c[p]] for c in configs], dtype=float).reshape(
            -1, 1
        )
        for p in PARTS
    }
    idle_scale, full_scale, gpu_w = power_scales(f, index.reshape(-1, 1), parts)
    idle = f["server.physical.power_idle"] * idle_scale
    return idle, f["server.physical.power_max"] * full_scale + gpu_w
