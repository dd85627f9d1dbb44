"""A user's own factor table (--factors): same checks as the shipped tables, plus it may only
replace known factors, in their unit; the report names what came from it."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, assert_golden, run_cli, the_service

from acvnum.errors import InputError
from acvnum.reference import factors as factors_module
from acvnum.reference.factors import COLUMNS, limits_for, load_factors

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
    assert str(problem.message) == (
        "unknown factor 'electricity.FRA.climate_chnage'; "
        "did you mean 'electricity.FRA.climate_change'?"
    )


def test_an_id_far_from_any_points_to_the_list(tmp_path):
    row = "server.zx.qqqqqqqq,5,4,6,m2,my lab,2024,mine,\n"
    with pytest.raises(InputError, match=r"unknown factor 'server.zx.qqqqqqqq' \(see: acvnum"):
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


@pytest.mark.parametrize("year", ["2024.7", "1e300", "-5", "1899", "2101"])
def test_a_year_that_is_not_a_whole_year_is_refused_at_its_cell(tmp_path, year):
    # It was read: '2024.7' cut to 2024, '-5' shown, '1e300' a year of 301 digits in reports.
    path = table_file(tmp_path, FRA_CLIMATE.replace(",2024,", f",{year},"))
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, FRA_CLIMATE.index(",2024,") + 2)
    assert str(problem.message) == (
        f"year '{year}' is not a year: write a whole year from 1900 to 2100, e.g. 2024"
    )


@pytest.mark.parametrize(
    ("case", "header", "row"),
    [
        ("bad_year", HEADER, FRA_CLIMATE.replace(",2024,", ",1e300,")),
        (
            "column_twice",
            HEADER.replace("value,", "value,value,", 1),
            FRA_CLIMATE.replace(",0.1,", ",0.1,5,", 1),
        ),
    ],
)
def test_a_bad_table_is_refused_by_estimate_in_both_languages(
    tmp_path, write_yaml, case, header, row
):
    service = write_yaml(MINIMAL)
    table = tmp_path / "mine.csv"
    table.write_text(header + row, encoding="utf-8")
    for lang in ("en", "fr"):
        result = run_cli("estimate", str(service), "--factors", str(table), "--lang", lang)
        assert result.returncode == 2 and result.stdout == ""
        shown = result.stderr.replace(str(tmp_path), "TMP")
        assert_golden(f"factors/{case}.{lang}.txt", shown)


def test_a_column_named_twice_is_refused_at_the_second(tmp_path):
    # It was read from the second: 'value' 5 against low 0.09 and high 0.11 was said to be
    # out of order, a problem of the row where the header was at fault.
    path = tmp_path / "mine.csv"
    header = HEADER.replace("value,", "value,value,", 1)
    path.write_text(header + FRA_CLIMATE.replace(",0.1,", ",0.1,5,", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, len("id,value,") + 1)
    assert str(problem.message) == (
        "column 'value' is in the header twice: a table gives each column once"
    )


def test_a_header_spaced_after_its_commas_is_read_as_its_cells_are(tmp_path):
    # 'id, value, low, ...' was said to lack the columns value, low... that it has.
    path = tmp_path / "mine.csv"
    path.write_text(HEADER.replace(",", ", ") + FRA_CLIMATE.replace(",", ", "))
    assert load_factors(path)["electricity.FRA.climate_change"].value == 0.1


def test_unnamed_columns_may_repeat(tmp_path):
    path = tmp_path / "mine.csv"  # a spreadsheet's empty trailing columns
    path.write_text(HEADER.replace("\n", ",,\n") + FRA_CLIMATE.replace("\n", ",,\n"))
    assert load_factors(path)["electricity.FRA.climate_change"].value == 0.1


def test_user_factor_changes_the_result_by_the_hand_computed_amount(tmp_path, write_yaml):
    """MINIMAL has no hosting and its users in FRA: every kWh is on the French grid, so
    raising the FRA climate factor by d adds d × (final energy in kWh) to climate change."""
    service = write_yaml(MINIMAL)
    before = the_service(run_cli("estimate", str(service), "-f", "json").stdout)
    mine = run_cli(
        "estimate", str(service), "-f", "json", "--factors", str(table_file(tmp_path, FRA_CLIMATE))
    )
    assert mine.returncode == 0, mine.stderr
    after = the_service(mine.stdout)
    assert json.loads(mine.stdout)["factors"]["user_factors"] == ["electricity.FRA.climate_change"]
    base_factor = load_factors().value("electricity.FRA.climate_change")
    kwh = before["criteria"]["energy"]["total"]
    expected = before["criteria"]["climate_change"]["total"] + (0.1 - base_factor) * kwh
    assert after["criteria"]["climate_change"]["total"] == pytest.approx(expected, rel=1e-9)
    assert after["criteria"]["energy"]["total"] == pytest.approx(kwh, rel=1e-12)


def test_text_report_names_the_users_factors(tmp_path, write_yaml):
    path = table_file(tmp_path, FRA_CLIMATE)
    result = run_cli("estimate", str(write_yaml(MINIMAL)), "--factors", str(path))
    assert result.returncode == 0, result.stderr
    assert "Factors from your own table: electricity.FRA.climate_change" in result.stdout


# --- bounds of every quantity (divisors strictly positive, nothing negative) ---------------


def _row(factor_id: str, numbers: str, unit: str) -> str:
    return f"{factor_id},{numbers},{unit},my database,2024,mine,\n"


@pytest.mark.parametrize(
    ("factor_id", "numbers", "unit", "rule"),
    [
        ("boundary.climate_change.global", "0,0,0", "kg CO2 eq/year", "> 0 and <= 1e+18"),
        ("boundary.population.current", "0,0,0", "persons", "> 0 and <= 1e+18"),
        ("device.laptop.lifetime", "0,0,0", "year", "> 0 and <= 1e+18"),
        ("server.virtual.host_vcpu", "0,0,0", "vCPU", "> 0 and <= 1e+18"),
        ("electricity.FRA.climate_change", "-1,-2,0.07", "kg CO2 eq/kWh", ">= 0 and <= 1e+18"),
        ("network.fixed.energy", "0.05,-0.01,0.1", "kWh/GB", ">= 0 and <= 1e+18"),
        ("device.laptop.active_hours", "25,20,30", "h/day", "> 0 and <= 24"),
        ("datacenter.default.utilization", "1.5,1,2", "1", ">= 0 and <= 1"),
        ("datacenter.default.pue", "0.9,0.8,1", "1", ">= 1 and <= 4"),
        # divisors of a server's components and of the data centre's power per server: a
        # zero gave numpy's 'divide by zero' warnings, then 'figures too large to compute'
        ("server.component.ram_density", "0,0,0", "GB/cm2", "> 0 and <= 1e+18"),
        ("server.component.ssd_density", "0,0,0", "GB/cm2", "> 0 and <= 1e+18"),
        ("server.component.ram_module", "0,0,0", "GB/module", "> 0 and <= 1e+18"),
        ("datacenter.per_kw.server_power", "0,0,0", "kW/server", "> 0 and <= 1e+18"),
        # 1.7e308 is finite, but the sums overflow to inf and NaN (issue 11)
        (
            "electricity.FRA.climate_change",
            "1.7e308,1e308,1.7e308",
            "kg CO2 eq/kWh",
            ">= 0 and <= 1e+18",
        ),
    ],
)
def test_a_factor_out_of_its_quantitys_bounds_is_refused(tmp_path, factor_id, numbers, unit, rule):
    path = table_file(tmp_path, _row(factor_id, numbers, unit))
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert problem.column > 1  # at the offending cell, not the start of the row
    assert f"factor {factor_id}: " in str(problem.message)
    assert f"it must be {rule} (" in str(problem.message)


def test_every_shipped_factor_is_within_its_quantitys_bounds():
    table = load_factors()
    outside = [
        f.id
        for f in table.factors.values()
        if any(limits_for(f.id).refuses(x) for x in (f.value, f.low, f.high))
    ]
    assert outside == []
    assert limits_for("device.laptop.lifetime").strict  # divisors are strictly positive


@pytest.mark.parametrize("command", ["estimate", "check"])
@pytest.mark.parametrize(
    ("row", "column"),
    [
        (_row("boundary.climate_change.global", "0,0,0", "kg CO2 eq/year"), 32),
        (_row("device.laptop.lifetime", "0,0,0", "year"), 24),
        (_row("electricity.FRA.climate_change", "-1,-2,0.07", "kg CO2 eq/kWh"), 32),
        (_row("datacenter.per_kw.server_power", "0,0,0", "kW/server"), 32),
    ],
)
def test_commands_refuse_a_zero_divisor_or_a_negative_factor(
    tmp_path, write_yaml, command, row, column
):
    service = write_yaml(
        MINIMAL + "budgets:\n  - criterion: energy\n    per: visit\n    max: 1 kWh\n"
    )
    path = table_file(tmp_path, row)
    result = run_cli(command, str(service), "--factors", str(path))
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr and "RuntimeWarning" not in result.stderr
    assert f"{path}:2:{column}: factor " in result.stderr
    assert result.stdout == ""


# --- malformed CSV rows -------------------------------------------------------------------


def test_an_unterminated_quote_is_reported_as_such(tmp_path):
    path = table_file(tmp_path, FRA_CLIMATE.replace(",0.1,", ',"0.1,'), FRA_CLIMATE)
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, len("electricity.FRA.climate_change,") + 1)
    assert "a quote opened in this row is never closed" in str(problem.message)
    assert "lacks" not in str(problem.message)


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (FRA_CLIMATE.replace("my database", "my, database"), "10 fields where the header has 9"),
        ("electricity.FRA.climate_change,0.1,0.09\n", "3 fields where the header has 9"),
        (
            FRA_CLIMATE.replace("my database", '"my" database'),
            "text after the closing quote of a field; inside a quoted text write a quote twice",
        ),
    ],
)
def test_a_row_with_extra_or_missing_fields_is_malformed(tmp_path, row, words):
    with pytest.raises(InputError) as caught:
        load_factors(table_file(tmp_path, row))
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert str(problem.message).startswith("malformed CSV row: ")
    assert words in str(problem.message)


@pytest.mark.parametrize(
    ("row", "english", "french"),
    [
        (
            FRA_CLIMATE.replace("my database", "x" * 200_000),
            "malformed CSV row: a field longer than 131072 characters",
            "ligne CSV mal formée\u202f: un champ de plus de 131072 caractères",
        ),
        (
            FRA_CLIMATE.replace("my database", '"my" database'),
            "malformed CSV row: text after the closing quote of a field; inside a quoted text "
            'write a quote twice ("")',
            "ligne CSV mal formée\u202f: du texte après le guillemet fermant d'un champ\u202f; "
            'dans un texte entre guillemets, doublez le guillemet ("")',
        ),
    ],
)
def test_the_csv_readers_refusals_are_said_in_both_languages(tmp_path, row, english, french):
    # The csv module's English ('field larger than field limit (131072)') was shown in
    # French runs too, with a hint about commas that did not apply.
    with pytest.raises(InputError) as caught:
        load_factors(table_file(tmp_path, row))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 1)
    assert (str(problem.message), problem.message.render("fr")) == (english, french)


def test_a_row_without_the_optional_note_is_accepted(tmp_path):
    table = load_factors(table_file(tmp_path, FRA_CLIMATE.removesuffix(",\n") + "\n"))
    assert table.value("electricity.FRA.climate_change") == 0.1


def test_problems_point_at_the_offending_cell(tmp_path):
    rows = (
        FRA_CLIMATE.replace("0.1,0.09", "abc,0.09"),
        FRA_CLIMATE.replace("kg CO2 eq/kWh", "g CO2 eq/kWh").replace("FRA", "DEU"),
    )
    with pytest.raises(InputError) as caught:
        load_factors(table_file(tmp_path, *rows))
    prefix = len("electricity.FRA.climate_change,")
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, prefix + 1)]
    with pytest.raises(InputError) as caught:
        load_factors(table_file(tmp_path, rows[1]))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, len(rows[1].split("g CO2")[0]) + 1)


def test_a_table_saved_as_csv_utf8_by_a_spreadsheet_is_read(tmp_path):
    # "CSV UTF-8" starts with a byte-order mark, which used to hide the 'id' column's name
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + FRA_CLIMATE).encode("utf-8"))
    assert load_factors(path).value("electricity.FRA.climate_change") == 0.1


def test_a_bad_byte_in_a_table_is_located_at_its_line_and_column(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + FRA_CLIMATE.replace("my database", "base Créée")).encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_factors(path)
    (problem,) = caught.value.problems
    column = FRA_CLIMATE.index("my database") + len("base Cr") + 1
    assert (problem.line, problem.column) == (2, column)


def test_only_the_first_unknown_ids_get_a_fuzzy_suggestion(tmp_path, monkeypatch):
    # 20,000 unknown ids took over 30 s of fuzzy matching; only the first 5 are matched now
    calls = []
    real = factors_module.difflib.get_close_matches

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(factors_module.difflib, "get_close_matches", counted)
    rows = [FRA_CLIMATE.replace("FRA.climate_change", f"X{i}.climate_chnage") for i in range(40)]
    with pytest.raises(InputError) as caught:
        load_factors(table_file(tmp_path, *rows))
    assert len(caught.value.problems) == 40
    assert len(calls) == factors_module.MAX_SUGGESTIONS == 5
    assert str(caught.value.problems[-1].message).endswith("(see: acvnum factors list)")


def test_thousands_of_bad_rows_print_one_screen(tmp_path, write_yaml):
    rows = [FRA_CLIMATE.replace("0.1,", "x,", 1)] * 3000
    result = run_cli(
        "estimate", str(write_yaml(MINIMAL)), "--factors", str(table_file(tmp_path, *rows))
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 52  # 50 problems, the count of the rest, the summary
    assert lines[-2] == "acvnum: ... and 2950 more problems not shown"
    assert lines[-1] == "acvnum: 3000 problems found; nothing was computed."


def test_limits_for_picks_the_rule_fnmatch_would():
    """limits_for tests the patterns by string methods (fast); for every shipped id and for
    ids near the patterns' edges, the rule is the first whose pattern fnmatch matches."""
    import fnmatch

    from acvnum.reference.factors import LIMITS

    ids = [*load_factors().ids, "boundaryx.a.b", "a.b.lifetimes", "x.pue", "pue", "a.b.c.replicas"]
    for factor_id in ids:
        expected = next(r for r in LIMITS if fnmatch.fnmatchcase(factor_id, r.pattern))
        assert limits_for(factor_id) is expected, factor_id
