"""Planetary boundaries shared per person (Sala et al. 2020, Table 3, in factors/
boundaries.csv): a global yearly boundary over a population, and an impact as a number of
persons' yearly shares."""

from __future__ import annotations

import pytest

from acvnum.reference.boundaries import (
    DEFAULT_POPULATION,
    POPULATIONS,
    Boundaries,
    boundaries,
)
from acvnum.reference.criteria import IMPACT_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()


def test_a_person_s_share_is_the_global_boundary_over_today_s_population():
    limits = boundaries(TABLE)
    assert DEFAULT_POPULATION == "current" and limits.population_choice == "current"
    # Sala et al. 2020: 6.81e12 kg CO2 eq a year for the world; 8.0e9 people today
    assert limits.population == 8.0e9
    assert limits.per_person_year["climate_change"] == pytest.approx(6.81e12 / 8.0e9)  # 851 kg


def test_sala_s_own_2010_population_gives_larger_shares():
    limits = boundaries(TABLE, "sala2010")
    assert limits.population == 6.916e9
    assert limits.per_person_year["climate_change"] == pytest.approx(6.81e12 / 6.916e9)  # 985 kg
    assert limits.per_person_year["minerals_metals"] == pytest.approx(2.19e8 / 6.916e9)


@pytest.mark.parametrize("choice", POPULATIONS)
def test_every_impact_criterion_with_a_global_boundary_has_a_share(choice):
    limits = boundaries(TABLE, choice)
    assert set(limits.per_person_year) == set(IMPACT_IDS)  # the seven; energy has none
    assert all(share > 0 for share in limits.per_person_year.values())
    assert "Sala" in limits.source


def test_an_unknown_population_is_no_factor():
    with pytest.raises(KeyError):
        boundaries(TABLE, "1900")


def test_persons_equivalent_is_the_impact_in_yearly_shares():
    limits = Boundaries("current", 8.0e9, {"climate_change": 850.0}, "Sala")
    # 1700 kg CO2 eq a year is two persons' whole yearly share of 850 kg
    assert limits.persons_equivalent("climate_change", 1700.0) == 2.0
    assert limits.persons_equivalent("climate_change", 0.0) == 0.0
    assert limits.persons_equivalent("energy", 1700.0) is None  # no boundary
