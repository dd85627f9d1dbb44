"""The sampling options of estimate and check (acvnum.commands.sampling): --samples and
--seed bounds, --confidence read as a fraction, and a run too large to sample. A budget
judged at a percentile is tests/commands/test_check_confidence.py's."""

from __future__ import annotations

import pytest
import typer
from conftest import EXAMPLES, run_cli

from acvnum import api
from acvnum.analysis import uncertainty
from acvnum.commands import common, sampling
from acvnum.errors import TooManySamples

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")


@pytest.fixture(autouse=True)
def english():
    common.speak("en")
    yield
    common.speak(None)


def test_samples_only_when_uncertainty_is_asked():
    assert sampling.samples_setting(False, 5000) is None
    assert sampling.samples_setting(True, 5000) == 5000


def test_the_default_samples_are_the_analysis_and_the_api_s():
    """Written out here so that the command does not import numpy: kept in step by hand."""
    assert sampling.DEFAULT_SAMPLES == uncertainty.DEFAULT_SAMPLES == api.DEFAULT_SAMPLES


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "central"),
        ("95%", "p95"),
        ("0.95", "p95"),
        (" 95% ", "p95"),  # spaces around are dropped
        ("50%", "p50"),
        ("0.5", "p50"),
        (".5", "p50"),
        ("0.9500000001", "p95"),  # within 1e-9 of a level
    ],
)
def test_a_confidence_names_its_percentile(given, expected):
    assert sampling.confidence_statistic(given) == expected


@pytest.mark.parametrize("given", ["90%", "0.951", "95", "p95", ""])
def test_any_other_confidence_is_refused_with_the_levels_there_are(given, capsys):
    """'95' alone is ambiguous (a plain number above 1), 'p95' not a fraction."""
    with pytest.raises(typer.Exit) as done:
        sampling.confidence_statistic(given)
    assert done.value.exit_code == 2
    assert capsys.readouterr().err == (
        f"acvnum: --confidence {given!r} is not supported; use one of 95% (0.95), 50% (0.5)\n"
    )


def test_the_confidence_refusal_in_french(capsys):
    # sampling.level '{share:.0%} ({share:g})' in French: U+202F before '%', a decimal comma
    common.speak("fr")
    with pytest.raises(typer.Exit):
        sampling.confidence_statistic("90%")
    assert capsys.readouterr().err == (
        "acvnum: --confidence '90%' n'est pas pris en charge\u202f; utilisez l'un de "
        "95\u202f% (0,95), 50\u202f% (0,5)\n"
    )


def _too_many() -> TooManySamples:
    return TooManySamples("sampling.too_many_samples", services=3, samples=800_000, limit=2_000_000)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "acvnum: 3 services x 800,000 samples exceeds 2,000,000 service-samples: "
            "lower --samples or assess fewer services at once\n",
        ),
        (
            "fr",
            "acvnum: 3 services x 800\u202f000 tirages dépasse 2\u202f000\u202f000 tirages de "
            "service\u202f: baissez --samples ou évaluez moins de services à la fois\n",
        ),
    ],
)
def test_too_many_samples_is_a_usage_problem_saying_what_to_change(lang, expected, capsys):
    common.speak(lang)
    with pytest.raises(typer.Exit) as done, sampling.sampling_errors():
        raise _too_many()
    assert done.value.exit_code == 2
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "2,500 services x 1,000 samples exceeds 2,000,000 service-samples"),
        (
            "fr",
            "2\u202f500 services x 1\u202f000 tirages dépasse 2\u202f000\u202f000 tirages "
            "de service",
        ),
    ],
)
def test_too_many_samples_groups_every_count_s_thousands_alike(lang, expected):
    """Not '800000 samples exceeds 2,000,000': the services, the samples and the limit."""
    refusal = TooManySamples(
        "sampling.too_many_samples", services=2_500, samples=1_000, limit=2_000_000
    )
    assert refusal.message.render(lang) == expected


def test_sampling_errors_let_other_errors_through(capsys):
    with pytest.raises(ZeroDivisionError), sampling.sampling_errors():
        raise ZeroDivisionError
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--samples", "99", "'--samples': must be 100 or more"),
        ("--samples", "1000001", "'--samples': must be 1000000 or less"),
        ("--seed", "-1", "'--seed': must be 0 or more"),
    ],
)
def test_samples_and_seed_out_of_bounds_are_usage_errors(option, value, said):
    result = run_cli("estimate", ECOMMERCE, "--uncertainty", option, value)
    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr


def test_the_same_seed_gives_the_same_report_and_another_seed_another():
    def report(seed: str) -> str:
        run = run_cli("estimate", ECOMMERCE, "--uncertainty", "--samples", "200", "--seed", seed)
        assert run.returncode == 0, run.stderr
        return run.stdout

    first = report("3")
    assert report("3") == first
    assert report("4") != first


def test_a_long_confidence_is_quoted_short():
    # The refusal quoted all 5,000 characters.
    result = run_cli("check", ECOMMERCE, "--confidence", "9" * 5000)
    assert result.returncode == 2
    assert result.stderr == (
        f"acvnum: --confidence '{'9' * 60}... (5000 characters)' is not supported; use one of "
        "95% (0.95), 50% (0.5)\n"
    )
