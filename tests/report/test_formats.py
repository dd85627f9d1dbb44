"""The registry of report formats (acvnum.report.formats): every command offers exactly its
document's formats, in its order, renders each through it, and loads only the chosen one."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import EXAMPLES, after_estimate, run_cli

from acvnum.report import formats
from acvnum.report.formats import FORMATS, ReportFormat

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")

#: Per document, the command that writes it, run on an example (ecommerce's budgets pass).
COMMANDS = {
    "services": ("estimate", ECOMMERCE),
    "check": ("check", ECOMMERCE),
    "diff": ("diff", ECOMMERCE, str(EXAMPLES / "webmail.yaml")),
    "method": ("method",),
    "factors": ("factors", "--kind", "video"),
}

EVERY_FORMAT = [
    (document, entry.name) for document, entries in FORMATS.items() for entry in entries
]


def _looks_like(name: str, output: str) -> bool:
    """Whether `output` is in format `name`: each format has a sign the others lack."""
    if name == "json":
        return isinstance(json.loads(output), dict)
    if name in ("csv", "csv-long"):
        header = output.splitlines()[0].split(",")
        return header[0] == "service" and ("tier" in header) == (name == "csv-long")
    if name == "markdown":
        return output.startswith("#")
    if name == "html":
        return output.startswith("<!DOCTYPE html>")
    if name == "junit":
        return ET.fromstring(output).tag == "testsuites"
    return name == "text" and output.strip() != "" and not output.startswith(("{", "#", "<"))


def test_every_document_has_a_command():
    assert set(COMMANDS) == set(FORMATS)


@pytest.mark.parametrize(("document", "name"), EVERY_FORMAT)
def test_each_command_renders_each_of_its_formats(document, name):
    result = run_cli(*COMMANDS[document], "--format", name)
    assert result.returncode == 0, result.stderr
    assert _looks_like(name, result.stdout), result.stdout[:200]


@pytest.mark.parametrize("document", FORMATS)
def test_help_lists_the_registry_s_formats_in_order(document):
    result = run_cli(COMMANDS[document][0], "--help")
    (choices,) = re.findall(r"--format <([^>]+)>", result.stdout)
    assert choices.split("|") == [entry.name for entry in FORMATS[document]]


@pytest.mark.parametrize("document", FORMATS)
def test_a_format_the_command_has_not_is_refused(document):
    """With typer's words, as before the registry (exit 2, its choices in order)."""
    own = [entry.name for entry in FORMATS[document]]
    other = next(e.name for es in FORMATS.values() for e in es if e.name not in own)
    result = run_cli(*COMMANDS[document], "--format", other)
    choices = ", ".join(f"'{name}'" for name in own)
    assert result.returncode == 2
    assert (
        f"Invalid value for '--format' / '-f': '{other}' is not a choice; choose one of "
        f"{choices}." in result.stderr
    ), result.stderr


def test_the_enum_has_the_registry_s_names_in_order():
    enum = formats.format_enum("services", __name__)
    assert [member.value for member in enum] == [e.name for e in FORMATS["services"]]
    assert enum.csv_long == "csv-long" and enum("html") is enum.html
    assert enum.__module__ == __name__


def _probe(*subject: object, **context: object) -> str:
    """A renderer that says what it was given."""
    return repr((subject, sorted(context.items())))


@pytest.fixture
def probe(monkeypatch):
    """A document whose formats' renderer is _probe, taking each a part of the context."""
    entries = (
        ReportFormat("bare", __name__, "_probe"),
        ReportFormat("worded", __name__, "_probe", ("lang", "details")),
        ReportFormat("laid-out", __name__, "_probe", ("color", "width")),
    )
    monkeypatch.setitem(FORMATS, "probe", entries)
    monkeypatch.setenv("COLUMNS", "100")


def test_a_renderer_gets_the_subject_and_only_what_it_takes(probe):
    given = {"lang": "fr", "color": True, "details": True}
    assert formats.render("probe", "bare", 1, "b", **given) == repr(((1, "b"), []))
    worded = formats.render("probe", "worded", 1, **given)
    assert worded == repr(((1,), [("details", True), ("lang", "fr")]))
    laid_out = formats.render("probe", "laid-out", **given)
    assert laid_out == repr(((), [("color", True), ("width", 100)]))  # the terminal's


def test_a_name_the_document_has_not_is_a_programming_error(probe):
    with pytest.raises(ValueError, match="probe has no format 'text' "):
        formats.render("probe", "text")


@pytest.mark.parametrize("name", [entry.name for entry in FORMATS["services"]])
def test_an_estimate_loads_only_its_format_s_renderer(name):
    """Start-up (issue 9): of the report's renderers, only the chosen one is imported (the
    HTML also loads the methodology it carries as an appendix: not a report format)."""
    renderers = sorted({e.module for e in FORMATS["services"]})
    loaded = after_estimate(f"[m for m in {renderers!r} if m in sys.modules]", ECOMMERCE, name)
    (chosen,) = [e.module for e in FORMATS["services"] if e.name == name]
    assert loaded == repr([chosen])
