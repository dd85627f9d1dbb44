"""The questionnaire's JSON Schema (draft 2020-12) for editors, generated from the models.

Pydantic describes quantities as the floats they become; a YAML author writes "2.5 MB" or a
plain number in a documented unit. The quantity types carry that (`x-plain-unit`), and this
module turns it into descriptions, examples and defaults as written in YAML. Bounds
(minimum, maximum) apply to plain numbers; the quantities that take a range (see
acvnum.questionnaire.ranges) also accept the string 'low..high'.

Every text an editor shows (descriptions, pattern messages, the title) comes from the
catalogue: `schema.<Model>` for a model's docstring, `schema.<Model>.<field>` for a field's
description, in English exactly as the models say it (a test keeps them equal), so only the
words change with the language, never the structure.
"""

from __future__ import annotations

import json
import re
from typing import Any

from acvnum.i18n import Translator
from acvnum.questionnaire import units
from acvnum.questionnaire.models import Questionnaire
from acvnum.questionnaire.ranges import RANGEABLE

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the emitted schema is committed, relative to the repository root.
SCHEMA_FILE = "schema/questionnaire.schema.json"

_NULL = {"type": "null"}
#: 'low..high' with plain numbers, for the range-taking fields that are plain numbers.
_PLAIN_RANGE = rf"^\s*{units.NUMBER}\s*\.\.\s*{units.NUMBER}\s*$"
#: An example as written: a number, its space, its unit ('2.5 MB', '20 / month', '60%').
_EXAMPLE = re.compile(r"^(\d+(?:\.\d+)?)(\s*)(.*)$")


def _example(example: str, t: Translator) -> str:
    """An example in the language's form, as `--lang` reads it back ('2,5 Mo', '20 / mois');
    a model's size ('70B', '1.8T') stays as written, its reader takes no decimal comma."""
    found = _EXAMPLE.match(example)
    if t.lang == "en" or found is None or found[3] in ("B", "T"):
        return example
    number, space, unit = found.groups()
    number = number.replace(".", ",")
    if unit == "%":
        return f"{number}\u202f%"
    return f"{number}{space}{t.unit(unit, float(number.replace(',', '.')))}"


def _unit_note(plain: str, examples: list[Any], t: Translator) -> str:
    quoted = [f"'{_example(e, t)}'" for e in examples if isinstance(e, str)]
    plain_words = t(f"schema.plain.{plain.replace(' ', '_')}")
    return t("schema.note.unit", written=t("schema.note.or").join(quoted), plain=plain_words)


def _speak(generated: dict[str, Any], t: Translator) -> None:
    """Put the catalogue's words on every model and field description."""
    for name, model in [("Questionnaire", generated), *generated["$defs"].items()]:
        if "description" in model:
            model["description"] = t(f"schema.{name}")
        for field, node in model.get("properties", {}).items():
            if "description" in node:
                node["description"] = t(f"schema.{name}.{field}")


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


def _describe_quantity(node: dict[str, Any], t: Translator) -> None:
    """Fold the x- hints into a description, and a default into its YAML spelling."""
    plain_unit = node.pop("x-plain-unit")
    per_plain_unit = node.pop("x-per-plain-unit")
    note = _unit_note(node.pop("x-plain-number"), node["examples"], t)
    given = node.get("description")
    node["description"] = f"{given}. {note}" if given else note
    default = node.get("default")
    if isinstance(default, int | float) and per_plain_unit != 1.0:
        node["default"] = f"{default / per_plain_unit:g} {plain_unit}"


def _tidy(node: Any, t: Translator, in_properties: bool = False) -> None:
    """Walk the schema: flatten optional quantities, describe them, drop generated titles."""
    if isinstance(node, list):
        for item in node:
            _tidy(item, t)
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
                    _describe_quantity(child, t)
    for key, child in node.items():
        _tidy(child, t, in_properties=key == "properties")


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


def _accept_range(node: dict[str, Any], t: Translator) -> None:
    """Let a range-taking field be written 'low..high' as well."""
    if "anyOf" in node:  # a plain number or null: one node that also takes a range string
        node["type"] = [b["type"] for b in node.pop("anyOf")]
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if "string" not in types:
        node["type"] = [*types, "string"]
        node["pattern"] = _PLAIN_RANGE
        # What an editor says instead of the regular expression (yaml-language-server).
        node["patternErrorMessage"] = t("schema.range_message")
    given = node["description"].rstrip(".")
    node["description"] = f"{given}. {t('schema.note.range')}"


def questionnaire_schema(lang: str = "en") -> dict[str, Any]:
    """The JSON Schema of a questionnaire file, as editors (yaml-language-server) read it,
    its descriptions and messages in `lang`."""
    t = Translator(lang)
    generated = Questionnaire.model_json_schema(mode="validation")
    _speak(generated, t)
    _tidy(generated, t)
    for path in RANGEABLE:
        _accept_range(_property(generated, path), t)
    generated["title"] = t("schema.title")
    return {"$schema": DIALECT, **generated}


def render(lang: str = "en") -> str:
    """The schema as committed in schema/questionnaire.schema.json (English), or in `lang`."""
    schema = questionnaire_schema(lang)
    return json.dumps(schema, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
