"""The optional blocks' rows in every format: text, Markdown, HTML, CSV and JSON."""

import csv
import io
import json

import pytest
from conftest import EXAMPLES

from acvnum.analysis.found import bare
from acvnum.assessment import assess
from acvnum.i18n import Translator
from acvnum.report import blocks_section, csv_format, html, json_format, markdown, text

EN, FR = Translator("en"), Translator("fr")


@pytest.fixture(scope="module")
def results():
    names = ("ai-assistant", "video-conferencing", "webmail", "ecommerce")
    return dict(zip(names, assess([EXAMPLES / f"{n}.yaml" for n in names]), strict=True))


def test_the_ai_row_is_the_sum_of_its_three_items_over_the_total(results):
    result = results["ai-assistant"]
    c = result.criteria["climate_change"]
    # ai-assistant, climate change (kg CO2 eq): 400 output + 1,500 input tokens x 0.37 =
    # 955 output-token equivalents, 2.3875 times the 400 output tokens alone (223.99 + 6.77
    # + 29.41 = 260.16 kg): datacenter.use.ai 534.77 + manufacturing.ai_gpus 16.16
    # + manufacturing.ai_servers 70.21 = 621.14, over the total 45,895.6 -> 1.353 %.
    expected = sum(c.by_item[f"datacenter.{k}"] for k in ("use.ai", "manufacturing.ai_gpus"))
    expected += c.by_item["datacenter.manufacturing.ai_servers"]
    assert blocks_section.block_totals(result)["ai"]["climate_change"] == pytest.approx(expected)
    assert expected / c.total == pytest.approx(0.013534, rel=1e-3)
    header, rows = blocks_section.table(result, EN)
    assert header[:2] == ["Block", "Climate change"]
    assert rows == [["AI inference", "1.35\u00a0%", *rows[0][2:]]]
    assert blocks_section.table(result, FR)[1][0][:2] == ["Inférence d'IA", "1,35\u202f%"]


def test_each_block_gives_its_own_row_and_no_other(results):
    assert set(blocks_section.block_totals(results["video-conferencing"])) == {"video"}
    assert set(blocks_section.block_totals(results["webmail"])) == {"messages"}


def test_a_service_without_blocks_has_no_section(results):
    result = results["ecommerce"]
    assert blocks_section.table(result, EN) is None
    assert "Optional blocks" not in markdown.render(bare([result]))
    assert "Optional blocks" not in text.render(bare([result]), width=100)
    assert 'id="blocks"' not in html.render(bare([result]))


@pytest.mark.parametrize(
    ("lang", "title", "row"),
    [
        ("en", "Optional blocks", "Messages and stored files"),
        ("fr", "Blocs optionnels", "Messages et fichiers stockés"),
    ],
)
def test_every_human_report_shows_the_block_rows(results, lang, title, row):
    result = results["webmail"]
    share = blocks_section.table(result, Translator(lang))[1][0][1]  # climate change
    for page in (
        markdown.render(bare([result]), lang),
        text.render(bare([result]), lang, width=100),
        html.render(bare([result]), lang),
    ):
        assert title in page
        assert row in page
        assert share in page.replace("\xa0", " ") or share in page


def test_the_video_row_counts_its_traffic_and_its_back_end(results):
    # video-conferencing: the block is its network rows (the calls' data) and its data-centre
    # rows (the back end), nothing else.
    result = results["video-conferencing"]
    c = result.criteria["climate_change"]
    items = [k for k in c.by_item if k.rsplit(".", 1)[-1] == "video"]
    assert sorted(items) == [
        "datacenter.manufacturing.video",
        "datacenter.use.video",
        "network.manufacturing.video",
        "network.use.video",
    ]
    expected = sum(c.by_item[k] for k in items)
    assert blocks_section.block_totals(result)["video"]["climate_change"] == pytest.approx(expected)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("name", "block"),
    [("ai-assistant", "ai"), ("video-conferencing", "video"), ("webmail", "messages")],
)
def test_the_csv_has_each_block_in_both_layouts(results, name, block):
    result = results[name]
    totals = blocks_section.block_totals(result)[block]
    wide = _csv(csv_format.render(bare([result])))
    for row in wide:
        assert float(row[f"block.{block}"]) == pytest.approx(totals[row["criterion"]])
        others = [b for b in blocks_section.BLOCK_ITEMS if b != block]
        assert all(row[f"block.{b}"] == "" for b in others)
    long = _csv(csv_format.render_long(bare([result])))
    for cid, c in result.criteria.items():
        mine = [r for r in long if r["criterion"] == cid]
        # The block's rows sum to its total; all rows still sum to the criterion's total.
        assert sum(float(r["value"]) for r in mine if r["block"] == block) == pytest.approx(
            totals[cid]
        )
        assert sum(float(r["value"]) for r in mine) == pytest.approx(c.total)
        assert {r["block"] for r in mine} == {"", block}


def test_the_csv_of_a_service_without_blocks_has_empty_block_cells(results):
    result = results["ecommerce"]
    wide = _csv(csv_format.render(bare([result])))
    assert all(row[f"block.{b}"] == "" for row in wide for b in blocks_section.BLOCK_ITEMS)
    long = _csv(csv_format.render_long(bare([result])))
    assert {r["block"] for r in long} == {""}
    assert len(long) == len(result.criteria) * len(csv_format.PAIRS)  # as before the blocks


def test_the_json_lists_each_block_item(results):
    for name, block in (
        ("ai-assistant", "ai"),
        ("video-conferencing", "video"),
        ("webmail", "messages"),
    ):
        document = json.loads(json_format.render(bare([results[name]])))
        keys = document["services"][0]["criteria"]["climate_change"]["by_item"]
        assert {k.rsplit(".", 1)[-1] for k in keys} & set(blocks_section.BLOCK_ITEMS[block])
