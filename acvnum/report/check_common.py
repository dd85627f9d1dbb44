"""What the check renderers (text, markdown, JUnit) share: one row of words per outcome.

Each renderer lays the same cells out its own way, so the three never disagree on a figure.
What a user wrote (a service's name, a baseline's file) is shown as each renderer's `shown`
makes it: escapes on a terminal, U+FFFD in JUnit XML.
"""

from __future__ import annotations

from collections.abc import Callable

from acvnum.analysis.budgets import BaselineOutcome, BudgetOutcome
from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.analysis.comparison import Change
from acvnum.i18n import Translator
from acvnum.reference.criteria import BY_ID
from acvnum.report.common import factor_changes_note, percentage, scale


def unit_for(reference: float, criterion: str, unit: str, t: Translator) -> tuple[float, str]:
    """The (size, label) a row's figures are written in, chosen from `reference`; the label
    in the run's language ('incid. maladie')."""
    chosen = scale(reference, criterion)
    if chosen is not None:
        size, label = chosen
    else:
        known = BY_ID.get(criterion)
        size, label = 1.0, known.short_unit if known else unit
    return size, t.unit(label)


def quantity(value: float, criterion: str, unit: str, t: Translator) -> str:
    """'1.80 g CO2e', '0.520 Wh', '3.10e-08 kg Sb eq'."""
    size, label = unit_for(value, criterion, unit, t)
    return f"{t.number(value / size)} {label}"


def percent(fraction: float | None, t: Translator, signed: bool = True) -> str:
    """0.12 -> '+12.0\u00a0%' (three significant digits, as t.number writes them: '+12,0\u202f%'
    in French: report.common.percent_sign), 0.0 -> '0\u00a0%' with no sign; None (grown from
    nothing) -> 'new'."""
    if fraction is None:
        return t("check.new")
    sign = "+" if signed and fraction > 0 else ""
    return f"{sign}{percentage(fraction * 100, t)}"


def status(passed: bool, t: Translator) -> str:
    return t("check.pass") if passed else t("check.fail")


def with_share(outcomes: list[BudgetOutcome]) -> bool:
    """Whether a table needs the boundary-share column."""
    return any(o.boundary_share is not None for o in outcomes)


def _without_share(cells: list[str], share: bool) -> list[str]:
    return cells if share else cells[:3] + cells[4:]


def budget_cells(outcome: BudgetOutcome, t: Translator, share_column: bool) -> list[str]:
    """Criterion, per, unit, boundary share (if `share_column`), limit, value, margin, result."""
    share = outcome.boundary_share
    size, label = unit_for(outcome.limit, outcome.criterion, outcome.unit, t)
    cells = [
        t(f"criterion.{outcome.criterion}"),
        t(f"check.per.{outcome.per}"),
        label,
        "" if share is None else percent(share, t, signed=False),
        t.number(outcome.limit / size),
        t.number(outcome.value / size),
        percent(outcome.margin, t),
        status(outcome.passed, t),
    ]
    return _without_share(cells, share_column)


def tiers_grown(outcome: BaselineOutcome, t: Translator) -> str:
    """'Terminals +15 %, Network +2 %', or '—' when no tier grew."""
    change = outcome.change
    parts = [
        f"{t(f'tier.{tier}')} {percent(change.by_tier[tier].relative, t)}"
        for tier in change.tiers_grown()
    ]
    return ", ".join(parts) or "—"


def baseline_cells(outcome: BaselineOutcome, t: Translator) -> list[str]:
    """Criterion, unit, baseline, now, change, result, tiers that grew."""
    c = outcome.change
    size, label = unit_for(c.value.before, c.criterion, c.unit, t)
    return [
        t(f"criterion.{c.criterion}"),
        label,
        t.number(c.value.before / size),
        t.number(c.value.after / size),
        percent(c.value.relative, t),
        status(outcome.passed, t),
        tiers_grown(outcome, t) if not outcome.passed else "",
    ]


def change_text(change: Change, criterion: str, unit: str, t: Translator) -> str:
    """'1.8 → 2.1 g CO2e'-style pair, each side in its own readable unit."""
    before = quantity(change.before, criterion, unit, t)
    return f"{before} → {quantity(change.after, criterion, unit, t)}"


def budget_failure(outcome: BudgetOutcome, t: Translator) -> str:
    """One sentence for a failed budget: what, how much (at which percentile when sampled),
    against which limit."""
    words = {
        "criterion": t(f"criterion.{outcome.criterion}"),
        "per": t(f"check.per.{outcome.per}"),
        "value": quantity(outcome.value, outcome.criterion, outcome.unit, t),
        "limit": quantity(outcome.limit, outcome.criterion, outcome.unit, t),
    }
    if outcome.statistic == "central":
        return t("check.failure.budget", **words)
    statistic = t(f"check.statistic_name.{outcome.statistic}")
    return t("check.failure.budget_at", statistic=statistic, **words)


def baseline_failure(outcome: BaselineOutcome, t: Translator) -> str:
    """One sentence for a regression: the criterion, by how much, and the tiers that grew."""
    c = outcome.change
    return t(
        "check.failure.baseline",
        criterion=t(f"criterion.{c.criterion}"),
        change=percent(c.value.relative, t),
        values=change_text(c.value, c.criterion, c.unit, t),
        tolerance=percent(outcome.tolerance, t, signed=False),
        tiers=tiers_grown(outcome, t),
    )


def summary(run: CheckRun, t: Translator) -> str:
    """'All 7 checks passed.' or '2 of 7 checks failed.'"""
    if run.failures == 0:
        return t("check.summary.passed", count=run.count)
    return t("check.summary.failed", failed=run.failures, count=run.count)


def budget_header(t: Translator, share_column: bool, statistic: str = "central") -> list[str]:
    """The column names; the value's says which percentile it is when budgets were sampled."""
    keys = ("column.criterion", "check.column.per", "column.unit", "check.column.share")
    keys += ("check.column.limit",)
    keys += ("check.column.value", "check.column.margin", "check.column.result")
    names = [t(k) for k in keys]
    if statistic != "central":
        names[keys.index("check.column.value")] = t("check.column.value_at", statistic=statistic)
    return _without_share(names, share_column)


def statistic_note(run: CheckRun, t: Translator) -> str | None:
    """The sentence that says budgets were judged on a percentile, not the central value."""
    return None if run.statistic == "central" else t(f"check.statistic.{run.statistic}")


#: How a renderer shows a text a user wrote (escaping.terminal_line, escaping.terminal).
Shown = Callable[[str], str]


def service_name(check: ServiceCheck, shown: Shown) -> str:
    """The service's name as a report may print it (no control character): as `shown`
    makes it (the terminal's: escapes, on one line), U+FFFD for each by default."""
    return shown(check.result.name)


def renamed_note(check: ServiceCheck, run: CheckRun, t: Translator, shown: Shown) -> str | None:
    """Said when the baseline's only service, named otherwise, was compared with this one."""
    if check.baseline_name is None:
        return None
    baseline = shown(check.baseline_name)
    return t("check.renamed", baseline=baseline, file=shown(run.baseline_file or ""))


def factors_note(check: ServiceCheck, t: Translator) -> str | None:
    """Which factors differ from the baseline's, when some do."""
    return factor_changes_note(check.factor_changes, check.factor_versions, t)


def baseline_notes(check: ServiceCheck, run: CheckRun, t: Translator, shown: Shown) -> list[str]:
    """What a reader of the baseline comparison must know: a renamed service, new factors."""
    return [n for n in (renamed_note(check, run, t, shown), factors_note(check, t)) if n]


def baseline_header(t: Translator) -> list[str]:
    keys = ("column.criterion", "column.unit", "check.column.baseline", "check.column.now")
    keys += ("check.column.change", "check.column.result", "check.column.tiers_grown")
    return [t(k) for k in keys]


def baseline_title(run: CheckRun, t: Translator, shown: Shown) -> str:
    tolerance = percent(run.tolerance, t, signed=False)
    return t("check.baseline", file=shown(run.baseline_file or ""), tolerance=tolerance)
