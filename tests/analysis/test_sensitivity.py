"""Spearman rank correlations and the ranking of drivers."""

import numpy as np
import pytest

from acvnum.analysis.sensitivity import rank_correlations, ranks, top_drivers
from acvnum.reference.criteria import CRITERION_IDS


def test_ranks_are_the_positions_in_sorted_order():
    assert ranks(np.array([0.3, -1.0, 2.0, 0.1]), axis=0).tolist() == [2, 0, 3, 1]


def test_a_monotone_output_correlates_fully_with_its_driver_and_not_with_noise():
    z = np.random.default_rng(0).standard_normal((5000, 2))
    outputs = np.stack([np.exp(z[:, 0]), -(z[:, 0] ** 3), np.full(5000, 7.0)], axis=-1)[None]
    rho = rank_correlations(z, outputs)  # (1 service, 2 drivers, 3 criteria)
    assert rho[0, 0, 0] == pytest.approx(1.0)  # exp is increasing
    assert rho[0, 0, 1] == pytest.approx(-1.0)  # -z^3 is decreasing
    assert abs(rho[0, 1, 0]) < 0.05  # the second score plays no part: noise, |rho| ~ 1/sqrt(S)
    assert (rho[0, :, 2] == 0).all()  # a constant output correlates with nothing


def test_top_drivers_rank_by_strength_and_skip_irrelevant_ones():
    rho = np.zeros((3, len(CRITERION_IDS)))
    rho[0, 0], rho[1, CRITERION_IDS.index("energy")], rho[2, 0] = 0.2, -0.9, 0.95
    relevant = np.array([True, True, False])
    overall, by_criterion = top_drivers(rho, relevant, ["a", "b", "c"], ["factor"] * 3)
    assert [(d.name, d.criterion) for d in overall] == [("b", "energy"), ("a", "climate_change")]
    assert [d.name for d in by_criterion["climate_change"]] == ["a"]
