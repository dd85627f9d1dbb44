"""The result JSON's schema on its own: a valid draft 2020-12 schema, closed where its
docstring says (envelope, service, criterion), its enumerations taken from the engine's own
lists, and `render` its JSON text.

Real outputs are validated against it in tests/report/test_json_format.py (and the
committed copy, schema/result.schema.json, compared with it there too).
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from conftest import EXAMPLES

from acvnum.api import estimate
from acvnum.calculation.inventory import ACTIVITIES, PHASES, TIERS
from acvnum.calculation.results import SCHEMA_VERSION
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.result_schema import DIALECT, render, result_schema

SCHEMA = result_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.fixture(scope="module")
def document() -> dict:
    return estimate(str(EXAMPLES / "ecommerce.yaml")).to_dict()


def errors(document: dict) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_it_is_a_draft_2020_12_schema():
    assert SCHEMA["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_render_is_the_schema_as_indented_json_ending_with_one_newline():
    text = render()
    assert json.loads(text) == SCHEMA
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "$schema": ')  # two spaces of indent, keys in their order


def test_the_schema_is_made_anew_each_call():
    mine = result_schema()
    mine["properties"].clear()
    assert result_schema() == SCHEMA


def test_its_version_is_the_results_and_no_other_validates(document):
    assert SCHEMA["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert f"version {SCHEMA_VERSION}" in SCHEMA["description"]
    assert errors({**document, "schema_version": SCHEMA_VERSION + 1}) != []


def test_a_real_result_is_valid(document):
    assert errors(document) == []


@pytest.mark.parametrize(
    "where",
    [
        (),  # the envelope
        ("services", 0),  # a service
        ("services", 0, "criteria", "climate_change"),  # a criterion
        ("services", 0, "criteria", "energy", "by_tier"),
    ],
)
def test_closed_objects_refuse_a_key_they_do_not_name(document, where):
    changed = copy.deepcopy(document)
    target = changed
    for part in where:
        target = target[part]
    target["surprise"] = 1
    assert any("'surprise' was unexpected" in e for e in errors(changed))


def test_a_required_key_left_out_is_named(document):
    changed = copy.deepcopy(document)
    del changed["services"][0]["criteria"]["climate_change"]["per_visit"]
    assert any("'per_visit' is a required property" in e for e in errors(changed))


def test_a_criterion_is_required_for_every_criterion_id():
    criteria = SCHEMA["$defs"]["service"]["properties"]["criteria"]
    assert criteria["required"] == list(CRITERION_IDS)
    assert criteria["additionalProperties"] is False


def test_tiers_phases_and_items_are_the_inventory_s():
    criterion = SCHEMA["$defs"]["criterion"]["properties"]
    assert criterion["by_tier"]["required"] == list(TIERS)
    assert criterion["by_phase"]["required"] == list(PHASES)
    items = criterion["by_item"]["propertyNames"]["enum"]
    # one 'tier.phase.item' key per activity of the inventory, in its order
    assert items == [f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES]
    assert len(set(items)) == len(items)


def test_an_unknown_item_or_a_text_figure_is_refused(document):
    changed = copy.deepcopy(document)
    criterion = changed["services"][0]["criteria"]["climate_change"]
    criterion["by_item"]["terminals.use.toaster"] = 1.0
    criterion["total"] = "12 kg"
    found = errors(changed)
    assert any("'terminals.use.toaster' is not one of" in e for e in found)
    assert any("'12 kg' is not of type 'number'" in e for e in found)


def test_the_portfolio_is_optional_and_services_are_at_least_one(document):
    assert "portfolio" not in SCHEMA["required"]
    assert "portfolio" not in document  # one file: no portfolio
    changed = copy.deepcopy(document)
    changed["services"] = []
    # by the rule broken, not its wording: jsonschema 4.20 says "[] is too short", later
    # releases "[] should be non-empty"
    broken = {(e.json_path, e.validator) for e in VALIDATOR.iter_errors(changed)}
    assert ("$.services", "minItems") in broken
