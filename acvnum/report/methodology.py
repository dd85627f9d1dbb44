"""The methodology, shipped inside the package: `acvnum method` prints it and the HTML report
carries it as an appendix, so an installed copy never points to a file it does not have."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

NAME = "methodology.md"


def path() -> Path:
    """The packaged copy (`acvnum/_docs/`), or the repository's `docs/` when run from it."""
    package = Path(__file__).parents[1]
    packaged = package / "_docs" / NAME
    return packaged if packaged.is_file() else package.parent / "docs" / NAME


def text() -> str:
    """The methodology as Markdown."""
    return path().read_text(encoding="utf-8")


def terminal(width: int) -> str:
    """The methodology laid out for a `width`-column terminal: its tables' cells fold a
    name too long for their column ('device.<type>.<criterion>') onto the next line, where
    rich's Markdown would cut it with an ellipsis."""
    import io

    # rich is imported by the command that prints this, not by every report.
    from rich.console import Console
    from rich.markdown import Markdown, TableElement

    class FoldingTable(TableElement):
        def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
            for table in super().__rich_console__(console, options):
                for column in table.columns:  # type: ignore[attr-defined]
                    column.overflow = "fold"
                yield table

    class FoldingMarkdown(Markdown):
        elements: ClassVar = {**Markdown.elements, "table_open": FoldingTable}

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, emoji=False)
    console.print(FoldingMarkdown(text()))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def html() -> str:
    """The methodology as an HTML fragment (headings one level below the report's)."""
    # markdown-it is rich's own Markdown parser (a dependency of rich), imported only here.
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.render(text().replace("\n#", "\n##"))
