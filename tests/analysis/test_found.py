"""What the analyses found about a service, held beside its result (acvnum.analysis.found)."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_DATA

import acvnum
from acvnum.analysis.found import NOTHING, Assessed, Found, bare


@pytest.fixture(scope="module")
def assessment():
    """MINIMAL has no hosting: a what-if on the hosting's PUE changes nothing, and says so."""
    return acvnum.estimate(dict(MINIMAL_DATA), levers=3, what_if=["hosting.pue=1.2"])


def test_nothing_found_has_no_lever_and_no_combination():
    assert Found() == NOTHING
    assert NOTHING.levers == () and NOTHING.levers_combined is None
    assert (NOTHING.uncertainty, NOTHING.what_if, NOTHING.budgets) == (None, None, ())


def test_the_levers_are_the_proposals_in_their_order(assessment):
    proposals = assessment.levers[0]
    found = Found(proposals=proposals)
    assert len(found.levers) == 3  # --levers 3, and MINIMAL has more to propose
    assert found.levers == tuple(proposals.levers)
    assert found.levers_combined is proposals.combined is not None  # two levers or more


def test_warnings_are_the_result_s_then_the_what_if_s(assessment):
    (service,) = assessment.services()
    assert service.result.warnings == ["warning.no_hosting"]
    assert service.warnings() == ["warning.no_hosting", "warning.what_if_no_hosting"]
    alone = Assessed(service.result)  # no what-if asked: the result's alone
    assert alone.found is NOTHING
    assert alone.warnings() == ["warning.no_hosting"]


def test_bare_pairs_each_result_with_nothing(assessment):
    results = list(assessment)
    paired = bare(results * 2)
    assert [a.result for a in paired] == results * 2
    assert all(a.found is NOTHING for a in paired)
    assert bare([]) == []
