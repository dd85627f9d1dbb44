"""The portfolio part of the human-readable reports (acvnum.report.portfolio_section): the
services ranked with their share of climate change, then the criteria totalled.

Most cases use three copies of the minimal questionnaire: "Big" with 3,000 users, "Alpha"
and "Minimal" with 1,000. Nothing is hosted and every figure is per user, so Big's impacts
are 3 times each other's on every criterion: shares 3/5 = 60 % and 1/5 = 20 %, totals 5
times one small service's; Alpha and Minimal tie and are ranked by name.
"""

from __future__ import annotations

import copy

import pytest
from conftest import EXAMPLES, MINIMAL_DATA, run_cli

import acvnum
from acvnum.analysis.portfolio import build
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import portfolio_section as ps

EN, FR = Translator("en"), Translator("fr")


def minimal(name: str, users: int) -> dict:
    data = copy.deepcopy(MINIMAL_DATA)
    data["name"], data["usage"]["users"] = name, users
    return data


TRIO = [minimal("Minimal", 1000), minimal("Big", 3000), minimal("Alpha", 1000)]


@pytest.fixture(scope="module")
def trio():
    return acvnum.estimate(TRIO, levers=0).services()


@pytest.fixture(scope="module")
def sampled_trio():
    return acvnum.estimate(TRIO, levers=0, uncertainty=200, seed=3).services()


@pytest.fixture(scope="module")
def examples():
    """Every example questionnaire: services of different sizes, periods and tiers."""
    return acvnum.estimate(EXAMPLES, levers=0).services()


def number(cell: str, t: Translator) -> float:
    """A figure as the section writes it, read back: '1,234.5' or '1\u202f234,5', '60.0 %'."""
    text = cell.removesuffix("%").rstrip("\u00a0\u202f").replace("\u202f", "")
    text = text.replace(",", ".") if t.lang == "fr" else text.replace(",", "")
    return float(text)


# --- the ranking -----------------------------------------------------------------------


def test_the_ranking_s_header_in_each_language(trio):
    header, _ = ps.ranking_table(build(trio), EN)
    assert header == [
        "#",
        "Service",
        "Persons-eq.",
        "Most constraining criterion",
        "Share of climate change",
    ]
    header, _ = ps.ranking_table(build(trio), FR)
    assert header == [
        "n°",
        "Service",
        "Éq.-personnes",
        "Critère le plus contraignant",
        "Part du changement climatique",
    ]


def test_the_largest_service_first_then_a_tie_by_name(trio):
    _, rows = ps.ranking_table(build(trio), EN)
    assert [row[:2] for row in rows] == [["1", "Big"], ["2", "Alpha"], ["3", "Minimal"]]
    big, alpha, small = (number(row[2], EN) for row in rows)
    assert alpha == small  # the tie, shown as one figure
    assert big == pytest.approx(3 * alpha, rel=5e-3)  # 3 significant digits each


def test_the_ranking_does_not_depend_on_the_order_the_services_came_in(trio):
    assert ps.ranking_table(build(trio[::-1]), FR) == ps.ranking_table(build(trio), FR)


def test_the_shares_of_climate_change_are_three_fifths_and_one_fifth(trio):
    _, rows = ps.ranking_table(build(trio), EN)
    assert [row[4] for row in rows] == ["60.0\u00a0%", "20.0\u00a0%", "20.0\u00a0%"]
    _, rows = ps.ranking_table(build(trio), FR)
    assert [row[4] for row in rows] == ["60,0\u202f%", "20,0\u202f%", "20,0\u202f%"]


def test_the_dominant_criterion_is_named_in_the_report_s_language(trio):
    # For each service, the criterion with the largest persons-equivalent, by its name in
    # the catalogue (the same for all three: they differ only in their number of users).
    for t in (EN, FR):
        _, rows = ps.ranking_table(build(trio), t)
        for row, result in zip(rows, build(trio).ranking, strict=True):
            bounded = {
                c.id: c.boundary.persons_equivalent for c in result.criteria.values() if c.boundary
            }
            most = max(bounded, key=bounded.__getitem__)
            assert row[3] == t(f"criterion.{most}")


@pytest.mark.parametrize("t", [EN, FR], ids=["en", "fr"])
def test_over_every_example_the_ranks_count_up_the_figures_go_down_the_shares_add_to_100(
    examples, t
):
    _, rows = ps.ranking_table(build(examples), t)
    assert [row[0] for row in rows] == [str(i) for i in range(1, len(examples) + 1)]
    assert sorted(row[1] for row in rows) == sorted(r.name for r, _ in examples)
    figures = [number(row[2], t) for row in rows]
    assert figures == sorted(figures, reverse=True)
    shares = [number(row[4], t) for row in rows]
    assert all(row[4].endswith("%") for row in rows)
    # each share to 3 significant digits, so off by at most 0.05 below 100 %
    assert sum(shares) == pytest.approx(100, abs=0.05 * len(shares))


def test_a_portfolio_without_any_climate_change_shows_zero_shares(trio):
    from dataclasses import replace

    def without_climate(service):
        result, found = service
        criteria = dict(result.criteria)
        criteria["climate_change"] = replace(criteria["climate_change"], total=0.0)
        return type(service)(replace(result, criteria=criteria), found)

    _, rows = ps.ranking_table(build([without_climate(s) for s in trio]), FR)
    assert [row[4] for row in rows] == ["0\u202f%", "0\u202f%", "0\u202f%"]


# --- the totals ------------------------------------------------------------------------


@pytest.mark.parametrize("t", [EN, FR], ids=["en", "fr"])
def test_each_total_is_the_sum_of_the_services_totals(trio, t):
    header, rows = ps.totals_table(build(trio), t)
    assert len(header) == 4  # no p5 – p95 without --uncertainty
    assert [row[0] for row in rows] == [t(f"criterion.{cid}") for cid in CRITERION_IDS]
    for row, cid in zip(rows, CRITERION_IDS, strict=True):
        parts = [r.criteria[cid] for r, _ in trio]
        assert row[2] == t.number(sum(p.total for p in parts))
        # Big counts 3, Alpha and Minimal 1 each: 5 times Minimal's
        small = next(r for r, _ in trio if r.name == "Minimal").criteria[cid].total
        assert number(row[2], t) == pytest.approx(5 * small, rel=5e-3)
        bounded = [p.boundary.persons_equivalent for p in parts if p.boundary]
        assert row[3] == (t.number(sum(bounded)) if bounded else "—")


def test_final_energy_has_no_boundary_so_no_persons_equivalent(trio):
    # energy is the only criterion without a planetary boundary: a dash, in both languages
    for t in (EN, FR):
        rows = dict((row[0], row[3]) for row in ps.totals_table(build(trio), t)[1])
        assert rows[t("criterion.energy")] == "—"
        assert list(rows.values()).count("—") == 1


def test_the_totals_header_in_french_with_the_interval_when_sampled(sampled_trio):
    header, rows = ps.totals_table(build(sampled_trio), FR)
    assert header == ["Critère", "Unité", "Total", "Éq.-personnes", "p5", "p95"]
    assert all(len(row) == 6 for row in rows)


def test_sampled_together_the_portfolio_s_percentiles_are_five_times_one_small_service_s(
    sampled_trio,
):
    # The three services draw the same factors: in every sample Big is 3 times Minimal and
    # Alpha equals it, so every percentile of the sum is 5 times Minimal's.
    small = next(r for r, _ in sampled_trio if r.name == "Minimal")
    for t in (EN, FR):
        _, rows = ps.totals_table(build(sampled_trio), t)
        for row, cid in zip(rows, CRITERION_IDS, strict=True):
            low, high = number(row[4], t), number(row[5], t)
            assert low <= high
            interval = small.criteria[cid].interval
            assert low == pytest.approx(5 * interval["p5"], rel=5e-3)
            assert high == pytest.approx(5 * interval["p95"], rel=5e-3)


# --- through the Markdown report (its layout: tests/report/test_markdown.py) -----------


def test_through_the_cli_in_french(tmp_path):
    import yaml

    files = []
    for data in TRIO[:2]:
        path = tmp_path / f"{data['name']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
    run = run_cli("estimate", *files, "--format", "markdown", "--lang", "fr", "--levers", "0")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    start = lines.index("# Portefeuille\u202f: 2 services classés par équivalents-personnes")
    # Big (3,000 users) first with 3/4 of the climate change, Minimal then with 1/4
    assert lines[start + 4].startswith("| 1 | Big | ")
    assert lines[start + 4].endswith(" | 75,0\u202f% |")
    assert lines[start + 5].startswith("| 2 | Minimal | ")
    assert lines[start + 5].endswith(" | 25,0\u202f% |")
    assert "## Totaux du portefeuille" in lines[start:]
