"""`acvnum factors`: every factor in the open, text that fits 100 columns, JSON for tools."""

from __future__ import annotations

import json

import pytest
from conftest import assert_golden, run_cli

from acvnum.commands.factors_cmd import Kind
from acvnum.reference.factors import COLUMNS, KINDS, load_factors

FRA = "electricity.FRA.climate_change"


def listed(*args: str) -> list[dict]:
    result = run_cli("factors", "list", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["factors"]


def test_kind_choices_are_the_tables_kinds():
    assert tuple(k.value for k in Kind) == KINDS


def test_json_lists_every_factor_with_value_range_source_year_licence():
    table = load_factors()
    factors = listed()
    assert [f["id"] for f in factors] == list(table.ids)
    for f in factors:
        assert f["low"] <= f["value"] <= f["high"]
        assert f["value"] == table.value(f["id"])
        assert all(f[key] not in ("", None) for key in ("unit", "source", "year", "licence"))
        assert f["from_user_table"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_kind_filter_keeps_that_kind_only(kind):
    expected = [fid for fid in load_factors().ids if fid.startswith(kind + ".")]
    assert [f["id"] for f in listed("--kind", kind)] == expected


def test_text_list_fits_100_columns_and_names_every_factor():
    result = run_cli("factors")
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    table = load_factors()
    assert all(fid in result.stdout for fid in table.ids)
    assert f"{len(table.ids)} factors," in result.stdout


def test_show_gives_the_whole_source_and_note():
    factor = load_factors()[FRA]
    result = run_cli("factors", "show", FRA)
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())
    for text in (factor.source, factor.licence, factor.note):
        assert " ".join(text.split()) in words
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_show_json_is_the_listed_entry():
    result = run_cli("factors", "show", FRA, "--format", "json")
    (entry,) = [f for f in listed() if f["id"] == FRA]
    assert json.loads(result.stdout) == entry


def test_unknown_id_suggests_the_closest():
    result = run_cli("factors", "show", "electricity.FRA.climate_chnge")
    assert result.returncode == 2
    assert_golden("factors_unknown_id.txt", result.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [(("show",), "'show' needs a factor id"), (("list", FRA), "'list' takes no id")],
)
def test_misuse_is_exit_2_with_a_hint(args, message):
    result = run_cli("factors", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_user_table_is_shown_merged_and_marked(tmp_path):
    path = tmp_path / "mine.csv"
    row = f"{FRA},0.1,0.09,0.11,kg CO2 eq/kWh,my database,2024,licensed,\n"
    path.write_text(",".join(COLUMNS) + "\n" + row, encoding="utf-8")
    (entry,) = [f for f in listed("--factors", str(path)) if f["id"] == FRA]
    assert (entry["value"], entry["source"], entry["from_user_table"]) == (0.1, "my database", True)
    text = run_cli("factors", "--kind", "electricity", "--factors", str(path)).stdout
    assert text.count("from your table: my database") == 1


def test_text_list_cites_keys_resolved_in_its_bibliography():
    result = run_cli("factors", "--kind", "network")
    assert result.returncode == 0, result.stderr
    listing, bibliography = result.stdout.split("\nSources\n")
    keys = {key for f in listed("--kind", "network") for key in f["cites"]}
    assert "e-footprint" in keys  # a key rich would take for a style tag without care
    for key in keys:
        assert f"[{key}]" in listing
        assert f" [{key}] " in bibliography


def test_json_sources_resolve_every_cited_key():
    result = run_cli("factors", "list", "--format", "json")
    document = json.loads(result.stdout)
    cited = {key for f in document["factors"] for key in f["cites"]}
    assert cited == set(document["sources"])
    assert all(f["cites"] for f in document["factors"])  # every shipped factor cites one
    sala = document["sources"]["Sala-2020"]
    assert sala["year"] == 2020 and sala["url"].startswith("https://doi.org/")


def test_show_names_the_publications_it_cites():
    result = run_cli("factors", "show", "server.virtual.host_vcpu")
    assert "cites     [AWS-Hosts] Amazon Web Services" in result.stdout


def test_coverage_lists_each_criterion_from_the_table_rows():
    text = run_cli("factors", "coverage")
    assert text.returncode == 0, text.stderr
    assert "climate_change: " in text.stdout
    assert "water_use: " in text.stdout and "not covered: " in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 100
    data = json.loads(run_cli("factors", "coverage", "-f", "json").stdout)
    assert data["climate_change"]["not_covered"] == []
    assert "datacenter.building" in data["water_use"]["not_covered"]
    assert "server.physical" in data["water_use"]["covered"]
    assert "electricity.FRA" in data["water_use"]["covered"]
    assert data["fossil_resources"]["not_covered"] == []


def test_french_labels_and_decimal_commas_with_the_factor_s_own_words():
    """Labels come from the catalogue; a source, a note and an id stay as published."""
    shown = run_cli("factors", "show", FRA, "--lang", "fr")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[2].split() == ["type", "electricity"]
    factor = load_factors()[FRA]
    # 0.0519 -> '0,0519' (the value as Python's 'g' writes it, with a decimal comma)
    assert lines[3].split()[:2] == ["valeur", f"{factor.value:g}".replace(".", ",")]
    assert "plage" in shown.stdout and "origine" in shown.stdout
    assert "valeurs par défaut d'acvnum" in shown.stdout
    listing = run_cli("factors", "--kind", "electricity", env={"LANG": "fr_FR.UTF-8"})
    assert listing.stdout.split()[:5] == ["Facteur", "Valeur", "Plage", "Unité", "Année"]
    assert "facteurs, qui citent par leur clé" in listing.stdout


def test_french_coverage_counts_each_criterion():
    text = run_cli("factors", "coverage", "--lang", "fr").stdout
    table = load_factors()
    from acvnum.calculation.coverage import table_coverage

    water = table_coverage(table)["water_use"]
    total = len(water.covered) + len(water.not_covered)
    assert f"water_use\u202f: {len(water.covered)} éléments sur {total} ont un facteur" in text
    assert "non couverts\u202f: " in text and "not covered" not in text


@pytest.mark.parametrize(
    ("lang", "value", "spread"),
    [
        ("en", "value     5 years", "range     3 – 6 years"),
        ("fr", "valeur    5\u00a0ans", "plage     3 – 6\u00a0ans"),
    ],
)
def test_show_words_a_factor_s_unit_through_the_catalogue(lang, value, spread):
    # It printed '5 year' and '3 – 6 year', in French too.
    shown = run_cli("factors", "show", "device.laptop.lifetime", "--lang", lang).stdout
    lines = [line.strip() for line in shown.splitlines()]
    assert value in lines and spread in lines, shown


def test_the_factor_list_words_units_in_french_and_json_keeps_them_as_published():
    listing = run_cli("factors", "--kind", "network", "--lang", "fr", env={"COLUMNS": "120"})
    assert "kWh/Go" in listing.stdout and "kWh/GB" not in listing.stdout
    assert {f["unit"] for f in listed("--kind", "network")} >= {"kWh/GB"}


def test_a_long_unknown_id_is_quoted_short():
    # The refusal quoted all 5,000 characters.
    result = run_cli("factors", "show", "x" * 5000)
    assert result.returncode == 2
    assert result.stderr == (
        f"acvnum: unknown factor '{'x' * 60}... (5000 characters)' (acvnum factors list shows "
        "them all)\n"
    )
