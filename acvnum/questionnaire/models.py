"""The questionnaire (YAML version 1) as pydantic models: one named validator per rule.

Quantities are stored in base units (bytes, seconds, watts, fractions); `None` means
"not given": the default comes from the factor tables and is reported as such.

Shares (devices, network) must sum to 100% within SHARE_TOLERANCE (0.5 points, for rounded
figures); shares within it are renormalised to sum to exactly 100%, so that every visit and
every byte is counted once, no more, no less.
"""

from __future__ import annotations

import copy
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from acvnum.errors import (
    InputError,
    Message,
    Problem,
    Refusal,
    did_you_mean,
    in_order,
    message,
    yaml_value,
)
from acvnum.questionnaire import records, rules, units
from acvnum.questionnaire.yaml_reader import Document, load_yaml

#: The vocabularies and bounds live in rules (no pydantic there): named here too for the
#: modules that read them with the models.
AI_SIZES = rules.AI_SIZES
CLOUD_PROVIDERS = rules.CLOUD_PROVIDERS
DEFAULT_NETWORK_MODEL = rules.DEFAULT_NETWORK_MODEL
DEVICE_TYPES = rules.DEVICE_TYPES
EQUIPMENT_TYPES = rules.EQUIPMENT_TYPES
GPU_TYPES = rules.GPU_TYPES
NETWORK_MODELS = rules.NETWORK_MODELS
NETWORK_TYPES = rules.NETWORK_TYPES
SERVER_ARCHETYPES = rules.SERVER_ARCHETYPES
VIDEO_QUALITIES = rules.VIDEO_QUALITIES
SHARE_TOLERANCE = rules.SHARE_TOLERANCE
ABSURD = rules.ABSURD
RANGE_CENTRES = rules.RANGE_CENTRES
BUDGET_CRITERIA = rules.BUDGET_CRITERIA
MIN_BUDGET_LIMIT = rules.MIN_BUDGET_LIMIT
budget_limit = rules.budget_limit
gpu_type = rules.gpu_type
parse_parameters = rules.parse_parameters


def _quantity(read: Any) -> BeforeValidator:
    """A quantity read by one of rules' readers (rules.read_data_size...)."""
    return BeforeValidator(read)


class _OwnJsonSchema(WithJsonSchema):
    """WithJsonSchema that gives every field its own copy of the schema: pydantic before 2.11
    hands all fields of one type the same dict, so one field's default showed on all of them."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        return copy.deepcopy(super().__get_pydantic_json_schema__(core_schema, handler))


def _written_as(
    plain_unit: str,
    *examples: str | float,
    per_plain_unit: float = 1.0,
    plain: str = "",
    **bounds: float,
):
    """The JSON Schema of a quantity: a string with a unit or a plain number in `plain_unit`.

    `plain` says what a plain number means (default: "in <plain_unit>"); `per_plain_unit`
    (base units in one plain unit) lets `acvnum schema` show defaults as written in YAML;
    `bounds` (minimum=…) bound the plain numbers every field of the type accepts.
    """
    return _OwnJsonSchema(
        {
            "type": ["string", "number"],
            "examples": list(examples),
            "x-plain-unit": plain_unit,
            "x-plain-number": plain or f"in {plain_unit}",
            "x-per-plain-unit": per_plain_unit,
            **bounds,
        }
    )


DataSize = Annotated[
    float,
    _quantity(rules.read_data_size),
    _written_as("MB", "2.5 MB", "800 kB", per_plain_unit=1e6),
]
StorageSize = Annotated[
    float,
    _quantity(rules.read_storage_size),
    _written_as("GB", "500 GB", "2 TB", per_plain_unit=1e9),
]
Duration = Annotated[
    float,
    _quantity(rules.read_duration),
    _written_as("min", "5 min", "30 s", per_plain_unit=60, plain="in minutes"),
]
LongDuration = Annotated[
    float,
    _quantity(rules.read_long_duration),
    _written_as(
        "year", "1 year", "6 months", per_plain_unit=units.SECONDS_PER_YEAR, plain="in years"
    ),
]
Power = Annotated[
    float, _quantity(rules.read_power), _written_as("W", "250 W", "0.3 kW", plain="in watts")
]
PlainNumber = Annotated[float, BeforeValidator(units.parse_number)]


UserCount = Annotated[float, BeforeValidator(rules.read_users)]
Count = Annotated[float, BeforeValidator(rules.read_count)]
VcpuCount = Annotated[float, BeforeValidator(rules.read_vcpu)]
TokenCount = Annotated[float, BeforeValidator(rules.read_tokens)]
Ratio = Annotated[float, BeforeValidator(rules.read_ratio)]
CarbonIntensity = Annotated[
    float,
    BeforeValidator(units.parse_carbon_intensity),
    _written_as(
        "g CO2e/kWh", "20 g/kWh", 20, per_plain_unit=1e-3, plain="in g CO2e/kWh", minimum=0
    ),
]
Fraction = Annotated[
    float,
    BeforeValidator(units.parse_fraction),
    _written_as("", "60%", 0.6, plain="between 0 and 1", minimum=0, maximum=1),
]
VisitFrequency = Annotated[
    units.Frequency,
    BeforeValidator(units.parse_frequency),
    _written_as("", "2 / month", "3 / week", 24, plain="counting visits over the whole period"),
]


RequestFrequency = Annotated[
    units.Frequency,
    BeforeValidator(units.parse_frequency),
    _written_as("", "20 / month", "5 / day", 240, plain="counting requests over the whole period"),
]


def _no_items() -> list:
    """An empty list, as `default_factory`: pydantic reads a factory's signature, and that
    of the builtin `list` is parsed from text with tokenize (some 8 ms of a run)."""
    return []


class StrictModel(BaseModel):
    """Unknown keys are errors; values are never coerced silently."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, arbitrary_types_allowed=True, allow_inf_nan=False
    )


def _bounds(minimum: float | None = None, maximum: float | None = None, **extra: Any) -> dict:
    """JSON Schema bounds for an editor (on plain numbers; the validators enforce them all)."""
    bounds: dict[str, Any] = dict(extra)
    if minimum is not None:
        bounds["minimum"] = minimum
    if maximum is not None:
        bounds["maximum"] = maximum
    return bounds


def _centres(info: ValidationInfo) -> bool:
    """Whether the values are the centres of ranges (RANGE_CENTRES): a count need not be whole."""
    return bool((info.context or {}).get(RANGE_CENTRES))


class Devices(StrictModel):
    """Q5: share of visits by device type."""

    smartphone: Fraction = 0.0
    tablet: Fraction = 0.0
    laptop: Fraction = 0.0
    desktop: Fraction = 0.0
    television: Fraction = 0.0

    @model_validator(mode="before")
    @classmethod
    def renormalise(cls, data: Any) -> Any:
        return rules.renormalised(data)

    @model_validator(mode="after")
    def shares_sum_to_one(self) -> Devices:
        rules.shares_sum_to_one(self.model_dump(), "device")
        return self

    @field_validator("*")
    @classmethod
    def share_is_a_fraction(cls, value: float) -> float:
        return rules.share(value)


class Network(StrictModel):
    """Q6: share of data by access network."""

    fixed: Fraction = 0.0
    mobile: Fraction = 0.0

    @model_validator(mode="before")
    @classmethod
    def renormalise(cls, data: Any) -> Any:
        return rules.renormalised(data)

    @model_validator(mode="after")
    def shares_sum_to_one(self) -> Network:
        rules.shares_sum_to_one(self.model_dump(), "network")
        return self

    @field_validator("*")
    @classmethod
    def share_is_a_fraction(cls, value: float) -> float:
        return rules.share(value)


class Usage(StrictModel):
    """Q1-Q7: who uses the service, how often, how long, on what."""

    users: UserCount = Field(
        description="Q1 distinct users over the period",
        json_schema_extra=_bounds(1, ABSURD["users"]),
    )
    visits_per_user: VisitFrequency = Field(
        description="Q2 count over the period or a rate",
        json_schema_extra=_bounds(exclusiveMinimum=0),
    )
    visit_duration: Duration = Field(
        description="Q3 active time per visit on a device (0 for a background transfer)",
        json_schema_extra=_bounds(0, 24 * 60),
    )
    data_per_visit: DataSize = Field(
        description="Q4 data transferred per visit, both ways",
        json_schema_extra=_bounds(0, ABSURD["data_per_visit"] / 1e6),
    )
    devices: Devices = Field(description="Q5 share of visits by device type, sums to 100%")
    network: Network = Field(description="Q6 share of data by access network, sums to 100%")
    location: str | None = Field(None, description="Q7 users' country (ISO 3166-1 alpha-3)")
    network_model: Literal["per_gb", "energy", "power"] | None = Field(
        None,
        description="network allocation: per_gb (default, ADEME reference: equipment and "
        "electricity per GB), energy (electricity per GB only) or power (per connection-hour "
        "plus a marginal per GB)",
    )

    @field_validator("users")
    @classmethod
    def users_positive(cls, value: float) -> float:
        return rules.users(value)

    @field_validator("visits_per_user")
    @classmethod
    def visits_positive(cls, value: units.Frequency) -> units.Frequency:
        return rules.visits_per_user(value)

    @field_validator("visit_duration")
    @classmethod
    def duration_plausible(cls, value: float) -> float:
        return rules.visit_duration(value)

    @field_validator("data_per_visit")
    @classmethod
    def data_plausible(cls, value: float) -> float:
        return rules.data_per_visit(value)


DailyHours = Annotated[
    float,
    _quantity(rules.read_daily_hours),
    _written_as("h", "3 h", 2.5, per_plain_unit=units.SECONDS_PER_HOUR, plain="in hours a day"),
]


class DeviceSettings(StrictModel):
    """One device type's parameters, set over the reference defaults (shown as input)."""

    lifetime: LongDuration | None = Field(
        None,
        description="years an owner keeps the device",
        json_schema_extra=_bounds(30 / units.DAYS_PER_YEAR, 30),
    )
    hours_per_day: DailyHours | None = Field(
        None,
        description="hours of active use per owner per day (sets the manufacturing share)",
        json_schema_extra=_bounds(maximum=24, exclusiveMinimum=0),
    )
    power: Power | None = Field(
        None,
        description="average draw in use (not the rated power)",
        json_schema_extra=_bounds(0, 1e4),
    )
    standby: Power | None = Field(
        None,
        description="average draw the rest of the day, outside active use (standby, networked "
        "standby); a visit device counts none unless given",
        json_schema_extra=_bounds(0, 1e3),
    )

    @field_validator("lifetime")
    @classmethod
    def lifetime_plausible(cls, value: float | None) -> float | None:
        return rules.device_lifetime(value)

    @field_validator("hours_per_day")
    @classmethod
    def hours_plausible(cls, value: float | None) -> float | None:
        return rules.hours_per_day(value)

    @field_validator("power")
    @classmethod
    def power_plausible(cls, value: float | None) -> float | None:
        return rules.device_power(value)

    @field_validator("standby")
    @classmethod
    def standby_plausible(cls, value: float | None) -> float | None:
        return rules.device_standby(value)


class Equipment(StrictModel):
    """Household devices each user keeps over the whole period besides the visits' screens
    (a game console, a printer, a connected speaker): counts per user, each counted whole."""

    game_console: Count = Field(0.0, json_schema_extra=_bounds(0, ABSURD["count"]))
    printer: Count = Field(0.0, json_schema_extra=_bounds(0, ABSURD["count"]))
    speaker: Count = Field(
        0.0, description="a connected speaker", json_schema_extra=_bounds(0, ABSURD["count"])
    )

    @field_validator("*")
    @classmethod
    def count_plausible(cls, value: float) -> float:
        return rules.equipment_count(value)


class Terminals(StrictModel):
    """Users' devices: where they draw their electricity, and per-type parameters."""

    location: str | None = Field(
        None,
        description="country of the devices' electricity (ISO 3166-1 alpha-3); "
        "default: usage.location",
    )
    smartphone: DeviceSettings | None = None
    tablet: DeviceSettings | None = None
    laptop: DeviceSettings | None = None
    desktop: DeviceSettings | None = Field(None, description="a desktop with its monitor")
    television: DeviceSettings | None = None
    equipment: Equipment | None = Field(
        None,
        description="devices each user keeps over the whole period besides the visits' "
        "screens, counted whole: devices per user (0.3 for three users in ten)",
    )
    game_console: DeviceSettings | None = None
    printer: DeviceSettings | None = None
    speaker: DeviceSettings | None = Field(None, description="a connected speaker")


class Server(StrictModel):
    """Q9: a group of identical physical or virtual servers."""

    name: str = Field(description="a label for the group, e.g. web or database")
    count: Count = Field(
        1,
        description="how many identical servers",
        json_schema_extra=_bounds(1, ABSURD["count"], type="integer"),
    )
    type: Literal["virtual", "physical"] = Field(description="virtual (a host's share) or physical")
    provider: Literal["aws", "azure", "gcp", "ovhcloud", "scaleway"] | None = Field(
        None, description="cloud provider of a named instance (with 'instance')"
    )
    instance: str | None = Field(
        None,
        description="the provider's instance type, e.g. m5.large, standard_d2s_v5, "
        "n2-standard-4 (see: acvnum factors list --kind cloud)",
    )
    vcpu: VcpuCount | None = Field(
        None,
        description="virtual only: vCPUs of one server",
        json_schema_extra=_bounds(maximum=ABSURD["vcpu"], exclusiveMinimum=0),
    )
    utilization: Fraction | None = Field(None, description="average CPU load")
    lifetime: LongDuration | None = Field(
        None,
        description="service life of the hardware",
        json_schema_extra=_bounds(30 / units.DAYS_PER_YEAR, 30),
    )
    power: Power | None = Field(
        None,
        description="measured average draw of one server",
        json_schema_extra=_bounds(1e-3, 1e5),
    )
    # The configuration of the server (of the host, for a virtual one): its manufacturing
    # scales with the carbon of its components; each value not given is the archetype's.
    archetype: Literal["small", "medium", "large"] | None = Field(
        None, description="small, medium (default) or large: the defaults of the fields below"
    )
    cpus: Count | None = Field(
        None, description="CPU sockets", json_schema_extra=_bounds(1, 16, type="integer")
    )
    cores: Count | None = Field(
        None, description="cores per CPU", json_schema_extra=_bounds(1, 512, type="integer")
    )
    memory: StorageSize | None = Field(
        None, description="memory (RAM) of one server", json_schema_extra=_bounds(0, 65536)
    )
    ssd: StorageSize | None = Field(
        None,
        description="local SSD capacity (shared data goes in hosting.storage)",
        json_schema_extra=_bounds(0, 1e6),
    )
    gpus: Count | None = Field(
        None, description="GPU cards", json_schema_extra=_bounds(0, 64, type="integer")
    )

    @field_validator("cpus", "cores", "gpus")
    @classmethod
    def whole_parts(cls, value: float | None, info: ValidationInfo) -> float | None:
        return rules.server_part(str(info.field_name), value, _centres(info))

    @field_validator("memory")
    @classmethod
    def memory_plausible(cls, value: float | None) -> float | None:
        return rules.server_memory(value)

    @field_validator("ssd")
    @classmethod
    def ssd_plausible(cls, value: float | None) -> float | None:
        return rules.server_ssd(value)

    @field_validator("count")
    @classmethod
    def count_positive(cls, value: float, info: ValidationInfo) -> float:
        return rules.server_count(value, _centres(info))

    @field_validator("vcpu")
    @classmethod
    def vcpu_positive(cls, value: float | None) -> float | None:
        return rules.server_vcpu(value)

    @field_validator("utilization")
    @classmethod
    def utilization_fraction(cls, value: float | None) -> float | None:
        return rules.server_utilization(value)

    @field_validator("lifetime")
    @classmethod
    def lifetime_plausible(cls, value: float | None) -> float | None:
        return rules.server_lifetime(value)

    @field_validator("power")
    @classmethod
    def power_plausible(cls, value: float | None) -> float | None:
        return rules.server_power(value)

    @model_validator(mode="after")
    def vcpu_matches_type(self) -> Server:
        rules.server_consistent(self)
        return self


class Storage(StrictModel):
    """Q10: data kept."""

    volume: StorageSize = Field(
        description="volume of data kept (one copy)",
        json_schema_extra=_bounds(0, ABSURD["storage"] / 1e9),
    )
    type: Literal["ssd", "hdd"] = Field("ssd", description="storage medium")
    replicas: Count | None = Field(
        None,
        description="copies of the data, backups included",
        json_schema_extra=_bounds(1, 20, multipleOf=1),
    )

    @field_validator("volume")
    @classmethod
    def volume_plausible(cls, value: float) -> float:
        return rules.storage_volume(value)

    @field_validator("replicas")
    @classmethod
    def replicas_plausible(cls, value: float | None, info: ValidationInfo) -> float | None:
        return rules.storage_replicas(value, _centres(info))


class Shared(StrictModel):
    """A platform the service shares with others (SaaS, CDN, third-party API): its data-centre
    share is declared per GB, per hour or per visit of the service, not as servers."""

    name: str = Field(description="a label, e.g. CDN or video host")
    per: Literal["gb", "hour", "visit"] = Field(
        description="what the platform's share follows: the service's GB, hours or visits"
    )
    share: Fraction = Field(1.0, description="the part of them that goes through the platform")
    energy: (
        Annotated[
            float,
            _quantity(rules.read_energy),
            _written_as("kWh", "2 Wh", "0.3 Wh", plain="in kWh"),
        ]
        | None
    ) = Field(
        None,
        description="measured data-centre energy per GB, hour or visit (PUE included)",
        json_schema_extra=_bounds(0, 100),
    )

    @field_validator("share")
    @classmethod
    def share_is_a_fraction(cls, value: float) -> float:
        return rules.share(value)

    @field_validator("energy")
    @classmethod
    def energy_plausible(cls, value: float | None) -> float | None:
        return rules.shared_energy(value)


class Hosting(StrictModel):
    """Q8-Q10: where and on what the service runs."""

    location: str | None = Field(None, description="Q8 data-centre country (ISO 3166-1 alpha-3)")
    pue: Ratio | None = Field(
        None,
        description="power usage effectiveness, 1.0 to 4.0",
        json_schema_extra=_bounds(1, 4),
    )
    servers: list[Server] = Field(default_factory=_no_items, description="Q9 servers")
    storage: Storage | None = Field(None, description="Q10 data kept")
    shared: list[Shared] = Field(
        default_factory=_no_items, description="shared platforms, counted per GB, hour or visit"
    )
    environments: Count = Field(
        1,
        description="copies of the hosting (prod + preprod = 2)",
        json_schema_extra=_bounds(1, 20),
    )
    electricity_factor: CarbonIntensity | None = Field(
        None,
        description="market-based: the carbon intensity of the hosting's electricity contract; "
        "the location-based figures stay the headline and both are shown",
    )
    infrastructure: Literal["per_server", "per_kw"] | None = Field(
        None,
        description="how the data centre's building, cooling and power equipment is shared: "
        "per_server (default, ADEME's reference: the IT room of one 367 W server each) or "
        "per_kw (by the IT power the servers draw)",
    )

    @field_validator("pue")
    @classmethod
    def pue_plausible(cls, value: float | None) -> float | None:
        return rules.pue(value)

    @field_validator("environments")
    @classmethod
    def environments_plausible(cls, value: float) -> float:
        return rules.environments(value)

    @field_validator("electricity_factor")
    @classmethod
    def electricity_factor_plausible(cls, value: float | None) -> float | None:
        return rules.electricity_factor(value)


# --- optional workload blocks (issue 13): AI inference, video, messages -----------------

Parameters = Annotated[
    float,
    BeforeValidator(parse_parameters),
    _written_as("billion", "70B", "1.8T", 8, plain="in billions of parameters"),
]


class AIModelSize(StrictModel):
    """The model: its size in parameters, or a named size class."""

    size: Literal["small", "medium", "large", "frontier"] | None = Field(
        None,
        description="a size class when the parameters are not known: small (~8B), medium "
        "(~70B), large (~405B), frontier (a mixture of experts of ~1.8T)",
    )
    parameters: Parameters | None = Field(
        None,
        description="total parameters (all experts of a mixture of experts)",
        json_schema_extra=_bounds(exclusiveMinimum=0, maximum=1e5),
    )
    active_parameters: Parameters | None = Field(
        None,
        description="parameters active per token (mixtures of experts); default: all",
        json_schema_extra=_bounds(exclusiveMinimum=0, maximum=1e5),
    )

    @field_validator("parameters", "active_parameters")
    @classmethod
    def parameters_plausible(cls, value: float | None) -> float | None:
        return rules.parameters(value)

    @model_validator(mode="after")
    def size_or_parameters(self) -> AIModelSize:
        rules.model_consistent(self)
        return self


GpuType = Annotated[
    str,
    BeforeValidator(gpu_type),
    _OwnJsonSchema({"type": "string", "enum": list(GPU_TYPES)}),
]


class SelfHosted(StrictModel):
    """GPU servers run for the service: counted whole over the period, whatever the load."""

    gpus: Count = Field(
        description="GPUs kept running for the service",
        json_schema_extra=_bounds(1, 1e5, type="integer"),
    )
    gpu: GpuType = Field(
        "h100",
        description="their type: h100 (SXM 80GB, the default), a100 (SXM4 40GB), a100_pcie "
        "(40GB), l4, p100",
    )
    utilization: Fraction | None = Field(None, description="average GPU load")
    location: str | None = Field(
        None, description="data-centre country (ISO 3166-1 alpha-3); default: hosting.location"
    )
    pue: Ratio | None = Field(
        None, description="power usage effectiveness, 1.0 to 4.0", json_schema_extra=_bounds(1, 4)
    )

    @field_validator("gpus")
    @classmethod
    def gpus_whole(cls, value: float, info: ValidationInfo) -> float:
        return rules.gpus(value, _centres(info))

    @field_validator("utilization")
    @classmethod
    def utilization_fraction(cls, value: float | None) -> float | None:
        return rules.gpu_utilization(value)

    @field_validator("pue")
    @classmethod
    def pue_plausible(cls, value: float | None) -> float | None:
        return rules.pue(value)


class Training(StrictModel):
    """A training or fine-tuning run, amortised over the time its model is used."""

    gpu_hours: PlainNumber = Field(
        description="GPU-hours of the run",
        json_schema_extra=_bounds(exclusiveMinimum=0, maximum=1e9),
    )
    gpu: GpuType | None = Field(
        None, description="the GPUs' type; default: the self-hosted GPUs', else h100"
    )
    amortised_over: LongDuration = Field(
        description="how long the trained model serves; the period takes its share",
        json_schema_extra=_bounds(1 / units.DAYS_PER_YEAR, 30),
    )

    @field_validator("gpu_hours")
    @classmethod
    def hours_plausible(cls, value: float) -> float:
        return rules.gpu_hours(value)

    @field_validator("amortised_over")
    @classmethod
    def amortisation_plausible(cls, value: float) -> float:
        return rules.amortised_over(value)


class AI(StrictModel):
    """AI inference: requests, output tokens and the model answering them."""

    requests_per_visit: PlainNumber | None = Field(
        None,
        description="AI requests in an average visit (give this or requests_per_user)",
        json_schema_extra=_bounds(0, 1e4),
    )
    requests_per_user: RequestFrequency | None = Field(
        None, description="AI requests per user: a count over the period or a rate"
    )
    output_tokens: TokenCount = Field(
        description="tokens generated per request (about 0.75 English words each)",
        json_schema_extra=_bounds(0, 1e6),
    )
    input_tokens: TokenCount | None = Field(
        None,
        description="tokens read per request: the prompt, the conversation so far, documents "
        "(default: not counted, as in EcoLogits' method)",
        json_schema_extra=_bounds(0, 1e7),
    )
    model: AIModelSize = Field(description="the model's size in parameters, or a size class")
    self_hosted: SelfHosted | None = Field(
        None, description="GPU servers of your own; without it, a provider's API is used"
    )
    training: Training | None = Field(None, description="a training or fine-tuning run")

    @field_validator("requests_per_visit")
    @classmethod
    def requests_plausible(cls, value: float | None) -> float | None:
        return rules.requests_per_visit(value)

    @field_validator("requests_per_user")
    @classmethod
    def requests_per_user_plausible(cls, value: units.Frequency | None) -> units.Frequency | None:
        return rules.requests_per_user(value)

    @field_validator("output_tokens")
    @classmethod
    def tokens_plausible(cls, value: float) -> float:
        return rules.output_tokens(value)

    @field_validator("input_tokens")
    @classmethod
    def input_tokens_plausible(cls, value: float | None) -> float | None:
        return rules.input_tokens(value)

    @model_validator(mode="after")
    def one_request_count(self) -> AI:
        rules.ai_consistent(self)
        return self


class Video(StrictModel):
    """Video or audio streamed, or video calls: time watched and its quality."""

    watched_per_visit: Duration | None = Field(
        None,
        description="time watched in an average visit, within its duration (or watched_per_user)",
        json_schema_extra=_bounds(0, 24 * 60),
    )
    watched_per_user: LongDuration | None = Field(
        None,
        description="time watched per user over the whole period (or watched_per_visit)",
        json_schema_extra=_bounds(0, 100),
    )
    quality: Literal["audio", "sd", "hd", "full_hd", "uhd"] = Field(
        description="quality served by default: audio, sd, hd (720p), full_hd (1080p), uhd (4K)"
    )
    call_participants: Count | None = Field(
        None,
        description="for video calls: participants per call, who share one back end",
        json_schema_extra=_bounds(2, 1000, type="integer"),
    )
    background_share: Fraction = Field(
        0.0, description="share of the time watched with the screen off (music, talks)"
    )
    audio_in_background: bool = Field(
        False, description="audio only is streamed while the screen is off"
    )

    @field_validator("watched_per_visit")
    @classmethod
    def watched_per_visit_plausible(cls, value: float | None) -> float | None:
        return rules.watched_per_visit(value)

    @field_validator("watched_per_user")
    @classmethod
    def watched_per_user_plausible(cls, value: float | None) -> float | None:
        return rules.watched_per_user(value)

    @field_validator("call_participants")
    @classmethod
    def participants_whole(cls, value: float | None, info: ValidationInfo) -> float | None:
        return rules.call_participants(value, _centres(info))

    @field_validator("background_share")
    @classmethod
    def background_share_is_a_fraction(cls, value: float) -> float:
        return rules.share(value)

    @model_validator(mode="after")
    def one_watching_time(self) -> Video:
        rules.video_consistent(self)
        return self


class Messages(StrictModel):
    """Messages and files sent and kept: the transfers they cause and the storage they build."""

    per_user: RequestFrequency = Field(
        description="items sent per user: a count over the period or a rate ('30 / month')"
    )
    size: DataSize | None = Field(None, description="average size of an item, attachments included")
    recipients: Count | None = Field(
        None, description="recipients per item", json_schema_extra=_bounds(0, 1e5)
    )
    retention: LongDuration | None = Field(
        None,
        description="how long items are kept, by the sender and by each recipient",
        json_schema_extra=_bounds(0, 100),
    )
    copies: Count | None = Field(
        None,
        description="copies of each stored item, backups included",
        json_schema_extra=_bounds(1, 20),
    )
    attachments_as_links: bool = Field(
        False, description="files are shared as links: stored once, not in every mailbox"
    )

    @field_validator("per_user")
    @classmethod
    def items_plausible(cls, value: units.Frequency) -> units.Frequency:
        return rules.messages_per_user(value)

    @field_validator("size")
    @classmethod
    def size_plausible(cls, value: float | None) -> float | None:
        return rules.message_size(value)

    @field_validator("recipients")
    @classmethod
    def recipients_plausible(cls, value: float | None) -> float | None:
        return rules.recipients(value)

    @field_validator("retention")
    @classmethod
    def retention_plausible(cls, value: float | None) -> float | None:
        return rules.retention(value)

    @field_validator("copies")
    @classmethod
    def copies_plausible(cls, value: float | None) -> float | None:
        return rules.copies(value)


class Budget(StrictModel):
    """A limit that `acvnum check` enforces, on one criterion or on all of them.

    `max_boundary_share` is a share of one person's yearly planetary boundary: per user, the
    user's yearly impact; per total, the service's yearly impact (100% = 1 person-equivalent);
    per visit, the impact of one visit (no annualising: a visit is a visit).
    """

    criterion: str = Field(
        description="a criterion id, or 'all' for every criterion",
        json_schema_extra={"enum": list(BUDGET_CRITERIA)},
    )
    per: Literal["visit", "user", "total"] = Field(
        description="one visit, one user over the period, or the whole service over the period"
    )
    max: Annotated[
        float | None,
        WithJsonSchema(
            {
                "type": ["string", "number", "null"],
                "examples": ["2 g", "0.5 Wh", 1e-7],
                "exclusiveMinimum": 0,
            }
        ),
    ] = Field(
        None,
        description="absolute limit: a mass for climate_change ('2 g'), an energy for energy "
        "('0.5 Wh') and fossil_resources ('500 kJ'), otherwise a plain number in the "
        "criterion's unit",
    )
    max_boundary_share: Fraction | None = Field(
        None,
        description="limit as a share of one person's yearly planetary boundary",
        json_schema_extra=_bounds(exclusiveMinimum=0),
    )

    @field_validator("criterion")
    @classmethod
    def criterion_known(cls, value: str) -> str:
        return rules.budget_criterion(value)

    @field_validator("max", mode="before")
    @classmethod
    def max_in_criterion_unit(cls, value: object, info: ValidationInfo) -> object:
        return rules.budget_max(info.data.get("criterion"), value)

    @model_validator(mode="after")
    def one_limit(self) -> Budget:
        rules.budget_consistent(self)
        return self


class Questionnaire(StrictModel):
    """A whole questionnaire: the root of the YAML file."""

    name: str = Field(min_length=1, description="the service's name")
    description: str | None = Field(None, description="one line on what the service does")
    functional_unit: str | None = Field(
        None,
        min_length=1,
        description="the functional unit in words, e.g. 'consult one's account once a week "
        "for a year': every report shows it beside the per-visit and per-user figures",
    )
    period: LongDuration = Field(
        units.SECONDS_PER_YEAR,
        description="the span the figures cover",
        json_schema_extra=_bounds(1 / units.DAYS_PER_YEAR, 100),
    )
    usage: Usage = Field(description="Q1-Q7: who uses the service, how and where")
    hosting: Hosting | None = Field(None, description="Q8-Q10: where the service runs")
    terminals: Terminals | None = Field(
        None, description="users' devices: lifetime, hours a day and power per type, location"
    )
    ai: AI | None = Field(None, description="optional: AI inference inside the service")
    video: Video | None = Field(None, description="optional: video or audio watched, video calls")
    messages: Messages | None = Field(
        None, description="optional: messages and files sent, and kept for years"
    )
    budgets: list[Budget] = Field(
        default_factory=_no_items, description="limits that `acvnum check` enforces"
    )

    @field_validator("period")
    @classmethod
    def period_plausible(cls, value: float) -> float:
        return rules.period(value)


# --- pydantic errors -> located problems --------------------------------------------------

_MODELS_BY_KEY: dict[str, type[BaseModel]] = {
    "usage": Usage,
    "hosting": Hosting,
    "devices": Devices,
    "network": Network,
    "servers": Server,
    "storage": Storage,
    "shared": Shared,
    "budgets": Budget,
    "terminals": Terminals,
    **{device: DeviceSettings for device in DEVICE_TYPES},
    "equipment": Equipment,
    **{kind: DeviceSettings for kind in EQUIPMENT_TYPES},
    "ai": AI,
    "model": AIModelSize,
    "self_hosted": SelfHosted,
    "training": Training,
    "video": Video,
    "messages": Messages,
}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose fields live at `loc` (the path of a mapping)."""
    named = [part for part in loc if isinstance(part, str)]
    return _MODELS_BY_KEY.get(named[-1], Questionnaire) if named else Questionnaire


_at = rules.at


def _message(error: dict[str, Any], model: type[BaseModel]) -> Message:
    loc = error["loc"]
    key = loc[-1] if loc else None
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(str(key), model.model_fields)
        return _at(loc[:-1], message("error.unknown_key", key=str(key), suggestion=hint))
    if error["type"] == "missing":
        return _at(loc[:-1], message("error.missing_key", key=str(key)))
    return _at(loc, error_text(error))


#: Pydantic's error types a questionnaire can meet, by the catalogue key that words them
#: for a YAML author ("Input should be a valid dictionary or instance of Usage" speaks Python).
#: Every type the models' field types can raise is here or worded in `error_text` (the
#: models' tests walk the schemas to check it); any other falls back to "pydantic.other".
PYDANTIC_KEYS = {
    "string_type": "pydantic.string_type",
    "string_sub_type": "pydantic.string_type",
    "string_unicode": "pydantic.string_type",
    "model_type": "pydantic.mapping_type",
    "model_attributes_type": "pydantic.mapping_type",
    "dict_type": "pydantic.mapping_type",
    "mapping_type": "pydantic.mapping_type",
    "list_type": "pydantic.list_type",
    "iterable_type": "pydantic.list_type",
    "iteration_error": "pydantic.list_type",
    "bool_type": "pydantic.bool_type",
    "bool_parsing": "pydantic.bool_type",
    "float_type": "pydantic.number_type",
    "float_parsing": "pydantic.number_type",
    "int_type": "pydantic.number_type",
    "int_parsing": "pydantic.number_type",
    "int_parsing_size": "pydantic.number_type",
    "int_from_float": "pydantic.whole_number",
    "finite_number": "pydantic.number_type",
    "none_required": "pydantic.none_required",
    "dataclass_type": "pydantic.frequency_type",
    "dataclass_exact_type": "pydantic.frequency_type",
    "string_pattern_mismatch": "pydantic.string_pattern_mismatch",
    "string_too_long": "pydantic.string_too_long",
    "too_short": "pydantic.too_short",
    "too_long": "pydantic.too_long",
    "greater_than": "pydantic.greater_than",
    "greater_than_equal": "pydantic.greater_than_equal",
    "less_than": "pydantic.less_than",
    "less_than_equal": "pydantic.less_than_equal",
}
#: A refused value quoted in a message is cut here: a whole section given where a number
#: was expected would fill the screen.
_QUOTED_CHARS = 60


def _quoted(value: Any) -> str:
    text = yaml_value(value)
    return text if len(text) <= _QUOTED_CHARS else text[: _QUOTED_CHARS - 1] + "…"


def error_text(error: Any) -> Message:
    """A pydantic error in a questionnaire author's words (without the path), as a catalogue
    message keyed by pydantic's error type with its context.

    Pydantic's "Input should be 'visit', 'user' or 'total'" and "Input should be a valid
    string" speak Python; the author wrote YAML.
    """
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), Refusal):
        return ctx["error"].message
    if kind in ("literal_error", "enum"):
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx["expected"])))
        return message("pydantic.literal_error", value=str(value), choices=choices)
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return message("pydantic.string_empty")
        return message("pydantic.string_too_short", min_length=ctx.get("min_length"))
    if kind in PYDANTIC_KEYS:
        arguments = {k: v for k, v in ctx.items() if isinstance(v, str | int | float)}
        return message(PYDANTIC_KEYS[kind], value=_quoted(value), **arguments)
    # A type no field raises today (a later pydantic): English as pydantic says it, French
    # a sentence of its own with the value, never pydantic's English.
    text = str(error["msg"]).removeprefix("Value error, ")
    return message("pydantic.other", text=text, value=_quoted(value))


def validate(
    document: Document, model: type[StrictModel] = Questionnaire, range_centres: bool = False
) -> Any:
    """Document -> the records of `model` (records.Questionnaire by default), or InputError
    listing every problem with its position.

    `range_centres` (questionnaire.ranges only) says the values are the centres of ranges, where
    a count need not be whole.
    """
    if not isinstance(document.data, dict):
        raise InputError([document.problem((), message("error.not_a_mapping"))])
    try:
        validated = model.model_validate(document.data, context={RANGE_CENTRES: range_centres})
    except ValidationError as error:
        raise InputError(_problems(document, error)) from None
    record = records.from_model(validated)
    # What no user can do (visits x duration, video within the visits) is judged on the whole
    # questionnaire once the models take it: with a value refused above there is no record,
    # and a rule of several answers may well hang on the refused one. Said once it is fixed.
    if isinstance(record, records.Questionnaire) and (impossible := rules.impossible(record)):
        raise InputError([document.problem(path, refusal) for path, refusal in impossible])
    return record


def as_record(data: Any, model: type[StrictModel] = Questionnaire) -> Any:
    """Raw data validated by `model` (pydantic's errors raised as they are), as records:
    for tests and callers holding data rather than a file."""
    return records.from_model(model.model_validate(data))


def _problems(
    document: Document, error: ValidationError, section: tuple[Any, ...] = ()
) -> list[Problem]:
    """Pydantic's errors as problems located in the document, in the file's order; the
    errors of a section validated alone (`section`: its path) worded as the whole file's."""
    problems = []
    for item in error.errors():
        loc = (*section, *item["loc"])
        parent = loc[:-1] if item["type"] in ("extra_forbidden",) else loc
        problems.append(document.problem(loc, _message({**item, "loc": loc}, _model_at(parent))))
    return in_order(problems)


def validate_section(
    document: Document, section: tuple[Any, ...], data: dict[str, Any], model: type[StrictModel]
) -> Any:
    """The raw data of one section of `document` (at path `section`) -> its model, with the
    problems `validate` would give for it in the whole file (--what-if changes one section);
    the section's records."""
    try:
        validated = model.model_validate(data, context={RANGE_CENTRES: False})
    except ValidationError as error:
        raise InputError(_problems(document, error, section)) from None
    return records.from_model(validated)


def load(path: str) -> records.Questionnaire:
    """Read and validate a questionnaire file."""
    return validate(load_yaml(path))  # type: ignore[return-value]
