"""The questionnaire as an interview: the ten questions of `acvnum init`, each answer checked
at once by the questionnaire's own models, and the commented YAML file they make.

No I/O here: the command asks, this module checks answers and writes the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from acvnum.errors import InputError, Message, Refusal, Refused, message
from acvnum.i18n import Translator
from acvnum.questionnaire import rules, units
from acvnum.questionnaire.models import (
    AI_SIZES,
    VIDEO_QUALITIES,
    Hosting,
    Questionnaire,
    Server,
    Storage,
    Usage,
    error_text,
)
from acvnum.questionnaire.yaml_reader import load_scalar
from acvnum.reference import defaults as reference_defaults

Answers = dict[str, str]

#: Column at which the help comments of the written file start.
COMMENT_COLUMN = 34


@dataclass(frozen=True)
class Question:
    """One prompt: its catalogue key, its default, how an answer is checked, when it is asked."""

    key: str
    number: str  # "Q1".."Q10", as in the design notes; "" for the name and the period
    default: Callable[[Answers, str], str]
    check: Callable[[str, Answers, Translator], str]
    asked: Callable[[Answers], bool] = lambda answers: True
    #: The value shown in [brackets] when the default is '' (Enter leaves the key out of
    #: the file, and the factor tables' default applies: its status stays 'default').
    shown: Callable[[str], str] | None = None

    def prompt_default(self, answers: Answers, lang: str) -> str:
        """What the prompt shows in [brackets]: what Enter keeps."""
        return self.shown(lang) if self.shown else self.default(answers, lang)


def _scalar(text: str) -> Any:
    """An answer read as the questionnaire file will read it: '50000' is a number, '5 min'
    a string, and '1:30' stays text to be refused (plain YAML would take it for 90)."""
    try:
        return load_scalar(text)
    except (yaml.YAMLError, InputError):
        return text


def _problems(model: type[BaseModel], data: dict[str, Any], field: str) -> list[Message]:
    """The model's complaints about `field` (other fields hold valid defaults)."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [_message(e) for e in error.errors() if e["loc"][:1] == (field,)]
    return []


def _message(error: dict[str, Any]) -> Message:
    if error["type"] == "extra_forbidden":
        return message("init.unknown_key", name=str(error["loc"][-1]))
    return error_text(error)


def _refuse_if(problems: list[Message], t: Translator) -> None:
    """Refuse the answer with every complaint, in the interview's language."""
    if problems:
        shown = dict.fromkeys(problem.render(t.lang) for problem in problems)
        raise Refused(t("punctuation.semicolon").join(shown))


# --- usage (Q1-Q7): checked by the Usage model itself ------------------------------------


def _pairs(text: str, t: Translator, example: str) -> dict[str, Any]:
    """'smartphone 60%, laptop 40%' (or 'smartphone: 60%; …') -> {'smartphone': '60%', …}."""
    pairs: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        name, _, share = part.replace(":", " ").replace("=", " ").partition(" ")
        if not share.strip():
            raise Refused(t("init.pairs", example=example))
        pairs[name.strip().lower()] = _scalar(share.strip())
    if not pairs:
        raise Refused(t("init.pairs", example=example))
    return pairs


def _usage_data(answers: Answers) -> dict[str, Any]:
    """A Usage mapping from the answers so far, the defaults standing in for the rest."""
    merged = {**DEFAULTS_EN, **answers}
    data: dict[str, Any] = {k: _scalar(merged[k]) for k in USAGE_SCALARS}
    for key, _ in GROUPS:
        data[key] = {name: _scalar(v) for name, v in _read_pairs(merged[key]).items()}
    return data


def _read_pairs(canonical: str) -> dict[str, str]:
    return dict(part.split(": ", 1) for part in canonical.split(", "))


def _check_usage(field: str) -> Callable[[str, Answers, Translator], str]:
    def check(text: str, answers: Answers, t: Translator) -> str:
        data = _usage_data(answers)
        data[field] = _scalar(text)
        _refuse_if(_problems(Usage, data, field), t)
        return text

    return check


def _check_shares(field: str, example: str) -> Callable[[str, Answers, Translator], str]:
    def check(text: str, answers: Answers, t: Translator) -> str:
        pairs = _pairs(text, t, example)
        data = _usage_data(answers)
        data[field] = pairs
        _refuse_if(_problems(Usage, data, field), t)
        return ", ".join(f"{name}: {_canonical(v)}" for name, v in pairs.items())

    return check


def _canonical(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _check_region(regions: list[str]) -> Callable[[str, Answers, Translator], str]:
    def check(text: str, answers: Answers, t: Translator) -> str:
        code = text.strip().upper()
        if code not in regions:
            raise Refused(t("init.unknown_region", code=code, known=", ".join(regions)))
        return code

    return check


def _check_name(text: str, answers: Answers, t: Translator) -> str:
    if not text.strip():
        raise Refused(t("init.name_required"))
    return text.strip()


# --- hosting (Q8-Q10): checked by the Server and Storage models ---------------------------


def _check_count(kind: str) -> Callable[[str, Answers, Translator], str]:
    def check(text: str, answers: Answers, t: Translator) -> str:
        count = _scalar(text)
        if count == 0:
            return "0"
        server = {"name": kind, "type": kind, "count": count}
        if kind == "virtual":
            server["vcpu"] = 4
        _refuse_if(_problems(Server, server, "count"), t)
        return text

    return check


def _check_vcpu(text: str, answers: Answers, t: Translator) -> str:
    server = {"name": "virtual", "type": "virtual", "vcpu": _scalar(text)}
    _refuse_if(_problems(Server, server, "vcpu"), t)
    return text


def _check_volume(text: str, answers: Answers, t: Translator) -> str:
    volume = _scalar(text)
    if volume == 0:
        return "0"
    _refuse_if(_problems(Storage, {"volume": volume}, "volume"), t)
    return text


def _check_storage_type(text: str, answers: Answers, t: Translator) -> str:
    _refuse_if(_problems(Storage, {"volume": 1, "type": text.strip().lower()}, "type"), t)
    return text.strip().lower()


def _check_period(text: str, answers: Answers, t: Translator) -> str:
    _refuse_if(_problems(Questionnaire, {"period": _scalar(text)}, "period"), t)
    return text.strip()


def _check_hosting(field: str) -> Callable[[str, Answers, Translator], str]:
    """A hosting value (PUE, environments): '' leaves it to its default."""

    def check(text: str, answers: Answers, t: Translator) -> str:
        if not text.strip():
            return ""
        _refuse_if(_problems(Hosting, {field: _scalar(text)}, field), t)
        return text.strip()

    return check


def _check_replicas(text: str, answers: Answers, t: Translator) -> str:
    """Copies of the data: '' leaves them to the factor tables' default."""
    if not text.strip():
        return ""
    _refuse_if(_problems(Storage, {"volume": 1, "replicas": _scalar(text)}, "replicas"), t)
    return text.strip()


def default_value(key: str) -> float:
    """The default that applies when the file leaves `key` out (pue, replicas, environments)."""
    if key == "environments":
        return 1.0  # the questionnaire's own: the production hosting alone
    from acvnum.reference.factors import load_factors  # only when asked: reading the tables

    pattern = ("hosting", "pue") if key == "pue" else ("hosting", "storage", "replicas")
    value = reference_defaults.value(pattern, load_factors())
    assert isinstance(value, float)
    return value


def _shown(key: str) -> Callable[[str], str]:
    """The default as the prompt shows it, in the interview's language ('1,56' in French)."""

    def shown(lang: str) -> str:
        text = f"{default_value(key):g}"
        return text.replace(".", ",") if lang == "fr" else text

    return shown


def _check_optional(parse: Callable[[str], Any]) -> Callable[[str, Answers, Translator], str]:
    """An optional block's answer: '0' skips the block; anything else must read."""

    def check(text: str, answers: Answers, t: Translator) -> str:
        if text.strip() == "0":
            return "0"
        try:
            parse(text)
        except Refusal as refusal:
            raise Refused(refusal.message.render(t.lang)) from None
        except (ValueError, TypeError) as error:  # not ours: a bug's message, as it is
            raise Refused(str(error)) from None
        return text.strip()

    return check


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.strip() not in choices:
            raise Refusal("init.one_of", choices=", ".join(choices))
        return text

    return parse


def _positive_number(hint: Message) -> Callable[[str], float]:
    """A number of 0 or more; `hint` says what it counts."""

    def parse(text: str) -> float:
        number = units.parse_number(_scalar(text), hint)
        if number < 0:
            raise Refusal("init.not_negative", text=text)
        return number

    return parse


def _ruled(parse: Callable[[str], Any], rule: Callable[[Any], Any]) -> Callable[[str], Any]:
    """`parse`, then the bounds the file's reader applies (rules): 1e23 AI requests per visit
    were taken, then refused in the file written, which init then did not write."""
    return lambda text: rule(parse(text))


def _check_watched(text: str, answers: Answers, t: Translator) -> str:
    """Video watched per visit: a duration within the visit's (video time is part of it)."""

    def parse(text: str) -> float:
        watched = units.parse(_scalar(text), units.TIME, "min")
        visit = units.parse(_scalar(answers["visit_duration"]), units.TIME, "min")
        if watched > visit:
            raise Refusal(
                "init.watched_longer", watched=text.strip(), visit=answers["visit_duration"]
            )
        return watched

    return _check_optional(parse)(text, answers, t)


def _has(key: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get(key, "0") != "0"


# --- the questions, in the order of the design notes --------------------------------------

USAGE_SCALARS = ("users", "visits_per_user", "visit_duration", "data_per_visit")
GROUPS = (
    ("devices", "smartphone: 60%, laptop: 30%, desktop: 10%"),
    ("network", "mobile: 40%, fixed: 60%"),
)
DEFAULTS_EN: Answers = {
    "name": "My service",
    "period": "1 year",
    "users": "1000",
    "visits_per_user": "2 / month",
    "visit_duration": "5 min",
    "data_per_visit": "2 MB",
    **dict(GROUPS),
    "location": reference_defaults.DEFAULT_REGION,
    "virtual_servers": "2",
    "vcpu": "4",
    "physical_servers": "0",
    "storage_volume": "100 GB",
    "storage_type": "ssd",
    # Enter leaves these out of the file: the default applies (shown in the prompt).
    "pue": "",
    "environments": "",
    "replicas": "",
    # Optional blocks, after the ten: Enter keeps 0 and leaves the block out.
    "ai_requests": "0",
    "ai_output_tokens": "300",
    "ai_input_tokens": "0",
    "ai_size": "medium",
    "video_watched": "0",
    "video_quality": "hd",
    "messages_per_user": "0",
}
#: A French user most likely serves French users from France.
DEFAULTS_BY_LANG: dict[str, Answers] = {
    "en": DEFAULTS_EN,
    "fr": {
        **DEFAULTS_EN,
        "name": "Mon service",
        "period": "1 an",
        "visits_per_user": "2 / mois",
        "data_per_visit": "2 Mo",
        "location": "FRA",
        "storage_volume": "100 Go",
    },
}


def _default(key: str) -> Callable[[Answers, str], str]:
    return lambda answers, lang: DEFAULTS_BY_LANG[lang][key]


def questions(regions: list[str]) -> list[Question]:
    """The interview, in order; `regions` are the countries the factor tables know."""
    region = _check_region(regions)
    return [
        Question("name", "", _default("name"), _check_name),
        Question("period", "", _default("period"), _check_period),
        *(
            Question(key, f"Q{i}", _default(key), _check_usage(key))
            for i, key in enumerate(USAGE_SCALARS, start=1)
        ),
        *(
            Question(key, f"Q{i}", _default(key), _check_shares(key, example))
            for i, (key, example) in enumerate(GROUPS, start=5)
        ),
        Question("location", "Q7", _default("location"), region),
        Question("host_location", "Q8", lambda answers, lang: answers["location"], region),
        Question("pue", "Q8", _default("pue"), _check_hosting("pue"), shown=_shown("pue")),
        Question("virtual_servers", "Q9", _default("virtual_servers"), _check_count("virtual")),
        Question("vcpu", "Q9", _default("vcpu"), _check_vcpu, _has("virtual_servers")),
        Question("physical_servers", "Q9", _default("physical_servers"), _check_count("physical")),
        Question(
            "environments",
            "Q9",
            _default("environments"),
            _check_hosting("environments"),
            shown=_shown("environments"),
        ),
        Question("storage_volume", "Q10", _default("storage_volume"), _check_volume),
        Question(
            "storage_type",
            "Q10",
            _default("storage_type"),
            _check_storage_type,
            _has("storage_volume"),
        ),
        Question(
            "replicas",
            "Q10",
            _default("replicas"),
            _check_replicas,
            _has("storage_volume"),
            shown=_shown("replicas"),
        ),
        *_optional_blocks(),
    ]


def _optional_blocks() -> list[Question]:
    """The questions of the optional blocks (AI, video, messages): '+' before each."""
    ai, video = _has("ai_requests"), _has("video_watched")
    return [
        Question(
            "ai_requests",
            "+",
            _default("ai_requests"),
            _check_optional(
                _ruled(
                    _positive_number(message("hint.number", example=2)), rules.requests_per_visit
                )
            ),
        ),
        Question(
            "ai_output_tokens",
            "+",
            _default("ai_output_tokens"),
            _check_optional(
                _ruled(_positive_number(message("hint.count", example=300)), rules.output_tokens)
            ),
            ai,
        ),
        Question(
            "ai_input_tokens",
            "+",
            _default("ai_input_tokens"),
            _check_optional(
                _ruled(_positive_number(message("hint.count", example=1500)), rules.input_tokens)
            ),
            ai,
        ),
        Question("ai_size", "+", _default("ai_size"), _check_optional(_one_of(AI_SIZES)), ai),
        Question("video_watched", "+", _default("video_watched"), _check_watched),
        Question(
            "video_quality",
            "+",
            _default("video_quality"),
            _check_optional(_one_of(VIDEO_QUALITIES)),
            video,
        ),
        Question(
            "messages_per_user",
            "+",
            _default("messages_per_user"),
            _check_optional(
                _ruled(lambda text: units.parse_frequency(_scalar(text)), rules.messages_per_user)
            ),
        ),
    ]


def defaults(regions: list[str], lang: str) -> Answers:
    """The answers of `--no-input`: every default, checked like a typed answer."""
    answers: Answers = {}
    t = Translator(lang)
    for question in questions(regions):
        if question.asked(answers):
            answers[question.key] = question.check(question.default(answers, lang), answers, t)
    return answers


# --- the file they make -------------------------------------------------------------------


def _yaml_value(text: str) -> str:
    """An answer as a YAML scalar: plain when YAML reads it back unchanged, quoted otherwise."""
    value = _scalar(text)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text.strip()
    dumped = yaml.safe_dump(str(text), default_flow_style=True, allow_unicode=True, width=1000)
    return dumped.removesuffix("\n...\n").strip()


def _yaml_text(text: str) -> str:
    """A free-text answer (the name) as a YAML string: the first of plain, as PyYAML writes
    it ('2024' quoted: a name must be text) and double-quoted that acvnum reads back as this
    text ('1e309', which PyYAML writes plain, acvnum reads as a number out of range)."""
    for written in (_yaml_value(text), _dumped(text, None)):
        try:
            if load_scalar(written) == text:
                return written
        except (yaml.YAMLError, InputError):
            pass  # quoted below
    return _dumped(text, '"')


def _dumped(text: str, style: str | None) -> str:
    """`text` as PyYAML writes a scalar, in `style` ('"': double-quoted), on one line."""
    dumped = yaml.safe_dump(text, default_style=style, allow_unicode=True, width=1 << 30)
    return dumped.removesuffix("\n...\n").strip()


def _line(indent: int, key: str, value: str | None, comment: str = "") -> str:
    body = " " * indent + (f"{key}: {value}" if value is not None else f"{key}:")
    return f"{body.ljust(COMMENT_COLUMN - 1)} # {comment}" if comment else body


def _help(question_key: str, number: str, t: Translator) -> str:
    return f"{number} {t(f'init.{question_key}.help')}".strip()


def _default_or_given(indent: int, key: str, answers: Answers, number: str, t: Translator) -> str:
    """A value the interview asked with a default: as given, or the default commented out
    (the file leaves it to the default, and says which)."""
    given = answers.get(key, "")
    comment = _help(key, number, t)
    if given:
        return _line(indent, key, _yaml_value(given), comment)
    shown = f"{default_value(key):g}"
    return _line(
        indent, f"# {key}", shown, f"{comment}{t('punctuation.semicolon')}{t('init.default_kept')}"
    )


def _usage_lines(answers: Answers, t: Translator) -> list[str]:
    lines = ["usage:"]
    for i, key in enumerate(USAGE_SCALARS, start=1):
        lines.append(_line(2, key, _yaml_value(answers[key]), _help(key, f"Q{i}", t)))
    for i, (key, _) in enumerate(GROUPS, start=5):
        lines.append(_line(2, key, None, _help(key, f"Q{i}", t)))
        lines += [_line(4, k, _yaml_value(v)) for k, v in _read_pairs(answers[key]).items()]
    lines.append(_line(2, "location", answers["location"], _help("location", "Q7", t)))
    return lines


def _server_lines(answers: Answers, t: Translator) -> list[str]:
    groups = [
        (kind, answers[f"{kind}_servers"])
        for kind in ("virtual", "physical")
        if answers[f"{kind}_servers"] != "0"
    ]
    if not groups:
        return []
    lines = [_line(2, "servers", None, _help("servers", "Q9", t))]
    for kind, count in groups:
        lines += [
            f"    - name: {kind}",
            f"      count: {_yaml_value(count)}",
            f"      type: {kind}",
        ]
        if kind == "virtual":
            lines.append(f"      vcpu: {_yaml_value(answers['vcpu'])}")
    return lines


def _storage_lines(answers: Answers, t: Translator) -> list[str]:
    if answers["storage_volume"] == "0":
        return []
    return [
        _line(2, "storage", None, _help("storage", "Q10", t)),
        _line(4, "volume", _yaml_value(answers["storage_volume"])),
        _line(4, "type", answers["storage_type"]),
        _default_or_given(4, "replicas", answers, "", t),
    ]


def _block_lines(answers: Answers) -> list[str]:
    """The optional blocks answered (not 0), as the questionnaire writes them."""
    lines = []
    if answers.get("ai_requests", "0") != "0":
        lines += [
            "",
            "ai:",
            _line(2, "requests_per_visit", _yaml_value(answers["ai_requests"])),
            _line(2, "output_tokens", _yaml_value(answers["ai_output_tokens"])),
            *(
                [_line(2, "input_tokens", _yaml_value(answers["ai_input_tokens"]))]
                if answers.get("ai_input_tokens", "0") != "0"
                else []
            ),
            "  model:",
            _line(4, "size", answers["ai_size"]),
        ]
    if answers.get("video_watched", "0") != "0":
        lines += [
            "",
            "video:",
            _line(2, "watched_per_visit", _yaml_value(answers["video_watched"])),
            _line(2, "quality", answers["video_quality"]),
        ]
    if answers.get("messages_per_user", "0") != "0":
        lines += ["", "messages:", _line(2, "per_user", _yaml_value(answers["messages_per_user"]))]
    return lines


def render_yaml(answers: Answers, t: Translator) -> str:
    """The commented questionnaire file, in the interview's language."""
    lines = [
        *(f"# {line}" for line in t("init.file.header").splitlines()),
        "",
        _line(0, "name", _yaml_text(answers["name"])),
        _line(0, "period", _yaml_value(answers["period"]), t("init.period.help")),
        "",
        *_usage_lines(answers, t),
        "",
        "hosting:",
        _line(2, "location", answers["host_location"], _help("host_location", "Q8", t)),
        _default_or_given(2, "pue", answers, "Q8", t),
        *_server_lines(answers, t),
        _default_or_given(2, "environments", answers, "Q9", t),
        *_storage_lines(answers, t),
        *_block_lines(answers),
    ]
    return "\n".join(lines) + "\n"
