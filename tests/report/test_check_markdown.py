"""The Markdown report of `acvnum check`: what users wrote, in the form every Markdown
report uses (control characters as escapes, '\\x1b'), on its line."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, NASTY_SHOP, run_cli

#: A baseline's file name holding an escape sequence, a newline and a '|'.
BASELINE = "b\x1b[2J\n|x.json"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """`check -f markdown` of NASTY_SHOP against a baseline naming its service otherwise."""
    folder = tmp_path_factory.mktemp("check")
    (folder / "shop.yaml").write_text(NASTY_SHOP, encoding="utf-8")
    ecommerce = str(EXAMPLES / "ecommerce.yaml")
    recorded = run_cli("estimate", ecommerce, "-f", "json", "-o", BASELINE, cwd=folder)
    assert recorded.returncode == 0, recorded.stderr
    result = run_cli("check", "shop.yaml", "--baseline", BASELINE, "-f", "markdown", cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_service_heading_shows_escapes_not_replacement_characters(report):
    assert "### S&lt;script&gt;\\|\\u202e\\x1b[2J Y" in report.split("\n")
    assert "\ufffd" not in report


def test_the_baseline_file_and_renamed_note_show_escapes(report):
    shown = "b\\x1b[2J \\|x.json"  # the newline a space, as markdown_text makes it
    lines = report.split("\n")
    assert any(line.startswith("**Against") and shown in line for line in lines)  # title
    (renamed,) = [line for line in lines if line.startswith("⚠️") and shown in line]
    assert "'Boutique en ligne'" in renamed
    assert "\x1b" not in report and "\u202e" not in report and "<script>" not in report
