"""The methodology, shipped inside the package: `acvnum method` prints it and the HTML report
carries it as an appendix, so an installed copy never points to a file it does not have."""

from __future__ import annotations

from pathlib import Path

NAME = "methodology.md"


def path() -> Path:
    """The packaged copy (`acvnum/_docs/`), or the repository's `docs/` when run from it."""
    package = Path(__file__).parents[1]
    packaged = package / "_docs" / NAME
    return packaged if packaged.is_file() else package.parent / "docs" / NAME


def text() -> str:
    """The methodology as Markdown."""
    return path().read_text(encoding="utf-8")


def html() -> str:
    """The methodology as an HTML fragment (headings one level below the report's)."""
    # markdown-it is rich's own Markdown parser (a dependency of rich), imported only here.
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.render(text().replace("\n#", "\n##"))
