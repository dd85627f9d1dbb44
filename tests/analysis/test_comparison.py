"""Saved results read back (every malformed form refused with a position) and changes."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL, ROOT, run_cli

from acvnum.analysis.comparison import Change, FactorChange, compare, load_json
from acvnum.errors import InputError

V1_RESULT = ROOT / "tests/inputs/results/minimal.v1.json"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("c")
    (folder / "s.yaml").write_text(MINIMAL, encoding="utf-8")
    out = folder / "s.json"
    assert run_cli("estimate", str(folder / "s.yaml"), "-f", "json", "-o", str(out)).returncode == 0
    return out


def test_saved_result_reads_back_as_its_figures(saved):
    (snap,) = load_json(saved)
    (data,) = json.loads(saved.read_text())["services"]
    assert (snap.name, snap.users, snap.visits) == ("Minimal", 1000, 10000)
    energy = data["criteria"]["energy"]
    assert snap.value("energy", "visit") == pytest.approx(energy["per_visit"])
    assert snap.value("energy", "user") == pytest.approx(energy["per_user"])
    assert sum(snap.tiers("energy", "visit").values()) == pytest.approx(energy["per_visit"])


def test_compare_with_itself_changes_nothing(saved):
    (snap,) = load_json(saved)
    for change in compare(snap, snap, "total"):
        assert change.value.delta == 0 and change.tiers_grown() == []


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ('{"schema_version": 1,\n  oops}', (2, 3), "not a result JSON: Expecting property name"),
        ("[1, 2]", (1, 1), "a result is a JSON object"),
        ('{"schema_version": 3}', (1, 20), "schema_version is 3, this acvnum reads versions 1"),
        ('{"schema_version": 2}', (1, 1), "$.services should be a non-empty list"),
        ('{"schema_version": 2, "service": {}}', (1, 1), "$.services should be a non-empty list"),
        ('{"schema_version": 1}', (1, 1), "$.service is missing or not an object"),
        (
            '{"schema_version": 1, "service": {"name": "x", "users": 1, "visits": "many"}, '
            '"criteria": {}}',
            (1, 70),  # at "many"
            '$.service.visits should be a number, got "many"',
        ),
        ('{"schema_version": 1, "services": []}', (1, 35), "$.services should be a non-empty"),
    ],
)
def test_malformed_results_are_located_input_errors(tmp_path, text, position, message):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == position
    assert message in str(problem.message)


def test_missing_result_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_json(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("before", "after", "relative"),
    [(2.0, 3.0, 0.5), (2.0, 1.0, -0.5), (0.0, 0.0, 0.0), (0.0, 1.0, None)],
)
def test_relative_change(before, after, relative):
    assert Change(before, after).relative == relative


def test_a_version_1_result_reads_as_its_figures():
    """tests/inputs/results/minimal.v1.json was written by acvnum 0.1 (schema_version 1: one
    service, no envelope; its list of sources cut to two). It stays readable as a baseline."""
    (snap,) = load_json(V1_RESULT)
    data = json.loads(V1_RESULT.read_text(encoding="utf-8"))
    assert (snap.name, snap.users, snap.visits, snap.period_days) == (
        "Minimal",
        1000,
        10000,
        365.25,
    )
    for cid, criterion in data["criteria"].items():
        assert snap.value(cid, "total") == criterion["total"]
        assert snap.tiers(cid, "total") == criterion["by_tier"]


# --- strict baselines (issue 11) --------------------------------------------------------------


def _v1(service: str = "", criteria: str = "") -> str:
    """A version 1 result with one service and one criterion, parts replaceable."""
    service = service or '"name": "x", "users": 10, "visits": 100'
    criteria = criteria or '"energy": {"unit": "kWh", "total": 1.5, "by_tier": {"network": 1.5}}'
    return f'{{"schema_version": 1, "service": {{{service}}}, "criteria": {{{criteria}}}}}'


def _at(text: str, token: str, message: str) -> tuple[str, tuple[int, int], str]:
    """A case located at the token's first occurrence (line 1, its column)."""
    return text, (1, text.index(token) + 1), message


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("[" * 60 + "]" * 60, (1, 51), "nested deeper than 50 levels"),
        _at(_v1('"name": "x", "users": 10, "visits": ' + "9" * 5000), "999", "a number of 5000"),
        _at(_v1('"name": "x", "users": 10, "visits": NaN'), "NaN", "NaN is not a number JSON"),
        _at(
            _v1(criteria='"energy": {"unit": "kWh", "total": -Infinity, "by_tier": {}}'),
            "-Inf",
            "-Infinity is not a number JSON allows",
        ),
        (
            _v1(criteria='"energy": {"unit": "kWh", "total": 1e400, "by_tier": {}}'),
            (1, 1),
            "1e400 is out of range",
        ),
        _at(_v1('"name": "x", "users": 10, "visits": 0'), "0}", "$.service.visits should be above"),
        _at(_v1('"name": "x", "users": -1, "visits": 5'), "-1", "$.service.users should be above"),
        _at(_v1('"name": "\\ud800", "users": 1, "visits": 5'), '"\\', "not valid Unicode text"),
        _at(
            _v1(criteria='"climat": {"unit": "kg", "total": 1, "by_tier": {}}'),
            '{"unit": "kg"',
            "$.criteria: unknown criterion 'climat' (known: climate_change,",
        ),
        _at(
            _v1(criteria='"energy": {"unit": "kWh", "total": 1, "by_tier": {"cloud": 1}}'),
            "1}}",
            "$.criteria.energy.by_tier: unknown tier 'cloud'",
        ),
        ('{"a": 1,\n "a": 2}', (1, 1), "duplicate key 'a'"),
        _at('{"schema_version": true}', "true", "schema_version is true, this acvnum reads"),
        ('{"name": "Shop", "usage": {"users": 5}}', (1, 1), "this is a questionnaire, not a"),
        (MINIMAL, (1, 1), "this is a questionnaire, not a result: record a baseline with"),
        ('{"s": "open \\" [[[', (1, 7), "not a result JSON: Unterminated string"),
    ],
)
def test_a_baseline_is_validated_as_strictly_as_a_questionnaire(tmp_path, text, position, message):
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert message in str(problem.message)
    assert (problem.line, problem.column) == position


@pytest.mark.parametrize(
    ("service", "said"),
    [
        ('"name": "x", "users": 10', "$.service.visits is missing"),
        (
            '"name": "x", "users": 10, "visits": null',
            "$.service.visits should be a number, got null",
        ),
        ('"name": "x", "users": 10, "visits": false', "should be a number, got false"),
        ('"name": "x", "users": 10, "visits": [5]', "should be a number, got array"),
        ('"name": "x", "users": 10, "visits": {"n": 5}', "should be a number, got object"),
    ],
)
def test_a_refused_value_is_said_as_json_writes_it_not_python(tmp_path, service, said):
    # It was said in Python: 'got None' for a missing key or a null, 'got False', 'got list'.
    path = tmp_path / "b.json"
    path.write_text(_v1(service), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert str(problem.message).endswith(said)


def test_a_result_without_a_schema_version_says_so(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"services": []}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert str(problem.message).endswith("$.schema_version is missing")  # was 'is None'
    assert problem.render("fr").endswith("$.schema_version manque")


def test_a_valid_hand_made_v1_baseline_still_reads(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(_v1(), encoding="utf-8")
    (snap,) = load_json(path)
    assert snap.value("energy", "visit") == pytest.approx(1.5 / 100)


@pytest.mark.parametrize("command", [["check", "{q}", "--baseline", "{b}"], ["diff", "{b}", "{q}"]])
def test_check_and_diff_refuse_a_hostile_baseline_with_exit_2(tmp_path, command):
    base = tmp_path / "b.json"
    base.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    q = tmp_path / "q.yaml"
    q.write_text(MINIMAL, encoding="utf-8")
    args = [a.format(q=q, b=base) for a in command]
    result = run_cli(*args)
    assert result.returncode == 2
    assert f"{base}:1:51: nested deeper than 50 levels" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "english", "french"),
    [
        (
            '{"schema_version": 1,\n  oops}',
            "Expecting property name enclosed in double quotes",
            'nom de clé entre guillemets droits (") attendu',
        ),
        ('{"a": 1', "Expecting ',' delimiter", "«\u202f,\u202f» attendu"),
        ('{"a" 1}', "Expecting ':' delimiter", "«\u202f:\u202f» attendu"),
        ("[1,]", "Expecting value", "valeur attendue"),
        ('"abc', "Unterminated string starting at", "texte entre guillemets non refermé"),
        ('"a\x01"', "Invalid control character at", "caractère de contrôle non permis"),
        ('"\\q"', "Invalid \\escape", "séquence d'échappement"),
        ('"\\uZZ"', "Invalid \\uXXXX escape", "séquence «\u202f\\uXXXX\u202f» non valable"),
        ("{} []", "Extra data", "données en trop après la fin du document"),
    ],
)
def test_the_json_readers_words_are_said_in_french(tmp_path, text, english, french):
    """Each sentence of the JSON reader: English as it said it, French in French."""
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert problem.render("en").endswith(f"not a result JSON: {english}")
    assert problem.render("fr").startswith(f"{path}:")
    assert f"pas un résultat JSON\u202f: {french}" in problem.render("fr")


# --- impacts never negative, totals the sums of their tiers, names once -----------------------


def _edited(saved, tmp_path, edit) -> tuple[object, str]:
    """The saved result with `edit` applied to its one service, written indented as
    acvnum writes it; the path and the text."""
    document = json.loads(saved.read_text(encoding="utf-8"))
    edit(document["services"][0])
    text = json.dumps(document, indent=2)
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    return path, text


def _position(text: str, token: str) -> tuple[int, int]:
    """The line and column of the first line holding `token`, at the token's value."""
    for number, line in enumerate(text.splitlines(), start=1):
        if token in line:
            return number, line.index(token) + len(token) + 1
    raise AssertionError(token)


def _negated(service: dict) -> None:
    climate = service["criteria"]["climate_change"]
    for key in ("total", "per_visit", "per_user"):
        climate[key] = -climate[key]
    climate["by_tier"] = {tier: -value for tier, value in climate["by_tier"].items()}


def test_a_negative_impact_is_refused_at_its_value(saved, tmp_path):
    path, text = _edited(saved, tmp_path, _negated)
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    # climate_change is the first criterion: its total the first negative one
    assert (problem.line, problem.column) == _position(text, '"total": ')
    assert text.splitlines()[problem.line - 1][problem.column - 1] == "-"
    assert str(problem.message).startswith(
        "not a result of `acvnum estimate --format json`: "
        "$.services[0].criteria.climate_change.total is below zero (-"
    )


def test_a_negative_tier_is_refused_even_when_the_total_adds_up(saved, tmp_path):
    def moved(service: dict) -> None:  # 1 kg from the network to the terminals: same total
        tiers = service["criteria"]["climate_change"]["by_tier"]
        tiers["terminals"] += tiers["network"] + 1
        tiers["network"] = -1.0

    path, text = _edited(saved, tmp_path, moved)
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == _position(text, '"network": ')
    assert "$.services[0].criteria.climate_change.by_tier.network is below zero (-1)" in str(
        problem.message
    )


def test_a_total_that_is_not_the_sum_of_its_tiers_is_refused(saved, tmp_path):
    def raised(service: dict) -> None:
        service["criteria"]["energy"]["total"] *= 1.01

    path, text = _edited(saved, tmp_path, raised)
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    energy = json.loads(text)["services"][0]["criteria"]["energy"]
    line = text.splitlines()[problem.line - 1]
    assert line.strip() == f'"total": {energy["total"]!r},'
    assert problem.column == line.index(":") + 3
    summed = sum(energy["by_tier"].values())
    assert str(problem.message).endswith(
        f"$.services[0].criteria.energy.total is {energy['total']:.12g}, whereas its by_tier "
        f"values add up to {summed:.12g}: a total is the sum of its tiers"
    )


def test_a_total_off_its_tiers_by_rounding_only_is_read(saved, tmp_path):
    # The items added in another order differ in the last bits, never by 1e-9 of the total.
    def rounded(service: dict) -> None:
        for criterion in service["criteria"].values():
            criterion["total"] *= 1 + 1e-12

    path, text = _edited(saved, tmp_path, rounded)
    (snap,) = load_json(path)
    (written,) = json.loads(text)["services"]
    for cid, criterion in written["criteria"].items():
        assert snap.criteria[cid].total == criterion["total"]


def test_two_services_of_one_name_are_ambiguous_where_names_are_looked_up(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL, encoding="utf-8")  # also named "Minimal"
    out = tmp_path / "both.json"
    assert run_cli("estimate", str(tmp_path), "-f", "json", "-o", str(out)).returncode == 0
    assert [s.name for s in load_json(out)] == ["Minimal", "Minimal"]  # a portfolio's result
    with pytest.raises(InputError) as caught:
        load_json(out, by_name=True)
    (problem,) = caught.value.problems
    text = out.read_text(encoding="utf-8")
    second = text.index('"name": "Minimal"', text.index('"name": "Minimal"') + 1)
    line = text.count("\n", 0, second) + 1
    column = second - text.rfind("\n", 0, second) + len('"name": ') - 1 + 1
    assert (problem.line, problem.column) == (line, column)
    assert str(problem.message).endswith(
        "$.services[1].service.name: a second service named 'Minimal' (the first is "
        "$.services[0]): a baseline names each service once, or which one to compare with "
        "is ambiguous"
    )


# --- figures that stay in range ---------------------------------------------------------------


@pytest.mark.parametrize("count", ["users", "visits"])
def test_a_count_that_puts_the_figures_out_of_range_is_refused_at_it(saved, tmp_path, count):
    # 1e-308 users: every figure per user is inf, and `diff`'s changes NaN (a traceback)
    def tiny(service: dict) -> None:
        service["service"]["users" if count == "users" else "visits"] = 1e-308

    path, text = _edited(saved, tmp_path, tiny)
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == _position(text, f'"{count}": ')
    assert str(problem.message).endswith(
        f"$.services[0].service.{count} is 1e-308: the figures divided by it are out of range "
        "(above about 1.8e308)"
    )
    assert problem.render("fr").endswith(
        f"$.services[0].service.{count} vaut 1e-308\u202f: les valeurs divisées par ce nombre "
        "sont hors limites (au-delà d'environ 1,8e308)"
    )


@pytest.mark.parametrize(("before", "after"), [(1e-320, 5.0), (5e-324, 1e300), (-1.7e308, 1.7e308)])
def test_a_change_too_large_for_a_ratio_has_none(before, after):
    # as from nothing: an inf percentage can be neither printed nor written as JSON
    assert Change(before, after).relative is None
    assert FactorChange("x.y.z", before, after).relative is None


def test_diff_of_a_result_with_a_next_to_nothing_tier_writes_json(saved, tmp_path):
    def next_to_nothing(service: dict) -> None:  # the network's share moved to terminals
        tiers = service["criteria"]["climate_change"]["by_tier"]
        tiers["terminals"] += tiers["network"]
        tiers["network"] = 1e-320

    path, _ = _edited(saved, tmp_path, next_to_nothing)
    done = run_cli("diff", str(path), str(saved), "--format", "json")
    assert done.returncode == 0, done.stderr
    network = json.loads(done.stdout)["criteria"]["climate_change"]["by_tier"]["network"]
    assert network["change_pct"] is None and network["a"] == 1e-320


def test_a_criterion_in_another_unit_is_refused_at_its_unit(saved, tmp_path):
    # 'g CO2 eq' was read as kg: every climate figure compared 1000 times too large.
    def in_grams(service: dict) -> None:
        service["criteria"]["climate_change"]["unit"] = "g CO2 eq"

    path, text = _edited(saved, tmp_path, in_grams)
    with pytest.raises(InputError) as caught:
        load_json(path)
    (problem,) = caught.value.problems
    line, _ = _position(text, '"unit": "g CO2')
    assert (problem.line, problem.column) == (line, text.splitlines()[line - 1].index('"g') + 1)
    assert str(problem.message).endswith(
        "$.services[0].criteria.climate_change.unit is 'g CO2 eq', whereas acvnum writes this "
        "criterion in 'kg CO2 eq': its figures cannot be compared"
    )
    assert problem.render("fr").endswith(
        "vaut 'g CO2 eq', alors qu'acvnum écrit ce critère en 'kg CO2 eq'\u202f: ses valeurs "
        "ne peuvent être comparées"
    )
