"""Shared test helpers: paths, golden files, running the CLI as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ACVNUM_UPDATE_GOLDEN") == "1"


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; ACVNUM_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written: check it in")
    assert actual == path.read_text(encoding="utf-8"), f"differs from golden file {name}"


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m acvnum ARGS` in a subprocess, as a user would run it."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "acvnum", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        input=stdin,
        env=full_env,
        timeout=60,
    )


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a YAML text to a temporary file and return its path."""

    def write(text: str, name: str = "service.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL = """\
name: Minimal
usage:
  users: 1000
  visits_per_user: 10
  visit_duration: 6 min
  data_per_visit: 10 MB
  devices:
    laptop: 100%
  network:
    fixed: 100%
  location: FRA
"""
