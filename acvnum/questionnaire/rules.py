"""The questionnaire's rules without pydantic: its vocabularies, its bounds, and one function per
check, which the models' validators and the plain reader (questionnaire.plain) both call.

A check takes a value already read into base units and returns it, or raises a Refusal whose
message the models report with the value's position; the plain reader only declines on one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from acvnum.errors import Message, Refusal, UnitError, did_you_mean, message
from acvnum.i18n import quantity
from acvnum.questionnaire import units
from acvnum.questionnaire.paths import dotted
from acvnum.reference.criteria import BY_ID, CRITERION_IDS
from acvnum.reference.devices import DEVICE_TYPES as DEVICE_TYPES  # the questionnaire's too
from acvnum.reference.devices import EQUIPMENT_TYPES as EQUIPMENT_TYPES

if TYPE_CHECKING:
    from acvnum.questionnaire.records import Questionnaire

SERVER_ARCHETYPES = ("small", "medium", "large")
SERVER_TYPES = ("virtual", "physical")
STORAGE_TYPES = ("ssd", "hdd")
SHARED_PER = ("gb", "hour", "visit")
INFRASTRUCTURES = ("per_server", "per_kw")
BUDGET_PER = ("visit", "user", "total")
NETWORK_TYPES = ("fixed", "mobile")
#: How the network's electricity is allocated to the service: per GB (the ADEME reference,
#: equipment included), energy only per GB, or a power model (per connection-hour + per GB).
NETWORK_MODELS = ("per_gb", "energy", "power")
DEFAULT_NETWORK_MODEL = "per_gb"
SHARE_TOLERANCE = 0.005
AI_SIZES = ("small", "medium", "large", "frontier")
#: GPU types with power, memory and manufacturing in factors/ai.csv (Boavizta's GPU
#: specifications and NVIDIA's datasheets): H100 SXM 80GB (the method's reference, whose
#: factors are `ai.gpu.*`), A100 SXM4 and PCIe 40GB, L4, P100 (`ai.gpu_<type>.*`).
GPU_TYPES = ("h100", "a100", "a100_pcie", "l4", "p100")
VIDEO_QUALITIES = ("audio", "sd", "hd", "full_hd", "uhd")
CLOUD_PROVIDERS = ("aws", "azure", "gcp", "ovhcloud", "scaleway")
BUDGET_CRITERIA = (*CRITERION_IDS, "all")

#: Upper bounds that no real service reaches: beyond them the input is a typo.
ABSURD = {
    "users": 1e10,
    "visits": 1e13,
    "visit_duration": units.SECONDS_PER_DAY,
    "data_per_visit": 1e12,
    "storage": 1e18,
    "count": 1e6,
    "vcpu": 512,  # the largest virtual machines; beyond, a typo (or several VMs: use count)
    "hours_per_day": 24.0,  # of use per user, averaged over the period
}
#: Set by questionnaire.ranges when it validates a questionnaire at the centres of its ranges:
#: the centre of 'replicas: 2..3' is 2.45, a whole number is required only as written.
RANGE_CENTRES = "range_centres"

#: `what` in a refusal: a YAML key ('users', 'vcpu'), shown as written in every language,
#: or words from the catalogue ('a share').
What = str | Message


# --- reading plain numbers -----------------------------------------------------------------


def plain_number(kind: str, example: float) -> Any:
    """A reader of plain numbers whose refusals say what it counts: 'a count such as 50000'
    for users, 'a ratio such as 1.5' for a PUE (not a data size's '2.5 MB')."""
    hint = message(f"hint.{kind}", example=example)
    return lambda value: units.parse_number(value, hint)


read_users = plain_number("count", 50000)
read_count = plain_number("count", 2)
read_vcpu = plain_number("count", 4)
read_tokens = plain_number("count", 300)
read_ratio = plain_number("ratio", 1.5)


def quantity_reader(dimension: units.Dimension, plain_unit: str) -> Any:
    """A reader of quantities of `dimension`, a plain number being in `plain_unit`."""
    return lambda value: units.parse(value, dimension, plain_unit)


read_data_size = quantity_reader(units.DATA, "MB")
read_storage_size = quantity_reader(units.DATA, "GB")
read_duration = quantity_reader(units.TIME, "min")
read_long_duration = quantity_reader(units.TIME, "year")
read_daily_hours = quantity_reader(units.TIME, "h")
read_power = quantity_reader(units.POWER, "W")
read_energy = quantity_reader(units.ENERGY, "kWh")


# --- generic checks -----------------------------------------------------------------------


def check_range(value: float, what: What, low: float, high: float, unit: str = "") -> float:
    if value < low or value > high:
        raise Refusal("error.range", what=what, low=low, high=high, value=value, unit=unit)
    return value


def not_negative(value: float, what: What, unit: str = "") -> float:
    if value < 0:
        raise Refusal("error.not_negative", what=what, value=value, unit=unit)
    return value


def whole(value: float, what: What, range_centres: bool) -> float:
    """A count of things must be whole, except at the centre of a range (see RANGE_CENTRES)."""
    if not float(value).is_integer() and not range_centres:
        raise Refusal("error.whole", what=what, value=value)
    return value


def optional(check: Any) -> Any:
    """`check` for a field that may be left out: None passes as is."""
    return lambda value: None if value is None else check(value)


# --- shares (devices, network) ------------------------------------------------------------


def renormalised(data: Any) -> Any:
    """Shares summing to within SHARE_TOLERANCE of 100%, scaled to sum to exactly 100%.

    Anything unreadable or out of 0-100% is left as written for the validators to report.
    """
    if not isinstance(data, dict) or not data:
        return data
    try:
        shares = {key: units.parse_fraction(value) for key, value in data.items()}
    except UnitError:
        return data
    total = sum(shares.values())
    if any(not 0 <= v <= 1 for v in shares.values()) or abs(total - 1.0) > SHARE_TOLERANCE:
        return data
    return {key: value / total for key, value in shares.items()}


_A_SHARE = message("what.share")
_VISITS_PER_USER = message("what.visits_per_user")


def share(value: float) -> float:
    return check_range(value, _A_SHARE, 0, 1)


def shares_sum_to_one(shares: dict[str, float], what: str) -> dict[str, float]:
    """`what`: 'device' or 'network', the shares' catalogue words."""
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        listed = tuple(message("shares.item", name=k, share=v) for k, v in shares.items() if v)
        raise Refusal(f"shares.sum.{what}", total=total, listed=listed)
    return shares


# --- usage --------------------------------------------------------------------------------


def users(value: float) -> float:
    return check_range(value, "users", 1, ABSURD["users"])


def visits_per_user(value: units.Frequency) -> units.Frequency:
    check_range(value.count, _VISITS_PER_USER, 1e-9, ABSURD["visits"])
    return value


def visit_duration(value: float) -> float:
    if value < 0 or value > ABSURD["visit_duration"]:
        raise Refusal("error.visit_duration", value=value)
    return value


def data_per_visit(value: float) -> float:
    if value < 0 or value > ABSURD["data_per_visit"]:
        raise Refusal("error.data_per_visit", size=quantity(value, "B"))
    return value


# --- terminals ----------------------------------------------------------------------------


def device_lifetime(value: float | None) -> float | None:
    if value is not None and not 30 * units.SECONDS_PER_DAY <= value <= 30 * units.SECONDS_PER_YEAR:
        raise Refusal("error.device_lifetime")
    return value


def hours_per_day(value: float | None) -> float | None:
    if value is not None and not 0 < value <= units.SECONDS_PER_DAY:
        hours = value / units.SECONDS_PER_HOUR
        raise Refusal("error.hours_per_day", hours=hours)
    return value


device_power = optional(lambda value: check_range(value, "power", 0, 1e4, " W"))
device_standby = optional(lambda value: check_range(value, "standby", 0, 1e3, " W"))


def equipment_count(value: float) -> float:
    return check_range(value, "count", 0, ABSURD["count"])


# --- hosting ------------------------------------------------------------------------------

#: The bounds of a server's whole parts (sockets, cores per CPU, GPU cards).
SERVER_PARTS = {"cpus": (1, 16), "cores": (1, 512), "gpus": (0, 64)}


def server_part(name: str, value: float | None, range_centres: bool) -> float | None:
    if value is None:
        return None
    low, high = SERVER_PARTS[name]
    return whole(check_range(value, name, low, high), name, range_centres)


server_memory = optional(lambda value: check_range(value, "memory", 0, 64e12, " B"))
server_ssd = optional(lambda value: check_range(value, "ssd", 0, 1e15, " B"))
server_vcpu = optional(lambda value: check_range(value, "vcpu", 1e-3, ABSURD["vcpu"]))
server_utilization = optional(lambda value: check_range(value, "utilization", 0, 1))
server_power = optional(lambda value: check_range(value, "power", 1e-3, 1e5, " W"))


def server_count(value: float, range_centres: bool) -> float:
    return whole(check_range(value, "count", 1, ABSURD["count"]), "count", range_centres)


def server_lifetime(value: float | None) -> float | None:
    if value is not None and not units.SECONDS_PER_DAY * 30 <= value <= units.SECONDS_PER_YEAR * 30:
        raise Refusal("error.server_lifetime")
    return value


def server_consistent(server: Any) -> None:
    """A named instance is a virtual server of a provider; otherwise a virtual server gives
    its vCPUs and a physical one none."""
    if (server.provider is None) != (server.instance is None):
        raise Refusal("error.instance_needs_provider")
    if server.instance is not None:
        if server.type != "virtual":
            raise Refusal("error.instance_is_virtual")
        if server.vcpu is not None:
            raise Refusal("error.instance_vcpu")
        return
    if server.type == "virtual" and server.vcpu is None:
        raise Refusal("error.virtual_needs_vcpu")
    if server.type == "physical" and server.vcpu is not None:
        raise Refusal("error.physical_vcpu")


_STORAGE_VOLUME = message("what.storage_volume")


def storage_volume(value: float) -> float:
    return check_range(value, _STORAGE_VOLUME, 0, ABSURD["storage"], " B")


def storage_replicas(value: float | None, range_centres: bool) -> float | None:
    if value is None:
        return None
    return whole(check_range(value, "replicas", 1, 20), "replicas", range_centres)


shared_energy = optional(lambda value: check_range(value, "energy", 0, 100, " kWh"))
pue = optional(lambda value: check_range(value, "PUE", 1.0, 4.0))


def environments(value: float) -> float:
    return check_range(value, "environments", 1, 20)


def electricity_factor(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 2.0:
        raise Refusal("error.electricity_factor", grams=value * 1e3)
    return value


# --- the questionnaire --------------------------------------------------------------------


def period(value: float) -> float:
    if not units.SECONDS_PER_DAY <= value <= 100 * units.SECONDS_PER_YEAR:
        raise Refusal("error.period")
    return value


def at(path: tuple[Any, ...], reason: Message) -> Message:
    """'usage.users: reason': a refusal under the dotted path of what it refuses."""
    return message("error.at", path=dotted(path), reason=reason) if path else reason


def impossible_usage(q: Questionnaire) -> list[tuple[tuple[str, ...], Message]]:
    """Usage no user can have, as (path, message): checked on the visits over the period.

    A rate is bounded as a count over the period ('1000000 / s' is 3.2e13 visits a year),
    and visits x duration cannot exceed 24 h of use per user per day on average.
    """
    u = q.usage
    visits = u.visits_per_user.over(q.period)
    path = ("usage", "visits_per_user")
    if visits > ABSURD["visits"]:
        rate = quantity(u.visits_per_user)
        refusal = message("error.visits_absurd", rate=rate, visits=visits, most=ABSURD["visits"])
        return [(path, at(path, refusal))]
    days = q.period / units.SECONDS_PER_DAY
    hours = visits * u.visit_duration / units.SECONDS_PER_HOUR / days
    if hours > ABSURD["hours_per_day"] * (1 + 1e-9):
        rate, duration = quantity(u.visits_per_user), quantity(u.visit_duration, "s")
        refusal = message("error.over_24h", rate=rate, duration=duration, hours=hours)
        return [(path, at(path, refusal))]
    return []


def impossible_video(q: Questionnaire) -> list[tuple[tuple[str, ...], Message]]:
    """Video watched is part of the visits' time: never more than it."""
    v, u = q.video, q.usage
    if v is None:
        return []
    if v.watched_per_visit is not None and v.watched_per_visit > u.visit_duration * (1 + 1e-9):
        path = ("video", "watched_per_visit")
        refusal = message(
            "error.watched_per_visit",
            watched=quantity(v.watched_per_visit, "s"),
            visit=quantity(u.visit_duration, "s"),
        )
        return [(path, at(path, refusal))]
    visit_time = u.visits_per_user.over(q.period) * u.visit_duration
    if v.watched_per_user is not None and v.watched_per_user > visit_time * (1 + 1e-9):
        path = ("video", "watched_per_user")
        refusal = message(
            "error.watched_per_user",
            watched=quantity(v.watched_per_user, "s"),
            visits=quantity(visit_time, "s"),
        )
        return [(path, at(path, refusal))]
    return []


def impossible(q: Questionnaire) -> list[tuple[tuple[str, ...], Message]]:
    """What no user can do, checked on a whole questionnaire once its sections are valid:
    the usage's problem and the video's, each at its own path (both when both are wrong)."""
    return impossible_usage(q) + impossible_video(q)


# --- AI -------------------------------------------------------------------------------------

#: Words of a GPU's full name that do not tell the types apart ('NVIDIA H100 SXM5 80GB').
_GPU_NOISE = {"nvidia", "tesla", "tensor", "core", "gpu", "sxm", "sxm2", "sxm4", "sxm5"}
_PARAMETER_SCALE = {"": 1.0, "m": 1e-3, "b": 1.0, "t": 1e3}
_PARAMETERS = re.compile(rf"^\s*(?P<number>{units.NUMBER})\s*(?P<scale>[mbtMBT]?)\s*$")


def parse_parameters(value: object) -> float:
    """'70B', '1.8 T', '350M' or a plain number -> billions of parameters."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("parameters.type", value=repr(value))
    if isinstance(value, int | float):
        return units.parse_number(value)
    match = _PARAMETERS.match(value)
    if not match:
        raise UnitError("parameters.unreadable", value=repr(value))
    number = float(match["number"].replace("_", ""))  # '1__0B' as units reads it: float() raised
    return number * _PARAMETER_SCALE[match["scale"].lower()]


def gpu_type(value: object) -> str:
    """'H100', 'NVIDIA A100 PCIe', 'l4' -> a known GPU type, or a "did you mean" refusal."""
    known = ", ".join(GPU_TYPES)
    if not isinstance(value, str):
        raise Refusal("gpu.type", value=repr(value), known=known)
    words = re.split(r"[\s_-]+", value.strip().lower())
    kept = [w for w in words if w and w not in _GPU_NOISE and not re.fullmatch(r"\d+gb", w)]
    key = "_".join(kept)
    if key in GPU_TYPES:
        return key
    raise Refusal("gpu.unknown", gpu=value, suggestion=did_you_mean(key, GPU_TYPES), known=known)


def parameters(value: float | None) -> float | None:
    if value is not None and not 1e-3 <= value <= 1e5:
        raise Refusal("error.parameters", value=value)
    return value


def model_consistent(model: Any) -> None:
    """A size class or parameters, not both; no more active parameters than in all."""
    if (model.size is None) == (model.parameters is None):
        raise Refusal("error.either", a="size", b="parameters")
    if model.size is not None and model.active_parameters is not None:
        raise Refusal("error.active_with_size")
    active, total = model.active_parameters, model.parameters
    if active is not None and total is not None and active > total:
        raise Refusal("error.active_over_total", active=active, total=total)


def gpus(value: float, range_centres: bool) -> float:
    return whole(check_range(value, "gpus", 1, 1e5), "gpus", range_centres)


def gpu_hours(value: float) -> float:
    return check_range(value, "gpu_hours", 1e-3, 1e9)


def amortised_over(value: float) -> float:
    if not units.SECONDS_PER_DAY <= value <= 30 * units.SECONDS_PER_YEAR:
        raise Refusal("error.amortised_over")
    return value


requests_per_visit = optional(lambda value: check_range(value, "requests_per_visit", 0, 1e4))
input_tokens = optional(lambda value: check_range(value, "input_tokens", 0, 1e7))


def output_tokens(value: float) -> float:
    return check_range(value, "output_tokens", 0, 1e6)


def requests_per_user(value: units.Frequency | None) -> units.Frequency | None:
    if value is not None:
        check_range(value.count, "requests_per_user", 0, ABSURD["visits"])
    return value


#: The self-hosted GPUs' average load, a share of their time.
gpu_utilization = optional(lambda value: check_range(value, "utilization", 0, 1))


def ai_consistent(ai: Any) -> None:
    if (ai.requests_per_visit is None) == (ai.requests_per_user is None):
        raise Refusal("error.one_of", a="requests_per_visit", b="requests_per_user")


# --- video and messages ---------------------------------------------------------------------


def call_participants(value: float | None, range_centres: bool) -> float | None:
    if value is None:
        return None
    return whole(
        check_range(value, "call_participants", 2, 1000), "call_participants", range_centres
    )


#: Time watched (its upper bound is the visits' time: impossible_video).
watched_per_visit = optional(lambda value: not_negative(value, "watched_per_visit", " s"))
watched_per_user = optional(lambda value: not_negative(value, "watched_per_user", " s"))


def video_consistent(video: Any) -> None:
    if (video.watched_per_visit is None) == (video.watched_per_user is None):
        raise Refusal("error.one_of", a="watched_per_visit", b="watched_per_user")


_MESSAGES_PER_USER = message("what.messages_per_user")
_MESSAGE_SIZE = message("what.message_size")


def messages_per_user(value: units.Frequency) -> units.Frequency:
    check_range(value.count, _MESSAGES_PER_USER, 0, ABSURD["visits"])
    return value


message_size = optional(lambda value: check_range(value, _MESSAGE_SIZE, 0, 1e10, " B"))
recipients = optional(lambda value: check_range(value, "recipients", 0, 1e5))
copies = optional(lambda value: check_range(value, "copies", 1, 20))


def retention(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 100 * units.SECONDS_PER_YEAR:
        raise Refusal("error.retention")
    return value


# --- budgets --------------------------------------------------------------------------------

#: "2 g CO2e", "2 g CO2 eq": the gas named after a climate-change mass is only a reminder.
_CO2_SUFFIX = re.compile(r"\s*CO2\s*(?:e|eq)?\.?\s*$", re.IGNORECASE)
MJ_PER_KWH = 3.6
#: The smallest budget limit (in the criterion's base unit, or as a share): far below any
#: real one (a visit's particulate matter is ~1e-13), far enough from the smallest float
#: that a value divided by it stays finite.
MIN_BUDGET_LIMIT = 1e-100


def _same_unit(written: str, unit: str) -> bool:
    return written.replace(" ", "").lower() == unit.replace(" ", "").lower()


def budget_limit(criterion: str, value: object) -> float:
    """A budget's `max` in the criterion's base unit: a mass for climate change, an energy
    for energy and for fossil resources (an energy content, MJ), a plain number (or one
    written with the criterion's own unit) otherwise."""
    if criterion == "climate_change":
        text = _CO2_SUFFIX.sub("", value) if isinstance(value, str) else value
        return units.parse(text, units.MASS, "kg")
    if criterion == "energy":
        return units.parse(value, units.ENERGY, "kWh")
    if criterion == "fossil_resources":  # kWh -> MJ; a plain number is in MJ
        return units.parse(value, units.ENERGY, "MJ") * MJ_PER_KWH
    unit = BY_ID[criterion]
    if isinstance(value, str):
        number, written = units.split_quantity(value)
        if written is None or any(_same_unit(written, u) for u in (unit.unit, unit.short_unit)):
            return number
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return units.to_float(value)
    raise UnitError("budget.plain_number", criterion=criterion, unit=unit.unit, value=repr(value))


def budget_criterion(value: str) -> str:
    if value in BUDGET_CRITERIA:
        return value
    hint = did_you_mean(value, BUDGET_CRITERIA)
    known = ", ".join(BUDGET_CRITERIA)
    raise Refusal("budget.unknown_criterion", criterion=value, suggestion=hint, known=known)


def budget_max(criterion: str | None, value: object) -> object:
    """`max` as written -> in the criterion's unit (before the field's own type check)."""
    if value is None:
        return None
    if criterion is None:  # unknown: reported on its own, no unit to read `max` in
        return 0.0
    if criterion == "all":
        raise Refusal("budget.max_for_all")
    return budget_limit(criterion, value)


def budget_consistent(budget: Any) -> None:
    """One limit, positive and not vanishingly small; no boundary share of energy."""
    if (budget.max is None) == (budget.max_boundary_share is None):
        raise Refusal("error.one_of", a="max", b="max_boundary_share")
    limit = budget.max if budget.max is not None else budget.max_boundary_share
    if limit is not None and limit <= 0:
        raise Refusal("budget.not_positive")
    if limit is not None and limit < MIN_BUDGET_LIMIT:  # value / limit would overflow
        raise Refusal("budget.too_small", limit=MIN_BUDGET_LIMIT)
    if budget.criterion == "energy" and budget.max_boundary_share is not None:
        raise Refusal("budget.energy_boundary")
