"""What every human-readable report shares: flagship figures, scaled units, labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from acvnum.analysis.found import Assessed
from acvnum.calculation.assumptions import QUESTIONNAIRE
from acvnum.calculation.inventory import PHASES, TIERS
from acvnum.calculation.results import Assumption, ServiceResult
from acvnum.i18n import Translator
from acvnum.reference import sources
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.sources import Source

if TYPE_CHECKING:  # the text, Markdown and HTML reports need not load the diff's module
    from acvnum.analysis.comparison import FactorChange

#: C0 controls but tab and newline, DEL and C1: an ESC in a service name would drive the
#: terminal, and XML 1.0 (JUnit) cannot hold them at all.
#: Bidirectional overrides reorder what is shown and lone surrogates cannot be written:
#: replaced too.


def assumption_path(row: Assumption, t: Translator) -> str:
    """An assumption's path as a report shows it: the questionnaire's key as written, the
    words acvnum adds after it in the report's language ('hosting.servers[0].power (au
    repos)', 'ai.model.size (moyen)')."""
    return row.path + t.note(row.note)


def readable_all(services: list[Assessed], shown: Callable[[str], str]) -> list[Assessed]:
    """`readable` for each result, each still paired with what the analyses found."""
    return [Assessed(readable(r, shown), found) for r, found in services]


def readable(result: ServiceResult, shown: Callable[[str], str]) -> ServiceResult:
    """The result with its user-written texts as `shown` makes them, for the human reports:
    each control character as its escape (escaping.terminal_line on a terminal,
    escaping.terminal where a format escapes its own line breaks)."""
    description, unit = result.description, result.functional_unit
    return replace(
        result,
        name=shown(result.name),
        description=None if description is None else shown(description),
        functional_unit=None if unit is None else shown(unit),
        source_file=shown(result.source_file),
    )


#: Human scales for the per-visit flagship figures.
_SCALES = {
    "climate_change": ((1e-3, "g CO2e"), (1.0, "kg CO2e"), (1e3, "t CO2e")),
    "energy": ((1e-3, "Wh"), (1.0, "kWh"), (1e3, "MWh"), (1e6, "GWh")),
}


def scale(value: float, criterion: str) -> tuple[float, str] | None:
    """The (size, unit) a mass or an energy reads best in; None for other criteria."""
    scales = _SCALES.get(criterion)
    if scales is None:
        return None
    size, unit = scales[0]
    for candidate, candidate_unit in scales:
        if abs(value) >= candidate:
            size, unit = candidate, candidate_unit
    return size, unit


def scaled(value: float, criterion: str, t: Translator) -> str:
    """A mass or an energy in the unit that reads best: '0.82 g CO2e', '12.3 MWh'. Its
    spaces are no-break ones: a wrapped line never splits '22.0 g CO2e' into '22.0 g' and
    'CO2e' (the uncertainty's flagship sentence at 80 columns)."""
    chosen = scale(value, criterion)
    if chosen is None:
        return t.number(value)
    size, unit = chosen
    return f"{t.number(value / size)} {unit}".replace(" ", "\u00a0")


def percent_sign(t: Translator) -> str:
    """The ' %' after a report's number: its space a no-break one, so a wrapped line never
    starts with '%'; narrow in French (French typography), a plain width in English."""
    return "\u202f%" if t.lang == "fr" else "\u00a0%"


def percentage(percent: float, t: Translator) -> str:
    """A percentage to three significant digits ('0.846 %', '0,846 %')."""
    return f"{t.number(percent)}{percent_sign(t)}"


@dataclass(frozen=True)
class Flagship:
    """The three figures every report opens with."""

    energy_per_visit: str
    climate_per_visit: str
    persons_equivalent: str
    dominant: str  # the criterion whose boundary the service uses most


def flagship(result: ServiceResult, t: Translator) -> Flagship:
    compared = {c.id: c.boundary.persons_equivalent for c in result.criteria.values() if c.boundary}
    dominant = max(compared, key=lambda cid: compared[cid])
    return Flagship(
        energy_per_visit=scaled(result.criteria["energy"].per_visit, "energy", t),
        climate_per_visit=scaled(result.criteria["climate_change"].per_visit, "climate_change", t),
        persons_equivalent=t.number(compared[dominant]),
        dominant=t(f"criterion.{dominant}"),
    )


def shares(parts: dict[str, float]) -> dict[str, float]:
    """Each part's share of their sum (0 when the sum is 0)."""
    total = sum(parts.values())
    return {k: (v / total if total else 0.0) for k, v in parts.items()}


def breakdown_labels(t: Translator) -> tuple[dict[str, str], dict[str, str]]:
    return {k: t(f"tier.{k}") for k in TIERS}, {k: t(f"phase.{k}") for k in PHASES}


def factors_footer(result: ServiceResult, t: Translator) -> str:
    """The factors' version and how the network was allocated (the reports say which
    network model was used, not only the assumptions table)."""
    model = next(
        (str(a.value) for a in result.assumptions if a.path == "usage.network_model"), "per_gb"
    )
    network = t(f"network_model.{model}")
    return t("footer.factors", version=result.factors_version, network=network)


def population_note(result: ServiceResult, t: Translator) -> str:
    b = result.boundaries
    return t(f"boundary.population.{b.population_choice}", population=t.number(b.population / 1e9))


def period_text(result: ServiceResult, t: Translator) -> str:
    days = result.period_days
    if abs(days - 365.25) < 1e-6:
        return t("period.year")
    return t("period.days", days=t.number(days))


def summary_line(result: ServiceResult, t: Translator) -> str:
    """'1 year · 50,000 users · 1,200,000 visits': the line under every report's title."""
    return t(
        "summary.line",
        period=period_text(result, t),
        users=t.number(result.users),
        visits=t.number(result.visits),
    )


IMPACT_COLUMNS = ("criterion", "unit", "total", "per_user", "per_visit", "persons_equivalent")
BOUNDARY_COLUMNS = ("criterion", "boundary_per_person", "persons_equivalent", "share_per_user")


def impact_rows(result: ServiceResult, t: Translator) -> list[list[str]]:
    """The impacts table of every report: one row of formatted cells per criterion."""
    rows = []
    for cid in CRITERION_IDS:
        c = result.criteria[cid]
        pe = t.number(c.boundary.persons_equivalent) if c.boundary else "—"
        numbers = (c.total, c.per_user, c.per_visit)
        rows.append([t(f"criterion.{cid}"), t.unit(c.unit), *(t.number(n) for n in numbers), pe])
    return rows


def boundary_ids(result: ServiceResult) -> list[str]:
    """The criteria that have a boundary, in the order of `boundary_rows`."""
    return [cid for cid in CRITERION_IDS if result.criteria[cid].boundary]


def boundary_rows(result: ServiceResult, t: Translator) -> list[list[str]]:
    """The planetary-boundary table of every report (criteria that have a boundary)."""
    return [
        [
            t(f"criterion.{cid}"),
            f"{t.number(c.boundary.per_person_year)} {t.unit(c.unit)}",
            t.number(c.boundary.persons_equivalent),
            percentage(c.boundary.share_per_user * 100, t),
        ]
        for cid in CRITERION_IDS
        if (c := result.criteria[cid]).boundary
    ]


def source_cell(source: str, t: Translator) -> str:
    """An assumption's source as the reports show it: the keys of the publications it
    cites ('[CCF] [Barroso-2007]'), 'questionnaire' in the report's language, or a user's
    own source text as written."""
    if source == QUESTIONNAIRE:
        return t("source.questionnaire")
    keys = sources.cite(source)
    return " ".join(f"[{key}]" for key in keys) if keys else source


def cited(services: list[Assessed]) -> list[Source]:
    """Every publication the reports of `services` cite (assumptions and levers), by key."""
    texts = [a.source for r, _ in services for a in r.assumptions]
    texts += [lever.lever.source for _, found in services for lever in found.levers]
    return sources.bibliography(texts)


#: acvnum's own methodology: written in each language, so cited in the reader's.
OWN_METHOD = "acvnum-method"


def citation(source: Source, t: Translator) -> str:
    """A publication's citation as published; acvnum's methodology in the report's language."""
    return t("source.own_method") if source.key == OWN_METHOD else source.citation


def bibliography_entry(source: Source, t: Translator) -> str:
    """A publication as a reference list shows it: its citation as published, then where
    to read it ('Ember and Energy Institute, ... https://ourworldindata.org/...'). As
    written: each report escapes it for its format (escaping.terminal on a terminal,
    markdown_text in Markdown), as a factor table's text may hold anything."""
    cited_as = citation(source, t)
    return f"{cited_as}. {source.url}" if source.url else f"{cited_as}."


def factor_changes_note(
    changes: list[FactorChange] | None, versions: tuple[str | None, str | None], t: Translator
) -> str | None:
    """'12 factors differ between the two results (factors 2026.11 -> 2026.12): ...': said
    wherever two results are compared, so that a factor update is not read as a regression."""
    if not changes:
        return None
    listed = (_factor_change(c, t) for c in changes[:FACTOR_CHANGES_SHOWN])
    shown = t("punctuation.semicolon").join(listed)  # French: a no-break space before ';'

    before, after = (v or "?" for v in versions)
    note = t("factors.changed", count=len(changes), a=before, b=after, changes=shown)
    more = len(changes) - FACTOR_CHANGES_SHOWN
    if more <= 0:
        return note
    return note + t("factors.changed_more_one" if more == 1 else "factors.changed_more", count=more)


FACTOR_CHANGES_SHOWN = 3


def _factor_change(change: FactorChange, t: Translator) -> str:
    before = "—" if change.before is None else t.number(change.before)
    after = "—" if change.after is None else t.number(change.after)
    relative = change.relative
    shown = f"{change.id} {before} → {after}"
    if relative is None:
        return shown
    sign = "+" if relative > 0 else ""
    return f"{shown} ({sign}{percentage(relative * 100, t)})"
