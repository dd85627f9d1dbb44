"""The terminal report of `acvnum check`: what users wrote, shown as escapes on its line."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, NASTY_SHOP, run_cli

#: A baseline's file name holding an escape sequence and a newline.
BASELINE = "b\x1b[2J\nx.json"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """NASTY_SHOP (with its budgets) and a baseline of examples/ecommerce.yaml, which names
    its only service otherwise: the renamed note is said."""
    folder = tmp_path_factory.mktemp("check")
    (folder / "shop.yaml").write_text(NASTY_SHOP, encoding="utf-8")
    ecommerce = str(EXAMPLES / "ecommerce.yaml")
    recorded = run_cli("estimate", ecommerce, "-f", "json", "-o", BASELINE, cwd=folder)
    assert recorded.returncode == 0, recorded.stderr
    return folder


def _check(folder, *options: str) -> str:
    result = run_cli("check", "shop.yaml", "--baseline", BASELINE, *options, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\ufffd" not in result.stdout  # the README's escapes, not U+FFFD
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_service_name_keeps_its_heading_line_as_escapes(folder, lang):
    """As `diff` and `estimate` show it: 'S<script>|\\u202e\\x1b[2J\\x0aY — Budgets'."""
    first, second = _check(folder, "--lang", lang).split("\n")[:2]
    assert first.startswith("S<script>|\\u202e\\x1b[2J\\x0aY — ")
    assert not second.startswith("Y")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_baseline_file_and_renamed_note_are_shown_as_escapes(folder, lang):
    report = _check(folder, "--lang", lang)
    shown = "b\\x1b[2J\\x0ax.json"
    lines = [line.strip() for line in report.split("\n")]
    assert any(shown in line for line in lines)  # the baseline table's title, on its line
    said = " ".join(lines)  # the renamed note may wrap between words
    assert said.count(shown) == 2  # the title's and the renamed note's
    assert "Boutique en ligne" in said
    assert "\nx.json" not in report
