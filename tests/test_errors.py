"""Every message a user can see comes from the catalogue, in both languages: the code names
keys that exist, every key renders in both, and a French run refuses bad input in French
(golden files under golden/errors_fr/, with file:line:column and exit code 2)."""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
import re
import string
from pathlib import Path

import pytest
from conftest import MINIMAL_DATA, ROOT, assert_golden, run_cli, run_cli_in_process

import acvnum
from acvnum.errors import (
    AcvnumError,
    BudgetSyntaxError,
    ExitCode,
    InputError,
    Message,
    Problem,
    Refusal,
    TooManySamples,
    WhatIfError,
    in_order,
    message,
    yaml_value,
)
from acvnum.files import JSON_SENTENCES
from acvnum.i18n import LANGUAGES, catalogue, quantity
from acvnum.questionnaire import units, yaml_problems

SOURCES = sorted((ROOT / "acvnum").rglob("*.py"))
#: A catalogue key named where a message is made: message("x.y"), Refusal("x.y"), ...
NAMED = re.compile(r"\b(?:message|Refusal|UnitError|Message)\(\s*f?\"([a-z_]+\.[\w.{}]+)\"")
#: The keys made from a pattern (f"hint.{kind}"), spelled out.
PATTERNS = {
    "hint.{kind}": ["hint.count", "hint.ratio", "hint.number"],
    "yaml.said.{key}": [f"yaml.said.{key}" for _, key in yaml_problems.SENTENCES],
    "yaml.token.{name}": [f"yaml.token.{k}" for k in yaml_problems.TOKENS.values()],
    "json.said.{key}": [f"json.said.{key}" for key in JSON_SENTENCES.values()],
    "shares.sum.{what}": ["shares.sum.device", "shares.sum.network"],
    "dimension.{self.name}.unit": [f"dimension.{d.name}.unit" for d in units.DIMENSIONS],
    "dimension.{other.name}.of": [f"dimension.{d.name}.of" for d in units.DIMENSIONS],
    "noun.{self.name}": [f"noun.{d.name}" for d in units.DIMENSIONS],
    "noun.{dimension.name}": [f"noun.{d.name}" for d in units.DIMENSIONS],
    "hint.{self.name}": [f"hint.{d.name}" for d in units.DIMENSIONS],
}


def named_keys() -> set[str]:
    keys = set()
    for path in SOURCES:
        for key in NAMED.findall(path.read_text(encoding="utf-8")):
            keys.update(PATTERNS[key] if "{" in key else [key])
    return keys


def test_the_code_names_only_keys_both_catalogues_have():
    keys = named_keys()
    assert len(keys) > 100  # the scan finds the messages (it would pass on finding none)
    for lang in LANGUAGES:
        assert sorted(keys - set(catalogue(lang))) == [], lang


def sample_arguments(template: str) -> dict[str, object]:
    """A number where the template formats one ('{total:.1%}'), else a word."""
    return {
        name: 1234.5 if spec else "x"
        for _, name, spec, _ in string.Formatter().parse(template)
        if name
    }


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_every_key_renders_in_both_languages(key):
    english, french = catalogue("en")[key], catalogue("fr")[key]
    # French names only the arguments English does, but where English is a reader's own
    # sentence (PyYAML's, the JSON reader's, pydantic's: '{said}'), said in French words.
    if not re.fullmatch(r"\{(?:said|text)\}", english):
        assert names(french) <= names(english)
    arguments = {**sample_arguments(french), **sample_arguments(english)}
    for lang in LANGUAGES:
        shown = Message(key, tuple(arguments.items())).render(lang)  # no KeyError, no bad spec
        assert shown.strip() or not catalogue(lang)[key]


def test_numbers_in_a_message_follow_the_language():
    shares = message(
        "shares.sum.network", total=1.1, listed=(message("shares.item", name="fixed", share=0.6),)
    )
    assert shares.render("en") == "network shares must sum to 100%, they sum to 110.0% (fixed 60%)"
    # The digits of the English spec, French marks: decimal comma, narrow no-break spaces.
    assert shares.render("fr") == (
        "les parts par réseau doivent totaliser 100\u202f%, leur total est 110,0\u202f% "
        "(fixed 60\u202f%)"
    )
    size = message("error.data_per_visit", size=quantity(2.5e12, "B"))
    assert size.render("en").endswith("2.5 TB")
    assert size.render("fr").endswith("2,5\u00a0To")


def test_a_problem_renders_its_position_the_same_in_every_language():
    problem = Problem("s.yaml", 3, 5, message("yaml.empty"))
    assert str(problem) == "s.yaml:3:5: the file is empty"
    assert problem.render("fr") == "s.yaml:3:5: le fichier est vide"
    assert Problem("s.yaml", 1, 1, "plain text").render("fr") == "s.yaml:1:1: plain text"


def test_problems_come_once_each_by_position_then_message_whatever_the_order_given():
    a = Problem("s.yaml", 2, 1, "usage: missing required key 'network'")
    b = Problem("s.yaml", 2, 1, "usage: missing required key 'devices'")
    c = Problem("s.yaml", 1, 7, "name: too long")
    d = Problem("s.yaml", 2, 3, "usage.users: must be above 0")
    expected = [c, b, a, d]
    for given in ([a, b, c, d, a], [d, c, b, a], [b, d, a, c, b]):
        assert in_order(given) == expected


def test_a_refusal_is_a_value_error_whose_text_is_the_english():
    refusal = Refusal("error.period")
    assert isinstance(refusal, ValueError)
    assert str(refusal) == "the period must be between 1 day and 100 years"
    assert refusal.message.render("fr") == "la période est entre 1 jour et 100 ans"


# --- French runs refuse in French -----------------------------------------------------------

BAD = ROOT / "tests" / "inputs" / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


def english_fragments() -> list[str]:
    """The fixed words of every English message that French words differently (4+ chars)."""
    en, fr = catalogue("en"), catalogue("fr")
    fragments = set()
    for key, text in en.items():
        if text == fr[key] or key.startswith(("unit.", "choice.")):  # a file's words
            continue
        for literal, *_ in string.Formatter().parse(text):
            part = literal.strip(" :;,()'.")
            if len(part) >= 4 and part not in fr[key]:
                fragments.add(part)
    return sorted(fragments, key=len, reverse=True)


@pytest.mark.parametrize("case", CASES)
def test_a_french_run_refuses_bad_input_in_french(case):
    result = run_cli("estimate", f"tests/inputs/bad/{case}.yaml", "--lang", "fr")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(f"tests/inputs/bad/{case}.yaml:")
    assert_golden(f"errors_fr/{case}.txt", result.stderr)
    # The file's name and the questionnaire's paths (hosting.servers[0]) are data.
    shown = re.sub(r"(?m)^\S+:\d+:\d+: (?:[\w.\[\]]+\u202f: )?", "", result.stderr)
    english = [
        part
        for part in english_fragments()
        if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", shown)
    ]
    assert english == []


def test_the_locale_chooses_the_language_of_refusals_and_lang_overrides_it():
    path = "tests/inputs/bad/shares.yaml"
    french = run_cli("validate", path, env={"LANG": "fr_FR.UTF-8"})
    assert "les parts par terminal doivent totaliser 100\u202f%" in french.stderr
    assert "problème trouvé\u202f; rien n'a été calculé." in french.stderr
    english = run_cli("validate", path, "--lang", "en", env={"LANG": "fr_FR.UTF-8"})
    assert "device shares must sum to 100%" in english.stderr
    assert english.returncode == french.returncode == 2


def test_english_refusals_are_unchanged(tmp_path: Path):
    """The English golden files of the same cases stand as they were (errors/)."""
    result = run_cli("estimate", "tests/inputs/bad/many_errors.yaml")
    assert_golden("errors/many_errors.txt", result.stderr)


def test_command_line_refusals_follow_the_language():
    budget = run_cli(
        "check", "examples/ecommerce.yaml", "--budget", "climat<=2g/visit", "--lang", "fr"
    )
    assert budget.returncode == 2
    assert "critère inconnu «\u202fclimat\u202f»" in budget.stderr
    what_if = run_cli(
        "estimate", "examples/ecommerce.yaml", "--what-if", "usage.usrs=3", "--lang", "fr"
    )
    assert what_if.returncode == 2
    assert "clé inconnue «\u202fusrs\u202f» dans usage" in what_if.stderr
    factor = run_cli("factors", "show", "no.such.factor", env={"LANG": "fr_FR.UTF-8"})
    assert factor.returncode == 2
    assert factor.stderr.startswith("acvnum: facteur inconnu «\u202fno.such.factor\u202f»")
    written = run_cli("estimate", "examples/ecommerce.yaml", "-o", "examples", "--lang", "fr")
    assert written.stderr == "acvnum: impossible d'écrire examples\u202f: c'est un dossier\n"
    assert (
        "cannot write examples: it is a directory"
        in run_cli("estimate", "examples/ecommerce.yaml", "-o", "examples").stderr
    )


def test_a_saved_result_is_refused_in_the_run_s_language(tmp_path: Path):
    path = tmp_path / "r.json"
    path.write_text('{"schema_version": 2, "services": []}', encoding="utf-8")
    french = run_cli("diff", "examples/ecommerce.yaml", str(path), "--lang", "fr")
    assert french.returncode == 2
    assert (
        "pas un résultat de `acvnum estimate --format json`\u202f: "
        "$.services devrait être une liste non vide"
    ) in french.stderr
    nan = tmp_path / "nan.json"
    nan.write_text('{"schema_version": 2,\n "x": NaN}', encoding="utf-8")
    english = run_cli("diff", "examples/ecommerce.yaml", str(nan))
    assert f"{nan}:2:7: NaN is not a number JSON allows" in english.stderr


def test_a_user_factor_table_is_refused_in_the_run_s_language(tmp_path: Path):
    table = tmp_path / "f.csv"
    table.write_text(
        "id,value,low,high,unit,source,year,licence\n"
        "device.laptop.lifetime,-1,-1,-1,year,x,2020,x\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "examples/ecommerce.yaml", "--factors", str(table), "--lang", "fr")
    assert result.returncode == 2
    # value is column 24 of line 2: after 'device.laptop.lifetime,'
    assert result.stderr.startswith(
        f"{table}:2:24: facteur device.laptop.lifetime\u202f: value -1 est hors bornes\u202f; "
        "attendu > 0 et <= 1e+18 (la fabrication est divisée par cette valeur)\n"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("abc", "'abc'"),
        (2.5, "2.5"),
        (None, "null"),
        (True, "true"),
        ({"count": 1, "per": None}, "{count: 1, per: null}"),
        ([1, "a", False], "[1, 'a', false]"),
    ],
)
def test_a_refused_value_is_quoted_as_yaml_writes_it_not_python(value, shown):
    assert yaml_value(value) == shown


def test_a_refused_null_is_said_as_the_file_wrote_it_in_both_languages():
    refusal = Refusal("frequency.type", value=yaml_value(None))
    assert "None" not in refusal.message.render("en") + refusal.message.render("fr")
    assert "null" in refusal.message.render("fr")


# --- one base for every error a user meets ---------------------------------------------------

#: Public exceptions defined outside acvnum.errors, each raised and caught inside its own
#: package to change course; none reaches a user, so none is an AcvnumError.
INTERNAL_EXCEPTIONS = {
    # plain.py's reader declines an input it does not take: the models read it instead.
    "acvnum.questionnaire.plain.Declined",
    # a lever with no array twin: analysis.levers evaluates it service by service.
    "acvnum.analysis.lever_arrays.Unsupported",
}
#: Some private control-flow exceptions the scan must find (else it inspects nothing).
PRIVATE_EXCEPTIONS = {
    "acvnum.questionnaire.fast_path._Declined",
    "acvnum.questionnaire.yaml_reader._Unusual",
    "acvnum.questionnaire.yaml_reader._GiveUp",
    "acvnum.report.json_format._NotFinite",
    "acvnum.commands.json_folder._Refused",
    "acvnum.analysis.comparison._Malformed",
}


def defined_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class of every module under acvnum, by 'module.Name', where it is
    defined (a class a module imports is counted in its own module only)."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(acvnum.__path__, "acvnum."):
        module = importlib.import_module(info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_public_exception_is_an_acvnum_error_in_errors_py():
    found = defined_exceptions()
    assert set(found) >= PRIVATE_EXCEPTIONS | INTERNAL_EXCEPTIONS  # the allow-list is not stale
    public = {name: cls for name, cls in found.items() if not cls.__name__.startswith("_")}
    outside = sorted(n for n, cls in public.items() if cls.__module__ != "acvnum.errors")
    assert outside == sorted(INTERNAL_EXCEPTIONS)
    in_errors = {n: cls for n, cls in public.items() if cls.__module__ == "acvnum.errors"}
    assert {"acvnum.errors.PathError", "acvnum.errors.UnitError", "acvnum.errors.Refused"} <= set(
        in_errors
    )
    assert [n for n, cls in in_errors.items() if not issubclass(cls, AcvnumError)] == []
    assert not any(issubclass(found[n], AcvnumError) for n in INTERNAL_EXCEPTIONS)


def test_each_error_carries_an_exit_code():
    defined_exceptions()  # every module imported: every subclass is known
    pending, errors = [AcvnumError], []
    while pending:
        errors.append(cls := pending.pop())
        pending += cls.__subclasses__()
    assert len(errors) >= 10
    assert [cls for cls in errors if not isinstance(cls.exit_code, ExitCode)] == []
    assert AcvnumError.exit_code is ExitCode.BAD_INPUT


def test_a_refusal_stays_a_value_error_that_pydantic_keeps():
    assert issubclass(Refusal, ValueError) and issubclass(Refusal, AcvnumError)
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["visit_duration"] = "5 parsecs"
    with pytest.raises(InputError) as caught:
        acvnum.estimate(data)
    (problem,) = caught.value.problems
    assert isinstance(problem.message, Message)  # the Refusal's, not pydantic's English text
    assert "unknown duration unit 'parsecs'" in problem.render("en")


def test_the_api_raises_an_acvnum_error_ending_in_exit_2():
    assert acvnum.AcvnumError is AcvnumError
    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"]["users"] = -1
    with pytest.raises(acvnum.AcvnumError) as caught:
        acvnum.estimate(data)
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        "<dict 0>:1:1: usage.users: users must be between 1 and 1e+10, got -1"
    )


@pytest.mark.parametrize(
    ("error", "argv", "said"),
    [
        (InputError, ["validate", "tests/inputs/bad/shares.yaml"], "device shares must sum"),
        (WhatIfError, ["estimate", "examples/ecommerce.yaml", "--what-if", "usage.usrs=3"], "usrs"),
        (BudgetSyntaxError, ["check", "examples/ecommerce.yaml", "--budget", "x"], "--budget"),
        (
            TooManySamples,
            ["estimate", "examples/ecommerce.yaml", "--uncertainty", "--samples", "1000"],
            "samples",
        ),
    ],
)
def test_a_command_ends_with_the_error_s_own_exit_code(monkeypatch, error, argv, said):
    """The handlers take the code from the error, not a 2 of their own: given another, the
    command ends with it, and says the same."""
    from acvnum.analysis import uncertainty

    monkeypatch.setattr(uncertainty, "MAX_SERVICE_SAMPLES", 100)  # 1,000 samples are too many
    usual = run_cli_in_process(*argv)  # the patches are this process's
    assert usual.returncode == 2 and said in usual.stderr, usual.stderr
    monkeypatch.setattr(error, "exit_code", ExitCode.INTERRUPTED)
    other = run_cli_in_process(*argv)
    assert (other.returncode, other.stderr) == (ExitCode.INTERRUPTED, usual.stderr)
