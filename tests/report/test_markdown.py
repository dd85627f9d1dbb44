"""The Markdown report: what users wrote, escaped once for Markdown wherever it is said;
and the sections' rows and lines (coverage, uncertainty, portfolio) laid out in Markdown."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from conftest import MINIMAL_DATA, NASTY_SHOP, WATER, with_gaps

import acvnum
from acvnum.assessment import Settings, assess
from acvnum.calculation.results import Driver, Uncertainty
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import coverage_section, markdown

EN, FR = Translator("en"), Translator("fr")

#: The first server's name as Markdown shows it: on one line, '|' escaped, no tag, and
#: what a terminal acts on as escapes.
SERVER = "w&lt;script&gt;\\|\\u202e\\x1b[5m X"


def _assessed(tmp_path_factory, what_if: str, levers: int = 0):
    path = tmp_path_factory.mktemp("q") / "shop.yaml"
    path.write_text(NASTY_SHOP, encoding="utf-8")
    return assess([str(path)], Settings(levers=levers, what_if=(what_if,))).services()


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    return _assessed(tmp_path_factory, "hosting.servers[0].count=1", levers=5)


def _section(report: str, title: str) -> list[str]:
    """The lines of a '## title' section, up to the next section."""
    lines = report.split("\n")
    start = lines.index(f"## {title}") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("## "))
    return lines[start:end]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_server_names_in_the_levers_why_are_escaped(nasty, lang):
    report = markdown.render(nasty, lang)
    t = Translator(lang)
    why = [line for line in _section(report, t("section.levers")) if line[:2] in ("4.", "5.")]
    named = [line for line in why if SERVER in line]
    assert len(named) == 2  # servers switched off at night, and kept longer
    assert not any("<" in line or "\x1b" in line or "\u202e" in line for line in why)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_server_names_in_the_what_if_are_escaped_once(nasty, lang):
    report = markdown.render(nasty, lang)
    (change,) = [s for s in _section(report, Translator(lang)("section.what_if")) if s[:2] == "- "]
    assert SERVER in change.split("—")[0]  # in words, escaped as before the fix
    assert "\\\\|" not in change  # and not twice


def test_a_value_a_what_if_replaces_is_escaped(tmp_path_factory):
    """A what-if renaming a server shows the name it had: a user's, escaped."""
    report = markdown.render(_assessed(tmp_path_factory, "hosting.servers[0].name=a|b"))
    (change,) = [line for line in _section(report, "What if") if line[:2] == "- "]
    assert change == f"- `hosting.servers[0].name`: {SERVER} → a\\|b"


def test_nothing_a_user_wrote_reaches_the_document_raw(nasty):
    report = markdown.render(nasty)
    assert "<script>" not in report and "\x1b" not in report and "\u202e" not in report


# --- One form in a document: control characters as escapes, as the README says -----------


def test_the_title_shows_control_characters_as_escapes_as_the_levers_do(nasty):
    """README: control characters shown as '\\x1b'; the title said U+FFFD while the levers'
    sentences (markdown_text) said '\\x1b' in the same document."""
    report = markdown.render(nasty)
    assert report.split("\n")[0].endswith(" S&lt;script&gt;\\|\\u202e\\x1b[2J Y")
    assert "\ufffd" not in report


def test_a_functional_unit_is_escaped_for_markdown(tmp_path):
    """It was written as it came: a '|', a tag or a newline broke the flagship list."""
    unit = 'functional_unit: "a|<b>\\x1b[2J\\nc"\nperiod:'
    path = tmp_path / "shop.yaml"
    path.write_text(NASTY_SHOP.replace("period:", unit, 1), encoding="utf-8")
    report = markdown.render(assess([str(path)], Settings()).services())
    (line,) = [line for line in report.split("\n") if "a\\|" in line]
    assert line.endswith(": a\\|&lt;b&gt;\\x1b[2J c")


def test_the_bibliography_shows_a_citations_control_characters_as_escapes(nasty, monkeypatch):
    """A citation went through printable (U+FFFD) before markdown_text: one form, '\\x1b'."""
    from acvnum.reference.sources import Source

    hostile = Source("K|1", "Cite\x1b[2J\u202e<b>", 2024, "CC-BY-4.0", "https://e.org/\x1b", ())
    monkeypatch.setattr(markdown, "cited", lambda services: [hostile])
    report = markdown.render(nasty)
    entry = report.rstrip("\n").split("\n")[-1]
    assert entry == "- **[K\\|1]** Cite\\x1b[2J\\u202e&lt;b&gt;. https://e.org/\\x1b"


# --- The sections laid out: coverage -------------------------------------------------------


@pytest.fixture(scope="module")
def minimal():
    """MINIMAL (laptops on fixed access, 10,000 visits): complete coverage, no interval."""
    (result,) = acvnum.estimate(dict(MINIMAL_DATA), levers=0)
    return result


def _coverage(result, t: Translator) -> list[str]:
    return markdown._coverage(coverage_section.lines(result, t), t)


def test_a_result_without_coverage_has_no_coverage_section(minimal):
    unknown = replace(
        minimal, criteria={k: replace(c, coverage=None) for k, c in minimal.criteria.items()}
    )
    assert _coverage(unknown, EN) == []


def test_the_coverage_section(minimal):
    lines = _coverage(with_gaps(minimal, water_use=WATER[:1]), EN)
    assert lines == [
        "## Coverage",
        "",
        "- Water use — not covered (no factor; the total is a lower bound): Network "
        "manufacturing (fixed access per GB).",
        "- The other criteria have a factor for every activity of this service.",
        "",
    ]
    assert _coverage(minimal, FR)[0] == "## Couverture"


def test_a_portfolio_without_gaps_has_no_coverage_section(minimal):
    assert markdown._coverage(coverage_section.portfolio_lines([minimal, minimal], EN), EN) == []
    found = coverage_section.portfolio_lines([minimal, with_gaps(minimal, water_use=WATER[:1])], FR)
    assert markdown._coverage(found, FR)[:2] == ["## Couverture", ""]


def test_coverage_escapes_what_would_break_a_line(minimal, monkeypatch):
    """An activity's words are the catalogue's; still, a '|' or '<' would be escaped."""
    odd = Translator("en")
    monkeypatch.setitem(odd.messages, "item.fixed", "a|b <c>")
    (line, _rest) = _coverage(with_gaps(minimal, water_use=WATER[:1]), odd)[2:4]
    assert line.endswith("Network manufacturing (a\\|b &lt;c&gt;).")


# --- The sections laid out: uncertainty ----------------------------------------------------


def with_energy_interval(result, p5: float, p50: float, p95: float):
    """The result with only final energy's total given an interval, no interval by tier."""
    interval = {"p5": p5, "p50": p50, "p95": p95}
    criteria = {
        cid: replace(c, interval=interval if cid == "energy" else None, tier_intervals=None)
        for cid, c in result.criteria.items()
    }
    return replace(result, criteria=criteria)


def drawn(*drivers: Driver, samples: int = 200, seed: int = 0) -> Uncertainty:
    return Uncertainty(samples, seed, list(drivers), {})


def test_no_uncertainty_section_without_uncertainty(minimal):
    assert markdown._uncertainty(minimal, None, EN) == []


def test_the_uncertainty_section_s_headings_in_order(minimal):
    result = with_energy_interval(minimal, 1.0, 2.0, 3.0)
    u = drawn(Driver("device.laptop.power", "factor", "energy", 0.5), samples=300, seed=9)
    lines = markdown._uncertainty(result, u, FR)
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "## Incertitude\u202f: intervalle à 90\u202f% (du 5e au 95e centile)",
        "### Par tiers, du 5e au 95e centile",
        "### Ce qui élargit l'intervalle\u202f: à mesurer en premier",
    ]
    assert any(line.startswith("300 tirages, graine 9. ") for line in lines)
    assert "| 1 | device.laptop.power | facteur | Énergie finale | +0,50 |" in lines
    assert lines[-2].startswith("Corrélation de rang de Spearman")


def test_without_drivers_the_section_says_every_factor_is_exact(minimal):
    lines = markdown._uncertainty(with_energy_interval(minimal, 2.0, 2.0, 2.0), drawn(), EN)
    drivers = lines.index("### What drives the spread: measure these first")
    assert lines[drivers:] == [
        "### What drives the spread: measure these first",
        "",
        "No uncertain quantity moves this result: every factor it uses is exact.",
        "",
    ]


# --- The sections laid out: portfolio ------------------------------------------------------


@pytest.fixture(scope="module")
def trio():
    """MINIMAL three times: "Big" with 3,000 users, "Alpha" and "Minimal" with 1,000 (Alpha
    and Minimal tie, ranked by name)."""
    data = []
    for name, users in (("Minimal", 1000), ("Big", 3000), ("Alpha", 1000)):
        one = copy.deepcopy(MINIMAL_DATA)
        one["name"], one["usage"]["users"] = name, users
        data.append(one)
    return acvnum.estimate(data, levers=0).services()


def test_one_service_has_no_portfolio_section(trio):
    assert markdown._portfolio(trio[:1], EN) == []


def test_the_portfolio_section_in_french(trio):
    lines = markdown._portfolio(trio, FR)
    assert lines[0] == "# Portefeuille\u202f: 3 services classés par équivalents-personnes"
    assert lines[2] == (
        "| n° | Service | Éq.-personnes | Critère le plus contraignant "
        "| Part du changement climatique |"
    )
    assert [line.split(" | ")[1] for line in lines[4:7]] == ["Big", "Alpha", "Minimal"]
    assert lines[7] == ""
    assert lines[8] == "## Totaux du portefeuille"
    assert lines[10] == "| Critère | Unité | Total | Éq.-personnes |"
    caption = lines.index(FR("portfolio.caption"))
    assert caption == 10 + 2 + len(CRITERION_IDS) + 1  # header, rule, a row each, blank
    assert lines[caption].startswith("Les totaux additionnent les services")


def test_the_ranking_aligns_the_criterion_s_name_left_as_the_terminal_does(trio):
    rule = markdown._portfolio(trio, EN)[3]
    assert rule == "| --- | --- | ---: | --- | ---: |"
