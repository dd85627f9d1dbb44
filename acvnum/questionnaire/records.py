"""A validated questionnaire as frozen records: the one type calculation, analysis, report and
assessment read, whichever reader made it (the plain reader, or pydantic's models converted).

Each record has its model's name and fields, in base units, with the model's defaults, and
`given`: the keys the file wrote (the model's `model_fields_set`), which tells a default from
an answer. Records are plain classes sharing one `__init__` rather than dataclasses: a
dataclass compiles its generated methods when its module is imported, some 20 ms for these 18
on every run, more than the records ever cost to build.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar

from acvnum.questionnaire import units

if TYPE_CHECKING:
    from collections.abc import Iterator


class Record:
    """Frozen fields named by the class's annotations, defaults as class attributes."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Field -> default; a field without one is required. A list default is copied.
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    _LISTS: ClassVar[tuple[str, ...]] = ()
    _NAMES: ClassVar[frozenset[str]] = frozenset()
    given: frozenset[str]

    def __init_subclass__(cls) -> None:
        cls.FIELDS = tuple(inspect.get_annotations(cls))
        cls.DEFAULTS = {n: cls.__dict__[n] for n in cls.FIELDS if n in cls.__dict__}
        cls._LISTS = tuple(n for n, v in cls.DEFAULTS.items() if isinstance(v, list))
        cls._NAMES = frozenset(cls.FIELDS)

    def __init__(self, given: frozenset[str] = frozenset(), **values: Any) -> None:
        fields = self.__dict__
        fields.update(self.DEFAULTS)
        for name in self._LISTS:
            fields[name] = []
        fields.update(values)
        if fields.keys() != self._NAMES:
            unknown = set(values) - self._NAMES
            missing = self._NAMES - set(fields)
            raise TypeError(f"{type(self).__name__}: unknown {unknown}, missing {missing}")
        fields["given"] = given

    @classmethod
    def trusted(cls, given: frozenset[str], values: dict[str, Any]) -> Any:
        """A record of values whose keys are known to be fields, the required ones among them
        (the plain reader checked them): built without `__init__`'s checks."""
        record = object.__new__(cls)
        fields = record.__dict__
        fields.update(cls.DEFAULTS)
        for name in cls._LISTS:
            fields[name] = []
        fields.update(values)
        fields["given"] = given
        return record

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.FIELDS)
        return f"{type(self).__name__}({shown})"

    def items(self) -> Iterator[tuple[str, Any]]:
        """(field, value) in the fields' order."""
        return ((n, self.__dict__[n]) for n in self.FIELDS)


def replace(record: Record, **changes: Any) -> Record:
    """A copy with `changes` set (no checks: the caller owns their validity); like pydantic's
    model_copy(update=...), the changed keys count as given."""
    values = dict(record.items())
    values.update(changes)
    return type(record)(given=record.given | frozenset(changes), **values)


class Devices(Record):
    """Q5: share of visits by device type."""

    smartphone: float = 0.0
    tablet: float = 0.0
    laptop: float = 0.0
    desktop: float = 0.0
    television: float = 0.0


class Network(Record):
    """Q6: share of data by access network."""

    fixed: float = 0.0
    mobile: float = 0.0


class Usage(Record):
    """Q1-Q7: who uses the service, how often, how long, on what."""

    users: float
    visits_per_user: units.Frequency
    visit_duration: float
    data_per_visit: float
    devices: Devices
    network: Network
    location: str | None = None
    network_model: str | None = None


class DeviceSettings(Record):
    """One device type's parameters, set over the reference defaults."""

    lifetime: float | None = None
    hours_per_day: float | None = None
    power: float | None = None
    standby: float | None = None


class Equipment(Record):
    """Household devices each user keeps over the whole period, per user."""

    game_console: float = 0.0
    printer: float = 0.0
    speaker: float = 0.0


class Terminals(Record):
    """Users' devices: where they draw their electricity, and per-type parameters."""

    location: str | None = None
    smartphone: DeviceSettings | None = None
    tablet: DeviceSettings | None = None
    laptop: DeviceSettings | None = None
    desktop: DeviceSettings | None = None
    television: DeviceSettings | None = None
    equipment: Equipment | None = None
    game_console: DeviceSettings | None = None
    printer: DeviceSettings | None = None
    speaker: DeviceSettings | None = None

    def setting(self, device: str, quantity: str) -> float | None:
        """A device type's parameter in base units, None where not given."""
        settings = getattr(self, device)
        return None if settings is None else getattr(settings, quantity)


class Server(Record):
    """Q9: a group of identical physical or virtual servers."""

    name: str
    count: float = 1
    type: str
    provider: str | None = None
    instance: str | None = None
    vcpu: float | None = None
    utilization: float | None = None
    lifetime: float | None = None
    power: float | None = None
    archetype: str | None = None
    cpus: float | None = None
    cores: float | None = None
    memory: float | None = None
    ssd: float | None = None
    gpus: float | None = None

    @property
    def cloud_prefix(self) -> str | None:
        """Where a named instance's factors start, 'cloud.aws.m5.large' (None: not named)."""
        if self.instance is None:
            return None
        return f"cloud.{self.provider}.{self.instance.strip().lower()}"


class Storage(Record):
    """Q10: data kept."""

    volume: float
    type: str = "ssd"
    replicas: float | None = None


class Shared(Record):
    """A platform the service shares with others, declared per GB, hour or visit."""

    name: str
    per: str
    share: float = 1.0
    energy: float | None = None


class Hosting(Record):
    """Q8-Q10: where and on what the service runs."""

    location: str | None = None
    pue: float | None = None
    servers: list[Server] = []  # noqa: RUF012 (copied for every record)
    storage: Storage | None = None
    shared: list[Shared] = []  # noqa: RUF012 (copied for every record)
    environments: float = 1
    electricity_factor: float | None = None
    infrastructure: str | None = None


class AIModelSize(Record):
    """The model: its size in parameters, or a named size class."""

    size: str | None = None
    parameters: float | None = None
    active_parameters: float | None = None


class SelfHosted(Record):
    """GPU servers run for the service."""

    gpus: float
    gpu: str = "h100"
    utilization: float | None = None
    location: str | None = None
    pue: float | None = None


class Training(Record):
    """A training or fine-tuning run, amortised over the time its model is used."""

    gpu_hours: float
    gpu: str | None = None
    amortised_over: float


class AI(Record):
    """AI inference: requests, output tokens and the model answering them."""

    requests_per_visit: float | None = None
    requests_per_user: units.Frequency | None = None
    output_tokens: float
    input_tokens: float | None = None
    model: AIModelSize
    self_hosted: SelfHosted | None = None
    training: Training | None = None


class Video(Record):
    """Video or audio streamed, or video calls."""

    watched_per_visit: float | None = None
    watched_per_user: float | None = None
    quality: str
    call_participants: float | None = None
    background_share: float = 0.0
    audio_in_background: bool = False


class Messages(Record):
    """Messages and files sent and kept."""

    per_user: units.Frequency
    size: float | None = None
    recipients: float | None = None
    retention: float | None = None
    copies: float | None = None
    attachments_as_links: bool = False


class Budget(Record):
    """A limit that `acvnum check` enforces, on one criterion or on all of them."""

    criterion: str
    per: str
    max: float | None = None
    max_boundary_share: float | None = None


class Questionnaire(Record):
    """A whole questionnaire: the root of the YAML file."""

    name: str
    description: str | None = None
    functional_unit: str | None = None
    period: float = units.SECONDS_PER_YEAR
    usage: Usage
    hosting: Hosting | None = None
    terminals: Terminals | None = None
    ai: AI | None = None
    video: Video | None = None
    messages: Messages | None = None
    budgets: list[Budget] = []  # noqa: RUF012 (copied for every record)

    @property
    def period_years(self) -> float:
        return self.period / units.SECONDS_PER_YEAR

    @property
    def visits(self) -> float:
        """Visits over the period, all users."""
        return self.usage.users * self.usage.visits_per_user.over(self.period)


#: Every record class by name: a model converts to the record of its own name.
BY_NAME: dict[str, type[Record]] = {
    cls.__name__: cls
    for cls in (
        Devices, Network, Usage, DeviceSettings, Equipment, Terminals, Server, Storage, Shared,
        Hosting, AIModelSize, SelfHosted, Training, AI, Video, Messages, Budget, Questionnaire,
    )
}  # fmt: skip


def from_model(value: Any) -> Any:
    """A validated model (or a list of them, or a plain value) as records: the pydantic path's
    result in the one type downstream reads. Duck-typed, so this module never imports pydantic."""
    if type(value) is list:
        return [from_model(item) for item in value]
    cls = BY_NAME.get(type(value).__name__)
    if cls is None or isinstance(value, Record):
        return value
    fields = value.__dict__  # a model's fields, validated: the same names as the record's
    values = {name: from_model(fields[name]) for name in cls.FIELDS}
    return cls.trusted(frozenset(value.model_fields_set), values)
