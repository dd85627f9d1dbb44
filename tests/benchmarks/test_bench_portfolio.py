"""benchmarks/bench_portfolio.py's verdict on issue 9's goals, from figures given by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_portfolio  # noqa: E402
from bench_portfolio import Runs, goals, measure_in_turn  # noqa: E402


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


def test_two_commands_are_timed_in_turn_and_each_keeps_its_own_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, bool]] = []

    def timed(command: list[str], sampled: bool = False) -> tuple[float, float, float]:
        calls.append((command[0], sampled))
        count = len(calls)  # the n-th run overall takes n seconds, n / 2 of CPU, n MB
        return float(count), count / 2, float(count)

    monkeypatch.setattr(bench_portfolio, "timed", timed)
    ours, theirs = measure_in_turn([["a"], ["b"]], runs=3)
    # A warm-up each, then A B three times, then a sampled run each for the peak.
    assert calls == [("a", False), ("b", False)] + [("a", False), ("b", False)] * 3 + [
        ("a", True),
        ("b", True),
    ]
    # Calls 3, 5, 7 are A's timed runs; 4, 6, 8 B's; 9 and 10 the sampled ones.
    assert ours == Runs((3.0, 5.0, 7.0), (1.5, 2.5, 3.5), (9.0,))
    assert theirs == Runs((4.0, 6.0, 8.0), (2.0, 3.0, 4.0), (10.0,))
