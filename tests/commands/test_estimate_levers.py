"""`acvnum estimate --levers N --what-if PATH=VALUE`, run as a user would."""

import csv
import io

import pytest
from conftest import assert_golden, run_cli, the_service

SHOP = "examples/ecommerce.yaml"
INTRANET = "examples/internal-app.yaml"


def section(text: str, start: str, end: str) -> str:
    """The lines from the one starting with `start` to the one before `end`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    return "\n".join(line.rstrip() for line in lines[first:last]).rstrip() + "\n"


@pytest.mark.parametrize(
    ("lang", "start", "end"),
    [("en", "Levers:", "Assumptions"), ("fr", "Leviers", "Hypothèses")],
)
def test_text_levers_section_golden(lang, start, end):
    result = run_cli("estimate", INTRANET, "--lang", lang, "--details")
    assert result.returncode == 0, result.stderr
    assert_golden(f"levers/internal-app.{lang}.txt", section(result.stdout, start, end))


def test_markdown_levers_section_golden():
    result = run_cli("estimate", INTRANET, "--format", "markdown", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert_golden("levers/internal-app.fr.md", section(result.stdout, "## Leviers", "## Hypoth"))


def test_levers_count_sets_how_many_are_shown_and_zero_hides_them():
    two = the_service(run_cli("estimate", SHOP, "-f", "json", "--levers", "2").stdout)
    assert [lever["rank"] for lever in two["levers"]] == [1, 2]
    assert two["levers_combined"]["levers"] == [lever["id"] for lever in two["levers"]]
    none = run_cli("estimate", SHOP, "--levers", "0")
    assert none.returncode == 0 and "Levers" not in none.stdout
    hidden = the_service(run_cli("estimate", SHOP, "-f", "json", "--levers", "0").stdout)
    assert hidden["levers"] == [] and hidden["levers_combined"] is None


def test_default_shows_five_levers_with_the_contract_keys():
    document = the_service(run_cli("estimate", SHOP, "-f", "json").stdout)
    assert len(document["levers"]) == 5
    for lever in document["levers"]:
        assert {"id", "rank", "title", "change", "reduction", "saving"} <= set(lever)
        assert lever["persons_equivalent_saved"] > 0
    assert "what_if" not in document


def test_a_negative_count_is_a_usage_error():
    result = run_cli("estimate", SHOP, "--levers", "-1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_what_if_in_json_gives_before_after_and_saving():
    result = run_cli(
        "estimate", SHOP, "-f", "json",
        "--what-if", "usage.data_per_visit=1MB", "--what-if", "hosting.location=SWE",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = the_service(result.stdout)
    w = document["what_if"]
    assert [c["path"] for c in w["changes"]] == ["usage.data_per_visit", "hosting.location"]
    assert w["changes"][0]["before"] == "2.5 MB" and w["changes"][0]["after"] == "1 MB"
    for cid, c in document["criteria"].items():
        assert w["before"][cid] == pytest.approx(c["total"])
        assert w["saving"][cid] == pytest.approx(w["before"][cid] - w["after"][cid])
        assert w["reduction"][cid] == pytest.approx(w["saving"][cid] / w["before"][cid])


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "What if: usage.data_per_visit: 2.5 MB → 1 MB"),
        ("markdown", "- `usage.data_per_visit`: 2.5 MB → 1 MB"),
        ("html", "<li><code>usage.data_per_visit</code>: 2.5 MB → 1 MB</li>"),
    ],
)
def test_what_if_in_the_readable_reports(fmt, expected):
    result = run_cli("estimate", SHOP, "-f", fmt, "--what-if", "usage.data_per_visit=1MB")
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "Persons-equivalent saved" in result.stdout


def test_what_if_in_csv_fills_after_saving_and_reduction():
    result = run_cli("estimate", SHOP, "-f", "csv", "--what-if", "hosting.environments=1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        before, after = float(row["total"]), float(row["what_if_after"])
        assert float(row["what_if_saving"]) == pytest.approx(before - after)
        assert 0 < float(row["what_if_reduction"]) < 1


def test_bad_what_if_exits_2_with_a_message_naming_the_path():
    outputs = []
    for change in (
        "usage.data_per_vist=1MB",
        "hosting.servers[3].count=1",
        "usage.data_per_visit=lots",
        "hosting.location=ATLANTIS",
        "usage.users",
    ):
        result = run_cli("estimate", SHOP, "--what-if", change)
        assert result.returncode == 2, change
        assert result.stdout == "" and "Traceback" not in result.stderr
        outputs.append(result.stderr)
    assert_golden("levers/what_if_errors.txt", "".join(outputs))


def test_what_if_on_hosting_the_file_does_not_describe_warns_and_shows_the_default(write_yaml):
    from conftest import MINIMAL

    minimal = write_yaml(MINIMAL)
    result = run_cli("estimate", str(minimal), "--what-if", "hosting.pue=1.2")
    assert result.returncode == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "What if: hosting.pue: 1.56 (default) → 1.2" in shown
    assert "hosting is not described in the file: a change to 'hosting' has no effect" in shown
    absent = run_cli("estimate", str(minimal), "--what-if", "hosting.servers[0].count=2")
    assert absent.returncode == 2 and "Traceback" not in absent.stderr
    assert f"{minimal}: --what-if hosting.servers[0].count=2: hosting is absent" in absent.stderr


def test_the_levers_caption_takes_the_report_width_even_for_one_short_change(write_yaml):
    from conftest import MINIMAL

    result = run_cli("estimate", str(write_yaml(MINIMAL)), "--levers", "1", "--details")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Each lever is applied"))
    caption = [line.rstrip() for line in lines[first : first + 3]]
    # Wrapped at the 100 columns of the report, not at the width of the one change.
    assert min(len(line) for line in caption) > 90, caption
