"""The HTML report: self-contained (nothing fetched), every section and chart, charts drawn to
the result's numbers, both languages; and, when Chromium is there, rendered in a real browser."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, NASTY_SHOP, ROOT, run_cli

from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.html import BAR_WIDTH

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
SECTIONS = ("summary", "flagship", "impacts", "by-tier", "by-phase", "boundaries", "assumptions")
CHARTS = ("chart-by-tier", "chart-by-phase", "chart-boundaries")
CHROMIUM = Path("/usr/bin/chromium")


class Page(HTMLParser):
    """Every element's tag, attributes and the chart it sits in; the text of each section."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], str | None]] = []
        self.chart: str | None = None
        self.section: list[str] = []
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self.chart = attributes.get("id")
        if tag == "section":
            self.section.append(attributes.get("id", ""))
        self.elements.append((tag, attributes, self.chart))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        if tag == "section" and self.section:
            self.section.pop()

    def handle_data(self, data):
        if self.section:
            self.texts.setdefault(self.section[-1], []).append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a, _ in self.elements if "id" in a}

    def in_chart(self, chart: str, tag: str) -> list[dict[str, str]]:
        return [a for t, a, c in self.elements if c == chart and t == tag]


def html_of(path: Path, lang: str = "en") -> str:
    result = run_cli("estimate", str(path), "--format", "html", "--lang", lang)
    assert result.returncode == 0, result.stderr
    return result.stdout


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_page_is_self_contained(path):
    text = html_of(path)
    # Links to the cited publications are read, never fetched; nothing else is remote.
    assert not re.search(r"https?://", text.split('id="bibliography"')[0])
    page = parsed(text)
    tags = {tag for tag, _, _ in page.elements}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert "url(" not in text and "@import" not in text
    assert text.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_section_and_chart_is_there(path):
    page = parsed(html_of(path))
    assert set(SECTIONS) | set(CHARTS) <= page.ids()
    for chart in CHARTS[:2]:
        labels = [a for a in page.in_chart(chart, "text") if a.get("x") == "0"]
        assert len(labels) == len(CRITERION_IDS)
    assert len(page.in_chart("chart-boundaries", "rect")) == len(CRITERION_IDS) - 1  # not energy


def _bar_shares(page: Page, chart: str, parts: int) -> list[list[float]]:
    widths = [float(a["width"]) for a in page.in_chart(chart, "rect")]
    widths = widths[parts:]  # the legend's squares come first
    return [[w / BAR_WIDTH for w in widths[i : i + parts]] for i in range(0, len(widths), parts)]


def test_bars_are_drawn_to_the_results_shares():
    path = EXAMPLES / "ecommerce.yaml"
    (data,) = json.loads(run_cli("estimate", str(path), "--format", "json").stdout)["services"]
    page = parsed(html_of(path))
    for chart, key, parts in (("chart-by-tier", "by_tier", 3), ("chart-by-phase", "by_phase", 2)):
        for row, cid in zip(_bar_shares(page, chart, parts), CRITERION_IDS, strict=True):
            values = data["criteria"][cid][key].values()
            expected = [v / sum(values) for v in values]
            assert row == pytest.approx(expected, abs=1e-3), (chart, cid)


def test_boundary_bars_are_proportional_to_persons_equivalent():
    path = EXAMPLES / "ecommerce.yaml"
    (data,) = json.loads(run_cli("estimate", str(path), "--format", "json").stdout)["services"]
    page = parsed(html_of(path))
    widths = [float(a["width"]) for a in page.in_chart("chart-boundaries", "rect")]
    pe = [
        data["criteria"][c]["planetary_boundary"]["persons_equivalent"] for c in CRITERION_IDS[:-1]
    ]
    drawn = [w / max(widths) for w in widths]
    assert drawn == pytest.approx([p / max(pe) for p in pe], abs=3e-3)  # 1 px floor


def test_french_page_speaks_french():
    page_text = html_of(EXAMPLES / "ecommerce.yaml", "fr")
    assert '<html lang="fr">' in page_text
    page = parsed(page_text)
    assert "Par tiers" in "".join(page.texts["by-tier"])
    assert "Hypothèses" in "".join(page.texts["assumptions"])


def test_levers_are_shown_when_the_result_has_them():
    path = EXAMPLES / "ecommerce.yaml"
    (service,) = json.loads(run_cli("estimate", str(path), "--format", "json").stdout)["services"]
    levers = service["levers"]
    page = parsed(html_of(path))
    assert ("levers" in page.ids()) == bool(levers)
    text = "".join(page.texts.get("levers", []))
    assert all(lever["title"] in text for lever in levers)


def test_output_file_is_written_and_kept_without_force(tmp_path):
    target = tmp_path / "report.html"
    path = str(EXAMPLES / "ecommerce.yaml")
    assert run_cli("estimate", path, "-f", "html", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run_cli("estimate", path, "-f", "html", "-o", str(target)).returncode == 2


def _png_pixels_vary(png: bytes) -> bool:
    """Decode the PNG's image data (no imaging library) and tell whether it is not blank."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(data)
    return len(set(raw[1000 : len(raw) // 2])) > 20


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian chromium)")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_page_renders_in_headless_chromium(tmp_path, lang):
    report, shot = tmp_path / "report.html", tmp_path / "report.png"
    report.write_text(html_of(EXAMPLES / "video-platform.yaml", lang), encoding="utf-8")
    script = ROOT / "scripts" / "screenshot_html.sh"
    bash = shutil.which("bash") or "/bin/bash"
    done = subprocess.run(
        [bash, str(script), str(report), str(shot)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    assert _png_pixels_vary(shot.read_bytes())
    rendered = parsed((tmp_path / "report.dom.html").read_text(encoding="utf-8"))
    assert set(CHARTS) <= rendered.ids()


# --- What users wrote: no control character nor bidi override reaches the page ---------------

#: What HTML forbids in a page's text (C0 controls but whitespace, DEL, C1 controls, lone
#: surrogates) and the bidirectional overrides and isolates that reorder what is shown.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.fixture(scope="module")
def nasty_page(tmp_path_factory):
    """NASTY_SHOP (ESC, U+202E, a newline, '|' and a tag in its and a server's name) with a
    functional unit and description holding the other overrides and isolates."""
    path = tmp_path_factory.mktemp("q") / "shop.yaml"
    said = 'functional_unit: "u\\u202a\\u2066\\u2069\\x07"\ndescription: "d\\u202d\\x1b]0;t"\n'
    text = NASTY_SHOP.replace("description: B2C e-commerce site, catalogue and checkout\n", said)
    assert text != NASTY_SHOP
    path.write_text(text, encoding="utf-8")
    result = run_cli("estimate", str(path), "-f", "html", "--levers", "5")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_page_holds_no_control_character_nor_bidi_override(nasty_page):
    assert UNSHOWABLE.search(nasty_page) is None
    assert "<script>" not in nasty_page
    parsed(nasty_page)  # still parses


def test_names_show_overrides_and_escapes_as_text(nasty_page):
    """As the terminal and Markdown show them ('\\u202e', '\\x1b'): the reader sees what was
    there, and the browser reorders nothing."""
    assert "<h1>" in nasty_page
    title = nasty_page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert title.endswith("S&lt;script&gt;|\\u202e\\x1b[2J\nY")
    assert "w&lt;script&gt;|\\u202e\\x1b[5m\nX" in nasty_page  # a server in the levers
    assert "u\\u202a\\u2066\\u2069\\x07" in nasty_page and "d\\u202d\\x1b]0;t" in nasty_page
    assert "\ufffd" not in nasty_page  # one form in the page


# --- Several services: the portfolio part, as the Markdown report has it ---------------------


class Tables(HTMLParser):
    """Each table's cells (text as the reader sees it), by the section it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.section: list[str] = []
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.classes: list[list[str]] = []  # each row's cells' class attribute
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "section":
            self.section.append(attributes.get("id", ""))
        elif tag == "table":
            self.tables.append((self.section[-1], []))
        elif tag == "tr":
            self.tables[-1][1].append([])
            self.classes.append([])
        elif tag in ("td", "th"):
            self.tables[-1][1][-1].append("")
            self.classes[-1].append(attributes.get("class", ""))
            self.in_cell = True

    def handle_endtag(self, tag):
        if tag == "section":
            self.section.pop()
        self.in_cell = self.in_cell and tag not in ("td", "th")

    def handle_data(self, data):
        if self.in_cell:
            self.tables[-1][1][-1][-1] += data

    def in_section(self, name: str) -> list[list[list[str]]]:
        return [rows for section, rows in self.tables if section == name]


def tables_of(page: str) -> Tables:
    found = Tables()
    found.feed(page)
    found.close()
    assert found.section == []  # every section closed
    return found


def markdown_portfolio(report: str, lang: str) -> tuple[str, list[list[list[str]]], list[str]]:
    """The Markdown report's portfolio: its title, its tables' cells (the rule dropped) and
    the lines of words after its title that are neither a table nor a heading."""
    lines = report.split("\n")
    start = lines.index(f"# {Translator(lang)('portfolio.section', count=len(TRIO))}")
    end = lines.index(f"## {Translator(lang)('section.bibliography')}")
    part = lines[start + 1 : end]
    tables: list[list[list[str]]] = []
    for i, line in enumerate(part):
        if line.startswith("|"):
            if i == 0 or not part[i - 1].startswith("|"):
                tables.append([])
            tables[-1].append([cell.strip() for cell in line.strip("|").split(" | ")])
    said = [line.removeprefix("- ") for line in part if line and line[0] not in "|#"]
    return lines[start][2:], [[rows[0], *rows[2:]] for rows in tables], said


#: Three example services, their names written plainly (so that Markdown escapes none).
TRIO = ("ecommerce.yaml", "webmail.yaml", "internal-app.yaml")


@pytest.fixture(scope="module")
def trio_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("trio")
    for name in TRIO:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    return folder


def estimate(*args: str) -> str:
    result = run_cli("estimate", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_one_service_has_no_portfolio_part():
    page = html_of(EXAMPLES / "ecommerce.yaml")
    assert 'id="portfolio' not in page
    assert "Portfolio" not in page


def test_a_folder_s_page_ends_with_its_portfolio_before_the_sources(trio_folder):
    page = estimate(str(trio_folder), "-f", "html")
    parsed_page = parsed(page)  # parses, and the part's sections are there once each
    assert {"portfolio", "portfolio-totals", "portfolio-coverage"} <= parsed_page.ids()
    assert page.count('id="portfolio"') == 1
    last_service = page.rindex('<section class="service"><h1>')
    portfolio = page.index('<section class="service" id="portfolio">')
    assert last_service < portfolio < page.index('id="bibliography"')
    assert "<h1>Portfolio: 3 services ranked by persons-equivalent</h1>" in page


LAYOUTS = [("en", ()), ("fr", ()), ("en", ("--uncertainty", "--samples", "100", "--seed", "1"))]


@pytest.mark.parametrize(("lang", "more"), LAYOUTS, ids=["en", "fr", "sampled"])
def test_the_portfolio_says_what_the_markdown_report_says(trio_folder, lang, more):
    """Same title, same cells in the same order (ranking, then totals), same caption and
    coverage sentences: the two reports of one folder tell one story."""
    args = (str(trio_folder), "--lang", lang, *more)
    title, (ranking, totals), said = markdown_portfolio(estimate(*args, "-f", "markdown"), lang)
    page = estimate(*args, "-f", "html")
    found = tables_of(page)
    assert found.in_section("portfolio") == [ranking]
    assert found.in_section("portfolio-totals") == [totals]
    assert len(ranking) == 1 + len(TRIO) and len(totals) == 1 + len(CRITERION_IDS)
    assert f"<h1>{escape(title)}</h1>" in page
    part = page.split('id="portfolio"', 1)[1].split('id="bibliography"', 1)[0]
    found_words = re.findall(r'<p class="caption">(.*?)</p>|<li>(.*?)</li>', part)
    assert [unescape(caption or item) for caption, item in found_words] == said
    if more:  # the interval's columns are there
        t = Translator(lang)
        assert totals[0][-2:] == [t("uncertainty.column.p5"), t("uncertainty.column.p95")]


def test_figures_align_right_and_words_left_in_the_ranking(trio_folder):
    found = tables_of(estimate(str(trio_folder), "-f", "html"))
    ranking = found.tables.index(("portfolio", found.in_section("portfolio")[0]))
    rows = sum(len(rows) for _, rows in found.tables[:ranking])
    for classes in found.classes[rows : rows + 1 + len(TRIO)]:
        assert classes == ["", "", "num", "", "num"]  # rank, service, pe, criterion, share


@pytest.fixture(scope="module")
def nasty_folder_page(tmp_path_factory) -> str:
    """NASTY_SHOP beside webmail, in one folder: a page with a portfolio."""
    folder = tmp_path_factory.mktemp("nasty")
    (folder / "shop.yaml").write_text(NASTY_SHOP, encoding="utf-8")
    (folder / "webmail.yaml").write_bytes((EXAMPLES / "webmail.yaml").read_bytes())
    return estimate(str(folder), "-f", "html", "--levers", "0")


def test_a_nasty_name_is_text_in_the_ranking(nasty_folder_page):
    part = nasty_folder_page.split('id="portfolio"', 1)[1].split('id="bibliography"', 1)[0]
    assert "<td>S&lt;script&gt;|\\u202e\\x1b[2J\nY</td>" in part
    assert UNSHOWABLE.search(nasty_folder_page) is None and "<script>" not in nasty_folder_page
    (ranking,) = tables_of(nasty_folder_page).in_section("portfolio")
    assert "S<script>|\\u202e\\x1b[2J\nY" in [row[1] for row in ranking]


def test_an_ampersand_in_a_name_is_escaped_once_in_the_ranking(tmp_path):
    for name in ("ecommerce.yaml", "webmail.yaml"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    shop = tmp_path / "ecommerce.yaml"
    shop.write_text(
        shop.read_text(encoding="utf-8").replace("name: Boutique en ligne\n", "name: R&D <b>\n"),
        encoding="utf-8",
    )
    page = estimate(str(tmp_path), "-f", "html", "--levers", "0")
    assert "<td>R&amp;D &lt;b&gt;</td>" in page.split('id="portfolio"', 1)[1]
    (ranking,) = tables_of(page).in_section("portfolio")
    assert "R&D <b>" in [row[1] for row in ranking]


def test_a_folder_s_page_gives_every_id_once_and_each_service_its_own(trio_folder):
    # Three services: each section's id once per service, told apart by its rank on the
    # page ('s2-impacts'); the portfolio, sources and method after them keep theirs.
    result = run_cli("estimate", str(trio_folder), "--format", "html")
    ids = [a["id"] for _, a, _ in parsed(result.stdout).elements if "id" in a]
    assert len(ids) == len(set(ids))
    for n in (1, 2, 3):
        assert {f"s{n}-{section}" for section in SECTIONS} <= set(ids)
        assert {f"s{n}-{chart}" for chart in CHARTS} <= set(ids)
    assert {"portfolio", "bibliography", "methodology"} <= set(ids)


def test_a_single_service_s_ids_are_the_sections_names():
    ids = parsed(html_of(EXAMPLE_FILES[0])).ids()
    assert set(SECTIONS) | set(CHARTS) <= ids
    assert not any(i.startswith("s1-") for i in ids)
