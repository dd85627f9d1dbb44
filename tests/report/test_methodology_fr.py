"""The methodology in French follows the English one: same sections (count and level), same
tables and rows, same formulas, every code span (factor ids, paths, keys) and every figure of
each English section present in its French section. An edit of one without the other fails
and names the section. Then: `acvnum method --lang fr`, the locale, and the French appendix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from conftest import EXAMPLES, run_cli

from acvnum.report import methodology

FENCE = "```"


@dataclass
class Section:
    """One heading and what lies under it, up to the next heading."""

    heading: str
    level: int
    prose: list[str] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)  # rows of each table (header included)
    blocks: list[list[str]] = field(default_factory=list)  # fenced blocks, comments dropped


def sections(markdown: str) -> list[Section]:
    """The document cut at its headings (a `#` inside a fenced block is not a heading)."""
    found = [Section("(before the title)", 0)]
    fenced, in_table = False, False
    for line in markdown.splitlines():
        here = found[-1]
        if line.startswith(FENCE):
            fenced = not fenced
            if fenced:
                here.blocks.append([])
            continue
        if fenced:
            here.blocks[-1].append(line.split("#")[0].rstrip())
            continue
        heading = re.match(r"(#+) (.*)", line)
        if heading:
            found.append(Section(heading.group(2), len(heading.group(1))))
            in_table = False
            continue
        if line.startswith("|"):
            if not in_table:
                here.tables.append(0)
            in_table = True
            here.tables[-1] += not re.fullmatch(r"[|\-: ]+", line)  # the rule is no row
            continue
        in_table = False
        here.prose.append(line)
    return found


def code_spans(raw: str) -> set[str]:
    """The inline code of a section's text (tables included), spaces squeezed across lines."""
    prose = re.sub(r"^```.*?^```", " ", raw, flags=re.S | re.M)  # blocks are compared apart
    return set(re.findall(r"`([^`]+)`", " ".join(prose.split())))


def figures(text: str, lang: str) -> set[str]:
    """The numbers a text states, written one way: 1,406 (en) and 1 406 (fr) are 1406, 0.52
    and 0,52 are 0.52. Code spans are left out (they are compared as written)."""
    text = re.sub(r"`[^`]*`", " ", text)
    if lang == "en":
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    else:
        text = re.sub(r"(?<=\d)[\u00a0\u202f](?=\d{3}\b)", "", text)  # no-break spaces only
        text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    return set(re.findall(r"\d+(?:\.\d+)*(?:e-?\d+)?", text))


def raw_sections(markdown: str) -> list[str]:
    """Each section's raw text (tables included), cut as `sections` cuts it."""
    parts, fenced, current = [], False, []
    for line in markdown.splitlines():
        if line.startswith(FENCE):
            fenced = not fenced
        if not fenced and re.match(r"#+ ", line):
            parts.append("\n".join(current))
            current = []
            continue
        current.append(line)
    parts.append("\n".join(current))
    return parts


ENGLISH, FRENCH = methodology.text("en"), methodology.text("fr")


def test_french_has_the_english_headings_in_number_and_level():
    english, french = sections(ENGLISH), sections(FRENCH)
    assert [s.level for s in french] == [s.level for s in english], (
        "the French methodology's headings differ from the English ones: "
        f"{[(s.level, s.heading) for s in english]} against "
        f"{[(s.level, s.heading) for s in french]}"
    )


PAIRS = list(zip(sections(ENGLISH), sections(FRENCH), strict=False))
RAW = list(zip(raw_sections(ENGLISH), raw_sections(FRENCH), strict=False))


@pytest.mark.parametrize("index", range(len(PAIRS)), ids=lambda i: PAIRS[i][0].heading[:40])
def test_each_french_section_keeps_the_english_tables_formulas_ids_and_figures(index):
    (english, french), (english_raw, french_raw) = PAIRS[index], RAW[index]
    where = f"section «{english.heading}» (French: «{french.heading}»)"
    assert french.tables == english.tables, f"{where}: tables and their rows differ"
    assert french.blocks == english.blocks, f"{where}: a formula or code block differs"
    missing = sorted(code_spans(english_raw) - code_spans(french_raw))
    assert not missing, f"{where}: the French lacks the code spans {missing}"
    lost = sorted(figures(english_raw, "en") - figures(french_raw, "fr"))
    assert not lost, f"{where}: the French lacks the figures {lost}"


def test_a_section_edited_in_english_only_is_named():
    edited = ENGLISH.replace("| `period` | 1 year |", "| `period` | 1 year |\n| `new` | 2 |")
    by_heading = {
        e.heading: (e.tables, f.tables)
        for e, f in zip(sections(edited), sections(FRENCH), strict=False)
    }
    english_rows, french_rows = by_heading["4. Defaults and their sources"]
    assert english_rows != french_rows  # the check above would fail there, and name it
    assert figures("1,406 kg and 0.52", "en") == figures("1\u00a0406 kg et 0,52", "fr")


def test_method_speaks_french_with_lang_and_with_the_locale():
    asked = run_cli("method", "--lang", "fr", env={"COLUMNS": "80"})
    assert asked.returncode == 0, asked.stderr
    assert "Méthodologie d'acvnum" in asked.stdout
    assert max(len(line) for line in asked.stdout.splitlines()) <= 80
    markdown = run_cli("method", "-f", "markdown", env={"LANG": "fr_FR.UTF-8"}).stdout
    assert markdown == FRENCH
    over = run_cli("method", "-f", "markdown", "--lang", "en", env={"LANG": "fr_FR.UTF-8"})
    assert over.stdout == ENGLISH  # --lang over the locale


def test_a_french_report_ends_with_the_french_methodology():
    page = run_cli("estimate", str(EXAMPLES / "ecommerce.yaml"), "-f", "html", "--lang", "fr")
    assert page.returncode == 0, page.stderr
    appendix = page.stdout.split('id="methodology"')[1]
    assert "<h2>Annexe\u202f: méthodologie</h2>" in page.stdout
    assert "Méthodologie d'acvnum" in appendix and "acvnum methodology" not in appendix
    # The bibliography cites it in French and links to the appendix.
    cited = page.stdout.split('id="source-acvnum-method"')[1].split("</li>")[0]
    assert "acvnum, méthodologie (acvnum method --lang fr)." in cited
    assert 'href="#methodology"' in cited
