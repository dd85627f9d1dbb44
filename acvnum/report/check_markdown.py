"""The Markdown report of `acvnum check`: fit for a pull-request comment or a CI job
summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab notes): verdict first, then the tables."""

from __future__ import annotations

from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.escaping import markdown_text, terminal
from acvnum.i18n import Translator
from acvnum.report import check_common as cc
from acvnum.report.tables import markdown_table

_MARK = {True: "✅", False: "❌"}


def _marked(cells: list[str], passed: bool, column: int) -> list[str]:
    """The result cell with a mark that a reviewer sees at a glance."""
    return [*cells[:column], f"{_MARK[passed]} {cells[column]}", *cells[column + 1 :]]


def _service(check: ServiceCheck, run: CheckRun, t: Translator) -> list[str]:
    # what a user wrote: control characters as escapes ('\x1b'), as in every Markdown report
    lines = [f"### {markdown_text(cc.service_name(check, terminal))}", ""]
    if check.budgets:
        share = cc.with_share(check.budgets)
        cells = [cc.budget_cells(o, t, share) for o in check.budgets]
        rows = [_marked(c, o.passed, len(c) - 1) for c, o in zip(cells, check.budgets, strict=True)]
        lines += [
            f"**{t('check.budgets')}**",
            "",
            *markdown_table(cc.budget_header(t, share, run.statistic), rows, 3),
        ]
        lines += [t("check.share_caption"), ""] if share else []
    else:
        lines += [t("check.no_budget"), ""]
    if check.baseline is not None:
        rows = [_marked(cc.baseline_cells(o, t), o.passed, 5) for o in check.baseline]
        lines += [
            f"**{markdown_text(cc.baseline_title(run, t, terminal))}**",
            "",
            *markdown_table(cc.baseline_header(t), rows, 2),
        ]
        renamed = cc.renamed_note(check, run, t, terminal)
        lines += [f"⚠️ {markdown_text(renamed)}", ""] if renamed else []
        factors = cc.factors_note(check, t)  # factor ids and numbers: nothing to escape
        lines += [f"⚠️ {factors}", ""] if factors else []
    return lines


def render(run: CheckRun, lang: str = "en") -> str:
    t = Translator(lang)
    verdict = f"{_MARK[run.passed]} {cc.summary(run, t)}"
    lines = [f"## {t('check.markdown.title', verdict=verdict)}", ""]
    note = cc.statistic_note(run, t)
    lines += [f"_{note}_", ""] if note else []
    for check in run.services:
        lines += _service(check, run, t)
    return "\n".join(lines).rstrip("\n") + "\n"
