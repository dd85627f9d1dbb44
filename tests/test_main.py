"""Standard output that is closed, full or ASCII-only: exit 2 with one line, or the report
with escapes, never a traceback (real subprocesses: the streams are the point)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

SHOP = str(EXAMPLES / "ecommerce.yaml")


def _run(*args: str, stdout=subprocess.PIPE, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "acvnum", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["estimate", SHOP], ["schema"], ["--version"]])
def test_a_full_standard_output_is_exit_2_with_the_reason(args):
    with open("/dev/full", "w") as full:
        result = _run(*args, stdout=full)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr == "acvnum: cannot write to standard output: No space left on device\n"


def test_a_closed_standard_output_is_exit_2_with_the_reason():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, runpy, sys; os.close(1); sys.argv = ['acvnum', "
            f"'validate', {SHOP!r}]; runpy.run_module('acvnum', run_name='__main__')",
        ],
        stderr=subprocess.PIPE,
        cwd=ROOT,
        timeout=60,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "cannot write to standard output" in stderr
    assert "Traceback" not in stderr


def test_an_ascii_only_output_gets_the_report_with_escapes():
    result = _run("estimate", SHOP, "--lang", "fr", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr.decode()
    result.stdout.decode("ascii")  # nothing but ASCII
    assert b"\\xc9nergie" in result.stdout  # 'Énergie'


def test_a_reader_that_goes_away_is_no_traceback():
    process = subprocess.Popen(
        [sys.executable, "-m", "acvnum", "factors", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        bufsize=0,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # like `| head -c 10`
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert process.returncode in (0, 1, 2)
