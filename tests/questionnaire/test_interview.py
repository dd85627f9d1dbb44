"""The interview's checks use the questionnaire's own rules; its file reads back as answered."""

from __future__ import annotations

import pytest
import yaml
from conftest import run_cli

from acvnum.errors import Refused
from acvnum.i18n import Translator
from acvnum.questionnaire.interview import defaults, questions, render_yaml
from acvnum.questionnaire.models import validate
from acvnum.questionnaire.yaml_reader import parse_yaml

REGIONS = ["DEU", "FRA", "WLD"]
T = Translator("en")


def check(key: str, text: str, answers: dict | None = None) -> str:
    (question,) = [q for q in questions(REGIONS) if q.key == key]
    return question.check(text, answers or {}, T)


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("users", "0", "users must be between 1"),
        ("visit_duration", "25 h", "at most 24 h"),
        ("visit_duration", "5 parsecs", "unknown duration unit 'parsecs'"),
        ("data_per_visit", "-1 MB", "between 0 and 1 TB"),
        ("network", "fixed 50%", "network shares must sum to 100%"),
        ("devices", "smartphone", "write name and share pairs"),
        ("location", "Mars", "unknown country or region 'MARS'"),
        ("vcpu", "0", "vcpu must be between"),
        ("storage_volume", "3 parsecs", "unknown data unit"),
        ("storage_type", "tape", "'tape' is not allowed: write one of ssd, hdd"),
        ("name", "  ", "a name is required"),
        ("period", "200 years", "the period must be between 1 day and 100 years"),
        ("pue", "0.9", "PUE must be between 1 and 4, got 0.9"),
        ("environments", "0", "environments must be between 1 and 20"),
        ("replicas", "1.5", "replicas must be a whole number"),
    ],
)
def test_bad_answers_are_refused_with_the_questionnaires_reason(key, text, reason):
    with pytest.raises(Refused, match=reason):
        check(key, text)


def test_shares_are_written_in_a_canonical_form():
    assert check("devices", "Smartphone=0.5; laptop: 50%") == "smartphone: 0.5, laptop: 50%"


def test_a_name_that_yaml_would_misread_is_quoted():
    answers = {**defaults(REGIONS, "en"), "name": "Shop: 2024 # new"}
    data = yaml.safe_load(render_yaml(answers, T))
    assert data["name"] == "Shop: 2024 # new"


def test_no_servers_and_no_storage_leave_only_the_location():
    answers = {**defaults(REGIONS, "en"), "virtual_servers": "0", "storage_volume": "0"}
    assert yaml.safe_load(render_yaml(answers, T))["hosting"] == {"location": "WLD"}


def test_follow_up_questions_are_skipped_when_there_is_nothing_to_ask():
    answers = {**defaults(REGIONS, "en"), "virtual_servers": "0", "storage_volume": "0"}
    asked = [q.key for q in questions(REGIONS) if q.asked(answers)]
    assert "vcpu" not in asked
    assert "storage_type" not in asked


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("visit_duration", "1:30", "'1:30' is ambiguous (hours:minutes or minutes:seconds?)"),
        ("users", "0x10", "expected a plain decimal number such as 24, got '0x10'"),
        ("users", "9" * 5000, "is 5000 characters long: a quantity takes at most 100"),
    ],
)
def test_answers_yaml_1_1_would_misread_are_refused(key, text, reason):
    assert reason in _refusal(key, text)


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("ai_requests", "1e23", "requests_per_visit must be between 0 and 10000, got 1e+23"),
        ("ai_output_tokens", "2e6", "output_tokens must be between 0 and 1e+06, got 2e+06"),
        ("ai_input_tokens", "2e7", "input_tokens must be between 0 and 1e+07, got 2e+07"),
        ("messages_per_user", "1e23", "messages per user must be between 0 and 1e+13"),
    ],
)
def test_an_optional_answer_out_of_the_files_bounds_is_asked_again(key, text, reason):
    # It was taken, then refused in the file written: init ended 'nothing was written',
    # naming its draft ('.x.yaml.draft:37:3: ai.requests_per_visit: ...').
    assert reason in _refusal(key, text)


def _refusal(key: str, text: str) -> str:
    """Why the answer `text` to the question `key` is refused (it must be)."""
    with pytest.raises(Refused) as caught:
        check(key, text)
    return str(caught.value)


def test_a_name_that_yaml_would_read_as_a_number_stays_text():
    answers = {**defaults(REGIONS, "en"), "name": "2024"}
    text = render_yaml(answers, T)
    assert "name: '2024'" in text.splitlines()
    assert validate(parse_yaml(text, "s.yaml")).name == "2024"


@pytest.mark.parametrize(
    ("name", "written"), [("1e309", '"1e309"'), ("1e-400", '"1e-400"'), ("1e5", '"1e5"')]
)
def test_a_name_pyyaml_writes_plain_but_acvnum_reads_as_a_number_is_quoted(name, written):
    # PyYAML wrote 'name: 1e309' plain (no dot: not a float to YAML 1.1); acvnum read a
    # number out of range and init ended 'nothing was written', naming its draft file.
    answers = {**defaults(REGIONS, "en"), "name": name}
    text = render_yaml(answers, T)
    assert f"name: {written}" in text.splitlines()
    assert validate(parse_yaml(text, "s.yaml")).name == name


def test_the_written_file_ends_with_one_newline(tmp_path):
    path = tmp_path / "s.yaml"
    assert run_cli("init", str(path), "--no-input").returncode == 0
    written = path.read_text(encoding="utf-8")
    assert written.endswith("\n") and not written.endswith("\n\n")


def test_enter_leaves_pue_environments_and_replicas_to_their_defaults():
    answers = defaults(REGIONS, "en")
    assert (answers["pue"], answers["environments"], answers["replicas"]) == ("", "", "")
    hosting = yaml.safe_load(render_yaml(answers, T))["hosting"]
    assert "pue" not in hosting and "environments" not in hosting
    assert "replicas" not in hosting["storage"]


def test_given_pue_environments_and_replicas_are_written():
    answers = {**defaults(REGIONS, "en"), "pue": "1.2", "environments": "3", "replicas": "2"}
    hosting = yaml.safe_load(render_yaml(answers, T))["hosting"]
    assert (hosting["pue"], hosting["environments"], hosting["storage"]["replicas"]) == (1.2, 3, 2)
