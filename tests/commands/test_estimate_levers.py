"""`acvnum estimate --levers N --what-if PATH=VALUE`, run as a user would."""

import csv
import io

import pytest
from conftest import assert_golden, run_cli, the_service

SHOP = "examples/ecommerce.yaml"
INTRANET = "examples/internal-app.yaml"


def section(text: str, start: str | tuple[str, ...], end: str) -> str:
    """The lines from the one starting with `start` to the one before `end`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))  # or any of them
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


#: One change of each kind: with a sentence, for a server (named in it), a device's answer
#: said as the device lever says it, a count, and a path without a sentence (technical only).
WHAT_IF = (
    "hosting.pue=1.2",
    "usage.data_per_visit=1MB",
    "hosting.servers[0].count=1",
    "terminals.laptop.lifetime=7y",
    "usage.users=40000",
    "hosting.electricity_factor=50",
)


def _what_if_run(fmt: str, lang: str = "en") -> str:
    args = [a for change in WHAT_IF for a in ("--what-if", change)]
    result = run_cli("estimate", SHOP, "-f", fmt, "--lang", lang, *args, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _what_if_changes(fmt: str, report: str) -> str:
    """The part of a report that says what the --what-if changed."""
    if fmt == "text":
        return section(report, ("What if", "Et si"), "  Crit")
    if fmt == "markdown":
        lines = report.split("## What if\n\n" if "## What if" in report else "## Et si\n\n")[1]
        return lines.split("\n\n")[0] + "\n"
    if fmt == "html":
        part = report.split('<section id="what-if" class="what-if">')[1]
        return part.split("<div")[0].replace("<li>", "\n<li>") + "\n"
    rows = list(csv.DictReader(io.StringIO(report)))
    assert len({row["what_if_change"] for row in rows}) == 1  # the same on every criterion
    return rows[0]["what_if_change"] + "\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("html", "html")])
def test_what_if_changes_are_said_in_words_beside_the_technical_change(fmt, suffix, lang):
    report = _what_if_run(fmt, lang)
    assert_golden(f"levers/what_if.{lang}.{suffix}", _what_if_changes(fmt, report))
    saved = "Persons-equivalent saved" if lang == "en" else "Équivalents-personnes évités"
    assert saved in report


def test_what_if_changes_in_csv_are_said_in_english_words():
    assert_golden("levers/what_if.csv.txt", _what_if_changes("csv", _what_if_run("csv")))


def test_a_what_if_is_said_as_the_lever_making_the_same_change_is():
    # 'Keep servers longer' sets hosting.servers[0].lifetime (left out of the file: 4 years
    # by default) to 6 years; the same --what-if reads alike, the default marked as such.
    lever = "keep the 'app' servers 6 years instead of 4 years"
    markdown = run_cli("estimate", INTRANET, "-f", "markdown").stdout
    assert f"— {lever}; " in markdown  # the lever's sentence, in the levers' why-list
    what_if = run_cli(
        "estimate", INTRANET, "-f", "markdown", "--what-if", "hosting.servers[0].lifetime=6 years"
    ).stdout
    assert (
        f"- {lever} (default) — `hosting.servers[0].lifetime`: 4 years (default) → 6 years\n"
    ) in what_if


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
    assert "• a data centre with a PUE of 1.2 instead of 1.56 (default)" in shown
    assert "hosting.pue: 1.56 (default) → 1.2" in shown
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
