"""`acvnum check FILE…`: fail a CI job when a service goes over its impact budget.

Exit 0 when every budget and baseline comparison passes, 1 when any fails, 2 on bad input.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acvnum.commands.common import (
    FactorsOption,
    ForceOption,
    Lang,
    LangOption,
    OutputOption,
    color_wanted,
    fail,
    input_errors,
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
from acvnum.exitcodes import ExitCode

if TYPE_CHECKING:
    from acvnum.budgets import CheckRun
    from acvnum.questionnaire import Budget


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"


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
ToleranceOption = Annotated[
    str,
    typer.Option("--tolerance", help="How much a per-visit value may grow over the baseline."),
]


def render(run: CheckRun, fmt: str, lang: str, color: bool) -> str:
    """Hand the run to the renderer of the chosen format (imported only when used)."""
    if fmt == "json":
        from acvnum.report import check_json

        return check_json.render(run)
    if fmt == "markdown":
        from acvnum.report import check_markdown

        return check_markdown.render(run, lang)
    if fmt == "junit":
        from acvnum.report import junit

        return junit.render(run, lang)
    from acvnum.report import check_text

    return check_text.render(run, lang, color)


def _options(budgets: list[str], tolerance: str) -> tuple[list[Budget], float]:
    """Command-line budgets and tolerance, or exit 2 naming every one that cannot be read."""
    from acvnum.budgets import BudgetSyntaxError, parse_cli_budgets, parse_tolerance

    problems: list[str] = []
    for parse, given in ((parse_cli_budgets, budgets), (parse_tolerance, tolerance)):
        try:
            parse(given)  # type: ignore[operator]
        except BudgetSyntaxError as error:
            problems.append(str(error))
    if problems:
        raise fail("\n".join(problems).replace("\n", "\nacvnum: "))
    return parse_cli_budgets(budgets), parse_tolerance(tolerance)


def _run(
    files: list[Path],
    extra: list[Budget],
    baseline: Path | None,
    tolerance: float,
    factors: Path | None,
    sampling: tuple[str, int, int] = ("central", 0, 0),
) -> CheckRun:
    """Load everything (all bad input reported before any work), evaluate, judge."""
    from acvnum.assessment import Settings, assess_services, load_services
    from acvnum.budgets import CheckRun, check_service
    from acvnum.comparison import load_json
    from acvnum.factors import load_factors

    baselines = load_json(baseline) if baseline is not None else None
    statistic, samples, seed = sampling
    settings = Settings(
        factors_file=str(factors) if factors else None,
        samples=samples if statistic != "central" else None,
        seed=seed,
    )
    table = load_factors(settings.factors_file)
    services = load_services(list(files), table)
    if baseline is None and not extra and not any(s.questionnaire.budgets for s in services):
        raise fail(
            "nothing to check: no 'budgets' section in "
            + ", ".join(s.file for s in services)
            + "; add one, or give --budget or --baseline"
        )
    results = assess_services(services, table, settings)
    alone = len(results) == 1
    checks = [
        check_service(
            r, [*s.questionnaire.budgets, *extra], baselines, tolerance, alone, statistic
        )
        for s, r in zip(services, results, strict=True)
    ]
    return CheckRun(checks, str(baseline) if baseline else None, tolerance)


def check(
    files: Files,
    budget: BudgetOption = None,
    baseline: BaselineOption = None,
    tolerance: ToleranceOption = "5%",
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: OutputOption = None,
    force: ForceOption = False,
    lang: LangOption = Lang.en,
    factors: FactorsOption = None,
    confidence: ConfidenceOption = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
) -> None:
    """Check services against their impact budgets and, optionally, a baseline result."""
    extra, limit = _options(budget or [], tolerance)
    sampling = (confidence_statistic(confidence), samples, seed)
    with input_errors(), sampling_errors():
        run = _run(files, extra, baseline, limit, factors, sampling)
    write_output(render(run, fmt.value, lang.value, color_wanted(output)), output, force)
    raise typer.Exit(ExitCode.OK if run.passed else ExitCode.BUDGET_EXCEEDED)


def register(app: typer.Typer) -> None:
    app.command()(check)
