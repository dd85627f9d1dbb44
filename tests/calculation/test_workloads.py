"""The AI block: hand-checked inventories from the cited factors (factors/ai.csv).

Central factors used below (EcoLogits' fits and reference server):
  GPU energy per output token  = 1.17e-6 x exp(-0.0112 x 64) x P_active + 4.05e-5 Wh
                               = 5.7133e-7 x P_active + 4.05e-5 Wh   (exp(-0.7168) = 0.48832)
  time per output token        = 6.78e-4 x P_active + 3.12e-4 x 64 + 0.0194 s
  GPUs                         = next power of two of ceil(1.2 x P_total x 2 bytes / 80 GB)
  server without GPUs 1200 W for 8 GPUs; batch 64; hardware life 3 years = 26,298 h
  (8,766 h a year); API PUE 1.2 and the world mix (electricity.WLD, 0.473 kg CO2 eq/kWh).
"""

import numpy as np
import pytest
import yaml
from conftest import MINIMAL

from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.calculation.results import criteria_results
from acvnum.calculation.workloads import gpus_needed
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
AI_ROWS = {a.item: i for i, a in enumerate(ACTIVITIES) if a.item.startswith("ai")}
ENERGY = CRITERION_IDS.index("energy")
CLIMATE = CRITERION_IDS.index("climate_change")
LIFE_HOURS = 3 * 8766


def questionnaire(ai: dict | None, **extra) -> Questionnaire:
    data = yaml.safe_load(MINIMAL) | extra
    if ai is not None:
        data["ai"] = ai
    return as_record(data)


def ai_rows(q: Questionnaire) -> dict[str, np.ndarray]:
    """{item: (criteria,) contributions} of the AI activities of one service."""
    contributions = evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0]
    return {item: contributions[i] for item, i in AI_ROWS.items()}


API_70B = {"requests_per_visit": 1, "output_tokens": 300, "model": {"parameters": "70B"}}


def test_an_api_request_to_a_dense_70b_model():
    # 70B: 1.2 x 70 x 2 = 168 GB -> ceil(168 / 80) = 3 -> 4 GPUs.
    # GPU energy: 300 x (5.7133e-7 x 70 + 4.05e-5) x 4 = 300 x 8.0493e-5 x 4 = 0.096592 Wh.
    # Time: 300 x (0.04746 + 0.019968 + 0.0194) = 26.0484 s = 0.0072357 h.
    # Server: 0.0072357 h x 1200 W x 4 / 8 / 64 = 0.067834 Wh.
    # Request: (0.096592 + 0.067834) x PUE 1.2 = 0.19731 Wh; 10,000 visits -> 1.9731 kWh.
    rows = ai_rows(questionnaire(API_70B))
    assert rows["ai"][ENERGY] == pytest.approx(1.9731, rel=1e-4)
    # Climate: 1.9731 kWh x 0.473 (world mix, grid scale 1) = 0.93328 kg.
    assert rows["ai"][CLIMATE] == pytest.approx(0.93328, rel=1e-4)
    # GPU-hours: 10,000 x 0.0072357 h x 4 GPUs / 64 = 4.5223; / 26,298 h = 1.7196e-4 GPU
    # lifetimes x 164 kg = 0.028202 kg; the server: / 8 GPUs = 2.1495e-5 x 5700 = 0.12252 kg.
    assert rows["ai_gpus"][CLIMATE] == pytest.approx(0.028202, rel=1e-4)
    assert rows["ai_servers"][CLIMATE] == pytest.approx(0.12252, rel=1e-4)
    assert rows["ai_gpus"][ENERGY] == rows["ai_servers"][ENERGY] == 0.0


@pytest.mark.parametrize(
    ("billions", "gpus"),
    [(8, 1), (70, 4), (405, 16), (1800, 64)],
    # 8B: 19.2 GB -> 1; 405B: 972 GB -> 13 -> 16; 1800B: 4320 GB -> 54 -> 64.
)
def test_gpus_hold_the_model_in_memory_in_powers_of_two(billions, gpus):
    assert gpus_needed(np.array([[billions]], dtype=float), TABLE.central())[0, 0] == gpus


def test_a_size_class_takes_its_cited_parameters():
    named = ai_rows(questionnaire(API_70B | {"model": {"size": "medium"}}))
    given = ai_rows(questionnaire(API_70B))
    np.testing.assert_allclose(named["ai"], given["ai"])  # medium = 70B (Llama 3.1 70B)


def test_a_mixture_of_experts_spends_energy_on_its_active_parameters_only():
    dense = ai_rows(questionnaire(API_70B | {"model": {"parameters": "140B"}}))
    moe = ai_rows(
        questionnaire(API_70B | {"model": {"parameters": "140B", "active_parameters": "14B"}})
    )
    assert moe["ai"][ENERGY] < dense["ai"][ENERGY]
    # Same total, same GPUs: 1.2 x 140 x 2 = 336 GB -> 5 -> 8 GPUs for both.
    per_gpu = moe["ai"][ENERGY] / dense["ai"][ENERGY]
    assert 0 < per_gpu < 1


def test_a_self_hosted_model_counts_its_gpus_over_the_whole_period():
    # 8 GPUs x 8,766 h = 70,128 GPU-hours; draw 700 W x 50% + 1200 W / 8 = 500 W per GPU:
    # 35,064 kWh x PUE 1.3 = 45,583.2 kWh. Manufacturing: 70,128 / 26,298 = 8/3 GPU
    # lifetimes (x 164 kg = 437.33 kg) and 1/3 of a server (x 5700 kg = 1900 kg).
    block = API_70B | {
        "self_hosted": {"gpus": 8, "utilization": "50%", "pue": 1.3, "location": "FRA"}
    }
    rows = ai_rows(questionnaire(block))
    assert rows["ai"][ENERGY] == pytest.approx(45_583.2, rel=1e-9)
    assert rows["ai_gpus"][CLIMATE] == pytest.approx(8 / 3 * 164, rel=1e-9)
    assert rows["ai_servers"][CLIMATE] == pytest.approx(1900, rel=1e-9)
    # France's grid, not the world's: 45,583.2 kWh x electricity.FRA.climate_change.
    fra = TABLE.value("electricity.FRA.climate_change")
    assert rows["ai"][CLIMATE] == pytest.approx(45_583.2 * fra, rel=1e-9)


def test_training_is_charged_by_its_share_of_the_amortisation():
    # 10,000 GPU-hours amortised over 2 years, a 1-year period: 5,000 GPU-hours at full load,
    # 700 W + 1200 W / 8 = 850 W: 4,250 kWh x API PUE 1.2 = 5,100 kWh on top of inference.
    block = API_70B | {"training": {"gpu_hours": 10_000, "amortised_over": "2 years"}}
    with_training = ai_rows(questionnaire(block))["ai"][ENERGY]
    assert with_training - ai_rows(questionnaire(API_70B))["ai"][ENERGY] == pytest.approx(5100)


def test_requests_per_user_over_the_period():
    per_user = API_70B | {"requests_per_visit": None, "requests_per_user": "10 / year"}
    per_user.pop("requests_per_visit")
    # 1,000 users x 10 = 10,000 requests, as 10,000 visits x 1 request.
    np.testing.assert_allclose(
        ai_rows(questionnaire(per_user))["ai"], ai_rows(questionnaire(API_70B))["ai"]
    )


def test_without_the_block_the_ai_rows_are_zero_and_not_listed():
    q = questionnaire(None)
    assert all(not row.any() for row in ai_rows(q).values())
    contributions = evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0]
    results = criteria_results(contributions, 1000, 10_000, 1.0, boundaries(TABLE))
    assert not any(".ai" in key for key in results["energy"].by_item)
    with_ai = criteria_results(
        evaluate(service_arrays([questionnaire(API_70B)]), TABLE.central()).contributions[0, 0],
        1000,
        10_000,
        1.0,
        boundaries(TABLE),
    )
    assert with_ai["energy"].by_item["datacenter.use.ai"] > 0


def test_the_api_grid_spread_leaves_energy_alone():
    factors = TABLE.central()
    factors.matrix[0, TABLE.position["ai.api.grid_scale"]] = 0.5
    contributions = evaluate(service_arrays([questionnaire(API_70B)]), factors).contributions
    row = contributions[0, 0, AI_ROWS["ai"]]
    assert row[ENERGY] == pytest.approx(1.9731, rel=1e-4)
    assert row[CLIMATE] == pytest.approx(0.93328 / 2, rel=1e-4)


def test_input_tokens_weigh_0_37_of_an_output_token():
    # 300 output + 1,000 input tokens at ai.input_token.energy_ratio 0.37 (Epoch AI: 0.3 Wh for 500
    # output tokens, 2.5 Wh with a 10,000-token input) = 300 + 370 = 670 output-token
    # equivalents: energy, time and hardware time of each request x 670 / 300 = 2.2333.
    # Energy: 1.9731 kWh (the 70B case above) x 2.2333 = 4.4066 kWh.
    with_input = ai_rows(questionnaire(API_70B | {"input_tokens": 1000}))
    assert with_input["ai"][ENERGY] == pytest.approx(4.4066, rel=1e-4)
    plain = ai_rows(questionnaire(API_70B))
    for item in AI_ROWS:
        np.testing.assert_allclose(with_input[item], plain[item] * 670 / 300, rtol=1e-12)


def test_without_input_tokens_the_method_is_ecologits_unchanged():
    # Not given: 0 input tokens, as EcoLogits counts output tokens only.
    none = ai_rows(questionnaire(API_70B))
    zero = ai_rows(questionnaire(API_70B | {"input_tokens": 0}))
    for item in AI_ROWS:
        np.testing.assert_array_equal(none[item], zero[item])


SELF_HOSTED = API_70B | {"self_hosted": {"gpus": 8, "utilization": "50%", "pue": 1.3}}


@pytest.mark.parametrize(
    ("gpu", "watts", "climate"),
    [
        # a100 (SXM4 40GB): 400 W; Boavizta model 270.2 kg x 164 / 571.7 = 77.51 kg.
        ("a100", 400, 77.51),
        # l4: 72 W; 113.3 kg x 0.28687 = 32.50 kg.
        ("l4", 72, 32.50),
        # p100: 250 W (PCIe); 127.5 kg x 0.28687 = 36.58 kg.
        ("p100", 250, 36.58),
    ],
)
def test_a_gpu_type_sets_the_power_and_the_manufacturing_of_self_hosted_gpus(gpu, watts, climate):
    # 8 GPUs x 8,766 h = 70,128 GPU-hours x (W x 50% + 1200 W / 8) x PUE 1.3.
    block = SELF_HOSTED | {"self_hosted": SELF_HOSTED["self_hosted"] | {"gpu": gpu}}
    rows = ai_rows(questionnaire(block))
    expected_kwh = 70_128 * (watts * 0.5 + 150) / 1000 * 1.3
    assert rows["ai"][ENERGY] == pytest.approx(expected_kwh, rel=1e-9)
    # 8/3 GPU-lifetimes of this type; the server around them is the same.
    assert rows["ai_gpus"][CLIMATE] == pytest.approx(8 / 3 * climate, rel=1e-3)
    assert rows["ai_servers"][CLIMATE] == pytest.approx(1900, rel=1e-9)


def test_training_on_another_gpu_type_mixes_the_manufacturing_by_gpu_hours():
    # Self-hosted on 8 L4s (70,128 GPU-hours, 32.50 kg each), training 26,298 GPU-hours
    # (one GPU-lifetime) on H100s (164 kg), amortised within the period:
    # 70,128 / 26,298 x 32.50 + 1 x 164 = 86.67 + 164 = 250.67 kg CO2 eq.
    hosted = SELF_HOSTED["self_hosted"] | {"gpu": "l4"}
    block = SELF_HOSTED | {
        "self_hosted": hosted,
        "training": {"gpu_hours": 26_298, "amortised_over": "1 year", "gpu": "h100"},
    }
    rows = ai_rows(questionnaire(block))
    assert rows["ai_gpus"][CLIMATE] == pytest.approx(250.67, rel=1e-3)
    # Training draws the H100's 700 W + 150 W for 26,298 h: 22,353.3 kWh x PUE 1.3 on top.
    only_inference = ai_rows(questionnaire(SELF_HOSTED | {"self_hosted": hosted}))
    extra = rows["ai"][ENERGY] - only_inference["ai"][ENERGY]
    assert extra == pytest.approx(26_298 * 0.85 * 1.3, rel=1e-9)


def test_training_runs_on_the_self_hosted_gpus_unless_told_otherwise():
    hosted = SELF_HOSTED["self_hosted"] | {"gpu": "a100"}
    training = {"gpu_hours": 1000, "amortised_over": "1 year"}
    implicit = ai_rows(questionnaire(SELF_HOSTED | {"self_hosted": hosted, "training": training}))
    explicit = ai_rows(
        questionnaire(SELF_HOSTED | {"self_hosted": hosted, "training": training | {"gpu": "a100"}})
    )
    for item in AI_ROWS:
        np.testing.assert_array_equal(implicit[item], explicit[item])


def test_the_gpu_factors_follow_boaviztas_model_in_scripts():
    # The CSV's derived values are those the derivation script prints (to its 4 digits).
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "scripts" / "gpu_factors.py"
    spec = importlib.util.spec_from_file_location("gpu_factors", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = 164 / module.derive("h100", "climate_change")[0]
    for gpu in module.CARDS:
        prefix = "ai.gpu" if gpu == "h100" else f"ai.gpu_{gpu}"
        for criterion in module.FACTORS:
            value = module.derive(gpu, criterion)[0]
            factor = TABLE[f"{prefix}.{criterion}"]
            if criterion == "climate_change":
                assert factor.high == pytest.approx(value, rel=5e-4)
                if gpu != "h100":
                    assert factor.value == pytest.approx(value * ratio, rel=5e-4)
            else:
                assert factor.value == pytest.approx(value, rel=5e-4)


def test_one_prefix_for_every_service_gives_the_gathered_rows():
    """_per_service's path for one prefix shared by every service (no gather) gives the rows
    the gather gives (forced by one more, different prefix), to the bit."""
    import numpy as np

    from acvnum.calculation.workloads import _per_service
    from acvnum.reference.factors import FactorValues, load_factors

    table = load_factors()
    central = table.central()
    sampled = FactorValues(table, central.matrix * np.array([[1.0], [0.5], [2.0]]))
    for factors in (central, sampled):
        alike = _per_service(["ai.gpu"] * 4, factors, "memory")
        gathered = _per_service(["ai.gpu"] * 4 + ["ai.gpu_a100"], factors, "memory")[:-1]
        assert alike.shape == gathered.shape == (4, factors.samples)
        assert alike.tobytes() == gathered.tobytes()
