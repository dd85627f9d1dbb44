"""benchmarks/bench_portfolio.py's verdict on issue 9's goals, from figures given by hand."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_portfolio import Runs, goals  # noqa: E402


def _runs(*walls: float, peak: float = 100.0) -> Runs:
    return Runs(walls, walls, (peak,) * len(walls))


def test_half_of_impact_framework_by_minimum_and_median_is_met() -> None:
    ours = {1000: _runs(0.30, 0.40, 0.35), 10000: _runs(1.0, 1.2, 1.1)}
    theirs = _runs(2.0, 2.4, 2.2)
    # 1,000: median 0.35 < 0.6; 10,000: 1.0 / 2.0 = 0.50 by minimums, 1.1 / 2.2 = 0.50 by
    # medians, both at most 0.5; peak 100 MB.
    assert goals(ours, theirs) == [
        "1,000 services under 0.6 s: min 0.30 s, median 0.35 s: met",
        "10,000 services in at most 0.5x Impact Framework's time: 0.50x by minimums, "
        "0.50x by medians: met",
        "every run under 600 MB: peak 100 MB: met",
    ]


def test_a_goal_missed_by_either_statistic_is_not_met() -> None:
    ours = {1000: _runs(0.50, 0.70, 0.65), 10000: _runs(1.0, 1.5, 1.4, peak=650.0)}
    theirs = _runs(2.0, 2.4, 2.2)
    # 1,000: median 0.65 >= 0.6; 10,000: 1.0 / 2.0 = 0.50 by minimums but
    # 1.4 / 2.2 = 0.636 by medians; peak 650 MB >= 600.
    assert goals(ours, theirs) == [
        "1,000 services under 0.6 s: min 0.50 s, median 0.65 s: NOT met",
        "10,000 services in at most 0.5x Impact Framework's time: 0.50x by minimums, "
        "0.64x by medians: NOT met",
        "every run under 600 MB: peak 650 MB: NOT met",
    ]


def test_without_impact_framework_the_comparison_says_why() -> None:
    lines = goals({10000: _runs(1.0)}, "node and npm are not on PATH")
    assert lines == [
        "10,000 services against Impact Framework: not measured (node and npm are not on PATH)",
        "every run under 600 MB: peak 100 MB: met",
    ]
