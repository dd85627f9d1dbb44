"""The command line end to end: every command run as a real `python -m acvnum` subprocess
gives the same stdout, stderr and exit code as the in-process `run_cli` most tests use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, after_estimate, run_cli_in_process, run_cli_process

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")
BAD = ROOT / "tests" / "inputs" / "bad"

# One or more runs per command: success, bad input (exit 2), usage errors (click names the
# program), help, and what only a fresh process shows (stdin, the working directory).
RUNS = {
    "version": ["--version"],
    "no-command": [],
    "unknown-command": ["estimat", "x.yaml"],
    "help": ["--help"],
    "estimate-text": ["estimate", ECOMMERCE],
    "estimate-fr-markdown": ["estimate", ECOMMERCE, "--lang", "fr", "-f", "markdown"],
    "estimate-json-levers": ["estimate", ECOMMERCE, "-f", "json", "--levers"],
    "estimate-bad-option": ["estimate", ECOMMERCE, "--format", "pdf"],
    "estimate-missing-file": ["estimate", "nowhere.yaml"],
    "validate-ok": ["validate", ECOMMERCE],
    "validate-many-errors": ["validate", str(BAD / "many_errors.yaml")],
    "validate-deep-nesting": ["validate", str(BAD / "deep_nesting.yaml")],
    "schema": ["schema"],
    "factors": ["factors", "--kind", "network"],
    "factors-show": ["factors", "show", "no.such.factor"],
    "factors-help": ["factors", "--help"],
    "check": ["check", ECOMMERCE, "--budget", "climate_change<=1g/visit"],
    "diff": ["diff", ECOMMERCE, str(EXAMPLES / "mobile-app.yaml")],
}


def _seen(result: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr; of a traceback (whose frames differ in a test) only its
    last line, the error itself."""
    stderr = result.stderr
    if "Traceback (most recent call last)" in stderr:
        stderr = "Traceback ... " + stderr.rstrip("\n").rsplit("\n", 1)[-1]
    return result.returncode, result.stdout, stderr


@pytest.mark.parametrize("args", RUNS.values(), ids=RUNS.keys())
def test_in_process_run_is_the_subprocess_run(args):
    assert _seen(run_cli_in_process(*args)) == _seen(run_cli_process(*args))


def test_init_reads_stdin_and_writes_in_the_working_directory(tmp_path):
    """The interview as a script drives it: answers on stdin, a relative output path."""
    answers = "Shop\n\n2000\n" + "\n" * 20
    for name, run in (("inside", run_cli_in_process), ("outside", run_cli_process)):
        (tmp_path / name).mkdir()
        result = run("init", "service.yaml", cwd=tmp_path / name, stdin=answers)
        assert result.returncode == 0, result.stderr
    written = [(tmp_path / name / "service.yaml").read_text() for name in ("inside", "outside")]
    assert written[0] == written[1]
    assert "name: Shop" in written[0]


def test_a_run_leaves_the_test_process_as_it_found_it(tmp_path):
    before = (os.getcwd(), dict(os.environ), sys.argv, sys.stdout, sys.modules["__main__"])
    result = run_cli_in_process("estimate", "absent.yaml", cwd=tmp_path, env={"ACVNUM_PROBE": "1"})
    assert result.returncode == 2
    assert (os.getcwd(), dict(os.environ), sys.argv, sys.stdout, sys.modules["__main__"]) == before


def test_an_uncaught_error_is_a_traceback_and_exit_1(monkeypatch):
    """What the interpreter does with a bug, so tests that assert 'no traceback' can fail."""
    from acvnum.questionnaire import service

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "load_services", broken)
    result = run_cli_in_process("validate", ECOMMERCE)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: a bug" in result.stderr


@pytest.mark.skipif(shutil.which("acvnum") is None, reason="the acvnum script is not installed")
def test_installed_script_runs():
    """The console script pip installs (`acvnum = acvnum.__main__:command`)."""
    done = subprocess.run(
        ["acvnum", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("acvnum ")


def test_options_left_out_build_no_converter(monkeypatch):
    """typer converts only what was typed: a run naming two options builds one converter
    (--levers; the files and the format are a path and a choice, checked by typer's own
    functions without an adapter), not one per option (each a pydantic adapter, ~5 ms), and
    the values the command receives are the same as typer's own."""
    from typer import core

    import acvnum.cli  # noqa: F401 - makes the conversion lazy, as `acvnum` does at start

    lazy = core.build_runtime_param
    assert getattr(lazy, "lazy", False), "acvnum.cli did not make typer's conversion lazy"
    built = []
    build = lazy.real

    def counting(descriptor):
        built.append(descriptor.annotation)
        return build(descriptor)

    monkeypatch.setattr(lazy, "real", counting)
    result = run_cli_in_process("estimate", ECOMMERCE, "--format", "json", "--levers", "0")
    assert result.returncode == 0, result.stderr
    names = sorted(getattr(a, "__name__", str(a)) for a in built)
    assert names == ["int"], names  # --levers 0 is typed, so converted
    assert json.loads(result.stdout)["services"][0]["levers"] == []


def test_lazy_conversion_gives_typer_values_and_messages():
    """None and a parameter's own default pass as they are; a typed value is converted, and
    refused with typer's message, by typer's adapter."""
    from types import SimpleNamespace

    from acvnum.cli import _LazyCoercion
    from acvnum.commands.estimate import Format

    built = []

    def build(descriptor):
        built.append(descriptor)
        return SimpleNamespace(coerce=lambda value, param, ctx: Format(value))

    lazy = _LazyCoercion(SimpleNamespace(annotation=Format), build)
    option = SimpleNamespace(default=Format.text, multiple=False, nargs=1)
    assert lazy.coerce(None, option, None) is None
    assert lazy.coerce(None, SimpleNamespace(multiple=True, nargs=1), None) == ()
    assert lazy.coerce(Format.text, option, None) is Format.text
    assert built == []
    assert lazy.coerce("json", option, None) is Format.json
    assert lazy.coerce(Format.html, option, None) is Format.html  # not the default: converted
    assert len(built) == 1  # built once, then kept
    bad = run_cli_in_process("estimate", ECOMMERCE, "--seed", "x")
    assert bad.returncode == 2 and "'--seed': must be a whole number." in bad.stderr


def test_paths_and_choices_are_typer_s_values_without_an_adapter(tmp_path):
    """The files and a choice go through typer's own path and choice functions: the command
    gets the Paths and the enum member an adapter gives, a missing file or a bad choice is
    refused with the same words, and typer's adapters (and pydantic's types behind them) are
    not imported by a run that types nothing else."""
    from typer.core import TyperArgument

    from acvnum.cli import _direct
    from acvnum.commands.estimate import Format

    def descriptor(annotation, **options):
        from typer._coercion import resolve_type_descriptor
        from typer.models import ArgumentInfo

        return resolve_type_descriptor(annotation, ArgumentInfo(**options))

    files = _direct(descriptor(list[Path]))
    param = TyperArgument(param_decls=["files"], nargs=-1, type_descriptor=None)
    assert files(("a.yaml", "b"), param, None) == [Path("a.yaml"), Path("b")]
    choice = _direct(descriptor(Format))
    assert choice("json", param, None) is Format.json
    with pytest.raises(Exception, match=r"'pdf' is not a choice; choose one of 'text'"):
        choice("pdf", param, None)
    existing = _direct(descriptor(Path, exists=True))
    assert existing(str(tmp_path), param, None) == tmp_path
    with pytest.raises(Exception, match="does not exist"):
        existing(str(tmp_path / "gone"), param, None)
    assert _direct(descriptor(int)) is None and _direct(descriptor(list[str])) is None
    script = (
        "import atexit, sys; from acvnum.__main__ import main\n"
        "atexit.register(lambda: print('typer._adapters' in sys.modules, file=sys.stderr))\n"
        f"sys.argv = ['acvnum', 'estimate', {str(ECOMMERCE)!r}, '--format', 'json']\n"
        "main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr.strip() == "False", done.stderr


def _after_json_estimate(probe: str, fmt: str = "json") -> str:
    """What `probe` (an expression) is worth when a fresh `estimate --format FMT` ends."""
    return after_estimate(probe, ECOMMERCE, fmt)


def _not_in_the_floor(modules: tuple[str, ...]) -> tuple[str, ...]:
    """`modules` less those the libraries import themselves (numpy before 2.0 imports numpy.ma
    with numpy): acvnum can only leave out what the import floor does not load."""
    floor = "import sys, numpy, pydantic, rich, typer, yaml; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", floor], capture_output=True, text=True)
    loaded = set(done.stdout.split())
    return tuple(m for m in modules if m not in loaded)


def test_a_json_estimate_leaves_out_what_it_does_not_use():
    """Start-up (issue 9): no pydantic plugin search (importlib.metadata), no numpy.ma (which
    np.unique imports; numpy 1.x loads it with numpy), no rich, and no signature parsed from
    text (tokenize's patterns, compiled on first use, some 8 ms), and no pydantic model
    machinery: a valid file is read by the plain reader (questionnaire.plain), some 0.1 s."""
    unused = _not_in_the_floor(
        ("importlib.metadata", "numpy.ma", "rich.console", "pydantic.main", "pydantic.fields")
    )
    probe = f"[m for m in {unused!r} if m in sys.modules]"
    assert _after_json_estimate(probe) == "[]"
    tokenize_patterns = "sys.modules['tokenize']._compile.cache_info().currsize"
    assert _after_json_estimate(tokenize_patterns) == "0"
    # the text report does without the diff's module (only `diff` and `--baseline` use it)
    # and without rich's table of emoji codes (no text of ours is read as markup)
    unused = _not_in_the_floor(
        (
            "importlib.metadata",
            "numpy.ma",
            "acvnum.analysis.comparison",
            "rich._emoji_codes",
            "pydantic.main",
        )
    )
    probe = f"[m for m in {unused!r} if m in sys.modules]"
    assert _after_json_estimate(probe, "text") == "[]"


def test_pydantic_plugins_are_skipped_only_by_a_command_line_run():
    """A notebook importing acvnum keeps pydantic's plugin loader; `run()` puts a stand-in
    that finds none, and leaves a loader already imported as it is."""
    script = (
        "import sys; import acvnum.questionnaire.models\n"
        "print(hasattr(sys.modules['pydantic.plugin._loader'], '__file__'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "True", done.stderr
    assert _after_json_estimate("sys.modules['pydantic.plugin._loader'].get_plugins()") == "()"
    # In a fresh process: this one's loader may already be a stand-in (in-process CLI runs).
    script = (
        "import sys, pydantic.plugin._loader as real\n"
        "from acvnum.cli import skip_pydantic_plugins\n"
        "skip_pydantic_plugins()\n"
        "print(sys.modules['pydantic.plugin._loader'] is real, hasattr(real, '__file__'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_a_run_imports_without_the_collector_then_runs_it_tuned():
    """Start-up makes no garbage worth a pass (it took some 23, 5 ms, before the command
    ran): `main()` turns the collector off until cli.tune_gc turns it on, tuned."""
    script = (
        "import atexit, gc, sys; from acvnum.__main__ import main\n"
        "before = gc.get_stats()[0]['collections']\n"
        "atexit.register(lambda: print(gc.isenabled(), gc.get_threshold()[0],"
        " gc.get_stats()[0]['collections'] - before, file=sys.stderr))\n"
        f"sys.argv = ['acvnum', 'estimate', {ECOMMERCE!r}, '--format', 'json']\n"
        "main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    enabled, threshold, passes = done.stderr.split()
    assert (enabled, threshold) == ("True", "100000")
    assert int(passes) < 3


#: What every path parameter says of '' (an unset shell variable: `acvnum estimate "$FILE"`).
EMPTY_PATH = "an empty path names no file or folder (it would be read as the current folder)."


@pytest.mark.parametrize(
    "args",
    [
        ("estimate", ""),
        ("estimate", ECOMMERCE, "", "-f", "json"),
        ("estimate", ECOMMERCE, "--factors", ""),
        ("estimate", ECOMMERCE, "-o", ""),
        ("check", ECOMMERCE, "--baseline", ""),
        ("diff", "", ECOMMERCE),
        ("init", "", "--no-input"),
        ("schema", "-o", ""),
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(args, tmp_path):
    # Path('') is Path('.'): before, `estimate ''` assessed every YAML file of the current
    # folder, and the others spoke of '.' ('cannot write .: it is a directory').
    shutil.copy(ECOMMERCE, tmp_path / "here.yaml")
    result = run_cli_in_process(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith(f": {EMPTY_PATH}")
    assert sorted(os.listdir(tmp_path)) == ["here.yaml"]  # nothing written here


def test_an_empty_path_is_refused_in_french_too(tmp_path):
    result = run_cli_in_process("estimate", "", "--lang", "fr", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Erreur\u202f: valeur refusée pour 'files'\u202f: un chemin vide ne désigne ni fichier ni "
        "dossier (il serait lu comme le dossier courant)."
    )
