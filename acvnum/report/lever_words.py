"""A lever's changes said in words ("keep laptops 7.5 years instead of 5 years"), beside the
technical change (`device.laptop.lifetime: 5 years → 7.5 years`) that the JSON carries.

Each changed path has a sentence in the catalogue (`words.<path pattern>`); a path without
one (a --what-if on any field) is shown as the technical change, which is always correct.
"""

from __future__ import annotations

import re

from acvnum.analysis.variants import Change
from acvnum.i18n import Translator, Value

#: 'hosting.servers[0].count' -> 'hosting.servers.count'; 'device.laptop.lifetime' ->
#: 'device.lifetime' with the device as its subject.
_INDEX = re.compile(r"\[\d+\]")
_DEVICE = re.compile(r"device\.(?P<device>\w+)\.(?P<quantity>\w+)")


def _pattern(change: Change) -> tuple[str, str]:
    """The catalogue key of a change's sentence and the subject it speaks of."""
    device = _DEVICE.fullmatch(change.path)
    if device is not None:
        return f"words.device.{device['quantity']}", device["device"]
    return "words." + _INDEX.sub("", change.path), change.subject


def words(change: Change, t: Translator) -> str:
    """The change as a reader would say it, in the report's language."""
    key, subject = _pattern(change)
    key = _form(key, change.after, t)
    if key not in t.messages:
        return change.text(t)
    if key == "words.device.lifetime":
        subject = t(f"device_plural.{subject}")
    return t(
        key,
        subject=subject,
        before=_value(change.before, t),
        after=_value(change.after, t),
    )


def _form(key: str, after: Value, t: Translator) -> str:
    """The sentence for a switch turned on or off ('.true', '.false'), or for one of
    something ('.one': '1 server', 'a single copy') where the catalogue has it."""
    amount = after.amount
    if isinstance(amount, bool):
        return f"{key}.{str(amount).lower()}"
    if isinstance(amount, int | float) and f"{key}.one" in t.messages:
        return f"{key}.one" if t.plural(amount) == "one" else key
    return key


#: Values named as people write them: storage media and video qualities.
_NAMES = {"ssd": "SSD", "hdd": "HDD", "sd": "SD", "hd": "HD", "full_hd": "Full HD", "uhd": "UHD"}


def _value(value: Value, t: Translator) -> str:
    """A value as the sentence needs it: media and qualities by name, the rest localised."""
    if isinstance(value.amount, str) and value.amount in _NAMES:
        return _NAMES[value.amount]
    return t.value(value)


def sentence(changes: tuple[Change, ...], t: Translator) -> str:
    """Every change of a lever in words, joined as one phrase."""
    return t("punctuation.semicolon").join(words(c, t) for c in changes)
