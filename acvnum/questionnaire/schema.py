"""The questionnaire's JSON Schema (draft 2020-12) for editors, generated from the models.

Pydantic describes quantities as the floats they become; a YAML author writes "2.5 MB" or a
plain number in a documented unit. The quantity types carry that (`x-plain-unit`), and this
module turns it into descriptions, examples and defaults as written in YAML. Bounds
(minimum, maximum) apply to plain numbers; the quantities that take a range (see
acvnum.questionnaire.ranges) also accept the string 'low..high'.
"""

from __future__ import annotations

import json
from typing import Any

from acvnum.questionnaire import units
from acvnum.questionnaire.models import Questionnaire
from acvnum.questionnaire.ranges import RANGEABLE

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the emitted schema is committed, relative to the repository root.
SCHEMA_FILE = "schema/questionnaire.schema.json"

_NULL = {"type": "null"}
#: 'low..high' with plain numbers, for the range-taking fields that are plain numbers.
_PLAIN_RANGE = rf"^\s*{units.NUMBER}\s*\.\.\s*{units.NUMBER}\s*$"
_RANGE_MESSAGE = "a number, or a range written low..high with plain numbers, e.g. 1.2..1.6"
_RANGE_NOTE = "A range 'low..high' (5th and 95th percentiles) is accepted too."


def _unit_note(plain: str, examples: list[Any]) -> str:
    written = " or ".join(f"'{e}'" for e in examples if isinstance(e, str))
    return f"Written as {written}, or as a plain number {plain}."


def _merge_optional(node: dict[str, Any]) -> None:
    """{anyOf: [quantity, null]} -> one quantity schema that also accepts null."""
    branches = node.get("anyOf")
    if not branches or len(branches) != 2 or _NULL not in branches:
        return
    (other,) = [b for b in branches if b != _NULL]
    if "x-plain-unit" not in other:
        return
    del node["anyOf"]
    node.update({k: v for k, v in other.items() if k not in node or k == "type"})
    node["type"] = [*other["type"], "null"]


def _describe_quantity(node: dict[str, Any]) -> None:
    """Fold the x- hints into a description, and a default into its YAML spelling."""
    plain_unit = node.pop("x-plain-unit")
    per_plain_unit = node.pop("x-per-plain-unit")
    note = _unit_note(node.pop("x-plain-number"), node["examples"])
    given = node.get("description")
    node["description"] = f"{given}. {note}" if given else note
    default = node.get("default")
    if isinstance(default, int | float) and per_plain_unit != 1.0:
        node["default"] = f"{default / per_plain_unit:g} {plain_unit}"


def _tidy(node: Any, in_properties: bool = False) -> None:
    """Walk the schema: flatten optional quantities, describe them, drop generated titles."""
    if isinstance(node, list):
        for item in node:
            _tidy(item)
        return
    if not isinstance(node, dict):
        return
    if in_properties:
        for child in node.values():
            if isinstance(child, dict):
                child.pop("title", None)
                # yaml-language-server offers no completion for a key whose default is null.
                if "default" in child and child["default"] is None:
                    del child["default"]
                _merge_optional(child)
                if "x-plain-unit" in child:
                    _describe_quantity(child)
    for key, child in node.items():
        _tidy(child, in_properties=key == "properties")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The definition a property points to ($ref, or a $ref beside null)."""
    refs = [node, *node.get("anyOf", [])]
    ref = next((n["$ref"] for n in refs if "$ref" in n), None)
    return schema["$defs"][ref.rsplit("/", 1)[-1]] if ref else node


def _property(schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The schema node of a questionnaire path such as ('hosting', 'servers', '*', 'power')."""
    node: dict[str, Any] = schema
    for part in path:
        node = _resolve(schema, node)
        node = node["items"] if part == "*" else node["properties"][part]
    return node


def _accept_range(node: dict[str, Any]) -> None:
    """Let a range-taking field be written 'low..high' as well."""
    if "anyOf" in node:  # a plain number or null: one node that also takes a range string
        node["type"] = [b["type"] for b in node.pop("anyOf")]
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if "string" not in types:
        node["type"] = [*types, "string"]
        node["pattern"] = _PLAIN_RANGE
        # What an editor says instead of the regular expression (yaml-language-server).
        node["patternErrorMessage"] = _RANGE_MESSAGE
    given = node["description"].rstrip(".")
    node["description"] = f"{given}. {_RANGE_NOTE}"


def questionnaire_schema() -> dict[str, Any]:
    """The JSON Schema of a questionnaire file, as editors (yaml-language-server) read it."""
    generated = Questionnaire.model_json_schema(mode="validation")
    _tidy(generated)
    for path in RANGEABLE:
        _accept_range(_property(generated, path))
    generated["title"] = "acvnum questionnaire (version 1)"
    return {"$schema": DIALECT, **generated}


def render() -> str:
    """The schema as committed in schema/questionnaire.schema.json."""
    return json.dumps(questionnaire_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
