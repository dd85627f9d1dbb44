"""What fills a questionnaire value the file leaves out: one table, read by the inventory,
the assumptions, the levers and `--what-if`.

A default is either a factor of the factor tables (a user's own table may change it) or
the region whose electricity applies when no country is given; `design` defaults are
conventions of acvnum kept by the questionnaire's models themselves (one environment,
SSD storage, a one-year period), listed here with the source the report gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

from acvnum.questionnaire import units
from acvnum.reference.factors import FactorTable

#: The electricity region of users or hosting when the file names no country.
DEFAULT_REGION = "WLD"
#: The source shown for a default that is a modelling convention, not a factor.
DESIGN_DEFAULT = "acvnum default (docs/methodology.md)"

Pattern = tuple[str, ...]  # a questionnaire path, '*' for any item of a list


@dataclass(frozen=True)
class Default:
    """One default: the factor that gives it, and how its unit becomes the questionnaire's."""

    factor: str  # the factor id
    to_base: float = 1.0  # factor unit -> the questionnaire's base unit (years -> seconds)


#: Questionnaire path pattern -> the factor whose value fills it when the file leaves it out.
FACTOR_DEFAULTS: dict[Pattern, Default] = {
    ("hosting", "pue"): Default("datacenter.default.pue"),
    ("hosting", "servers", "*", "lifetime"): Default(
        "server.physical.lifetime", units.SECONDS_PER_YEAR
    ),
    ("hosting", "servers", "*", "utilization"): Default("datacenter.default.utilization"),
    ("hosting", "storage", "replicas"): Default("storage.default.replicas"),
}
#: The two locations: an absent country is the default region.
REGION_DEFAULTS: frozenset[Pattern] = frozenset({("usage", "location"), ("hosting", "location")})


def factor_id(pattern: Pattern) -> str:
    """The factor behind a defaulted value ('datacenter.default.pue' for hosting.pue)."""
    return FACTOR_DEFAULTS[pattern].factor


def value(pattern: Pattern, table: FactorTable) -> float | str | None:
    """The value the calculation uses where the file leaves `pattern` out, in the
    questionnaire's base unit; None where no table default applies (a modelled power)."""
    if pattern in REGION_DEFAULTS:
        return DEFAULT_REGION
    found = FACTOR_DEFAULTS.get(pattern)
    if found is None:
        return None
    return table.value(found.factor) * found.to_base


def region_source(table: FactorTable) -> str:
    """Where the default region's figures come from."""
    return table[f"electricity.{DEFAULT_REGION}.climate_change"].source
