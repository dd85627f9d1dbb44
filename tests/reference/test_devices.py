"""acvnum.reference.devices: the device vocabularies, one list for the factor tables, the
defaults and the questionnaire."""

from __future__ import annotations

from acvnum.questionnaire import rules
from acvnum.reference import devices
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors(None)


def test_the_questionnaire_names_the_same_devices():
    # rules re-exports the tuples: a device added here is one the questionnaire accepts
    assert rules.DEVICE_TYPES is devices.DEVICE_TYPES
    assert rules.EQUIPMENT_TYPES is devices.EQUIPMENT_TYPES


def test_a_device_is_a_visit_device_or_household_equipment_never_both():
    assert not set(devices.DEVICE_TYPES) & set(devices.EQUIPMENT_TYPES)
    assert len(set(devices.DEVICE_TYPES)) == len(devices.DEVICE_TYPES) == 5
    assert len(set(devices.EQUIPMENT_TYPES)) == len(devices.EQUIPMENT_TYPES) == 3


def test_every_visit_device_has_its_manufacturing_factor_for_every_criterion_and_its_use():
    # manufacturing per criterion (factors/devices.csv), then what the use phase needs
    needed = [*CRITERION_IDS, "lifetime", "power", "active_hours"]
    missing = [
        f"device.{device}.{what}"
        for device in devices.DEVICE_TYPES
        for what in needed
        if what != "energy" and f"device.{device}.{what}" not in TABLE.factors
    ]
    assert missing == []


def test_household_equipment_has_its_carbon_lifetime_power_hours_and_standby():
    # kept whole all period, on and in standby (the module's docstring): standby is needed
    for device in devices.EQUIPMENT_TYPES:
        for what in ("climate_change", "lifetime", "power", "active_hours", "standby"):
            assert f"device.{device}.{what}" in TABLE.factors, (device, what)
