"""The impact criteria: the five of the French reference method for digital services
(ADEME RCP, EF 3.x) plus final energy, the raw indicator people can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    id: str
    unit: str
    short_unit: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("climate_change", "kg CO2 eq", "kg CO2e"),
    Criterion("minerals_metals", "kg Sb eq", "kg Sb eq"),
    Criterion("acidification", "mol H+ eq", "mol H+ eq"),
    Criterion("particulate_matter", "disease incidence", "disease inc."),
    Criterion("ionising_radiation", "kBq U235 eq", "kBq U235 eq"),
    Criterion("energy", "kWh", "kWh"),
)
CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in CRITERIA)
#: The criteria characterised by the factor tables; `energy` is the kWh counted directly.
IMPACT_IDS: tuple[str, ...] = CRITERION_IDS[:-1]
ENERGY = CRITERION_IDS.index("energy")
BY_ID = {c.id: c for c in CRITERIA}
