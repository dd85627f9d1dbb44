"""A lever's changes in words, in both languages, with the technical change as fallback."""

import pytest

from acvnum.analysis.variants import Change
from acvnum.i18n import Translator, Value
from acvnum.report.lever_words import sentence, words


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "keep laptops 7.5 years instead of 5 years"),
        ("fr", "garder les ordinateurs portables 7,5 ans au lieu de 5 ans"),
    ],
)
def test_a_device_lifetime(lang, expected):
    change = Change(
        "device.laptop.lifetime", Value(5.0, "year", factor=True), Value(7.5, "year", factor=True)
    )
    assert words(change, Translator(lang)) == expected


def test_a_whole_server_count_speaks_of_servers():
    change = Change("hosting.servers[1].count", Value(3.0), Value(2.0), subject="web")
    assert words(change, Translator("en")) == "2 'web' servers instead of 3"


def test_a_fractional_count_speaks_of_servers_running_on_average():
    # Switching non-production copies off part of the day leaves 1.3 servers running on
    # average (4/3, shown 1.33): never "1.33 servers".
    change = Change("hosting.servers[0].count", Value(2.0), Value(4 / 3), subject="web")
    shown = words(change, Translator("en"))
    assert shown == "'web' servers running 1.33 at a time on average instead of 2"


def test_a_storage_type_is_named_in_capitals():
    change = Change("hosting.storage.type", Value("ssd"), Value("hdd"))
    assert words(change, Translator("en")) == "store the data on HDD instead of SSD"


def test_a_path_without_a_sentence_is_shown_technically():
    change = Change("usage.users", Value(50000.0), Value(40000.0))
    assert words(change, Translator("en")) == "usage.users: 50000 → 40000"


def test_sentence_joins_the_changes_in_the_language():
    changes = (
        Change("usage.visit_duration", Value(300.0, "s"), Value(240.0, "s")),
        Change("usage.data_per_visit", Value(2.5e6, "B"), Value(2e6, "B")),
    )
    assert sentence(changes, Translator("fr")) == (
        "des visites de 4 min au lieu de 5 min\u202f; 2 Mo transférés par visite au lieu de 2,5 Mo"
    )
