"""Everything that goes to a terminal fits it and loses nothing: every example, every command
that prints for a reader, at 80 and 120 columns, in both languages. No line is wider than
the terminal, nothing is cut with an ellipsis, and what a cell holds (figures, source keys,
factor ids, service names) is there whole: a layout that lacks room folds, never crops."""

from functools import cache

import pytest
from conftest import EXAMPLES, ROOT, assert_golden, run_cli

from acvnum.assessment import Settings, assess
from acvnum.i18n import Translator
from acvnum.reference.factors import load_factors
from acvnum.report.common import boundary_rows, cited, impact_rows, source_cell

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
#: Ranges widen the assumptions' value column ('1.5 MB..4.5 MB (central 2.6 MB)').
RANGES = ROOT / "tests" / "inputs" / "ranges.yaml"
WIDTHS = (80, 120)
LANGS = ("en", "fr")


def _shown(args: tuple[str, ...], width: int, lang: str) -> str:
    env = {"COLUMNS": str(width), "LANG": "fr_FR.UTF-8" if lang == "fr" else "C.UTF-8"}
    result = run_cli(*args, env=env)
    assert result.returncode in (0, 1), result.stderr  # check: 1 is a budget exceeded
    return result.stdout


def _fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert lines, "nothing printed"
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, too_wide[:3]
    cut = [line for line in lines if "…" in line]
    assert not cut, cut[:3]


def _whole(text: str, expected: list[str]) -> None:
    """Each expected string on one line, unbroken (a fold would split it)."""
    missing = [item for item in expected if item not in text]
    assert not missing, missing[:5]


@cache
def _service(path: str):
    """The result and what the analyses found (its levers cite sources too)."""
    (service,) = assess([path], Settings()).services()
    return service


def _result(path: str):
    return _service(path).result


def _figures(path: str, lang: str) -> list[str]:
    """The impacts' and boundaries' figures the report shows for this service."""
    t, result = Translator(lang), _result(path)
    figures = [cell for row in impact_rows(result, t) for cell in row[2:]]
    return figures + [cell for row in boundary_rows(result, t) for cell in row[2:]]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("details", [False, True], ids=["summary", "details"])
@pytest.mark.parametrize("path", [*EXAMPLE_FILES, RANGES], ids=lambda p: p.stem)
def test_an_estimate_fits_and_keeps_every_figure(path, details, width, lang):
    args = ("estimate", str(path), "--lang", lang, *(["--details"] if details else []))
    shown = _shown(args, width, lang)
    _fits(shown, width)
    _whole(shown, _figures(str(path), lang))
    if details:
        _every_source_key_in_its_row(shown, _service(str(path)), Translator(lang))


def _every_source_key_in_its_row(shown: str, service, t: Translator) -> None:
    """The assumptions table names each key as often as its rows cite it (a cropped cell
    would lose one), and the bibliography resolves each."""
    table = shown.split("\n" + t("section.assumptions"))[1]
    table, bibliography = table.split("\n" + t("section.bibliography"))
    cells = [source_cell(a.source, t) for a in service.result.assumptions]
    for source in cited([service]):
        key = source.label()
        assert table.count(key) == sum(cell.split().count(key) for cell in cells), key
        assert key in bibliography, key


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("details", [False, True], ids=["summary", "details"])
def test_a_portfolio_fits_and_names_every_service(details, width, lang):
    args = ("estimate", str(EXAMPLES), "--lang", lang, *(["--details"] if details else []))
    shown = _shown(args, width, lang)
    _fits(shown, width)
    # a long name may wrap at its spaces: each of its words is there whole
    _whole(shown, [word for p in EXAMPLE_FILES for word in _result(str(p)).name.split()])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_what_if_fits(width, lang):
    what_if = ("--what-if", "hosting.servers[0].count=1", "--what-if", "usage.users=40000")
    _fits(
        _shown(("estimate", "examples/ecommerce.yaml", "--lang", lang, *what_if), width, lang),
        width,
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ("validate", "examples"),
        ("check", "examples"),
        ("diff", "examples/ecommerce.yaml", "examples/webmail.yaml"),
        ("factors", "coverage"),
        ("factors", "show", "electricity.FRA.climate_change"),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_other_commands_fit(args, width, lang):
    _fits(_shown((*args, "--lang", lang), width, lang), width)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_factor_list_fits_and_keeps_every_id_whole(width, lang):
    shown = _shown(("factors", "--lang", lang), width, lang)
    _fits(shown, width)
    _whole(shown, list(load_factors().ids))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_methodology_fits(width):
    _fits(_shown(("method",), width, "en"), width)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_factor_list_golden(width, lang):
    # below 100 columns the range goes under the value; from 100 on, a column of its own
    shown = _shown(("factors", "--kind", "messages", "--lang", lang), width, lang)
    assert_golden(f"factors/messages.{lang}.{width}.txt", shown)
