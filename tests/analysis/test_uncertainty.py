"""Sampling: the distribution's percentiles, the examples' intervals, exact factors, chunks."""

import csv

import numpy as np
import pytest
from conftest import EXAMPLES

from acvnum.analysis import uncertainty
from acvnum.analysis.uncertainty import SplitDistribution
from acvnum.assessment import Settings, assess
from acvnum.reference.factors import COLUMNS, load_factors

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_split_lognormal_has_low_and_high_as_5th_and_95th_percentiles():
    # central 1, low 0.5, high 4: asymmetric, so each half has its own spread
    d = SplitDistribution(np.array([1.0]), np.array([0.5]), np.array([4.0]))
    z = np.random.default_rng(1).standard_normal((400_000, 1))
    p5, p50, p95 = np.percentile(d.quantiles(z), [5, 50, 95])
    assert p5 == pytest.approx(0.5, rel=0.02)
    assert p50 == pytest.approx(1.0, rel=0.01)
    assert p95 == pytest.approx(4.0, rel=0.02)


def test_hand_checked_quantiles():
    # z = 1.645 (the 95th percentile) gives high exactly; z = -1.645 gives low
    d = SplitDistribution(np.array([2.0, 5.0]), np.array([1.0, 0.0]), np.array([8.0, 6.0]))
    z = np.array([[uncertainty.Z95, uncertainty.Z95], [-uncertainty.Z95, -uncertainty.Z95]])
    np.testing.assert_allclose(d.quantiles(z), [[8.0, 6.0], [1.0, 0.0]], atol=1e-12)
    # a range reaching zero is a split normal, clipped at zero: 5 - 3 x 5 / 1.645 < 0 -> 0
    assert d.quantiles(np.array([[0.0, -3.0]]))[0, 1] == 0.0


def test_exact_quantity_is_never_sampled_away():
    d = SplitDistribution(np.array([3.0, 0.0]), np.array([3.0, 0.0]), np.array([3.0, 0.0]))
    z = np.random.default_rng(2).standard_normal((1000, 2))
    assert (d.quantiles(z) == [3.0, 0.0]).all()


@pytest.fixture(scope="module")
def sampled_examples():
    return assess(EXAMPLE_FILES, Settings(samples=4000, seed=3))


def test_deterministic_value_within_p5_p95_for_every_example_criterion_and_tier(sampled_examples):
    for result in sampled_examples:
        for c in result.criteria.values():
            assert c.interval["p5"] <= c.total <= c.interval["p95"], (result.name, c.id)
            assert c.interval["p5"] <= c.interval["p50"] <= c.interval["p95"]
            for tier, interval in c.tier_intervals.items():
                assert interval["p5"] <= c.by_tier[tier] <= interval["p95"], (c.id, tier)


def test_portfolio_results_equal_the_services_evaluated_one_by_one(sampled_examples):
    for path, together in zip(EXAMPLE_FILES, sampled_examples, strict=True):
        (alone,) = assess([path])
        for cid, c in alone.criteria.items():
            assert together.criteria[cid].total == pytest.approx(c.total, rel=1e-12)
            assert together.criteria[cid].by_tier == pytest.approx(c.by_tier, rel=1e-12)


def test_portfolio_interval_brackets_the_sum_of_the_central_values(sampled_examples):
    portfolio = sampled_examples.uncertainty[0].portfolio
    for cid, interval in portfolio.items():
        total = sum(r.criteria[cid].total for r in sampled_examples)
        assert interval["p5"] <= total <= interval["p95"], cid


def _exact_table(path):
    table = load_factors()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for f in table.factors.values():
            row = (f.id, f.value, f.value, f.value, f.unit, f.source, f.year, f.licence, "exact")
            writer.writerow(row)
    return path


def test_zero_width_ranges_give_intervals_equal_to_the_central_value(tmp_path):
    factors = str(_exact_table(tmp_path / "exact.csv"))
    assessment = assess([EXAMPLES / "ecommerce.yaml"], Settings(factors, samples=500))
    for c in assessment[0].criteria.values():
        for p in ("p5", "p50", "p95"):
            assert c.interval[p] == pytest.approx(c.total, rel=1e-12)
    assert assessment.uncertainty[0].drivers == []


def test_results_do_not_depend_on_the_chunk_size(monkeypatch):
    files = [EXAMPLES / "ecommerce.yaml", EXAMPLES / "video-platform.yaml"]
    big = assess(files, Settings(samples=1500, seed=9))
    monkeypatch.setattr(uncertainty, "CHUNK_CELLS", 1000)  # about 5 samples per chunk
    small = assess(files, Settings(samples=1500, seed=9))
    for a, b in zip(big, small, strict=True):
        for cid in a.criteria:
            assert a.criteria[cid].interval == pytest.approx(b.criteria[cid].interval, rel=1e-12)


def test_too_many_service_samples_are_refused():
    arrays_run = sorted(EXAMPLES.glob("*.yaml"))[:3]  # distinct: a file named twice counts once
    with pytest.raises(uncertainty.TooManySamples):
        assess(arrays_run, Settings(samples=uncertainty.MAX_SERVICE_SAMPLES // 2))


def test_quantiles_along_the_first_axis_equal_those_along_the_last_bit_for_bit():
    # propagate passes (K, S) scores: the transposed layout must not change a single value
    d = SplitDistribution(
        np.array([2.0, 5.0, 3.0]), np.array([1.0, 0.0, 3.0]), np.array([8.0, 6.0, 3.0])
    )
    z = np.random.default_rng(4).standard_normal((1000, 3), dtype=np.float32)
    along_last = d.quantiles(z.astype(float))
    along_first = d.quantiles(np.ascontiguousarray(z.T), axis=0)
    assert along_first.dtype == np.float64
    assert (along_last == along_first.T).all()
    reference = np.where(z < 0, d.below, d.above) * z  # the textbook split, with a branch
    assert (d.quantiles(z)[:, 0] == d.central[0] * np.exp(reference[:, 0])).all()


def test_percentiles_split_over_two_threads_equal_numpy_percentile():
    from concurrent.futures import ThreadPoolExecutor

    values = np.random.default_rng(5).lognormal(size=(2, 3, 7, 1001))
    expected = np.percentile(values, uncertainty.PERCENTILES, axis=-1)
    with ThreadPoolExecutor(max_workers=1) as pool:
        got = uncertainty._percentiles(values.copy(), pool)
    assert got.shape == expected.shape and (got == expected).all()
