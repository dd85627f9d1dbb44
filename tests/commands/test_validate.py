"""`acvnum validate`: OK per good file, every problem of every bad file with its position."""

from __future__ import annotations

from conftest import EXAMPLES, MINIMAL, ROOT, assert_golden, run_cli

BAD = ROOT / "tests" / "inputs" / "bad"


def test_every_example_is_valid():
    result = run_cli("validate", str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    assert [line.rsplit("/", 1)[-1] for line in result.stdout.splitlines()] == [
        f"{name}: OK" for name in names
    ]


def test_problems_of_all_files_are_listed_together():
    result = run_cli(
        "validate", "tests/inputs/bad/many_errors.yaml", "tests/inputs/bad/unknown_key.yaml"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert_golden("validate_many_errors.txt", result.stderr)


def test_one_bad_file_fails_the_run_but_names_only_its_problems(write_yaml):
    good = write_yaml(MINIMAL, "good.yaml")
    bad = write_yaml(MINIMAL.replace("FRA", "XYZ"), "bad.yaml")
    result = run_cli("validate", str(good), str(bad))
    assert result.returncode == 2
    assert f"{bad}:11:3: usage.location: unknown country or region 'XYZ'" in result.stderr
    assert str(good) not in result.stderr


def test_missing_file_is_a_located_problem(tmp_path):
    result = run_cli("validate", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{tmp_path / 'absent.yaml'}:1:1: file not found")


def test_refused_values_and_unknown_countries_are_listed_together(write_yaml):
    shop = (EXAMPLES / "ecommerce.yaml").read_text(encoding="utf-8")
    bad = write_yaml(
        shop.replace("users: 50000", "users: -3").replace("location: FRA", "location: XYZ")
    )
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{bad}:8:3: usage.users: users must be between 1 and 1e+10, got -3"
    assert lines[1].startswith(f"{bad}:19:3: usage.location: unknown country or region 'XYZ'")
    assert lines[2].startswith(f"{bad}:22:3: hosting.location: unknown country or region 'XYZ'")
    assert lines[3:] == ["acvnum: 3 problems found; nothing was computed."]


def test_shares_that_do_not_sum_to_100_and_an_unknown_country_are_listed_together(write_yaml):
    bad = write_yaml(MINIMAL.replace("laptop: 100%", "laptop: 90%").replace("FRA", "XYZ"))
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:7:3: usage.devices: device shares must sum to 100%")
    assert lines[1].startswith(f"{bad}:11:3: usage.location: unknown country or region 'XYZ'")
    assert lines[2:] == ["acvnum: 2 problems found; nothing was computed."]


def test_a_day_of_more_than_24_hours_and_an_unknown_country_are_listed_together(write_yaml):
    over = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 1000 / day")
    bad = write_yaml(over.replace("FRA", "xyz"))
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:4:3: usage.visits_per_user: 1000 / day visits of 6 min")
    assert lines[1].startswith(f"{bad}:11:3: usage.location: unknown country or region 'XYZ'")
    assert lines[2:] == ["acvnum: 2 problems found; nothing was computed."]


def test_an_unknown_country_in_a_file_with_ranges_is_said_with_the_refused_end(write_yaml):
    bad = write_yaml(MINIMAL.replace("data_per_visit: 10 MB", "data_per_visit: 0 MB..-1 MB"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("FRA", "XYZ"), encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:11:3: usage.location: unknown country or region 'XYZ'" in result.stderr
    assert result.stderr.count("usage.location") == 1


def test_a_day_of_more_than_24_hours_and_video_longer_than_a_visit_are_both_said(write_yaml):
    # rules.impossible said the usage's problem or the video's, never both
    over = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 1000 / day")
    bad = write_yaml(over + "video:\n  watched_per_visit: 10 min\n  quality: hd\n")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}:4:3: usage.visits_per_user: 1000 / day visits of 6 min each are 100 h of use "
        "per user per day; a day has 24 h",
        f"{bad}:13:3: video.watched_per_visit: 10 min is longer than a visit (6 min); "
        "video time is part of the visit",
        "acvnum: 2 problems found; nothing was computed.",
    ]


def test_a_file_name_with_a_newline_is_said_on_one_line(tmp_path):
    # 'new\nline.yaml: OK' printed two lines, and a problem of it one line cut in two.
    good, bad = tmp_path / "new\nline.yaml", tmp_path / "bad\nfile.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    bad.write_text("name: x\n", encoding="utf-8")
    assert run_cli("validate", str(good)).stdout == f"{tmp_path}/new\\x0aline.yaml: OK\n"
    refused = run_cli("validate", str(bad))
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[0] == (
        f"{tmp_path}/bad\\x0afile.yaml:1:1: missing required key 'usage'"
    )
