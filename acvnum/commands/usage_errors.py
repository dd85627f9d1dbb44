"""click's usage errors (an unknown option, a missing argument, a bad value) in the run's
language: typer's click writes them in English, before any command has read --lang."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

from typer._click import exceptions  # typer >= 0.29 ships its own click
from typer._click.utils import echo

from acvnum.i18n import Translator

#: Our plain English wording of a refused option value (cli._PLAIN_ERRORS) -> catalogue key.
#: Patterns as text, compiled (and kept by re) on the first error: a run without one
#: compiles none.
_PLAIN = (
    (r"^(?P<value>'[^']*') is not a choice; choose one of (?P<choices>.*)\.$", "choice"),
    (r"^must be (?P<limit>\S+) or more\.$", "at_least"),
    (r"^must be (?P<limit>\S+) or less\.$", "at_most"),
    (r"^must be a whole number\.$", "integer"),
    (r"^must be a number\.$", "number"),
    (r"^an empty path names no file or folder \(.*\)\.$", "empty_path"),  # cli._empty_path
)


def argv_language(argv: Sequence[str]) -> str | None:
    """The --lang the command line names ('--lang fr', '--lang=fr'), read before click
    parses it: a usage error stops the parse before the option is read."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in ("en", "fr") else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in ("en", "fr") else None
    return None


def _hint(error: Any) -> str:
    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _value_message(message: str, t: Translator) -> str:
    for pattern, key in _PLAIN:
        match = re.match(pattern, message)
        if match:
            return t(f"click_usage.value.{key}", **match.groupdict())
    return message


def message(error: Any, t: Translator) -> str:
    """The error's sentence in `t`'s language (click's English for a kind we do not word)."""
    if isinstance(error, exceptions.NoSuchOption):
        said = t("click_usage.no_such_option", option=error.option_name)
        if error.possibilities:
            said += " " + t("click_usage.possible", options=", ".join(sorted(error.possibilities)))
        return said
    if isinstance(error, exceptions.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "")
        key = "click_usage.missing_option" if kind == "option" else "click_usage.missing_argument"
        return t(key, name=_hint(error))
    if isinstance(error, exceptions.BadParameter):
        return t(
            "click_usage.invalid_value", name=_hint(error), message=_value_message(error.message, t)
        )
    return error.format_message()


def show_in(lang: str, original: Any) -> Any:
    """A UsageError.show that speaks `lang` (English: click's own)."""
    if lang == "en":
        return original

    def show(self: Any, file: IO[Any] | None = None) -> None:
        t = Translator(lang)
        if self.ctx is not None:
            usage = self.ctx.get_usage().replace("Usage:", t("click_usage.usage"), 1)
            hint = t(
                "click_usage.try",
                command=self.ctx.command_path,
                option=self.ctx.help_option_names[0],
            )
            echo(f"{usage}\n{hint}\n", file=file, err=file is None)
        echo(t("click_usage.error", message=message(self, t)), file=file, err=file is None)

    return show


def speak_usage_errors(argv: Sequence[str], spoken: str) -> None:
    """Word click's usage errors in the run's language (--lang, else the locale's)."""
    original = getattr(exceptions.UsageError.show, "original", exceptions.UsageError.show)
    show = show_in(argv_language(argv) or spoken, original)
    if show is not original:
        show.original = original  # type: ignore[attr-defined]
    exceptions.UsageError.show = show
