"""The methodology, shipped inside the package: `acvnum method` prints it and the HTML report
carries it as an appendix, so an installed copy never points to a file it does not have.
It is written in English and in French (`methodology.fr.md`, kept in step by
`tests/report/test_methodology_fr.py`): a French report ends in French."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar

#: The document's file name per language; English is the one every other language follows.
NAMES = {"en": "methodology.md", "fr": "methodology.fr.md"}


def path(lang: str = "en") -> Path:
    """The packaged copy (`acvnum/_docs/`), or the repository's `docs/` when run from it."""
    name = NAMES.get(lang, NAMES["en"])
    package = Path(__file__).parents[1]
    packaged = package / "_docs" / name
    return packaged if packaged.is_file() else package.parent / "docs" / name


def text(lang: str = "en") -> str:
    """The methodology as Markdown, in `lang` (English for a language it is not written in)."""
    return path(lang).read_text(encoding="utf-8")


def terminal(width: int, lang: str = "en") -> str:
    """The methodology laid out for a `width`-column terminal: its tables' cells fold a
    name too long for their column ('device.<type>.<criterion>') onto the next line, where
    rich's Markdown would cut it with an ellipsis."""
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
    console.print(FoldingMarkdown(text(lang)))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def html(lang: str = "en") -> str:
    """The methodology as an HTML fragment (headings one level below the report's)."""
    # markdown-it is rich's own Markdown parser (a dependency of rich), imported only here.
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.render(text(lang).replace("\n#", "\n##"))
