"""A server's configuration -> its manufacturing, in medium-archetype server equivalents.

The factor table gives every criterion for one medium server (`server.physical.*`); a
configured server (CPUs, cores, memory, local SSD, GPUs; each value not given is its
archetype's) weighs its component carbon (UBA 2021 factors, boaviztapi's formulas) divided
by the medium archetype's, so all criteria scale together and the default is exactly 1.
Arrays are (M, 1) per server group, factors (S,): results broadcast to (M, S).
"""

from __future__ import annotations

import numpy as np

from acvnum.questionnaire.models import SERVER_ARCHETYPES
from acvnum.reference.factors import FactorValues

PARTS = ("cpus", "cores", "memory", "ssd", "gpus")  # memory in GB, ssd in TB
DEFAULT_ARCHETYPE = "medium"


def component_carbon(f: FactorValues, cpus, cores, memory_gb, ssd_tb, gpus) -> np.ndarray:
    """kg CO2 eq to make one server of this configuration (boaviztapi's component model)."""
    c = "server.component."
    cpu_die = cores * f[c + "cpu_die_per_core"] + f[c + "cpu_die_fixed"]
    cpu = cpus * (cpu_die * f[c + "cpu_die"] + f[c + "cpu_base"])
    modules = np.ceil(memory_gb / f[c + "ram_module"])
    ram = memory_gb / f[c + "ram_density"] * f[c + "ram_die"] + modules * f[c + "ram_base"]
    drives = np.ceil(ssd_tb)  # drives of 1 TB, rounded up
    ssd = ssd_tb * 1000 / f[c + "ssd_density"] * f[c + "ssd_die"] + drives * f[c + "ssd_base"]
    return cpu + ram + ssd + gpus * f[c + "gpu"] + f[c + "fixed"]


def archetype_part(f: FactorValues, archetype: np.ndarray, part: str) -> np.ndarray:
    """(M, S): each group's archetype value of one part (`archetype`: indexes, shape (M, 1))."""
    table = np.stack(np.broadcast_arrays(*(f[f"server.{a}.{part}"] for a in SERVER_ARCHETYPES)))
    return table[archetype[:, 0]]


def medium_equivalents(f: FactorValues, archetype: np.ndarray, given: dict[str, np.ndarray]):
    """(M, S): how many medium servers' manufacturing each group's server is.

    `archetype` (M, 1) holds indexes into SERVER_ARCHETYPES; `given` maps each of PARTS to
    (M, 1) values, NaN where the questionnaire leaves the archetype's value.
    """
    parts = {
        p: np.where(np.isnan(given[p]), archetype_part(f, archetype, p), given[p]) for p in PARTS
    }
    medium = component_carbon(f, *(f[f"server.{DEFAULT_ARCHETYPE}.{p}"] for p in PARTS))
    return component_carbon(f, *(parts[p] for p in PARTS)) / medium
