"""The `ai:` block: how its answers are read, and its problems located at file:line:column."""

from __future__ import annotations

import pytest
import yaml
from conftest import MINIMAL, run_cli

from acvnum.errors import UnitError
from acvnum.questionnaire import units
from acvnum.questionnaire.models import as_record, parse_parameters

AI = """\
ai:
  requests_per_visit: 1
  output_tokens: 300
  model:
    parameters: 70B
"""


@pytest.mark.parametrize(
    ("written", "billions"),
    [("70B", 70), ("70 B", 70), ("1.8T", 1800), ("350M", 0.35), (8, 8), ("13", 13)],
)
def test_parameter_counts_are_read_in_billions(written, billions):
    assert parse_parameters(written) == pytest.approx(billions)


def test_parameter_counts_group_digits_as_every_quantity_may():
    """'1__0B' raised float()'s ValueError, which the models worded in Python's English."""
    assert parse_parameters("1_000M") == 1
    assert parse_parameters("1__0B") == units.parse_number("1__0") == 10


@pytest.mark.parametrize("written", ["70 bn", "B70", "", True, "70 GB"])
def test_unreadable_parameter_counts_are_refused(written):
    with pytest.raises(UnitError):
        parse_parameters(written)


def test_a_questionnaire_with_the_block_validates():
    q = as_record(yaml.safe_load(MINIMAL + AI))
    assert q.ai is not None and q.ai.model.parameters == 70
    assert q.ai.self_hosted is None  # a provider's API by default


def _problems(write_yaml, text: str) -> str:
    result = run_cli("validate", str(write_yaml(MINIMAL + text)))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    return result.stderr


def test_both_request_counts_are_refused_at_the_block(write_yaml):
    text = AI.replace(
        "  requests_per_visit: 1\n", "  requests_per_visit: 1\n  requests_per_user: 4\n"
    )
    assert ":12:1: ai: give exactly one of 'requests_per_visit' or 'requests_per_user'" in (
        _problems(write_yaml, text)
    )


def test_a_size_and_parameters_together_are_refused(write_yaml):
    text = AI.replace("    parameters: 70B\n", "    parameters: 70B\n    size: small\n")
    assert "ai.model: give either 'size' or 'parameters'" in _problems(write_yaml, text)


def test_more_active_than_total_parameters_is_refused(write_yaml):
    text = AI.replace("    parameters: 70B\n", "    parameters: 70B\n    active_parameters: 80B\n")
    assert "active_parameters (80B) cannot exceed parameters (70B)" in _problems(write_yaml, text)


def test_a_misspelt_key_gets_a_suggestion_at_its_line(write_yaml):
    text = AI.replace("    parameters: 70B", "    parameter: 70B")
    assert ":16:5: ai.model: unknown key 'parameter'; did you mean 'parameters'?" in (
        _problems(write_yaml, text)
    )


def test_an_unknown_self_hosted_country_is_located(write_yaml):
    text = AI + "  self_hosted:\n    gpus: 8\n    location: XYZ\n"
    assert ":19:5: ai.self_hosted.location: unknown country or region 'XYZ'" in (
        _problems(write_yaml, text)
    )


def test_fractional_gpus_are_refused(write_yaml):
    text = AI + "  self_hosted:\n    gpus: 2.5\n"
    assert "ai.self_hosted.gpus: gpus must be a whole number, got 2.5" in (
        _problems(write_yaml, text)
    )


@pytest.mark.parametrize(
    ("written", "gpu"),
    [
        ("H100", "h100"),
        ("NVIDIA H100 SXM5 80GB", "h100"),
        ("A100 PCIe", "a100_pcie"),
        ("a100-pcie", "a100_pcie"),
        ("Tesla P100", "p100"),
        ("nvidia l4", "l4"),
    ],
)
def test_gpu_names_are_read_as_their_type(written, gpu):
    text = AI + f"  self_hosted:\n    gpus: 2\n    gpu: {written}\n"
    assert as_record(yaml.safe_load(MINIMAL + text)).ai.self_hosted.gpu == gpu


def test_self_hosted_gpus_are_h100_unless_told():
    text = AI + "  self_hosted:\n    gpus: 2\n"
    assert as_record(yaml.safe_load(MINIMAL + text)).ai.self_hosted.gpu == "h100"


def test_an_unknown_gpu_gets_a_suggestion_at_its_line(write_yaml):
    text = AI + "  self_hosted:\n    gpus: 2\n    gpu: h200\n"
    problems = _problems(write_yaml, text)
    assert ":19:5: ai.self_hosted.gpu: unknown GPU type 'h200'; did you mean 'h100'?" in problems
    # A different product of a similar name is not suggested: T4 is not an L4.
    text = AI + "  training:\n    gpu_hours: 10\n    amortised_over: 1 year\n    gpu: t4\n"
    problems = _problems(write_yaml, text)
    assert "ai.training.gpu: unknown GPU type 't4' (known: h100, a100" in problems


def test_input_tokens_are_a_count_and_refused_when_negative(write_yaml):
    q = as_record(yaml.safe_load(MINIMAL + AI + "  input_tokens: 2000\n"))
    assert q.ai.input_tokens == 2000
    assert "ai.input_tokens" in _problems(write_yaml, AI + "  input_tokens: -5\n")
