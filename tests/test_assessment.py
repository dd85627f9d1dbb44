"""Files and directories given to estimate/check: each questionnaire counted once; one
frozen assessment built whole from the settings."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, run_cli, run_cli_in_process

from acvnum.questionnaire.service import expand_names


def _expanded(paths) -> list[Path]:
    return [Path(name) for name in expand_names(paths)]


def test_a_file_also_inside_a_given_directory_is_kept_once_where_it_first_appears():
    again = EXAMPLES / ".." / "examples" / "ecommerce.yaml"
    paths = _expanded([EXAMPLES / "mobile-app.yaml", EXAMPLES, again])
    names = [p.name for p in paths]
    assert names[0] == "mobile-app.yaml"
    assert sorted(names) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def test_a_folder_gives_its_yaml_files_and_links_to_files_sorted_by_name(tmp_path):
    for name in ("b.yaml", "a.yml", "C.yaml", ".yaml", "notes.txt", "x.yaml.bak"):
        (tmp_path / name).write_text("name: x\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()  # a folder named like a file: not a questionnaire
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("name: y\n", encoding="utf-8")
    (tmp_path / "linked.yaml").symlink_to(outside)
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "missing.yaml")
    (tmp_path / "again.yaml").symlink_to(tmp_path / "b.yaml")  # b.yaml itself: once
    names = [p.name for p in _expanded([tmp_path])]
    # In code-point order as pathlib sorts them (upper case first on POSIX); '.yaml' has
    # no suffix for pathlib; a broken link is listed, for reading it to say it is broken.
    assert names == ["C.yaml", "a.yml", "again.yaml", "broken.yaml", "linked.yaml"]
    assert all(p.parent == tmp_path for p in _expanded([tmp_path]))


@pytest.mark.parametrize("spelt", [".", "./", "sub", "sub/", "./sub/../sub", "absolute"])
def test_a_folder_s_files_are_named_as_pathlib_joins_them(tmp_path, monkeypatch, spelt):
    # Their names are what messages and the JSON's `file` show: `expand_names` writes them
    # as text, and must spell them as str(Path(folder) / name) does ('.' drops out).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for folder in (tmp_path, tmp_path / "sub"):
        for name in ("b.yaml", "a.yml", "notes.txt"):
            (folder / name).write_text("name: x\n", encoding="utf-8")
    folder = str(tmp_path / "sub") if spelt == "absolute" else spelt
    expected = [str(Path(folder) / name) for name in ("a.yml", "b.yaml")]
    assert expand_names([folder]) == expected
    given = str(Path(folder) / "b.yaml")
    assert expand_names([given, folder]) == [given, expected[0]]  # b.yaml once, first


def test_a_portfolio_does_not_count_a_service_twice():
    result = run_cli("estimate", "examples", "examples/ecommerce.yaml", "-f", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    names = [s["service"]["name"] for s in document["services"]]
    assert names.count("Boutique en ligne") == 1
    assert document["portfolio"]["services"] == len(list(EXAMPLES.glob("*.yaml")))


def test_diff_of_a_file_with_itself_under_two_spellings_still_compares():
    result = run_cli("diff", "examples/ecommerce.yaml", "./examples/ecommerce.yaml", "-f", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["criteria"]
    assert all(c["change"] == 0 for c in changes.values())


# --- one frozen assessment, built once ---------------------------------------------------


def test_an_assessment_is_built_once_and_nothing_writes_into_it_later():
    from acvnum.assessment import Settings, assess

    shop = EXAMPLES / "ecommerce.yaml"
    settings = Settings(samples=200, levers=3, what_if=("hosting.pue=1.2",), budgets=())
    assessment = assess([shop], settings)
    ((result, found),) = assessment.services()
    assert assessment.settings == settings and len(assessment) == 1
    # Every analysis is in the assessment, beside the result (which holds its intervals)...
    assert len(assessment.levers) == len(assessment.what_if) == len(assessment.uncertainty) == 1
    assert len(assessment.budgets) == 1 and found.budgets == assessment.budgets[0] != ()
    assert len(found.levers) == 3 and found.levers_combined is not None
    assert found.what_if is not None and found.uncertainty is not None
    assert result.criteria["climate_change"].interval is not None
    # ...the result holds the calculation only...
    assert not {"levers", "levers_combined", "what_if", "uncertainty", "budgets"} & {
        f.name for f in dataclasses.fields(result)
    }
    # ...and neither the assessment, the result nor their parts can be written into later.
    for frozen, field in [
        (assessment, "results"),
        (assessment, "levers"),
        (assessment, "what_if"),
        (assessment, "budgets"),
        (found, "levers"),
        (found, "budgets"),
        (result, "criteria"),
        (result.criteria["climate_change"], "interval"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, field, None)


def test_a_plain_assessment_carries_no_analysis():
    from acvnum.assessment import assess

    assessment = assess([EXAMPLES / "ecommerce.yaml"])
    assert assessment.levers == assessment.uncertainty == assessment.what_if == ()
    assert assessment.budgets == () and assessment.within_budgets  # ecommerce has budgets
    ((result, found),) = assessment.services()
    assert found.levers == () and found.levers_combined is None and found.what_if is None
    assert found.budgets == ()
    assert found.uncertainty is None
    assert all(c.interval is None for c in result.criteria.values())


def test_budgets_are_judged_by_the_assessment_its_own_then_the_run_s(write_yaml):
    """MINIMAL uses 26.5 kWh on laptops (1000 users x 10 visits x 6 min = 1000 h x 26.5 W),
    3.294 kWh on the fixed network and 2.884 kWh in boxes: 32.68 kWh, 0.03268 kWh per user.
    Its own budget of 0.04 kWh per user passes; the run's 0.03 kWh per user fails."""
    from acvnum.analysis.budgets import parse_cli_budget
    from acvnum.assessment import Settings, assess

    own = MINIMAL + "budgets:\n  - criterion: energy\n    per: user\n    max: 0.04\n"
    run = (parse_cli_budget("energy<=0.03kWh/user"),)
    assessment = assess([write_yaml(own)], Settings(budgets=run))
    ((mine, theirs),) = assessment.budgets
    assert (mine.limit, mine.passed) == (0.04, True)
    assert (theirs.limit, theirs.passed) == (0.03, False)
    assert mine.value == theirs.value == pytest.approx(32.6776 / 1000, rel=1e-5)
    assert not assessment.within_budgets
    passing = assess([write_yaml(own)], Settings(budgets=()))  # its own only
    assert [o.passed for o in passing.budgets[0]] == [True] and passing.within_budgets


def test_what_if_warnings_join_the_result_s_own_once(write_yaml):
    from acvnum.assessment import Settings, assess

    minimal = write_yaml(MINIMAL)  # no hosting: a hosting change has no effect
    plain = assess([minimal])[0].warnings
    assessment = assess([minimal], Settings(what_if=("hosting.pue=1.2",)))
    assert assessment[0].warnings == plain  # the result holds the calculation's own
    assert assessment.services()[0].warnings() == [*plain, "warning.what_if_no_hosting"]


def test_services_pair_each_result_with_what_found_says_of_it():
    """`services()` makes every Found at once from the analyses' columns: each the same as
    `found(i)` makes alone, with levers and budgets asked for, and with nothing asked for."""
    from acvnum.analysis.found import NOTHING
    from acvnum.assessment import Settings, assess

    for settings in (Settings(levers=2, budgets=()), Settings()):
        assessment = assess([EXAMPLES], settings)
        services = assessment.services()
        assert [s.result for s in services] == list(assessment.results)
        assert [s.found for s in services] == [assessment.found(i) for i in range(len(services))]
        assert all(s.found.proposals for s in services) == bool(settings.levers)
    assert services[0].found == NOTHING


# --- batches: a large folder is never held whole ------------------------------------------


def test_batches_give_the_results_of_one_assessment_in_order():
    from acvnum.assessment import Settings, assess, batches

    settings = Settings(levers=2)
    whole = assess([EXAMPLES], settings)
    parts = list(batches([EXAMPLES], settings, size=3))
    assert [len(p) for p in parts] == [min(3, len(whole) - k) for k in range(0, len(whole), 3)]
    assert tuple(r for p in parts for r in p) == whole.results
    assert [s for p in parts for s in p.services()] == whole.services()


def test_a_problem_in_any_batch_is_raised_with_all_the_others_at_the_end(tmp_path):
    from acvnum.assessment import batches
    from acvnum.errors import InputError

    for name in ("a", "b", "d"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(MINIMAL.replace("users: 1000", "users: -5"), "utf-8")
    (tmp_path / "e.yaml").write_text("name: [", encoding="utf-8")
    given = batches([tmp_path], size=2)
    assert len(next(given)) == 2  # a, b: assessed before c's problem is known
    with pytest.raises(InputError) as caught:
        next(given)  # c-d and e are read, none assessed
    assert [p.file for p in caught.value.problems] == [
        str(tmp_path / "c.yaml"),
        str(tmp_path / "e.yaml"),
    ]


def test_a_portfolio_with_a_bad_file_in_its_last_batch_writes_nothing(tmp_path, monkeypatch):
    from acvnum.report.json_format import INDENT_UP_TO

    monkeypatch.setattr("acvnum.assessment.BATCH", 3)  # five batches, in this process
    for i in range(INDENT_UP_TO + 2):
        (tmp_path / f"s{i:02d}.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "zz.yaml").write_text("name: [", encoding="utf-8")
    out = str(tmp_path / "out.json")
    result = run_cli_in_process("estimate", str(tmp_path), "-f", "json", "-o", out)
    assert result.returncode == 2 and "zz.yaml:2:1: malformed YAML" in result.stderr
    assert not (tmp_path / "out.json").exists()
    assert run_cli_in_process("estimate", str(tmp_path), "-f", "json").stdout == ""


def test_figures_that_overflow_are_bad_input_not_inf_in_a_report(tmp_path):
    # a boundary of 1e-300 is within its bounds (> 0) but persons-equivalent overflows to inf
    table = tmp_path / "mine.csv"
    table.write_text(
        "id,value,low,high,unit,source,year,licence,note\n"
        "boundary.climate_change.global,1e-300,1e-300,1e-300,kg CO2 eq/year,x,2024,y,\n",
        encoding="utf-8",
    )
    for fmt in ("text", "json", "markdown", "html", "csv"):
        result = run_cli(
            "estimate", str(EXAMPLES / "ecommerce.yaml"), "--factors", str(table), "-f", fmt
        )
        assert result.returncode == 2, fmt
        assert "figures too large to compute (not finite)" in result.stderr
        assert "Traceback" not in result.stderr


def test_figures_that_overflow_only_per_year_are_bad_input_too(tmp_path):
    # Over one day, the total stays finite against the boundary (12.5 kg / 1.25e-305 kg a
    # person is some 1e306) but the persons-equivalent is yearly: 365.25 times that, inf.
    table = tmp_path / "mine.csv"
    table.write_text(
        "id,value,low,high,unit,source,year,licence,note\n"
        "boundary.climate_change.global,1e-295,1e-295,1e-295,kg CO2 eq/year,x,2024,y,\n",
        encoding="utf-8",
    )
    text = (EXAMPLES / "ecommerce.yaml").read_text(encoding="utf-8")
    assert "period: 1 year" in text
    for i in range(12):  # past INDENT_UP_TO: the compact document, which wrote null
        day = text.replace("period: 1 year", "period: 1 day").replace("name: ", f"name: {i}", 1)
        (tmp_path / f"day{i:02d}.yaml").write_text(day, encoding="utf-8")
    for paths in ([str(tmp_path / "day00.yaml")], [str(tmp_path)]):
        for fmt in ("json", "text"):
            result = run_cli("estimate", *paths, "--factors", str(table), "-f", fmt)
            assert result.returncode == 2, (paths, fmt)
            assert "figures too large to compute (not finite)" in result.stderr
            assert "Traceback" not in result.stderr


def _table(tmp_path, *rows: str) -> Path:
    table = tmp_path / "mine.csv"
    header = "id,value,low,high,unit,source,year,licence,note\n"
    table.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return table


TOO_LARGE = "figures too large to compute (not finite)"


@pytest.mark.parametrize(
    "rows",
    [
        # 6.81e12 kg over 1e-300 persons: one person's boundary is inf, every share of it 0
        ["boundary.population.current,1e-300,1e-300,1e-300,persons,x,2024,y,"],
        # each within its bounds, their quotient (1e18 / 1e-291) is not
        [
            "boundary.population.current,1e-291,1e-291,1e-291,persons,x,2024,y,",
            "boundary.water_use.global,1e18,1e18,1e18,m3 world eq/year,x,2024,y,",
        ],
    ],
    ids=["tiny_population", "huge_boundary_over_small_population"],
)
def test_a_boundary_per_person_that_overflows_is_bad_input(tmp_path, rows):
    table = _table(tmp_path, *rows)
    shop = str(EXAMPLES / "ecommerce.yaml")
    for command in ("estimate", "check"):
        for fmt in ("json", "text"):
            result = run_cli(command, shop, "--factors", str(table), "-f", fmt)
            assert result.returncode == 2, (command, fmt)
            assert result.stderr.startswith(f"{shop}:1:1: {TOO_LARGE}"), (command, fmt)
            assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_budget_limit_that_overflows_is_bad_input_not_a_pass(tmp_path):
    # One person's climate boundary is 1e18 / 1e-290 = 1e308 kg a year, finite, and so is
    # every figure of the report; 100 % of it over the two years the service runs is 2e308:
    # inf, a limit that would pass anything.
    table = _table(
        tmp_path,
        "boundary.population.current,1e-290,1e-290,1e-290,persons,x,2024,y,",
        "boundary.climate_change.global,1e18,1e18,1e18,kg CO2 eq/year,x,2024,y,",
    )
    text = (EXAMPLES / "ecommerce.yaml").read_text(encoding="utf-8")
    shop = tmp_path / "shop.yaml"
    shop.write_text(text.replace("period: 1 year", "period: 2 years"), encoding="utf-8")
    assert run_cli("estimate", str(shop), "--factors", str(table)).returncode == 0
    budget = "climate_change<=100%boundary/total"
    for fmt in ("json", "text"):
        args = ("check", str(shop), "--factors", str(table), "--budget", budget, "-f", fmt)
        result = run_cli(*args)
        assert result.returncode == 2, fmt
        assert result.stderr.startswith(f"{shop}:1:1: {TOO_LARGE}"), fmt
        assert "Traceback" not in result.stderr and result.stdout == ""
    # half of it is 1e308: judged as any budget
    half = budget.replace("100", "50")
    judged = run_cli("check", str(shop), "--factors", str(table), "--budget", half)
    assert judged.returncode == 0, judged.stderr


def test_a_chunk_s_results_are_result_for_s_made_one_by_one(tmp_path):
    """`_results` makes a chunk's results a field at a time, with what the chunk worked out
    once (the shared sources, user factors and values; each service's visits, from its
    arrays; its criteria, from its arrays): every field the same as result_for gives a
    service alone, working them out itself, with a market-based factor too."""
    from acvnum.assessment import Settings, assess_services, result_for
    from acvnum.calculation.coverage import coverage
    from acvnum.calculation.engine import evaluate
    from acvnum.calculation.inventory import service_arrays
    from acvnum.questionnaire.service import load_files
    from acvnum.reference.boundaries import boundaries
    from acvnum.reference.factors import load_factors

    table = load_factors()
    files = sorted(EXAMPLES.glob("*.yaml"))
    text = files[0].read_text(encoding="utf-8")
    market = tmp_path / "market.yaml"  # a market-based factor: its results' extras
    market.write_text(text.replace("hosting:\n", "hosting:\n  electricity_factor: 20 g/kWh\n"))
    services = load_files([*files, market], table)
    chunk = assess_services(services, table, Settings()).results
    arrays = service_arrays([s.questionnaire for s in services])
    central = evaluate(arrays, table.central())
    contributions = central.contributions[:, 0]
    covered = coverage(arrays, central.inventory[:, 0], table)
    limits = boundaries(table, Settings().population)
    alone = [
        result_for(s, contributions[i], table, limits, None, covered[i])
        for i, s in enumerate(services)
    ]
    assert chunk[-1].market_based and not chunk[0].market_based
    for a, b in zip(chunk, alone, strict=True):
        assert a.user_factors is not chunk[0].user_factors or a is chunk[0]  # each its own
        for field in dataclasses.fields(a):
            x, y = getattr(a, field.name), getattr(b, field.name)
            if field.name in ("criteria", "assumptions"):
                x, y = (dict(x), dict(y)) if field.name == "criteria" else (list(x), list(y))
            assert x == y, field.name


def test_a_row_with_a_contribution_not_finite_is_refused_by_its_totals_alone():
    """_check_finite reads the (N, criteria) totals only: a row whose contributions hold
    inf, -inf and inf, or NaN has totals not finite, so it is refused as when its terms were
    read; the finite rows are not."""
    import types

    import numpy as np

    from acvnum.assessment import _check_finite
    from acvnum.errors import InputError
    from acvnum.reference.boundaries import boundaries
    from acvnum.reference.factors import load_factors

    table = load_factors()
    services = [types.SimpleNamespace(file=f"s{i}.yaml") for i in range(4)]
    contributions = np.ones((4, 3, 8))
    contributions[1, 0, 2] = np.inf
    contributions[2, 0, 2], contributions[2, 1, 2] = np.inf, -np.inf
    contributions[3, 2, 5] = np.nan
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, as the engine's sum gives it
        totals = contributions.sum(axis=1)
    assert np.isfinite(totals[0]).all() and not np.isfinite(totals[1:]).all(axis=1).any()
    with pytest.raises(InputError) as raised:
        _check_finite(services, boundaries(table), totals, [1.0] * 4)
    assert [p.file for p in raised.value.problems] == ["s1.yaml", "s2.yaml", "s3.yaml"]
    _check_finite(services[:1], boundaries(table), totals[:1], [1.0])  # finite: accepted
