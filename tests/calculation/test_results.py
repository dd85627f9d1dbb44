"""Results built for a whole chunk at once are those of each service built alone."""

from __future__ import annotations

import pytest
import yaml
from conftest import EXAMPLES

from acvnum.calculation.coverage import coverage
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import service_arrays
from acvnum.calculation.results import all_criteria_results, criteria_results
from acvnum.questionnaire.models import as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import load_factors

TABLE = load_factors()
LIMITS = boundaries(TABLE)


def test_a_chunk_s_criteria_are_each_service_s_alone_to_the_last_bit():
    # The examples mix optional blocks (AI, video, messages): their by-item breakdowns show
    # different activities, so the chunk is cut into several sets of shown activities.
    qs = [
        as_record(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(EXAMPLES.glob("*.yaml"))
    ] * 2
    arrays = service_arrays(qs)
    footprint = evaluate(arrays, TABLE.central())
    contributions = footprint.contributions[:, 0]
    covered = coverage(arrays, footprint.inventory[:, 0], TABLE)
    users, visits = [q.usage.users for q in qs], [q.visits for q in qs]
    years = [q.period_years for q in qs]
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
