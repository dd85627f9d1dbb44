"""The devices whose footprint factors/devices.csv gives (`device.<type>.*`): the terminals
people use the service on, and the household equipment they keep whatever their visits.

They are the questionnaire's vocabularies too (`usage.devices`, `terminals.<type>`), named
here, below the questionnaire, so that reference.defaults can give each device its defaults
without importing the questionnaire's rules (which name them as their own).
"""

from __future__ import annotations

DEVICE_TYPES = ("smartphone", "tablet", "laptop", "desktop", "television")
#: Household devices a user keeps for the whole period, whatever the visits (terminals.
#: equipment): counted whole, on and in standby all day, not by the time of a visit.
EQUIPMENT_TYPES = ("game_console", "printer", "speaker")
