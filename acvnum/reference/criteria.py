"""The impact criteria: the five of the French reference method for digital services
(ADEME RCP, EF 3.x), water use and fossil resource use (EF 3.x, covered where a source
exists: see acvnum.calculation.coverage), plus final energy, the raw indicator people can
act on. Energy stays last: the impact criteria are every id before it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    """An impact criterion: its id, its unit and the unit as a narrow table shows it."""

    id: str
    unit: str
    short_unit: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("climate_change", "kg CO2 eq", "kg CO2e"),
    Criterion("minerals_metals", "kg Sb eq", "kg Sb eq"),
    Criterion("acidification", "mol H+ eq", "mol H+ eq"),
    Criterion("particulate_matter", "disease incidence", "disease inc."),
    Criterion("ionising_radiation", "kBq U235 eq", "kBq U235 eq"),
    Criterion("water_use", "m3 world eq", "m3 world eq"),
    Criterion("fossil_resources", "MJ", "MJ"),
    Criterion("energy", "kWh", "kWh"),
)
CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in CRITERIA)
#: The criteria characterised by the factor tables; `energy` is the kWh counted directly.
IMPACT_IDS: tuple[str, ...] = CRITERION_IDS[:-1]
ENERGY = CRITERION_IDS.index("energy")
#: The five criteria of the French reference method: every activity has a factor for them;
#: the others (water use, fossil resources) only where a source exists.
REFERENCE_IDS: tuple[str, ...] = IMPACT_IDS[:5]
BY_ID = {c.id: c for c in CRITERIA}
