"""`acvnum diff A B`: two scenarios side by side, per criterion and per tier.

A and B are questionnaires or result JSON files (`acvnum estimate --format json`), in any
mix; questionnaires are evaluated together in one pass of the engine.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acvnum.commands.common import (
    FactorsOption,
    ForceOption,
    LangOption,
    NetworkModelOption,
    OutputOption,
    color_wanted,
    input_errors,
    language,
    network_model,
    speak,
    spoken,
    write_output,
)
from acvnum.errors import InputError, Problem, message
from acvnum.questionnaire.units import decimal_comma
from acvnum.report import formats

if TYPE_CHECKING:
    from acvnum.analysis.comparison import Snapshot


Format = formats.format_enum("diff", __name__)


class Per(StrEnum):
    total = "total"
    visit = "visit"
    user = "user"


Side = Annotated[Path, typer.Argument(help="A questionnaire (YAML) or a result JSON.")]


def _is_result(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _one(snapshots: list[Snapshot], path: Path) -> Snapshot:
    if len(snapshots) != 1:
        several = message("diff.several", count=len(snapshots))
        raise InputError([Problem(str(path), 1, 1, several)])
    return snapshots[0]


def _identity(path: Path) -> Path:
    """Which file a path names, to load a file given twice once: resolved, or as written
    when it cannot be (a link loop raised RuntimeError out of `diff`; reading it says why)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def snapshots(
    paths: list[Path], factors: Path | None, network: str | None = None
) -> list[Snapshot]:
    """Each path as a snapshot; all questionnaires in one engine pass, all problems at once.

    `network` (--network-model) applies to the questionnaires; a result JSON keeps the
    allocation it was computed with (its assumptions name it)."""
    # Imported here: the engine (numpy, the models) loads when a diff runs, not for its help
    from acvnum.analysis.comparison import from_result, load_json
    from acvnum.assessment import Settings, assess_services
    from acvnum.questionnaire.service import load_services
    from acvnum.reference.factors import load_factors

    found: dict[Path, Snapshot] = {}
    problems = [
        Problem(str(p), 1, 1, "is a directory; diff compares two files")
        for p in paths
        if p.is_dir()
    ]
    paths = [p for p in paths if not p.is_dir()]
    # The InputErrors caught below are gathered, not reported: one InputError holding every
    # file's problems reaches `diff`'s input_errors, the one handler, which shows them all
    # and ends with its exit code (handling each here would end the run at the first file).
    for path in (p for p in paths if _is_result(p)):
        try:
            found[path] = _one(load_json(path), path)
        except InputError as error:
            problems += error.problems
    # One file given twice (`diff a.yaml ./a.yaml`) is loaded once, as load_services does.
    first = {_identity(p): p for p in reversed(paths) if not _is_result(p)}
    questionnaires = list(reversed(first.values()))
    if questionnaires:
        settings = Settings(factors_file=str(factors) if factors else None, network_model=network)
        table = load_factors(settings.factors_file)
        try:
            services = load_services(list(questionnaires), table)
        except InputError as error:
            raise InputError(problems + error.problems) from None
        results = assess_services(services, table, settings)
        found |= {path: from_result(r) for path, r in zip(questionnaires, results, strict=True)}
    if problems:
        raise InputError(problems)
    return [found[p if _is_result(p) else first[_identity(p)]] for p in paths]


def diff(
    a: Side,
    b: Side,
    per: Annotated[
        Per, typer.Option("--per", help="Compare totals over the period, per visit or per user.")
    ] = Per.total,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: OutputOption = None,
    force: ForceOption = False,
    lang: LangOption = None,
    factors: FactorsOption = None,
    network: NetworkModelOption = None,
) -> None:
    """Compare two scenarios (questionnaires or result JSON files) per criterion and tier."""
    code = language(lang)
    speak(code)
    with decimal_comma(code == "fr"), input_errors(code):
        first, second = snapshots([a, b], factors, network_model(network))
    _warn_periods(first, second, per.value, shown=fmt != Format.json and output is None)
    color = color_wanted(output)
    report = formats.render("diff", fmt, first, second, per.value, lang=language(lang), color=color)
    write_output(report, output, force)


def _warn_periods(a: Snapshot, b: Snapshot, per: str, shown: bool) -> None:
    """Text and Markdown say it in the report; JSON, or a report sent to a file, on stderr
    too, so that whoever runs the command sees it."""
    from acvnum.analysis.comparison import periods_differ  # loaded by `snapshots` already

    if not shown and per == "total" and periods_differ(a, b):
        warning = message("diff.periods_warning").render(spoken())
        sys.stderr.write(f"acvnum: {warning}\n")


def register(app: typer.Typer) -> None:
    app.command()(diff)
