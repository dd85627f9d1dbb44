"""The portfolio: ranking and totals, whole (`build`) or gathered batch by batch (`Tally`)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from conftest import EXAMPLES

from acvnum.analysis.found import bare
from acvnum.analysis.portfolio import Tally, _flagship, build, persons_equivalent, rank
from acvnum.assessment import Settings, assess
from acvnum.reference.criteria import CRITERION_IDS


@pytest.fixture(scope="module")
def results():
    return assess([EXAMPLES], Settings()).results


def test_tally_in_batches_is_build_to_the_last_bit(results):
    whole = build(bare(results))
    parts = (results[:1], results[1:3], results[3:])
    tally = Tally().add(bare(parts[0])).add(bare(parts[1])).add(bare(parts[2])).to_dict()
    assert tally["services"] == len(results)
    assert [r["name"] for r in tally["ranking"]] == [r.name for r in whole.ranking]
    for cid in CRITERION_IDS:
        assert tally["criteria"][cid]["total"] == whole.criteria[cid].total  # same order: equal
        assert (
            tally["criteria"][cid]["persons_equivalent"] == whole.criteria[cid].persons_equivalent
        )


def test_ranking_is_largest_persons_equivalent_first(results):
    ranking = Tally().add(bare(results)).to_dict()["ranking"]
    values = [r["persons_equivalent"] for r in ranking]
    assert values == sorted(values, reverse=True)
    assert values[0] == max(persons_equivalent(r) for r in results)


def test_totals_are_the_sums_of_the_services(results):
    """Climate change of the portfolio = the sum of the services' (each over its period)."""
    tally = Tally().add(bare(results)).to_dict()
    expected = sum(r.criteria["climate_change"].total for r in results)
    assert tally["criteria"]["climate_change"]["total"] == pytest.approx(expected, rel=1e-15)
    assert tally["criteria"]["energy"]["persons_equivalent"] is None  # energy has no boundary


def test_tallies_of_consecutive_batches_merge_into_the_whole(results):
    whole = Tally().add(bare(results)).to_dict()
    first, rest = Tally().add(bare(results[:2])), Tally().add(bare(results[2:]))
    merged = Tally().merge(first).merge(rest).to_dict()
    assert merged == whole


def test_the_ranking_order_is_largest_first_then_by_name_then_as_they_came():
    # Ties everywhere: equal figures (0.0 and -0.0 among them), equal names, equal both; the
    # third field is the arrival, which settles what is left, as a stable sort by
    # (-persons-equivalent, name) leaves it.
    rng = random.Random(9)
    figures, names = [0.0, -0.0, 1.5, 2.25, 1e-300], ["a", "b", "B", "é", "a b", ""]
    rows = [(rng.choice(figures), rng.choice(names), k) for k in range(3000)]
    expected = sorted(rows, key=lambda row: (-row[0], row[1]))
    ranked = rank(rows.copy())
    assert [row[2] for row in ranked] == [row[2] for row in expected]
    assert ranked[0][0] == 2.25 and ranked[-1][0] == 0.0


def test_the_flagship_from_arrays_is_python_s_max_signed_zeros_and_ties_included():
    rows = [
        ([0.0, -0.0, 0.0], [True, True, True]),
        ([-0.0, 0.0, 0.0], [True, True, False]),
        ([5.0, 9.0, 9.0], [True, False, True]),
        ([2.0, 7.0, 1.0], [False, False, False]),  # no boundary: 0.0
        ([-3.0, -1.0, -2.0], [True, True, True]),
        ([float("inf"), 1.0, 4.0], [True, True, True]),
    ]
    persons = np.array([r[0] for r in rows])
    bounded = np.array([r[1] for r in rows])
    found = _flagship(persons, bounded).tolist()
    expected = [max((v for v, b in zip(*r, strict=True) if b), default=0.0) for r in rows]
    assert found == expected
    assert [math.copysign(1, v) for v in found] == [math.copysign(1, v) for v in expected]
    assert math.copysign(1, found[1]) == -1  # the first largest, as max keeps it


def test_figures_read_a_chunk_s_rows_as_its_results_give_them():
    """A batch assessed together is read from its chunk's arrays at once (`one_chunk`);
    the same figures, to the bit, as its CriterionResults give once made, and as a batch
    whose views are of several chunks, or partly made, gives."""
    from acvnum.analysis.portfolio import figures
    from acvnum.calculation.results import one_chunk

    chunked = assess([EXAMPLES], Settings()).results
    assert one_chunk([r.criteria for r in chunked]) is not None
    fast = figures(chunked)
    other = assess([EXAMPLES], Settings()).results
    mixed = [*chunked[:2], *other[2:]]  # two chunks
    assert one_chunk([r.criteria for r in mixed]) is None
    for r in other[:1]:
        dict(r.criteria)  # made: the view lets go of its chunk
    for batch in (mixed, [other[0], *chunked[1:]]):
        assert one_chunk([r.criteria for r in batch]) is None
        for a, b in zip(fast, figures(batch), strict=True):
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
    for r in chunked:
        dict(r.criteria)
    assert one_chunk([r.criteria for r in chunked]) is None
    for a, b in zip(fast, figures(chunked), strict=True):
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
