"""The table layouts the reports share: a (header, rows) pair as Markdown lines or as a rich
table, numbers right-aligned from a given column on."""

from __future__ import annotations

import io

from rich.console import Console

from acvnum.report.tables import markdown_table, rich_table


def test_a_markdown_table_right_aligns_from_its_second_column_by_default():
    lines = markdown_table(
        ["tier", "kg", "%"], [["network", "1.5", "30"], ["terminals", "3.5", "70"]]
    )
    assert lines == [
        "| tier | kg | % |",
        "| --- | ---: | ---: |",
        "| network | 1.5 | 30 |",
        "| terminals | 3.5 | 70 |",
        "",  # a blank line ends the table before what follows
    ]


def test_right_from_says_where_the_numbers_start():
    assert markdown_table(["a", "b", "c"], [], right_from=2)[1] == "| --- | --- | ---: |"
    assert markdown_table(["a", "b"], [], right_from=0)[1] == "| ---: | ---: |"
    assert markdown_table(["a", "b"], [], right_from=5)[1] == "| --- | --- |"


def test_a_markdown_cell_cannot_split_its_row_nor_hold_html():
    (_, _, row, _) = markdown_table(["name"], [["a|b <i>\nnext"]])
    # '|' escaped, '<' and '>' as entities, the newline a space (markdown_text)
    assert row == "| a\\|b &lt;i&gt; next |"
    (header, *_) = markdown_table(["x|y"], [])
    assert header == "| x\\|y |"


def render(table) -> list[str]:
    console = Console(file=io.StringIO(), width=60, color_system=None, legacy_windows=False)
    console.print(table)
    return console.file.getvalue().splitlines()


def test_a_rich_table_has_its_title_columns_and_rows():
    table = rich_table(
        "Impacts", (["tier", "kg"], [["network", "1.5"], ["terminals", "13.25"]]), {0}
    )
    assert table.title == "Impacts"
    assert table.caption is None
    assert [c.header for c in table.columns] == ["tier", "kg"]
    assert [c.justify for c in table.columns] == ["left", "right"]
    assert table.row_count == 2
    lines = render(table)
    assert lines[0].strip() == "Impacts"
    # the numbers, right-aligned, end in the same column
    rows = [line.rstrip() for line in lines if "network" in line or "terminals" in line]
    assert rows[0].endswith(" 1.5") and rows[1].endswith(" 13.25")
    assert len({len(row) for row in rows}) == 1


def test_a_rich_table_s_note_is_its_caption_and_an_empty_note_none():
    assert rich_table("T", (["a"], []), set(), note="per visit").caption == "per visit"
    assert rich_table("T", (["a"], []), set(), note="").caption is None
    assert [c.justify for c in rich_table("T", (["a", "b"], []), {1}).columns] == ["right", "left"]
