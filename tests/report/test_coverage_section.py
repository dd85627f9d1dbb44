"""The coverage statement of the human-readable reports (acvnum.report.coverage_section):
the criteria summed over fewer activities than the service uses, named with those
activities grouped by tier and phase; sentences worked from en.json and fr.json."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import MINIMAL_DATA, WATER, with_gaps

import acvnum
from acvnum.i18n import Translator
from acvnum.report import coverage_section as cs

EN, FR = Translator("en"), Translator("fr")


@pytest.fixture(scope="module")
def complete():
    """MINIMAL (laptops on fixed access): every criterion has a factor for each activity."""
    (result,) = acvnum.estimate(dict(MINIMAL_DATA), levers=0)
    assert all(c.coverage is not None and c.coverage.complete for c in result.criteria.values())
    return result


def test_a_complete_service_says_so_in_one_line(complete):
    assert cs.lines(complete, EN) == [
        "Every criterion has a factor for every activity of this service."
    ]
    assert cs.lines(complete, FR) == [
        "Chaque indicateur a un facteur pour chaque activité de ce service."
    ]


def test_a_result_without_coverage_says_nothing(complete):
    unknown = replace(
        complete, criteria={k: replace(c, coverage=None) for k, c in complete.criteria.items()}
    )
    assert cs.lines(unknown, EN) == []  # no Markdown section: tests/report/test_markdown.py


def test_a_gap_names_its_activities_by_tier_and_phase(complete):
    # the network's manufacturing, then the terminals' use, as the gaps came
    assert cs.lines(with_gaps(complete, water_use=WATER), EN) == [
        "Water use — not covered (no factor; the total is a lower bound): Network manufacturing "
        "(fixed access per GB, home box); Terminals use (laptops).",
        "The other criteria have a factor for every activity of this service.",
    ]


def test_a_gap_in_french(complete):
    first, rest = cs.lines(with_gaps(complete, water_use=WATER), FR)
    assert first == (
        "Utilisation d'eau — non couvert (sans facteur\u202f; le total est un minimum)\u202f: "
        "Réseau, fabrication (accès fixe par Go, box internet)\u202f; Terminaux, utilisation "
        "(ordinateurs portables)."
    )
    assert rest == "Les autres indicateurs ont un facteur pour chaque activité de ce service."


def test_one_line_per_criterion_with_gaps_in_the_criteria_s_order(complete):
    found = cs.lines(with_gaps(complete, energy=WATER[2:], water_use=WATER[:1]), EN)
    assert [line.split(" — ")[0] for line in found[:2]] == ["Water use", "Final energy"]
    assert len(found) == 3


def test_a_portfolio_counts_the_services_each_gap_concerns(complete):
    """Water use lacks a factor in both services (the activities of both, each once), final
    energy in one."""
    first = with_gaps(complete, water_use=WATER[:1])
    second = with_gaps(complete, water_use=(WATER[2], WATER[0]), energy=WATER[1:2])
    assert cs.portfolio_lines([first, second, complete], EN) == [
        "Water use — not covered in 2 of 3 services (no factor; the totals are lower bounds): "
        "Network manufacturing (fixed access per GB); Terminals use (laptops).",
        "Final energy — not covered in 1 of 3 services (no factor; the totals are lower "
        "bounds): Network manufacturing (home box).",
        "The other criteria have a factor for every activity of these services.",
    ]


def test_a_portfolio_without_gaps_says_nothing(complete):
    assert cs.portfolio_lines([complete, complete], EN) == []


@pytest.mark.parametrize(
    ("keys", "t", "shown"),
    [
        (
            ("network.manufacturing.fixed", "network.manufacturing.mobile"),
            EN,
            "Network manufacturing (fixed access per GB, mobile access per GB)",
        ),
        (
            ("network.manufacturing.fixed", "network.manufacturing.mobile"),
            FR,
            "Réseau, fabrication (accès fixe par Go, accès mobile par Go)",
        ),
        (
            ("network.manufacturing.fixed", "network.manufacturing.box", "terminals.use.laptop"),
            EN,
            "Network manufacturing (fixed access per GB, home box); Terminals use (laptops)",
        ),
    ],
)
def test_the_docstrings_show_groups_as_the_catalogue_words_them(keys, t, shown):
    """The examples of the module's and _groups's docstrings."""
    assert shown in cs.__doc__ + cs._groups.__doc__
    assert cs._groups(keys, t) == shown
