"""`acvnum check FILE…`: fail a CI job when a service goes over its impact budget.

Exit 0 when every budget and baseline comparison passes, 1 when any fails, 2 on bad input.
"""

from __future__ import annotations

import sys
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
    fail,
    input_errors,
    language,
    network_model,
    speak,
    spoken,
    write_output,
)
from acvnum.commands.sampling import (
    DEFAULT_SAMPLES,
    ConfidenceOption,
    SamplesOption,
    SeedOption,
    confidence_statistic,
    sampling_errors,
)
from acvnum.errors import BudgetSyntaxError, ExitCode, Joined, Message, message
from acvnum.escaping import terminal_line
from acvnum.questionnaire.units import decimal_comma
from acvnum.report import formats

if TYPE_CHECKING:
    from acvnum.analysis.checks import CheckRun
    from acvnum.analysis.comparison import Snapshot
    from acvnum.questionnaire.records import Budget
    from acvnum.questionnaire.service import Service


Format = formats.format_enum("check", __name__)

Files = Annotated[
    list[Path], typer.Argument(help="Questionnaire YAML files, or directories of them.")
]
BudgetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--budget",
        "-b",
        help="A budget added to every file's, e.g. 'climate_change<=2g/visit' or "
        "'all<=1%boundary/user'. Repeatable.",
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option("--baseline", help="A result of `acvnum estimate --format json` to compare with."),
]
#: For hooks that see every questionnaire a commit touches, those without budgets included.
NoBudgetsOption = Annotated[
    bool,
    typer.Option(
        "--pass-without-budgets",
        help="When no file has budgets (and no --budget or --baseline), say so and exit 0 "
        "instead of 2.",
    ),
]
ToleranceOption = Annotated[
    str,
    typer.Option("--tolerance", help="How much a per-visit value may grow over the baseline."),
]


def _options(budgets: list[str], tolerance: str) -> tuple[list[Budget], float]:
    """Command-line budgets and tolerance, or exit 2 naming every one that cannot be read."""
    # Imported here, as the engine in `_run`: `check --help` loads none of it
    from acvnum.analysis.budgets import parse_cli_budgets, parse_tolerance

    problems: list[Message] = []
    for parse, given in ((parse_cli_budgets, budgets), (parse_tolerance, tolerance)):
        try:
            parse(given)  # type: ignore[operator]
        except BudgetSyntaxError as error:
            lines = dict(error.message.args).get("lines")  # several --budget, one a line
            problems += lines.items if isinstance(lines, Joined) else [error.message]
    if problems:  # one line each, every one after the first prefixed as fail() does the first
        every = message("budget.cli.lines", lines=Joined(tuple(problems), "\nacvnum: "))
        raise fail(every, code=BudgetSyntaxError.exit_code)
    return parse_cli_budgets(budgets), parse_tolerance(tolerance)


def _nothing_to_check(services: list[Service]) -> typer.Exit:
    files = ", ".join(s.file for s in services)
    return fail(message("check.nothing", files=files))


def _nothing_to_check_note(services: list[Service]) -> typer.Exit:
    """--pass-without-budgets: a note on stderr, and a pass (a hook must not block the commit)."""
    files = ", ".join(s.file for s in services)
    note = message("check.nothing_note", files=files).render(spoken())
    sys.stderr.write(terminal_line(f"acvnum: {note}") + "\n")
    return typer.Exit(ExitCode.OK)


def _baselines(baseline: Path | None, services: list[Service]) -> list[Snapshot | None]:
    """Each service's baseline (None each when no --baseline), or bad input when one has none."""
    # Imported here, as the engine in `_run`: `check --help` loads none of it
    from acvnum.analysis.budgets import pick_baselines
    from acvnum.analysis.comparison import load_json
    from acvnum.reference.criteria import REFERENCE_IDS

    if baseline is None:
        return [None] * len(services)
    names = [s.questionnaire.name for s in services]
    # A baseline recorded before water use and fossil resources were criteria is still a
    # baseline: they are compared when it has them (acvnum.analysis.comparison.compare).
    required = (*REFERENCE_IDS, "energy")
    baselines = load_json(baseline, by_name=True)
    return list(pick_baselines(baselines, names, required, str(baseline)))


def _run(
    files: list[Path],
    extra: list[Budget],
    baseline: Path | None,
    tolerance: float,
    factors: Path | None,
    sampling: tuple[str, int, int] = ("central", 0, 0),
    pass_without_budgets: bool = False,
    network: str | None = None,
) -> CheckRun:
    """Load everything (all bad input reported before any work), evaluate, judge.

    A file without budgets among others is reported as having none; only when no file has
    budgets and neither --budget nor --baseline is given is there nothing to check (exit 2,
    or 0 with a note when `pass_without_budgets`).
    """
    # Imported here: the engine (numpy, the models) loads when a check runs, not for its help
    from acvnum.analysis.checks import CheckRun, check_service
    from acvnum.assessment import Settings, assess_services
    from acvnum.questionnaire.service import load_services
    from acvnum.reference.factors import load_factors

    statistic, samples, seed = sampling
    settings = Settings(
        factors_file=str(factors) if factors else None,
        samples=samples if statistic != "central" else None,
        seed=seed,
        network_model=network,
        budgets=tuple(extra),
        budget_statistic=statistic,
    )
    table = load_factors(settings.factors_file)
    services = load_services(list(files), table)
    if baseline is None and not extra and not any(s.questionnaire.budgets for s in services):
        if pass_without_budgets:
            raise _nothing_to_check_note(services)
        raise _nothing_to_check(services)
    bases = _baselines(baseline, services)
    assessed = assess_services(services, table, settings).services()
    checks = [
        check_service(result, found, base, tolerance)
        for (result, found), base in zip(assessed, bases, strict=True)
    ]
    return CheckRun(checks, str(baseline) if baseline else None, tolerance, statistic)


def _warn_renamed(run: CheckRun, shown_in_report: bool) -> None:
    """A baseline whose only service has another name is still compared, but said so on
    stderr when the report itself does not say it where the user looks."""
    if shown_in_report:
        return
    for check in run.services:
        if check.baseline_name is not None:
            warning = message(
                "check.renamed_warning",
                name=check.result.name,
                baseline=check.baseline_name,
                file=run.baseline_file,
            )
            sys.stderr.write(terminal_line(f"acvnum: {warning.render(spoken())}") + "\n")


def check(
    files: Files,
    budget: BudgetOption = None,
    baseline: BaselineOption = None,
    tolerance: ToleranceOption = "5%",
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: OutputOption = None,
    force: ForceOption = False,
    lang: LangOption = None,
    factors: FactorsOption = None,
    confidence: ConfidenceOption = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    pass_without_budgets: NoBudgetsOption = False,
    network: NetworkModelOption = None,
) -> None:
    """Check services against their impact budgets and, optionally, a baseline result.

    A file without budgets among others is reported as having none; with no budgets in any
    file and neither --budget nor --baseline there is nothing to check (exit 2, or 0 with a
    note given --pass-without-budgets, as the pre-commit hook does).
    """
    code = language(lang)
    speak(code)
    # The options read numbers as the questionnaires and --what-if do: '2,5' is 2.5 in French
    # (and a comma between digits is refused in English, saying so).
    with decimal_comma(code == "fr"):
        extra, limit = _options(budget or [], tolerance)
        sampling = (confidence_statistic(confidence), samples, seed)
    with decimal_comma(code == "fr"), input_errors(code), sampling_errors():
        run = _run(
            files,
            extra,
            baseline,
            limit,
            factors,
            sampling,
            pass_without_budgets,
            network_model(network),
        )
    _warn_renamed(run, shown_in_report=output is None and fmt in (Format.text, Format.markdown))
    report = formats.render("check", fmt, run, lang=language(lang), color=color_wanted(output))
    write_output(report, output, force)
    raise typer.Exit(ExitCode.OK if run.passed else ExitCode.BUDGET_EXCEEDED)


def register(app: typer.Typer) -> None:
    app.command()(check)
