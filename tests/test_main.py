"""Standard output that is closed, full or ASCII-only: exit 2 with one line, or the report
with escapes, never a traceback (real subprocesses: the streams are the point)."""

from __future__ import annotations

import json
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


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_said_in_the_run_s_language():
    # It was English whatever --lang said.
    with open("/dev/full", "w") as full:
        result = _run("estimate", SHOP, "--lang", "fr", stdout=full)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "acvnum: impossible d'écrire sur la sortie standard\u202f: No space left on device\n"
    )


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


def test_a_reader_that_goes_away_is_exit_2_quietly():
    """Like `| head -c 10`: the output problem is exit 2, not click's exit 1 (acvnum's "over
    budget"), and nothing on stderr (the pipe was closed on purpose). The examples' JSON is
    well over a pipe's 64 KB buffer, so the command is still writing when the reader leaves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "acvnum", "estimate", str(EXAMPLES), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        bufsize=0,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert (process.returncode, stderr) == (2, "")


def test_a_closed_error_stream_still_gives_the_input_problem_s_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nusage:\n  users: -1\n", encoding="utf-8")
    read, write = os.pipe()
    os.close(read)  # stderr's reader is gone before the first message
    try:
        done = subprocess.run(
            [sys.executable, "-m", "acvnum", "validate", str(bad)],
            stdout=subprocess.DEVNULL,
            stderr=write,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write)
    assert done.returncode == 2


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")
@pytest.mark.parametrize(("chosen", "threads"), [(None, 1), ("2", 2)])
def test_the_command_runs_on_one_thread_unless_a_blas_pool_is_asked_for(chosen, threads):
    # numpy's OpenBLAS starts a pool of (cores - 1) threads at import; the command asks for
    # none (`__main__._one_blas_thread`), but a size the user set is kept.
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: OpenBLAS starts no pool whatever is asked")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    count = (
        f"import os, sys; sys.argv = ['acvnum', 'estimate', {SHOP!r}, '-f', 'json']\n"
        "from acvnum.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(len(os.listdir('/proc/self/task')), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", count],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        timeout=60,
        env=env,
    )
    assert result.stderr.decode().strip() == str(threads)


def _command(script: str, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`script` (which calls acvnum's entry point, `__main__.command` or `main`) in a fresh
    Python started with `flags`."""
    return subprocess.run(
        [sys.executable, *flags, "-c", f"import sys\nfrom acvnum import __main__\n{script}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    ("budget", "status"), [("5 g", 0), ("1 g", 1)]
)  # the shop emits 3.8 g CO2e a visit: within 5 g, over 1 g
def test_the_command_ends_with_the_status_of_the_run(tmp_path, budget, status):
    shop = tmp_path / "shop.yaml"
    shop.write_text(Path(SHOP).read_text().replace("max: 5 g", f"max: {budget}"))
    result = _command(
        f"sys.argv = ['acvnum', 'check', {str(shop)!r}]\n__main__.command()", tmp_path
    )
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_says_bad_input_and_ends_with_exit_2(tmp_path):
    result = _command(
        "sys.argv = ['acvnum', 'estimate', 'absent.yaml']\n__main__.command()", tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("absent.yaml:1:1: file not found\n")


def test_the_command_flushes_its_output_and_runs_the_exit_functions(tmp_path):
    # A document larger than any buffer, then what an atexit function writes.
    script = (
        "import atexit; atexit.register(lambda: print('exit functions ran', file=sys.stderr))\n"
        f"sys.argv = ['acvnum', 'estimate', {SHOP!r}, '-f', 'json', '--levers', '5']\n"
        "__main__.command()"
    )
    result = _command(script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["services"][0]["levers"]
    assert result.stderr == "exit functions ran\n"


def test_the_command_skips_the_interpreters_teardown(tmp_path):
    # `python -v` says each step of the teardown on stderr ('# cleanup[2] removing numpy',
    # '# destroy ...'): a plain main() goes through it, the command ends before it.
    def teardown_lines(entry: str) -> list[str]:
        script = f"sys.argv = ['acvnum', 'validate', {SHOP!r}]\n__main__.{entry}()"
        done = _command(script, tmp_path, "-v")
        assert done.returncode == 0, done.stderr[-2000:]
        return [
            line for line in done.stderr.splitlines() if line.startswith(("# cleanup", "# destroy"))
        ]

    assert len(teardown_lines("main")) > 100
    assert teardown_lines("command") == []


def test_the_command_ends_the_ordinary_way_around_a_text_exit_or_a_running_thread(tmp_path):
    text_exit = "__main__.main = lambda: sys.exit('stopped: a reason')\n__main__.command()"
    result = _command(text_exit, tmp_path)
    assert (result.returncode, result.stderr) == (1, "stopped: a reason\n")
    # A thread still running when the run ends is waited for, as the interpreter does.
    thread = (
        "import threading, time\n"
        "def late(): time.sleep(0.2); print('thread done', file=sys.stderr)\n"
        "threading.Thread(target=late).start()\n"
        f"sys.argv = ['acvnum', 'validate', {SHOP!r}]\n__main__.command()"
    )
    result = _command(thread, tmp_path)
    assert result.returncode == 0 and result.stderr == "thread done\n"


def test_the_installed_script_is_the_command():
    entry = (ROOT / "pyproject.toml").read_text()
    assert 'acvnum = "acvnum.__main__:command"' in entry
