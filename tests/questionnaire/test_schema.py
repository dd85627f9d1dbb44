"""The questionnaire's JSON Schema: valid draft 2020-12, follows the models, fits the examples."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL, ROOT

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
