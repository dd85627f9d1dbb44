"""Each service's intervals and drivers from one joint sampling (acvnum.analysis.intervals).
The sampling's own statistics (quantiles, chunks, the portfolio's sums) are
tests/analysis/test_uncertainty.py's; here, how its outputs are shared out and named."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import EXAMPLES, ROOT

from acvnum.analysis.intervals import ServiceIntervals, input_label, percentiles, sample_intervals
from acvnum.analysis.uncertainty import InputCell
from acvnum.calculation.inventory import TIERS, service_arrays
from acvnum.questionnaire.service import load_files
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

RANGES = ROOT / "tests" / "inputs" / "ranges.yaml"  # ecommerce.yaml with ranges
SAMPLES, SEED = 400, 7


@pytest.fixture(scope="module")
def table():
    return load_factors(None)


@pytest.fixture(scope="module")
def services(table):
    """examples/ecommerce.yaml (no range) then tests/inputs/ranges.yaml (two server groups,
    web and database, and ranges on usage, the hosting, the servers and the storage)."""
    return load_files([EXAMPLES / "ecommerce.yaml", RANGES], table)


@pytest.fixture(scope="module")
def sampled(services, table):
    return sample_intervals(services, table, SAMPLES, SEED)


def test_percentiles_are_named_after_the_5th_50th_and_95th():
    assert percentiles(np.array([1.0, 2.5, 4.0])) == {"p5": 1.0, "p50": 2.5, "p95": 4.0}
    with pytest.raises(ValueError):  # one value per percentile, no fewer
        percentiles(np.array([1.0, 2.0]))


def test_a_server_range_is_named_by_its_group_within_its_own_service(services):
    """Server groups are rows of all services stacked: ecommerce's web and database are
    rows 0 and 1, ranges.yaml's rows 2 and 3; row 3 is its second group, servers[1]."""
    arrays = service_arrays([s.questionnaire for s in services])
    assert list(arrays.servers.service) == [0, 0, 1, 1]
    lifetime = InputCell("servers.lifetime_years", row=3, service=1)
    assert input_label(lifetime, arrays, {}) == "hosting.servers[1].lifetime"
    utilization = InputCell("servers.utilization", row=2, service=1)
    assert input_label(utilization, arrays, {}) == "hosting.servers[0].utilization"


def test_a_field_fed_two_ways_is_named_as_the_questionnaire_wrote_it(services):
    arrays = service_arrays([services[0].questionnaire])
    video = InputCell("video.hours", row=0, service=0)
    assert input_label(video, arrays, {}) == "video.watched_per_visit"  # the first way
    per_user = {"video.watched_per_user": "1 h..2 h / month"}
    assert input_label(video, arrays, per_user) == "video.watched_per_user"
    data = InputCell("gigabytes", row=0, service=0)
    assert input_label(data, arrays, {}) == "usage.data_per_visit"


def test_every_interval_is_ordered_for_every_service_criterion_and_tier(sampled):
    assert len(sampled) == 2
    for found in sampled:
        assert set(found.totals) == set(found.tiers) == set(CRITERION_IDS)
        for cid in CRITERION_IDS:
            for interval in (found.totals[cid], *found.tiers[cid].values()):
                assert interval["p5"] <= interval["p50"] <= interval["p95"]
            assert set(found.tiers[cid]) == set(TIERS)


def test_each_service_records_the_draws_and_the_portfolio_when_there_are_several(sampled):
    first, second = (found.uncertainty for found in sampled)
    assert (first.samples, first.seed) == (second.samples, second.seed) == (SAMPLES, SEED)
    assert first.portfolio is not None and first.portfolio == second.portfolio
    assert set(first.portfolio) == set(CRITERION_IDS)


def test_one_service_has_no_portfolio(services, table):
    (alone,) = sample_intervals(services[1:], table, SAMPLES, SEED)
    assert alone.uncertainty.portfolio is None


def test_only_the_ranged_service_has_its_questionnaire_as_a_driver(sampled):
    """ecommerce.yaml has no range: its spread is the factors' alone."""
    plain, ranged = (found.uncertainty for found in sampled)
    every = [d for drivers in plain.drivers_by_criterion.values() for d in drivers]
    assert {d.kind for d in every} == {"factor"}
    inputs = {
        d.name
        for drivers in ranged.drivers_by_criterion.values()
        for d in drivers
        if d.kind == "input"
    }
    assert inputs, "a service with ranges is driven by some of them"
    written = {
        "usage.visit_duration",
        "usage.data_per_visit",
        "hosting.pue",
        "hosting.servers[0].utilization",
        "hosting.servers[1].lifetime",
        "hosting.storage.volume",
    }
    assert inputs <= written


def test_the_same_seed_draws_the_same_intervals(sampled, services, table):
    again = sample_intervals(services, table, SAMPLES, SEED)
    assert [s.totals for s in again] == [s.totals for s in sampled]
    other = sample_intervals(services, table, SAMPLES, SEED + 1)
    assert [s.totals for s in other] != [s.totals for s in sampled]


def test_criteria_gets_the_intervals_and_leaves_the_central_results_alone(sampled):
    import acvnum

    (result,) = acvnum.estimate(EXAMPLES / "ecommerce.yaml", levers=0)
    found: ServiceIntervals = sampled[0]
    given = found.criteria(result.criteria)
    for cid, criterion in result.criteria.items():
        assert criterion.interval is None and not criterion.tier_intervals
        assert given[cid] == replace(
            criterion, interval=found.totals[cid], tier_intervals=found.tiers[cid]
        )
