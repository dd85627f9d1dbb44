"""The typer app: thin commands that call the core and hand a result to a renderer.

Each command lives in `acvnum/commands/`; this module only assembles them. Only the command
being run is imported and registered (every one for help), so a run pays for one command.
"""

from __future__ import annotations

import gc
import importlib
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any, get_args, get_origin

import typer
from typer import core

from acvnum import __version__
from acvnum.commands.common import speak, spoken
from acvnum.commands.usage_errors import argv_language, speak_usage_errors
from acvnum.errors import ExitCode, message

# typer's own helpers (0.29), loaded with typer; another typer may lack them.
try:
    from typer._display import _escape_control_characters
except ImportError:  # a message then keeps its terminal controls (_escaped)
    _escape_control_characters = None
try:
    from typer._click.exceptions import BadParameter
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # paths and choices then go through typer's adapter (_direct)
    coerce_cli_path = None

#: Command name -> module in acvnum.commands, in the order help lists them.
COMMANDS = {
    "estimate": "estimate",
    "validate": "validate",
    "schema": "schema_cmd",
    "factors": "factors_cmd",
    "init": "init",
    "check": "check",
    "diff": "diff",
    "method": "method_cmd",
}

#: Help shows what to type, not Python's types: typer (0.2x) prints '<list[Path]>' or
#: '<int range>' beside a parameter; these read as words instead. Choices stay as listed.
HELP_TYPES = {
    "<list[Path]>": "",
    "<list[str]>": "<text>",
    "<str>": "<text>",
    "<int range>": "<n>",
    "<int>": "<n>",
    "<float>": "<number>",
    "<float range>": "<number>",
}


def _words_for_types() -> None:
    """Wrap typer's help type display with HELP_TYPES (a no-op where typer has none)."""
    for kind in (core.TyperArgument, core.TyperOption):
        shown = getattr(kind, "display_type", None)
        if shown is None or getattr(shown, "in_words", False):
            continue

        def display_type(self, ctx, shown=shown):  # type: ignore[no-untyped-def]
            label = shown(self, ctx)
            return HELP_TYPES.get(label, label)

        display_type.in_words = True  # type: ignore[attr-defined]
        kind.display_type = display_type  # type: ignore[method-assign]


_words_for_types()

#: pydantic's wording of a refused option value, as a user would read it. Patterns as
#: text, compiled (and kept by re) on the first refusal: a run without one compiles none.
_PLAIN_ERRORS = (
    (r"^Value error, ", ""),
    (r"^('[^']*') is not one of (.*)\.$", r"\1 is not a choice; choose one of \2."),
    (r"^Input should be greater than or equal to (\S+)$", r"must be \1 or more."),
    (r"^Input should be less than or equal to (\S+)$", r"must be \1 or less."),
    (r"^Input should be a valid integer.*$", "must be a whole number."),
    (r"^Input should be a valid number.*$", "must be a number."),
)


def _plain_message(message: str) -> str:
    for pattern, replacement in _PLAIN_ERRORS:
        message = re.sub(pattern, replacement, message)
    return message


def _bad_parameter_classes() -> list[type]:
    """click's BadParameter: typer's own copy of click (0.2x) or click itself (older)."""
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).BadParameter)
        except ImportError:
            continue
    return found


def _plain_bad_parameters() -> None:
    """Word click's 'Invalid value' messages without pydantic's phrasing."""
    for kind in _bad_parameter_classes():
        init = kind.__init__
        if getattr(init, "plain", False):
            continue

        def plain_init(self, message, *args, init=init, **kwargs):  # type: ignore[no-untyped-def]
            init(self, _plain_message(str(message)), *args, **kwargs)

        plain_init.plain = True  # type: ignore[attr-defined]
        kind.__init__ = plain_init


_plain_bad_parameters()


def _escaped(text: str) -> str:
    """typer's escaping of terminal controls in a message (the text as is without it)."""
    return text if _escape_control_characters is None else _escape_control_characters(text)


def _empty_path() -> str:
    """The refusal of a path given as '' in English, as click words its errors (the
    catalogue's text: usage_errors gives it in the run's language)."""
    return message("click_usage.value.empty_path").render("en")


def _direct(descriptor: Any) -> Callable[[Any, Any, Any], Any] | None:
    """typer's own conversion of a path, a choice or a list of either, called without the
    pydantic TypeAdapter typer wraps it in; None for any other parameter (or a typer
    without these functions), which goes through typer's adapter.

    The adapter only calls typer's `coerce_cli_path` or `coerce_cli_choice` (and pydantic's
    `Path(text)`), but importing typer._adapters and building two adapters is some 40 ms
    of an `estimate`, for the files and --format every run names. Messages stay typer's:
    a refused choice reads as the adapter's 'Value error, ...', then _plain_message's.
    """
    if coerce_cli_path is None:
        return None
    info = getattr(descriptor, "parameter_info", None)
    annotation = getattr(descriptor, "annotation", None)
    if info is None:
        return None
    listed = get_origin(annotation) is list
    leaf = get_args(annotation)[0] if listed else annotation
    if getattr(info, "parser", None) is not None or not isinstance(leaf, type):
        return None
    if leaf is Path and getattr(info, "path_type", None) is None:

        def one(value: Any, param: Any, ctx: Any) -> Any:
            if value == "":  # Path("") is Path("."): `acvnum estimate "$UNSET"` would read
                raise BadParameter(_empty_path(), ctx=ctx, param=param)  # this folder
            path = value if isinstance(value, Path) else Path(value)
            return coerce_cli_path(path, info, path_type=Path, param=param, ctx=ctx)

    elif issubclass(leaf, Enum):
        choices, case_sensitive = tuple(leaf), info.case_sensitive

        def one(value: Any, param: Any, ctx: Any) -> Any:
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=case_sensitive, ctx=ctx
                )
            except ValueError as error:
                raise BadParameter(
                    _escaped(f"Value error, {error}"), ctx=ctx, param=param
                ) from error

    else:
        return None
    if not listed:
        return one

    def each(value: Any, param: Any, ctx: Any) -> list[Any]:
        if isinstance(value, str):  # as typer's RuntimeParam.coerce refuses it
            raise BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        items = value if isinstance(value, list | tuple) else [value]
        return [one(item, param, ctx) for item in items]

    return each


class _LazyCoercion:
    """typer's conversion of one parameter's value, built only for a value that needs one.

    typer (0.29) builds a pydantic TypeAdapter for every parameter of the command run, given
    or not: some 5 ms each, about 0.1 s of an `estimate` that names two of fifteen options.
    An absent value (None) and a parameter's own default need no conversion; a path or a
    choice goes through typer's own checks (`_direct`); anything else the user typed
    through typer's adapter, with its messages.
    """

    def __init__(self, descriptor: object, build: object) -> None:
        self.descriptor = descriptor
        self.build = build
        self.built: object | None = None
        self.direct = _direct(descriptor)

    def coerce(self, value: object, param: object, ctx: object) -> object:
        if value is None:  # as typer's RuntimeParam.coerce answers it, without the adapter
            multiple = getattr(param, "multiple", False) or getattr(param, "nargs", 1) == -1
            return () if multiple else None
        annotation = getattr(self.descriptor, "annotation", None)
        if type(value) is annotation and value == getattr(param, "default", None):
            return value
        if self.direct is not None:
            return self.direct(value, param, ctx)
        if self.built is None:
            self.built = self.build(self.descriptor)  # type: ignore[operator]
        return self.built.coerce(value, param=param, ctx=ctx)  # type: ignore[attr-defined]


def _lazy_coercion() -> None:
    """Make typer build a parameter's converter only when a value needs it (a no-op with a
    typer that has no `build_runtime_param`: it then stays as it is, only slower)."""
    build = getattr(core, "build_runtime_param", None)
    if build is None or getattr(build, "lazy", False):
        return

    def lazy(descriptor: object) -> _LazyCoercion:
        return _LazyCoercion(descriptor, lazy.real)  # type: ignore[attr-defined]

    lazy.lazy = True  # type: ignore[attr-defined]
    lazy.real = build  # type: ignore[attr-defined]
    core.build_runtime_param = lazy  # type: ignore[assignment]


_lazy_coercion()

app = typer.Typer(
    name="acvnum",
    help="Simplified multi-criteria life-cycle assessment (ACV) of a digital service.",
    epilog="Exit codes: 0 success; 1 a budget or baseline exceeded (check); 2 bad input or "
    "usage, with file:line:column; 130 stopped by Ctrl-C (init writes nothing).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"acvnum {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """acvnum: the footprint of a digital service from a ten-question YAML file."""


def commands_for(argv: list[str]) -> list[str]:
    """The command named on the command line, or all of them (for help and usage errors)."""
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    return [named] if named in COMMANDS else list(COMMANDS)


def register(names: list[str]) -> typer.Typer:
    for name in names:
        importlib.import_module(f"acvnum.commands.{COMMANDS[name]}").register(app)
    return app


def tune_gc() -> None:
    """A run builds many objects that live to its end and few reference cycles, so the
    collector's default pace mostly rescans survivors: freeze what the imports made and
    collect less often. On 1,000 services the collector took 0.70 s of 4.96 s (805 passes);
    tuned, 0.13 s (3 passes), with the same peak memory."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    gc.enable()  # `python -m acvnum` imports with it off (acvnum.__main__)


def skip_pydantic_plugins() -> None:
    """Build the command's validators without looking for pydantic plugins.

    On its first model pydantic imports `pydantic.plugin._loader`, which imports
    importlib.metadata (and email, zipfile, csv...) to read every installed package's entry
    points: some 15 ms of a 0.5 s `estimate`, for plugins (tracing, logging) that have no
    use in a command-line run. Only `run()` calls this, so a notebook importing acvnum keeps
    its plugins; a loader already imported (a plugin in use) is left as it is. The stand-in
    answers as the real one does with PYDANTIC_DISABLE_PLUGINS=__all__.
    """
    name = "pydantic.plugin._loader"
    if name in sys.modules:
        return
    loader = ModuleType(name, "acvnum's stand-in: no pydantic plugins in a command-line run")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[name] = loader


def _shows_help(argv: list[str]) -> bool:
    """Whether this run may write a help page (--help, or no command at all), or an earlier
    run in the same process (the tests') already made help speak a language."""
    return not argv or "--help" in argv or "acvnum.commands.help_words" in sys.modules


def run() -> None:
    skip_pydantic_plugins()
    speak(None)  # a run in the same process as another (the tests') starts from the locale
    speak_usage_errors(sys.argv[1:], spoken())
    if _shows_help(sys.argv[1:]):
        from acvnum.commands.help_words import speak_help  # help pages only pay for it

        speak_help(argv_language(sys.argv[1:]) or spoken())
    app = register(commands_for(sys.argv[1:]))
    tune_gc()
    streams = sys.stdout, sys.stderr
    try:
        app()
    except SystemExit as done:
        # click ends a run whose reader went away (`| head -1`) with exit 1, acvnum's "over
        # budget", after wrapping both streams; say it as the output problem it is: exit 2.
        if done.code == 1 and (sys.stdout, sys.stderr) != streams:
            raise SystemExit(ExitCode.BAD_INPUT) from None
        raise
