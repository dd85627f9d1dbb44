"""The cells of the levers and what-if sections, shared by the text and markdown reports."""

import pytest
from conftest import EXAMPLES

from acvnum.assessment import Settings, assess
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.levers_section import lever_rows, variation, what_if_rows

EN, FR = Translator("en"), Translator("fr")


@pytest.mark.parametrize(
    ("reduction", "en", "fr"),
    [
        (0.171, "−17\u00a0%", "−17\u202f%"),
        (0.0613, "−6.1\u00a0%", "−6,1\u202f%"),
        (-0.004, "+0.4\u00a0%", "+0,4\u202f%"),
        (0.0004, "−0.04\u00a0%", "−0,04\u202f%"),  # small but not nothing: one significant digit
        (-0.0000004, "+<0.001\u00a0%", "+<0,001\u202f%"),
        (0.0, "0\u00a0%", "0\u202f%"),  # only no change at all reads 0 %
        (1.0, "−100\u00a0%", "−100\u202f%"),
    ],
)
def test_a_saving_is_shown_as_the_criterion_s_signed_variation(reduction, en, fr):
    """The space before '%' is a no-break one: narrow in French, as its other percentages."""
    assert variation(reduction, EN) == en
    assert variation(reduction, FR) == fr


@pytest.fixture(scope="module")
def found():
    settings = Settings(levers=3, what_if=("hosting.pue=1.2",))
    return assess([EXAMPLES / "ecommerce.yaml"], settings).found(0)


def test_one_row_per_lever_then_the_combination(found):
    rows = lever_rows(found, FR)
    assert [row[0] for row in rows] == ["1", "2", "3", ""]
    assert rows[0][1] == found.levers[0].lever.title["fr"]
    assert rows[-1][1] == "Les 3 premiers ensemble" and rows[-1][2] == "1 + 2 + 3"
    assert all(len(row) == 4 + len(CRITERION_IDS) for row in rows)


def test_what_if_rows_give_before_after_and_saving_per_criterion(found):
    rows = what_if_rows(found, EN)
    assert [row[0] for row in rows] == [EN(f"criterion.{c}") for c in CRITERION_IDS]
    energy = rows[-1]
    w = found.what_if
    assert energy[2:5] == [EN.number(w.before["energy"]), EN.number(w.after["energy"]),
                           EN.number(w.effect.saving["energy"])]  # fmt: skip
