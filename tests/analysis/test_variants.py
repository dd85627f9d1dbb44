"""Variants: values changed beside a questionnaire that stays as it is, the changes recorded
and shown, all variants evaluated in one pass, and what a change saves.

The levers' own figures through variants are tested in tests/analysis/test_levers.py (and
a variant's arrays against its changed copy, on every example, there too).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from conftest import MINIMAL

from acvnum.analysis.variants import (
    Change,
    Saving,
    Variant,
    boundary_weights,
    saving,
    savings,
    server_name,
    totals,
    value_at,
)
from acvnum.i18n import Translator, Value
from acvnum.questionnaire.models import as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
ENERGY = CRITERION_IDS.index("energy")
CLIMATE = CRITERION_IDS.index("climate_change")

HOSTING = {
    "servers": [
        {"name": "web", "type": "virtual", "vcpu": 4, "count": 2},
        {"name": "db", "type": "physical", "count": 1},
    ],
}


def make(users: int = 1000, hosting: dict | None = None):
    data = copy.deepcopy(yaml.safe_load(MINIMAL))
    data["usage"]["users"] = users
    if hosting is not None:
        data["hosting"] = hosting
    return as_record(data)


Q = make(hosting=HOSTING)


# --- changes ------------------------------------------------------------------------------


def test_a_change_is_written_path_before_arrow_after():
    change = Change("usage.visit_duration", Value(360.0, "s"), Value(180.0, "s"))
    # a duration in seconds shown in its largest unit that keeps it >= 1: 6 min, 3 min
    assert str(change) == "usage.visit_duration: 6 min → 3 min"
    assert change.to_dict() == {
        "path": "usage.visit_duration",
        "before": "6 min",
        "after": "3 min",
    }
    # French sets a narrow no-break space before the colon, a no-break one in a quantity
    assert change.text(Translator("fr")) == ("usage.visit_duration\u202f: 6\u00a0min → 3\u00a0min")


def test_a_change_s_subject_is_no_part_of_its_identity():
    a = Change("hosting.servers[0].count", Value(2.0), Value(1.0), subject="web")
    assert a == Change("hosting.servers[0].count", Value(2.0), Value(1.0))


@pytest.mark.parametrize(
    ("path", "amount", "english"),
    [
        (("usage", "visit_duration"), 5400.0, "1.5 h"),
        (("usage", "data_per_visit"), 2.5e6, "2.5 MB"),
        (("usage", "devices", "laptop"), 0.6, "60%"),
        (("hosting", "servers", 0, "utilization"), 0.25, "25%"),
        (("hosting", "servers", 0, "power"), 120.0, "120 W"),
        (("ai", "model", "parameters"), 70.0, "70B"),
        (("usage", "users"), 2000.0, "2000"),  # no unit for a key without one
    ],
)
def test_value_at_shows_a_key_in_the_unit_a_reader_expects(path, amount, english):
    assert str(value_at(path, amount)) == english


def test_value_at_shows_a_key_s_word_in_the_report_s_language():
    shown = value_at(("hosting", "servers", 0, "type"), "physical")
    assert str(shown) == "physical"
    assert Translator("fr").value(shown) == "physique"  # choice.type.physical
    assert Translator("en").value(value_at(("usage", "users"), 10.0, default=True)) == (
        "10 (default)"
    )


# --- a variant ----------------------------------------------------------------------------


def test_a_variant_reads_its_changes_first_and_never_changes_its_questionnaire():
    path = ("hosting", "servers", 0, "count")
    variant = Variant(Q).set(path, 1)
    assert variant.get(path) == 1
    assert Q.hosting.servers[0].count == 2
    assert variant.get(("usage", "users")) == 1000  # unchanged: read in the questionnaire
    assert variant.copy().hosting.servers[0].count == 1
    assert variant.copy().usage.users == 1000


def test_set_records_each_change_with_its_value_before_and_the_server_it_is_about():
    variant = (
        Variant(Q)
        .set(("hosting", "servers", 1, "count"), 3)
        .set(("usage", "visit_duration"), 180.0)
    )
    first, second = variant.changes
    assert str(first) == "hosting.servers[1].count: 1 → 3"
    assert first.subject == "db"
    assert str(second) == "usage.visit_duration: 6 min → 3 min"
    assert second.subject == ""
    assert dict(variant.edits) == {
        ("hosting", "servers", 1, "count"): 3,
        ("usage", "visit_duration"): 180.0,
    }


def test_set_shows_the_before_value_or_the_change_it_is_given():
    path = ("hosting", "servers", 0, "count")
    told = Variant(Q).set(path, 1, before=5)
    assert str(told.changes[0]) == "hosting.servers[0].count: 5 → 1"
    shown = Change("hosting.servers[0].count", Value(2.0), Value("part of the time"))
    means = Variant(Q).set(path, 1.3, shown=shown)
    assert means.changes == (shown,)
    assert means.get(path) == 1.3


def test_lookup_is_none_where_a_section_on_the_way_is_absent():
    variant = Variant(make())  # no hosting
    assert variant.lookup(("hosting", "servers", 0, "count")) is None
    assert Variant(Q).lookup(("hosting", "servers", 5, "count")) is None
    assert Variant(Q).lookup(("usage", "users")) == 1000


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("hosting", "servers", 0, "count"), "web"),
        (("hosting", "servers", 1), "db"),
        (("hosting", "servers", -1, "count"), "db"),  # Python's index from the end
        (("hosting", "servers", 2, "count"), ""),  # a server a --what-if would add
        (("hosting", "servers", -3, "count"), ""),
        (("hosting", "pue"), ""),
        (("usage", "users"), ""),
    ],
)
def test_server_name_names_the_server_a_path_is_under(path, name):
    assert server_name(Q, path) == name


def test_server_name_without_hosting_is_empty():
    assert server_name(make(), ("hosting", "servers", 0, "count")) == ""


# --- totals -------------------------------------------------------------------------------


def test_no_variant_gives_an_empty_table_of_every_criterion():
    assert totals([], TABLE).shape == (0, len(CRITERION_IDS))


def test_each_variant_has_its_own_row_in_order():
    # without hosting every impact is per visit: twice the users, twice every criterion
    small, large = make(1000), make(2000)
    variants = [Variant(large), Variant(small), Variant(small).set(("usage", "users"), 2000)]
    rows = totals(variants, TABLE)
    np.testing.assert_allclose(rows[0], 2 * rows[1], rtol=1e-12)
    np.testing.assert_allclose(rows[2], rows[0], rtol=1e-12)
    assert rows[1, CLIMATE] > 0 and rows[1, ENERGY] > 0


def test_a_variant_s_changes_and_its_changed_copy_give_the_same_totals():
    variant = Variant(Q).set(("hosting", "servers", 0, "count"), 1)
    changed, copied = totals([variant, Variant(variant.copy())], TABLE)
    np.testing.assert_array_equal(changed, copied)
    (unchanged,) = totals([Variant(Q)], TABLE)
    assert changed[ENERGY] < unchanged[ENERGY]  # one server of two off


def test_factor_scale_multiplies_a_device_factor_for_its_variant_only():
    # MINIMAL: 1000 users x 10 visits x 6 min on a laptop = 1000 h of laptop use; the
    # laptop's power doubled adds its power x 1000 h to the energy, in kWh: P W x 1000 h
    q = make()
    power = TABLE.value("device.laptop.power")
    scaled = Variant(q, factor_scale={"device.laptop.power": 2.0})
    before, after, again = totals([Variant(q), scaled, Variant(q)], TABLE)
    assert after[ENERGY] - before[ENERGY] == pytest.approx(power * 1000 / 1000)
    np.testing.assert_array_equal(again, before)
    with pytest.raises(ValueError, match="cannot be scaled per service"):
        totals([Variant(q, factor_scale={"network.fixed.energy": 2.0})], TABLE)


# --- savings ------------------------------------------------------------------------------


def test_boundary_weights_are_one_over_a_person_s_yearly_boundary_and_none_for_energy():
    limits = boundaries(TABLE)
    weights = boundary_weights(limits)
    assert weights[ENERGY] == 0.0  # energy has no planetary boundary
    assert weights[CLIMATE] == pytest.approx(1 / limits.per_person_year["climate_change"])


def test_savings_of_several_changes_at_once():
    n = len(CRITERION_IDS)
    before = np.array([np.full(n, 10.0), np.zeros(n)])
    after = np.array([np.full(n, 8.0), np.zeros(n)])
    weights = np.zeros(n)
    weights[CLIMATE] = 0.5
    found = savings(before, after, np.array([2.0, 1.0]), weights)
    # row 0: 2 saved of 10 on every criterion (20%); 2 x 0.5 person-years over 2 years = 0.5
    np.testing.assert_array_equal(found.saved[0], np.full(n, 2.0))
    np.testing.assert_array_equal(found.fraction[0], np.full(n, 0.2))
    assert found.persons_equivalent[0] == pytest.approx(0.5)
    # row 1: nothing before, nothing saved: a reduction of 0, not a division by zero
    np.testing.assert_array_equal(found.fraction[1], np.zeros(n))
    row = found.row(0)
    assert row.saving["climate_change"] == 2.0
    assert row.reduction["energy"] == pytest.approx(0.2)
    assert row.persons_equivalent == pytest.approx(0.5)


def test_one_saving_is_a_row_of_savings_and_its_json():
    n = len(CRITERION_IDS)
    weights = np.ones(n)
    one = saving(np.full(n, 4.0), np.full(n, 3.0), 4.0, weights)
    # 1 saved on each of n criteria, over 4 years: n / 4 persons-equivalent a year
    assert isinstance(one, Saving)
    assert one.persons_equivalent == pytest.approx(n / 4)
    assert one.to_dict() == {
        "reduction": dict.fromkeys(CRITERION_IDS, 0.25),
        "saving": dict.fromkeys(CRITERION_IDS, 1.0),
        "persons_equivalent_saved": pytest.approx(n / 4),
    }
