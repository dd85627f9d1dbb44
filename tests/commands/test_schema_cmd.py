"""`acvnum schema` prints the committed schema; --output never overwrites without --force."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

from acvnum.questionnaire.schema import SCHEMA_FILE


def test_prints_the_committed_schema_file():
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert json.loads(result.stdout)["type"] == "object"


def test_output_file_is_kept_without_force(tmp_path):
    target = tmp_path / "schema.json"
    target.write_text("mine", encoding="utf-8")
    refused = run_cli("schema", "--output", str(target))
    assert refused.returncode == 2
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run_cli("schema", "--output", str(target), "--force").returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
