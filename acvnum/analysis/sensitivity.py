"""Which uncertain quantities drive the spread of the results: Spearman rank correlations.

For every service, criterion and driver (a sampled factor or a questionnaire range), rho is
the correlation between the ranks of the driver's draws and the ranks of the criterion's
total over the first samples (at most SENSITIVITY_SAMPLES, enough for rho to +/-0.01).
A driver's sample is an increasing function of its standard normal score, so the scores'
ranks are the driver's ranks. |rho| near 1: that quantity alone sets the spread;
near 0: measuring it would not narrow the range. A rank correlation, not a variance
share: it also reads right for skewed, split distributions.
"""

from __future__ import annotations

import numpy as np

from acvnum.calculation.results import Driver
from acvnum.reference.criteria import CRITERION_IDS

TOP = 5


def ranks(values: np.ndarray, axis: int) -> np.ndarray:
    """0-based ranks along `axis` (continuous draws have no ties)."""
    order = np.argsort(values, axis=axis)
    result = np.empty_like(order)
    positions = np.arange(values.shape[axis]).reshape([-1] + [1] * (values.ndim - 1 - axis))
    np.put_along_axis(result, order, np.broadcast_to(positions, order.shape), axis=axis)
    return result


def rank_correlations(scores: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """Spearman's rho, shape (N, drivers, criteria), from scores (S, K) and outputs (N, S, C).

    A criterion whose total does not vary (all samples equal) correlates with nothing: 0.
    """
    samples = scores.shape[0]
    if samples < 3:
        return np.zeros((outputs.shape[0], scores.shape[1], outputs.shape[2]))
    centre = (samples - 1) / 2
    score_ranks = ranks(scores, axis=0) - centre
    output_ranks = ranks(outputs, axis=1) - centre
    variance = (samples**2 - 1) / 12 * samples
    # optimize=True turns the sum into one BLAS matrix product: for 1,000 services x 1,000
    # samples x 300 drivers, about 1 s instead of 19 s (the plain einsum loops in C).
    rho = np.einsum("sk,nsc->nkc", score_ranks, output_ranks, optimize=True) / variance
    constant = np.ptp(outputs, axis=1) == 0  # (N, C)
    return np.where(constant[:, np.newaxis, :], 0.0, rho)


def top_drivers(
    rho: np.ndarray, relevant: np.ndarray, names: list[str], kinds: list[str]
) -> tuple[list[Driver], dict[str, list[Driver]]]:
    """One service's drivers: top five overall (by max |rho| over criteria), and per criterion.

    rho: (drivers, criteria); relevant: (drivers,) the drivers that can move this service.
    """
    strength = np.where(relevant[:, np.newaxis], np.abs(rho), 0.0)

    def driver(k: int, c: int) -> Driver:
        return Driver(names[k], kinds[k], CRITERION_IDS[c], float(rho[k, c]))

    main = strength.argmax(axis=1)
    overall = [
        driver(k, main[k])
        for k in np.argsort(-strength.max(axis=1), kind="stable")[:TOP]
        if strength[k].max() > 0
    ]
    by_criterion = {
        cid: [
            driver(k, c)
            for k in np.argsort(-strength[:, c], kind="stable")[:TOP]
            if strength[k, c] > 0
        ]
        for c, cid in enumerate(CRITERION_IDS)
    }
    return overall, by_criterion
