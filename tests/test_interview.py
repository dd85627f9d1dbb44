"""The interview's checks use the questionnaire's own rules; its file reads back as answered."""

from __future__ import annotations

import pytest
import yaml

from acvnum.i18n import Translator
from acvnum.interview import Refused, defaults, questions, render_yaml

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
        ("storage_type", "tape", "'ssd' or 'hdd'"),
        ("name", "  ", "a name is required"),
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
