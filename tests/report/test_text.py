"""The terminal report: its width, its order (summary first), details, portfolios."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from conftest import EXAMPLES, NASTY_SHOP, ROOT, run_cli

from acvnum.analysis.found import Assessed
from acvnum.analysis.portfolio import build
from acvnum.assessment import Settings, assess
from acvnum.i18n import Translator
from acvnum.reference import sources
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.sources import Source
from acvnum.report import blocks_section, json_format, text

EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))

NO_HOSTING = """\
name: Sans hébergement
usage:
  users: 1000
  visits_per_user: 3 / month
  visit_duration: 2 min
  data_per_visit: 1 MB
  devices: {smartphone: 100%}
  network: {mobile: 100%}
  location: FRA
"""


def _flat(report: str) -> str:
    """The report's words with every run of spaces and line breaks as one space."""
    return " ".join(report.split())


@pytest.fixture(scope="module")
def examples():
    return assess(EXAMPLE_FILES, Settings(levers=5)).services()


@pytest.fixture(scope="module")
def rendered(examples):
    """`text.render` of example `index` alone (None: the portfolio of every example), made
    once per (index, lang, width, details) for the module: the width sweeps below and the
    tests of one report's content read the same reports (a string: nothing to mutate)."""

    @cache
    def report(index: int | None, lang: str, width: int, details: bool = False) -> str:
        services = list(examples) if index is None else [examples[index]]
        return text.render(services, lang, width=width, details=details)

    return report


@pytest.fixture(scope="module")
def no_hosting(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "nohost.yaml"
    path.write_text(NO_HOSTING, encoding="utf-8")
    return assess([str(path)], Settings(levers=5)).services()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"COLUMNS": "80"}, 80), ({"COLUMNS": "97"}, 97), ({"COLUMNS": "300"}, 120)],
)
def test_width_follows_columns_up_to_120(environ, expected):
    assert text.report_width(environ) == expected


def test_width_below_40_columns_keeps_the_80_column_layout():
    assert text.report_width({"COLUMNS": "20"}) == 80


def test_width_without_columns_is_the_terminals(monkeypatch):
    import os

    monkeypatch.setattr(
        text.shutil, "get_terminal_size", lambda fallback: os.terminal_size((90, 30))
    )
    assert text.report_width({}) == 90


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_line_is_wider_than_the_terminal(examples, rendered, width, lang):
    for index in range(len(examples)):
        report = rendered(index, lang, width, details=True)
        longest = max(report.splitlines(), key=len)
        assert len(longest) <= width, longest


@pytest.mark.parametrize("width", [80, 85, 89, 90, 100, 110, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_levers_figures_keep_every_column(examples, rendered, width, lang):
    # eight criteria beside the persons-eq. saved: nothing cut to an ellipsis at 80 columns
    for index in range(len(examples)):
        report = rendered(index, lang, width, details=True)
        section = report.split(Translator(lang)("section.levers"), 1)[1].split("∑", 1)[0]
        assert "…" not in section, section
        for cid in CRITERION_IDS:
            assert Translator(lang)(f"criterion_short.{cid}") in section


@pytest.mark.parametrize("width", [80, 90, 99, 100, 110, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_breakdown_rows_keep_every_percentage(rendered, width, lang):
    # A table too wide for the terminal would be cut on the right: its last column first.
    # (At 100 columns the unwrapped 'Data centre' header once lost the whole column.)
    report = rendered(0, lang, width)
    lines = report.splitlines()
    rows = [line for line in lines if line.startswith("  ") and ("█" in line or "▒" in line)]
    n = len(CRITERION_IDS)
    assert len(rows) == 2 * n  # one row per criterion beside its bar, by tier and by phase
    assert all(line.rstrip().endswith("%") for line in rows), rows
    counts = [line.count("%") for line in rows]
    assert counts == [3] * n + [2] * n, rows  # three tiers, then two phases, each a percentage


def test_warnings_come_right_under_the_flagship_figures(no_hosting):
    report = text.render(no_hosting, "en", width=80)
    warning = report.index("No 'hosting' section")
    assert report.index("Climate change per visit") < warning < report.index("Impacts")


def test_summary_hides_assumptions_and_sources_and_says_how_to_see_them(rendered):
    report = rendered(0, "en", 80)
    assert "Assumptions" not in report and "Sources" not in report
    assert "--details" in report.splitlines()[-1]


def test_details_cite_keys_that_the_bibliography_resolves(examples, rendered):
    report = rendered(0, "en", 120, details=True)
    body, bibliography = re.split(r"\nSources *\n", report)
    keys = {key for a in examples[0].result.assumptions for key in sources.cite(a.source)}
    assert keys  # the example leaves defaults, each citing a publication
    for key in keys:
        assert f"[{key}]" in body
        assert f" [{key}] " in bibliography
    assert "boaviztapi/data/archetypes" not in body  # file paths stay in the factor tables


def test_levers_are_said_in_words_before_the_details(examples, rendered):
    ecommerce = next(i for i, s in enumerate(examples) if s.result.name == "Boutique en ligne")
    report = _flat(rendered(ecommerce, "en", 80))
    assert "keep laptops 7.5 years instead of 5 years" in report
    assert "device.laptop.lifetime" not in report  # the technical change is for --details
    detailed = _flat(rendered(ecommerce, "en", 80, details=True))
    assert "device.laptop.lifetime: 5 years → 7.5 years" in detailed


def test_portfolio_ranks_each_service_without_its_report_and_wraps_a_long_name(examples):
    first = examples[0]
    name = "A service whose name is far too long " * 3
    long = Assessed(replace(first.result, name=name), first.found)
    results = [long, *examples[1:]]
    report = text.render(results, "en", width=80)
    assert "Energy per visit" not in report  # no per-service report
    lines = report.splitlines()
    rule = next(i for i, line in enumerate(lines) if "────" in line)
    end = next(i for i in range(rule, len(lines)) if not lines[i].strip())
    ranking = lines[rule + 1 : end]  # the rows, under the header's rule
    short = [r for r, _ in results[1:] if len(r.name) <= 15]
    assert short
    for result in short:  # a name that fits keeps its service on one line
        assert sum(result.name in line for line in ranking) == 1
    # the long name wraps at its spaces onto the next lines: every word there, nothing cut
    column = " ".join(line[6:30] for line in ranking)
    assert " ".join(name.split()) in " ".join(column.split())
    assert "…" not in report


def test_portfolio_with_details_has_every_service_report(examples):
    report = text.render(examples, "en", width=100, details=True)
    assert report.count("Energy per visit") == len(examples)
    assert "Portfolio totals" in report


def test_portfolio_summary_keeps_each_services_warnings(examples, no_hosting):
    report = text.render([*examples[:1], *no_hosting], "en", width=80)
    assert "Sans hébergement: No 'hosting' section" in _flat(report)


def test_a_name_in_brackets_is_text_not_a_style(examples):
    named = replace(examples[0].result, name="[bold]Shop[/bold]")
    report = text.render([Assessed(named)], "en", width=80)
    assert "[bold]Shop[/bold]" in report


# --- French figures are never broken at their no-break spaces -------------------------------

NNBSP = "\u202f"


def _laid_out(renderable, width: int) -> list[str]:
    import io

    buffer = io.StringIO()
    text.console_for(buffer, False, width).print(renderable)
    return buffer.getvalue().splitlines()


def test_a_figure_is_never_broken_at_its_narrow_no_break_space():
    from rich.table import Table
    from rich.text import Text

    figure = f"1{NNBSP}234{NNBSP}567,8{NNBSP}kg"
    # 24 characters then the figure: plain rich would put '1' and '234 567,8 kg' on two lines.
    sentence = f"Le total du service est {figure} sur la période"
    for renderable in (sentence, Text(sentence)):
        lines = _laid_out(renderable, 30)
        assert any(figure in line for line in lines), lines
    table = Table()
    table.add_column("Critère")
    table.add_column("Valeur")
    table.add_row("Changement climatique par visite", f"x {figure}")
    # At 36 columns plain rich gives 'x 1 234' then '567,8 kg'.
    assert any(figure in line for line in _laid_out(table, 36))
    # A French colon stays with the word before it.
    label = f"Énergie par visite{NNBSP}: 6,40 Wh"
    assert any(f"visite{NNBSP}:" in line for line in _laid_out(label, 19))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_lever_s_variation_keeps_its_percent_sign(examples, rendered, width, lang):
    """'climate change −19 %' wraps before the figure, never leaving '%' alone on a line
    (webmail's third lever at 100 columns, fr-per-capita's at 80 and, in French, at 100)."""
    for index in range(len(examples)):
        lines = rendered(index, lang, width).splitlines()
        assert [line for line in lines if line.strip(" │").startswith("%")] == []


def test_a_flagship_figure_keeps_its_unit_on_its_line():
    """At 80 columns the uncertainty's sentence wrapped inside '22.0 g CO2e' (ai-assistant):
    'g' ended a line and 'CO2e' began the next."""
    sampled = assess([str(EXAMPLES / "ai-assistant.yaml")], Settings(samples=300))
    for lang in ("en", "fr"):
        report = text.render(sampled.services(), lang, width=80)
        assert [line for line in report.splitlines() if line.startswith(("CO2e", "g CO2e"))] == []


FIGURE = re.compile(rf"\d{{1,3}}(?:{NNBSP}\d{{3}})+(?:,\d+)?")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_french_figure_of_an_80_column_report_is_whole(path):
    results = assess([str(path)], Settings(levers=5)).services()
    wide = text.render(results, "fr", False, width=5000, details=True)
    narrow = text.render(results, "fr", False, width=80, details=True)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    figures = set(FIGURE.findall(wide))
    assert figures  # the French report has grouped figures to check ('50 000')
    assert {f for f in figures if f not in narrow} == set()


def test_a_portfolio_states_its_coverage_under_the_totals(examples, rendered):
    # every example uses network equipment per GB, which has no water factor
    report = rendered(None, "en", 80)
    totals = report.split("Portfolio totals", 1)[1]
    assert "Coverage" in totals
    count = len(examples)
    assert f"Water use — not covered in {count} of {count} services" in " ".join(totals.split())


def test_a_long_path_breaks_before_a_dot_not_inside_a_key():
    from acvnum.report.text import path_lines

    assert path_lines("hosting.servers[0].lifetime") == "hosting.servers[0]\n.lifetime"
    assert path_lines("usage.visit_duration") == "usage.visit_duration"  # fits: one line
    # a key longer than the column stays whole on its line (the table folds it)
    assert path_lines("a." + "k" * 30) == "a\n." + "k" * 30


#: The widths the property below is checked at: the narrowest, each width where a layout
#: changes (80: units under the criteria; 100: beside them; 120: the widest, every wider
#: terminal gets it: report_width) and either side of it, and 100-107, where the French
#: headers once overflowed. Every width from 60 to 160 passed when the fall-backs were
#: written (2.3 s an example and language; these take a third of it).
ANY_WIDTH = (60, 61, 64, 70, 72, 76, 79, 80, 81, 90, 99, *range(100, 108), 110, 119, 120, 160)


def _at_any_width(words_at: Callable[[int], list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(columns, what `words_at` gives at the report's width) for each of ANY_WIDTH; the
    width is report_width's for those columns, and `words_at` is called once per width
    (160 columns get 120's words: laid out again, they would be the same)."""
    shown: dict[int, list[str]] = {}
    for columns in ANY_WIDTH:
        width = text.report_width({"COLUMNS": str(columns)})
        if width not in shown:
            shown[width] = words_at(width)
        yield columns, shown[width]


#: The property tests below run on every example.
EVERY_EXAMPLE = pytest.mark.parametrize(
    "index", range(len(EXAMPLE_FILES)), ids=lambda i: Path(EXAMPLE_FILES[i]).stem
)


def _json_of(service: Assessed) -> dict:
    """The service's object in the result JSON: the figures the text report must show."""
    (data,) = json.loads(json_format.render([service]))["services"]
    return data


def _words(report: str) -> list[str]:
    """The report's cells and words, split at its spaces and line breaks, but not at a
    figure's no-break space ('26\u202f297' is one word, '53,9\u00a0équivalents' two)."""
    return [word for word in re.split(r"[ \n]+|[\u00a0\u202f](?!\d)", report) if word]


def _between(words: list[str], start: str, end: str | None) -> list[str]:
    """The words from the title `start` (however it wrapped) up to the title `end`."""

    def at(title: str, after: int = 0) -> int:
        want = _words(title)
        for i in range(after, len(words)):
            if words[i : i + len(want)] == want:
                return i + len(want)
        raise AssertionError(f"no section {title!r}")

    first = at(start)
    return words[first : at(end, first) if end else len(words)]


def _in_order(expected: list[str], words: list[str]) -> bool:
    rest = iter(words)
    return all(figure in rest for figure in expected)


@pytest.mark.parametrize("lang", ["en", "fr"])
@EVERY_EXAMPLE
def test_every_persons_equivalent_of_the_json_is_shown_at_any_width(
    examples, rendered, index, lang
):
    # At 100 to 104 columns (106 for the video platform) the French impacts table once asked
    # rich for more than the width held: its persons-eq. column was cropped, header and all.

    t, service = Translator(lang), examples[index]
    data = _json_of(service)
    bounded = [data["criteria"][cid].get("planetary_boundary") for cid in CRITERION_IDS]
    criteria = [t.number(b["persons_equivalent"]) for b in bounded if b]
    levers = [t.number(lever["persons_equivalent_saved"]) for lever in data["levers"]]
    assert criteria and levers
    for columns, words in _at_any_width(lambda width: _words(rendered(index, lang, width))):
        impacts = _between(words, t("section.impacts"), t("section.by_tier"))
        boundaries = _between(words, t("section.boundaries"), t("section.top_levers"))
        top_levers = _between(words, t("section.top_levers"), None)
        assert _in_order(criteria, impacts), (columns, lang, impacts)
        assert _in_order(criteria, boundaries), (columns, lang, boundaries)
        assert _in_order(levers, top_levers), (columns, lang, top_levers)


def _levers_at(service: Assessed, lang: str, width: int) -> list[str]:
    """The words of the --details levers section (figures, changes, caption) as `render`
    prints it at `width`, alone: a whole --details report at every width would take long."""
    buffer = io.StringIO()
    text.console_for(buffer, False, width).print(text._levers(service[1], Translator(lang), width))
    return _words(buffer.getvalue())


@pytest.mark.parametrize("lang", ["en", "fr"])
@EVERY_EXAMPLE
def test_every_lever_saving_of_the_json_is_shown_at_any_width(examples, index, lang):
    # Below 80 columns the eight criteria squeezed the levers' table: rich shortened the
    # figures ('3…', '−1.…') and dropped the rank and persons-eq. saved columns, the
    # combination's (∑) too, which only the JSON then had.
    from acvnum.report.levers_section import lever_rows, variation

    t, service = Translator(lang), examples[index]
    data = _json_of(service)
    levers = [*data["levers"], *([data["levers_combined"]] if data["levers_combined"] else [])]
    assert len(levers) > 1
    expected = [
        word
        for lever in levers
        for word in [
            t.number(lever["persons_equivalent_saved"]),
            *(w for c in CRITERION_IDS for w in _words(variation(lever["reduction"][c], t))),
        ]
    ]
    # the figures end where the list of what each lever changes begins
    changes = lever_rows(service[1], t)[0][2]
    for columns, words in _at_any_width(lambda width: _levers_at(service, lang, width)):
        figures = _between(words, t("section.levers"), changes)
        assert _in_order(expected, figures), (columns, lang, figures)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_figure_of_a_portfolio_is_shown_at_any_width(examples, rendered, lang):
    # Below 80 columns the ranking's columns were asked for more than the width: the last
    # share lost its '%', the persons-eq. header its end, the rank column vanished; at 60
    # the French totals' persons-eq. were shortened ('Éq.-personn…').

    t = Translator(lang)
    data = json.loads(json_format.render(list(examples)))
    portfolio, services = data["portfolio"], data["services"]
    climate = {s["service"]["file"]: s["criteria"]["climate_change"]["total"] for s in services}
    total = portfolio["criteria"]["climate_change"]["total"]
    ranking = [
        word
        for row in portfolio["ranking"]
        for word in [
            t.number(row["persons_equivalent"]),
            *_words(f"{t.number(climate[row['file']] / total * 100)} %"),
        ]
    ]
    totals = [
        t.number(figure) if figure is not None else "—"
        for c in portfolio["criteria"].values()
        for figure in (c["total"], c["persons_equivalent"])
    ]
    for columns, words in _at_any_width(lambda width: _words(rendered(None, lang, width))):
        title = t("portfolio.section", count=len(services))
        shown = _between(words, title, t("portfolio.totals"))
        assert _in_order(ranking, shown), (columns, lang, shown)
        shown = _between(words, t("portfolio.totals"), t("portfolio.caption"))
        assert _in_order(totals, shown), (columns, lang, shown)


@pytest.fixture(scope="module")
def sampled():
    """Every example with a what-if and a small uncertainty run (the figures' layout is
    what matters here, not their precision)."""
    settings = Settings(samples=50, what_if=("hosting.servers[0].count=1",))
    return assess(EXAMPLE_FILES, settings).services()


def _section_at(parts: list, width: int) -> list[str]:
    """The words of `parts` printed as `render` prints them at `width`, alone."""
    buffer = io.StringIO()
    console = text.console_for(buffer, False, width)
    for part in parts:
        console.print(part)
    return _words(buffer.getvalue())


def _shown_whole(names: list[str], words: list[str]) -> bool:
    """Whether every word of `names` (criteria, units...) is among `words`, as many times:
    a name may wrap, so its words are not always in a row."""
    from collections import Counter

    return not Counter(w for name in names for w in _words(name)) - Counter(words)


@pytest.mark.parametrize("lang", ["en", "fr"])
@EVERY_EXAMPLE
def test_every_what_if_figure_of_the_json_is_shown_at_any_width(sampled, index, lang):
    # Below 80 columns the what-if table was laid out by rich within the width: it shortened
    # the criteria ('Acidific…' at 70 in English) and, at 60 in French, figures ('0,005…',
    # '1,69e-…'), which only the JSON then had whole.
    from acvnum.report.levers_section import variation

    t, service = Translator(lang), sampled[index]
    data = _json_of(service)
    w = data["what_if"]
    expected = [
        word
        for c in CRITERION_IDS
        for word in [
            *(t.number(w[key][c]) for key in ("before", "after", "saving")),
            *_words(variation(w["reduction"][c], t)),
        ]
    ]
    names = [t(f"criterion.{c}") for c in CRITERION_IDS]
    names += [t.unit(data["criteria"][c]["unit"]) for c in CRITERION_IDS]
    for columns, words in _at_any_width(
        lambda width: _section_at([text._what_if(service[1], t, width)], width)
    ):
        assert _in_order(expected, words), (columns, lang, words)
        assert _shown_whole(names, words), (columns, lang, words)


@pytest.mark.parametrize("lang", ["en", "fr"])
@EVERY_EXAMPLE
def test_every_uncertainty_figure_of_the_json_is_shown_at_any_width(sampled, index, lang):
    # Below 80 columns the --uncertainty tables were laid out by rich within the width: at
    # 60 in French it shortened figures ('127 8…', '1,69e-…'), criteria and the drivers'
    # factor ids ('server.phys…').

    from acvnum.calculation.inventory import TIERS

    t, service = Translator(lang), sampled[index]
    data = _json_of(service)
    criteria = [data["criteria"][c] for c in CRITERION_IDS]
    ranges = [
        t.number(figure)
        for c in criteria
        if "interval" in c
        for figure in (c["total"], *(c["interval"][p] for p in ("p5", "p50", "p95")))
    ]
    tiers = [
        word
        for c in criteria
        if "interval_by_tier" in c
        for tier in TIERS
        for word in _words(
            f"{t.number(c['interval_by_tier'][tier]['p5'], 2)} – "
            f"{t.number(c['interval_by_tier'][tier]['p95'], 2)}"
        )
    ]
    top = data["uncertainty"]["sensitivity"]["top"]
    drivers = [
        word
        for d in top
        for word in [
            d["name"],
            f"{d['rank_correlation']:+.2f}".replace(".", "," if lang == "fr" else "."),
        ]
    ]
    names = [t(f"criterion.{c}") for c in CRITERION_IDS if "interval" in data["criteria"][c]]
    names += [t.unit(c["unit"]) for c in criteria if "interval" in c]
    driven = [w for d in top for w in (t(f"criterion.{d['criterion']}"), d["kind"])]
    assert ranges and tiers and drivers
    result, found = service
    for columns, words in _at_any_width(
        lambda width: _section_at(text._uncertainty(result, found.uncertainty, t, width), width)
    ):
        shown = _between(words, t("uncertainty.section"), t("uncertainty.by_tier"))
        assert _in_order(ranges, shown), (columns, lang, shown)
        assert _shown_whole(names, shown), (columns, lang, shown)
        shown = _between(words, t("uncertainty.by_tier"), t("uncertainty.drivers"))
        assert _in_order(tiers, shown), (columns, lang, shown)
        shown = _between(words, t("uncertainty.drivers"), None)
        assert _in_order(drivers, shown), (columns, lang, shown)
        kinds = [t(f"uncertainty.kind.{word}") if i % 2 else word for i, word in enumerate(driven)]
        assert _shown_whole(kinds, shown), (columns, lang, shown)


def _estimate_at_80_columns() -> list[str]:
    """`COLUMNS=80 acvnum estimate examples/ecommerce.yaml` without colour, line by line as
    a page shows it (trailing spaces dropped, a no-break space as the space it looks like:
    the README and the picture write plain ones)."""
    result = run_cli("estimate", str(EXAMPLES / "ecommerce.yaml"), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return [line.rstrip().replace("\xa0", " ") for line in result.stdout.splitlines()]


def test_the_readme_s_example_report_is_what_estimate_prints():
    """The README's report, down to its '…': stale figures (6.83 persons-eq. where the run
    says 6.91) went unnoticed when the factors changed. Refresh it from the command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\n$ acvnum estimate examples/ecommerce.yaml\n", 1)[1]
    shown = block.split("\n```", 1)[0].splitlines()
    assert shown[-1] == "…"
    shown = shown[:-1]
    assert len(shown) > 30  # the summary, the impacts and the coverage
    assert shown == _estimate_at_80_columns()[: len(shown)]


def test_the_docs_terminal_picture_is_what_estimate_prints():
    """docs/terminal-80.svg (scripts/docs_screenshots.sh) read back as text: every line."""
    svg = (ROOT / "docs" / "terminal-80.svg").read_text(encoding="utf-8")
    spans = [
        (float(x), float(length), int(number), html.unescape(span).replace("\xa0", " "))
        for x, length, number, span in re.findall(
            r'<text [^>]*x="([\d.]+)" [^>]*textLength="([\d.]+)" [^>]*line-(\d+)\)">([^<]*)<',
            svg,
        )
    ]  # placed by x, a character's width apart (rich leaves blank spans out)
    width = spans[0][1] / len(spans[0][3])
    lines: dict[int, list[str]] = {}
    for x, _, number, shown in spans:
        line = lines.setdefault(number, [" "] * 80)
        at = round(x / width)
        line[at : at + len(shown)] = list(shown)
    pictured = ["".join(lines.get(i, "")).rstrip() for i in range(max(lines) + 1)]
    printed = _estimate_at_80_columns()
    assert pictured[: len(printed)] == printed
    assert all(line == "" for line in pictured[len(printed) :])


# --- Names written by users, shown as escapes -----------------------------------------------


def nasty_shop(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("q") / "shop.yaml"
    path.write_text(NASTY_SHOP, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    settings = Settings(levers=5, what_if=("hosting.servers[0].count=1",))
    services = assess([nasty_shop(tmp_path_factory)], settings).services()
    assert services[0].result.name == "S<script>|\u202e\x1b[2J\nY"  # as the YAML meant
    return services


@pytest.fixture(scope="module")
def nasty_report(nasty):
    """The nasty shop's 120-column report in a language, made once for the module: two
    tests read it (a string: nothing to mutate)."""
    return cache(lambda lang: text.render(nasty, lang, width=120))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_server_names_in_levers_and_what_if_are_shown_as_escapes(nasty_report, lang):
    report = nasty_report(lang)
    assert "\x1b" not in report and "\u202e" not in report
    escaped = "w<script>|\\u202e\\x1b[5m\\x0aX"
    what_if = report[report.index(Translator(lang)("section.what_if")) :]
    assert escaped in what_if.split("\n")[1]  # '1 'w...' server instead of 2', on one line
    top = report[report.index(Translator(lang)("section.top_levers")) :]
    assert top.count(escaped) >= 2  # servers switched off at night, and kept longer
    assert "\nX" not in report


def test_a_renamed_server_in_a_what_if_is_shown_as_escapes(tmp_path_factory):
    settings = Settings(what_if=("hosting.servers[0].name=database",))
    services = assess([nasty_shop(tmp_path_factory)], settings).services()
    report = text.render(services, "en", width=120)
    assert "\x1b" not in report and "\u202e" not in report
    assert "w<script>|\\u202e\\x1b[5m\\x0aX → database" in report  # the value before


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_header_shows_control_characters_as_the_readme_says(nasty_report, lang):
    """README: on a terminal, control characters are shown as escapes ('\\x1b'), not as
    U+FFFD; a newline in the name does not split the title's line."""
    first = nasty_report(lang).split("\n")[0]
    assert "S<script>|\\u202e\\x1b[2J\\x0aY — " in first
    assert "\ufffd" not in first


#: A publication whose key, citation and address hold what a terminal acts on.
HOSTILE_SOURCE = Source(
    "K\x1b]0;t\x07",
    "Cite\x1b[2J\u202eX",
    2024,
    "CC-BY-4.0",
    "https://example.org/\x1b[5m",
    ("never matched",),
)


def test_the_bibliography_shows_a_citations_control_characters_as_escapes(nasty, monkeypatch):
    """A citation went through printable (U+FFFD, shared with Markdown): on a terminal it
    is shown as the README says, '\\x1b'."""
    monkeypatch.setattr(text, "cited", lambda services: [HOSTILE_SOURCE])
    report = text.render(nasty, "en", width=120, details=True)
    sources = report[report.rindex("\nSources") :]
    assert "[K\\x1b]0;t\\x07]" in sources
    assert "Cite\\x1b[2J\\u202eX. https://example.org/\\x1b[5m" in sources
    assert "\x1b" not in report and "\u202e" not in report and "\ufffd" not in report


# --- a fitted table is laid out once ---------------------------------------------------------


def _printed(renderable, width: int, color: bool = False) -> str:
    buffer = io.StringIO()
    text.console_for(buffer, color, width).print(renderable)
    return buffer.getvalue()


class _NotLaidOutAgain:
    """Stands for a fitted table whose layout must not be asked for again."""

    def __rich_console__(self, console, options):
        raise AssertionError("laid out a second time")


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_fitted_table_prints_the_lines_its_fit_was_checked_on(examples, lang, color):
    # ecommerce's impacts table at 100 columns fits beside its units: the check's lines are
    # printed as they are, styles and all, and are what the table itself prints.
    result = examples[EXAMPLE_FILES.index(str(EXAMPLES / "ecommerce.yaml"))].result
    fitted = text._impacts(result, Translator(lang), 100)
    table, fitted.table = fitted.table, _NotLaidOutAgain()
    assert _printed(fitted, 100, color) == _printed(table, 100, color)


def test_a_fitted_table_printed_elsewhere_is_laid_out_anew(examples):
    # The French ranking of every example, checked at 100 columns: at 80, or indented by 8
    # in a 100-column report, the lines checked would be wrong (each differs from the
    # table laid out there), so the table is laid out for where it is printed.
    from rich.padding import Padding

    fitted = text._ranking(list(examples), build(examples), Translator("fr"), 100)
    checked = _Replayed(fitted)  # the check's lines, wherever it stands

    def indented(table):
        return Padding(table, (0, 0, 0, 8))

    for where, width in ((lambda table: table, 80), (indented, 100)):
        laid_out = _printed(where(fitted.table), width)
        assert _printed(where(checked), width) != laid_out  # the case is a real one
        assert _printed(where(fitted), width) == laid_out


class _Replayed:
    """A fitted table's checked lines, printed wherever it stands."""

    def __init__(self, fitted: text.Fitted) -> None:
        self.segments = fitted._segments

    def __rich_console__(self, console, options):
        yield from self.segments


def test_the_blocks_table_is_turned_criteria_as_rows_blocks_as_columns():
    # The AI assistant has one block: its table has a column per block (the criterion's
    # name, then the AI's share) and a row per criterion, its shares those of the section's
    # rows, read across.
    result = assess([str(EXAMPLES / "ai-assistant.yaml")], Settings(levers=0)).results[0]
    t = Translator("en")
    header, rows = blocks_section.table(result, t)
    turned = text._blocks(result, t)
    assert [c.header for c in turned.columns] == [t("column.criterion"), rows[0][0]]
    assert list(turned.columns[0].cells) == header[1:]
    assert list(turned.columns[1].cells) == rows[0][1:]
    shop = assess([str(EXAMPLES / "ecommerce.yaml")], Settings(levers=0)).results[0]
    assert text._blocks(shop, t) is None  # no block, no section
