"""The cells and sentences every check renderer shares (acvnum.report.check_common), worked
by hand from the catalogues (acvnum/locale/en.json, fr.json) and the mass and energy
scales of acvnum.report.common (g, kg, t CO2e; Wh, kWh, MWh, GWh)."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_DATA

import acvnum
from acvnum.analysis.budgets import BaselineOutcome, BudgetOutcome
from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.analysis.comparison import Change, CriterionChange, FactorChange
from acvnum.analysis.found import Found
from acvnum.i18n import Translator
from acvnum.report import check_common as cc

EN, FR = Translator("en"), Translator("fr")
NB = "\u00a0"  # between a percentage and its sign in English
NNB = "\u202f"  # in French: narrow, as every French percentage (report.common.percent_sign)
CLIMATE = ("climate_change", "kg CO2 eq")


def budget(limit: float, value: float, share: float | None = None, statistic="central"):
    return BudgetOutcome(*CLIMATE[:1], "visit", CLIMATE[1], limit, value, share, statistic)


#: Climate change per visit from 2.00 to 2.30 g: the terminals grew 15 %, the network 2 %,
#: the data centre shrank 2 % (not a tier that grew).
GREW = CriterionChange(
    *CLIMATE,
    Change(0.002, 0.0023),
    {
        "terminals": Change(0.001, 0.00115),
        "network": Change(0.0005, 0.00051),
        "datacenter": Change(0.0008, 0.000784),
    },
)


@pytest.fixture(scope="module")
def result():
    (service,) = acvnum.estimate(dict(MINIMAL_DATA), levers=0)
    return service


# --- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "criterion", "unit", "t", "expected"),
    [
        (0.0018, "climate_change", "kg CO2 eq", EN, "1.80 g CO2e"),  # >= 1e-3 kg: in grams
        (1234.5, "climate_change", "kg CO2 eq", FR, "1,23 t CO2e"),  # >= 1e3 kg: in tonnes
        (0.00052, "energy", "kWh", EN, "0.520 Wh"),  # below the smallest scale: still Wh
        (3.1e-8, "minerals_metals", "kg Sb eq", EN, "3.10e-08 kg Sb eq"),  # no scale
        (2.5e-9, "particulate_matter", "disease incidence", FR, "2,50e-09 incid. maladie"),
        (12.0, "user.metric", "kg X", EN, "12.0 kg X"),  # unknown criterion: its own unit
    ],
)
def test_a_quantity_is_written_in_its_readable_unit(value, criterion, unit, t, expected):
    assert cc.quantity(value, criterion, unit, t) == expected


def test_a_row_s_unit_is_chosen_from_its_limit_not_each_value():
    assert cc.unit_for(0.002, *CLIMATE, EN) == (1e-3, "g CO2e")
    # a 2 g limit and 1.5 kg judged: both in grams, so they read against each other
    cells = cc.budget_cells(budget(0.002, 1.5), EN, share_column=False)
    assert cells[2:5] == ["g CO2e", "2.00", "1,500"]


@pytest.mark.parametrize(
    ("fraction", "signed", "t", "expected"),
    [
        (0.12, True, EN, f"+12.0{NB}%"),
        (-0.05, True, EN, f"-5.00{NB}%"),
        (0.0, True, EN, f"0{NB}%"),  # no sign on nothing
        (0.12, False, EN, f"12.0{NB}%"),
        (0.125, True, FR, f"+12,5{NNB}%"),
        (None, True, EN, "new"),  # grown from nothing
        (None, True, FR, "nouveau"),
    ],
)
def test_percent(fraction, signed, t, expected):
    assert cc.percent(fraction, t, signed) == expected


def test_percent_s_docstring_shows_what_it_writes():
    for fraction, t in [(0.12, EN), (0.12, FR), (0.0, EN), (None, EN)]:
        assert f"'{cc.percent(fraction, t)}'" in cc.percent.__doc__


def test_status_words():
    assert [cc.status(p, EN) for p in (True, False)] == ["PASS", "FAIL"]
    assert [cc.status(p, FR) for p in (True, False)] == ["OK", "ÉCHEC"]


# --- budgets -------------------------------------------------------------------------------


def test_a_budget_row_without_the_share_column():
    # limit 2 g: the row in grams; 1.5 of 2 used leaves 25 %
    cells = cc.budget_cells(budget(0.002, 0.0015), EN, share_column=False)
    assert cells == ["Climate change", "visit", "g CO2e", "2.00", "1.50", f"+25.0{NB}%", "PASS"]


def test_a_budget_row_with_the_share_column_in_french():
    # 3 g against 2 g: 50 % over; the limit is 10 % of a person's boundary (unsigned)
    cells = cc.budget_cells(budget(0.002, 0.003, share=0.1), FR, share_column=True)
    assert cells == [
        "Changement climatique",
        "visite",
        "g CO2e",
        f"10,0{NNB}%",
        "2,00",
        "3,00",
        f"-50,0{NNB}%",
        "ÉCHEC",
    ]


def test_a_row_without_a_share_keeps_an_empty_cell_where_the_table_has_the_column():
    cells = cc.budget_cells(budget(0.002, 0.001), EN, share_column=True)
    assert len(cells) == 8 and cells[3] == ""
    assert cc.with_share([budget(1, 1), budget(1, 1, share=0.2)])
    assert not cc.with_share([budget(1, 1)]) and not cc.with_share([])


def test_the_budget_header_matches_the_rows():
    assert cc.budget_header(EN, share_column=False) == [
        "Criterion",
        "Per",
        "Unit",
        "Limit",
        "Value",
        "Margin",
        "Result",
    ]
    header = cc.budget_header(FR, share_column=True, statistic="p95")
    assert header[3:6] == ["Part de limite", "Limite", "Valeur (p95)"]
    assert len(header) == len(cc.budget_cells(budget(1, 1), FR, True))


def test_a_failed_budget_in_a_sentence():
    over = budget(0.002, 0.003)
    assert cc.budget_failure(over, EN) == (
        "Climate change per visit: 3.00 g CO2e is over the limit of 2.00 g CO2e."
    )
    at_p95 = budget(0.002, 0.003, statistic="p95")
    assert cc.budget_failure(at_p95, EN) == (
        "Climate change per visit: 3.00 g CO2e (95th percentile) is over the limit of 2.00 g CO2e."
    )
    assert cc.budget_failure(budget(0.002, 0.003, statistic="p50"), FR) == (
        "Changement climatique par visite\u202f: 3,00 g CO2e (médiane) dépasse la limite de "
        "2,00 g CO2e."
    )


# --- the baseline --------------------------------------------------------------------------


def test_tiers_that_grew_largest_first():
    grew = BaselineOutcome(GREW, tolerance=0.05)
    assert cc.tiers_grown(grew, EN) == f"Terminals +15.0{NB}%, Network +2.00{NB}%"
    assert cc.tiers_grown(grew, FR) == f"Terminaux +15,0{NNB}%, Réseau +2,00{NNB}%"
    flat = CriterionChange(*CLIMATE, Change(1, 1), {"network": Change(1, 1)})
    assert cc.tiers_grown(BaselineOutcome(flat, 0.05), EN) == "—"


def test_a_baseline_row_names_the_tiers_only_when_it_failed():
    failed = cc.baseline_cells(BaselineOutcome(GREW, tolerance=0.05), EN)
    assert failed[:6] == ["Climate change", "g CO2e", "2.00", "2.30", f"+15.0{NB}%", "FAIL"]
    assert failed[6].startswith("Terminals")
    passed = cc.baseline_cells(BaselineOutcome(GREW, tolerance=0.2), EN)
    assert passed[5:] == ["PASS", ""]
    assert len(cc.baseline_header(EN)) == len(failed)
    assert cc.baseline_header(FR)[-1] == "Tiers en hausse"


def test_a_regression_in_a_sentence():
    sentence = cc.baseline_failure(BaselineOutcome(GREW, tolerance=0.05), EN)
    assert sentence == (
        f"Climate change per visit grew +15.0{NB}% (2.00 g CO2e → 2.30 g CO2e), beyond the "
        f"tolerance of 5.00{NB}%; tiers that grew: Terminals +15.0{NB}%, Network +2.00{NB}%."
    )


def test_each_side_of_a_change_has_its_own_unit():
    # 900 g (under 1 kg) then 1.2 kg
    assert cc.change_text(Change(0.9, 1.2), *CLIMATE, EN) == "900 g CO2e → 1.20 kg CO2e"


def test_the_baseline_title_names_the_file_as_shown():
    run = CheckRun([], baseline_file="old\x1b.json", tolerance=0.1)
    title = cc.baseline_title(run, FR, lambda s: s.replace("\x1b", "?"))
    assert title == f"Par rapport à la référence old?.json (par visite, tolérance 10,0{NNB}%)"


# --- the run -------------------------------------------------------------------------------


def test_the_summary_counts_every_outcome_of_every_service(result):
    ok = ServiceCheck(result, Found(budgets=(budget(1, 0.5), budget(1, 0.9))))
    assert cc.summary(CheckRun([ok]), EN) == "2 of 2 checks passed."
    over = ServiceCheck(result, Found(budgets=(budget(1, 2),)), [BaselineOutcome(GREW, 0.05)])
    run = CheckRun([ok, over], baseline_file="b.json", tolerance=0.05)
    assert cc.summary(run, EN) == "2 of 4 checks failed."
    assert cc.summary(run, FR) == "Contrôles en échec\u202f: 2 sur 4."


def test_the_statistic_note_only_for_a_percentile():
    assert cc.statistic_note(CheckRun([]), EN) is None
    assert cc.statistic_note(CheckRun([], statistic="p50"), EN).startswith(
        "Budgets are judged on the median"
    )


def test_the_notes_of_a_baseline(result):
    shown = str.upper
    plain = ServiceCheck(result)
    run = CheckRun([plain], baseline_file="b.json")
    assert cc.renamed_note(plain, run, EN, shown) is None
    assert cc.factors_note(plain, EN) is None
    assert cc.baseline_notes(plain, run, EN, shown) == []
    assert cc.service_name(plain, shown) == result.name.upper()
    renamed = ServiceCheck(
        result,
        baseline_name="Old name",
        factor_changes=[FactorChange("grid.FRA", 0.05, 0.06)],
        factor_versions=("2025.1", "2025.2"),
    )
    notes = cc.baseline_notes(renamed, run, EN, shown)
    assert notes[0] == (
        "Compared with 'OLD NAME', the only service of the baseline B.JSON: the names differ."
    )
    assert len(notes) == 2 and "grid.FRA" in notes[1] and "2025.1 → 2025.2" in notes[1]
