"""Every report format, per document a command writes, and the function that renders it.

A format is data: its name, in the order `--help` lists it, and its renderer named as
module and function, imported only when that format is chosen (`estimate --format json`
never loads the text, Markdown, CSV or HTML renderers: start-up time is a feature). The
renderers take what they need from one context (lang, color, width, details); each entry
says which, so that none needs an adapter to ignore the rest.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class ReportFormat:
    """One format of a document: `module.function(*subject, **context)` renders it."""

    name: str
    module: str
    function: str
    #: What the renderer takes of the context, by keyword: lang, color, width, details.
    takes: tuple[str, ...] = ()


_TEXT = ("lang", "color", "width")

#: Per document, its formats in the order the command's --help lists them (the first is the
#: default). services: `acvnum estimate`; check: the check run; diff: A beside B; method:
#: the methodology; factors: the factor tables (list, show or coverage).
FORMATS: dict[str, tuple[ReportFormat, ...]] = {
    "services": (
        ReportFormat("text", "acvnum.report.text", "render", (*_TEXT, "details")),
        ReportFormat("json", "acvnum.report.json_format", "render"),
        ReportFormat("csv", "acvnum.report.csv_format", "render"),
        ReportFormat("csv-long", "acvnum.report.csv_format", "render_long"),
        ReportFormat("markdown", "acvnum.report.markdown", "render", ("lang",)),
        ReportFormat("html", "acvnum.report.html", "render", ("lang",)),
    ),
    "check": (
        ReportFormat("text", "acvnum.report.check_text", "render", _TEXT),
        ReportFormat("json", "acvnum.report.check_json", "render"),
        ReportFormat("markdown", "acvnum.report.check_markdown", "render", ("lang",)),
        ReportFormat("junit", "acvnum.report.junit", "render", ("lang",)),
    ),
    "diff": (
        ReportFormat("text", "acvnum.report.diff_format", "render_text", _TEXT),
        ReportFormat("json", "acvnum.report.diff_format", "render_json"),
        ReportFormat("markdown", "acvnum.report.diff_format", "render_markdown", ("lang",)),
    ),
    "method": (
        ReportFormat("text", "acvnum.report.methodology", "terminal", ("width", "lang")),
        ReportFormat("markdown", "acvnum.report.methodology", "text", ("lang",)),
    ),
    "factors": (
        ReportFormat("text", "acvnum.report.factors_format", "render_text", ("lang", "width")),
        ReportFormat("json", "acvnum.report.factors_format", "render_json"),
    ),
}


def format_enum(document: str, module: str) -> type[StrEnum]:
    """The `--format` choices of the command writing `document`, as typer wants them: a
    StrEnum whose values are the registry's names, in its order ('csv-long' is `csv_long`).
    `module` is the command's, where the enum is bound (for its repr and pickling)."""
    names = [(entry.name.replace("-", "_"), entry.name) for entry in FORMATS[document]]
    return StrEnum("Format", names, module=module)  # type: ignore[return-value]


def find(document: str, name: str) -> ReportFormat:
    """The entry of `document` named `name`; a name the document has not is a programming
    error (the command's enum only lets through the registry's names)."""
    for entry in FORMATS[document]:
        if entry.name == name:
            return entry
    choices = ", ".join(entry.name for entry in FORMATS[document])
    raise ValueError(f"{document} has no format {name!r} (it has {choices})")


def render(
    document: str,
    name: str,
    *subject: Any,
    lang: str = "en",
    color: bool = False,
    details: bool = False,
) -> str:
    """`subject` (the renderer's positional arguments) in format `name` of `document`, the
    renderer given the part of the context it takes."""
    entry = find(document, name)
    context: dict[str, Any] = {"lang": lang, "color": color, "details": details}
    if "width" in entry.takes:
        # imported here, with rich: only a report laid out for the terminal has a width
        from acvnum.report.text import report_width

        context["width"] = report_width()
    renderer = getattr(importlib.import_module(entry.module), entry.function)
    return renderer(*subject, **{key: context[key] for key in entry.takes})
