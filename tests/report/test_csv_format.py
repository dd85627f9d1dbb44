"""The CSV report: what users wrote, in cells a spreadsheet shows as written."""

from __future__ import annotations

import csv
import io

from conftest import NASTY_SHOP, run_cli


def test_bidi_overrides_are_shown_as_escapes_in_every_cell(tmp_path):
    """A right-to-left override in a name (the service's, a server's in the what-if's
    change) would make a cell read otherwise than written: shown as '\\u202e', as on a
    terminal and in HTML; ESC still removed, a newline still a space."""
    path = tmp_path / "shop.yaml"
    unit = 'functional_unit: "=\\u2066u"\nperiod:'
    path.write_text(NASTY_SHOP.replace("period:", unit, 1), encoding="utf-8")
    what_if = "hosting.servers[0].count=1"
    result = run_cli("estimate", str(path), "-f", "csv", "--what-if", what_if)
    assert result.returncode == 0, result.stderr
    assert "\u202e" not in result.stdout and "\u2066" not in result.stdout
    assert "\x1b" not in result.stdout
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert {row[0] for row in rows} == {"S<script>|\\u202e[2J Y"}
    assert {row[2] for row in rows} == {"'=\\u2066u"}  # a formula start still quoted
    change = {row[header.index("what_if_change")] for row in rows}
    assert len(change) == 1 and "w<script>|\\u202e[5m X" in change.pop()
