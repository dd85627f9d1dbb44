"""`acvnum method` (acvnum.commands.method_cmd): the methodology as Markdown, word for word
docs/methodology.md, or laid out for the terminal's width (COLUMNS, from 40 to 120
columns). The French text and --lang over the locale are
tests/report/test_methodology_fr.py's."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_cli

ENGLISH = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")


def test_markdown_is_the_document_as_written():
    for option in ("--format", "-f"):
        result = run_cli("method", option, "markdown")
        assert result.returncode == 0, result.stderr
        assert result.stdout == ENGLISH  # nothing added, not even a newline


def _widest(columns: str) -> int:
    result = run_cli("method", env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    assert not result.stdout.startswith("\n")  # no blank line added above
    return max(len(line) for line in result.stdout.splitlines())


@pytest.mark.parametrize(("columns", "width"), [("50", 50), ("100", 100)])
def test_the_terminal_layout_takes_the_columns_it_is_given(columns, width):
    """The document has lines longer than 100 columns: each layout fills its width."""
    assert max(len(line) for line in ENGLISH.splitlines()) > 100
    assert _widest(columns) == width


def test_the_layout_stops_at_120_columns_and_falls_back_below_40():
    assert _widest("300") == 120  # MAX_WIDTH: lines stay readable on a wide screen
    assert _widest("20") == 80  # narrower than NARROWEST (40): the 80-column default


def test_an_unknown_format_is_a_usage_error():
    result = run_cli("method", "-f", "html")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.endswith(
        "'-f': 'html' is not a choice; choose one of 'text', 'markdown'.\n"
    )
