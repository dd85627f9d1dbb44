"""What acvnum adds to an assumption's path ('(idle)') and the questionnaire's choices
('per_server') are said in the report's language; English stays as the file writes it."""

from __future__ import annotations

import inspect
import types
import typing

import pytest
from pydantic import BaseModel

from acvnum.calculation.assumptions import API, IDLE, NOTES, PER_VCPU_FULL_LOAD
from acvnum.calculation.results import Assumption
from acvnum.i18n import CHOICES, LANGUAGES, Note, Translator, Value, catalogue, choice
from acvnum.questionnaire import models
from acvnum.report.common import assumption_path


def _choices() -> list[tuple[str, str]]:
    """(key, word) for every word of every questionnaire key CHOICES names (its Literal)."""
    found = set()
    for model in vars(models).values():
        if not (inspect.isclass(model) and issubclass(model, BaseModel)):
            continue
        for name, field in model.model_fields.items():
            if name not in CHOICES:
                continue
            annotation = field.annotation
            union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
            for arm in typing.get_args(annotation) if union else (annotation,):
                if typing.get_origin(arm) is typing.Literal:
                    found.update((name, word) for word in typing.get_args(arm))
                elif arm is bool:
                    found.update((name, word) for word in (True, False))
    return sorted(found, key=str)


CHOSEN = _choices()


def test_the_models_have_the_choices_said_in_words():
    keys = {key for key, _ in CHOSEN}
    # Found by reading the models: it would pass on finding none.
    assert {"infrastructure", "network_model", "type", "quality", "archetype"} <= keys


@pytest.mark.parametrize(("key", "word"), CHOSEN, ids=str)
def test_every_choice_has_its_words_english_as_written(key, word):
    value = choice(key, word)
    for lang in LANGUAGES:
        assert f"choice.{CHOICES[key]}.{str(word).lower()}" in catalogue(lang)
    assert Translator("en").value(value) == str(value) == str(word).lower()


@pytest.mark.parametrize(
    ("key", "word", "french"),
    [
        ("infrastructure", "per_server", "par serveur"),
        ("network_model", "per_gb", "par Go"),
        ("archetype", "medium", "moyen"),
        ("quality", "full_hd", "Full HD"),
        ("attachments_as_links", False, "non"),
    ],
)
def test_a_choice_is_said_in_french(key, word, french):
    assert Translator("fr").value(choice(key, word)) == french


def _row(path: str, note: Note | None) -> Assumption:
    return Assumption(path, Value(50.0, "W", written=True), "default", "[CCF]", note)


@pytest.mark.parametrize("note", NOTES, ids=lambda note: note.key)
def test_what_acvnum_adds_to_a_path_reads_as_written_in_english(note):
    row = _row("hosting.servers[0].power", note)
    english = catalogue("en")[f"assumption.note.{note.key}"]
    assert assumption_path(row, Translator("en")) == "hosting.servers[0].power" + english
    assert str(note) == english  # the words the JSON writes after the key
    french = assumption_path(row, Translator("fr"))
    assert french.startswith("hosting.servers[0].power ")
    assert english.strip() not in french or note == API


def test_a_path_s_words_in_french_the_key_as_written():
    fr, en = Translator("fr"), Translator("en")
    assert assumption_path(_row("hosting.servers[1].power", IDLE), fr) == (
        "hosting.servers[1].power (au repos)"
    )
    assert assumption_path(_row("hosting.servers[0].power", PER_VCPU_FULL_LOAD), fr) == (
        "hosting.servers[0].power par vCPU (pleine charge)"
    )
    frontier = _row("ai.model.size", Note("choice", choice("size", "frontier")))
    assert assumption_path(frontier, fr) == "ai.model.size (de pointe)"
    assert assumption_path(frontier, en) == "ai.model.size (frontier)"
    assert assumption_path(_row("usage.users", None), fr) == "usage.users"
