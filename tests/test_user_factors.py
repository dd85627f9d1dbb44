"""A user's own factor table (--factors): same checks as the shipped tables, plus it may only
replace known factors, in their unit; the report names what came from it."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, assert_golden, run_cli

from acvnum.factors import COLUMNS, load_factors
from acvnum.loading import InputError

HEADER = ",".join(COLUMNS) + "\n"
FRA_CLIMATE = "electricity.FRA.climate_change,0.1,0.09,0.11,kg CO2 eq/kWh,my database,2024,mine,\n"


def table_file(tmp_path, *rows: str):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_typo_in_an_id_is_an_error_with_a_suggestion(tmp_path):
    path = table_file(tmp_path, FRA_CLIMATE.replace("climate_change", "climate_chnage"))
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 2)
    assert problem.message == (
        "unknown factor 'electricity.FRA.climate_chnage'; "
        "did you mean 'electricity.FRA.climate_change'?"
    )


def test_an_id_far_from_any_points_to_the_list(tmp_path):
    row = "server.mainframe.floor_space,5,4,6,m2,my lab,2024,mine,\n"
    with pytest.raises(
        InputError, match=r"unknown factor 'server.mainframe.floor_space' \(see: acvnum"
    ):
        load_factors(table_file(tmp_path, row))


def test_a_value_in_another_unit_is_refused(tmp_path):
    row = FRA_CLIMATE.replace("0.1,0.09,0.11,kg CO2", "100,90,110,g CO2")
    with pytest.raises(InputError, match="unit 'g CO2 eq/kWh' differs from the default's"):
        load_factors(table_file(tmp_path, row))


def test_every_bad_row_is_reported_at_once(tmp_path):
    path = table_file(
        tmp_path,
        FRA_CLIMATE.replace("0.1,0.09", "0.1,0.2"),  # low above value
        "electricity.DEU.climate_change,abc,0.3,0.5,kg CO2 eq/kWh,x,2024,y,\n",
        FRA_CLIMATE,
        FRA_CLIMATE,  # duplicate of line 4
    )
    with pytest.raises(InputError) as caught:
        load_factors(path)
    assert [p.line for p in caught.value.problems] == [2, 3, 5]


def test_a_table_that_is_not_utf8_is_a_located_problem(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + FRA_CLIMATE.replace("my database", "base Créée")).encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_factors(path)


def test_estimate_refuses_a_bad_table_with_file_and_line(tmp_path, write_yaml):
    service = write_yaml(MINIMAL)
    path = table_file(tmp_path, FRA_CLIMATE.replace("climate_change", "climate_chnage"))
    result = run_cli("estimate", str(service), "--factors", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert_golden("user_factors_typo.txt", result.stderr.replace(str(tmp_path), "TMP"))


def test_user_factor_changes_the_result_by_the_hand_computed_amount(tmp_path, write_yaml):
    """MINIMAL has no hosting and its users in FRA: every kWh is on the French grid, so
    raising the FRA climate factor by d adds d × (final energy in kWh) to climate change."""
    service = write_yaml(MINIMAL)
    before = json.loads(run_cli("estimate", str(service), "-f", "json").stdout)
    mine = run_cli(
        "estimate", str(service), "-f", "json", "--factors", str(table_file(tmp_path, FRA_CLIMATE))
    )
    assert mine.returncode == 0, mine.stderr
    after = json.loads(mine.stdout)
    base_factor = load_factors().value("electricity.FRA.climate_change")
    kwh = before["criteria"]["energy"]["total"]
    expected = before["criteria"]["climate_change"]["total"] + (0.1 - base_factor) * kwh
    assert after["criteria"]["climate_change"]["total"] == pytest.approx(expected, rel=1e-9)
    assert after["criteria"]["energy"]["total"] == pytest.approx(kwh, rel=1e-12)
    assert after["factors"]["user_factors"] == ["electricity.FRA.climate_change"]


def test_text_report_names_the_users_factors(tmp_path, write_yaml):
    path = table_file(tmp_path, FRA_CLIMATE)
    result = run_cli("estimate", str(write_yaml(MINIMAL)), "--factors", str(path))
    assert result.returncode == 0, result.stderr
    assert "Factors from your own table: electricity.FRA.climate_change" in result.stdout
