"""`acvnum diff A B`: questionnaires and result JSON files in any mix, per criterion and tier."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, ROOT, assert_golden, run_cli


@pytest.fixture
def pair(write_yaml):
    """A: MINIMAL; B: the same service with twice the users (every total doubles)."""
    a = write_yaml(MINIMAL, "a.yaml")
    b = write_yaml(MINIMAL.replace("users: 1000", "users: 2000"), "b.yaml")
    return a, b


def diff_json(*args: str, cwd=None) -> dict:
    result = run_cli("diff", *args, "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_twice_the_users_doubles_every_total_and_no_per_visit_figure(pair):
    a, b = map(str, pair)
    totals = diff_json(a, b)
    assert totals["per"] == "total"
    for c in totals["criteria"].values():
        assert c["b"] == pytest.approx(2 * c["a"])  # no hosting: all scales with users
        assert c["change"] == pytest.approx(c["b"] - c["a"])
        assert c["change_pct"] == pytest.approx(100.0)
        assert sum(t["a"] for t in c["by_tier"].values()) == pytest.approx(c["a"])
    for c in diff_json(a, b, "--per", "visit")["criteria"].values():
        assert c["change_pct"] == pytest.approx(0.0)


def test_result_json_and_questionnaire_mix(pair, tmp_path):
    a, b = map(str, pair)
    saved = tmp_path / "a.json"
    assert run_cli("estimate", a, "-f", "json", "-o", str(saved)).returncode == 0
    mixed, direct = diff_json(str(saved), b), diff_json(a, b)
    assert mixed["a"]["file"] == str(saved)
    for cid, c in direct["criteria"].items():
        assert mixed["criteria"][cid]["change"] == pytest.approx(c["change"])


def test_markdown(pair):
    result = run_cli("diff", "a.yaml", "b.yaml", "--format", "markdown", cwd=pair[0].parent)
    assert result.returncode == 0
    assert_golden("diff/users_doubled.md", result.stdout)


def test_text_lists_every_criterion_and_tier(pair):
    result = run_cli("diff", *map(str, pair), "--lang", "fr")
    assert result.returncode == 0
    assert "Par tiers (sur la période)" in result.stdout
    assert result.stdout.count("Changement climatique") == 2  # impacts, then by tier
    assert result.stdout.count("Centre de données") == 8  # one per criterion


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: None, "absent.json:1:1: file not found"),
        (lambda d: (d / "absent.json").write_text("[]"), "a result is a JSON object"),
        (lambda d: (d / "absent.json").mkdir(), "is a directory; diff compares two files"),
    ],
)
def test_bad_side_is_bad_input(pair, make, message):
    make(pair[0].parent)
    result = run_cli("diff", "absent.json", "a.yaml", cwd=pair[0].parent)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr


def test_a_questionnaire_that_is_a_link_loop_is_bad_input(pair):
    # Path.resolve raised RuntimeError('Symlink loop from ...'): a traceback, exit 1.
    folder = pair[0].parent
    (folder / "loop.yaml").symlink_to("loop2.yaml")
    (folder / "loop2.yaml").symlink_to("loop.yaml")
    result = run_cli("diff", "loop.yaml", "a.yaml", cwd=folder)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "loop.yaml:1:1: cannot read: too many levels of symbolic links (a link loop?)\n"
        "acvnum: 1 problem found; nothing was computed.\n"
    )


def test_problems_of_both_sides_are_reported_together(pair):
    folder = pair[0].parent
    (folder / "bad.yaml").write_text(MINIMAL.replace("FRA", "XYZ"), encoding="utf-8")
    result = run_cli("diff", "missing.json", "bad.yaml", cwd=folder)
    assert result.returncode == 2
    assert "missing.json:1:1: file not found" in result.stderr
    assert "bad.yaml:11:3: usage.location: unknown country or region 'XYZ'" in result.stderr


def test_a_result_with_several_services_is_refused(pair, tmp_path):
    both = tmp_path / "both.json"
    assert run_cli("estimate", *map(str, pair), "-f", "json", "-o", str(both)).returncode == 0
    result = run_cli("diff", str(both), str(pair[0]))
    assert result.returncode == 2
    assert "holds 2 services; diff compares one service with one" in result.stderr


def test_a_version_1_result_is_read(pair):
    """A result saved by acvnum 0.1 (schema_version 1) is still one side of a diff."""
    v1 = ROOT / "tests/inputs/results/minimal.v1.json"
    saved = json.loads(v1.read_text(encoding="utf-8"))
    document = diff_json(str(v1), str(pair[0]))
    for cid, c in document["criteria"].items():
        assert c["a"] == saved["criteria"][cid]["total"]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_follows_the_terminal_width(tmp_path, lang, columns):
    shop = (ROOT / "examples" / "ecommerce.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(shop, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(shop.replace("2.5 MB", "5 MB"), encoding="utf-8")
    result = run_cli(
        "diff", "a.yaml", "b.yaml", "--lang", lang, cwd=tmp_path, env={"COLUMNS": str(columns)}
    )
    assert result.returncode == 0, result.stderr
    assert max(map(len, result.stdout.splitlines())) <= columns
    assert "…" not in result.stdout
    assert_golden(f"diff/shop.{lang}.{columns}.txt", result.stdout)


def test_network_model_option_applies_to_both_questionnaires(pair):
    a, b = map(str, pair)
    estimate = run_cli("estimate", a, "-f", "json", "--network-model", "power")
    (service,) = json.loads(estimate.stdout)["services"]
    expected = service["criteria"]["energy"]["by_tier"]["network"]
    under_power = diff_json(a, b, "--network-model", "power")["criteria"]["energy"]["by_tier"]
    assert under_power["network"]["a"] == pytest.approx(expected)
    assert under_power["network"]["b"] == pytest.approx(2 * expected)  # twice the users
    default = diff_json(a, b)["criteria"]["energy"]["by_tier"]["network"]["a"]
    assert default != pytest.approx(expected)
