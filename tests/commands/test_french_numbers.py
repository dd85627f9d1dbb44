"""French as written: '50 000', '2,5 Mo', '1,5 To' read with --lang fr, in files and in init."""

from __future__ import annotations

import json

import yaml
from conftest import MINIMAL, run_cli

FRENCH_FILE = """\
name: Boutique
usage:
  users: 50 000
  visits_per_user: 2 par mois
  visit_duration: 5 min
  data_per_visit: 2,5 Mo
  devices:
    smartphone: 62,5 %
    laptop: 37,5 %
  network:
    mobile: 40 %
    fixed: 60 %
  location: FRA
hosting:
  location: FRA
  pue: 1,5
  servers:
    - name: web
      count: 2
      type: virtual
      vcpu: 4
  storage:
    volume: 1,5 To
"""

ENGLISH_FILE = FRENCH_FILE.replace("50 000", "50000").replace("2,5 Mo", "2.5 MB")
ENGLISH_FILE = (
    ENGLISH_FILE.replace("1,5 To", "1.5 TB")
    .replace("pue: 1,5", "pue: 1.5")
    .replace("62,5 %", "62.5%")
    .replace("37,5 %", "37.5%")
)


def _json(path, *args):
    result = run_cli("estimate", str(path), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"][0]


def test_a_french_file_gives_the_figures_of_the_same_file_written_in_english(tmp_path):
    french, english = tmp_path / "fr.yaml", tmp_path / "en.yaml"
    french.write_text(FRENCH_FILE, encoding="utf-8")
    english.write_text(ENGLISH_FILE, encoding="utf-8")
    read_in_french, read_in_english = _json(french, "--lang", "fr"), _json(english)
    assert read_in_french["service"]["users"] == 50000
    # 50,000 users x 2 visits / month x 12 months = 1.2 million visits (not 25 MB per visit
    # x anything: the comma is a decimal point).
    assert read_in_french["service"]["visits"] == 1.2e6
    assert read_in_french["criteria"] == read_in_english["criteria"]


def test_a_decimal_comma_is_refused_in_english_never_read_as_25(tmp_path):
    path = tmp_path / "fr.yaml"
    path.write_text(FRENCH_FILE, encoding="utf-8")
    result = run_cli("estimate", str(path), "--lang", "en")
    assert result.returncode == 2
    assert "'2,5 Mo'" in result.stderr and "'1,5 To'" in result.stderr


def test_init_reads_french_answers_and_writes_numbers_every_language_reads(tmp_path):
    path = tmp_path / "boutique.yaml"
    answers = [
        "Boutique, 2 000 clients",  # name: free text, kept as typed
        "1 an",  # period
        "50 000",  # Q1 with a space as thousands separator
        "2 par mois",  # Q2
        "",  # Q3
        "2,5 Mo",  # Q4 decimal comma and French unit
        "smartphone 62,5 %, laptop 37,5 %",  # Q5 decimal commas inside a list of pairs
        "mobile: 40 %; fixed: 60 %",  # Q6
        "FRA",  # Q7
        "FRA",  # Q8
        "1,3",  # Q8 PUE with a decimal comma
        "2",  # Q9 virtual servers
        "4",  # Q9 vCPUs
        "0",  # Q9 physical servers
        "",  # Q9 environments: the default
        "1,5 To",  # Q10 volume
        "ssd",  # Q10 type
        "",  # Q10 replicas: the default
        "",
        "",
        "",
    ]
    result = run_cli("init", str(path), "--lang", "fr", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Non accepté" not in result.stdout, result.stdout
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == "Boutique, 2 000 clients"
    assert data["usage"]["users"] == 50000
    assert data["usage"]["data_per_visit"] == "2.5 Mo"
    assert data["hosting"]["storage"]["volume"] == "1.5 To"
    assert (data["period"], data["hosting"]["pue"]) == ("1 an", 1.3)
    # The file reads the same in English.
    assert _json(path, "--lang", "en")["service"]["users"] == 50000


def test_a_french_locale_reads_french_numbers_and_lang_en_overrides_it(tmp_path):
    path = tmp_path / "fr.yaml"
    path.write_text(FRENCH_FILE, encoding="utf-8")
    french = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}
    assert run_cli("validate", str(path), env=french).returncode == 0
    assert run_cli("estimate", str(path), "--format", "json", env=french).returncode == 0
    assert run_cli("estimate", str(path), "--lang", "en", env=french).returncode == 2


def _assumption(path, name: str, *args: str) -> str:
    (row,) = [a for a in _json(path, *args)["assumptions"] if a["path"] == name]
    return row["value"]


def _assumption_cell(path, name: str, *args: str) -> str:
    """The value cell of the Markdown report's assumptions table for the key `name`."""
    result = run_cli("estimate", str(path), "--format", "markdown", "--levers", "0", *args)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(f"| `{name}` |")]
    return line.split(" | ")[1]


def test_a_range_end_with_a_decimal_comma_is_shown_as_the_number_read(tmp_path):
    """'1,500 kB..3 MB' with --lang fr is 1.5 kB..3 MB, centred on sqrt(1.5 x 3000) = 67.08
    kB. The French report wrote its low end '1 500 ko' (fifteen hundred, the comma taken for
    a thousands separator); it is the 1.5 kB read, with the four digits the file wrote:
    '1,500 ko' (fr.json: kB is 'ko', MB 'Mo', after a no-break space)."""
    path = tmp_path / "range.yaml"
    path.write_text(MINIMAL.replace("10 MB", "1,500 kB..3 MB"), encoding="utf-8")
    assert _assumption_cell(path, "usage.data_per_visit", "--lang", "fr") == (
        "1,500\u00a0ko..3\u00a0Mo (valeur centrale 67,1\u00a0ko)"
    )
    # The JSON writes the range as the file wrote it, then its centre in English.
    assert _assumption(path, "usage.data_per_visit", "--lang", "fr") == (
        "1,500 kB..3 MB (central 67.1 kB)"
    )
    # English never reads a comma between digits (1,500 or 1.5?): the file is refused.
    refused = run_cli("estimate", str(path), "--lang", "en")
    assert refused.returncode == 2 and "'1,500 kB' has a comma" in refused.stderr


def test_a_range_end_grouped_by_a_space_reads_alike_in_both_languages(tmp_path):
    """'1 500 kB..3 MB' is 1500 kB..3 MB in both languages (centre sqrt(1.5 x 3) = 2.12 MB):
    English shows the range as written, French the numbers read in its convention (a narrow
    no-break space between thousands), as it shows any other value."""
    path = tmp_path / "range.yaml"
    path.write_text(MINIMAL.replace("10 MB", "1 500 kB..3 MB"), encoding="utf-8")
    assert _assumption_cell(path, "usage.data_per_visit", "--lang", "en") == (
        "1 500 kB..3 MB (central 2.12 MB)"
    )
    assert _assumption_cell(path, "usage.data_per_visit", "--lang", "fr") == (
        "1\u202f500\u00a0ko..3\u00a0Mo (valeur centrale 2,12\u00a0Mo)"
    )
    for lang in ("en", "fr"):
        assert _assumption(path, "usage.data_per_visit", "--lang", lang) == (
            "1 500 kB..3 MB (central 2.12 MB)"
        )
