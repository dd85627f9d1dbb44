"""Dotted paths: parsed like the error messages print them; replacing never mutates."""

import pytest
import yaml
from conftest import MINIMAL

from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire.models import Questionnaire, dotted

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
    with pytest.raises(modelpath.PathError, match="keys joined by dots"):
        modelpath.parse(text)


def test_replace_returns_a_copy_and_leaves_the_model_alone():
    q = Questionnaire.model_validate(HOSTED)
    changed = modelpath.replace(q, ("hosting", "servers", 1, "count"), 5.0)
    assert modelpath.get(changed, ("hosting", "servers", 1, "count")) == 5.0
    assert modelpath.get(changed, ("hosting", "servers", 0, "count")) == 1.0
    assert q.hosting.servers[1].count == 1.0
    assert changed.usage is q.usage  # untouched branches are shared, not copied
