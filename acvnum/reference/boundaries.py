"""Planetary boundaries (Sala et al. 2020, Table 3) shared per person, and normalisation.

A global yearly boundary divided by a population gives one person's yearly share; the
population is a stated, overridable choice (Sala's own 2010 figure or today's).
"""

from __future__ import annotations

from dataclasses import dataclass

from acvnum.reference.criteria import IMPACT_IDS
from acvnum.reference.factors import FactorTable

POPULATIONS = ("current", "sala2010")
DEFAULT_POPULATION = "current"


@dataclass(frozen=True)
class Boundaries:
    """One person's yearly boundary per criterion, and the choices behind it."""

    population_choice: str
    population: float
    per_person_year: dict[str, float]
    source: str

    def persons_equivalent(self, criterion: str, yearly_impact: float) -> float | None:
        """How many people's whole yearly boundary the impact uses."""
        boundary = self.per_person_year.get(criterion)
        return None if boundary is None else yearly_impact / boundary


def boundaries(table: FactorTable, population_choice: str = DEFAULT_POPULATION) -> Boundaries:
    """Per-person boundaries for the chosen population (criteria without one are left out)."""
    population = table.value(f"boundary.population.{population_choice}")
    per_person = {
        c: table.value(f"boundary.{c}.global") / population
        for c in IMPACT_IDS
        if f"boundary.{c}.global" in table
    }
    source = table[f"boundary.{IMPACT_IDS[0]}.global"].source
    return Boundaries(population_choice, population, per_person, source)
