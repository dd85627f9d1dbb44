"""`acvnum estimate FILE…`: the footprint report."""

from __future__ import annotations

from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    write_chunks,
    write_output,
)
from acvnum.commands.levers_options import (
    DEFAULT_LEVERS,
    LeversOption,
    WhatIfOption,
    what_if_errors,
)
from acvnum.commands.read_ahead import reading_ahead
from acvnum.commands.sampling import (
    DEFAULT_SAMPLES,
    SamplesOption,
    SeedOption,
    UncertaintyOption,
    samples_setting,
    sampling_errors,
)
from acvnum.questionnaire.units import decimal_comma
from acvnum.report import formats

Format = formats.format_enum("services", __name__)


class Population(StrEnum):
    current = "current"
    sala2010 = "sala2010"


Files = Annotated[
    list[Path], typer.Argument(help="Questionnaire YAML files, or directories of them.")
]
PopulationOption = Annotated[
    Population,
    typer.Option(
        "--population",
        help="Who shares the planetary boundaries: current (8.0 bn) or sala2010 (6.916 bn).",
    ),
]


DetailsOption = Annotated[
    bool,
    typer.Option(
        "--details",
        help="Text report: add each lever's figures, the assumptions and their sources "
        "(and, for several files, each service's report). Other formats always have them.",
    ),
]


def render(services: list, fmt: str, lang: str, color: bool, details: bool = False) -> str:
    """Hand the results, each with what the analyses found about it (`Assessment.services()`),
    to the renderer of the chosen format (see acvnum.report.formats)."""
    return formats.render("services", fmt, services, lang=lang, color=color, details=details)


def estimate(
    files: Files,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: OutputOption = None,
    force: ForceOption = False,
    lang: LangOption = None,
    factors: FactorsOption = None,
    population: PopulationOption = Population.current,
    uncertainty: UncertaintyOption = False,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    levers: LeversOption = DEFAULT_LEVERS,
    what_if: WhatIfOption = None,
    network: NetworkModelOption = None,
    details: DetailsOption = False,
) -> None:
    """Estimate the footprint of one or more services."""
    # Before the engine's imports: a folder's files are read meanwhile (see read_ahead).
    with reading_ahead(files, fmt is Format.json and not uncertainty) as ahead:
        from acvnum.assessment import Settings, assess  # the engine: after reading_ahead starts

        code = language(lang)
        speak(code)
        with decimal_comma(code == "fr"), input_errors(code), sampling_errors(), what_if_errors():
            settings = Settings(
                factors_file=str(factors) if factors else None,
                population=population.value,
                samples=samples_setting(uncertainty, samples),
                seed=seed,
                levers=levers,
                what_if=tuple(what_if or ()),
                network_model=network_model(network),
            )
            if fmt is Format.json and settings.samples is None:
                # A folder of 10,000 is assessed and written in batches, never held whole,
                # by worker processes when it is large (imported here: only this format
                # uses it).
                from acvnum.commands import json_folder

                # Closed here, whatever happens: a failed write stops the workers now, not
                # when the generator happens to be collected.
                with closing(json_folder.stream(list(files), settings, ahead)) as chunks:
                    write_chunks(chunks, output, force)
                return
            services = assess(list(files), settings).services()
    report = render(services, fmt.value, language(lang), color_wanted(output), details)
    write_output(report, output, force)


def register(app: typer.Typer) -> None:
    app.command()(estimate)
