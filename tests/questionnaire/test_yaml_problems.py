"""The YAML readers' sentences about a malformed file: English as the reader wrote them,
French in French (no English prose), under libyaml and pure-Python PyYAML alike."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import run_cli

from acvnum.errors import InputError
from acvnum.questionnaire import yaml_problems
from acvnum.questionnaire.yaml_reader import parse_yaml

#: Malformed files, one per kind of sentence the readers have for them.
MALFORMED = {
    "flow_sequence": "usage:\n  users: [1\n",
    "flow_sequence_colon": "a: [1, 2\nb: 3\n",
    "flow_mapping": "a: {b: 1\n",
    "mapping_values": "a: b: c\n",
    "simple_key": "a\nb: 1\n",
    "bad_character": "a: @x\n",
    "tab_indent": "a:\n\tb: 1\n",
    "tab_in_plain": "a:\n  b: 1\n\t c: 2\n",
    "unclosed_double": 'a: "abc\n',
    "unclosed_single": "a: 'abc\n",
    "undefined_alias": "a: *x\n",
    "duplicate_anchor": "a: &x 1\nb: &x 2\n",
    "bad_indent": "a:\n  b: 1\n c: 2\n",
    "sequence_after_mapping": "a: 1\n- b\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "unknown_escape": 'a: "\\q"\n',
    "document_in_quote": 'a: "x\n---\n"\n',
    "yaml_version": "%YAML 2.0\n---\na: 1\n",
    "tag_handle": "a: !x!y 1\n",
    "indentation_zero": "a: |0\n  x\n",
    "explicit_key": "? a\n? b\n: c\n- d\n",
    "empty_anchor": "a: & 1\n",
    "empty_alias": "a: * \n",
    "bracket_in_block": "a: [1, ]]\n",
    "nested_colons": "a: [b: c: d]\n",
    "dash_after_key": "a: - b\n",
    "flow_colon": "a: {b:c, :d}\n",
    "closing_bracket": "a: ]\n",
    "unicode_escape": 'a: "\\uZZZZ"\n',
    "verbatim_tag": "a: !<x 1\n",
    "block_indicator": "a: |x\n  b\n",
}

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
#: Words of the readers' English that no French sentence has.
ENGLISH = re.compile(
    r"\b(?:while|found|expected|allowed|parsing|scanning|character|cannot|the|not|but|got"
    r"|did|find|could|token|mapping|sequence|stream|undefined|occurrence)\b"
)


def _error(loader: type[yaml.SafeLoader], text: str) -> yaml.MarkedYAMLError:
    reader = loader(text)
    try:
        reader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return error
    finally:
        reader.dispose()
    raise AssertionError("read without error")


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_every_reader_sentence_is_catalogued_english_as_said_french_in_french(loader, case):
    text = MALFORMED[case]
    error = _error(loader, text)
    said = yaml_problems.detail(error, text)
    english = " ".join(part for part in (error.context, error.problem) if part)
    assert said.render("en") == english
    assert "'yaml.said.unknown'" not in repr(said), english
    french = said.render("fr")
    assert ENGLISH.search(french) is None, french


def test_a_tab_is_named_in_french_and_a_character_quoted():
    tab = yaml_problems.detail(_error(LOADERS[-1], MALFORMED["tab_indent"]), "a:\n\tb: 1\n")
    assert tab.render("fr") == (
        "une tabulation ne peut pas servir d'indentation\u202f: indentez avec des espaces"
        " (en cherchant l'élément suivant)"
    )
    at = yaml_problems.detail(_error(LOADERS[-1], "a: @x\n"), "a: @x\n")
    assert at.render("fr").startswith("le caractère «\u202f@\u202f» ne peut pas commencer")


@pytest.mark.parametrize(
    ("context", "problem", "french"),
    [
        ("while doing something new", "it broke", "structure non reconnue à cet endroit"),
        ("while parsing a flow sequence", "it broke", "structure non reconnue à cet endroit"),
        ("while doing something new", "found unexpected end of stream", "le fichier se termine"),
        (None, "it broke", "structure non reconnue à cet endroit"),
    ],
)
def test_an_unknown_sentence_is_english_as_said_and_never_english_in_french(
    context, problem, french
):
    error = yaml.MarkedYAMLError(context=context, problem=problem)
    said = yaml_problems.detail(error, "")
    assert said.render("en") == " ".join(part for part in (context, problem) if part)
    assert said.render("fr").startswith(french)
    assert ENGLISH.search(said.render("fr")) is None


def test_a_control_character_is_located_where_it_stands():
    text = "usage:\n  users: 1\x01\n"
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "q.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 11)
    assert problem.render("en") == (
        "q.yaml:2:11: malformed YAML: unacceptable character #x0001: control characters are"
        " not allowed"
    )
    assert problem.render("fr") == (
        "q.yaml:2:11: YAML mal formé\u202f: caractère de contrôle #x0001\u202f: non permis dans"
        " un fichier YAML"
    )


def test_validate_says_a_malformed_file_in_french(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MALFORMED["flow_sequence"], encoding="utf-8")
    result = run_cli("validate", str(bad), "--lang", "fr")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{bad}:3:1: YAML mal formé\u202f: «\u202f,\u202f» ou «\u202f]\u202f» attendu"
        " (dans une liste entre crochets)"
    )
