"""Help in the run's language (--lang, else LC_ALL/LC_MESSAGES/LANG): command summaries,
option help, the epilog, section titles and typer's '[default: …]' from the catalogue.

typer (0.29) writes help with its own copy of click, in English. Nothing here runs unless a
help page is written: `speak_help` only records the language and wraps the formatting, so a
run that prints a report pays nothing for it. Each text is looked up as `cli_help.<command>`
(the summary), `cli_help.<command>.<parameter>`, then `cli_help.option.<parameter>` for an option
several commands share; the code's own help text stays as the fallback of a parameter
the catalogue does not know (tests/commands/test_help.py keeps both catalogues complete).
"""

from __future__ import annotations

from typing import Any

from typer import core
from typer._click import core as click_core
from typer._click import formatting

from acvnum.i18n import Translator

#: The program's own name: the root command's catalogue prefix.
ROOT = "acvnum"
#: typer's own words (its `gettext` msgids) -> catalogue key.
_TYPER_WORDS = {
    "Arguments": "cli_help.heading.arguments",
    "Options": "cli_help.heading.options",
    "Commands": "cli_help.heading.commands",
    "default: {default}": "cli_help.default",
    "required": "cli_help.required",
    "env var: {var}": "cli_help.env_var",
}
#: What a parameter takes, as help shows it beside the option (see cli.HELP_TYPES).
_METAVARS = {"<text>": "cli_help.metavar.text", "<path>": "cli_help.metavar.path"}

_language = {"lang": "en"}


def help_language() -> str:
    return _language["lang"]


def speak_help(lang: str) -> None:
    """Write every help page of this run in `lang` (once wrapped, each run only sets it)."""
    _language["lang"] = lang
    if getattr(click_core.Command.get_help, "spoken", False):
        return
    core._ = _typer_word  # type: ignore[attr-defined]
    click_core.Command.get_help = _spoken_get_help(click_core.Command.get_help)
    formatting.HelpFormatter.write_usage = _spoken_usage(formatting.HelpFormatter.write_usage)
    formatting.HelpFormatter.write_heading = _write_heading
    for kind in (core.TyperArgument, core.TyperOption):
        kind.display_type = _spoken_type(kind.display_type)  # type: ignore[method-assign]


def _typer_word(msgid: str) -> str:
    key = _TYPER_WORDS.get(msgid)
    return msgid if key is None else Translator(help_language()).messages[key]


def _spoken_get_help(original: Any) -> Any:
    def get_help(self: Any, ctx: Any) -> str:
        t = Translator(help_language())
        name = ROOT if ctx.parent is None else ctx.info_name
        speak_command(self, name, t, ctx)
        for sub_name, sub in getattr(self, "commands", {}).items():
            speak_command(sub, sub_name, t, None)
        return original(self, ctx)

    get_help.spoken = True  # type: ignore[attr-defined]
    return get_help


def _spoken_usage(original: Any) -> Any:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = Translator(help_language())("click_usage.usage") + " "
        original(self, prog, args, prefix)

    return write_usage


def _spoken_type(original: Any) -> Any:
    def display_type(self: Any, ctx: Any) -> str:
        label = original(self, ctx)
        key = _METAVARS.get(label)
        return label if key is None else Translator(help_language()).messages[key]

    return display_type


def _write_heading(self: Any, heading: str) -> None:
    """'Options:' in English, 'Options\u202f:' in French (the language's colon)."""
    colon = Translator(help_language()).label(heading).rstrip()
    self.write(f"{'':>{self.current_indent}}{colon}\n")


def speak_command(command: Any, name: str, t: Translator, ctx: Any) -> None:
    """Put the catalogue's words for `name` on a click command and its parameters (the
    help option's too when `ctx` is given)."""
    messages = t.messages
    summary = f"cli_help.{name}"
    if summary in messages:
        command.help = messages[summary]
        # a command list shows the first paragraph whole (wrapped), not cut with '...'
        command.short_help = messages[summary].split("\n\n")[0].replace("\n", " ")
    if f"{summary}.epilog" in messages:
        command.epilog = messages[f"{summary}.epilog"]
    params = list(command.params)
    if ctx is not None:
        helper = command.get_help_option(ctx)
        params += [helper] if helper is not None else []
    for param in params:
        said = parameter_help(name, param.name, t)
        if said is not None:
            param.help = said


def parameter_help(command: str, parameter: str, t: Translator) -> str | None:
    """A parameter's help: the command's own, else the one its commands share."""
    for key in (f"cli_help.{command}.{parameter}", f"cli_help.option.{parameter}"):
        if key in t.messages:
            return t.messages[key]
    return None
