"""Options shared by the commands that can sample uncertainty (estimate, check)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from acvnum.commands.common import fail
from acvnum.errors import TooManySamples, UnitError, message
from acvnum.escaping import shorten
from acvnum.questionnaire.units import parse_fraction

UncertaintyOption = Annotated[
    bool,
    typer.Option(
        "--uncertainty",
        help="Propagate the factors' ranges (and questionnaire ranges): p5, p50, p95.",
    ),
]
SamplesOption = Annotated[
    int,
    typer.Option("--samples", min=100, max=1_000_000, help="Monte Carlo samples."),
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Seed of the random draws: same seed, same report.")
]
DEFAULT_SAMPLES = 10_000  # analysis.uncertainty.DEFAULT_SAMPLES, not imported: numpy stays lazy


def samples_setting(uncertainty: bool, samples: int) -> int | None:
    """The number of samples to draw, or None when uncertainty is off."""
    return samples if uncertainty else None


@contextmanager
def sampling_errors() -> Iterator[None]:
    """A run too large to keep in memory is a usage problem: exit 2 with what to change."""
    try:
        yield
    except TooManySamples as error:
        too_many = message("sampling.too_many", reason=error.message)
        raise fail(too_many, code=error.exit_code) from None


ConfidenceOption = Annotated[
    str | None,
    typer.Option(
        "--confidence",
        help="Judge budgets on a sampled percentile instead of the central value: "
        "95% or 0.95 (the 95th percentile), 50% or 0.5 (the median). Samples the uncertainty.",
    ),
]
#: The confidence levels a budget can be judged at (as fractions), and the percentile each reads.
CONFIDENCE_LEVELS = {0.95: "p95", 0.5: "p50"}


def confidence_statistic(confidence: str | None) -> str:
    """'95%' or 0.95 -> 'p95', as fractions are written everywhere else; None -> 'central';
    anything else is a usage error (exit 2)."""
    if confidence is None:
        return "central"
    try:
        level = parse_fraction(confidence.strip())
    except UnitError:
        level = None
    statistic = next(
        (s for f, s in CONFIDENCE_LEVELS.items() if level is not None and abs(level - f) < 1e-9),
        None,
    )
    if statistic is None:
        known = tuple(message("sampling.level", share=f) for f in CONFIDENCE_LEVELS)
        raise fail(message("sampling.confidence", value=repr(shorten(confidence)), known=known))
    return statistic
