"""The Python API for notebooks and scripts: `acvnum.estimate(...)` -> an Assessment.

The same run as `acvnum estimate`, with the CLI's defaults; `.to_dict()` gives the result
JSON (docs/json.md) as data. Bad input raises acvnum.errors.InputError, whose message lists
every problem as file:line:column (a questionnaire given as a dict is named `<dict N>`).
"""

from __future__ import annotations

import copy
import numbers
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acvnum.assessment import Assessment, Settings, assess_services
from acvnum.errors import (
    BudgetSyntaxError,
    InputError,
    Problem,
    TooManySamples,
    WhatIfError,
    message,
)
from acvnum.questionnaire.rules import NETWORK_MODELS
from acvnum.questionnaire.service import Service, expand_names, load_files, service_from_document
from acvnum.questionnaire.yaml_reader import MAX_DEPTH, Document
from acvnum.reference.boundaries import POPULATIONS
from acvnum.reference.factors import FactorTable, load_factors

if TYPE_CHECKING:
    from acvnum.questionnaire.records import Budget

Questionnaire = str | Path | Mapping[str, Any]
#: Monte Carlo samples when `uncertainty=True` (as the CLI's --samples default), and the
#: bounds of a number given instead (as --samples takes: commands/sampling.py).
DEFAULT_SAMPLES = 10_000
MIN_SAMPLES, MAX_SAMPLES = 100, 1_000_000
DEFAULT_LEVERS = 5


def _inputs(given: Questionnaire | Sequence[Questionnaire]) -> list[Questionnaire]:
    """One questionnaire, or the items of a list or any iterable of them (Path.glob's)."""
    if isinstance(given, str | Path | Mapping):
        return [given]
    if isinstance(given, Iterable) and not isinstance(given, bytes | bytearray):
        return list(given)
    raise InputError([_not_a_questionnaire("<questionnaires>", given)])


def _not_a_questionnaire(name: str, given: object) -> Problem:
    return Problem(name, 1, 1, message("api.questionnaire", value=reprlib.repr(given)))


def _services(inputs: list[Questionnaire], table: FactorTable) -> list[Service]:
    """Files (a folder stands for its YAML files) and dicts, every problem gathered first."""
    services, problems = [], []
    for i, item in enumerate(inputs):
        try:
            if isinstance(item, Mapping):
                if _deeper_than(item, MAX_DEPTH):
                    too_deep = message("yaml.too_deep", depth=MAX_DEPTH)
                    raise InputError([Problem(f"<dict {i}>", 1, 1, too_deep)])
                document = Document(f"<dict {i}>", copy.deepcopy(dict(item)))
                services.append(service_from_document(document, table))
            elif item == "":  # Path("") is the current folder: not what an unset name meant
                raise InputError([Problem(f"<path {i}>", 1, 1, message("load.empty_path"))])
            elif isinstance(item, str | Path):
                services += load_files(expand_names([item]), table)  # all of a folder's problems
            else:  # (bytes, None, a number: not read as a path)
                raise InputError([_not_a_questionnaire(f"<questionnaire {i}>", item)])
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return services


def _deeper_than(data: Any, depth: int) -> bool:
    """Whether mappings and lists nest more than `depth` levels: a dict holding itself would
    send every walk of the data into a RecursionError (a file's nesting is bounded on reading)."""
    if depth < 0:
        return True
    if isinstance(data, Mapping):
        return any(_deeper_than(value, depth - 1) for value in data.values())
    if isinstance(data, list | tuple):
        return any(_deeper_than(value, depth - 1) for value in data)
    return False


def estimate(
    questionnaire: Questionnaire | Sequence[Questionnaire],
    *,
    factors: str | Path | None = None,
    population: str = "current",
    uncertainty: bool | int = False,
    seed: int = 0,
    levers: int = DEFAULT_LEVERS,
    what_if: Sequence[str] = (),
    network_model: str | None = None,
    budgets: bool | Sequence[str] | None = False,
) -> Assessment:
    """Assess one questionnaire or several: a YAML file, a folder of them, a dict of the
    questionnaire's data (as the YAML would give), or a list of those.

    `uncertainty` True draws DEFAULT_SAMPLES samples, a number that many; `what_if` takes
    'path=value' changes as --what-if does; `network_model` ('per_gb', 'energy', 'power')
    overrides every file's as --network-model does. `budgets` True judges each
    questionnaire's own budgets, as `acvnum check` does; a list of 'criterion<=limit/per'
    texts (as --budget takes) adds those to every service's. Iterate the assessment for one
    ServiceResult per service; `.budgets` holds the outcomes and `.within_budgets` says
    whether all passed; `.to_dict()` is the document `acvnum estimate --format json` writes
    (with the budgets' outcomes when judged, as `acvnum check --format json` does).
    A keyword's value the CLI's option would refuse (levers=-1, population='x', 10**9
    samples, what_if=['nokey=1']) raises InputError naming the keyword: `<levers>:1:1: ...`,
    `<what_if 0>:1:1: ...`; a what-if questionnaires refuse (usage.users=-1), `<what_if>`
    once per questionnaire; more samples than can be kept for so many services, `<uncertainty>`.
    """
    changes = (what_if,) if isinstance(what_if, str) else tuple(what_if)  # one, as budgets
    _check_options(population, uncertainty, seed, levers, changes, network_model)
    settings = Settings(
        factors_file=str(factors) if factors else None,
        population=population,
        samples=(DEFAULT_SAMPLES if uncertainty is True else int(uncertainty)) or None,
        seed=seed,
        levers=levers,
        what_if=changes,
        network_model=network_model,
        budgets=_budgets(budgets),
    )
    inputs = _inputs(questionnaire)
    if not inputs:
        raise InputError([Problem("<questionnaires>", 1, 1, message("load.no_questionnaire"))])
    table = load_factors(settings.factors_file)
    services = _services(inputs, table)
    try:
        return assess_services(services, table, settings)
    except WhatIfError as error:  # a value questionnaires refuse ('usage.users=-1'): each one's
        raise InputError([Problem("<what_if>", 1, 1, m) for m in error.messages]) from None
    except TooManySamples as error:  # within the bounds, but too many for so many services
        refusal = message("api.too_many_samples", reason=error.message)
        raise InputError([Problem("<uncertainty>", 1, 1, refusal)]) from None


def _check_options(
    population: object,
    uncertainty: object,
    seed: object,
    levers: object,
    what_if: tuple[object, ...],
    network_model: object,
) -> None:
    """The keywords' values within what the CLI's options take, or an InputError naming each
    keyword refused (`<levers>:1:1: ...`): a bad value would otherwise fail deep in the
    analyses (a KeyError, a numpy error), or take memory without bound (10**9 samples)."""
    problems = [
        *_whole("levers", levers, 0),
        *_whole("seed", seed, 0),
        *_choice("population", population, POPULATIONS),
        *([] if network_model is None else _choice("network_model", network_model, NETWORK_MODELS)),
    ]
    off = isinstance(uncertainty, bool) or (_is_whole(uncertainty) and uncertainty == 0)
    if not off:  # (True: DEFAULT_SAMPLES)
        problems += _whole("uncertainty", uncertainty, MIN_SAMPLES, MAX_SAMPLES)
    problems += _what_if_problems(what_if)
    if problems:
        raise InputError(problems)


def _what_if_problems(what_if: tuple[object, ...]) -> list[Problem]:
    """Each what-if text that --what-if would refuse before any file is read (not text, no
    path=value, an unknown key), at `<what_if N>`."""
    problems = []
    for i, change in enumerate(what_if):
        if not isinstance(change, str):
            refusal = message("api.text", value=reprlib.repr(change))
            problems.append(Problem(f"<what_if {i}>", 1, 1, refusal))
            continue
        # Imported when a what-if is given: it checks paths against the models.
        from acvnum.analysis.whatif import parse_assignment

        try:
            parse_assignment(change)
        except WhatIfError as error:
            problems.append(Problem(f"<what_if {i}>", 1, 1, error.message))
    return problems


def _is_whole(value: object) -> bool:
    """An int or numpy integer, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _whole(keyword: str, value: object, least: int, most: int | None = None) -> list[Problem]:
    """[] if `value` is a whole number from `least` to `most`, else the problem."""
    if _is_whole(value) and value >= least and (most is None or value <= most):  # type: ignore[operator]
        return []
    refusal = (
        message("api.whole_number", least=least, value=reprlib.repr(value))
        if most is None
        else message("api.whole_number_between", least=least, most=most, value=reprlib.repr(value))
    )
    return [Problem(f"<{keyword}>", 1, 1, refusal)]


def _choice(keyword: str, value: object, choices: Sequence[str]) -> list[Problem]:
    """[] if `value` is one of `choices`, else the problem."""
    if value in choices:
        return []
    listed = ", ".join(repr(c) for c in choices)
    refusal = message("api.choice", value=reprlib.repr(value), choices=listed)
    return [Problem(f"<{keyword}>", 1, 1, refusal)]


def _budgets(given: bool | Sequence[str] | None) -> tuple[Budget, ...] | None:
    """The run's budgets besides the questionnaires' own (None: budgets are not judged, as
    for False or None); a text that cannot be read is an InputError named `<budget N>`."""
    if given is None or isinstance(given, bool):
        return () if given else None
    # Imported when budgets are given: the budget syntax is not needed otherwise.
    from acvnum.analysis.budgets import parse_cli_budget

    budgets, problems = [], []
    for i, text in enumerate([given] if isinstance(given, str) else given):
        if not isinstance(text, str):
            not_text = message("api.text", value=reprlib.repr(text))
            problems.append(Problem(f"<budget {i}>", 1, 1, not_text))
            continue
        try:
            budgets.append(parse_cli_budget(text))
        except BudgetSyntaxError as error:
            problems.append(Problem(f"<budget {i}>", 1, 1, error.message))
    if problems:
        raise InputError(problems)
    return tuple(budgets)
