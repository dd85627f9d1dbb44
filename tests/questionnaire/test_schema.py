"""The questionnaire's JSON Schema: valid draft 2020-12, follows the models, fits the examples."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL, ROOT, run_cli

from acvnum.questionnaire.schema import DIALECT, SCHEMA_FILE, questionnaire_schema

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
HEADER = "# yaml-language-server: $schema="


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = questionnaire_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12():
    assert questionnaire_schema()["$schema"] == DIALECT


def test_committed_schema_is_what_the_models_give():
    committed = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert committed == questionnaire_schema(), "run: acvnum schema --force -o " + SCHEMA_FILE


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_points_editors_to_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(HEADER)
    assert (path.parent / first.removeprefix(HEADER)).resolve() == (ROOT / SCHEMA_FILE).resolve()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_is_valid_against_the_schema(path, validator):
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


def test_quantities_accept_strings_with_units_and_plain_numbers(validator):
    data = yaml.safe_load(MINIMAL)
    data["usage"]["visit_duration"] = 6
    data["period"] = "6 months"
    assert list(validator.iter_errors(data)) == []


def assert_refused(validator, path: tuple, value) -> None:
    """MINIMAL with `value` at `path` must fail the schema, as acvnum refuses it."""
    data = yaml.safe_load(MINIMAL)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert list(validator.iter_errors(data)), f"{path} = {value!r} should be refused"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("usage", "usrs"), 10),  # unknown key
        (("usage", "devices", "phone"), "10%"),  # unknown device
        (("hosting",), {"servers": [{"name": "web", "type": "cloud"}]}),  # unknown type
        (("usage", "data_per_visit"), [2, "MB"]),  # not a quantity
    ],
)
def test_editor_flags_what_acvnum_refuses(path, value, validator):
    assert_refused(validator, path, value)


def test_quantities_say_their_unit_and_defaults_read_as_yaml():
    properties = questionnaire_schema()["properties"]
    assert properties["period"]["default"] == "1 year"
    assert "in years" in properties["period"]["description"]
    usage = questionnaire_schema()["$defs"]["Usage"]["properties"]
    assert usage["data_per_visit"]["description"].startswith("Q4 ")
    assert "in MB" in usage["data_per_visit"]["description"]
    assert usage["visit_duration"]["type"] == ["string", "number"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("usage", "users"), -5),
        (("usage", "users"), 0),
        (("usage", "visit_duration"), -1),  # minutes: 0 (no device time) or more
        (("usage", "visit_duration"), 1441),  # minutes: at most 24 h
        (("usage", "devices", "laptop"), 1.5),
        (("hosting",), {"pue": 5}),
        (("hosting",), {"pue": 0.9}),
        (("hosting",), {"environments": 0}),
        (("hosting",), {"servers": [{"name": "web", "type": "physical", "count": 0}]}),
        (("hosting",), {"servers": [{"name": "web", "type": "physical", "count": 2.5}]}),
        (("hosting",), {"servers": [{"name": "w", "type": "virtual", "vcpu": 1000}]}),
        (("hosting",), {"storage": {"volume": 1, "replicas": 1.5}}),
        (("hosting",), {"pue": "1.2...1.6"}),
    ],
)
def test_editor_flags_values_out_of_bounds(path, value, validator):
    assert_refused(validator, path, value)


@pytest.mark.parametrize(
    "hosting",
    [
        {"pue": "1.2..1.6"},
        {"pue": 1.4},
        {"storage": {"volume": "1 GB..2 GB", "replicas": "2..3"}},
        {"servers": [{"name": "w", "type": "physical", "power": "100 W..300 W"}]},
        {"servers": [{"name": "w", "type": "physical", "utilization": "10%..30%"}]},
    ],
)
def test_editor_accepts_ranges_where_acvnum_does(hosting, validator):
    data = {**yaml.safe_load(MINIMAL), "hosting": hosting}
    assert [e.message for e in validator.iter_errors(data)] == []


def test_range_taking_fields_say_so():
    pue = questionnaire_schema()["$defs"]["Hosting"]["properties"]["pue"]
    assert pue["description"].endswith(
        "A range 'low..high' (5th and 95th percentiles) is accepted too."
    )


def _nodes(node):
    """Every mapping in a JSON document, depth first."""
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _nodes(child)
    elif isinstance(node, list):
        for child in node:
            yield from _nodes(child)


def test_no_property_has_a_null_default():
    # yaml-language-server offers no completion for a key whose schema says "default": null
    # (hosting's servers, storage and environments, the top-level budgets).
    assert [
        n for n in _nodes(questionnaire_schema()) if "default" in n and n["default"] is None
    ] == []


def test_every_pattern_has_a_message_an_editor_shows_instead():
    patterned = [n for n in _nodes(questionnaire_schema()) if "pattern" in n]
    assert patterned
    for node in patterned:
        assert "low..high" in node["patternErrorMessage"]


# --- The schema in French (`acvnum schema --lang fr`) -------------------------------------

#: What an editor shows: the only keys whose values may differ between languages.
_TEXTS = ("description", "patternErrorMessage")


def _model_descriptions() -> dict[str, str]:
    """Catalogue key -> the description the models give (docstrings and fields)."""
    from acvnum.questionnaire.models import Questionnaire

    generated = Questionnaire.model_json_schema(mode="validation")
    found = {}
    for name, model in [("Questionnaire", generated), *generated["$defs"].items()]:
        if "description" in model:
            found[f"schema.{name}"] = model["description"]
        for field, node in model.get("properties", {}).items():
            if "description" in node:
                found[f"schema.{name}.{field}"] = node["description"]
    return found


def test_every_description_is_in_both_catalogues_and_english_matches_the_models():
    from acvnum.words import catalogue

    en, fr = catalogue("en"), catalogue("fr")
    for key, description in _model_descriptions().items():
        assert en.get(key) == description, f"{key}: the English catalogue drifted from the model"
        assert fr.get(key) not in (None, description), f"{key}: no French"
    # No key left behind by a removed field: the other schema.* keys are the notes'.
    stale = {k for k in en if k.startswith("schema.")} - set(_model_descriptions())
    assert all(
        k.startswith(("schema.note.", "schema.plain."))
        for k in stale - {"schema.title", "schema.range_message"}
    ), stale
    assert {k for k in fr if k.startswith("schema.")} == {k for k in en if k.startswith("schema.")}


def _structure(node):
    """The schema without the words an editor shows: what validates."""
    if isinstance(node, dict):
        # a string: the words (a mapping under "description" is the field named so)
        return {
            k: _structure(v)
            for k, v in node.items()
            if not (k in (*_TEXTS, "title") and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_structure(v) for v in node]
    return node


def test_the_french_schema_differs_only_in_words():
    english, french = questionnaire_schema(), questionnaire_schema("fr")
    jsonschema.Draft202012Validator.check_schema(french)
    assert _structure(french) == _structure(english)
    # every text is French: none is left as the English one
    texts = [
        (n.get(k), m.get(k))
        for n, m in zip(_nodes(english), _nodes(french), strict=True)
        for k in _TEXTS
        if isinstance(n.get(k), str)
    ]
    assert len(texts) > 100
    assert [en for en, fr in texts if en == fr] == []
    assert french["title"] == "questionnaire acvnum (version 1)"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_the_french_schema_accepts_and_refuses_as_the_english(path, validator):
    french = jsonschema.Draft202012Validator(questionnaire_schema("fr"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(french.iter_errors(data)) == []
    data["hosting"]["pue"] = "high"
    data["usage"]["typo"] = 1
    refused = [(list(e.absolute_path), e.validator) for e in validator.iter_errors(data)]
    assert refused
    assert [(list(e.absolute_path), e.validator) for e in french.iter_errors(data)] == refused


def test_the_french_schema_says_nothing_in_english():
    from test_french_sweep import english_in

    def english(lang: str) -> list[str]:
        nodes = list(_nodes(questionnaire_schema(lang)))
        texts = " ".join(n[k] for n in nodes for k in _TEXTS if isinstance(n.get(k), str))
        # What a YAML author types stays as typed: keys, choices, a command to run.
        typed = {key for n in nodes for key in n.get("properties", {})}
        typed |= {str(v) for n in nodes for v in n.get("enum", [])}
        command = ["acvnum factors list --kind cloud"]
        return english_in(texts, command, frozenset(w.lower() for w in typed))

    assert english("fr") == []
    assert len(english("en")) > 50  # the check finds English where there is some


@pytest.mark.parametrize(
    "kind",
    [
        "DataSize",
        "StorageSize",
        "Duration",
        "LongDuration",
        "Power",
        "CarbonIntensity",
        "Fraction",
        "VisitFrequency",
        "RequestFrequency",
        "DailyHours",
        "Parameters",
    ],
)
def test_french_examples_in_the_descriptions_read_back_with_lang_fr(kind):
    from pydantic import TypeAdapter

    from acvnum.i18n import Translator
    from acvnum.questionnaire import models, units
    from acvnum.questionnaire.schema import _example

    adapter = TypeAdapter(getattr(models, kind))
    examples = [e for e in adapter.json_schema()["examples"] if isinstance(e, str)]
    assert examples
    for example in examples:
        french = _example(example, Translator("fr"))
        with units.decimal_comma():  # as `--lang fr` reads a questionnaire
            assert adapter.validate_python(french) == adapter.validate_python(example), french


def test_french_examples_are_written_the_french_way():
    # '2.5 MB' -> '2,5 Mo' (comma, French unit), '60%' -> '60 %' (narrow no-break space),
    # '20 / month' -> '20 / mois'; a model size '1.8T' stays: its reader takes no comma.
    size = questionnaire_schema("fr")["$defs"]["Messages"]["properties"]["size"]
    assert "S'écrit '2,5 Mo' ou '800 ko', ou en nombre simple en Mo." in size["description"]
    assert size["examples"] == ["2.5 MB", "800 kB"]  # values a questionnaire takes as is
    share = questionnaire_schema("fr")["$defs"]["Shared"]["properties"]["share"]
    assert "'60\u202f%'" in share["description"]
    params = questionnaire_schema("fr")["$defs"]["AIModelSize"]["properties"]["parameters"]
    assert "'70B' ou '1.8T'" in params["description"]


def test_schema_command_speaks_the_lang_option_and_the_locale(tmp_path):
    from acvnum.questionnaire.schema import render

    english = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert run_cli("schema", env={"LANG": "C"}).stdout == english
    assert run_cli("schema", "--lang", "fr").stdout == render("fr")
    assert run_cli("schema", env={"LANG": "fr_FR.UTF-8"}).stdout == render("fr")
    assert run_cli("schema", "--lang", "en", env={"LANG": "fr_FR.UTF-8"}).stdout == english
    # The result's schema is a data contract: English whatever the language.
    result_en = run_cli("schema", "--result").stdout
    assert run_cli("schema", "--result", "--lang", "fr").stdout == result_en
