"""The impact criteria: the reference method's five first, then water use and fossil
resources, energy last; each with its unit, known to the factor tables and worded in both
languages."""

from __future__ import annotations

import dataclasses

import pytest

from acvnum.i18n import catalogue
from acvnum.reference.criteria import (
    BY_ID,
    CRITERIA,
    CRITERION_IDS,
    ENERGY,
    IMPACT_IDS,
    REFERENCE_IDS,
)
from acvnum.reference.factors import load_factors


def test_the_reference_method_s_five_come_first_and_energy_last():
    # ADEME RCP / EF 3.x: climate change, minerals and metals, acidification, particulate
    # matter, ionising radiation; then the EF criteria covered where a source exists
    assert REFERENCE_IDS == (
        "climate_change",
        "minerals_metals",
        "acidification",
        "particulate_matter",
        "ionising_radiation",
    )
    assert (*REFERENCE_IDS, "water_use", "fossil_resources") == IMPACT_IDS
    assert (*IMPACT_IDS, "energy") == CRITERION_IDS
    assert CRITERION_IDS[ENERGY] == "energy" and len(CRITERION_IDS) - 1 == ENERGY


def test_ids_are_unique_and_by_id_finds_each_criterion():
    assert len(set(CRITERION_IDS)) == len(CRITERIA)
    assert [BY_ID[c.id] for c in CRITERIA] == list(CRITERIA)


@pytest.mark.parametrize(
    ("criterion", "unit"),
    [
        ("climate_change", "kg CO2 eq"),
        ("minerals_metals", "kg Sb eq"),
        ("acidification", "mol H+ eq"),
        ("particulate_matter", "disease incidence"),
        ("ionising_radiation", "kBq U235 eq"),
        ("water_use", "m3 world eq"),
        ("fossil_resources", "MJ"),
        ("energy", "kWh"),
    ],
)
def test_each_criterion_s_unit_is_the_ef_indicator_s(criterion, unit):
    # the units of the README's table 'What each criterion means' (EF 3.x indicators)
    assert BY_ID[criterion].unit == unit


def test_a_short_unit_is_never_longer_than_the_unit():
    assert all(len(c.short_unit) <= len(c.unit) for c in CRITERIA)
    assert BY_ID["climate_change"].short_unit == "kg CO2e"


def test_criteria_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BY_ID["energy"].unit = "MWh"  # type: ignore[misc]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_criterion_has_a_label_in_each_language(lang):
    words = catalogue(lang)
    assert all(words[f"criterion.{c}"] for c in CRITERION_IDS)


@pytest.mark.parametrize("criterion", IMPACT_IDS)
def test_the_factor_tables_characterise_every_impact_criterion_in_its_unit(criterion):
    # French electricity has a factor for each criterion, per kWh, in the criterion's unit;
    # energy has none: it is the kWh counted directly
    table = load_factors()
    factor = table[f"electricity.FRA.{criterion}"]
    assert factor.unit == f"{BY_ID[criterion].unit}/kWh"
    assert "electricity.FRA.energy" not in table
