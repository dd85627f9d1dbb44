"""The exit codes and every exception acvnum reports to a user, kept apart so catching them
costs no import of the numpy-heavy modules that raise them.

Every such exception derives from AcvnumError, which carries the exit code a command ends
with. The exceptions raised and caught inside one package to change course (a fast path
declining a file, a reader giving up on an unusual document, a lever with no array twin)
never reach a user: they stay where they are raised (tests/test_errors.py lists them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar

from acvnum.words import Figure, Words, catalogue


class ExitCode(IntEnum):
    """The process exit codes, named once: CI pipelines depend on them."""

    OK = 0
    BUDGET_EXCEEDED = 1
    BAD_INPUT = 2
    #: Stopped by Ctrl-C (128 + SIGINT, as shells report it): `init` writes nothing then.
    INTERRUPTED = 130


class AcvnumError(Exception):
    """The base of every error acvnum reports to a user: an API caller catches this one class,
    and a command ends with the error's own `exit_code`, not one chosen where it is caught."""

    exit_code: ClassVar[ExitCode] = ExitCode.BAD_INPUT


@dataclass(frozen=True)
class Message:
    """A sentence for a user, kept as a catalogue key and its arguments until the edge shows
    it in the run's language: the code that finds a problem does not know the language.

    An argument may be a Message (rendered in the same language), a tuple of them (listed
    with commas) or a number (written in the language's convention by its format spec).
    `str()` is the English.
    """

    key: str
    args: tuple[tuple[str, object], ...] = ()

    def render(self, lang: str = "en") -> str:
        """The message in `lang`: its template from the catalogue, its arguments rendered
        in the same language (numbers in its convention, by the template's own spec)."""
        arguments = {name: _argument(value, lang) for name, value in self.args}
        template = catalogue(lang)[self.key]
        return template.format(**arguments) if arguments else template

    def __str__(self) -> str:
        return self.render("en")


def message(key: str, /, **args: object) -> Message:
    """`message("error.range", what=..., low=1)`: a Message with keyword arguments."""
    return Message(key, tuple(args.items()))


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> Message | str:
    """'did you mean X?' naming the known word closest to `word` (difflib), or nothing ("")
    when none is close: the hint a refusal of an unknown name carries."""
    # Imported here: only a refused name needs it
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return message("error.did_you_mean", name=close[0]) if close else ""


def shown(text: str | Message, lang: str) -> str:
    """A message in `lang`; plain text (a message not yet in the catalogue) as it is."""
    return text.render(lang) if isinstance(text, Message) else text


@dataclass(frozen=True)
class Quantity:
    """A message argument that is a quantity, as its number and unit (made by i18n.quantity):
    each language writes it from the numbers ('2 TB', '2\u00a0To')."""

    parts: Figure | str

    def __str__(self) -> str:
        return Words("en").figure(self.parts)


@dataclass(frozen=True)
class Joined:
    """Message arguments shown one after another with `separator` (a tuple uses ', ')."""

    items: tuple[object, ...]
    separator: str = "; "


def _argument(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Joined):
        return value.separator.join(str(_argument(item, lang)) for item in value.items)
    if isinstance(value, tuple):
        return ", ".join(str(_argument(item, lang)) for item in value)
    if isinstance(value, Quantity):
        return Words(lang).figure(value.parts)
    if lang == "fr" and isinstance(value, int | float) and not isinstance(value, bool):
        return _FrenchNumber(value)
    return value


class _FrenchNumber:
    """A number a French template formats with its English spec ('{total:.1%}'): the same
    digits, a decimal comma, a narrow no-break space for thousands and before '%'."""

    def __init__(self, value: float):
        self.value = value

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        text = text.replace(",", "\u202f").replace(".", ",")
        return text.replace("%", "\u202f%")

    def __str__(self) -> str:
        return format(self, "")


def yaml_value(value: object) -> str:
    """A refused value as the questionnaire's YAML writes it, for a message: 'abc' quoted
    as before, but null, true and {count: 1} rather than Python's None, True and
    {'count': 1}, which a YAML author never wrote."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    return repr(value)


class Refusal(AcvnumError, ValueError):
    """A value refused with a catalogued message. A ValueError, for pydantic turns one raised
    in a validator into its error and keeps the exception in the error's context: the message
    reaches the user in the run's language, not only in English."""

    def __init__(self, key: str | Message, /, **args: object):
        self.message = key if isinstance(key, Message) else message(key, **args)
        super().__init__(self.message)

    def __str__(self) -> str:
        """The message in English; a lone surrogate in it (quoting a str from the API) escaped,
        for pydantic reads this as UTF-8 and raised UnicodeEncodeError at one."""
        text = str(self.message)
        return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int
    column: int
    message: str | Message

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """'file:line:column: message', the message in `lang` (the position reads the same)."""
        return f"{self.file}:{self.line}:{self.column}: {shown(self.message, lang)}"


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, in a total order that reads as the file does: by line and column,
    then by the English message (several at one place: a section's missing keys), then the
    file. A set of problems is iterated in hash order, which differed from run to run when
    only the line and column were compared."""
    return sorted(set(problems), key=lambda p: (p.line, p.column, str(p.message), p.file))


class InputError(AcvnumError):
    """Bad input: one or more problems, all reported at once, exit code 2."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class PathError(Refusal):
    """A path that is not spelled as key.key[index], or that names what the data lacks."""


class UnitError(Refusal):
    """A quantity that cannot be read: wrong unit, missing unit, not a finite number."""


class BudgetSyntaxError(Refusal):
    """A --budget or --tolerance that cannot be read; the message names the text as given."""


class Refused(AcvnumError, ValueError):
    """An `acvnum init` answer the questionnaire would refuse; the message says why, already
    in the interview's language. The interview shows it and asks again."""


class TooManySamples(Refusal):
    """The run would keep more than MAX_SERVICE_SAMPLES service-samples in memory."""


class WhatIfError(Refusal):
    """A --what-if that cannot be applied: the message names the path and what is wrong."""

    @property
    def messages(self) -> tuple[Message, ...]:
        """Each refusal said on its own: this one (WhatIfRefusals: every service's)."""
        return (self.message,)


class WhatIfRefusals(WhatIfError):
    """One what-if refused by several services: each one's message, in the services' order
    (the first is `message`; a user fixing it would otherwise meet the next one run by run)."""

    def __init__(self, refusals: Iterable[WhatIfError]):
        self._messages = tuple(m for refusal in refusals for m in refusal.messages)
        super().__init__(self._messages[0])

    @property
    def messages(self) -> tuple[Message, ...]:
        return self._messages

    def __str__(self) -> str:
        return "\n".join(str(WhatIfError(m)) for m in self._messages)
