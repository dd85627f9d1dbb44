"""Levers on a generated portfolio: how long proposing them takes, in process.

Generates N distinct questionnaires (varied users, data, devices, networks, countries,
1-4 servers, storage), validates them once, then times `levers.propose` (every lever of
every service and the combinations of the best ones) and the whole assessment with
levers on. Prints min and median wall and CPU time over several runs, and how many
pydantic model copies proposing the levers makes.

    python benchmarks/bench_levers.py [--services 1000] [--runs 5] [--levers 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402

from acvnum.analysis.levers import propose  # noqa: E402
from acvnum.assessment import Settings, assess_services  # noqa: E402
from acvnum.questionnaire.service import service_from_document  # noqa: E402
from acvnum.questionnaire.yaml_reader import Document  # noqa: E402
from acvnum.reference.boundaries import boundaries  # noqa: E402
from acvnum.reference.factors import load_factors  # noqa: E402

COUNTRIES = ("FRA", "DEU", "USA", "WLD", "POL", "SWE", "EU27")
DEVICES = ("smartphone", "laptop", "desktop", "tablet", "television")


def questionnaire(i: int, rng: random.Random) -> dict:
    """One plausible, distinct questionnaire."""
    devices = rng.sample(DEVICES, rng.randint(1, 3))
    weights = [rng.randint(1, 9) for _ in devices]
    shares = {d: f"{w / sum(weights):.6%}" for d, w in zip(devices, weights, strict=True)}
    mobile = rng.randint(0, 100)
    servers = [
        {
            "name": f"s{k}",
            "count": rng.randint(1, 6),
            **(
                {"type": "virtual", "vcpu": rng.choice((2, 4, 8))}
                if rng.random() < 0.6
                else {"type": "physical"}
            ),
            **({"utilization": f"{rng.randint(5, 90)}%"} if rng.random() < 0.5 else {}),
            **({"lifetime": f"{rng.randint(2, 7)} years"} if rng.random() < 0.3 else {}),
        }
        for k in range(rng.randint(1, 4))
    ]
    hosting = {
        "location": rng.choice(COUNTRIES),
        "servers": servers,
        "environments": rng.randint(1, 3),
    }
    if rng.random() < 0.5:
        hosting["pue"] = round(rng.uniform(1.1, 2.0), 2)
    if rng.random() < 0.7:
        hosting["storage"] = {
            "volume": f"{rng.randint(1, 5000)} GB",
            "type": rng.choice(("ssd", "hdd")),
            "replicas": rng.randint(1, 3),
        }
    return {
        "name": f"Service {i}",
        "usage": {
            "users": rng.randint(100, 1_000_000),
            "visits_per_user": f"{rng.randint(1, 30)} / month",
            "visit_duration": f"{rng.randint(1, 60)} min",
            "data_per_visit": f"{rng.uniform(0.1, 50):.2f} MB",
            "devices": shares,
            "network": {"mobile": f"{mobile}%", "fixed": f"{100 - mobile}%"},
            "location": rng.choice(COUNTRIES),
        },
        "hosting": hosting,
    }


def timed(action, runs: int) -> str:
    """Min and median wall and CPU seconds of `runs` calls (CPU time is the steadier figure
    on a shared machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (
        f"wall min {min(wall):.3f} s, median {statistics.median(wall):.3f} s; "
        f"CPU min {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s"
    )


def model_copies(action) -> int:
    """How many pydantic model copies one call makes."""
    real, count = BaseModel.model_copy, [0]

    def counting(self, *args, **kwargs):
        count[0] += 1
        return real(self, *args, **kwargs)

    BaseModel.model_copy = counting  # type: ignore[method-assign]
    try:
        action()
    finally:
        BaseModel.model_copy = real  # type: ignore[method-assign]
    return count[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--levers", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20261129)
    table = load_factors()
    limits = boundaries(table, Settings().population)
    services = [
        service_from_document(Document(f"s{i}.yaml", questionnaire(i, rng)), table)
        for i in range(args.services)
    ]
    questionnaires = [s.questionnaire for s in services]
    settings = Settings(levers=args.levers)

    def proposing() -> None:
        propose(questionnaires, table, limits, args.levers)

    print(f"levers.propose, {args.services} services: {timed(proposing, args.runs)}")
    print(f"  pydantic model copies: {model_copies(proposing)}")
    assessing = timed(lambda: assess_services(services, table, settings), args.runs)
    print(f"assessment with levers, {args.services} services: {assessing}")


if __name__ == "__main__":
    main()
