"""A CPU quota from Linux's control groups, read from a cgroup tree laid out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from acvnum.commands import json_folder
from acvnum.commands.cpu_quota import cpu_quota


def _write(root: Path, group: str, **files: str) -> None:
    folder = root / group
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".", 1)).write_text(text + "\n", encoding="ascii")


def test_v2_a_group_s_own_limit_in_cpus(tmp_path: Path) -> None:
    _write(tmp_path, "", cpu_max="max 100000")
    _write(tmp_path, "ci/job", cpu_max="150000 100000")
    # 150,000 us of CPU per 100,000 us of wall time: 1.5 CPUs; the root sets none.
    assert cpu_quota(tmp_path, "0::/ci/job\n") == 1.5


def test_v2_a_group_above_can_be_the_stricter(tmp_path: Path) -> None:
    _write(tmp_path, "ci", cpu_max="50000 100000")
    _write(tmp_path, "ci/job", cpu_max="400000 100000")
    assert cpu_quota(tmp_path, "0::/ci/job") == 0.5  # min(4.0, 0.5)


def test_v1_the_cpu_controller_s_cfs_quota(tmp_path: Path) -> None:
    period = "100000"
    _write(tmp_path, "cpu,cpuacct/docker/abc", cpu_cfs_quota_us="200000", cpu_cfs_period_us=period)
    _write(tmp_path, "cpu,cpuacct", cpu_cfs_quota_us="-1", cpu_cfs_period_us=period)
    groups = "11:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n"
    assert cpu_quota(tmp_path, groups) == 2.0


@pytest.mark.parametrize(
    ("files", "groups"),
    [
        ({"cpu_max": "max 100000"}, "0::/"),  # v2, no limit
        ({"cpu_max": "lots 100000"}, "0::/"),  # unreadable: no limit known
        ({"cpu_max": "100000 0"}, "0::/"),
        ({}, "0::/"),  # no file
        ({}, "4:cpu:/x"),  # v1 without the controller's mount
        ({"cpu_max": "100000 100000"}, "4:memory:/"),  # another controller
        ({"cpu_max": "100000 100000"}, "garbage"),
    ],
)
def test_no_limit_known(tmp_path: Path, files: dict[str, str], groups: str) -> None:
    _write(tmp_path, "", **files)
    assert cpu_quota(tmp_path, groups) is None


def test_this_machine_s_groups_read_without_error() -> None:
    found = cpu_quota()
    assert found is None or found > 0


@pytest.mark.parametrize(("quota", "workers"), [(None, 8), (1.5, 2), (2.0, 2), (0.25, 1), (16, 8)])
def test_cores_are_the_quota_s_rounded_up_at_most_those_to_run_on(
    monkeypatch: pytest.MonkeyPatch, quota: float | None, workers: int
) -> None:
    monkeypatch.setattr(json_folder.os, "sched_getaffinity", lambda pid: set(range(8)))
    monkeypatch.setattr(json_folder, "cpu_quota", lambda: quota)
    assert json_folder.cores() == workers
