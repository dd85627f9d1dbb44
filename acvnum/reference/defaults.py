"""What fills a questionnaire value the file leaves out: one table, read by the inventory,
the assumptions, the levers and `--what-if`.

A default is either a factor of the factor tables (a user's own table may change it), the
region whose electricity applies when no country is given, or another answer of the same
questionnaire that comes first (a self-hosted model's PUE is the hosting's when it has
one); `design` defaults are conventions of acvnum kept by the questionnaire's models
themselves (one environment, SSD storage, a one-year period), listed here with the source
the report gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

from acvnum.questionnaire import units
from acvnum.reference.devices import DEVICE_TYPES, EQUIPMENT_TYPES
from acvnum.reference.factors import FactorTable

#: The electricity region of users or hosting when the file names no country.
DEFAULT_REGION = "WLD"
#: The source shown for a default that is a modelling convention, not a factor.
DESIGN_DEFAULT = "acvnum default (acvnum method)"
#: The source shown for the devices' electricity region when `terminals.location` is left
#: out: the users' country, another answer of the questionnaire. Taking it is a convention
#: of the method, which the result JSON cites for it (DESIGN_DEFAULT's publication).
USERS_LOCATION = "usage.location"
#: The source shown for the market-based climate total: the contract's factor, another answer
#: of the questionnaire, applied by the method's convention (GHG Protocol dual reporting).
CONTRACT_FACTOR = "hosting.electricity_factor"
#: The sources that name another answer, and what the result JSON cites for each: never an
#: `own-` entry, which is for the source texts of a user's --factors table (docs/json.md).
FROM_ANSWERS = {USERS_LOCATION: DESIGN_DEFAULT, CONTRACT_FACTOR: DESIGN_DEFAULT}

Pattern = tuple[str, ...]  # a questionnaire path, '*' for any item of a list

#: A self-hosted model's PUE: the inventory and the engine's GPU mix fill it alike.
AI_PUE: Pattern = ("ai", "self_hosted", "pue")


@dataclass(frozen=True)
class Default:
    """One default: the factor that gives it, and how its unit becomes the questionnaire's."""

    factor: str  # the factor id
    to_base: float = 1.0  # factor unit -> the questionnaire's base unit (years -> seconds)


#: How each parameter of a device type (`terminals.<device>.<key>`) is filled: its factor
#: quantity (`device.<device>.<quantity>`) and the factor unit -> the questionnaire's.
DEVICE_DEFAULTS: dict[str, tuple[str, float]] = {
    "lifetime": ("lifetime", units.SECONDS_PER_YEAR),  # years -> s
    "hours_per_day": ("active_hours", units.SECONDS_PER_HOUR),  # h a day -> s a day
    "power": ("power", 1.0),  # W
}
#: A kept device's parameters (`terminals.<kind>.<key>` for EQUIPMENT_TYPES): a device
#: type's, plus its draw outside active use.
EQUIPMENT_DEFAULTS: dict[str, tuple[str, float]] = DEVICE_DEFAULTS | {"standby": ("standby", 1.0)}

#: Questionnaire path pattern -> the factor whose value fills it when the file leaves it out.
FACTOR_DEFAULTS: dict[Pattern, Default] = {
    ("hosting", "pue"): Default("datacenter.default.pue"),
    ("hosting", "servers", "*", "lifetime"): Default(
        "server.physical.lifetime", units.SECONDS_PER_YEAR
    ),
    ("hosting", "servers", "*", "utilization"): Default("datacenter.default.utilization"),
    ("hosting", "storage", "replicas"): Default("storage.default.replicas"),
    **{
        ("terminals", device, key): Default(f"device.{device}.{quantity}", to_base)
        for device in DEVICE_TYPES
        for key, (quantity, to_base) in DEVICE_DEFAULTS.items()
    },
    **{
        ("terminals", kind, key): Default(f"device.{kind}.{quantity}", to_base)
        for kind in EQUIPMENT_TYPES
        for key, (quantity, to_base) in EQUIPMENT_DEFAULTS.items()
    },
    ("ai", "self_hosted", "utilization"): Default("ai.default.utilization"),
    AI_PUE: Default("datacenter.default.pue"),
    ("messages", "size"): Default("messages.default.size", 1e6),  # MB -> bytes
    ("messages", "recipients"): Default("messages.default.recipients"),
    ("messages", "retention"): Default("messages.default.retention", units.SECONDS_PER_YEAR),
    ("messages", "copies"): Default("messages.default.copies"),
}
#: The locations: an absent country is the default region (after the answer it inherits).
REGION_DEFAULTS: frozenset[Pattern] = frozenset(
    {
        ("usage", "location"),
        ("hosting", "location"),
        ("terminals", "location"),
        ("ai", "self_hosted", "location"),
    }
)
#: Values left out that take another answer of the questionnaire first, then the default
#: above: the devices' electricity is the users' country's; a self-hosted model runs in
#: the hosting's data centre unless told otherwise.
INHERITED: dict[Pattern, Pattern] = {
    ("terminals", "location"): ("usage", "location"),
    ("ai", "self_hosted", "location"): ("hosting", "location"),
    AI_PUE: ("hosting", "pue"),
}


def factor_id(pattern: Pattern) -> str:
    """The factor behind a defaulted value ('datacenter.default.pue' for hosting.pue)."""
    return FACTOR_DEFAULTS[pattern].factor


def device_factor_id(device: str, key: str) -> str:
    """The factor behind `terminals.<device>.<key>` ('device.laptop.active_hours')."""
    return factor_id(("terminals", device, key))


def value(pattern: Pattern, table: FactorTable) -> float | str | None:
    """The value the calculation uses where the file leaves `pattern` out (and the answer
    it inherits, see INHERITED), in the questionnaire's base unit; None where no table
    default applies (a modelled power)."""
    if pattern in REGION_DEFAULTS:
        return DEFAULT_REGION
    found = FACTOR_DEFAULTS.get(pattern)
    if found is None:
        return None
    return table.value(found.factor) * found.to_base


def region_source(table: FactorTable) -> str:
    """Where the default region's figures come from."""
    return table[f"electricity.{DEFAULT_REGION}.climate_change"].source
