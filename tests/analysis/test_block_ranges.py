"""Ranges in the optional blocks (low..high): centred like the core questionnaire's, sampled
by --uncertainty and named among the drivers."""

import numpy as np
import pytest
from conftest import MINIMAL, run_cli, the_service

from acvnum.analysis.uncertainty import input_cells, propagate
from acvnum.calculation.inventory import TIERS, service_arrays
from acvnum.questionnaire.ranges import validate_ranges
from acvnum.questionnaire.yaml_reader import parse_yaml
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

ENERGY = CRITERION_IDS.index("energy")
AI = """\
ai:
  requests_per_visit: 0.5
  output_tokens: 100..1600
  model:
    parameters: 8B..70B
"""
VIDEO = """\
video:
  watched_per_visit: 1 min..4 min
  quality: hd
"""
MESSAGES = """\
messages:
  per_user: 10 / year..40 / year
  retention: 1 year..9 years
"""


def bounds(text: str):
    return validate_ranges(parse_yaml(text, "service.yaml"))


def test_block_ranges_are_centred_on_the_geometric_mean():
    b = bounds(MINIMAL + AI + VIDEO + MESSAGES)
    assert b.central.ai.output_tokens == pytest.approx(400)  # sqrt(100 x 1600)
    assert b.central.ai.model.parameters == pytest.approx(np.sqrt(8 * 70))  # 23.66B
    assert b.central.video.watched_per_visit == pytest.approx(120)  # sqrt(1 x 4) = 2 min
    # A rate is centred as a count over the 1-year period: sqrt(10 x 40) = 20.
    assert b.central.messages.per_user.over(b.central.period) == pytest.approx(20)
    assert b.central.messages.retention == pytest.approx(3 * 365.25 * 86400)  # sqrt(1 x 9)
    assert (b.low.ai.output_tokens, b.high.ai.output_tokens) == (100, 1600)
    assert set(b.written) == {
        "ai.output_tokens",
        "ai.model.parameters",
        "video.watched_per_visit",
        "messages.per_user",
        "messages.retention",
    }


def test_a_rate_range_with_two_units_of_time_compares_counts_over_the_period():
    # 1 / week = 52.18 a year, 5 / month = 60 a year: low <= high, centre sqrt(52.18 x 60).
    b = bounds(
        MINIMAL + AI.replace("requests_per_visit: 0.5", "requests_per_user: 1 / week..5 / month")
    )
    assert b.central.ai.requests_per_user.over(b.central.period) == pytest.approx(
        np.sqrt(365.25 / 7 * 60)
    )
    with pytest.raises(Exception, match="low end exceeds the high end"):
        bounds(
            MINIMAL
            + AI.replace("requests_per_visit: 0.5", "requests_per_user: 5 / week..5 / month")
        )


def test_each_block_range_is_a_sampled_input_of_its_own_row():
    b = bounds(MINIMAL + AI + VIDEO + MESSAGES)
    low, high = service_arrays([b.low]), service_arrays([b.high])
    fields = {c.field for c in input_cells(low, high)}
    assert fields == {
        "ai.output_tokens",
        "ai.parameters",
        "video.hours",
        "messages.items",
        "messages.retention_years",
    }


def test_a_wider_block_range_widens_the_interval():
    # The same questionnaire with output_tokens exact (400) or 100..1600: the energy interval
    # of the data centre, where the AI's kWh are, widens (about 8 times over seeds 1-3). The
    # total's interval is the terminals' and network's: the tokens move it less than a change
    # in the factors sampled does.
    table = load_factors()
    datacenter = TIERS.index("datacenter")

    def interval(text: str) -> np.ndarray:
        b = bounds(text)
        arrays = [service_arrays([q]) for q in (b.central, b.low, b.high)]
        run = propagate(*arrays, table, samples=2000, seed=1)
        return run.tiers[:, 0, datacenter, ENERGY]

    exact = interval(MINIMAL + AI.replace("100..1600", "400").replace("8B..70B", "8B"))
    wide = interval(MINIMAL + AI.replace("8B..70B", "8B"))
    assert wide[2] - wide[0] > exact[2] - exact[0]


def test_estimate_names_a_block_range_among_the_drivers(write_yaml):
    path = write_yaml(MINIMAL + VIDEO.replace("1 min..4 min", "0.5 min..6 min"))
    out = run_cli("estimate", str(path), "--uncertainty", "--samples", "2000", "-f", "json")
    service = the_service(out.stdout)
    top = service["uncertainty"]["sensitivity"]["by_criterion"]["energy"]
    assert "video.watched_per_visit" in [d["name"] for d in top]
    used = {a["path"]: a["value"] for a in service["assumptions"]}
    # sqrt(0.5 x 6) = 1.732 min = 103.9 s: no round count of minutes, shown to 3 digits.
    assert used["video.watched_per_visit"] == "0.5 min..6 min (central 1.73 min)"
