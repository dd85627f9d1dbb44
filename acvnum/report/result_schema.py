"""The JSON Schema (draft 2020-12) of the result JSON, version 2 (docs/json.md).

`acvnum schema --result` prints it and schema/result.schema.json is its committed copy; the
contract test validates real outputs against it. Envelope, service and criterion objects
are closed (a new key there is a deliberate change of this file and the docs); the objects
the analyses own (levers, budgets, what-if, uncertainty) name the keys they must have.
"""

from __future__ import annotations

import json
from typing import Any

from acvnum.calculation.inventory import ACTIVITIES, PHASES, TIERS
from acvnum.calculation.results import SCHEMA_VERSION
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.blocks_section import BLOCK_ITEMS
from acvnum.report.json_format import INDENT_UP_TO

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the emitted schema is committed, relative to the repository root.
SCHEMA_FILE = "schema/result.schema.json"

NUMBER = {"type": "number"}
COUNT = {
    "type": "number",
    "minimum": 0,
    "description": "An integer when whole; the centre of a range may be fractional.",
}
TEXT = {"type": "string"}
KEYS = {
    "type": "array",
    "items": {"type": "string"},
    "description": "Keys of the document's `sources`: the publications this value cites.",
}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _closed(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object with exactly these keys, all required but `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def _open(properties: dict[str, Any]) -> dict[str, Any]:
    """An object that must have these keys and may have more (an analysis's own record)."""
    return {"type": "object", "properties": properties, "required": list(properties)}


def _per(keys: tuple[str, ...], value: dict[str, Any]) -> dict[str, Any]:
    return _closed({k: value for k in keys})


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _by_criterion(value: dict[str, Any]) -> dict[str, Any]:
    return _per(CRITERION_IDS, value)


def _by_item() -> dict[str, Any]:
    """`tier.phase.item` keys, enumerated from the inventory; the optional blocks' keys
    are said block by block (a service without a block has none of them)."""
    keys = [f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES]
    added = [
        f"{block}: " + ", ".join(k for k in keys if k.rsplit(".", 1)[-1] in names)
        for block, names in BLOCK_ITEMS.items()
    ]
    return {
        "type": "object",
        "description": "The finest split; only the blocks a service has add their keys ("
        + "; ".join(added)
        + "). Cloud instances by name add none: they change datacenter.*.servers.",
        "propertyNames": {"enum": keys},
        "additionalProperties": NUMBER,
    }


def _criterion() -> dict[str, Any]:
    boundary = _closed(
        {"per_person_year": NUMBER, "persons_equivalent": NUMBER, "share_per_user": NUMBER}
    )
    return _closed(
        {
            "label": TEXT,
            "unit": TEXT,
            "total": NUMBER,
            "per_user": NUMBER,
            "per_visit": NUMBER,
            "by_tier": _per(TIERS, NUMBER),
            "by_phase": _per(PHASES, NUMBER),
            "by_item": _by_item(),
            "planetary_boundary": {"anyOf": [boundary, {"type": "null"}]},
            "interval": _ref("interval"),
            "interval_by_tier": _per(TIERS, _ref("interval")),
            "coverage": _coverage(),
        },
        optional=("interval", "interval_by_tier", "coverage"),
    )


def _coverage() -> dict[str, Any]:
    """Which of the service's activities have a factor for the criterion (computed from
    the factor table: acvnum.calculation.coverage)."""
    keys = {
        "type": "array",
        "items": {"enum": [f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES]},
    }
    schema = _closed({"covered": keys, "not_covered": keys})
    schema["description"] = (
        "The activities the service uses (by_item keys) with a factor for this criterion, "
        "and those without one: a not-covered activity adds nothing to the total, which is "
        "then a lower bound. Final energy lists use activities only (manufacturing is "
        "outside it by definition)."
    )
    return schema


def _change() -> dict[str, Any]:
    return _open({"path": TEXT, "before": TEXT, "after": TEXT})


def _saving() -> dict[str, Any]:
    return {
        "reduction": _by_criterion(NUMBER),
        "saving": _by_criterion(NUMBER),
        "persons_equivalent_saved": NUMBER,
    }


def _lever() -> dict[str, Any]:
    changes = {"type": "array", "items": _change()}
    return _open(
        {
            "id": TEXT,
            "rank": {"type": "integer", "minimum": 1},
            "tier": TEXT,
            "title": TEXT,
            "change": TEXT,
            "changes": changes,
            **_saving(),
        }
    )


def _lever_entry() -> dict[str, Any]:
    return _closed(
        {"title": TEXT, "tier": TEXT, "rationale": TEXT, "source": TEXT, "sources": KEYS}
    )


def _uncertainty() -> dict[str, Any]:
    driver = _closed(
        {
            "name": TEXT,
            "kind": {"enum": ["factor", "input"]},
            "criterion": TEXT,
            "rank_correlation": NUMBER,
        }
    )
    drivers = {"type": "array", "items": driver}
    sensitivity = _open(
        {
            "method": TEXT,
            "top": drivers,
            "by_criterion": {"type": "object", "additionalProperties": drivers},
        }
    )
    return _open(
        {
            "samples": {"type": "integer", "minimum": 1},
            "seed": {"type": "integer"},
            "percentiles": {"type": "array", "items": NUMBER},
            "distribution": TEXT,
            "sensitivity": sensitivity,
        }
    )


def _service() -> dict[str, Any]:
    about = _closed(
        {
            "name": TEXT,
            "description": NULLABLE_TEXT,
            "file": TEXT,
            "period_days": NUMBER,
            "users": COUNT,
            "visits": COUNT,
            "functional_unit": TEXT,
        }
    )
    assumption = _closed(
        {
            "path": TEXT,
            "value": TEXT,
            "status": {"enum": ["input", "default"]},
            "sources": KEYS,
        }
    )
    changes = {"type": "array", "items": _change()}
    return _closed(
        {
            "service": about,
            "criteria": _by_criterion(_ref("criterion")),
            "levers": {"type": "array", "items": _lever()},
            "levers_combined": {
                "anyOf": [
                    _open({"levers": {"type": "array", "items": TEXT}, "changes": changes}),
                    {"type": "null"},
                ]
            },
            "what_if": _open({"changes": changes, "before": _by_criterion(NUMBER), **_saving()}),
            "budgets": {
                "type": "array",
                "items": _open({"criterion": TEXT, "per": TEXT, "value": NUMBER, "passed": {}}),
                "description": "The budgets judged (check, the API's budgets=): empty when "
                "none was (estimate).",
            },
            "assumptions": {"type": "array", "items": assumption},
            "warnings": {"type": "array", "items": _closed({"code": TEXT, "message": TEXT})},
            "check": _open({"passed": {"type": "boolean"}, "baseline": {}}),
            "uncertainty": _uncertainty(),
            "market_based": _market_based(),
        },
        optional=("what_if", "check", "uncertainty", "market_based"),
    )


def _market_based() -> dict[str, Any]:
    """Climate change at the contract's factor (hosting.electricity_factor), beside the
    location-based figures of `criteria`."""
    climate = _closed({"unit": TEXT, "total": NUMBER, "per_user": NUMBER, "per_visit": NUMBER})
    factor = _closed({"value": NUMBER, "unit": TEXT})
    return _closed({"electricity_factor": factor, "climate_change": climate})


def _portfolio() -> dict[str, Any]:
    ranked = _closed({"name": TEXT, "file": TEXT, "persons_equivalent": NUMBER})
    total = _closed(
        {
            "total": NUMBER,
            "persons_equivalent": {"type": ["number", "null"]},
            "interval": _ref("interval"),
        },
        optional=("interval",),
    )
    return _closed(
        {
            "services": {"type": "integer", "minimum": 2},
            "ranking": {"type": "array", "items": ranked},
            "criteria": _by_criterion(total),
        }
    )


def result_schema() -> dict[str, Any]:
    """The schema, as data."""
    source = _closed(
        {
            "citation": TEXT,
            "year": {"type": ["integer", "null"]},
            "licence": NULLABLE_TEXT,
            "url": NULLABLE_TEXT,
        }
    )
    envelope = _closed(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "method": _closed({"name": TEXT, "version": TEXT}),
            "factors": _closed(
                {
                    "version": TEXT,
                    "user_factors": {"type": "array", "items": TEXT},
                    "values": {
                        "type": "object",
                        "additionalProperties": NUMBER,
                        "description": "The central value of every factor of the table the "
                        "run used (yours over ours), by id: diff and check --baseline name the "
                        "factors that changed.",
                    },
                },
                optional=("values",),
            ),
            "boundaries": _closed(
                {
                    "population": COUNT,
                    "population_choice": TEXT,
                    "sources": KEYS,
                }
            ),
            "services": {"type": "array", "minItems": 1, "items": _ref("service")},
            "portfolio": _portfolio(),
            "lever_catalogue": {"type": "object", "additionalProperties": _lever_entry()},
            "sources": {"type": "object", "additionalProperties": source},
        },
        optional=("portfolio",),
    )
    return {
        "$schema": DIALECT,
        "title": "acvnum result",
        "description": (
            f"The result of `acvnum estimate --format json` (and `check --format json`), "
            f"version {SCHEMA_VERSION}: see docs/json.md. Indented up to {INDENT_UP_TO} "
            "services, compact above."
        ),
        **envelope,
        "$defs": {
            "service": _service(),
            "criterion": _criterion(),
            "interval": _closed({"p5": NUMBER, "p50": NUMBER, "p95": NUMBER}),
        },
    }


def render() -> str:
    return json.dumps(result_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
