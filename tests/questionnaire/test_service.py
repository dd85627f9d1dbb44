"""Services checked against the factor tables: the usual file's quick answer (every country
known, no cloud instance named) is the one the full checks give, places and words."""

from __future__ import annotations

import itertools

from acvnum.questionnaire.ranges import validate_ranges
from acvnum.questionnaire.service import (
    Service,
    _check_instances,
    _check_regions,
    _in_tables,
    _normalise,
    against_tables,
)
from acvnum.questionnaire.yaml_reader import parse_yaml
from acvnum.reference.factors import load_factors

TABLE = load_factors(None)
REGIONS = frozenset(TABLE.regions())

_HOSTING = (
    "",
    "hosting:\n  servers:\n    - name: a\n      count: 1\n      type: physical\n",
    "hosting:\n  location: {where}\n  servers:\n    - name: a\n      count: 1\n"
    "      type: physical\n    - name: b\n      count: 1\n      type: virtual\n      vcpu: 2\n",
    "hosting:\n  location: {where}\n  servers:\n    - name: a\n      count: 1\n"
    "      type: virtual\n      provider: ovhcloud\n      instance: {instance}\n",
)
_EXTRA = (
    "",
    "terminals:\n  location: {where}\n",
    "ai:\n  requests_per_visit: 1\n  output_tokens: 300\n  model:\n    size: small\n",
)


def _service(text: str) -> Service:
    document = parse_yaml(text, "f.yaml")
    _normalise(document)
    bounds = validate_ranges(document)
    return Service(bounds.central, document, bounds)


def test_the_quick_answer_is_the_full_checks_answer_for_every_place_a_country_is_written():
    quick = 0
    places = ("FRA", "fra", "ATA", "Xyz", None)
    for usage, where, hosting, instance, extra in itertools.product(
        places, places, _HOSTING, ("b3-16", "b3-99"), _EXTRA
    ):
        text = "name: x\nusage:\n  users: 10\n  visits_per_user: 1\n  visit_duration: 1 min\n"
        text += "  data_per_visit: 1 MB\n  devices:\n    laptop: 1\n  network:\n    fixed: 1\n"
        text += f"  location: {usage}\n" if usage else ""
        text += (hosting + extra).format(where=where or "WLD", instance=instance)
        service = _service(text)
        full = _check_regions(service, TABLE) + _check_instances(service, TABLE)
        assert [str(p) for p in against_tables(service, TABLE)] == [str(p) for p in full], text
        quick += _in_tables(service.questionnaire, REGIONS)
        # An unknown country anywhere (ATA and XYZ have no factors) is never the quick answer.
        if _in_tables(service.questionnaire, REGIONS):
            assert not full and "ATA" not in text and "Xyz" not in text and "instance" not in text
    assert quick > 50


def test_a_service_the_fast_path_reads_has_exactly_its_dataclass_fields(tmp_path):
    """load_service makes a fast-path file's Service and Bounds without their `__init__`,
    naming their fields by hand: each has exactly its dataclass's fields (none misspelt,
    none forgotten, none added), equal to the dataclass made from them, and stays frozen."""
    import dataclasses

    import pytest

    from acvnum.questionnaire import fast_path
    from acvnum.questionnaire.ranges import Bounds
    from acvnum.questionnaire.service import load_service

    text = (
        "name: a\nusage:\n  users: 10\n  visits_per_user: 2 / month\n  visit_duration: 5 min\n"
        "  data_per_visit: 1 MB\n  devices:\n    laptop: 100%\n  network:\n    fixed: 100%\n"
        "  location: FRA\n"
    )
    assert fast_path.read(text) is not None  # the fast path's file
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    service = load_service(path, load_factors())
    for cls, instance in ((Service, service), (Bounds, service.bounds)):
        names = [f.name for f in dataclasses.fields(cls)]
        assert sorted(vars(instance)) == sorted(names), cls.__name__
        assert instance == cls(**{name: getattr(instance, name) for name in names})
        assert vars(instance) == vars(cls(**{name: getattr(instance, name) for name in names}))
        with pytest.raises(dataclasses.FrozenInstanceError):
            instance.bounds = None  # type: ignore[misc]
