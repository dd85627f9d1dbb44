"""acvnum.report.factors_format: `acvnum factors` as JSON and as text, from a FactorView.

The command's own behaviour (options, filters, a user's table, errors) is in
tests/commands/test_factors_cmd.py; here the renderers are called directly."""

from __future__ import annotations

import json

import pytest

from acvnum.i18n import Translator
from acvnum.reference.factors import load_factors
from acvnum.report import factors_format
from acvnum.report.factors_format import FactorView

TABLE = load_factors(None)
#: A factor with a range (748-3660) and several cited publications (factors/datacenter.csv).
SERVER = TABLE["server.physical.climate_change"]
#: A fit coefficient published without uncertainty: low = high = value (factors/ai.csv).
EXACT = TABLE["ai.gpu.energy_batch_decay"]


def test_factor_dict_has_the_table_s_row_and_the_keys_its_source_cites():
    entry = factors_format.factor_dict(SERVER, TABLE)
    # the row of factors/datacenter.csv, as published
    assert (entry["value"], entry["low"], entry["high"]) == (1406, 748, 3660)
    assert entry["unit"] == "kg CO2 eq/server"
    assert entry["year"] == 2024
    assert entry["kind"] == "server"
    # its source names Base Empreinte, boaviztapi, UBA 2021 and ADEME's model (Impact CO2)
    assert set(entry["cites"]) == {"ADEME-BE", "Boavizta-API", "UBA-2021", "ADEME-ImpactCO2"}
    assert entry["from_user_table"] is False


def test_show_json_is_the_factor_s_entry():
    text = factors_format.render_json(FactorView("show", TABLE, (SERVER,)))
    assert text.endswith("\n")
    assert json.loads(text) == factors_format.factor_dict(SERVER, TABLE)


def test_list_json_cites_each_publication_once_with_its_licence():
    text = factors_format.render_json(FactorView("list", TABLE, (SERVER, EXACT)))
    document = json.loads(text)
    assert [f["id"] for f in document["factors"]] == [SERVER.id, EXACT.id]
    cited = {key for f in document["factors"] for key in f["cites"]}
    assert set(document["sources"]) == cited
    assert all(s["citation"] and s["licence"] for s in document["sources"].values())


def test_coverage_json_splits_each_criterion_s_items():
    document = json.loads(factors_format.render_json(FactorView("coverage", TABLE)))
    for found in document.values():
        assert set(found) == {"covered", "not_covered"}
        assert not set(found["covered"]) & set(found["not_covered"])
    # the shipped table gives the servers' and the laptops' factors for every criterion
    assert all({"server.physical", "device.laptop"} <= set(c["covered"]) for c in document.values())


@pytest.mark.parametrize(
    ("factor", "lang", "expected"),
    [
        (SERVER, "en", "748–3660"),  # low and high with 4 significant digits ('.4g')
        (SERVER, "fr", "748–3660"),  # whole numbers: no decimal comma to write
        (EXACT, "en", "exact"),  # low = high = value
    ],
)
def test_a_range_is_its_ends_or_exact(factor, lang, expected):
    assert factors_format._range(factor, Translator(lang)) == expected


def test_french_writes_a_decimal_comma():
    # 0.0112 with '.4g' is '0.0112'; French writes '0,0112'
    assert factors_format._decimal(0.0112, ".4g", Translator("fr")) == "0,0112"
    assert factors_format._decimal(0.0112, ".4g", Translator("en")) == "0.0112"


def test_show_text_words_the_fields_in_the_language():
    english = factors_format.render_text(FactorView("show", TABLE, (SERVER,)), "en", 100)
    french = factors_format.render_text(FactorView("show", TABLE, (SERVER,)), "fr", 100)
    assert english.splitlines()[0] == french.splitlines()[0] == SERVER.id
    assert "1406 kg CO2 eq/server" in english
    # the unit's word through the catalogue ('server' is 'serveur'), a no-break space after
    # the number as French sets it
    assert "1406\u00a0kg CO2 eq/serveur" in french


@pytest.mark.parametrize("width", [80, 120])
def test_list_text_keeps_each_id_whole_within_the_width(width):
    # from 80 columns: narrower, the longest ids wrap (tests/commands/test_factors_cmd.py
    # holds the whole table at 100)
    factors = tuple(TABLE[i] for i in (SERVER.id, EXACT.id))
    text = factors_format.render_text(FactorView("list", TABLE, factors), "en", width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    assert any(SERVER.id in line for line in lines)
    assert any(EXACT.id in line for line in lines)
