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


def _whole(value: Value) -> bool:
    """A whole count as shown (3 significant digits): '2', not '1.33'."""
    amount = value.amount
    return isinstance(amount, float | int) and float(f"{amount:.3g}").is_integer()


def words(change: Change, t: Translator) -> str:
    """The change as a reader would say it, in the report's language."""
    key, subject = _pattern(change)
    if key == "words.hosting.servers.count" and not _whole(change.after):
        key = "words.hosting.servers.running"  # an average over time, not a server count
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


def _value(value: Value, t: Translator) -> str:
    """A value as the sentence needs it: storage types in capitals, the rest localised."""
    if value.amount in ("ssd", "hdd"):
        return str(value.amount).upper()
    return t.value(value)


def sentence(changes: tuple[Change, ...], t: Translator) -> str:
    """Every change of a lever in words, joined as one phrase."""
    return t("punctuation.semicolon").join(words(c, t) for c in changes)
