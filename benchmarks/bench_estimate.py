"""Cold-start speed of `acvnum estimate` against the floor of importing what it needs.

Prints the median wall time and CPU time (user + system, steadier on a loaded machine) of
each command over repeated cold runs (new processes), and the ratios to two floors: the
libraries (`import numpy, pydantic, rich, typer, yaml`), the same libraries' classes
(pydantic and rich load lazily: `import pydantic` alone does not load its model machinery,
which a file the plain reader declines pays, and a valid file does not), and the CLI's own
import (`import acvnum.cli`). Goals (issue 9), against the first floor: estimate --format
json <= 1.5x, the text report <= 1.8x; `acvnum --version` < 0.2 s. The second floor is
printed to show what the lazy imports hide.

acvnum's bytecode is compiled first, as installing a wheel does: with PYTHONDONTWRITEBYTECODE
set (or a read-only checkout) every run would otherwise compile its modules again, some
0.1 s that the libraries of the floor, compiled when installed, do not pay.

    python benchmarks/bench_estimate.py [--runs 15] [--example examples/ecommerce.yaml]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def median_times(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` fresh processes (one warm-up run, not counted)."""
    _run(command)
    walls, cpus = zip(*(_run(command) for _ in range(runs)), strict=True)
    return statistics.median(walls), statistics.median(cpus)


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of `runs` fresh processes (one warm-up run first, not counted)."""
    return median_times(command, runs)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--example", default="examples/ecommerce.yaml")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "acvnum", quiet=1)
    python = sys.executable
    estimate = [python, "-m", "acvnum", "estimate", args.example]
    rows = {
        "floor: import numpy, pydantic, rich, typer, yaml": [
            python,
            "-c",
            "import numpy, pydantic, rich, typer, yaml",
        ],
        "floor: the classes (BaseModel, Console...)": [
            python,
            "-c",
            "import numpy, typer, yaml; from pydantic import BaseModel; "
            "from rich.console import Console",
        ],
        "floor: import acvnum.cli": [python, "-c", "import acvnum.cli"],
        "estimate --format json": [*estimate, "--format", "json"],
        "estimate (text)": estimate,
        "acvnum --version": [python, "-m", "acvnum", "--version"],
    }
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {args.example}")
    times = {name: median_times(command, args.runs) for name, command in rows.items()}
    for name, (wall, cpu) in times.items():
        print(f"{name:50s} wall {wall * 1000:7.1f} ms   cpu {cpu * 1000:7.1f} ms")
    floors = list(times)[:3]
    for name, goal in (("estimate --format json", 1.5), ("estimate (text)", 1.8)):
        for floor in floors:
            wall = times[name][0] / times[floor][0]
            cpu = times[name][1] / times[floor][1]
            aim = f"goal <= {goal}" if floor == floors[0] else "for reference"
            print(f"{name} / {floor[7:]}: wall {wall:.2f}, cpu {cpu:.2f} ({aim})")
    print(f"--version under 0.2 s: {'yes' if times['acvnum --version'][0] < 0.2 else 'NO'}")


if __name__ == "__main__":
    main()
