"""Dotted paths: parsed like the error messages print them; replacing never mutates; the
models walked along them as the what-if and the ranges read them."""

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


def test_place_of_a_device_field_is_a_value_with_the_models_above_it():
    from acvnum.questionnaire.models import DeviceSettings, Terminals

    found = modelpath.place(Questionnaire, ("terminals", "laptop", "lifetime"))
    assert (found.model, found.in_list) == (None, False)
    assert found.holders == (Questionnaire, Terminals, DeviceSettings)
    assert found.field is DeviceSettings.model_fields["lifetime"]


def test_place_of_a_server_list_item_by_index_or_pattern():
    from acvnum.questionnaire.models import Hosting, Server

    listed = modelpath.place(Questionnaire, ("hosting", "servers"))
    assert (listed.model, listed.in_list) == (Server, True)
    item = modelpath.place(Questionnaire, ("hosting", "servers", 1))
    assert (item.model, item.in_list) == (Server, False)
    power = modelpath.place(Questionnaire, ("hosting", "servers", 1, "power"))
    assert power.holders == (Questionnaire, Hosting, Server)
    assert power.field is Server.model_fields["power"]
    assert modelpath.place(Questionnaire, ("hosting", "servers", "*", "power")) == power


@pytest.mark.parametrize(
    ("path", "said"),
    [
        (
            ("terminals", "laptop", "lifetim"),
            "unknown key 'lifetim' in terminals.laptop; did you mean 'lifetime'? "
            "(known: lifetime, hours_per_day, power, standby)",
        ),
        (
            ("hostng",),
            "unknown key 'hostng' in the questionnaire; did you mean 'hosting'? (known: ",
        ),
        (("usage", 0, "users"), "usage is not a list: remove [0]"),
        (("hosting", "servers", "count"), "hosting.servers is a list: name an item, e.g. "),
        (("usage", "users", "x"), "usage.users is a value: it has no key 'x'"),
    ],
)
def test_place_says_where_a_path_leaves_the_models(path, said):
    with pytest.raises(modelpath.PathError) as refused:
        modelpath.place(Questionnaire, path)
    assert str(refused.value).startswith(said)


def test_get_in_reads_raw_data_and_is_none_where_the_file_leaves_it_out():
    assert modelpath.get_in(HOSTED, ("hosting", "servers", 1, "name")) == "b"
    assert modelpath.get_in(HOSTED, ("hosting", "servers", 1)) == {"name": "b", "type": "physical"}
    assert modelpath.get_in(HOSTED, ("hosting", "servers", 2, "name")) is None
    assert modelpath.get_in(HOSTED, ("hosting", "storage", "volume")) is None
    assert modelpath.get_in(HOSTED, ("hosting", "servers", "name")) is None  # a list, no key
    assert modelpath.get_in({"usage": 3}, ("usage", "users")) is None  # a value, no section


def test_fields_below_lists_every_field_once_each_found_again_by_place():
    found = list(modelpath.fields_below(Questionnaire))
    patterns = [path for path, _ in found]
    assert len(patterns) == len(set(patterns))
    assert patterns.index(("hosting", "servers")) < patterns.index(
        ("hosting", "servers", "*", "name")
    )
    assert ("terminals", "laptop", "lifetime") in patterns
    for path, info in found:
        assert modelpath.place(Questionnaire, path).field is info, path
