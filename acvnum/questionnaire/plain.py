"""The plain reader: a questionnaire's data -> records, without pydantic, for input it fully
understands; `None` (it declines) for anything else, which the models then validate and word.

It reads each field with the same readers (rules.read_*, units.parse_*) and checks it with the
same rules the models' validators call, so it builds exactly the records pydantic would; it has
no messages of its own. It declines on anything unusual or refused: a key it does not know, a
value of an unexpected type (a yes/no other than true or false too), a failed check, a range
('2..4 MB': questionnaire.ranges leaves files with one to the models). A start-up concern: a
valid file then never imports pydantic's model machinery (some 0.1 s of a one-file run).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from acvnum.questionnaire import records, rules, units

#: A field's reader: the value as written -> the field's value; raises on what it does not take.
Reader = Callable[[Any], Any]


#: The sections the plain reader reads, each with its fields' readers (a test holds the fields
#: equal to the models').
SECTIONS: dict[type[records.Record], dict[str, Reader]] = {}


class Shape(NamedTuple):
    """A section reader's parts: what `questionnaire.fast_path` needs to read the section line
    by line with the same field readers and checks, and build the record `section` would."""

    cls: type[records.Record]
    readers: dict[str, Reader]
    required: frozenset[str]
    check: Callable[[Any], None] | None = None


#: The section readers (`section`, `checked`) by reader, and the item reader of each `items`.
SHAPES: dict[Reader, Shape] = {}
ITEMS: dict[Reader, Reader] = {}
#: Each `number` reader's parts: how it reads the value as written, and its check (what
#: `questionnaire.fast_path` needs to read a number written in a known way without them).
NUMBERS: dict[Reader, tuple[Reader, Reader]] = {}


class Shares(NamedTuple):
    """A shares section's reader's parts: what `questionnaire.fast_path` needs to read the
    usual section (known keys, each a fraction from 0 to 1) from fractions it remembers by
    line. `usual(fractions, total)`: the section's record, or None where the fractions
    (`total`: their sum, in order) do not sum to 100% within the tolerance and the reader
    must scale them the general way."""

    keys: frozenset[str]
    read_fraction: Reader
    usual: Callable[[dict[str, float], float], Any]


#: The shares sections' readers' parts, by reader.
SHARES: dict[Reader, Shares] = {}


class Declined(Exception):
    """The plain reader does not take this input."""


def read(data: Any) -> records.Questionnaire | None:
    """The questionnaire's records, or None where the models must read `data`."""
    try:
        questionnaire = _QUESTIONNAIRE(data)
    except Exception:  # any refusal or surprise: the models read it and say what is wrong
        return None
    return None if rules.impossible(questionnaire) else questionnaire


def _unchecked(value: float) -> float:
    return value


#: Texts a field's reader remembers at most (then it starts again): memory stays bounded.
REMEMBERED = 4096


def remembered(read_field: Reader) -> Reader:
    """`read_field`, remembering what it made of each text or integer, per decimal-comma
    convention: a portfolio's files write the same '3 min', '2 MB', '60%' and `count: 2`
    again and again, and the readers and checks are pure (the same text, the same value or
    the same refusal; a refusal is not remembered). Values are immutable (floats,
    Frequency), so services share them."""
    known: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    comma_in_force = units.comma_in_force

    def reader(raw: Any) -> Any:
        if type(raw) is not str and type(raw) is not int:  # (not a bool, nor a float: 1.0 == 1)
            return read_field(raw)
        texts = known[comma_in_force()]
        value = texts.get(raw, texts)
        if value is texts:
            value = read_field(raw)
            if len(texts) >= REMEMBERED:
                texts.clear()
            texts[raw] = value
        return value

    return reader


def number(read_value: Reader, check: Reader = _unchecked, optional: bool = False) -> Reader:
    """A quantity or plain number: read, then checked (None passes where it may be left out);
    only a finite float, as the models' `float` type takes (they allow no inf or nan)."""
    isfinite = math.isfinite

    def reader(raw: Any) -> Any:
        if raw is None and optional:
            return None
        value = read_value(raw)
        if type(value) is not float or not isfinite(value):
            raise Declined
        return check(value)

    read = remembered(reader)
    NUMBERS[read] = (read_value, check)
    return read


def frequency(check: Reader, optional: bool = False) -> Reader:
    def reader(raw: Any) -> units.Frequency | None:
        if raw is None and optional:
            return None
        value = units.parse_frequency(raw)
        if type(value) is not units.Frequency:
            raise Declined
        return check(value)

    return remembered(reader)


def text(optional: bool = False, min_length: int = 0) -> Reader:
    """Text as written. With a minimum length, text with a lone surrogate (a Python str from
    the API: YAML cannot write one) is declined: pydantic refuses it there (checking the
    length, it reads the text as UTF-8), though it takes it in a field of any text."""

    def reader(raw: Any) -> str | None:
        if raw is None and optional:
            return None
        if type(raw) is not str or len(raw) < min_length:
            raise Declined
        if min_length and not raw.isascii():
            raw.encode()  # UnicodeEncodeError on a lone surrogate: declined
        return raw

    return reader


def gpu(optional: bool = False) -> Reader:
    """A GPU's type as the models read it: 'NVIDIA H100 SXM5' -> 'h100'."""

    def reader(raw: Any) -> str | None:
        if raw is None and optional:
            return None
        return rules.gpu_type(raw)

    return reader


def choice(choices: tuple[str, ...], optional: bool = False) -> Reader:
    def reader(raw: Any) -> str | None:
        if raw is None and optional:
            return None
        if type(raw) is not str or raw not in choices:
            raise Declined
        return raw

    return reader


def flag(raw: Any) -> bool:
    """A yes/no: only YAML's true or false (the models would also read 1, 'yes', 'on'...)."""
    if type(raw) is not bool:
        raise Declined
    return raw


def section(
    cls: type[records.Record], readers: dict[str, Reader], optional: bool = False
) -> Callable[[Any], Any]:
    """A mapping of known keys, each read by its reader; the record's defaults fill the rest."""
    required = frozenset(cls.FIELDS) - frozenset(cls.DEFAULTS)
    known = readers.keys()
    SECTIONS[cls] = readers

    def reader(raw: Any) -> Any:
        if raw is None and optional:
            return None
        if type(raw) is not dict or not raw.keys() <= known or not required <= raw.keys():
            raise Declined
        values = {}
        for key, v in raw.items():  # (a loop, not a comprehension: no frame of its own)
            values[key] = readers[key](v)
        return cls.trusted(frozenset(raw), values)

    SHAPES[reader] = Shape(cls, readers, required)
    return reader


def items(read_item: Reader) -> Reader:
    def reader(raw: Any) -> list[Any]:
        if type(raw) is not list:
            raise Declined
        return [read_item(item) for item in raw]

    ITEMS[reader] = read_item
    return reader


def checked(read_section: Reader, check: Callable[[Any], None]) -> Reader:
    """A section and the check of its values together (a model validator, mode 'after')."""

    def reader(raw: Any) -> Any:
        value = read_section(raw)
        if value is not None:
            check(value)
        return value

    shape = SHAPES.get(read_section)
    if shape is not None:
        SHAPES[reader] = shape._replace(check=check)
    return reader


def shares(cls: type[records.Record], what: str) -> Reader:
    """Devices or network: renormalised within the tolerance, each a share, summing to 100%.

    The usual section (known keys, each share a fraction from 0 to 1, summing to 100% within
    the tolerance) is scaled here from the fractions read once: `rules.renormalised` and each
    share's reader would read every fraction twice more (a portfolio's every file has two
    such sections). Anything else goes the general way, which scales what it may and
    declines the rest.
    """
    read_share = number(units.parse_fraction, rules.share)
    read_section = section(cls, dict.fromkeys(cls.FIELDS, read_share))
    read_fraction = remembered(units.parse_fraction)
    known = frozenset(cls.FIELDS)
    tolerance = rules.SHARE_TOLERANCE

    def reader(raw: Any) -> Any:
        if type(raw) is not dict:
            raise Declined
        # Each text read once (remembered); renormalised reads the numbers as they are, and
        # whatever it leaves unscaled (out of range, not summing to 100%) is refused below.
        fractions = {key: read_fraction(value) for key, value in raw.items()}
        total = sum(fractions.values())  # in the order renormalised sums them
        if raw.keys() <= known and all(
            type(v) is float and 0.0 <= v <= 1.0 for v in fractions.values()
        ):
            record = usual(fractions, total)
            if record is not None:
                return record
        record = read_section(rules.renormalised(fractions))
        rules.shares_sum_to_one(dict(record.items()), what)
        return record

    def usual(fractions: dict[str, float], total: float) -> Any:
        if abs(total - 1.0) > tolerance:
            return None
        # What renormalised scales them to; each is then a share (0 <= v <= total), and
        # they sum to 1 within a few units of the last place (at most five terms, each
        # within one of v / total), far inside the tolerance shares_sum_to_one allows:
        # it could not refuse them, and is not asked (a third of a new section's time).
        scaled = {key: value / total for key, value in fractions.items()}
        return cls.trusted(frozenset(fractions), scaled)

    SHARES[reader] = Shares(known, read_fraction, usual)
    return reader


# --- the questionnaire, section by section, as the models declare it ------------------------

_FRACTION = number(units.parse_fraction, optional=True)
_DEVICE = section(
    records.DeviceSettings,
    {
        "lifetime": number(rules.read_long_duration, rules.device_lifetime, optional=True),
        "hours_per_day": number(rules.read_daily_hours, rules.hours_per_day, optional=True),
        "power": number(rules.read_power, rules.device_power, optional=True),
        "standby": number(rules.read_power, rules.device_standby, optional=True),
    },
    optional=True,
)
_EQUIPMENT_COUNT = number(rules.read_count, rules.equipment_count)
_TERMINALS = section(
    records.Terminals,
    {
        "location": text(optional=True),
        **dict.fromkeys(rules.DEVICE_TYPES, _DEVICE),
        "equipment": section(
            records.Equipment, dict.fromkeys(rules.EQUIPMENT_TYPES, _EQUIPMENT_COUNT), optional=True
        ),
        **dict.fromkeys(rules.EQUIPMENT_TYPES, _DEVICE),
    },
    optional=True,
)
_USAGE = section(
    records.Usage,
    {
        "users": number(rules.read_users, rules.users),
        "visits_per_user": frequency(rules.visits_per_user),
        "visit_duration": number(rules.read_duration, rules.visit_duration),
        "data_per_visit": number(rules.read_data_size, rules.data_per_visit),
        "devices": shares(records.Devices, "device"),
        "network": shares(records.Network, "network"),
        "location": text(optional=True),
        "network_model": choice(rules.NETWORK_MODELS, optional=True),
    },
)


def _part(name: str) -> Reader:
    return number(rules.read_count, lambda value: rules.server_part(name, value, False), True)


_SERVER = checked(
    section(
        records.Server,
        {
            "name": text(),
            "count": number(rules.read_count, lambda value: rules.server_count(value, False)),
            "type": choice(rules.SERVER_TYPES),
            "provider": choice(rules.CLOUD_PROVIDERS, optional=True),
            "instance": text(optional=True),
            "vcpu": number(rules.read_vcpu, rules.server_vcpu, optional=True),
            "utilization": number(units.parse_fraction, rules.server_utilization, optional=True),
            "lifetime": number(rules.read_long_duration, rules.server_lifetime, optional=True),
            "power": number(rules.read_power, rules.server_power, optional=True),
            "archetype": choice(rules.SERVER_ARCHETYPES, optional=True),
            "cpus": _part("cpus"),
            "cores": _part("cores"),
            "memory": number(rules.read_storage_size, rules.server_memory, optional=True),
            "ssd": number(rules.read_storage_size, rules.server_ssd, optional=True),
            "gpus": _part("gpus"),
        },
    ),
    rules.server_consistent,
)
_HOSTING = section(
    records.Hosting,
    {
        "location": text(optional=True),
        "pue": number(rules.read_ratio, rules.pue, optional=True),
        "servers": items(_SERVER),
        "storage": section(
            records.Storage,
            {
                "volume": number(rules.read_storage_size, rules.storage_volume),
                "type": choice(rules.STORAGE_TYPES),
                "replicas": number(
                    rules.read_count, lambda value: rules.storage_replicas(value, False), True
                ),
            },
            optional=True,
        ),
        "shared": items(
            section(
                records.Shared,
                {
                    "name": text(),
                    "per": choice(rules.SHARED_PER),
                    "share": number(units.parse_fraction, rules.share),
                    "energy": number(rules.read_energy, rules.shared_energy, optional=True),
                },
            )
        ),
        "environments": number(rules.read_count, rules.environments),
        "electricity_factor": number(
            units.parse_carbon_intensity, rules.electricity_factor, optional=True
        ),
        "infrastructure": choice(rules.INFRASTRUCTURES, optional=True),
    },
    optional=True,
)


_AI = checked(
    section(
        records.AI,
        {
            "requests_per_visit": number(
                units.parse_number, rules.requests_per_visit, optional=True
            ),
            "requests_per_user": frequency(rules.requests_per_user, optional=True),
            "output_tokens": number(rules.read_tokens, rules.output_tokens),
            "input_tokens": number(rules.read_tokens, rules.input_tokens, optional=True),
            "model": checked(
                section(
                    records.AIModelSize,
                    {
                        "size": choice(rules.AI_SIZES, optional=True),
                        "parameters": number(rules.parse_parameters, rules.parameters, True),
                        "active_parameters": number(rules.parse_parameters, rules.parameters, True),
                    },
                ),
                rules.model_consistent,
            ),
            "self_hosted": section(
                records.SelfHosted,
                {
                    "gpus": number(rules.read_count, lambda value: rules.gpus(value, False)),
                    "gpu": gpu(),
                    "utilization": number(
                        units.parse_fraction, rules.gpu_utilization, optional=True
                    ),
                    "location": text(optional=True),
                    "pue": number(rules.read_ratio, rules.pue, optional=True),
                },
                optional=True,
            ),
            "training": section(
                records.Training,
                {
                    "gpu_hours": number(units.parse_number, rules.gpu_hours),
                    "gpu": gpu(optional=True),
                    "amortised_over": number(rules.read_long_duration, rules.amortised_over),
                },
                optional=True,
            ),
        },
        optional=True,
    ),
    rules.ai_consistent,
)
_VIDEO = checked(
    section(
        records.Video,
        {
            "watched_per_visit": number(
                rules.read_duration, rules.watched_per_visit, optional=True
            ),
            "watched_per_user": number(
                rules.read_long_duration, rules.watched_per_user, optional=True
            ),
            "quality": choice(rules.VIDEO_QUALITIES),
            "call_participants": number(
                rules.read_count, lambda value: rules.call_participants(value, False), True
            ),
            "background_share": number(units.parse_fraction, rules.share),
            "audio_in_background": flag,
        },
        optional=True,
    ),
    rules.video_consistent,
)
_MESSAGES = section(
    records.Messages,
    {
        "per_user": frequency(rules.messages_per_user),
        "size": number(rules.read_data_size, rules.message_size, optional=True),
        "recipients": number(rules.read_count, rules.recipients, optional=True),
        "retention": number(rules.read_long_duration, rules.retention, optional=True),
        "copies": number(rules.read_count, rules.copies, optional=True),
        "attachments_as_links": flag,
    },
    optional=True,
)


def _budget(raw: Any) -> records.Budget:
    """A budget: `max` is read in its criterion's unit, so the criterion is checked first."""
    if type(raw) is not dict:
        raise Declined
    criterion = raw.get("criterion")
    if type(criterion) is not str:
        raise Declined
    rules.budget_criterion(criterion)
    return _BUDGET({**raw, "max": rules.budget_max(criterion, raw["max"])} if "max" in raw else raw)


_BUDGET = checked(
    section(
        records.Budget,
        {
            "criterion": text(),
            "per": choice(rules.BUDGET_PER),
            "max": number(float, optional=True),
            "max_boundary_share": _FRACTION,
        },
    ),
    rules.budget_consistent,
)
_QUESTIONNAIRE = section(
    records.Questionnaire,
    {
        "name": text(min_length=1),
        "description": text(optional=True),
        "functional_unit": text(optional=True, min_length=1),
        "period": number(rules.read_long_duration, rules.period),
        "usage": _USAGE,
        "hosting": _HOSTING,
        "terminals": _TERMINALS,
        "ai": _AI,
        "video": _VIDEO,
        "messages": _MESSAGES,
        "budgets": items(_budget),
    },
)
