"""Output files that cannot be written: exit 2 with "cannot write PATH: reason", never a
traceback, whatever the command (estimate, check, diff, init) and whatever the OS refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

BASE = str(EXAMPLES / "ecommerce.yaml")


def _targets(tmp_path: Path) -> list[tuple[Path, list[str], str]]:
    """(target, extra options, reason expected in the message)."""
    a_file = tmp_path / "base.yaml"
    a_file.write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    return [
        (a_file / "x.json", [], f"{a_file} is not a directory"),
        (tmp_path / "dir", ["--force"], "it is a directory"),
        (tmp_path / "absent" / "x.md", [], f"{tmp_path / 'absent'} does not exist"),
    ]


def _assert_refused(result, target: Path, reason: str | None = None) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"acvnum: cannot write {target}: ")
    if reason is not None:
        assert result.stderr.strip().endswith(reason)


@pytest.mark.parametrize("case", range(3))
def test_estimate_check_and_diff_refuse_an_impossible_output(tmp_path, case):
    target, extra, reason = _targets(tmp_path)[case]
    for command in (
        ["estimate", BASE],
        ["check", BASE, "--format", "junit"],
        ["diff", BASE, BASE],
    ):
        result = run_cli(*command, "--output", str(target), *extra)
        _assert_refused(result, target, reason)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_a_clear_refusal():
    result = run_cli("estimate", BASE, "--output", "/dev/full", "--force")
    _assert_refused(result, Path("/dev/full"), "No space left on device")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_place_the_os_refuses_is_a_clear_refusal():
    result = run_cli("check", BASE, "--format", "junit", "--output", "/proc/j.xml")
    _assert_refused(result, Path("/proc/j.xml"))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_init_refuses_a_place_the_os_refuses(tmp_path):
    result = run_cli("init", "/proc/x.yaml", "--no-input")
    _assert_refused(result, Path("/proc/x.yaml"))


def test_init_refuses_a_directory_even_with_force(tmp_path):
    target = tmp_path / "somedir"
    (target / "inside").mkdir(parents=True)
    result = run_cli("init", str(target), "--no-input", "--force")
    _assert_refused(result, target, "it is a directory")
    assert (target / "inside").is_dir()  # nothing was replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somedir"]  # no draft left behind


def test_a_writable_output_is_still_written(tmp_path):
    target = tmp_path / "report.md"
    result = run_cli("estimate", BASE, "--format", "markdown", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("#")
