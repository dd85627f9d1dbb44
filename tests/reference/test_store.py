"""Kept copies of the parsed tables: read back the same, made again when a file changes,
never required (unreadable, unwritable, damaged or turned off: the tables are parsed)."""

from __future__ import annotations

import json
import os

import pytest

from acvnum.reference import factors, sources, store


@pytest.fixture
def kept(tmp_path, monkeypatch):
    folder = tmp_path / "kept"
    monkeypatch.setenv("ACVNUM_CACHE_DIR", str(folder))
    return folder


def _counting(data):
    built = []

    def build():
        built.append(1)
        return data

    return built, build


def test_a_copy_is_made_once_then_read_back(kept, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    built, build = _counting({"rows": [["a", 1.5, 2]]})
    first = store.cached("t", [table], "layout", build, dict)
    second = store.cached("t", [table], "layout", build, dict)
    assert first == second == {"rows": [["a", 1.5, 2]]}
    assert built == [1]  # the second run read the copy
    (copy,) = kept.glob("t-*.json")
    assert json.loads(copy.read_text(encoding="utf-8")) == first
    assert not list(kept.glob("*.tmp"))  # written whole, then renamed


def test_an_edited_file_or_another_layout_makes_a_new_copy(kept, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    built, build = _counting([1])
    store.cached("t", [table], "layout", build, list)
    table.write_text("a,2\n", encoding="utf-8")
    store.cached("t", [table], "layout", build, list)
    store.cached("t", [table], "other layout", build, list)
    assert built == [1, 1, 1]
    assert len(list(kept.glob("t-*.json"))) == 3


@pytest.mark.parametrize("damage", [b"", b"{not json", b'"a string"'])
def test_a_damaged_copy_is_ignored_and_made_again(kept, tmp_path, damage):
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    built, build = _counting({"x": 1})

    def make(data):
        return {"x": data["x"]}  # a string: TypeError, like a copy of another layout

    store.cached("t", [table], "layout", build, make)
    (copy,) = kept.glob("t-*.json")
    copy.write_bytes(damage)
    assert store.cached("t", [table], "layout", build, make) == {"x": 1}
    assert built == [1, 1]
    assert json.loads(copy.read_text(encoding="utf-8")) == {"x": 1}  # written again


def test_no_copy_when_turned_off_or_unwritable(tmp_path, monkeypatch):
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    built, build = _counting([2])
    monkeypatch.setenv("ACVNUM_CACHE_DIR", "")
    assert store.directory() is None
    assert store.cached("t", [table], "layout", build, list) == [2]
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ACVNUM_CACHE_DIR", str(blocker / "below"))  # cannot be made
    assert store.cached("t", [table], "layout", build, list) == [2]
    assert built == [1, 1]


def test_only_the_newest_copies_of_a_name_are_kept(kept, tmp_path):
    table = tmp_path / "t.csv"
    for n in range(store.KEEP + 3):
        table.write_text(f"a,{n}\n", encoding="utf-8")
        store.cached("t", [table], "layout", lambda: [0], list)
        for old in kept.glob("t-*.json"):  # every copy made so far is older than the next
            os.utime(old, (old.stat().st_mtime - 1,) * 2)
    assert len(list(kept.glob("t-*.json"))) == store.KEEP


def test_the_shipped_tables_read_from_a_copy_are_the_parsed_ones(kept, monkeypatch):
    def fresh():
        factors.default_factors.cache_clear()
        sources._shipped.cache_clear()
        return factors.default_factors(), sources._shipped()

    monkeypatch.setenv("ACVNUM_CACHE_DIR", "")
    parsed, cited = fresh()
    monkeypatch.setenv("ACVNUM_CACHE_DIR", str(kept))
    assert fresh() == (parsed, cited)  # made: the copies are written
    assert {p.name.split("-")[0] for p in kept.iterdir()} == {"factors", "citations"}
    assert fresh() == (parsed, cited)  # read back
    assert [f.line for f in factors.default_factors()] == [f.line for f in parsed]
    assert all(cited[f.source] == sources._cite(f.source) for f in parsed)
    fresh()


def test_data_json_would_change_is_not_kept(kept, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    for data in ({1: "a number as a key"}, {"a": (1, 2)}, {"a": float("nan")}, {"a": {1, 2}}):
        assert store.cached("t", [table], "layout", lambda d=data: d, lambda d: d) == data
    assert not list(kept.glob("t-*.json"))


def test_the_lever_catalogue_read_from_a_copy_is_the_parsed_one(kept, monkeypatch):
    from acvnum.analysis import levers

    monkeypatch.setenv("ACVNUM_CACHE_DIR", "")
    levers.catalogue.cache_clear()
    parsed = levers.catalogue()
    monkeypatch.setenv("ACVNUM_CACHE_DIR", str(kept))
    for _ in range(2):  # made, then read back
        levers.catalogue.cache_clear()
        assert levers.catalogue() == parsed
    assert [p.name.split("-")[0] for p in kept.iterdir()] == ["levers"]


@pytest.mark.parametrize("orjson_installed", [True, False])
def test_a_copy_reads_back_with_or_without_orjson(kept, tmp_path, monkeypatch, orjson_installed):
    """Copies are read by orjson (faster) when it is installed, else by json: the same data;
    a damaged one is made again either way."""
    if not orjson_installed:
        monkeypatch.setitem(__import__("sys").modules, "orjson", None)  # import fails
    table = tmp_path / "t.csv"
    table.write_text("a,1\n", encoding="utf-8")
    data = {"rows": [["é 日本", 1.5e-7, 2, None, True]]}
    built, build = _counting(data)
    assert store.cached("t", [table], "layout", build, dict) == data
    assert store.cached("t", [table], "layout", build, dict) == data
    assert built == [1]
    (copy,) = kept.glob("t-*.json")
    copy.write_bytes(b'{"rows": NaN}')  # orjson refuses it, json reads a float: made again
    assert store.cached("t", [table], "layout", build, lambda d: d["rows"][0]) == data["rows"][0]
