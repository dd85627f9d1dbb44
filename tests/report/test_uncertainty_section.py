"""The uncertainty part of the human-readable reports (acvnum.report.uncertainty_section):
the flagship figures with their 90% interval, the intervals beside the central totals and
by tier, the drivers of the spread, and the caption with the sample count and the seed.

Hand-made cases set the figures on a minimal service (10,000 visits) and work the text out
from en.json / fr.json and the number rules (acvnum.words.format_number: 3 significant
digits, 2 for the tiers, thousands grouped, French with a decimal comma and a narrow
no-break space between thousands).
"""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from conftest import EXAMPLES, MINIMAL_DATA, run_cli

import acvnum
from acvnum.calculation.results import Driver, Uncertainty
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import uncertainty_section as us

EN, FR = Translator("en"), Translator("fr")


@pytest.fixture(scope="module")
def plain():
    """MINIMAL without --uncertainty: no interval anywhere."""
    (result,) = acvnum.estimate(dict(MINIMAL_DATA), levers=0)
    assert result.visits == 10_000  # 1,000 users x 10 visits
    return result


@pytest.fixture(scope="module")
def sampled_examples():
    """Every example, sampled (200 draws: the layout matters here, not the precision)."""
    return acvnum.estimate(EXAMPLES, levers=0, uncertainty=200, seed=11).services()


def with_intervals(result, **intervals):
    """The result with these criteria's (p5, p50, p95) intervals of their total, the others
    without any; `tiers` maps a criterion to its intervals by tier."""
    tiers = intervals.pop("tiers", {})
    criteria = {
        cid: replace(
            c,
            interval=dict(zip(("p5", "p50", "p95"), intervals[cid], strict=True))
            if cid in intervals
            else None,
            tier_intervals=tiers.get(cid),
        )
        for cid, c in result.criteria.items()
    }
    return replace(result, criteria=criteria)


def drawn(*drivers: Driver, samples: int = 200, seed: int = 0) -> Uncertainty:
    return Uncertainty(samples, seed, list(drivers), {})


def number(cell: str, t: Translator) -> float:
    """A figure as the section writes it, read back: '1,508' / '1\u202f508', '4,89e-04'."""
    text = cell.replace("\u202f", "")
    return float(text.replace(",", ".") if t.lang == "fr" else text.replace(",", ""))


# --- the flagship figures --------------------------------------------------------------


def test_the_flagship_figures_per_visit_with_their_interval(plain):
    # per visit: the interval of the total divided by the 10,000 visits, each end in the
    # unit that reads best on its own (1.2 kg is no longer grams)
    visits = plain.visits
    criteria = dict(plain.criteria)
    criteria["energy"] = replace(
        criteria["energy"],
        per_visit=0.00327,  # kWh: 3.27 Wh
        interval={"p5": 0.00259 * visits, "p50": 0.004 * visits, "p95": 0.0116 * visits},
    )
    criteria["climate_change"] = replace(
        criteria["climate_change"],
        per_visit=0.00361,  # kg: 3.61 g
        interval={"p5": 0.0017 * visits, "p50": 0.005 * visits, "p95": 1.2 * visits},
    )
    result = replace(plain, criteria=criteria)
    assert us.flagship_lines(result, EN) == [
        "Energy per visit: 3.27\xa0Wh, 90% chance between 2.59\xa0Wh and 11.6\xa0Wh",
        "Climate change per visit: 3.61\xa0g\xa0CO2e, 90% chance between 1.70\xa0g\xa0CO2e"
        " and 1.20\xa0kg\xa0CO2e",
    ]
    assert us.flagship_lines(result, FR) == [
        "Énergie par visite\u202f: 3,27\xa0Wh, à 90\u202f% entre 2,59\xa0Wh et 11,6\xa0Wh",
        "Changement climatique par visite\u202f: 3,61\xa0g\xa0CO2e, "
        "à 90\u202f% entre 1,70\xa0g\xa0CO2e et 1,20\xa0kg\xa0CO2e",
    ]


def test_without_an_interval_there_is_no_flagship_line(plain):
    assert us.flagship_lines(plain, EN) == []
    only_energy = with_intervals(plain, energy=(10.0, 20.0, 30.0))
    assert [line.split(":")[0] for line in us.flagship_lines(only_energy, EN)] == [
        "Energy per visit"
    ]


# --- the intervals beside the central values -------------------------------------------


def test_the_interval_table_by_hand(plain):
    # central 36.1; then p5, the median, p95; 0.000489 is below 1e-3: scientific
    result = with_intervals(plain, climate_change=(17.0, 35.2, 1508.0))
    result = replace(
        result,
        criteria={
            **result.criteria,
            "climate_change": replace(result.criteria["climate_change"], total=36.1),
            "minerals_metals": replace(
                result.criteria["minerals_metals"],
                total=0.00147,
                interval={"p5": 0.000489, "p50": 0.00122, "p95": 0.00247},
            ),
        },
    )
    header, rows = us.interval_table(result, EN)
    assert header == ["Criterion", "Unit", "Central", "p5", "p50 (median)", "p95"]
    assert rows == [
        ["Climate change", "kg CO2 eq", "36.1", "17.0", "35.2", "1,508"],
        ["Minerals and metals", "kg Sb eq", "0.00147", "4.89e-04", "0.00122", "0.00247"],
    ]
    header, rows = us.interval_table(result, FR)
    assert header == ["Critère", "Unité", "Valeur centrale", "p5", "p50 (médiane)", "p95"]
    assert rows == [
        ["Changement climatique", "kg CO2 eq", "36,1", "17,0", "35,2", "1\u202f508"],
        ["Ressources minérales et métaux", "kg Sb eq", "0,00147", "4,89e-04", "0,00122", "0,00247"],
    ]


def test_a_criterion_without_an_interval_has_no_row(plain):
    assert us.interval_table(plain, EN)[1] == []
    only_water = with_intervals(plain, water_use=(1.0, 2.0, 3.0))
    assert [row[0] for row in us.interval_table(only_water, FR)[1]] == ["Utilisation d'eau"]


@pytest.mark.parametrize("t", [EN, FR], ids=["en", "fr"])
def test_over_every_example_p5_median_p95_are_shown_in_order(sampled_examples, t):
    for result, _ in sampled_examples:
        _, rows = us.interval_table(result, t)
        assert [row[0] for row in rows] == [t(f"criterion.{cid}") for cid in CRITERION_IDS]
        for row in rows:
            p5, p50, p95 = (number(cell, t) for cell in row[3:])
            assert p5 <= p50 <= p95, (result.name, row)
            if t is FR:
                assert "." not in "".join(row[2:]), row  # decimal commas only


# --- by tier ---------------------------------------------------------------------------


def test_the_tier_ranges_by_hand(plain):
    # 2 significant digits: 0.0123 -> 0.012; a whole number keeps its digits: 4,567
    tiers = {
        "terminals": {"p5": 0.0123, "p50": 1.0, "p95": 4567.0},
        "network": {"p5": 0.49, "p50": 1.0, "p95": 3.2},
        "datacenter": {"p5": 0.0, "p50": 0.0, "p95": 0.0},
    }
    result = with_intervals(plain, energy=(1.0, 2.0, 3.0), tiers={"energy": tiers})
    assert us.tier_table(result, EN) == (
        ["Criterion", "Terminals", "Network", "Data centre"],
        [["Final energy", "0.012 – 4,567", "0.49 – 3.2", "0 – 0"]],
    )
    assert us.tier_table(result, FR) == (
        ["Critère", "Terminaux", "Réseau", "Centre de données"],
        [["Énergie finale", "0,012 – 4\u202f567", "0,49 – 3,2", "0 – 0"]],
    )


@pytest.mark.parametrize("t", [EN, FR], ids=["en", "fr"])
def test_over_every_example_each_tier_s_low_end_comes_first(sampled_examples, t):
    for result, _ in sampled_examples:
        rows = us.tier_table(result, t)[1]
        assert len(rows) == len(CRITERION_IDS), result.name
        for row in rows:
            for cell in row[1:]:
                low, high = (number(end, t) for end in cell.split(" – "))
                assert low <= high, (result.name, row)


# --- the drivers -----------------------------------------------------------------------


def test_the_drivers_by_hand_in_both_languages():
    u = drawn(
        Driver("device.laptop.power", "factor", "energy", 0.8049),
        Driver("usage.data_per_visit", "input", "climate_change", -0.6137),
    )
    header, rows = us.driver_table(u, EN)
    assert header == ["#", "Quantity", "Kind", "Criterion", "Rank corr. ρ"]
    assert rows == [
        ["1", "device.laptop.power", "factor", "Final energy", "+0.80"],
        ["2", "usage.data_per_visit", "your range", "Climate change", "-0.61"],
    ]
    header, rows = us.driver_table(u, FR)
    assert header == ["n°", "Grandeur", "Nature", "Critère", "Corr. de rang ρ"]
    assert rows == [
        ["1", "device.laptop.power", "facteur", "Énergie finale", "+0,80"],
        ["2", "usage.data_per_visit", "votre plage", "Changement climatique", "-0,61"],
    ]


def test_a_correlation_that_rounds_to_zero_has_no_sign():
    # -0.004 and +0.004 round to 0.00 at two decimals: neither '-0.00' nor '+0.00'
    u = drawn(
        Driver("device.laptop.power", "factor", "energy", -0.004),
        Driver("usage.data_per_visit", "input", "energy", 0.004),
    )
    assert [row[-1] for row in us.driver_table(u, EN)[1]] == ["0.00", "0.00"]
    assert [row[-1] for row in us.driver_table(u, FR)[1]] == ["0,00", "0,00"]
    # a correlation that does not round to zero keeps its sign: -0.006 is -0.01
    u = drawn(Driver("device.laptop.power", "factor", "energy", -0.006))
    assert us.driver_table(u, EN)[1][0][-1] == "-0.01"


def test_over_every_example_the_drivers_come_by_their_correlation_s_magnitude(
    sampled_examples,
):
    for _, found in sampled_examples:
        _, rows = us.driver_table(found.uncertainty, FR)
        assert 1 <= len(rows) <= 5
        assert [row[0] for row in rows] == [str(i) for i in range(1, len(rows) + 1)]
        sizes = [abs(number(row[4], FR)) for row in rows]
        assert sizes == sorted(sizes, reverse=True), rows
        assert all(row[4][0] in "+-" for row in rows)


# --- the caption -----------------------------------------------------------------------


def test_the_caption_states_the_samples_and_the_seed():
    u = drawn(samples=10_000, seed=42)
    assert us.caption(u, EN).startswith("10,000 samples, seed 42. Each factor is drawn")
    assert us.caption(u, FR).startswith("10\u202f000 tirages, graine 42. Chaque facteur suit")


# --- through the Markdown report (its layout: tests/report/test_markdown.py) -----------


def test_through_the_cli_in_french(tmp_path):
    # a data volume written as a range from 1 MB to 1,000 MB on mobile: nothing else spreads
    # as much, so the range written in the questionnaire is the first driver
    import yaml

    data = copy.deepcopy(MINIMAL_DATA)
    data["usage"].update(
        data_per_visit="1 MB..1000 MB", devices={"smartphone": "100%"}, network={"mobile": "100%"}
    )
    path = tmp_path / "range.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    args = ("estimate", str(path), "-f", "markdown", "--lang", "fr", "--levers", "0")
    run = run_cli(*args, "--uncertainty", "--samples", "150", "--seed", "5")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("150 tirages, graine 5. ") for line in lines)
    assert any(line.startswith("| 1 | usage.data_per_visit | votre plage | ") for line in lines)
    again = run_cli(*args, "--uncertainty", "--samples", "150", "--seed", "5")
    assert again.stdout == run.stdout  # same seed, same report
    other = run_cli(*args, "--uncertainty", "--samples", "150", "--seed", "6")
    assert "150 tirages, graine 6. " in other.stdout
    assert "## Incertitude\u202f: intervalle" not in run_cli(*args).stdout
