"""benchmarks/bench_suite.py's verdict on issue 9's suite-time goal, from runs given by hand;
one real run of a small part of the suite, both ways."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_suite import Run, run_suite, verdict  # noqa: E402


def test_half_the_subprocess_time_or_less_is_met() -> None:
    # 81.0 / 180.0 = 0.45 <= 0.5
    assert verdict(Run(81.0, "", 0), Run(180.0, "", 0)) == (
        "suite in at most 0.5x its subprocess time: 0.45x: met"
    )


def test_more_than_half_is_not_met() -> None:
    # 100.0 / 180.0 = 0.556 > 0.5
    assert verdict(Run(100.0, "", 0), Run(180.0, "", 0)).endswith("0.56x: NOT met")


def test_a_failed_run_is_not_judged() -> None:
    # 50 / 180 = 0.28 would be met, but the in-process run failed: some tests stopped early.
    assert verdict(Run(50.0, "", 1), Run(180.0, "", 0)).endswith("0.28x, NOT judged (a run failed)")


def test_both_ways_run_the_same_tests() -> None:
    # A small file of CLI tests, in this process's way and as subprocesses: the same count.
    both = [run_suite("0", way, ["tests/commands/test_diff.py"]) for way in (False, True)]
    assert [run.status for run in both] == [0, 0], [run.summary for run in both]
    counts = [run.summary.split(" in ")[0] for run in both]
    assert counts[0] == counts[1] and "passed" in counts[0], counts
