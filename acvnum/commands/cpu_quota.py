"""The CPU time this process may use per second of wall time, where Linux's control groups
limit it (a container started with `--cpus 2`, a CI runner's share): such a process still
sees every core of the machine, and a worker process per core would only share the quota,
each with its own memory.

Read from /proc/self/cgroup and the cgroup files of this process's group and of each group
above it (the smallest limit holds): `cpu.max` ("QUOTA PERIOD" or "max PERIOD") under
cgroup v2, `cpu.cfs_quota_us` and `cpu.cfs_period_us` (-1: none) under v1's `cpu`
controller. Elsewhere, or where a file cannot be read, there is no limit known (None).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

#: Where the cgroup file systems are mounted (v2's unified tree; v1's cpu controller, alone
#: or with cpuacct).
ROOT = Path("/sys/fs/cgroup")
_V1_MOUNTS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")


def cpu_quota(root: Path = ROOT, groups: str | None = None) -> float | None:
    """CPUs' worth of time this process may use (1.5: one and a half), None when unlimited
    or unknown. `groups`: /proc/self/cgroup's text (read when None)."""
    if groups is None:
        try:
            groups = Path("/proc/self/cgroup").read_text(encoding="utf-8")
        except OSError:  # not Linux
            return None
    limits = []
    for line in groups.splitlines():  # "ID:CONTROLLERS:PATH"
        fields = line.split(":", 2)
        if len(fields) != 3 or not fields[2].startswith("/"):
            continue
        _, controllers, path = fields
        if not controllers:  # v2
            limits += _limits(root, path, _v2_limit)
        elif "cpu" in controllers.split(","):
            for mount in _V1_MOUNTS:
                if (root / mount).is_dir():
                    limits += _limits(root / mount, path, _v1_limit)
                    break
    return min(limits) if limits else None


def _limits(mount: Path, path: str, read: Callable[[Path], float | None]) -> list[float]:
    """The limits set on the group at `path` under `mount` and on each group above it."""
    found = []
    group = mount / path.lstrip("/")
    while True:
        limit = read(group)
        if limit is not None:
            found.append(limit)
        if group == mount or mount not in group.parents:
            return found
        group = group.parent


def _v2_limit(group: Path) -> float | None:
    """cgroup v2's `cpu.max` of `group`: quota / period, None for 'max' or no file."""
    try:
        quota, period = (group / "cpu.max").read_text(encoding="ascii").split()
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _v1_limit(group: Path) -> float | None:
    """cgroup v1's CFS quota of `group`: quota / period, None for -1 or no file."""
    try:
        quota = int((group / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        period = int((group / "cpu.cfs_period_us").read_text(encoding="ascii"))
        return None if quota < 0 else quota / period
    except (OSError, ValueError, ZeroDivisionError):
        return None
