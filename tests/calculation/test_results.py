"""Results built for a whole chunk at once are those of each service built alone."""

from __future__ import annotations

import copy
import dataclasses
import gc
import pickle
import weakref

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES

from acvnum.calculation.coverage import coverage
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import service_arrays
from acvnum.calculation.results import (
    Assumption,
    BoundaryComparison,
    CriteriaChunk,
    CriterionResult,
    all_criteria_results,
    criteria_results,
    maker,
)
from acvnum.questionnaire.models import as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
LIMITS = boundaries(TABLE)


def _examples(times: int = 1) -> tuple[list, np.ndarray, list, list, list, list]:
    """The examples (`times` over) as a chunk's inputs: their records, (N, activities,
    criteria) contributions, users, visits, periods and coverage statements."""
    qs = [
        as_record(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(EXAMPLES.glob("*.yaml"))
    ] * times
    arrays = service_arrays(qs)
    footprint = evaluate(arrays, TABLE.central())
    covered = coverage(arrays, footprint.inventory[:, 0], TABLE)
    users, visits = [q.usage.users for q in qs], [q.visits for q in qs]
    years = [q.period_years for q in qs]
    return qs, footprint.contributions[:, 0], users, visits, years, covered


def test_a_chunk_s_criteria_are_each_service_s_alone_to_the_last_bit():
    # The examples mix optional blocks (AI, video, messages): their by-item breakdowns show
    # different activities, so the chunk is cut into several sets of shown activities.
    qs, contributions, users, visits, years, covered = _examples(times=2)
    chunk = all_criteria_results(contributions, users, visits, years, LIMITS, covered)
    alone = [
        criteria_results(contributions[i], users[i], visits[i], years[i], LIMITS, covered[i])
        for i in range(len(qs))
    ]
    assert chunk == alone  # dataclass equality: every float equal, bit for bit
    items = {tuple(r["climate_change"].by_item) for r in chunk}
    assert len(items) > 1  # several sets of shown activities
    for result in chunk:
        by_item = result["energy"].by_item
        assert sum(by_item.values()) == pytest.approx(result["energy"].total)


def test_a_maker_s_instance_is_the_class_s_own_and_stays_frozen():
    values = ("energy", "kWh", 3.0, 1.5, 0.5, {"terminals": 3.0}, {"use": 3.0}, {}, None, None)
    made = maker(CriterionResult)(*values, None, None)
    assert made == CriterionResult(*values)
    assert type(made) is CriterionResult and made.__dict__ == CriterionResult(*values).__dict__
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.total = 4.0  # type: ignore[misc]
    with pytest.raises(ValueError):  # every field, in order: one missing is refused
        maker(BoundaryComparison)(1.0, 2.0)
    with pytest.raises(AssertionError):  # a class that checks its fields keeps its __init__
        maker(Assumption)


def test_a_chunk_s_views_make_its_results_when_read_and_copy_as_the_dicts():
    _, contributions, users, visits, years, covered = _examples()
    chunk = CriteriaChunk.of(contributions, users, visits, years, LIMITS, covered)
    views = chunk.views()
    assert "results" not in chunk.__dict__  # nothing made yet
    expected = all_criteria_results(contributions, users, visits, years, LIMITS, covered)
    assert views[2] == expected[2] and dict(views[2]) == expected[2]
    assert (
        list(views[2]) == list(CRITERION_IDS)
        and views[2]["water_use"] is chunk.results[2]["water_use"]
    )
    for copied in (pickle.loads(pickle.dumps(views[1])), copy.deepcopy(views[1])):
        assert type(copied) is dict and copied == expected[1]
    # The chunk's arrays are the results' figures, bit for bit.
    for c, cid in enumerate(CRITERION_IDS):
        made = [r[cid] for r in expected]
        assert chunk.totals[:, c].tolist() == [m.total for m in made]
        assert chunk.per_user[:, c].tolist() == [m.per_user for m in made]
        assert chunk.per_visit[:, c].tolist() == [m.per_visit for m in made]
        if made[0].boundary is not None:
            pe = [m.boundary.persons_equivalent for m in made]
            assert chunk.persons[:, c].tolist() == pe
            assert chunk.shares[:, c].tolist() == [m.boundary.share_per_user for m in made]


def test_a_view_once_read_lets_go_of_its_chunk():
    # A result kept alive must not keep its whole chunk's arrays and results (in the API a
    # chunk is every service assessed): once made, a view holds its own dict only.
    _, contributions, users, visits, years, _ = _examples()
    chunk = CriteriaChunk.of(contributions, users, visits, years, LIMITS)
    views = chunk.views()
    alive = weakref.ref(chunk)
    kept, unread = views[1], views[2]
    made = dict(kept)
    assert kept.chunk is None and unread.chunk is chunk
    with pytest.raises(AttributeError):  # a view is not re-pointed at another row
        unread.row = 1
    with pytest.raises(AttributeError):
        unread.chunk = None
    del chunk, views, unread
    gc.collect()
    assert alive() is None
    assert dict(kept) == made and kept["climate_change"] is made["climate_change"]


def test_a_chunk_s_arrays_cannot_be_changed_before_its_results_are_made():
    # The results are made from the chunk when first read: an array changed before would
    # change a result after it was built. The caller's own contributions stay writable.
    qs, contributions, users, visits, years, _ = _examples()
    chunk = CriteriaChunk.of(contributions, users, visits, years, LIMITS)
    for name in ("contributions", "totals", "per_user", "per_visit", "by_tier", "by_phase"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(chunk, name)[0, 0] = 1.0
    for name in ("persons", "shares"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(chunk, name)[0, 0] = 1.0
    users[0] = 1.0
    assert chunk.users[0] == qs[0].usage.users
    contributions[0, 0, 0] += 0.0  # still the caller's to write


def test_column_maker_makes_what_the_constructor_makes_a_row_at_a_time():
    """column_maker's instances, a row of the columns each, equal the dataclass's own,
    stay frozen, and hold a field dict each (none shared)."""
    import dataclasses

    from acvnum.calculation.results import BoundaryComparison, column_maker

    make_all = column_maker(BoundaryComparison)
    rows = [(1.0, 0.5, 4.0), (2.0, 0.25, 5.0), (3.0, 0.125, 6.0)]
    first, second, third = (list(column) for column in zip(*rows, strict=True))
    made = make_all(first, second, iter(third))  # any iterables
    assert made == [BoundaryComparison(*row) for row in rows]
    assert len({id(m.__dict__) for m in made}) == 3 and make_all([], [], []) == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].per_person_year = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        make_all([1.0], [2.0], [])  # columns of one length
