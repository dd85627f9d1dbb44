"""`acvnum estimate` run as a user runs it: formats, output files, languages."""

import csv
import errno
import io
import json

import pytest
from conftest import EXAMPLES, MINIMAL, assert_golden, run_cli

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_runs(path):
    result = run_cli("estimate", str(path.relative_to(EXAMPLES.parent)))
    assert result.returncode == 0, result.stderr
    assert "Energy per visit" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_report_golden(columns, lang):
    env = {"COLUMNS": str(columns)}
    args = ("estimate", "examples/ecommerce.yaml", "--details", "--lang", lang)
    result = run_cli(*args, env=env)
    assert "\x1b[" not in result.stdout  # no colour when piped
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    assert_golden(f"reports/ecommerce.{lang}.{columns}.txt", result.stdout)


def test_text_summary_golden():
    result = run_cli("estimate", "examples/ecommerce.yaml", env={"COLUMNS": "80"})
    assert_golden("reports/ecommerce.summary.80.txt", result.stdout)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_markdown_report_golden(lang):
    result = run_cli("estimate", "examples/ecommerce.yaml", "--format", "markdown", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert_golden(f"reports/ecommerce.{lang}.md", result.stdout)


def test_french_text_report():
    result = run_cli("estimate", "examples/ecommerce.yaml", "--lang", "fr")
    assert "Énergie par visite" in result.stdout
    assert "Energy per visit" not in result.stdout


def test_csv_has_one_row_per_criterion_with_a_column_per_tier_and_phase():
    result = run_cli("estimate", "examples/ecommerce.yaml", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 8  # 8 criteria (issue 5: one row per service and criterion)
    (climate,) = [r for r in rows if r["criterion"] == "climate_change"]
    tiers, phases = ("terminals", "network", "datacenter"), ("manufacturing", "use")
    pairs = [f"{t}.{p}" for t in tiers for p in phases]
    total = sum(float(climate[pair]) for pair in pairs)
    assert total == pytest.approx(float(climate["total"]), rel=1e-12)
    json_total = run_cli("estimate", "examples/ecommerce.yaml", "--format", "json").stdout
    assert f'"total": {total!r}'[:22] in json_total
    # the coverage statement: water use has no factor for the data-centre building
    (water,) = [r for r in rows if r["criterion"] == "water_use"]
    assert water["not_covered"].split(";") == ["datacenter.manufacturing.building"]
    assert climate["not_covered"] == ""


def test_csv_long_has_one_row_per_criterion_tier_and_phase():
    result = run_cli("estimate", "examples/ecommerce.yaml", "--format", "csv-long")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 8 * 3 * 2  # criteria × tiers × phases (issue 2)
    wide = run_cli("estimate", "examples/ecommerce.yaml", "--format", "csv").stdout
    (climate,) = [
        r for r in csv.DictReader(io.StringIO(wide)) if r["criterion"] == "climate_change"
    ]
    for row in rows:
        if row["criterion"] == "climate_change":
            pair = f"{row['tier']}.{row['phase']}"
            assert float(row["value"]) == pytest.approx(float(climate[pair]), rel=1e-12)
    # each (tier, phase) row names its activities without a factor for the criterion
    (gap,) = [
        r
        for r in rows
        if (r["criterion"], r["tier"], r["phase"]) == ("water_use", "datacenter", "manufacturing")
    ]
    assert gap["not_covered"] == "datacenter.manufacturing.building"


def test_output_is_never_overwritten_without_force(tmp_path):
    target = tmp_path / "report.md"
    first = run_cli("estimate", "examples/ecommerce.yaml", "-f", "markdown", "-o", str(target))
    assert first.returncode == 0 and target.read_text().startswith("# Environmental footprint")
    target.write_text("keep me")
    second = run_cli("estimate", "examples/ecommerce.yaml", "-o", str(target))
    assert second.returncode == 2
    assert "exists; add --force" in second.stderr
    assert target.read_text() == "keep me"
    third = run_cli("estimate", "examples/ecommerce.yaml", "-o", str(target), "--force")
    assert third.returncode == 0 and target.read_text() != "keep me"


def test_defaults_are_named_in_the_report(write_yaml):
    path = write_yaml("""\
name: No hosting, no country
usage:
  users: 100
  visits_per_user: 5
  visit_duration: 2 min
  data_per_visit: 1 MB
  devices: {smartphone: 100%}
  network: {mobile: 100%}
""")
    result = run_cli("estimate", str(path))
    assert result.returncode == 0
    assert "No 'hosting' section" in result.stdout
    assert "world-average electricity mix" in result.stdout
    assert "values took a sourced default" in result.stdout
    detailed = run_cli("estimate", str(path), "--details")
    assert "DEFAULT" in detailed.stdout


def test_unknown_format_is_a_usage_error():
    result = run_cli("estimate", "examples/ecommerce.yaml", "--format", "pdf")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_population_choice_changes_the_boundary():
    current = run_cli("estimate", "examples/ecommerce.yaml", "-f", "markdown").stdout
    sala = run_cli(
        "estimate", "examples/ecommerce.yaml", "-f", "markdown", "--population", "sala2010"
    ).stdout
    assert "851 kg CO2 eq" in current and "985 kg CO2 eq" in sala  # 6.81e12 / 8.0e9 ; / 6.916e9


def test_version_is_instant_and_honest():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("acvnum ")


def test_network_model_option_overrides_the_questionnaire_and_is_named():
    def network(*options: str) -> tuple[float, dict]:
        result = run_cli("estimate", "examples/ecommerce.yaml", "--format", "json", *options)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)["services"][0]
        used = {a["path"]: a for a in report["assumptions"]}["usage.network_model"]
        return report["criteria"]["energy"]["by_tier"]["network"], used

    default, used_default = network()
    power, used_power = network("--network-model", "power")
    assert (used_default["value"], used_default["status"]) == ("per_gb", "default")
    assert (used_power["value"], used_power["status"]) == ("power", "input")
    assert power != pytest.approx(default)


def test_a_contract_factor_shows_the_market_based_figure_beside_the_location_based(write_yaml):
    hosting = "hosting:\n  location: FRA\n  electricity_factor: 20 g/kWh\n  servers:\n"
    hosting += "    - name: app\n      type: physical\n      power: 100 W\n"
    path = str(write_yaml(MINIMAL + hosting))
    report = json.loads(run_cli("estimate", path, "-f", "json").stdout)["services"][0]
    location = report["criteria"]["climate_change"]["total"]
    market = report["market_based"]["climate_change"]["total"]
    # 100 W × 8766 h × PUE 1.56 (default) = 1367.5 kWh; at 51.9 g/kWh (grid) or 20 g (contract):
    # the market-based total is 1367.5 × (0.0519 - 0.020) = 43.62 kg lower
    assert location - market == pytest.approx(1367.496 * (0.0519 - 0.020), rel=1e-4)
    text = run_cli("estimate", path, "--details").stdout
    assert "market_based_climate" in text and "20 g CO2e/kWh" in text


def test_an_unknown_terminals_location_is_bad_input_at_its_line(write_yaml):
    path = str(write_yaml(MINIMAL + "terminals:\n  location: atlantis\n"))
    result = run_cli("estimate", path)
    assert result.returncode == 2
    assert "terminals.location: unknown country or region 'ATLANTIS'" in result.stderr
    assert ":13:" in result.stderr  # the line of the location in the file


def test_a_failed_write_of_a_json_document_closes_its_stream_there_and_then(monkeypatch, tmp_path):
    """The folder's stream (its worker processes) is closed as the error leaves `estimate`,
    not when the error's traceback, which holds the generator, happens to be freed."""
    from acvnum.commands import estimate as command
    from acvnum.commands import json_folder

    closed: list[bool] = []

    def stream(paths, settings, ahead=None):
        try:
            yield b"[1"
            yield b",2]"
        finally:
            closed.append(True)

    def write_chunks(chunks, output, force):
        next(iter(chunks))
        raise OSError(errno.ENOSPC, "full")

    monkeypatch.setattr(json_folder, "stream", stream)
    monkeypatch.setattr(command, "write_chunks", write_chunks)
    path = tmp_path / "service.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(OSError):
        try:
            command.estimate([path], fmt=command.Format.json)
        finally:
            assert closed == [True]  # (the traceback is alive here)
