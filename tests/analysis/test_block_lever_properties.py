"""Property tests: no lever of an optional block raises any criterion of the service, for
any block hypothesis can write (AI served by an API or self-hosted on any GPU type, with
or without input tokens and training; video streams and calls; messages kept or not)."""

from __future__ import annotations

import numpy as np
import yaml
from conftest import MINIMAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acvnum.analysis.levers import Context, apply, catalogue
from acvnum.analysis.variants import Variant
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import service_arrays
from acvnum.questionnaire.models import (
    AI_SIZES,
    GPU_TYPES,
    VIDEO_QUALITIES,
    Questionnaire,
    as_record,
)
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import load_factors

TABLE = load_factors()
CONTEXT = Context(TABLE, boundaries(TABLE))
LEVERS = {lever.id: lever for lever in catalogue()}
BLOCK_LEVERS = {
    "ai": [k for k in LEVERS if k.startswith("ai_")],
    "video": [k for k in LEVERS if k.startswith("video_")],
    "messages": ["message_retention", "attachments_as_links"],
}
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

counts = st.integers(min_value=1, max_value=5000)
shares = st.integers(min_value=0, max_value=100).map(lambda p: f"{p}%")

model = st.one_of(
    st.builds(lambda size: {"size": size}, st.sampled_from(AI_SIZES)),
    st.builds(
        lambda total, active: (
            {"parameters": f"{total}B", "active_parameters": f"{active}B"}
            if active
            else {"parameters": f"{total}B"}
        ),
        st.integers(1, 2000),
        st.none(),
    ),
    st.integers(2, 2000).flatmap(
        lambda total: st.builds(
            lambda active: {"parameters": f"{total}B", "active_parameters": f"{active}B"},
            st.integers(1, total),
        )
    ),
)
self_hosted = st.one_of(
    st.none(),
    st.builds(
        lambda gpus, gpu, load: {"gpus": gpus, "gpu": gpu, "utilization": load},
        st.integers(1, 64),
        st.sampled_from(GPU_TYPES),
        st.integers(1, 100).map(lambda p: f"{p}%"),
    ),
)
training = st.one_of(
    st.none(),
    st.builds(
        lambda hours, gpu: (
            {"gpu_hours": hours, "amortised_over": "2 years"} | ({"gpu": gpu} if gpu else {})
        ),
        st.integers(1, 100_000),
        st.one_of(st.none(), st.sampled_from(GPU_TYPES)),
    ),
)


def _ai(requests, outputs, inputs, model, hosted, training) -> dict:
    block = {"requests_per_visit": requests, "output_tokens": outputs, "model": model}
    if inputs is not None:
        block["input_tokens"] = inputs
    if hosted is not None:
        block["self_hosted"] = hosted
    if training is not None:
        block["training"] = training
    return block


ai_blocks = st.builds(
    _ai,
    st.integers(1, 20),
    counts,
    st.one_of(st.none(), st.integers(0, 100_000)),
    model,
    self_hosted,
    training,
)
video_blocks = st.builds(
    lambda minutes, quality, participants, background, audio: (
        {
            "watched_per_visit": f"{minutes} min",
            "quality": quality,
            "background_share": background,
            "audio_in_background": audio,
        }
        | ({"call_participants": participants} if participants else {})
    ),
    st.integers(0, 6),  # MINIMAL's visits last 6 min
    st.sampled_from(VIDEO_QUALITIES),
    st.one_of(st.none(), st.integers(2, 50)),
    shares,
    st.booleans(),
)
message_blocks = st.builds(
    lambda per_user, size, recipients, retention, copies, links: {
        "per_user": f"{per_user} / month",
        "size": f"{size} kB",
        "recipients": recipients,
        "retention": f"{retention} years",
        "copies": copies,
        "attachments_as_links": links,
    },
    st.integers(0, 500),
    st.integers(1, 20_000),
    st.integers(0, 50),
    st.integers(0, 30),
    st.integers(1, 5),
    st.booleans(),
)


def totals(q: Questionnaire) -> np.ndarray:
    """(criteria,) the service's totals with the central factors."""
    return evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0].sum(axis=0)


def check(block: str, answers: dict) -> None:
    q = as_record(yaml.safe_load(MINIMAL) | {block: answers})
    before = totals(q)
    for lever_id in BLOCK_LEVERS[block]:
        variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
        if variant is None:
            continue
        after = totals(variant.copy())
        assert np.all(after <= before * (1 + 1e-9) + 1e-300), (lever_id, answers)


@PROPERTY
@given(ai_blocks)
def test_no_ai_lever_raises_any_criterion(answers):
    check("ai", answers)


@PROPERTY
@given(video_blocks)
def test_no_video_lever_raises_any_criterion(answers):
    check("video", answers)


@PROPERTY
@given(message_blocks)
def test_no_message_lever_raises_any_criterion(answers):
    check("messages", answers)
