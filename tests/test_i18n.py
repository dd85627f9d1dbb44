"""One catalogue of words: English and French have the same keys and placeholders, no report
shows a raw key, and the French reports show no English sentence of the catalogue."""

from __future__ import annotations

import re
import string
from functools import cache
from html.parser import HTMLParser

import pytest
from conftest import EXAMPLES, run_cli

from acvnum.assessment import Settings, assess
from acvnum.i18n import LANGUAGES, catalogue
from acvnum.report import html, markdown, text

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
RENDERERS = {
    "text": lambda results, lang: text.render(results, lang, False),
    "markdown": markdown.render,
    "html": html.render,
}


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_both_languages_have_the_same_keys():
    en, fr = catalogue("en"), catalogue("fr")
    assert sorted(set(en) - set(fr)) == []
    assert sorted(set(fr) - set(en)) == []


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_both_languages_take_the_same_placeholders(key):
    assert placeholders(catalogue("fr")[key]) == placeholders(catalogue("en")[key])


@cache
def results_of(path: str) -> list:
    """Every section a report can have: levers and uncertainty switched on."""
    return assess([path], Settings(levers=5, samples=64, seed=1))


class VisibleText(HTMLParser):
    """The words a reader sees: text and attribute values people read, no markup, no CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        self.words += [v for k, v in attrs if k in ("aria-label", "title", "alt") and v]

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.words.append(data)


@cache
def report(path: str, fmt: str, lang: str) -> str:
    """The report's visible text (for HTML: what the page shows, not its markup)."""
    rendered = RENDERERS[fmt](results_of(path), lang)
    if fmt != "html":
        return rendered
    visible = VisibleText()
    visible.feed(rendered)
    return "\n".join(visible.words)


#: A catalogue key as it would leak: a known prefix, a dot, a lowercase name (section.impacts).
KEY_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted({k.split(".")[0] for k in catalogue("en")})) + r")\.[a-z_][\w.]*"
)

CASES = [(path, fmt, lang) for path in EXAMPLE_FILES for fmt in RENDERERS for lang in LANGUAGES]


@pytest.mark.parametrize(("path", "fmt", "lang"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_no_report_shows_a_catalogue_key(path, fmt, lang):
    leaked = set(KEY_PATTERN.findall(report(str(path), fmt, lang)))
    assert leaked == set()


def data_strings(path: str) -> list[str]:
    """What a report shows that is data, not words of ours: names, sources, ids, lever text."""
    found: list[str] = []
    for r in results_of(path):
        found += [r.name, r.description or "", *r.factor_sources]
        found += [part for a in r.assumptions for part in (a.path, a.value, a.source)]
        for lever in r.levers:
            found += [lever.lever.source, lever.change_text()]
    return sorted(filter(None, found), key=len, reverse=True)


def english_fragments() -> dict[str, list[str]]:
    """The fixed parts of each English message that differs from its French translation."""
    en, fr = catalogue("en"), catalogue("fr")
    fragments = {}
    for key, message in en.items():
        if message == fr[key]:
            continue
        parts = [literal.strip() for literal, *_ in string.Formatter().parse(message)]
        kept = [p for p in parts if len(p) >= 4 and p not in fr[key]]
        if kept:
            fragments[key] = kept
    return fragments


def without(text_: str, strings: list[str]) -> str:
    squeezed = " ".join(text_.split())
    for s in strings:
        squeezed = squeezed.replace(" ".join(s.split()), " ")
    return squeezed


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_french_reports_show_no_english_sentence(path, fmt):
    shown = without(report(str(path), fmt, "fr"), data_strings(str(path)))
    english = {
        key: part
        for key, parts in english_fragments().items()
        for part in parts
        if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", shown)
    }
    assert english == {}


def test_french_init_speaks_french_only(tmp_path):
    path = tmp_path / "service.yaml"
    result = run_cli("init", str(path), "--lang", "fr", stdin="\n" * 20)
    assert result.returncode == 0, result.stderr
    shown = " ".join((result.stdout + path.read_text(encoding="utf-8")).split())
    english = [
        part
        for parts in english_fragments().values()
        for part in parts
        if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", shown)
    ]
    assert english == []
    assert not KEY_PATTERN.search(shown)
