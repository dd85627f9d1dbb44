"""`acvnum init [PATH]`: the questionnaire asked interactively, written as a commented YAML file.

Questions go to stdout and answers come from stdin, line by line, so that a script (or a
test) can answer them; a bad answer is explained and asked again.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acvnum.commands.common import (
    LANG_HELP,
    Lang,
    cannot_write,
    fail,
    input_errors,
    language,
    refuse_to_overwrite,
    replace_file,
    speak,
    write_file,
)
from acvnum.errors import ExitCode, Refused, message
from acvnum.escaping import terminal
from acvnum.i18n import Translator
from acvnum.questionnaire.units import as_written

if TYPE_CHECKING:
    from acvnum.questionnaire.interview import Answers, Question
    from acvnum.reference.factors import FactorTable

PathArgument = Annotated[
    Path, typer.Argument(help="The questionnaire file to write.", show_default=True)
]
InitLangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help=f"Language of the questions and of the file's comments {LANG_HELP}."
    ),
]
InitForceOption = Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")]
NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Ask nothing: write the template with the defaults.")
]


#: No answer needs more; `acvnum init < /dev/zero` would otherwise read until memory runs out.
MAX_ANSWER_CHARS = 1000
#: Refused answers to one question before giving up (`yes | acvnum init` would loop for ever).
MAX_ATTEMPTS = 10


def _read_line(t: Translator) -> str | None:
    """One answer of at most MAX_ANSWER_CHARS, or None when stdin has ended."""
    try:
        line = sys.stdin.readline(MAX_ANSWER_CHARS + 1)
        line.encode("utf-8")  # stdin may decode bad bytes as lone surrogates
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise fail(t("init.not_utf8")) from None
    if len(line) > MAX_ANSWER_CHARS:
        raise fail(t("init.too_long", count=MAX_ANSWER_CHARS))
    if line and not sys.stdin.isatty():  # a readable transcript, which the terminal shows:
        sys.stdout.write(terminal(line.rstrip("\r\n")) + "\n")  # no escape acts on it
    return None if line == "" else line.rstrip("\r\n")


def _ask(question: Question, answers: Answers, lang: str, t: Translator) -> str:
    """Ask until the answer is accepted; an empty line takes the default."""
    default, shown = question.default(answers, lang), question.prompt_default(answers, lang)
    for _ in range(MAX_ATTEMPTS):
        label = f"{question.number} " if question.number else ""
        if question.key != "name":  # a name is the user's text, shown as it is
            shown = _in_language(shown, lang)
        sys.stdout.write(
            t("init.ask", label=label, question=t(f"init.{question.key}.prompt"), default=shown)
        )
        sys.stdout.flush()
        line = _read_line(t)
        if line is None:
            sys.stdout.write("\n")
            raise fail(t("init.eof"))
        try:
            text = line.strip() or default
            # Numbers as the user wrote them ('50 000', '2,5 Mo' in French), kept in the file
            # in the form every language reads; a name is free text and stays as typed; ''
            # (Enter on a question whose default the file leaves out) stays ''.
            if question.key != "name" and text:
                text = as_written(text, comma=lang == "fr")
            return question.check(text, answers, t)
        except Refused as refused:
            sys.stdout.write(terminal(t("init.refused", reason=refused)) + "\n")  # quotes it
    raise fail(t("init.gave_up", count=MAX_ATTEMPTS))


#: A number of a default answer ('1000', '2.5'), and a share's or a pair's sign after it.
_NUMBER = re.compile(r"(?<![\w,.])(\d+)(?:\.(\d+))?(?![\w,.])")


def _in_language(default: str, lang: str) -> str:
    """A default as the prompt shows it: in French, the way French writes it ('1 000',
    '2,5 Mo', 'smartphone\u202f: 60\u202f%'), which the answer's reader takes back as typed; Enter
    keeps the default itself."""
    if lang != "fr":
        return default

    def french(match: re.Match[str]) -> str:
        grouped = f"{int(match[1]):,}".replace(",", "\u202f")
        return grouped + ("," + match[2] if match[2] else "")

    shown = _NUMBER.sub(french, default)
    return re.sub(r"(?<=\d)%", "\u202f%", shown).replace(": ", "\u202f: ")


def _interview(regions: list[str], lang: str, t: Translator) -> Answers:
    from acvnum.questionnaire.interview import questions  # the models: see init()

    sys.stdout.write(t("init.intro") + "\n\n")
    answers: Answers = {}
    for question in questions(regions):
        if question.asked(answers):
            answers[question.key] = _ask(question, answers, lang, t)
    return answers


def _no_server(answers: Answers) -> bool:
    """Neither virtual nor physical servers: the data-centre tier will hold storage only."""
    counts = (answers.get("virtual_servers", "0"), answers.get("physical_servers", "0"))
    return all(count.strip() in ("0", "") for count in counts)


def _write_checked(path: Path, text: str, table: FactorTable) -> None:
    """Write only a file that `acvnum validate` accepts (a refusal here would be a bug)."""
    # loading a service needs numpy: not for `acvnum --help`, which imports every command
    from acvnum.questionnaire.service import load_service

    target = Path(os.path.realpath(path))  # as --output: a link's file, not the link
    draft = target.with_name(f".{target.name}.draft")
    try:
        write_file(draft, text, shown=path)
        with input_errors():
            load_service(draft, table)
        replace_file(draft, target)
    finally:
        with suppress(OSError):  # a draft that could not be written may not be removable
            draft.unlink(missing_ok=True)


def init(
    path: PathArgument = Path("service.yaml"),
    lang: InitLangOption = None,
    force: InitForceOption = False,
    no_input: NoInputOption = False,
) -> None:
    """Answer the ten questions and get a commented questionnaire that acvnum validate accepts.

    Each question shows its default in [brackets]; Enter keeps it. Ctrl-C stops without
    writing anything: exit code 130 (as shells expect after Ctrl-C); a bad or missing
    answer that cannot be asked again, or an existing PATH, exit code 2.
    """
    # the interview checks answers with the models (pydantic's machinery): only for `init`
    from acvnum.questionnaire.interview import defaults, render_yaml

    # the factor tables need numpy: not loaded by `acvnum --help`, which imports every command
    from acvnum.reference.factors import load_factors

    code = language(lang)
    speak(code)
    t = Translator(code)
    if path.is_dir():  # before any question: no answer could be written there
        raise cannot_write(path, message("output.is_directory"))
    if not path.parent.is_dir():
        raise fail(t("init.no_directory", directory=path.parent))
    if path.exists() and not force:  # a pipe or a device too: the file is renamed over it
        raise fail(message("output.exists", path=str(path)))
    refuse_to_overwrite(path, force)  # a link loop, which exists() calls absent
    table = load_factors()
    regions = table.regions()
    try:
        answers = defaults(regions, code) if no_input else _interview(regions, code, t)
    except KeyboardInterrupt:
        sys.stdout.write("\n" + t("init.interrupted") + "\n")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    if _no_server(answers):
        sys.stdout.write(t("init.no_server") + "\n")
    _write_checked(path, render_yaml(answers, t), table)
    sys.stdout.write(("" if no_input else "\n") + t("init.written", path=path) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(init)
