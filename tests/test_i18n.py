"""One catalogue of words: English and French have the same keys and placeholders, no report
shows a raw key, and the French reports show no English sentence of the catalogue."""

from __future__ import annotations

import re
import string
from functools import cache
from html.parser import HTMLParser

import pytest
from conftest import EXAMPLES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from acvnum import __version__
from acvnum.assessment import Settings, assess
from acvnum.i18n import LANGUAGES, Figure, Translator, Value, catalogue, english_text
from acvnum.questionnaire import units
from acvnum.report import html, markdown, text
from acvnum.report.common import cited
from acvnum.report.text import path_lines

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def wide_text(results: list, lang: str) -> str:
    """The text report on a console wide enough that no cell wraps, so that data (a source)
    can be told from our words by an exact match."""
    return text.render(results, lang, False, width=5000, details=True)


RENDERERS = {
    "text": wide_text,
    "markdown": markdown.render,
    "html": html.render,
}


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_both_languages_have_the_same_keys():
    en, fr = catalogue("en"), catalogue("fr")
    assert sorted(set(en) - set(fr)) == []
    assert sorted(set(fr) - set(en)) == []


def test_french_names_the_persons_equivalent_one_way():
    """'équivalents-personnes' ('Éq.-personnes', 'Éq.-pers.' in a column), as the key figure and
    the levers say it: the portfolio and the what-if said 'personnes-équivalent' and the levers'
    column 'Pers.-éq.', three names for one figure in one report."""
    other = re.compile(r"personnes?-équivalent|pers\.-éq", re.IGNORECASE)
    assert [key for key, words in catalogue("fr").items() if other.search(words)] == []


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_both_languages_take_the_same_placeholders(key):
    english, french = catalogue("en")[key], catalogue("fr")[key]
    if re.fullmatch(r"\{(?:said|text)\}", english):
        # English is a reader's own sentence (PyYAML's, the JSON reader's, pydantic's),
        # which French says in its words from the other arguments.
        assert placeholders(english) - placeholders(french)
        return
    assert placeholders(french) == placeholders(english)


@cache
def results_of(path: str) -> list:
    """Every section a report can have: levers and uncertainty switched on."""
    return assess([path], Settings(levers=5, samples=64, seed=1)).services()


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
    # The methodology appendix names factor ids as written (test_methodology_fr checks it).
    rendered = rendered.split('<section class="service" id="methodology">')[0]
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
    """What a report shows that the user or a cited source wrote, not words of ours: the
    service's name, description and functional unit, sources, the factors' version, the
    questionnaire paths, the factor ids of the uncertainty drivers.
    Values and changes are ours to localise ('4 ans', '8 / mois', '3 → 1,6'): not here."""
    found: list[str] = []
    for r, analyses in results_of(path):
        found += [r.name, r.description or "", r.functional_unit or "", r.factors_version]
        found += r.factor_sources
        found += [part for a in r.assumptions for part in (a.path, a.source)]
        # the text report breaks a long path before a dot: its pieces are the path too
        found += [piece for a in r.assumptions for piece in path_lines(a.path).split("\n")]
        found += [lever.lever.source for lever in analyses.levers]
        u = analyses.uncertainty
        if u is not None:  # factor ids and questionnaire paths driving the spread
            found += [d.name for d in u.drivers]
            found += [d.name for ds in u.drivers_by_criterion.values() for d in ds]
    found.append(f"acvnum {__version__}")  # the HTML cover names the tool's version
    # The bibliography: titles as published, and their addresses.
    found += [part for s in cited(results_of(path)) for part in (s.citation, s.url)]
    return sorted(filter(None, found), key=len, reverse=True)


def english_fragments(units: bool = True) -> dict[str, list[str]]:
    """The fixed parts of each English message that differs from its French translation
    (`units`: with the unit words, which a questionnaire in YAML spells in English)."""
    en, fr = catalogue("en"), catalogue("fr")
    fragments = {}
    for key, message in en.items():
        if message == fr[key] or (key.startswith("unit.") and not units):
            continue
        if key.startswith("choice."):  # a questionnaire's word ('power'), quoted as the
            continue  # file writes it in a sentence; shown as a value, test_french_sweep

        parts = [literal.strip() for literal, *_ in string.Formatter().parse(message)]
        # Units are short ('GB', 'day' in 'h/day') but as English as any sentence.
        shortest = 2 if key.startswith("unit.") else 4
        kept = [p for p in parts if len(p) >= shortest and p not in fr[key]]
        if kept:
            fragments[key] = kept
    return fragments


def without(text_: str, strings: list[str]) -> str:
    squeezed = " ".join(text_.split())
    for s in strings:
        squeezed = squeezed.replace(" ".join(s.split()), " ")
    return squeezed


@cache
def french_shown(path: str, fmt: str) -> str:
    """The French report's words of ours (a str: the two tests below share it)."""
    return without(report(path, fmt, "fr"), data_strings(path))


@cache
def english_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(key, fragment, pattern) of every English fragment, compiled once: there are more
    than re's cache of compiled patterns holds, so each report would compile them all."""
    return tuple(
        (key, part, re.compile(rf"(?<![\w-]){re.escape(part)}(?![\w-])"))  # not 'week-end'
        for key, parts in english_fragments().items()
        for part in parts
    )


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_french_reports_show_no_english_sentence(path, fmt):
    shown = french_shown(str(path), fmt)
    english = {
        key: part
        for key, part, pattern in english_patterns()
        # `part in shown` first: the same answer (the pattern matches only where the
        # fragment is), found by a plain substring scan rather than a regex scan.
        if part in shown and pattern.search(shown)
    }
    assert english == {}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_french_reports_write_numbers_and_colons_the_french_way(path, fmt):
    shown = french_shown(str(path), fmt)
    # Each pattern is anchored at the start of a run of non-spaces, `(?<!\S)`: the same
    # matches (a run that has a match anywhere has one from its start, and the greedy
    # `\S*` takes it whole), without retrying from every position of the text report's
    # 5000-wide rules, which made the search quadratic (about 1 s a report).
    assert re.findall(r"(?<!\S)\S*\d\.\d\S*", shown) == []  # '1,6', never '1.6'
    # A space (narrow no-break here) before every colon: 'Énergie par visite : 109 Wh'.
    assert re.findall(r"(?<!\S)\S*[^\s\u202f\u00a0-]:(?=\s)", shown) == []  # not '|---:|'


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_french_reports_set_a_narrow_no_break_space_before_every_percent_sign(path, fmt):
    """'0,846\u202f%' as '73\u202f%': the boundaries' shares, the blocks' and the portfolio's
    were written with a plain space, and the uncertainty's 'à 90 %' too."""
    assert re.findall(r"\S*\d %", report(str(path), fmt, "fr")) == []


#: The prefixes of the messages that reports show (not init's prompts, the schema, errors).
REPORT_KEYS = ("warning.", "uncertainty.", "check.", "portfolio.", "levers.", "what_if.")


def test_french_report_messages_hold_guillemets_and_percent_signs_with_no_break_spaces():
    """'«\u202fhosting\u202f»', '90\u202f%': a plain space could end a line with '«' or
    start one with '»' or '%' (the warnings of a service without hosting)."""
    plain = re.compile(r"« | »|[\d}] %")
    messages = catalogue("fr").items()
    assert [k for k, v in messages if k.startswith(REPORT_KEYS) and plain.search(v)] == []


def test_french_init_speaks_french_only(tmp_path):
    path = tmp_path / "service.yaml"
    result = run_cli("init", str(path), "--lang", "fr", stdin="\n" * 30)
    assert result.returncode == 0, result.stderr
    shown = " ".join((result.stdout + path.read_text(encoding="utf-8")).split())
    english = [
        part
        for parts in english_fragments(units=False).values()
        for part in parts
        if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", shown)
    ]
    assert english == []
    assert not KEY_PATTERN.search(shown)


YEAR = units.SECONDS_PER_YEAR


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (Value(YEAR, "s", written=True), "1 year", "1\u00a0an"),
        (Value(4 * YEAR, "s", written=True), "4 years", "4\u00a0ans"),
        (Value(2.5, "year", written=True), "2.5 years", "2,5\u00a0ans"),
        (Value(1.5 * YEAR, "s", written=True), "1.5 years", "1,5\u00a0an"),  # singular below 2
        (Value(13 * YEAR / 12, "s", written=True), "13 months", "13\u00a0mois"),
        (Value(90.5, "s", written=True), "90.5 s", "90,5\u00a0s"),  # no round count of a unit
        (Value(3.1e7, "s", written=True, approximate=True), "11.8 months", "11,8\u00a0mois"),
        (Value(units.Frequency(8, YEAR / 12), written=True), "8 / month", "8\u00a0/ mois"),
        (Value(3.6, "h/day", written=True), "3.6 h/day", "3,6\u00a0h/jour"),
        (Value(0.05, "kWh/GB", written=True), "0.05 kWh/GB", "0,05\u00a0kWh/Go"),
        (Value(3.76e12, "B", written=True), "3.76 TB", "3,76\u00a0To"),
        (Value(0.6, "%", written=True), "60%", "60\u202f%"),
        (Value(0.125, "%", written=True), "12.5%", "12,5\u202f%"),  # to a tenth of a percent
        (Value(1.56789, written=True), "1.56789", "1,56789"),  # every digit 'g' keeps
        (Value(50000.0, written=True), "50000", "50\u202f000"),
        (Value(8.0, "billion", written=True), "8B", "8B"),  # parameters, not bytes ('8o')
        (
            Value(12345.6, "kg CO2 eq", written=True, digits=4),
            "1.235e+04 kg CO2 eq",
            "12\u202f350\u00a0kg CO2 eq",
        ),
        (Value("FRA", written=True), "FRA", "FRA"),  # data: a country code
        (Value("ssd", written=True), "ssd", "ssd"),
    ],
)
def test_an_assumption_s_value_is_a_number_until_rendered(value, english, french):
    assert str(value) == Translator("en").value(value) == english
    assert Translator("fr").value(value) == french


def test_a_range_shows_its_ends_as_written_and_its_centre_to_three_digits():
    # The ends as the file wrote them: '2MB' (1 digit, no space), '1,500 MB' (2 digits).
    ends = (
        Figure(2.0, "MB", False, 1, written="2MB"),
        Figure(1500.0, "MB", True, 2, written="1,500 MB"),
    )
    value = Value(2.82843e6, "B", written=True, digits=3, ends=ends)
    assert str(value) == "2MB..1,500 MB (central 2.83 MB)"
    french = "2Mo..1\u202f500\u00a0Mo (valeur centrale 2,83\u00a0Mo)"
    assert Translator("fr").value(value) == french
    odd = Value(
        1.5, written=True, digits=3, ends=("about 1", Figure(2.0, precision=1, written="2"))
    )
    assert Translator("fr").value(odd) == "about 1..2 (valeur centrale 1,5)"  # unread: as written


def _end(text: str, amount: float, unit: str, digits: int) -> Figure:
    return Figure(amount, unit, True, digits, written=text)


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        # 2.5e6 bytes: 2.5 MB; 'MB' is 'Mo' in fr.json, after a no-break space.
        (Value(2.5e6, "B", written=True), "2.5 MB", "2,5\u00a0Mo"),
        # A share: 0.6 is 60%; French sets a narrow no-break space before '%'.
        (Value(0.6, "%"), "60%", "60\u202f%"),
        # 7/12 of a year is no round count of years: 7 months ('mois' either way in French).
        (Value(7 * YEAR / 12, "s", written=True), "7 months", "7\u00a0mois"),
        (Value(YEAR / 12, "s", written=True), "1 month", "1\u00a0mois"),
        # sqrt(1500 x 3000) GB = 2121.3 GB: 2.12 TB to 3 digits; the ends with the digits
        # written (2 each), grouped in French by a narrow no-break space.
        (
            Value(
                2.12132e12,
                "B",
                written=True,
                digits=3,
                ends=(_end("1,500 GB", 1500.0, "GB", 2), _end("3,000 GB", 3000.0, "GB", 2)),
            ),
            "1,500 GB..3,000 GB (central 2.12 TB)",
            "1\u202f500\u00a0Go..3\u202f000\u00a0Go (valeur centrale 2,12\u00a0To)",
        ),
        # A default: the catalogue's note after the value.
        (Value(0.6, "%", written=True, default=True), "60% (default)", "60\u202f% (défaut)"),
    ],
)
def test_a_value_in_english_and_in_french(value, english, french):
    assert str(value) == english
    assert Translator("fr").value(value) == french


#: The number a value's text starts with: English '1.23457e+06', French '1 234 570'.
_NUMBER = {
    "en": re.compile(r"-?\d[\d.]*(?:e[-+]\d+)?"),
    "fr": re.compile(r"-?\d[\d,\u202f]*(?:e[-+]\d+)?"),
}


def _digits_and_number(text: str, lang: str) -> tuple[str, float]:
    """The significant digits of the value's number (no leading or trailing zeros, no
    exponent) and the number itself."""
    number = _NUMBER[lang].match(text)
    assert number is not None, text
    plain = number[0].replace("\u202f", "").replace(",", ".")
    mantissa = plain.lstrip("-").split("e")[0].replace(".", "")
    return mantissa.strip("0") or "0", float(plain)


@given(
    st.integers(1, 999_999),
    st.integers(-9, 9),
    st.sampled_from(["", "W", "B", "%", "s", "year", "kWh/GB", "billion"]),
    st.sampled_from(
        [
            {},
            {"factor": True},
            {"written": True},
            {"written": True, "digits": 3},
            {"written": True, "approximate": True},
        ]
    ),
)
@settings(max_examples=500, deadline=None)
def test_french_shows_the_digits_english_shows(mantissa, exponent, unit, kind):
    """Amounts of every magnitude (1e-9 to 1e15) and digit count (1 to 6): the French
    text's number has the English text's significant digits and value."""
    amount = mantissa * 10.0**exponent
    value = Value(amount, unit, **kind)
    english, french = str(value), Translator("fr").value(value)
    assert _digits_and_number(french, "fr") == _digits_and_number(english, "en")


@pytest.mark.parametrize(
    "seconds", [60.0, 300.0, 90.5, 3600.0, 86400.0 * 3, YEAR / 12, YEAR, 1.5 * YEAR, 4 * YEAR]
)
def test_a_written_duration_reads_as_the_questionnaire_writes_it(seconds):
    for approximate in (False, True):
        value = Value(seconds, "s", written=True, approximate=approximate)
        assert str(value) == units.format_duration(seconds, approximate)


@pytest.mark.parametrize("amount", [0.0372, 0.5, 1.0, 2.5, 12.345, 999.5, 1234.5, 86400.0, 3.2e7])
def test_a_written_value_keeps_the_digits_of_python_g(amount):
    """The JSON's assumption values as they were written before they were Values."""
    assert str(Value(amount, written=True)) == f"{amount:g}"
    assert str(Value(amount, "W", written=True)) == f"{amount:g} W"
    assert str(Value(amount * 1e6, "B", written=True)) == units.format_bytes(amount * 1e6)


def test_units_and_colons_follow_the_language():
    fr, en = Translator("fr"), Translator("en")
    assert fr.unit("disease incidence") == "incidence de maladie"
    assert en.unit("disease incidence") == "disease incidence"
    assert fr.label("Énergie par visite") == "Énergie par visite\u202f: "
    assert en.label("Energy per visit") == "Energy per visit: "


def test_check_summaries_agree_with_one_failure():
    fr, en = Translator("fr"), Translator("en")
    assert fr("check.summary.failed", failed=1, count=13) == "Contrôles en échec\u202f: 1 sur 13."
    assert fr("check.summary.passed", count=1) == "Contrôles réussis\u202f: 1 sur 1."
    assert en("check.summary.failed", failed=1, count=13) == "1 of 13 checks failed."


def test_percentages_follow_the_language():
    # French puts a (narrow no-break) space before the percent sign; English does not
    from acvnum.i18n import Translator

    assert Translator("en").percent(0.564) == "56%"
    assert Translator("fr").percent(0.564) == "56\u202f%"


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (Value(3.75 * units.SECONDS_PER_YEAR, "s"), "3.75 years", "3,75\u00a0ans"),
        (Value(1.5, "year", factor=True), "1.5 years", "1,5\u00a0an"),
        (Value(300.0, "s"), "5 min", "5\u00a0min"),
        (Value(2_826_000.0, "B"), "2.83 MB", "2,83\u00a0Mo"),
        (Value(0.6, "%"), "60%", "60\u202f%"),
        (Value(1.56, default=True), "1.56 (default)", "1,56 (défaut)"),
        (Value(50000.0), "50000", "50\u202f000"),
        (Value(241.3, "W"), "241 W", "241\u00a0W"),
        (Value(0.05, "kWh/GB", factor=True), "0.05 kWh/GB", "0,05\u00a0kWh/Go"),
        (Value(units.Frequency(8, units.SECONDS_PER_YEAR / 12)), "8 / month", "8\u00a0/ mois"),
        (Value(70.0, "billion"), "70B", "70B"),  # parameters, not bytes ('70o' before)
        (Value(12.5, "billion"), "12.5B", "12,5B"),
        (Value(None), "default", "défaut"),
        (Value("SWE"), "SWE", "SWE"),
    ],
)
def test_a_change_s_value_is_a_number_until_rendered(value, english, french):
    assert str(value) == Translator("en").value(value) == english
    assert Translator("fr").value(value) == french


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, 1.0, 0.9995, 999.5, 59.97, 3599.9, 1e-300, 5e-324]),
        st.integers(-(10**6), 10**6),
        st.booleans(),
        st.sampled_from(["SWE", "hdd", 'a "quoted" \\ name', "élan"]),
    ),
    st.sampled_from(["", "s", "year", "B", "%", "billion", "W", "kWh/GB", "kg CO2e"]),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_a_change_s_value_written_without_its_value_object_is_the_same_text(amount, unit, factor):
    """english_text (the folder JSON's levers) is str(Value) of a change's value, whatever
    the number (zeros of either sign, ties of rounding, not finite), unit or type."""
    assert english_text(amount, unit, factor=factor) == str(Value(amount, unit, factor=factor))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_catalogue_names_each_key_once(lang):
    """json.load keeps the last of two equal keys: a second entry would silently win."""
    import json
    from collections import Counter
    from pathlib import Path

    import acvnum

    path = Path(acvnum.__file__).parent / "locale" / f"{lang}.json"
    keys = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=lambda pairs: pairs)
    assert [k for k, n in Counter(k for k, _ in keys).items() if n > 1] == []


#: What is not French prose in a message, so not set by its punctuation: a placeholder's
#: format spec ('{value:.3g}' is kept as '{value}'), code between backquotes
#: (`acvnum schema`), a URL ('https://…'), a YAML line quoted as the file writes it
#: («\u202ftype: virtual\u202f»).
_NOT_PROSE = re.compile(
    r"\{(\w*)[^{}]*\}|(`[^`]*`|\b[a-z][a-z+.-]*://\S+|«\u202f[\w.]+: [^»]*\u202f»)"
)

#: A message that opens with the file it is about, as 'fichier:ligne:colonne: ' opens a
#: problem and 'acvnum: ' a refusal: a location, written without a space before its colon.
_LOCATION = re.compile(r"^\{(?:file|path)\}:(?= )")


def french_punctuation_faults(message: str) -> list[str]:
    """The signs ':' ';' '!' '?' of a French message's prose that do not follow the narrow
    no-break space U+202F ('Méthode\u202f: …'): after an ordinary space (a line could wrap
    before the colon), a no-break U+00A0 (not the catalogue's punctuation.colon), or a
    word ('Note: …').
    A colon between two words or figures ('heures:minutes', 'fichier:ligne:colonne',
    '1:30', '16:9') is not punctuation, nor is '(!)'."""
    prose = _NOT_PROSE.sub(lambda m: "" if m[2] else f"{{{m[1]}}}", message)
    prose = _LOCATION.sub("", prose)
    after_a_space = re.findall(r"\S*[ \u00a0][:;!?]", prose)
    after_a_word = re.findall(r"\S*[^\s\u202f][:;!?](?=\s|$)", prose)
    return after_a_space + after_a_word


@pytest.mark.parametrize(
    "message",
    [
        "Méthode : acvnum method.",
        "Méthode\u00a0: acvnum method.",
        "Méthode: acvnum method.",
        "{criterion} : {value}",
        "{what}\u202f: attendu 0 ou plus ; reçu {value:g}",
        "Vraiment ?",
        "un modèle d'IA plus petit !",
        "(tué, ou mémoire épuisée ?)\u202f: relancez",
        "{file}\u202f: avec {typed}: {reasons}",
    ],
)
def test_a_french_sign_after_a_space_or_a_word_is_a_fault(message):
    assert french_punctuation_faults(message) != []


@pytest.mark.parametrize(
    "message",
    [
        "Méthode\u202f: acvnum method.",
        "Réseau alloué {network}\u202f; les chiffres réseau par Go",
        "Vraiment\u202f? Oui\u202f!",
        "reçu\u202f: {value:.3g} ({share:.0%})",
        "{value: >8}",
        "Toutes les clés\u202f: `acvnum schema --format json : yaml`.",
        "voir https://example.org/a:b?x=1 ou http://acvnum.test:8080/",
        "écrivez «\u202ftype: virtual\u202f»",
        "'1:30' est ambigu (heures:minutes ou minutes:secondes\u202f?)",
        "un écran 16:9, à 12:30",
        "chaque problème en fichier:ligne:colonne\u202f; 130 arrêt",
        "ne peut pas apparaître dans une étiquette (!)",
        "{file}: {reason}",
        "{file}: avec {typed}\u202f: {reasons}",
    ],
)
def test_not_french_prose_or_set_the_french_way_is_no_fault(message):
    assert french_punctuation_faults(message) == []


def test_french_sets_a_narrow_no_break_space_before_colons_semicolons_and_marks():
    """Not an ordinary space (a line would wrap before ':' and leave it alone), nor U+00A0:
    U+202F everywhere, as Words.label and punctuation.colon write it."""
    faults = {
        key: found
        for key, message in catalogue("fr").items()
        if (found := french_punctuation_faults(message))
    }
    assert faults == {}
