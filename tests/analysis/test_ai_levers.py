"""The AI levers, hand-checked; none raises any criterion of the AI rows."""

import copy

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from acvnum.analysis.levers import Context, apply, catalogue
from acvnum.analysis.variants import Variant
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, HOURS_PER_YEAR, service_arrays
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
CONTEXT = Context(TABLE, boundaries(TABLE))
LEVERS = {lever.id: lever for lever in catalogue()}
AI_LEVERS = [lever_id for lever_id in LEVERS if lever_id.startswith("ai_")]
AI_ROWS = [i for i, a in enumerate(ACTIVITIES) if a.item.startswith("ai")]
ENERGY = CRITERION_IDS.index("energy")
API = {"requests_per_visit": 1, "output_tokens": 300, "model": {"parameters": "70B"}}


def make(ai: dict) -> Questionnaire:
    return as_record(yaml.safe_load(MINIMAL) | {"ai": copy.deepcopy(ai)})


def ai_rows(q: Questionnaire) -> np.ndarray:
    """(AI activities, criteria) contributions of one service."""
    return evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0][AI_ROWS]


def changed(lever_id: str, q: Questionnaire) -> Questionnaire:
    variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
    assert variant is not None, f"{lever_id} should apply"
    return variant.copy()  # the questionnaire with the lever's values in it


def test_shorter_outputs_cut_the_ai_rows_by_30_percent():
    # Energy, generation time and hardware time are all proportional to the output tokens.
    q = make(API)
    np.testing.assert_allclose(ai_rows(changed("ai_shorter_outputs", q)), 0.7 * ai_rows(q))


def test_caching_scales_a_rate_of_requests_per_user():
    q = make(API | {"requests_per_visit": None, "requests_per_user": "20 / month"})
    after = changed("ai_caching", q).ai
    assert after.requests_per_user.count == pytest.approx(14)
    assert str(after.requests_per_user) == str(q.ai.requests_per_user).replace("20", "14")
    np.testing.assert_allclose(ai_rows(changed("ai_caching", q)), 0.7 * ai_rows(q))


def test_a_smaller_model_steps_one_class_down_or_divides_parameters_by_five():
    assert changed("ai_smaller_model", make(API | {"model": {"size": "large"}})).ai.model.size == (
        "medium"
    )
    smaller = changed("ai_smaller_model", make(API)).ai.model
    assert smaller.parameters == pytest.approx(14)
    # 70B on 4 GPUs -> 14B on 1 GPU (1.2 x 14 x 2 = 33.6 GB): the energy falls.
    assert ai_rows(make(API | {"model": {"parameters": 14}}))[0, ENERGY] < ai_rows(make(API))[0, 0]
    assert (
        apply(
            LEVERS["ai_smaller_model"], Variant(make(API | {"model": {"size": "small"}})), CONTEXT
        )
        is None
    )


def test_batching_carries_the_load_on_fewer_busier_gpus():
    # 8 GPUs at 40% -> ceil(8 x 0.4 / 0.8) = 4 GPUs at 80%: per GPU 700 x 0.8 + 1200 / 8 =
    # 710 W against 700 x 0.4 + 150 = 430 W: 4 x 710 = 2840 W instead of 8 x 430 = 3440 W
    # (-17.4%); GPU and server manufacturing halve.
    q = make(API | {"self_hosted": {"gpus": 8, "utilization": "40%", "pue": 1.0}})
    after = changed("ai_batching", q)
    assert (after.ai.self_hosted.gpus, after.ai.self_hosted.utilization) == (4, pytest.approx(0.8))
    before_rows, after_rows = ai_rows(q), ai_rows(after)
    assert before_rows[0, ENERGY] == pytest.approx(3440 * HOURS_PER_YEAR / 1000)
    assert after_rows[0, ENERGY] == pytest.approx(2840 * HOURS_PER_YEAR / 1000)
    np.testing.assert_allclose(after_rows[1:], before_rows[1:] / 2)


def test_batching_and_smaller_model_apply_to_their_own_way_of_serving():
    api, hosted = make(API), make(API | {"self_hosted": {"gpus": 8}})
    assert apply(LEVERS["ai_batching"], Variant(api), CONTEXT) is None
    assert apply(LEVERS["ai_smaller_model"], Variant(hosted), CONTEXT) is None


def _cases() -> list[tuple[str, Questionnaire]]:
    example = as_record(
        yaml.safe_load((EXAMPLES / "ai-assistant.yaml").read_text(encoding="utf-8"))
    )
    frontier = make(API | {"model": {"size": "frontier"}})
    moe = make(API | {"model": {"parameters": "1.8T", "active_parameters": "300B"}})
    hosted = make(API | {"self_hosted": {"gpus": 16, "utilization": "20%"}})
    per_user = make(API | {"requests_per_visit": None, "requests_per_user": 300})
    return [
        (name, q)
        for name, q in [
            ("example", example),
            ("frontier", frontier),
            ("moe", moe),
            ("hosted", hosted),
            ("per_user", per_user),
        ]
    ]


@pytest.mark.parametrize("lever_id", AI_LEVERS)
@pytest.mark.parametrize(("name", "q"), _cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_no_ai_lever_raises_any_criterion_of_the_ai_rows(lever_id, name, q):
    variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
    if variant is None:
        return
    before, after = ai_rows(q).sum(axis=0), ai_rows(variant.copy()).sum(axis=0)
    assert np.all(after <= before * (1 + 1e-12)), (lever_id, name)
    # A self-hosted fleet is counted whole: caching or shorter answers leave it as it is
    # (and the engine then finds nothing to propose); elsewhere the energy falls.
    hosted = q.ai.self_hosted is not None and lever_id != "ai_batching"
    assert after[ENERGY] == before[ENERGY] if hosted else after[ENERGY] < before[ENERGY]
