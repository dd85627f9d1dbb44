"""A lever's changes in words, in both languages, with the technical change as fallback."""

import pytest

from acvnum.analysis.variants import Change
from acvnum.i18n import Translator
from acvnum.report.lever_words import sentence, words


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "keep laptops 7.5 years instead of 5 years"),
        ("fr", "garder les ordinateurs portables 7,5 ans au lieu de 5 ans"),
    ],
)
def test_a_device_lifetime(lang, expected):
    change = Change("device.laptop.lifetime", "5 years", "7.5 years")
    assert words(change, Translator(lang)) == expected


def test_a_whole_server_count_speaks_of_servers():
    change = Change("hosting.servers[1].count", "3", "2", subject="web")
    assert words(change, Translator("en")) == "2 'web' servers instead of 3"


def test_a_fractional_count_speaks_of_servers_running_on_average():
    # Switching non-production copies off part of the day leaves 1.3 servers running on
    # average: never "1.3 servers".
    change = Change("hosting.servers[0].count", "2", "1.3", subject="web")
    shown = words(change, Translator("en"))
    assert shown == "'web' servers running 1.3 at a time on average instead of 2"


def test_a_storage_type_is_named_in_capitals():
    change = Change("hosting.storage.type", "ssd", "hdd")
    assert words(change, Translator("en")) == "store the data on HDD instead of SSD"


def test_a_path_without_a_sentence_is_shown_technically():
    change = Change("usage.users", "50000", "40000")
    assert words(change, Translator("en")) == "usage.users: 50000 → 40000"


def test_sentence_joins_the_changes_in_the_language():
    changes = (
        Change("usage.visit_duration", "5 min", "4 min"),
        Change("usage.data_per_visit", "2.5 MB", "2 MB"),
    )
    assert sentence(changes, Translator("fr")) == (
        "des visites de 4 min au lieu de 5 min\u202f; 2 Mo transférés par visite au lieu de 2,5 Mo"
    )
