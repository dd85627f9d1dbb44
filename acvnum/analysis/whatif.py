"""`--what-if PATH=VALUE`: the user's own change, validated like the file, evaluated by the engine.

The value is read as YAML and set, through the path module, into the service's validated
questionnaire: only the section it changes is validated again, from the file's data with the
new value, then the questionnaire's and the factor tables' checks: units, ranges and
messages are the file's. A change that needs the whole file (a section the file leaves out,
ranges) is set into a copy of the file's data validated whole. Before and after are
evaluated for every service in one engine pass.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel

from acvnum.analysis.variants import (
    Change,
    Saving,
    Variant,
    boundary_weights,
    savings,
    server_name,
    totals,
    value_at,
)
from acvnum.errors import (
    InputError,
    Joined,
    PathError,
    Problem,
    WhatIfError,
    WhatIfRefusals,
    in_order,
    message,
)
from acvnum.escaping import shorten
from acvnum.i18n import Value
from acvnum.questionnaire import models, rules
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire.models import validate_section
from acvnum.questionnaire.paths import dotted
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.service import (
    PLACES,
    Service,
    against_tables,
    service_from_document,
    unknown_regions,
)
from acvnum.questionnaire.yaml_reader import load_scalar
from acvnum.reference import defaults
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable

#: Keys a what-if may not change: the comparison is of one service over one period.
#: What --what-if cannot change, by catalogue key ('the period').
_FIXED = {
    "period": "whatif.fixed.period",
    "budgets": "whatif.fixed.budgets",
    "name": "whatif.fixed.name",
}


#: A what-if's value: one YAML scalar as the questionnaire reads it (no tag that makes
#: another type is read; parse_assignment refuses a list or a mapping).
Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Assignment:
    """One `PATH=VALUE` as typed, parsed."""

    text: str
    path: modelpath.Path
    value: Scalar


def check_path(path: modelpath.Path) -> None:
    """The path names one value of the questionnaire, or WhatIfError (PathError where it
    leaves the models) says why not."""
    if path[0] in _FIXED:
        raise WhatIfError("whatif.fixed", what=message(_FIXED[str(path[0])]))
    found = modelpath.place(models.Questionnaire, path)
    if found.in_list or found.model is not None:
        keys = ", ".join(found.model.model_fields) if found.model else "an index"
        raise WhatIfError("whatif.a_section", path=dotted(path), keys=keys)


#: A path and one value: longer is refused before any parsing, quoting only its start.
MAX_WHATIF_CHARS = 300


def parse_assignment(text: str) -> Assignment:
    """'usage.data_per_visit=1MB' -> Assignment; a bad path or value raises WhatIfError."""
    if len(text) > MAX_WHATIF_CHARS:
        raise WhatIfError("whatif.too_long", text=shorten(text), limit=MAX_WHATIF_CHARS)
    path_text, equals, value_text = text.partition("=")
    if not equals or not value_text.strip():
        raise WhatIfError("whatif.form", text=shorten(text))
    try:
        path = modelpath.parse(path_text)
        check_path(path)
        value = load_scalar(value_text)
    except (PathError, WhatIfError) as error:
        raise WhatIfError("whatif.at", text=shorten(text), reason=error.message) from None
    except InputError as error:
        reason = error.problems[0].message
        raise WhatIfError("whatif.unreadable", text=shorten(text), reason=reason) from None
    except yaml.YAMLError:
        raise WhatIfError(
            "whatif.unreadable_yaml", text=shorten(text), value=repr(value_text)
        ) from None
    if isinstance(value, dict | list):
        kind = message("whatif.kind.list" if isinstance(value, list) else "whatif.kind.dict")
        raise WhatIfError("whatif.single", text=shorten(text), kind=kind)
    return Assignment(text, path, value)


def _each_path_once(assignments: list[Assignment]) -> list[Assignment]:
    """The assignments, or WhatIfError when two set one value: they are applied together,
    not one after the other, so which to keep is not for us to guess (the last one was kept
    without a word, and the change said twice)."""
    first: dict[modelpath.Path, Assignment] = {}
    for a in assignments:
        if a.path in first:
            raise WhatIfError(
                "whatif.twice",
                path=dotted(a.path),
                first=shorten(first[a.path].text),
                second=shorten(a.text),
            )
        first[a.path] = a
    return assignments


def _set(data: dict[str, Any], assignment: Assignment) -> None:
    """Set the value into the raw data, creating the sections the file left out."""
    try:
        modelpath.set_creating(data, assignment.path, assignment.value)
    except PathError as error:
        raise WhatIfError(
            "whatif.at", text=shorten(assignment.text), reason=error.message
        ) from None


#: The country codes a file may write in any case (questionnaire.service upper-cases them).
_LOCATIONS = {
    ("usage", "location"),
    ("hosting", "location"),
    ("terminals", "location"),
    ("ai", "self_hosted", "location"),
}


def _raw_section(data: Any, path: modelpath.Path) -> dict[str, Any] | None:
    """The file's own data of the section at `path`, or None where the file leaves it out."""
    node = modelpath.get_in(data, path)
    return node if isinstance(node, dict) else None


def _has_own_checks(model: type[BaseModel]) -> bool:
    """Whether a model checks its values together (a model validator), so that changing a
    section below it must go through it too."""
    return bool(model.__pydantic_decorators__.model_validators)


def _section_model(path: modelpath.Path) -> type[BaseModel] | None:
    """The model of the section at `path`; None when a section above it (the
    questionnaire included) has checks of its own (check_path made sure the path exists)."""
    found = modelpath.place(models.Questionnaire, path)
    if any(_has_own_checks(model) for model in found.holders):
        return None
    return found.model


def _by_section(assignments: list[Assignment]) -> dict[modelpath.Path, list[Assignment]] | None:
    """The assignments grouped by the section they change; None when one section holds
    another (both must be validated together: the file's route)."""
    sections: dict[modelpath.Path, list[Assignment]] = {}
    for a in assignments:
        sections.setdefault(a.path[:-1], []).append(a)
    paths = list(sections)
    nested = any(p != o and o[: len(p)] == p for p in paths for o in paths)
    return None if nested or () in sections else sections


def _typed_as_range(value: Scalar) -> bool:
    return isinstance(value, str) and (".." in value or "\u2026" in value)


def _edited(service: Service, assignments: list[Assignment], table: FactorTable) -> Service | None:
    """The service with the assignments set into its validated questionnaire through the
    path module, each changed section validated alone from the file's data with the new
    values, then the questionnaire's own checks and the factor tables' (the file's words,
    the file's positions). None where a change needs the whole file validated again: a
    section the file leaves out (made by the change), a file or a value with ranges, a
    section whose parent checks its values together."""
    sections = _by_section(assignments)
    if sections is None or (service.bounds is not None and service.bounds.written):
        return None
    if any(_typed_as_range(a.value) for a in assignments):
        return None
    document, q = service.document, service.questionnaire
    found: list[tuple[modelpath.Path, type[BaseModel], dict[str, Any]]] = []
    for path, changes in sections.items():
        raw, model = _raw_section(document.data, path), _section_model(path)
        if raw is None or model is None:
            return None
        data = copy.deepcopy(raw)
        for a in changes:
            value = a.value
            if modelpath.pattern(a.path) in _LOCATIONS and isinstance(value, str):
                value = value.strip().upper()
            data[a.path[-1]] = value
        found.append((path, model, data))
    problems: list[Problem] = []
    for path, model, data in found:
        try:
            q = modelpath.replace(q, path, validate_section(document, path, data, model))
        except InputError as error:
            problems += error.problems
    if not problems:  # what no user can do: checked on sections all valid
        problems = [document.problem(path, refusal) for path, refusal in rules.impossible(q)]
    if problems:
        # with the countries the changes name that the tables do not know, said together
        written = [
            ((*path, "location"), data["location"])
            for path, _, data in found
            if (*path, "location") in PLACES and isinstance(data.get("location"), str)
        ]
        raise InputError(in_order(problems + unknown_regions(document, written, table)))
    edited = Service(q, document)
    problems = against_tables(edited, table)
    if problems:
        raise InputError(problems)
    return edited


def changed_service(service: Service, assignments: list[Assignment], table: FactorTable) -> Service:
    """The service with every assignment applied, checked as the file is: set into the
    validated questionnaire and the changed sections validated (`_edited`), or, where that
    cannot be done alone, set into a copy of the file's data validated whole."""
    try:
        edited = _edited(service, assignments, table)
        if edited is not None:
            return edited
        data = copy.deepcopy(service.document.data)
        for assignment in assignments:
            _set(data, assignment)
        return service_from_document(service.document.with_data(data), table)
    except WhatIfError as error:
        raise WhatIfError("whatif.file", file=service.file, reason=error.message) from None
    except InputError as error:
        typed = " ".join(f"--what-if {a.text}" for a in assignments)
        reasons = Joined(tuple(p.message for p in error.problems))
        raise WhatIfError(
            "whatif.refused", file=service.file, typed=typed, reasons=reasons
        ) from None


@dataclass(frozen=True)
class WhatIf:
    """The user's change: the values before and after, and what it saves per criterion."""

    changes: tuple[Change, ...]
    before: dict[str, float]
    after: dict[str, float]
    effect: Saving
    #: Message keys for the service's warnings: why the change may show no effect.
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.to_dict() for c in self.changes],
            "before": self.before,
            "after": self.after,
            **self.effect.to_dict(),
        }


def _shown(q: Questionnaire, path: modelpath.Path, table: FactorTable) -> Value:
    """The value the calculation used at `path`: '1.5', or '1.56 (default)' when the file
    left it out, so a reader sees what the change is compared with, not the word 'default'."""
    try:
        parent = modelpath.get(q, path[:-1])
    except (AttributeError, IndexError):
        parent = None
    key = str(path[-1])
    if parent is not None and key in parent.given and getattr(parent, key) is not None:
        return value_at(path, getattr(parent, key))
    value = _default(q, parent, path, table)  # left out, or set back to null by a what-if
    return value_at(path, None) if value is None else value_at(path, value, default=True)


def _default(q: Questionnaire, parent: Any, path: modelpath.Path, table: FactorTable) -> Any:
    """What the calculation uses for a key the file left out (None: modelled, e.g. power):
    the answer it inherits (reference.defaults.INHERITED), else its default."""
    key = str(path[-1])
    if parent is not None and getattr(parent, key) is not None:
        return getattr(parent, key)  # the questionnaire's own default: environments 1
    inherited = defaults.INHERITED.get(modelpath.pattern(path))
    if inherited is not None:
        try:
            answer = modelpath.get(q, inherited)
        except (AttributeError, IndexError):  # a section the file left out
            answer = None
        if answer is not None:
            return answer
    found = defaults.value(modelpath.pattern(path), table)
    if found is not None:
        return found
    return _model_default(path) if parent is None else None


def _model_default(path: modelpath.Path) -> Any:
    """The questionnaire's own default for a key of a section the file left out (`path`
    names a value: check_path made sure)."""
    field = modelpath.place(models.Questionnaire, path).field
    if field is None or field.is_required():
        return None
    return field.default


def _changes(
    before: Questionnaire, after: Questionnaire, assignments: list[Assignment], table: FactorTable
) -> tuple[Change, ...]:
    return tuple(
        Change(
            dotted(a.path),
            _shown(before, a.path, table),
            _shown(after, a.path, table),
            server_name(before, a.path),
        )
        for a in assignments
    )


def _warnings(service: Service, assignments: list[Assignment]) -> tuple[str, ...]:
    """Why a change may show no effect: it describes hosting the file does not have."""
    if service.questionnaire.hosting is None and any(a.path[0] == "hosting" for a in assignments):
        return ("warning.what_if_no_hosting",)
    return ()


def what_if(
    services: list[Service], table: FactorTable, limits: Boundaries, texts: tuple[str, ...]
) -> list[WhatIf]:
    """The what-if evaluated on every service, in order (one engine pass for all)."""
    assignments = _each_path_once([parse_assignment(t) for t in texts])
    changed, refusals = [], []
    for service in services:  # every service's refusal said, not only the first one's
        try:
            changed.append(changed_service(service, assignments, table))
        except WhatIfError as error:
            refusals.append(error)
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise WhatIfRefusals(refusals)
    questionnaires = [s.questionnaire for s in services] + [c.questionnaire for c in changed]
    computed, n = totals([Variant(q) for q in questionnaires], table), len(services)
    years = np.array([s.questionnaire.period_years for s in services])
    effects = savings(computed[:n], computed[n:], years, boundary_weights(limits))
    return [
        WhatIf(
            changes=_changes(service.questionnaire, changed[i].questionnaire, assignments, table),
            before=dict(zip(CRITERION_IDS, computed[i].tolist(), strict=True)),
            after=dict(zip(CRITERION_IDS, computed[n + i].tolist(), strict=True)),
            effect=effects.row(i),
            warnings=_warnings(service, assignments),
        )
        for i, service in enumerate(services)
    ]
