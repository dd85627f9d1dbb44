"""The optional workload blocks of a questionnaire as inventory quantities (issue 13).

AI inference follows the method published by EcoLogits (GenAI Impact, ecologits.ai): GPU
energy and generation time per output token are fits on the active parameters and the batch
size; the GPUs a model needs follow from its total parameters and the memory of one GPU;
the server around the GPUs and the hardware's manufacturing are allocated by the GPUs used
and by the generation time over the hardware's life. A self-hosted model is counted whole:
its GPU servers run for the service over the period, whatever the traffic.

Same conventions as acvnum.calculation.inventory: per-service inputs are (N, 1) columns, NaN
means "not given", factor values are (S,), results broadcast to (N, S). A service without a
block has zeros in its rows, so its result is exactly what it was before the blocks existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from acvnum.questionnaire import units
from acvnum.questionnaire.records import AI, Questionnaire
from acvnum.reference import defaults
from acvnum.reference.factors import FactorValues

HOURS_PER_YEAR = units.DAYS_PER_YEAR * 24
SECONDS_PER_HOUR = units.SECONDS_PER_HOUR
#: Where an API's requests are served when nobody knows: the world electricity mix.
API_REGION = "WLD"


def _column(values: list[float | None]) -> np.ndarray:
    """Per-service scalars -> (N, 1), None -> NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)[:, np.newaxis]


@dataclass(frozen=True, eq=False)
class AIArrays:
    """The `ai:` blocks of N services, in base units: (N, 1) columns, 0 where absent."""

    requests: np.ndarray  # over the period, all users
    output_tokens: np.ndarray
    input_tokens: np.ndarray  # 0 where not given (EcoLogits counts output tokens only)
    parameters: np.ndarray  # billions; NaN where a size class is named
    active_parameters: np.ndarray  # billions; NaN: all parameters are active
    size: list[str | None]  # the named size class, per service
    self_hosted: np.ndarray  # 1 where the model runs on the service's own GPUs
    gpus: np.ndarray  # self-hosted GPUs
    utilization: np.ndarray  # self-hosted GPUs' load; NaN: the default
    pue: np.ndarray  # NaN: the default for the way it is served
    training_gpu_hours: np.ndarray  # the share of the training runs that falls in the period
    region: list[str]  # where the electricity is drawn
    #: The factor prefix of the GPUs answering requests (an API's: the H100 of the method)
    #: and of the training runs' GPUs, per service (gpu_prefix).
    gpu: list[str] = field(default_factory=list)
    training_gpu: list[str] = field(default_factory=list)

    @property
    def api(self) -> np.ndarray:
        return (self.requests > 0) * (1 - self.self_hosted)


def _requests(q: Questionnaire, ai: AI) -> float:
    """AI requests over the period, all users."""
    if ai.requests_per_visit is not None:
        return q.visits * ai.requests_per_visit
    assert ai.requests_per_user is not None  # the model requires one of the two
    return q.usage.users * ai.requests_per_user.over(q.period)


def _training_hours(q: Questionnaire, ai: AI | None) -> float:
    """GPU-hours of training charged to the period: its share of the amortisation."""
    if ai is None or ai.training is None:
        return 0.0
    return ai.training.gpu_hours * min(1.0, q.period / ai.training.amortised_over)


#: The method's reference GPU, whose factors are `ai.gpu.*`; the other types' `ai.gpu_<type>.*`.
REFERENCE_GPU = "h100"


def gpu_prefix(gpu: str) -> str:
    """A GPU type's factor prefix: 'ai.gpu' for the reference H100, else 'ai.gpu_<type>'."""
    return "ai.gpu" if gpu == REFERENCE_GPU else f"ai.gpu_{gpu}"


def _gpus(ai: AI | None) -> tuple[str, str]:
    """(inference, training) GPU types: an API's is the H100; training runs on its own
    type, else on the self-hosted GPUs', else on the H100."""
    if ai is None:
        return REFERENCE_GPU, REFERENCE_GPU
    inference = ai.self_hosted.gpu if ai.self_hosted else REFERENCE_GPU
    training = ai.training.gpu if ai.training and ai.training.gpu else inference
    return inference, training


def _region(q: Questionnaire, ai: AI | None) -> str:
    if ai is None or ai.self_hosted is None:
        return API_REGION
    hosting = q.hosting.location if q.hosting else None
    return ai.self_hosted.location or hosting or defaults.DEFAULT_REGION


def _pue(q: Questionnaire, ai: AI | None) -> float | None:
    """A self-hosted model's PUE, or the hosting's; an API's is the providers' default."""
    if ai is None or ai.self_hosted is None:
        return None
    return ai.self_hosted.pue or (q.hosting.pue if q.hosting else None)


def ai_arrays(services: list[Questionnaire]) -> AIArrays:
    """Stack the `ai:` blocks of N questionnaires (services without one get zeros)."""
    blocks = [q.ai for q in services]
    hosted = [a.self_hosted if a else None for a in blocks]
    pairs = list(zip(services, blocks, strict=True))
    return AIArrays(
        requests=_column([_requests(q, a) if a else 0.0 for q, a in pairs]),
        output_tokens=_column([a.output_tokens if a else 0.0 for a in blocks]),
        input_tokens=_column([(a.input_tokens or 0.0) if a else 0.0 for a in blocks]),
        parameters=_column([a.model.parameters if a else 1.0 for a in blocks]),
        active_parameters=_column([a.model.active_parameters if a else None for a in blocks]),
        size=[a.model.size if a else None for a in blocks],
        self_hosted=_column([float(h is not None) for h in hosted]),
        gpus=_column([h.gpus if h else 0.0 for h in hosted]),
        utilization=_column([h.utilization if h else None for h in hosted]),
        pue=_column([_pue(q, a) for q, a in pairs]),
        training_gpu_hours=_column([_training_hours(q, a) for q, a in pairs]),
        region=[_region(q, a) for q, a in pairs],
        gpu=[gpu_prefix(_gpus(a)[0]) for a in blocks],
        training_gpu=[gpu_prefix(_gpus(a)[1]) for a in blocks],
    )


def _sizes(a: AIArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray]:
    """(total, active) parameters in billions, (N, S): given, or from the size class."""
    total = np.broadcast_to(a.parameters, (len(a.size), f.samples)).copy()
    active = np.where(np.isnan(a.active_parameters), total, a.active_parameters)
    if a.size.count(None) == len(a.size):  # no size class (no AI block, mostly): no loop
        return total, active
    for i, size in enumerate(a.size):
        if size is None:
            continue
        total[i] = f[f"ai.size_{size}.parameters"]
        share = f["ai.size_frontier.active_share"] if size == "frontier" else 1.0
        active[i] = total[i] * share
    return total, active


def gpus_needed(total: np.ndarray, f: FactorValues) -> np.ndarray:
    """GPUs to hold the model in memory, rounded up to a power of two (1, 2, 4, 8...)."""
    memory = f["ai.model.memory_overhead"] * total * f["ai.model.bytes_per_parameter"]
    cards = np.maximum(np.ceil(memory / f["ai.gpu.memory"] - 1e-9), 1.0)
    return 2.0 ** np.ceil(np.log2(cards) - 1e-9)


@dataclass(frozen=True, eq=False)
class PerRequest:
    """One API request's GPU energy (Wh), generation time (s) and GPUs, each (N, S)."""

    gpu_wh: np.ndarray
    seconds: np.ndarray
    gpus: np.ndarray


def per_request(a: AIArrays, f: FactorValues) -> PerRequest:
    """EcoLogits' fits: energy and time per output token from active parameters and batch.

    Input tokens count as `ai.input_token.energy_ratio` output tokens each (Epoch AI's long-input
    figures): the prefill's energy and time, added to the decoding's.
    """
    total, active = _sizes(a, f)
    batch = f["ai.default.batch_size"]
    per_token_wh = (
        f["ai.gpu.energy_per_parameter"] * np.exp(-f["ai.gpu.energy_batch_decay"] * batch) * active
        + f["ai.gpu.energy_per_token"]
    )
    per_token_s = (
        f["ai.latency.per_parameter"] * active
        + f["ai.latency.per_batch"] * batch
        + f["ai.latency.per_token"]
    )
    gpus = gpus_needed(total, f)
    tokens = a.output_tokens + f["ai.input_token.energy_ratio"] * a.input_tokens
    return PerRequest(tokens * per_token_wh * gpus, tokens * per_token_s, gpus)


def _per_service(prefixes: list[str], f: FactorValues, quantity: str, kind: str = "") -> np.ndarray:
    """(N, S): each service's factor `[<kind>.]<prefix>.<quantity>` (a GPU type's, a video
    quality's), one lookup per distinct prefix, then one gather: no array per service."""
    if not prefixes:
        return np.zeros((0, f.samples))
    head = f"{kind}." if kind else ""
    if prefixes.count(prefixes[0]) == len(prefixes):  # one prefix (no AI block): no gather
        row = np.broadcast_to(f[f"{head}{prefixes[0]}.{quantity}"], (f.samples,))
        return np.broadcast_to(row, (len(prefixes), f.samples)).copy()
    codes = {p: k for k, p in enumerate(dict.fromkeys(prefixes))}
    index = list(map(codes.__getitem__, prefixes))  # no Python loop per service
    rows = np.stack([np.broadcast_to(f[f"{head}{p}.{quantity}"], (f.samples,)) for p in codes])
    return rows[index]


@dataclass(frozen=True, eq=False)
class GpuHours:
    """GPU-hours over the period, (N, S) each: answering requests, and training."""

    inference: np.ndarray
    training: np.ndarray


def ai_inventory(
    a: AIArrays, f: FactorValues, period_years: np.ndarray, default_pue: np.ndarray
) -> tuple[np.ndarray, GpuHours, np.ndarray]:
    """(kWh, GPU-hours by use, server-lifetimes) of AI inference and training, (N, S) each.

    `default_pue` is the data-centre default, for self-hosted GPUs without a PUE. The GPUs
    draw and are made as their type says (self-hosted and training); an API's are H100s.
    """
    served_by = f["ai.server.gpus"]
    server_w = f["ai.server.power"]
    owned_w = _per_service(a.gpu, f, "power")
    training_w = _per_service(a.training_gpu, f, "power")
    life_hours = f["ai.hardware.lifetime"] * HOURS_PER_YEAR
    batch = f["ai.default.batch_size"]
    pue = np.where(
        np.isnan(a.pue), np.where(a.self_hosted == 1, default_pue, f["ai.api.pue"]), a.pue
    )
    r = per_request(a, f)
    hours = r.seconds / SECONDS_PER_HOUR
    api_wh = r.gpu_wh + hours * server_w * r.gpus / served_by / batch
    api_gpu_hours = a.api * a.requests * hours * r.gpus / batch
    default_utilization = f[defaults.factor_id(("ai", "self_hosted", "utilization"))]
    utilization = np.where(np.isnan(a.utilization), default_utilization, a.utilization)
    owned_gpu_hours = a.self_hosted * a.gpus * period_years * HOURS_PER_YEAR
    owned_wh = owned_gpu_hours * (owned_w * utilization + server_w / served_by)
    training_wh = a.training_gpu_hours * (training_w + server_w / served_by)
    kwh = (a.api * a.requests * api_wh + owned_wh + training_wh) * pue / 1000
    inference = api_gpu_hours + owned_gpu_hours
    used = GpuHours(inference, np.broadcast_to(a.training_gpu_hours, inference.shape))
    servers = (used.inference + used.training) / served_by / life_hours
    return kwh, used, servers


def gpu_lifetimes(a: AIArrays, used: GpuHours, f: FactorValues) -> np.ndarray:
    """(N, S) GPU-lifetimes made for the service: its GPU-hours over the hardware's life."""
    return (used.inference + used.training) / (f["ai.hardware.lifetime"] * HOURS_PER_YEAR)


# --- video --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class VideoArrays:
    """The `video:` blocks of N services: (N, 1) columns, 0 hours where absent."""

    hours: np.ndarray  # watched over the period, all users
    quality: list[str]  # per service ('sd' where absent: no hours, no effect)
    background: np.ndarray  # share of the hours with the screen off
    audio_in_background: np.ndarray  # 1 where audio only is streamed then
    participants: np.ndarray  # 1 for a stream, N for a call sharing one back end


def _watched_hours(q: Questionnaire) -> float:
    v = q.video
    if v is None:
        return 0.0
    if v.watched_per_visit is not None:
        return q.visits * v.watched_per_visit / SECONDS_PER_HOUR
    assert v.watched_per_user is not None  # the model requires one of the two
    return q.usage.users * v.watched_per_user / SECONDS_PER_HOUR


def video_arrays(services: list[Questionnaire]) -> VideoArrays:
    """Stack the `video:` blocks of N questionnaires (services without one get zeros)."""
    blocks = [q.video for q in services]
    return VideoArrays(
        hours=_column([_watched_hours(q) for q in services]),
        quality=[v.quality if v else "sd" for v in blocks],
        background=_column([v.background_share if v else 0.0 for v in blocks]),
        audio_in_background=_column([float(bool(v and v.audio_in_background)) for v in blocks]),
        participants=_column([(v.call_participants or 1.0) if v else 1.0 for v in blocks]),
    )


def video_gigabytes(v: VideoArrays, f: FactorValues) -> np.ndarray:
    """GB the video takes over the users' networks, (N, S): each participant of a call
    receives and sends about one stream's worth (as the ADEME model of calls counts it)."""
    rate = _per_service(v.quality, f, "data_rate", "video")  # (N, S)
    background_rate = np.where(v.audio_in_background == 1, f["video.audio.data_rate"], rate)
    return v.hours * ((1 - v.background) * rate + v.background * background_rate)


def video_inventory(v: VideoArrays, f: FactorValues) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(GB on the users' networks, back-end kWh, back-end server shares), each (N, S).

    The back end serves each stream once: a call of N participants relays one stream's
    volume and holds its servers for one call's time, shared by the N of them.
    """
    gigabytes = video_gigabytes(v, f)
    backend_kwh = gigabytes / v.participants * f["video.backend.energy"]
    server_years = v.hours / v.participants * f["video.backend.server_years"]
    return gigabytes, backend_kwh, server_years / f["server.physical.lifetime"]


# --- messages and stored files --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MessageArrays:
    """The `messages:` blocks of N services: (N, 1) columns, NaN where the default applies."""

    items: np.ndarray  # sent over the period, all users (0 where absent)
    size_gb: np.ndarray
    recipients: np.ndarray
    retention_years: np.ndarray
    copies: np.ndarray
    as_links: np.ndarray  # 1 where files are shared as links


def message_arrays(services: list[Questionnaire]) -> MessageArrays:
    """Stack the `messages:` blocks of N questionnaires (services without one send 0)."""
    blocks = [q.messages for q in services]
    items = [
        q.usage.users * m.per_user.over(q.period) if m else 0.0
        for q, m in zip(services, blocks, strict=True)
    ]
    retention = [
        m.retention / units.SECONDS_PER_YEAR if m and m.retention is not None else None
        for m in blocks
    ]
    return MessageArrays(
        items=_column(items),
        size_gb=_column(
            [m.size / units.BYTES_PER_GB if m and m.size is not None else None for m in blocks]
        ),
        recipients=_column([m.recipients if m else None for m in blocks]),
        retention_years=_column(retention),
        copies=_column([m.copies if m else None for m in blocks]),
        as_links=_column([float(bool(m and m.attachments_as_links)) for m in blocks]),
    )


#: The factors that fill the `messages:` keys a file leaves out (reference.defaults).
_MESSAGES = {
    key: defaults.factor_id(("messages", key))
    for key in ("size", "recipients", "retention", "copies")
}


def _given(values: np.ndarray, default: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), default, values)


def message_inventory(
    m: MessageArrays, f: FactorValues, period_years: np.ndarray, storage_type: str = "ssd"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(GB on the users' networks, server kWh before PUE, stored TB, TB-lifetimes), (N, S).

    Each item is sent once and received by each recipient (network and server work for
    1 + recipients); it is kept `retention` years by the sender and every recipient, in
    `copies` copies: the stock this builds up in steady state is a year's items x retention.
    A file shared as a link is stored once instead of in every mailbox.
    """
    size = _given(m.size_gb, f[_MESSAGES["size"]] / 1000)  # MB -> GB
    recipients = _given(m.recipients, f[_MESSAGES["recipients"]])
    handled = m.items * (1 + recipients)
    mailboxes = np.where(m.as_links == 1, 1.0, 1 + recipients)
    yearly_items = m.items / period_years
    retention = _given(m.retention_years, f[_MESSAGES["retention"]])
    copies = _given(m.copies, f[_MESSAGES["copies"]])
    stored_tb = yearly_items * size * mailboxes * copies * retention / 1000
    tb_lifetimes = stored_tb * period_years / f[f"storage.{storage_type}.lifetime"]
    return handled * size, handled * f["messages.server.energy"], stored_tb, tb_lifetimes
