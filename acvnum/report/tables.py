"""Table layouts shared by the reports: a (header, rows) pair as Markdown or as a rich table.

Sections build (header, rows) of strings; these functions only lay them out, so every
section module can use them without importing a renderer (and no renderer imports back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from acvnum.escaping import markdown_text

if TYPE_CHECKING:
    from rich.table import Table

#: A table as sections return it: the header, then one list of cells per row.
Layout = tuple[list[str], list[list[str]]]


def markdown_table(
    header: list[str],
    rows: list[list[str]],
    right_from: int = 1,
    left: frozenset[int] = frozenset(),
) -> list[str]:
    """A Markdown table; columns from `right_from` on are right-aligned (numbers), but those
    in `left` (words among the figures)."""
    align = ["---" if i < right_from or i in left else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(map(markdown_text, header)) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(map(markdown_text, row)) + " |" for row in rows]
    return [*lines, ""]


def rich_table(title: str, layout: Layout, left: set[int], note: str | None = None) -> Table:
    """A rich table of (header, rows); columns in `left` are left-aligned, others right."""
    # rich is imported here so that JSON and Markdown runs never load it (start-up time).
    from rich import box
    from rich.table import Table

    header, rows = layout
    grid = Table(
        title=title,
        caption=note or None,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for i, name in enumerate(header):
        grid.add_column(name, justify="left" if i in left else "right")
    for row in rows:
        grid.add_row(*row)
    return grid
