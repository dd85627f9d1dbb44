"""Shared test helpers: paths, golden files, running the CLI (in this process, or as a
real subprocess for the end-to-end tests)."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ACVNUM_UPDATE_GOLDEN") == "1"
#: The kept copies of the parsed tables (acvnum.reference.store) go to a folder of the
#: tests' own, not the user's cache, for this process and the CLI runs it starts.
os.environ.setdefault(
    "ACVNUM_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"acvnum-tests-{os.getuid()}")
)


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; ACVNUM_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written: check it in")
    assert actual == path.read_text(encoding="utf-8"), f"differs from golden file {name}"


def the_service(text: str) -> dict:
    """The one service of a result JSON: version 2 wraps even a single one in `services`."""
    (service,) = json.loads(text)["services"]
    return service


#: ACVNUM_TEST_SUBPROCESS=1 runs every `run_cli` as a real subprocess (slow; a cross-check).
SUBPROCESS = os.environ.get("ACVNUM_TEST_SUBPROCESS") == "1"
#: What every run sees, whichever way it is started: no colour, a 100-column terminal, and
#: a locale that is not French (the language then defaults to English, whatever the
#: machine's); an empty LC_ALL or LC_MESSAGES counts as unset.
CLI_ENV = {"NO_COLOR": "1", "COLUMNS": "100", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`acvnum ARGS` as a user would run it, in this process (about 50x faster than starting
    Python): same stdout, stderr and exit code as `run_cli_process`, which tests/test_cli.py
    checks for every command."""
    run = run_cli_process if SUBPROCESS else run_cli_in_process
    return run(*args, cwd=cwd, stdin=stdin, env=env)


def run_cli_in_process(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`acvnum ARGS` in this process, whatever ACVNUM_TEST_SUBPROCESS says (for tests of the
    runner itself, or that plant something in the package with monkeypatch)."""
    return _run_in_process(list(args), cwd or ROOT, stdin, {**CLI_ENV, **(env or {})})


def after_estimate(probe: str, path: Path, fmt: str) -> str:
    """What `probe` (a Python expression) is worth once a fresh process has run `acvnum
    estimate PATH --format FMT` (start-up tests: which modules a run loaded)."""
    script = (
        "import atexit, sys; from acvnum.__main__ import main\n"
        f"atexit.register(lambda: print(repr({probe}), file=sys.stderr))\n"
        f"sys.argv = ['acvnum', 'estimate', {str(path)!r}, '--format', {fmt!r}]\n"
        "main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip()


def run_cli_process(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m acvnum ARGS` in a subprocess: the end-to-end check of the entry point."""
    return subprocess.run(
        [sys.executable, "-m", "acvnum", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        input=stdin,
        env={**os.environ, **CLI_ENV, **(env or {})},
        timeout=60,
    )


def _stream(text: str = "") -> io.TextIOWrapper:
    """A UTF-8 text stream over bytes, like a pipe: not a terminal, has `.buffer`."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


def _read(stream: io.TextIOWrapper, errors: str) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", errors)  # type: ignore[attr-defined]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """Python's own warning display, on the run's stderr (pytest would otherwise keep them)."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@contextmanager
def _process_state(argv: list[str], cwd: Path, stdin: str | None, env: dict[str, str]):
    """Give the CLI a process of its own for one run, then put everything back: argv and
    `__main__` (click names the program from them: `python -m acvnum`), standard streams,
    environment, working directory, warning filters, the recursion limit, the garbage
    collector's settings and the typer app's registered commands (each run registers the
    ones it needs)."""
    from acvnum import __main__ as entry  # the package is imported only by tests that run it
    from acvnum import cli

    saved_env = dict(os.environ)
    saved = (sys.argv, sys.modules["__main__"], sys.stdin, sys.stdout, sys.stderr)
    saved_cwd = os.getcwd()
    saved_gc = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    saved_recursion = sys.getrecursionlimit()
    saved_commands = list(cli.app.registered_commands)
    out, err = _stream(), _stream()
    err.reconfigure(errors="backslashreplace")
    try:
        os.environ.update(env)
        os.chdir(cwd)
        sys.argv = [entry.__file__, *argv]
        sys.modules["__main__"] = entry
        sys.stdin, sys.stdout, sys.stderr = _stream(stdin or ""), out, err
        with warnings.catch_warnings():
            warnings.resetwarnings()  # the filters a fresh interpreter starts with
            warnings.simplefilter("default")
            for quiet in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
                warnings.simplefilter("ignore", quiet)
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.showwarning = _show_warning
            yield out, err
    finally:
        sys.argv, sys.modules["__main__"], sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        # Counting the frozen objects walks them all (Python 3.11): not done when none were
        # frozen before the run, the usual case (it was some 6 s of the fuzz tests' 12 s).
        if saved_gc[2] == 0 or gc.get_freeze_count() > saved_gc[2]:
            gc.unfreeze()
        gc.set_threshold(*saved_gc[1])
        (gc.enable if saved_gc[0] else gc.disable)()
        sys.setrecursionlimit(saved_recursion)
        cli.app.registered_commands[:] = saved_commands


def _run_in_process(
    argv: list[str], cwd: Path, stdin: str | None, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    from acvnum.__main__ import main

    code: int = 0
    with _process_state(argv, cwd, stdin, env) as (out, err):
        try:
            main()
        except SystemExit as done:
            if done.code is None or isinstance(done.code, int):
                code = done.code or 0
            else:  # sys.exit("message"): printed, exit 1, as the interpreter does
                sys.stderr.write(f"{done.code}\n")
                code = 1
        except Exception:  # an uncaught error: a traceback and exit 1, as the interpreter does
            sys.stderr.write(traceback.format_exc())
            code = 1
        sys.stdout.flush()
    return subprocess.CompletedProcess(
        ["acvnum", *argv], code, _read(out, "strict"), _read(err, "backslashreplace")
    )


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a YAML text to a temporary file and return its path."""

    def write(text: str, name: str = "service.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def engine_calls(monkeypatch) -> list[int]:
    """The rows of each engine evaluation the levers and variants make, in order (a lever
    run is judged by how few passes it takes, not by a clock)."""
    import acvnum.analysis.levers as levers_module
    import acvnum.analysis.variants as variants_module

    calls: list[int] = []
    for module in (levers_module, variants_module):
        real = module.evaluate_totals

        def counting(arrays, factors, real=real):
            calls.append(arrays.count)
            return real(arrays, factors)

        monkeypatch.setattr(module, "evaluate_totals", counting)
    return calls


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
#: MINIMAL as the YAML reader gives it (a dict: copy it before changing it).
MINIMAL_DATA = yaml.safe_load(MINIMAL)

#: examples/ecommerce.yaml with its name and its first server's ('web') written to harm each
#: output: an escape sequence, a right-to-left override, a newline, '|' and a tag.
NASTY_SHOP = (
    (EXAMPLES / "ecommerce.yaml")
    .read_text(encoding="utf-8")
    .replace("- name: web\n", '- name: "w<script>|\\u202e\\x1b[5m\\nX"\n')
    .replace("name: Boutique en ligne\n", 'name: "S<script>|\\u202e\\x1b[2J\\nY"\n')
)


def record_shape(value: Any) -> Any:
    """Records as nested tuples that tell 1 from 1.0 and a default from an answer."""
    from acvnum.questionnaire import records, units  # once per call, not per level

    def shape(value: Any) -> Any:
        if isinstance(value, records.Record):
            fields = tuple((name, shape(v)) for name, v in value.items())
            return (type(value).__name__, tuple(sorted(value.given)), fields)
        if isinstance(value, list):
            return ("list", tuple(shape(v) for v in value))
        if isinstance(value, units.Frequency):
            return ("Frequency", shape(value.count), shape(value.per_seconds))
        if isinstance(value, float) and value != value:
            return ("nan",)
        return (type(value).__name__, repr(value))

    return shape(value)


#: Questionnaires the plain reader took that the models refused or read otherwise.
PLAIN_DISAGREEMENTS: list[str] = []
#: One item per questionnaire the plain reader took and the models checked.
PLAIN_CHECKED: list[int] = []


@pytest.fixture(autouse=True, scope="session")
def plain_reader_checked_by_the_models():
    """Every questionnaire the suite reads in this process through the plain reader is read
    by the models too (the goldens', the commands', the API's...): the plain reader must
    give the records they give, and never take what they refuse."""
    import copy

    from acvnum.errors import InputError
    from acvnum.questionnaire import models, plain
    from acvnum.questionnaire.yaml_reader import Document

    real = plain.read

    def checked(data: Any) -> Any:
        read = real(data)
        if read is None:
            return None
        PLAIN_CHECKED.append(1)
        try:
            expected = models.validate(Document("check.yaml", copy.deepcopy(data)))
        except InputError as error:
            PLAIN_DISAGREEMENTS.append(f"taken, refused by the models: {data!r}: {error}")
            return read
        if record_shape(read) != record_shape(expected):
            PLAIN_DISAGREEMENTS.append(f"read otherwise: {data!r}")
        return read

    plain.read = checked
    yield
    plain.read = real
    assert not PLAIN_DISAGREEMENTS, PLAIN_DISAGREEMENTS[:3]


#: Files the fast path read otherwise than the reference path (block reader, plain reader).
FAST_DISAGREEMENTS: list[str] = []


@pytest.fixture(autouse=True, scope="session")
def fast_path_checked_by_the_reference_path():
    """Every file the suite reads through the fast path is read the reference way too (and
    so by the models, above): the fast path must give the records it gives, and never take
    a file it declines."""
    from acvnum.errors import InputError
    from acvnum.questionnaire import fast_path, plain
    from acvnum.questionnaire.service import _normalise
    from acvnum.questionnaire.yaml_reader import parse_yaml

    real = fast_path.read

    def checked(text: str) -> Any:
        read = real(text)
        if read is None:
            return None
        try:
            document = parse_yaml(text, "check.yaml")
        except InputError as error:
            FAST_DISAGREEMENTS.append(f"taken, refused by the YAML reader: {text!r}: {error}")
            return read
        _normalise(document)
        expected = plain.read(document.data)
        if expected is None or record_shape(read) != record_shape(expected):
            FAST_DISAGREEMENTS.append(f"read otherwise: {text!r}")
        return read

    fast_path.read = checked
    yield
    fast_path.read = real
    assert not FAST_DISAGREEMENTS, FAST_DISAGREEMENTS[:3]


def with_gaps(result: Any, **gaps: tuple[str, ...]) -> Any:
    """A service's result with these activities without a factor, criterion by criterion
    (the coverage statement's cases, in the section's tests and the Markdown report's)."""
    from acvnum.calculation.coverage import Coverage  # the package waits for the tests

    criteria = {
        cid: replace(c, coverage=Coverage((), gaps[cid])) if cid in gaps else c
        for cid, c in result.criteria.items()
    }
    return replace(result, criteria=criteria)


#: Activities a water-use gap is given for in those tests.
WATER = ("network.manufacturing.fixed", "network.manufacturing.box", "terminals.use.laptop")
