"""Dotted paths: parsed like the error messages print them; replacing never mutates."""

import pytest
import yaml
from conftest import MINIMAL

from acvnum.errors import PathError
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.questionnaire.paths import dotted

HOSTED = yaml.safe_load(MINIMAL) | {
    "hosting": {"servers": [{"name": "a", "type": "physical"}, {"name": "b", "type": "physical"}]}
}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("usage.data_per_visit", ("usage", "data_per_visit")),
        ("hosting.servers[1].count", ("hosting", "servers", 1, "count")),
        (" period ", ("period",)),
    ],
)
def test_parse_is_the_inverse_of_dotted(text, path):
    assert modelpath.parse(text) == path
    assert dotted(path) == text.strip()


@pytest.mark.parametrize(
    "text", ["", "usage..users", "servers[x]", "usage.users[", "1abc", "a.b-c"]
)
def test_a_badly_spelled_path_is_refused(text):
    with pytest.raises(PathError, match="keys joined by dots"):
        modelpath.parse(text)


def test_replace_returns_a_copy_and_leaves_the_model_alone():
    q = as_record(HOSTED)
    changed = modelpath.replace(q, ("hosting", "servers", 1, "count"), 5.0)
    assert modelpath.get(changed, ("hosting", "servers", 1, "count")) == 5.0
    assert modelpath.get(changed, ("hosting", "servers", 0, "count")) == 1.0
    assert q.hosting.servers[1].count == 1.0
    assert changed.usage is q.usage  # untouched branches are shared, not copied


def test_pattern_and_with_index_are_inverses_for_one_list():
    path = ("hosting", "servers", 2, "power")
    assert modelpath.pattern(path) == ("hosting", "servers", "*", "power")
    assert modelpath.with_index(modelpath.pattern(path), 2) == path


def test_set_creating_makes_the_missing_sections_but_never_a_list_item():
    data = {"usage": {"users": 1}}
    modelpath.set_creating(data, ("hosting", "storage", "volume"), "1 TB")
    assert data["hosting"] == {"storage": {"volume": "1 TB"}}
    with pytest.raises(PathError, match=r"hosting.servers is absent from the file"):
        modelpath.set_creating(data, ("hosting", "servers", 0, "count"), 2)
    data["hosting"]["servers"] = [{"count": 1}]
    with pytest.raises(PathError, match=r"has 1 item\(s\), so \[3\] does not exist"):
        modelpath.set_creating(data, ("hosting", "servers", 3, "count"), 2)


def test_field_model_sees_through_optional_and_list():
    from acvnum.questionnaire.models import Hosting, Server

    fields = Questionnaire.model_fields
    assert modelpath.field_model(fields["hosting"].annotation) == (Hosting, False)
    assert modelpath.field_model(Hosting.model_fields["servers"].annotation) == (Server, True)
    assert modelpath.field_model(fields["name"].annotation) == (None, False)
