"""Every pydantic error the questionnaire's models can raise is worded by the catalogue in
both languages: the models' core schemas are walked, each field type's error types listed,
and each checked to have its message (pydantic's English never reaches a French run)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from pydantic import BaseModel

from acvnum.i18n import LANGUAGES, catalogue
from acvnum.questionnaire import models
from acvnum.questionnaire.models import PYDANTIC_KEYS, error_text

#: The error types each kind of core schema raises (pydantic-core's validators), and those
#: a constraint of it adds. A schema type not listed fails the walk: list it.
RAISES: dict[str, tuple[str, ...]] = {
    "str": ("string_type", "string_unicode", "string_sub_type"),
    "float": ("float_type", "float_parsing", "finite_number"),
    "int": ("int_type", "int_parsing", "int_parsing_size", "int_from_float"),
    "bool": ("bool_type", "bool_parsing"),
    "list": ("list_type", "iteration_error"),
    "dict": ("dict_type", "iteration_error"),
    "model": ("model_type", "model_attributes_type"),
    "model-fields": ("model_attributes_type", "missing", "extra_forbidden"),
    "dataclass": ("dataclass_type", "dataclass_exact_type"),
    "literal": ("literal_error",),
    "function-before": ("value_error",),
    "function-after": ("value_error",),
    "function-plain": ("value_error",),
    "function-wrap": ("value_error",),
    "none": ("none_required",),
    **dict.fromkeys(
        (
            "nullable",
            "default",
            "definitions",
            "definition-ref",
            "model-field",
            "dataclass-args",
            "dataclass-field",
            "with-info",
            "no-info",
            "any",
        ),
        (),
    ),
}
CONSTRAINTS = {
    "min_length": {"str": "string_too_short", "list": "too_short", "dict": "too_short"},
    "max_length": {"str": "string_too_long", "list": "too_long", "dict": "too_long"},
    "pattern": {"str": "string_pattern_mismatch"},
    "gt": {"float": "greater_than", "int": "greater_than"},
    "ge": {"float": "greater_than_equal", "int": "greater_than_equal"},
    "lt": {"float": "less_than", "int": "less_than"},
    "le": {"float": "less_than_equal", "int": "less_than_equal"},
}
#: Worded where they are met, not by PYDANTIC_KEYS: a refusal's own message (every
#: validator raises a catalogued Refusal), choices, an empty text, a missing or unknown key.
WORDED_ELSEWHERE = {
    "value_error",
    "literal_error",
    "string_too_short",
    "missing",
    "extra_forbidden",
}
#: Schema dicts that describe a function or a serializer, not a field type.
_SKIPPED = {"serialization", "metadata", "json_schema_input_schema"}


def _walk(schema: Any, found: set[str]) -> None:
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, str):
            assert kind in RAISES, f"core schema type {kind!r}: list what it raises in RAISES"
            found.update(RAISES[kind])
            for constraint, by_kind in CONSTRAINTS.items():
                if schema.get(constraint) is not None:
                    found.add(by_kind[kind])
        for name, value in schema.items():
            if name not in _SKIPPED:
                _walk(value, found)
    elif isinstance(schema, list | tuple):
        for value in schema:
            _walk(value, found)


def reachable() -> set[str]:
    found: set[str] = set()
    for model in vars(models).values():
        if inspect.isclass(model) and issubclass(model, BaseModel) and model is not BaseModel:
            _walk(model.__pydantic_core_schema__, found)
    return found


def test_the_walk_finds_the_models_field_types():
    found = reachable()
    # It would pass on finding nothing: the models have texts, numbers, flags, lists, choices.
    assert {"string_type", "float_type", "bool_type", "list_type", "literal_error"} <= found


@pytest.mark.parametrize("kind", sorted(reachable()))
def test_every_reachable_error_type_is_worded_in_both_languages(kind):
    assert kind in PYDANTIC_KEYS or kind in WORDED_ELSEWHERE
    if kind in PYDANTIC_KEYS:
        for lang in LANGUAGES:
            assert PYDANTIC_KEYS[kind] in catalogue(lang)


#: Words of pydantic's English that French must not show.
ENGLISH = re.compile(r"\b(?:Input|should|valid|must|got|be|number|string|greater|less)\b")
CONTEXT = {"gt": 0, "ge": 0, "lt": 1, "le": 1, "max_length": 3, "min_length": 2, "pattern": "x"}


@pytest.mark.parametrize("kind", sorted(PYDANTIC_KEYS))
def test_each_worded_error_type_says_its_value_in_french(kind):
    error = {"type": kind, "loc": ("x",), "msg": "Input should be valid", "input": "abc"}
    error["ctx"] = CONTEXT
    french = error_text(error).render("fr")
    assert "'abc'" in french and ENGLISH.search(french) is None, french


def test_an_unknown_error_type_is_pydantic_s_english_in_english_and_french_in_french():
    error = {"type": "something_new", "loc": ("x",), "msg": "Input should be new", "input": 3}
    assert error_text(error).render("en") == "Input should be new"
    assert error_text(error).render("fr") == "valeur refusée\u202f: 3"
