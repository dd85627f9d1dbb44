"""The registry of cited publications: every shipped number cites one, every entry is used."""

from __future__ import annotations

import csv

import yaml

from acvnum.reference import sources
from acvnum.reference.factors import default_directory, load_factors


def _lever_sources() -> list[str]:
    levers = yaml.safe_load((default_directory() / "levers.yaml").read_text(encoding="utf-8"))
    return [lever["source"] for lever in levers["levers"]]


def test_every_shipped_factor_and_lever_cites_a_known_publication():
    table = load_factors()
    texts = [f.source for f in table.factors.values()] + _lever_sources()
    uncited = [text[:60] for text in texts if not sources.cite(text)]
    assert uncited == []


def test_every_registered_publication_is_cited_by_something():
    table = load_factors()
    texts = [f.source for f in table.factors.values()] + _lever_sources()
    cited = {key for text in texts for key in sources.cite(text)}
    assert set(sources.registry()) - cited == set()


def test_registry_rows_are_complete_and_keys_short():
    path = default_directory() / sources.FILE_NAME
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len({row["key"] for row in rows}) == len(rows)
    for row in rows:
        assert None not in row, f"{row['key']}: more fields than the header (quote commas)"
        assert row["citation"] and row["licence"] and row["match"], row["key"]
        assert 1900 < int(row["year"]) <= 2100
        assert len(row["key"]) <= 20 and " " not in row["key"]


def test_no_shipped_source_cites_an_internal_note():
    table = load_factors()
    assert [f.id for f in table.factors.values() if "FACTS" in f.source] == []


def test_the_registry_is_not_read_as_a_factor_table():
    # A 'key' column would otherwise be refused as a factor table lacking 'id'.
    assert not any(fid.startswith("ADEME") for fid in load_factors().ids)


def test_cite_names_keys_in_the_order_the_text_does():
    text = "Tannu & Nair 2022 (SSD); ADEME Base Empreinte, as republished in boaviztapi"
    assert sources.cite(text) == ("Tannu-2022", "ADEME-BE", "Boavizta-API")


def test_citation_text_keeps_an_unknown_source_as_written():
    assert sources.citation_text("my own measurement, 2025") == "my own measurement, 2025"
    assert sources.citation_text("Uptime Institute survey") == "[Uptime-2024]"


def test_bibliography_lists_each_publication_once_sorted_by_key():
    texts = ["Traficom study", "Aslan et al.; Traficom again"]
    assert [s.key for s in sources.bibliography(texts)] == ["Aslan-2018", "Traficom-2022"]


def test_every_grid_loss_figure_cites_its_publication():
    # CEER for Europe, the EIA for the USA, the Reserve Bank of India for India
    table = load_factors()
    lossy = {f.id: f.source for f in table.factors.values() if "grid losses" in f.source}
    expected = {"USA": "EIA-TD-Losses", "IND": "RBI-2019"}
    assert len(lossy) >= 30  # every European country, EU27, the USA and India
    for fid, text in lossy.items():
        key = expected.get(fid.split(".")[1], "CEER-2017")
        assert key in sources.cite(text), fid
