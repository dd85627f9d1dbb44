"""What the analyses found about one service, shown beside its result and not part of it.

A `ServiceResult` holds the calculation only; the levers, the uncertainty's drivers, the
user's what-if and the budgets judged are values of their own (held by
`acvnum.assessment.Assessment`), handed to the reports paired with the result they are about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from acvnum.calculation.results import ServiceResult, Uncertainty

if TYPE_CHECKING:  # the analyses' value types, read here only
    from acvnum.analysis.budgets import BudgetOutcome
    from acvnum.analysis.levers import Combination, LeverResult, Proposals
    from acvnum.analysis.whatif import WhatIf


@dataclass(frozen=True)
class Found:
    """One service's levers, uncertainty, what-if and budgets (empty or None: not asked for)."""

    #: Its levers and their combination (`levers`, `levers_combined`), held whole: the
    #: folder JSON writes them from the arrays they were found in (Proposals.encoded).
    proposals: Proposals | None = None
    uncertainty: Uncertainty | None = None  # how the intervals were drawn, their drivers
    what_if: WhatIf | None = None  # the user's --what-if change and its saving
    budgets: tuple[BudgetOutcome, ...] = ()  # its budgets judged (check, the API)

    @property
    def levers(self) -> tuple[LeverResult, ...]:
        """The levers proposed, best first."""
        return self.proposals.levers if self.proposals else ()

    @property
    def levers_combined(self) -> Combination | None:
        """The top levers applied together (None below two levers)."""
        return self.proposals.combined if self.proposals else None


#: A service no analysis was asked about.
NOTHING = Found()


class Assessed(NamedTuple):
    """A result and what the analyses found about it: what a report shows of one service."""

    result: ServiceResult
    found: Found = NOTHING

    def warnings(self) -> list[str]:
        """The result's warnings, then the what-if's (why the change may show no effect)."""
        what_if = self.found.what_if
        return [*self.result.warnings, *(what_if.warnings if what_if else ())]


def bare(results: list[ServiceResult]) -> list[Assessed]:
    """Results no analysis was asked about (check, diff, tests), ready for a report."""
    return [Assessed(r) for r in results]
