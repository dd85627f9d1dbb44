"""The levers and what-if sections: the cells the text and markdown reports share.

A lever's effect is shown as the variation of each criterion ("−17 %": the criterion drops),
so a lever that raises one criterion while lowering the others says so plainly.
"""

from __future__ import annotations

from typing import Any

from acvnum.analysis.found import Found
from acvnum.i18n import Translator
from acvnum.reference.criteria import BY_ID, CRITERION_IDS
from acvnum.report.common import percent_sign


def variation(reduction: float, t: Translator) -> str:
    """A fraction saved as the criterion's signed variation: 0.171 -> '−17 %'.

    Only an exact zero reads '0 %': a small change keeps one significant digit ('−0.04 %')
    and a tiny one reads '−<0.001 %', so a change that does something never looks inert.
    '%' follows as report.common.percent_sign writes it.
    """
    percent = -reduction * 100
    sign_after = percent_sign(t)
    if abs(reduction) < 1e-12:
        return f"0{sign_after}"
    sign = "−" if percent < 0 else "+"
    size = abs(percent)
    if size >= 9.95:
        digits = f"{size:.0f}"
    elif size >= 0.05:
        digits = f"{size:.1f}"
    elif size >= 0.001:
        digits = f"{size:.1g}"
    else:
        digits = "<0.001"
    return f"{sign}{digits.replace('.', ',') if t.lang == 'fr' else digits}{sign_after}"


def saving_words(lever: Any, t: Translator) -> str:
    """'saves 2.39 persons-equivalent a year; climate change −17 %'."""
    pe = t.number(lever.effect.persons_equivalent)
    climate = variation(lever.effect.reduction["climate_change"], t)
    return t("levers.saving_words", pe=pe, climate=climate)


def criterion_headers(t: Translator) -> list[str]:
    return [t(f"criterion_short.{c}") for c in CRITERION_IDS]


def variations(reduction: dict[str, float], t: Translator) -> list[str]:
    return [variation(reduction[c], t) for c in CRITERION_IDS]


def lever_rows(found: Found, t: Translator) -> list[list[str]]:
    """[rank, title, change, persons-eq. saved, variation per criterion] per lever, then
    the combination (rank left empty)."""
    rows = [
        [
            str(lever.rank),
            lever.title(t.lang),
            lever.change_text(t),
            t.number(lever.effect.persons_equivalent),
            *variations(lever.effect.reduction, t),
        ]
        for lever in found.levers
    ]
    combined = found.levers_combined
    if combined is not None:
        rows.append(
            [
                "",
                t("levers.combined", count=len(combined.levers)),
                " + ".join(str(found.levers.index(r) + 1) for r in _ranked(found, combined)),
                t.number(combined.effect.persons_equivalent),
                *variations(combined.effect.reduction, t),
            ]
        )
    return rows


def _ranked(found: Found, combined: Any) -> list[Any]:
    """The proposed levers that the combination contains, in rank order."""
    return [lever for lever in found.levers if lever.lever.id in combined.levers]


def what_if_rows(found: Found, t: Translator) -> list[list[str]]:
    """[criterion, unit, before, after, saving, variation] per criterion."""
    w = found.what_if
    return [
        [
            t(f"criterion.{c}"),
            t.unit(BY_ID[c].unit),
            t.number(w.before[c]),
            t.number(w.after[c]),
            t.number(w.effect.saving[c]),
            variation(w.effect.reduction[c], t),
        ]
        for c in CRITERION_IDS
    ]


def what_if_headers(t: Translator) -> list[str]:
    keys = ("criterion", "unit", "before", "after", "saving", "variation")
    return [t(f"column.{k}") for k in keys]
