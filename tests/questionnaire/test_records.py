"""Records: the models' names, fields and defaults, frozen, and copied with `replace`."""

from __future__ import annotations

import copy

import pytest
from conftest import MINIMAL_DATA
from pydantic_core import PydanticUndefined

from acvnum.questionnaire import models, records
from acvnum.questionnaire.models import as_record


@pytest.mark.parametrize("name", sorted(records.BY_NAME))
def test_each_record_has_its_models_fields_and_defaults(name):
    """The two declarations cannot drift: same fields in the same order, same defaults
    (`is`-equal types too: a default count of 1 stays the int 1, as the model keeps it)."""
    model, record = getattr(models, name), records.BY_NAME[name]
    assert tuple(model.model_fields) == record.FIELDS
    for field, info in model.model_fields.items():
        factory = info.default_factory
        default = info.default if factory is None else factory()  # type: ignore[call-arg]
        if default is PydanticUndefined:
            assert field not in record.DEFAULTS, field
        else:
            assert field in record.DEFAULTS, field
            assert (type(record.DEFAULTS[field]), record.DEFAULTS[field]) == (
                type(default),
                default,
            ), field


def test_every_model_has_a_record():
    found = {
        cls.__name__
        for cls in vars(models).values()
        if isinstance(cls, type) and issubclass(cls, models.StrictModel)
    }
    assert found - {"StrictModel"} == set(records.BY_NAME)


def test_a_converted_model_keeps_what_the_file_wrote():
    q = as_record(MINIMAL_DATA)
    assert isinstance(q, records.Questionnaire) and isinstance(q.usage, records.Usage)
    assert q.given == {"name", "usage"}
    assert q.usage.devices.given == {"laptop"} and q.usage.devices.laptop == 1.0
    assert q.period == records.Questionnaire.DEFAULTS["period"] and q.hosting is None


def test_records_are_frozen_and_compared_by_value():
    q = as_record(MINIMAL_DATA)
    with pytest.raises(AttributeError, match="frozen"):
        q.name = "other"  # type: ignore[misc]
    assert q == copy.deepcopy(q) and q != records.replace(q, name="other")
    with pytest.raises(TypeError, match="missing"):
        records.Server(name="web")


def test_replace_counts_the_changed_keys_as_given_like_model_copy():
    q = as_record(MINIMAL_DATA)
    changed = records.replace(q, period=2 * q.period)
    assert changed.period == 2 * q.period and q.period != changed.period
    assert changed.given == q.given | {"period"}
    model = models.Questionnaire.model_validate(MINIMAL_DATA)
    assert model.model_copy(update={"period": 1.0}).model_fields_set == changed.given


def test_lists_are_not_shared_between_records():
    a, b = records.Hosting(), records.Hosting()
    assert a.servers == [] and a.servers is not b.servers


def test_records_travel_to_worker_processes():
    """A folder's services are read in worker processes: records pickle and come back equal."""
    import pickle

    q = as_record(MINIMAL_DATA | {"hosting": {"servers": [{"name": "w", "type": "physical"}]}})
    back = pickle.loads(pickle.dumps(q))
    assert back == q and back.given == q.given and back.hosting.servers[0].count == 1
