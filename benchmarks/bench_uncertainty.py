"""Uncertainty and portfolio speed and memory, each beside its floor (issue 5).

Prints figures, asserts nothing. The floor of an evaluation is a plain numpy product of
the same shapes: inventory (N, S, activities, 1) x characterisation (N, S, activities,
criteria), summed over the activities. Goals: sampled and portfolio evaluations within 3x
of their floor; a cold `estimate --uncertainty` (10,000 samples) within 2x of the cold
command without it; peak memory for 1,000,000 samples under 1 GB.

    python benchmarks/bench_uncertainty.py [--runs 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_estimate import median_seconds  # noqa: E402  (cold runs, same method)

from acvnum.analysis.uncertainty import SampledFactors, propagate, tier_impacts  # noqa: E402
from acvnum.calculation.engine import evaluate  # noqa: E402
from acvnum.calculation.inventory import ACTIVITIES, service_arrays  # noqa: E402
from acvnum.questionnaire.service import load_services  # noqa: E402
from acvnum.reference.criteria import CRITERION_IDS  # noqa: E402
from acvnum.reference.factors import load_factors  # noqa: E402

A, C = len(ACTIVITIES), len(CRITERION_IDS)


def best(function, runs: int) -> float:
    """The fastest of `runs` calls, in seconds (one warm-up call first)."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(n: int, s: int, runs: int) -> float:
    rng = np.random.default_rng(0)
    amounts, matrix = rng.random((n, s, A, 1)), rng.random((n, s, A, C))
    return best(lambda: (amounts * matrix).sum(axis=2), runs)


def varied_services(count: int, table) -> list:
    """`count` questionnaires: the examples with users, visits and data scaled at random."""
    examples = [s.questionnaire for s in load_services([ROOT / "examples"], table)]
    rng = np.random.default_rng(1)
    out = []
    for i in range(count):
        q = examples[i % len(examples)]
        usage = q.usage.model_copy(
            update={
                "users": q.usage.users * rng.uniform(0.1, 10),
                "data_per_visit": q.usage.data_per_visit * rng.uniform(0.5, 2),
                "visit_duration": q.usage.visit_duration * rng.uniform(0.5, 2),
            }
        )
        out.append(q.model_copy(update={"usage": usage, "name": f"{q.name} {i}"}))
    return out


def samples_of_one_service(table, runs: int) -> None:
    """The engine over 100,000 factor samples (the goal), then the whole propagation."""
    (service,) = load_services([ROOT / "examples/ecommerce.yaml"], table)
    arrays = service_arrays([service.questionnaire])
    s = 100_000
    rng = np.random.default_rng(0)
    sampled = {
        fid: table.value(fid) * np.exp(0.3 * rng.standard_normal(s))
        for fid, low, high in zip(table.ids, table.low, table.high, strict=True)
        if low != high
    }
    factors = SampledFactors(table, sampled, s)
    engine = best(lambda: tier_impacts(arrays, factors), runs)
    whole = best(lambda: propagate(arrays, arrays, arrays, table, s, 0), runs)
    bare = floor(1, s, runs)
    print(f"100,000 samples of one service, engine: {engine * 1000:6.1f} ms;", end=" ")
    print(f"floor {bare * 1000:6.1f} ms; ratio {engine / bare:.2f} (goal <= 3)")
    print("  whole propagation (probe, draws, engine in chunks, percentiles, ranks kept):")
    print(f"  {whole * 1000:6.1f} ms; ratio to the floor {whole / bare:.2f}")


def many_services(table, runs: int) -> None:
    questionnaires = varied_services(10_000, table)
    arrays = service_arrays(questionnaires)
    central = table.central()
    took = best(lambda: evaluate(arrays, central).total, runs)
    by_tier = best(lambda: tier_impacts(arrays, central), runs)
    build = best(lambda: service_arrays(questionnaires), max(1, runs // 2))
    bare = floor(10_000, 1, runs)
    print(f"10,000 services, one pass: by tier (tier_impacts) {by_tier * 1000:.1f} ms,", end=" ")
    print(f"full contributions (evaluate) {took * 1000:.1f} ms;")
    print(f"  floor {bare * 1000:6.1f} ms; ratios {by_tier / bare:.2f} and {took / bare:.2f}")
    print("  (goal <= 3);", end="")
    print(f"  stacking the 10,000 questionnaires into arrays: {build * 1000:.1f} ms")


def cold_commands(runs: int) -> None:
    base = [sys.executable, "-m", "acvnum", "estimate", "examples/ecommerce.yaml", "-f", "json"]
    plain = median_seconds(base, runs)
    sampled = median_seconds([*base, "--uncertainty", "--samples", "10000"], runs)
    print(f"cold estimate: {plain * 1000:.0f} ms; with --uncertainty (10,000 samples):")
    print(f"  {sampled * 1000:.0f} ms  ratio {sampled / plain:.2f} (goal <= 2)")


PEAK = """
import resource, sys
sys.path.insert(0, {root!r})
from acvnum.questionnaire.service import load_services  # noqa: E402
from acvnum.reference.factors import load_factors  # noqa: E402
from acvnum.calculation.inventory import service_arrays  # noqa: E402
from acvnum.analysis.uncertainty import propagate  # noqa: E402
table = load_factors()
(service,) = load_services([{root!r} + "/examples/ecommerce.yaml"], table)
arrays = service_arrays([service.questionnaire])
propagate(arrays, arrays, arrays, table, 1_000_000, 0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory() -> None:
    code = PEAK.format(root=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kib = int(done.stdout.split()[-1])
    took = time.perf_counter() - start
    print(f"1,000,000 samples of one service: peak RSS {kib / 1024:.0f} MB (goal < 1024),")
    print(f"  {took:.1f} s for the whole process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    table = load_factors()
    samples_of_one_service(table, args.runs)
    many_services(table, args.runs)
    cold_commands(max(5, args.runs))
    peak_memory()


if __name__ == "__main__":
    main()
