"""One escaping function per output kind, and each output kind end to end with a hostile
name: terminal, CSV, Markdown, JUnit XML (HTML escapes in report/html.py)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from conftest import MINIMAL, run_cli

from acvnum.escaping import (
    csv_cell,
    markdown_code,
    markdown_text,
    shorten,
    terminal,
    terminal_line,
    xml_text,
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # retitles the window
        ("\x1b[2J", "\\x1b[2J"),  # clears the screen
        ("\x9b31m", "\\x9b31m"),  # C1 CSI alone
        ("a\u202eb", "a\\u202eb"),  # right-to-left override
        ("\ud800", "\\ud800"),  # a lone surrogate cannot even be encoded
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # layout is kept
        ("Boutique élégante", "Boutique élégante"),
    ],
)
def test_terminal_shows_control_characters_as_escapes(text, shown):
    assert terminal(text) == shown
    assert terminal(terminal(text)) == shown  # idempotent: safe to apply twice


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Shop\nLine 2", "Shop\\x0aLine 2"),  # a name cannot split its line
        ("a\r\nb", "a\\x0d\\x0ab"),
        ("\x1b[2J\u202e", "\\x1b[2J\\u202e"),  # what `terminal` shows
        ("tab\there", "tab\there"),  # a tab keeps the line
        ("<script>|", "<script>|"),  # nothing a terminal acts on
    ],
)
def test_terminal_line_shows_newlines_as_escapes_too(text, shown):
    assert terminal_line(text) == shown
    assert terminal_line(terminal_line(text)) == shown


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", " x"),  # a line break is a space: a cell stays on its row
        ("a\r\nb", "a b"),
        ("a\x00b\x1bc", "abc"),
        ("Shop - EU", "Shop - EU"),
        # bidi overrides and isolates shown, as on a terminal: a cell reads as written
        ("a\u202eb\u2066c\u2069", "a\\u202eb\\u2066c\\u2069"),
        ("\u202e=1+1", "\\u202e=1+1"),  # starts with '\\': not a formula
        ("=1\u202a", "'=1\\u202a"),  # a formula still prefixed
        ("-\u202d\x1b[2J", "'-\\u202d[2J"),  # a control still removed
    ],
)
def test_csv_cells_never_start_a_formula_and_hold_no_control(text, cell):
    assert csv_cell(text) == cell
    assert csv_cell(cell) == cell  # idempotent: safe to apply twice


def test_markdown_text_is_one_line_with_pipes_and_tags_escaped():
    assert markdown_text("a|b\n# Title\r\n<img src=x>") == "a\\|b # Title &lt;img src=x&gt;"


def test_xml_text_keeps_only_xml_1_0_characters():
    assert xml_text("a\x00\x08\x0b\x1b\ufffe\uffff\ud800b\t\n\r😀") == "ab\t\n\r😀"


def test_shorten_quotes_the_start_and_says_how_long():
    assert shorten("x" * 100, 10) == "xxxxxxxxxx... (100 characters)"
    assert shorten("short") == "short"


# --- end to end --------------------------------------------------------------------------------

HOSTILE = '"=1+1|\\e]0;owned\\a\\n# Heading\\u0085<b>"'


@pytest.fixture
def hostile(write_yaml):
    text = MINIMAL.replace("name: Minimal", f"name: {HOSTILE}")
    text += "budgets:\n  - criterion: climate_change\n    per: visit\n    max: 1 mg\n"
    return write_yaml(text)


def test_csv_report_neutralises_a_formula_name(hostile):
    result = run_cli("estimate", str(hostile), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    names = {row[0] for row in rows[1:]}
    assert len(names) == 1
    (name,) = names
    assert name.startswith("'=1+1")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name)


def test_markdown_report_keeps_a_name_on_its_line(hostile):
    for command in (["estimate", str(hostile)], ["check", str(hostile)]):
        result = run_cli(*command, "--format", "markdown")
        assert result.returncode in (0, 1), result.stderr
        assert "\n# Heading" not in result.stdout
        assert "<b>" not in result.stdout
        assert "\x1b" not in result.stdout


def test_junit_is_well_formed_xml_with_a_hostile_name(hostile):
    result = run_cli("check", str(hostile), "--format", "junit")
    assert result.returncode == 1, result.stderr
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.find("testsuite") is not None


def test_a_hostile_unknown_key_is_shown_escaped_in_the_message(write_yaml):
    path = write_yaml(MINIMAL + '"\\e]8;;http://evil\\e\\\\click": 1\n')
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    assert "Traceback" not in result.stderr


def test_factors_show_escapes_a_user_source(tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text(
        "id,value,low,high,unit,source,year,licence,note\n"
        'electricity.FRA.climate_change,0.1,0.09,0.11,kg CO2 eq/kWh,"\x1b[2J[link=http://x]y[/link]",'
        "2024,mine,\n",
        encoding="utf-8",
    )
    result = run_cli("factors", "show", "electricity.FRA.climate_change", "--factors", str(table))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J[link=http://x]y[/link]" in result.stdout


def test_html_report_escapes_a_hostile_name(hostile):
    result = run_cli("estimate", str(hostile), "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "<b>" not in result.stdout and "&lt;b&gt;" in result.stdout


def test_validate_shows_a_file_name_with_escapes(tmp_path):
    path = tmp_path / "\x1b]0;owned\x07.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\\x1b]0;owned\\x07.yaml: OK" in result.stdout


def test_reports_show_bidirectional_overrides_and_lone_surrogates_as_escapes():
    from acvnum.escaping import terminal_line

    assert terminal_line("a\u202eb\u2066c\ud800d\x1be\nf") == (
        "a\\u202eb\\u2066c\\ud800d\\x1be\\x0af"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a|b<c>&amp;.yaml", "`a|b<c>&amp;.yaml`"),  # nothing escaped inside a code span
        ("a`b.yaml", "``a`b.yaml``"),  # a fence longer than the backticks inside
        ("`a``", "``` `a`` ```"),  # padded: it starts (and ends) with a backtick
        (" a ", "`  a  `"),  # one space each side is taken off: the two are kept
        ("a\x1b[2J\nb\u202e", "`a\\x1b[2J b\\u202e`"),
    ],
)
def test_markdown_code_shows_the_text_as_written(text, code):
    assert markdown_code(text) == code
