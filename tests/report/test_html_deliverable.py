"""The HTML report as a deliverable: its cover, uncertainty, levers in words with their
reasons, the methodology appendix, and a print to PDF in headless Chromium that keeps every
lever row and every criterion (no column cut by the page)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

from acvnum.analysis.portfolio import build
from acvnum.assessment import Settings, assess
from acvnum.commands.levers_options import DEFAULT_LEVERS
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import levers_section, portfolio_section

SHOP = EXAMPLES / "ecommerce.yaml"
CHROMIUM = shutil.which("chromium")
PDFTOTEXT = shutil.which("pdftotext")


def html_of(*args: str, env: dict[str, str] | None = None) -> str:
    result = run_cli("estimate", str(SHOP), "--format", "html", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _text(html: str) -> str:
    """The page's words with tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_cover_names_date_versions_input_and_its_hash():
    page = html_of(env={"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01T00:00:00Z
    cover = re.search(r'<dl class="cover" id="cover">(.*?)</dl>', page).group(1)
    digest = hashlib.sha256(SHOP.read_bytes()).hexdigest()
    for shown in ("2026-01-01", "acvnum 0.", "ecommerce.yaml", digest):
        assert shown in cover
    factors = re.search(r"Factor tables</dt><dd>([^<]+)<", cover).group(1)
    # the tables' date, with a revision number past the first of a day: 2026.11.29.2
    assert re.fullmatch(r"\d{4}\.\d{2}(\.\d{2}(\.\d+)?)?", factors)


def test_cover_hashes_the_file_itself_when_its_name_is_escaped_for_the_page(tmp_path):
    # '&' and '<' are escaped as HTML, the ESC shown as '\x1b': the hash is of the file
    # by its real name, not by the name as the page shows it (which is no file: '—')
    odd = tmp_path / "a&b<c\x1bd.yaml"
    odd.write_bytes(SHOP.read_bytes())
    result = run_cli("estimate", str(odd), "--format", "html", "--levers", "0")
    assert result.returncode == 0, result.stderr
    cover = re.search(r'<dl class="cover" id="cover">(.*?)</dl>', result.stdout).group(1)
    assert hashlib.sha256(odd.read_bytes()).hexdigest() in cover
    assert "a&amp;b&lt;c\\x1bd.yaml" in cover
    assert "\x1b" not in cover and "—" not in cover


def test_uncertainty_is_in_the_page_when_asked():
    assert 'id="uncertainty"' not in html_of()
    page = html_of("--uncertainty", "--samples", "200")
    section = re.search(r'<section id="uncertainty".*?</section>', page, re.S).group(0)
    for cid in CRITERION_IDS:
        assert Translator("en")(f"criterion.{cid}") in section
    assert "What drives the spread" in section


def test_levers_say_what_to_do_beside_the_technical_change_and_why():
    words = _text(html_of())
    assert "keep laptops 7.5 years instead of 5 years" in words
    assert "device.laptop.lifetime: 5 years → 7.5 years" in words
    assert "Why these levers" in words
    assert "Source: [ADEME-Arcep-2022]" in words  # the rationale cites by key


def test_methodology_is_an_appendix_not_a_path_to_a_missing_file():
    page = html_of()
    assert 'id="methodology"' in page and "<h2>Appendix: methodology</h2>" in page
    assert "docs/methodology.md" not in _text(page)
    assert "<table>" in page.split('id="methodology"')[1]  # its tables are rendered


def test_print_stylesheet_sets_a4_and_lets_tables_wrap():
    page = html_of()
    assert "@page { size: A4" in page
    print_rules = page.split("@media print")[1]
    assert "overflow: visible" in print_rules  # no scrollbar printed around a table
    assert "break-before: page" in print_rules


def test_method_command_prints_the_methodology():
    text = run_cli("method", env={"COLUMNS": "80"})
    assert text.returncode == 0, text.stderr
    assert "acvnum methodology" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
    markdown = run_cli("method", "--format", "markdown").stdout
    assert markdown.startswith("# acvnum methodology")


def _printed(page: str, folder: Path) -> str:
    """The text of `page` printed to PDF by headless Chromium, as pdftotext -raw reads it:
    in the order the page draws it, so a cell wrapped over two lines reads whole (by
    position, 'Les 5 premiers' / the figures / 'ensemble' interleave)."""
    report, pdf = folder / "report.html", folder / "report.pdf"
    report.write_text(page, encoding="utf-8")
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        report.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    done = subprocess.run([PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian package chromium)")
@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (Debian package poppler-utils)")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_printed_pdf_keeps_every_lever_row_and_criterion(tmp_path, lang):
    # pdftotext drops thin spaces: compare without spaces.
    printed = re.sub(r"\s+", "", _printed(html_of("--lang", lang), tmp_path))
    t = Translator(lang)
    for cid in CRITERION_IDS:
        assert re.sub(r"\s+", "", t(f"criterion.{cid}")) in printed
    found = assess([str(SHOP)], Settings(levers=DEFAULT_LEVERS)).found(0)
    levers = printed.split(re.sub(r"\s+", "", t("section.levers")), 1)[1]
    rows = levers_section.lever_rows(found, t)
    assert len(rows) == DEFAULT_LEVERS + 1  # the levers and their combination
    for _rank, title, _change, *figures in rows:
        # The title (word by word: a wrapped title's lines come out between other cells),
        # and every figure up to the last column (energy): no column was cut.
        for cell in (*title.split(), *figures):
            assert re.sub(r"\s+", "", cell) in levers, cell


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian package chromium)")
@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (Debian package poppler-utils)")
def test_printed_portfolio_keeps_every_ranking_and_total_cell(tmp_path):
    """The French part (its longest words) of a folder, printed: every cell of the ranking
    and of the totals is in the PDF, none cut by the page."""
    folder = tmp_path / "services"
    folder.mkdir()
    for name in ("ecommerce.yaml", "webmail.yaml"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    result = run_cli("estimate", str(folder), "-f", "html", "--lang", "fr", "--levers", "0")
    assert result.returncode == 0, result.stderr
    t = Translator("fr")
    services = assess([str(folder)], Settings(levers=0)).services()
    squeezed = re.sub(r"\s+", "", _printed(result.stdout, tmp_path))
    part = squeezed.split(re.sub(r"\s+", "", portfolio_section.title(services, t)))
    assert len(part) == 2  # printed once, after the services' pages
    ranking, rest = part[1].split(re.sub(r"\s+", "", t("portfolio.totals")))  # in that order
    # The totals end at their caption: the sources and the method after it hold units,
    # criteria and short figures too.
    caption = re.sub(r"\s+", "", t("portfolio.caption"))
    assert caption in rest
    shown = [ranking, rest.split(caption)[0]]
    portfolio = build(services)
    tables = (
        (portfolio_section.ranking_table, portfolio_section.WORD_COLUMNS),
        (portfolio_section.totals_table, frozenset()),  # criterion and unit: before figures
    )
    for printed, (table, among_figures) in zip(shown, tables, strict=True):
        _header, rows = table(portfolio, t)
        for row in rows:
            # figures whole (they never wrap); words one by one: a wrapped cell's lines
            # come out between other cells
            figures = [c for i, c in enumerate(row) if i >= 2 and i not in among_figures]
            words = [w for i, c in enumerate(row) if i < 2 or i in among_figures for w in c.split()]
            for cell in (*(re.sub(r"\s+", "", f) for f in figures), *words):
                assert cell in printed, cell
