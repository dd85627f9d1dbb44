"""Portfolio scale: `acvnum estimate DIR --format json` (levers on) over generated services.

Generates N distinct questionnaires (varied users, data, devices, countries, 1-4 servers,
with or without storage) into a temporary folder, then times cold runs of the command and
prints min/median wall time, min/median CPU time (user + system, worker processes included:
steadier than wall time on a shared machine) and the peak memory of the command with its
worker processes (the sum of their proportional set sizes, sampled every 20 ms on Linux:
pages the workers share with the command are counted once; elsewhere the largest process's
peak resident size). The peak comes from one more run of its own: sampling took CPU from
the runs it watched (measured on 2 cores, wall min: 10,000 services 1.28 s sampled against
1.18 s not, Impact Framework 2.30 s against 2.05 s). Prints figures, asserts nothing,
and ends with the goals of issue 9, each marked met or not met: 1,000 services under 0.6 s;
the largest portfolio in at most half of Impact Framework's time for as many components,
measured in the same run; every run under 600 MB.

If `node` and `npm` are on PATH and --with-if is given, Impact Framework (npm @grnsft/if)
is installed into a temporary folder and timed on two manifests of the same number of
components (carbon only), their runs taken in turn with the largest portfolio's; otherwise
that comparison is printed as skipped:
- its SCI pipeline, the goal's yardstick: the carbon pipeline of Impact Framework's own SCI
  example (manifests/examples/pipelines/sci.yml in the package: a CPU power curve, energy,
  a vCPU share, network energy, embodied and operational carbon, SCI), 11 plugins a
  component. Its time is the one issue 9 gives: about 5.5 s for 10,000 components, on a
  machine where acvnum 0.1 took about 35 s for such a portfolio. Here (2026-12-01) acvnum
  0.1 (94ce71e) takes 42-44 s on this benchmark's portfolio, this pipeline 6.5-6.9 s (scaled
  by 35 / 43: 5.3-5.6 s) and the two-plugin one below 1.75-1.9 s (1.4-1.5 s);
- two plugins (energy = hours x a coefficient, carbon = energy x grid intensity): the least
  Impact Framework can compute a component's carbon with, mostly its start, reading and
  writing. Its ratio is printed too, as the strictest comparison, with its own verdict.

acvnum's bytecode is compiled first, as installing a wheel does (and as bench_estimate.py
does): with PYTHONDONTWRITEBYTECODE set, every run would otherwise compile its modules
again, some 0.1 s of each run's serial start that an installed acvnum does not pay
(measured: the start before the workers are forked took 0.27 s against 0.17 s).

    python benchmarks/bench_portfolio.py [--sizes 1000 10000] [--runs 5] [--with-if]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("FRA", "DEU", "USA", "GBR", "SWE", "POL", "CHN", "IND", "BRA", "WLD", "EU27")
DEVICES = ("smartphone", "tablet", "laptop", "desktop", "television")


def _shares(rng: random.Random, names: tuple[str, ...], most: int) -> dict[str, int]:
    """Whole percentages over 1..`most` of `names`, summing to 100."""
    chosen = rng.sample(names, rng.randint(1, most))
    cuts = sorted(rng.sample(range(1, 100), len(chosen) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return dict(zip(chosen, parts, strict=True))


def _servers(rng: random.Random) -> list[str]:
    lines = ["  servers:"]
    for k in range(rng.randint(1, 4)):
        lines += [f"    - name: s{k}", f"      count: {rng.randint(1, 6)}"]
        if rng.random() < 0.6:
            lines += ["      type: virtual", f"      vcpu: {rng.choice((2, 4, 8, 16))}"]
        else:
            lines.append("      type: physical")
            if rng.random() < 0.5:
                lines.append(f"      power: {rng.randint(120, 400)} W")
        if rng.random() < 0.5:
            lines.append(f"      utilization: {rng.randint(5, 80)}%")
    return lines


def questionnaire(i: int, rng: random.Random) -> str:
    """One distinct, valid questionnaire."""
    devices = "\n".join(f"    {d}: {p}%" for d, p in _shares(rng, DEVICES, 3).items())
    mobile = rng.randint(0, 100)
    lines = [
        f"name: Service {i:05d}",
        "usage:",
        f"  users: {rng.randint(10, 2_000_000)}",
        f"  visits_per_user: {rng.randint(1, 30)} / month",
        f"  visit_duration: {rng.randint(1, 45)} min",
        f"  data_per_visit: {rng.uniform(0.1, 50):.2f} MB",
        "  devices:",
        devices,
        "  network:",
        f"    mobile: {mobile}%",
        f"    fixed: {100 - mobile}%",
        f"  location: {rng.choice(COUNTRIES)}",
        "hosting:",
        f"  location: {rng.choice(COUNTRIES)}",
        f"  pue: {rng.uniform(1.1, 2.0):.2f}",
        *_servers(rng),
    ]
    if rng.random() < 0.7:
        lines += [
            "  storage:",
            f"    volume: {rng.randint(1, 5000)} GB",
            f"    type: {rng.choice(('ssd', 'hdd'))}",
            f"    replicas: {rng.randint(1, 3)}",
        ]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    for i in range(count):
        (folder / f"service-{i:05d}.yaml").write_text(questionnaire(i, rng), encoding="utf-8")


#: Run by `timed` in a fresh process, so that RUSAGE_CHILDREN is this command's alone.
_PROBE = """
import resource, subprocess, sys, time

def tree(pid):
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        children = []
    return [pid] + [p for child in children for p in tree(int(child))]

def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(l.split()[1]) for l in rollup if l.startswith("Pss:")), 0)
    except OSError:
        return 0

sampled = sys.argv[1] == "sampled"
start = time.perf_counter()
run = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
peak = 0
while sampled and run.poll() is None:
    peak = max(peak, sum(pss(p) for p in tree(run.pid)))
    time.sleep(0.02)
run.wait()
wall = time.perf_counter() - start
if run.returncode:
    sys.exit(f"exit {run.returncode}")
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, use.ru_utime + use.ru_stime, peak or use.ru_maxrss)  # KB either way
"""


def timed(command: list[str], sampled: bool = False) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, workers included) and peak MB of one run of
    `command`, its output discarded. The peak: `sampled`, all its processes' PSS (or the
    largest one's RSS without /proc); else the largest one's RSS."""
    mode = "sampled" if sampled else "timed"
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, *command], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024


@dataclass(frozen=True)
class Runs:
    """A command's figures over several runs."""

    walls: tuple[float, ...]
    cpus: tuple[float, ...]
    peaks: tuple[float, ...]

    def __str__(self) -> str:
        return (
            f"wall min {min(self.walls):6.2f} s median {statistics.median(self.walls):6.2f} s  "
            f"cpu min {min(self.cpus):6.2f} s median {statistics.median(self.cpus):6.2f} s  "
            f"peak {max(self.peaks):5.0f} MB"
        )


def measure(command: list[str], runs: int) -> Runs:
    """`runs` timed runs after a warm-up (file cache, .pyc), then one sampled for the peak."""
    return measure_in_turn([command], runs)[0]


def measure_in_turn(commands: list[list[str]], runs: int) -> list[Runs]:
    """Each of `commands` measured as `measure` does, their runs taken in turn (A B A B ...):
    a machine whose speed drifts during the call slows both alike, where two blocks of runs
    one after the other had the ratio of their minimums move by some 0.04 between calls."""
    for command in commands:
        timed(command)
    rounds = [[timed(command) for command in commands] for _ in range(runs)]
    figures = []
    for k, command in enumerate(commands):
        walls, cpus, _ = zip(*(round_[k] for round_ in rounds), strict=True)
        figures.append(Runs(walls, cpus, (timed(command, sampled=True)[2],)))
    return figures


def impact_framework(count: int, work: Path) -> dict[str, list[str]] | str:
    """The commands that run Impact Framework on `count` components, by yardstick (see
    YARDSTICKS), or why it cannot be run."""
    if not (shutil.which("node") and shutil.which("npm")):
        return "node and npm are not on PATH"
    install = subprocess.run(
        ["npm", "install", "--silent", "--prefix", str(work), "@grnsft/if"],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        return f"npm install @grnsft/if failed: {install.stderr.strip()[:200]}"
    binary = work / "node_modules" / ".bin" / "if-run"
    commands = {}
    for name, manifest_of in zip(YARDSTICKS, (_if_sci_manifest, _if_manifest), strict=True):
        manifest = work / f"manifest-{len(commands)}.yaml"
        manifest.write_text(manifest_of(count), encoding="utf-8")
        commands[name] = [str(binary), "--manifest", str(manifest)]
    return commands


#: Issue 9's goals: seconds for 1,000 services, the share of Impact Framework's time for the
#: largest portfolio, and megabytes for any run.
THOUSAND_WITHIN = 0.6
SHARE_OF_IF = 0.5
PEAK_WITHIN = 600
#: Impact Framework's manifests, the goal's yardstick first (see the module's docstring).
YARDSTICKS = ("its SCI pipeline", "two plugins, strictest")


def goals(ours: dict[int, Runs], theirs: dict[str, Runs] | str) -> list[str]:
    """Each goal with the run's figures (minimum and median) and whether it is met; the
    share of Impact Framework's time once per yardstick `theirs` was timed on."""

    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    lines = []
    if 1000 in ours:
        walls = ours[1000].walls
        median = statistics.median(walls)
        lines.append(
            f"1,000 services under {THOUSAND_WITHIN} s: min {min(walls):.2f} s, median "
            f"{median:.2f} s: {verdict(median < THOUSAND_WITHIN)}"
        )
    largest = max(ours)
    if isinstance(theirs, str):
        lines.append(f"{largest:,} services against Impact Framework: not measured ({theirs})")
    for name, runs in () if isinstance(theirs, str) else theirs.items():
        by_min = min(ours[largest].walls) / min(runs.walls)
        by_median = statistics.median(ours[largest].walls) / statistics.median(runs.walls)
        lines.append(
            f"{largest:,} services in at most {SHARE_OF_IF}x Impact Framework's time ({name}): "
            f"{by_min:.3f}x by minimums, {by_median:.3f}x by medians: "
            f"{verdict(max(by_min, by_median) <= SHARE_OF_IF)}"
        )
    peak = max(max(runs.peaks) for runs in ours.values())
    lines.append(
        f"every run under {PEAK_WITHIN} MB: peak {peak:.0f} MB: {verdict(peak < PEAK_WITHIN)}"
    )
    return lines


def _if_manifest(count: int) -> str:
    """An IF manifest: per component, energy from a coefficient, then carbon = energy x grid."""
    head = """name: acvnum-comparison
initialize:
  plugins:
    energy:
      method: Coefficient
      path: builtin
      config: {input-parameter: hours, coefficient: 0.05, output-parameter: energy}
    carbon:
      method: Multiply
      path: builtin
      config: {input-parameters: [energy, grid-intensity], output-parameter: carbon}
tree:
  children:
"""
    rng = random.Random(9)
    body = "".join(
        f"    c{i}:\n      pipeline: {{compute: [energy, carbon]}}\n      inputs:\n"
        f"        - {{timestamp: '2026-01-01T00:00:00Z', duration: 31557600, "
        f"hours: {rng.randint(10, 100000)}, grid-intensity: {rng.uniform(20, 800):.1f}}}\n"
        for i in range(count)
    )
    return head + body


#: The SCI pipeline's steps, in order (the ones Impact Framework's SCI example runs), each a
#: builtin plugin and its configuration. The CPU power curve is the share of a processor's
#: thermal design power drawn at 0, 10, 50 and 100 % load: Teads' curve, as in that example.
_SCI_STEPS = {
    "load-share": (
        "Interpolation",
        {
            "method": "linear",
            "x": "[0, 10, 50, 100]",
            "y": "[0.12, 0.32, 0.75, 1.02]",
            "input-parameter": "cpu/utilization",
            "output-parameter": "cpu-factor",
        },
    ),
    "cpu-watts": ("Multiply", {"input-parameters": "[cpu-factor, cpu/thermal-design-power]"}),
    "cpu-joules": ("Multiply", {"input-parameters": "[cpu-wattage, duration]"}),
    "cpu-kwh": ("Divide", {"numerator": "cpu-joules", "denominator": "3600000"}),
    "vcpu-ratio": ("Divide", {"numerator": "vcpus-total", "denominator": "vcpus-allocated"}),
    "cpu-energy": ("Divide", {"numerator": "cpu-energy-raw", "denominator": "vcpu-ratio"}),
    "energy": ("Sum", {"input-parameters": "[cpu/energy, network/energy]"}),
    "embodied": ("SciEmbodied", {}),
    "operational": ("Multiply", {"input-parameters": "[energy, grid/carbon-intensity]"}),
    "carbon": ("Sum", {"input-parameters": "[carbon-operational, embodied-carbon]"}),
    "sci": ("Sci", {"functional-unit": "component"}),
}
#: What each step writes (Multiply and Sum name it `output-parameter`, Divide `output`).
_SCI_OUTPUTS = {
    "cpu-watts": "cpu-wattage",
    "cpu-joules": "cpu-joules",
    "cpu-kwh": "cpu-energy-raw",
    "vcpu-ratio": "vcpu-ratio",
    "cpu-energy": "cpu/energy",
    "energy": "energy",
    "operational": "carbon-operational",
    "carbon": "carbon",
}


def _plugin(step: str) -> str:
    """A step of the SCI pipeline as a manifest's plugin (a YAML flow mapping)."""
    method, config = _SCI_STEPS[step]
    if step in _SCI_OUTPUTS:
        key = "output" if method == "Divide" else "output-parameter"
        config = {**config, key: _SCI_OUTPUTS[step]}
    if not config:
        return f"{{method: {method}, path: builtin}}"
    pairs = ", ".join(f"{key}: {value}" for key, value in config.items())
    return f"{{method: {method}, path: builtin, config: {{{pairs}}}}}"


def _if_sci_manifest(count: int) -> str:
    """An IF manifest of `count` components, each through the SCI pipeline (see the module's
    docstring) with its own load, processor, vCPUs, network energy and grid intensity."""
    head = "name: acvnum-comparison-sci\ninitialize:\n  plugins:\n" + "".join(
        f"    {step}: {_plugin(step)}\n" for step in _SCI_STEPS
    )
    rng = random.Random(9)
    steps = ", ".join(_SCI_STEPS)
    body = []
    for i in range(count):
        allocated = rng.choice((1, 2, 4, 8))
        body.append(
            f"    c{i}:\n      pipeline: {{compute: [{steps}]}}\n"
            f"      defaults: {{cpu/thermal-design-power: {rng.choice((65, 100, 150, 200))}, "
            f"vcpus-total: 8, vcpus-allocated: {allocated}, vCPUs: {allocated}, "
            f"grid/carbon-intensity: {rng.uniform(20, 800):.1f}, component: 1}}\n"
            f"      inputs:\n        - {{timestamp: '2026-01-01T00:00:00Z', duration: 31557600, "
            f"cpu/utilization: {rng.randint(5, 90)}, "
            f"network/energy: {rng.uniform(0.1, 100):.2f}}}\n"
        )
    return head + "tree:\n  children:\n" + "".join(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-if", action="store_true", help="compare with Impact Framework")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    compileall.compile_dir(ROOT / "acvnum", quiet=1)
    ours: dict[int, Runs] = {}
    yardsticks: dict[str, list[str]] | str = "add --with-if to compare"  # or why not
    theirs: dict[str, Runs] | str = yardsticks
    largest = max(args.sizes)
    with tempfile.TemporaryDirectory(prefix="acvnum-bench-") as tmp:
        if args.with_if:
            work = Path(tmp) / "if"
            work.mkdir()
            yardsticks = theirs = impact_framework(largest, work)
        for size in args.sizes:
            folder = Path(tmp) / f"portfolio-{size}"
            folder.mkdir()
            generate(folder, size)
            command = [sys.executable, "-m", "acvnum", "estimate", str(folder), "-f", "json"]
            if size == largest and not isinstance(yardsticks, str):
                ours[size], *timed_if = measure_in_turn([command, *yardsticks.values()], args.runs)
                theirs = dict(zip(yardsticks, timed_if, strict=True))
            else:
                ours[size] = measure(command, args.runs)
            print(f"acvnum estimate DIR -f json, {size:6d} services: {ours[size]}")
        if isinstance(theirs, str):
            print(f"Impact Framework: skipped ({theirs})")
        for name, runs in () if isinstance(theirs, str) else theirs.items():
            print(f"Impact Framework ({name}), {largest} components: {runs}")
    print("Goals (issue 9):")
    for line in goals(ours, theirs):
        print(f"  {line}")


if __name__ == "__main__":
    main()
