"""The JSON contract (`--format json`): an API for CI pipelines, versioned by SCHEMA_VERSION.

Keys are stable; adding one is fine, renaming or removing one bumps the version.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from acvnum.analysis import portfolio
from acvnum.calculation.results import SCHEMA_VERSION, CriterionResult, ServiceResult, Uncertainty
from acvnum.i18n import Translator


def _criterion(c: CriterionResult, t: Translator) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": t(f"criterion.{c.id}"),
        "unit": c.unit,
        "total": c.total,
        "per_user": c.per_user,
        "per_visit": c.per_visit,
        "by_tier": c.by_tier,
        "by_phase": c.by_phase,
        "by_item": c.by_item,
        "planetary_boundary": asdict(c.boundary) if c.boundary else None,
    }
    if c.interval is not None:
        data["interval"] = c.interval
    if c.tier_intervals is not None:
        data["interval_by_tier"] = c.tier_intervals
    return data


def _uncertainty(u: Uncertainty) -> dict[str, Any]:
    """How the intervals were drawn and what drives them (see acvnum.analysis.uncertainty)."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "percentiles": [5, 50, 95],
        "distribution": "split lognormal: median = central value, p5 = low, p95 = high",
        "sensitivity": {
            "method": "Spearman rank correlation with the criterion's total",
            "top": [asdict(d) for d in u.drivers],
            "by_criterion": {
                cid: [asdict(d) for d in drivers] for cid, drivers in u.drivers_by_criterion.items()
            },
        },
    }


def service_dict(result: ServiceResult) -> dict[str, Any]:
    """One service's result as the documented JSON object."""
    t = Translator("en")
    b = result.boundaries
    return {
        "schema_version": SCHEMA_VERSION,
        "service": {
            "name": result.name,
            "description": result.description,
            "file": result.source_file,
            "period_days": result.period_days,
            "users": result.users,
            "visits": result.visits,
        },
        "criteria": {cid: _criterion(c, t) for cid, c in result.criteria.items()},
        "levers": [
            lever if isinstance(lever, dict) else lever.to_dict() for lever in result.levers
        ],
        "levers_combined": result.levers_combined.to_dict() if result.levers_combined else None,
        **({"what_if": result.what_if.to_dict()} if result.what_if else {}),
        "budgets": [
            budget if isinstance(budget, dict) else budget.to_dict() for budget in result.budgets
        ],
        "assumptions": [asdict(a) for a in result.assumptions],
        "warnings": [{"code": key, "message": t(key)} for key in result.warnings],
        "boundaries": {
            "population": b.population,
            "population_choice": b.population_choice,
            "source": b.source,
        },
        "factors": {
            "name": "acvnum",
            "version": result.factors_version,
            "sources": result.factor_sources,
            "user_factors": result.user_factors,
        },
        **result.extras,
        **({"uncertainty": _uncertainty(result.uncertainty)} if result.uncertainty else {}),
    }


def render(results: list[ServiceResult]) -> str:
    """One object for one service; {schema_version, services: [...]} for several."""
    if len(results) == 1:
        document: dict[str, Any] = service_dict(results[0])
    else:
        document = {
            "schema_version": SCHEMA_VERSION,
            "services": [service_dict(r) for r in results],
            "portfolio": portfolio.to_dict(portfolio.build(results)),
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
