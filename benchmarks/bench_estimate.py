"""Cold-start speed of `acvnum estimate` against the floor of importing its libraries.

Prints the median wall time of each command over repeated cold runs (new processes) and
the ratio. Goals (issue 2): estimate / floor <= 1.5; `acvnum --version` < 0.2 s.

    python benchmarks/bench_estimate.py [--runs 15] [--example examples/ecommerce.yaml]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of `runs` fresh processes (one warm-up run first, not counted)."""
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--example", default="examples/ecommerce.yaml")
    args = parser.parse_args()
    python = sys.executable
    floor = median_seconds([python, "-c", "import numpy, pydantic, rich, typer, yaml"], args.runs)
    estimate = median_seconds(
        [python, "-m", "acvnum", "estimate", args.example, "--format", "json"], args.runs
    )
    text = median_seconds([python, "-m", "acvnum", "estimate", args.example], args.runs)
    version = median_seconds([python, "-m", "acvnum", "--version"], args.runs)
    print(f"floor (import numpy, pydantic, rich, typer, yaml): {floor * 1000:7.1f} ms")
    print(f"acvnum estimate {args.example} --format json:  {estimate * 1000:7.1f} ms")
    print(f"acvnum estimate {args.example} (text):         {text * 1000:7.1f} ms")
    print(f"acvnum --version:                                {version * 1000:7.1f} ms")
    print(f"ratio estimate json / floor: {estimate / floor:.2f} (goal <= 1.5)")
    print(f"--version under 0.2 s: {'yes' if version < 0.2 else 'NO'}")


if __name__ == "__main__":
    main()
