"""A change said in words ("keep laptops 7.5 years instead of 5 years"), beside the
technical change (`device.laptop.lifetime: 5 years → 7.5 years`) that the JSON carries: a
lever's changes and the user's --what-if alike, in every report.

Each changed path has a sentence in the catalogue (`words.<path pattern>`); a path without
one is shown as the technical change alone, which is always correct.
"""

from __future__ import annotations

import re

from acvnum.analysis.variants import Change
from acvnum.i18n import Translator, Value

#: 'hosting.servers[0].count' -> 'hosting.servers.count'; 'device.laptop.lifetime' ->
#: 'device.lifetime' with the device as its subject.
_INDEX = re.compile(r"\[\d+\]")
#: A device's factor (a lever's `device.laptop.lifetime`) and a device's answer (a
#: --what-if's `terminals.laptop.lifetime`) say the same thing: one sentence for both.
_DEVICE = re.compile(r"(?:device|terminals)\.(?P<device>\w+)\.(?P<quantity>\w+)")
#: The share of visits made on a device: `usage.devices.laptop`.
_SHARE = re.compile(r"usage\.devices\.(?P<device>\w+)")
_DEVICES = frozenset({"smartphone", "tablet", "laptop", "desktop", "television"})


def _pattern(change: Change) -> tuple[str, str]:
    """The catalogue key of a change's sentence and the subject it speaks of."""
    device = _DEVICE.fullmatch(change.path)
    if device is not None and device["device"] in _DEVICES:
        return f"words.device.{device['quantity']}", device["device"]
    share = _SHARE.fullmatch(change.path)
    if share is not None and share["device"] in _DEVICES:
        return "words.usage.devices", share["device"]
    return "words." + _INDEX.sub("", change.path), change.subject


def in_words(change: Change, t: Translator) -> str | None:
    """The change as a reader would say it, in the report's language; None when the
    catalogue has no sentence for its path."""
    key, subject = _pattern(change)
    key = _form(key, change.after, t)
    if key not in t.messages:
        return None
    if key.startswith(("words.device.", "words.usage.devices")):
        subject = t(f"device_plural.{subject}")
    return t(
        key,
        subject=subject,
        before=_value(change.before, t),
        after=_value(change.after, t),
    )


def words(change: Change, t: Translator) -> str:
    """The change in words, else as the technical change."""
    said = in_words(change, t)
    return change.text(t) if said is None else said


def described(change: Change, t: Translator) -> tuple[str, str | None]:
    """(what a reader reads first, the technical change beside it): the sentence and the
    change, or the change alone (None beside) when there is no sentence to put first."""
    said = in_words(change, t)
    return (change.text(t), None) if said is None else (said, change.text(t))


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
