"""The test suite's time with the CLI tests run in-process (as it runs) against the same
suite with every CLI test a real subprocess (ACVNUM_TEST_SUBPROCESS=1, as the tests ran
before issue 9).

Both runs hold the same tests and assertions: `tests/conftest.py`'s `run_cli` starts the
command either way, and tests/test_cli.py checks that both ways print the same. A few tests
always start a process (start-up, signals, the installed script); they count in both runs.
Prints each run's wall time and counts, then the goal of issue 9 (item 10): the suite in at
most half the time of the subprocess run, marked met or not. Takes a few minutes.

    python benchmarks/bench_suite.py [--workers auto|N] [-- PYTEST-ARGS]

`--workers` is pytest-xdist's `-n` for both runs (`0`: one process, as the suite ran then).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Issue 9's goal: the suite in at most this share of its time with subprocess CLI tests.
SHARE_OF_SUBPROCESS = 0.5


@dataclass(frozen=True)
class Run:
    seconds: float
    summary: str  # pytest's last line: '5957 passed, 2 skipped in 81.07s'
    status: int


def run_suite(workers: str, subprocess_cli: bool, extra: list[str]) -> Run:
    """One whole run of the suite, timed from outside pytest (its start-up included)."""
    env = {k: v for k, v in os.environ.items() if k != "ACVNUM_TEST_SUBPROCESS"}
    if subprocess_cli:
        env["ACVNUM_TEST_SUBPROCESS"] = "1"
    # pyproject's addopts (-q -n auto) left out: -n is this run's, and one -q keeps the summary.
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts="]
    command += ["-q", "-n", workers]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *extra], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    return Run(seconds, lines[-1].strip("= ") if lines else "no summary", done.returncode)


def verdict(in_process: Run, as_subprocesses: Run) -> str:
    """The goal's line: the ratio of the two runs' wall times, met or not (a failed run
    proves nothing: its tests did not all run to their end)."""
    ratio = in_process.seconds / as_subprocesses.seconds
    if in_process.status or as_subprocesses.status:
        return f"suite in at most {SHARE_OF_SUBPROCESS}x: {ratio:.2f}x, NOT judged (a run failed)"
    met = "met" if ratio <= SHARE_OF_SUBPROCESS else "NOT met"
    return f"suite in at most {SHARE_OF_SUBPROCESS}x its subprocess time: {ratio:.2f}x: {met}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="auto", help="pytest-xdist's -n for both runs")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, -n {args.workers}")
    runs = {}
    for label, subprocess_cli in (
        ("CLI tests in-process", False),
        ("CLI tests as subprocesses", True),
    ):
        runs[label] = run = run_suite(args.workers, subprocess_cli, args.pytest_args)
        print(f"{label:26s} wall {run.seconds:7.1f} s  ({run.summary})", flush=True)
    print("Goal (issue 9):")
    print("  " + verdict(*runs.values()))


if __name__ == "__main__":
    main()
