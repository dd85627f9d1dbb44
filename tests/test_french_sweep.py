"""A French run says nothing in English: every command's French output on the examples
(estimate in text, markdown and HTML, check, diff, validate, factors, init, what-if and
refused input) is swept for English words, after taking out what stays as published or
as written: source titles and notes, factor ids and units, questionnaire paths, keys and
the user's own texts."""

from __future__ import annotations

import html
import re
from functools import cache

import pytest
import yaml
from conftest import EXAMPLES, ROOT, run_cli

from acvnum.i18n import catalogue
from acvnum.reference import sources
from acvnum.reference.criteria import CRITERIA
from acvnum.reference.factors import load_factors

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
#: A terminal wide enough that no cell wraps: a source or a name is matched whole.
WIDE = {"COLUMNS": "5000"}
#: A word, hyphenated ones whole ('week-end' is French).
_WORD = re.compile(r"[^\W\d_][^\W\d]*(?:-[^\W\d]+)*")
#: Keys whose English is a reader's own sentence or the file's own words: said elsewhere.
_NOT_OURS = ("choice.", "yaml.said.", "json.said.", "yaml.token.")
#: The questionnaire schema's texts (acvnum schema --lang fr), which editors show.
_SCHEMA = "schema."
#: What Python would print and YAML never writes.
_PYTHON = {"None", "True", "False", "dict", "list"}


@cache
def english_words() -> frozenset[str]:
    """Words of our English (the catalogue's, and the words acvnum adds to values and
    paths: 'per_server', 'idle'), that no French message uses."""
    en, fr = catalogue("en"), catalogue("fr")
    # The schema's words quote the file's keys and choices ('per_server'), in both languages:
    # left out on both sides, they neither make a choice French nor add to our English.
    french = {
        w.lower()
        for key, text in fr.items()
        if not key.startswith(_SCHEMA)
        for w in _WORD.findall(text)
    }
    ours = {
        w.lower()
        for key, text in en.items()
        if not key.startswith((*_NOT_OURS, _SCHEMA)) and text != fr[key]
        for literal in re.split(r"\{[^}]*\}", text)
        for w in _WORD.findall(literal)
    }
    # A choice in English is the file's word ('per_server'): shown as a value, it is French.
    ours |= {en[k].lower() for k in en if k.startswith("choice.") and en[k] != fr[k]}
    return frozenset(w for w in ours - french if len(w) >= 3)


@cache
def published() -> list[str]:
    """What stays as published: the sources' citations and addresses, the factors' source
    texts, notes, licences and units, longest first (a part of one is not taken first)."""
    texts = [part for s in sources.registry().values() for part in (s.citation, s.url)]
    for factor in load_factors().factors.values():
        texts += [factor.source, factor.note, factor.licence, factor.unit]
    texts += [c.unit for c in CRITERIA]  # 'm3 world eq', as the EF method names it
    return sorted(filter(None, set(texts)), key=len, reverse=True)


@cache
def unit_words() -> frozenset[str]:
    """The words of the factors' units and licences, which `acvnum factors` shows as
    published (a licence whole, wrapped: 'public model cards; parameter counts cited')."""
    texts = [text for f in load_factors().factors.values() for text in (f.unit, f.licence)]
    return frozenset(w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text))


def written(path) -> list[str]:
    """The user's own texts in a questionnaire: names, descriptions, functional units."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "description", "functional_unit") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


#: Questionnaire paths and factor ids ('hosting.servers[0].power', 'network.fixed.intensity'),
#: citation keys ('[ADEME-BE]'), addresses and file names.
_DATA = re.compile(
    r"https?://\S+|\[[^\]\s]+\]|\S+\.(?:yaml|json|csv|md|html)\b"
    r"|[\w-]+(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)+"
)
#: What a message quotes from the file or the user (« parsecs », the tag written) and the
#: spellings a field accepts ('(connues : an, ..., day, ...)').
_QUOTED = re.compile(r"«[^»]*»|\(connue?s?\s?:[^)]*\)")


def visible(text: str) -> str:
    """An HTML page's text as a reader sees it (no markup, style or script)."""
    if "<html" not in text:
        return text
    # The appendix is the methodology, whose formulas keep their English names: swept apart
    # (cut before its tag, not inside it: the tag's 'class' would read as a word).
    text = re.split(r'<[^<>]*id="methodology"', text)[0]
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _uncropped(text: str) -> str:
    """The text without the cells a table cropped ('licence : provider published figures…',
    'Wh/token/bill…') where what is left begins a published text."""
    lines = []
    for line in text.splitlines():
        cells = re.split(r"(\s{2,})", line)
        for i, cell in enumerate(cells):
            body = re.sub(r"^\s*licence\s?:\s", "", cell).strip()
            if body.endswith("…") and any(p.startswith(body[:-1]) for p in published()):
                cells[i] = " "
        lines.append("".join(cells))
    return "\n".join(lines)


def english_in(text: str, data: list[str], allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words of `text` once published and written data are taken out, and
    the words `allowed` there."""
    squeezed = " ".join(_uncropped(visible(text)).split())
    # Longest first: a name inside a description is not taken out of it first. Short
    # texts ('year', 'W') would be taken out of words: phrases and long words only.
    for part in sorted([*data, *published()], key=len, reverse=True):
        if len(part) >= 5:
            squeezed = squeezed.replace(" ".join(part.split()), " ")
    squeezed = _DATA.sub(" ", _QUOTED.sub(" ", squeezed))
    vocabulary = english_words()
    return sorted(
        {
            w
            for w in _WORD.findall(squeezed)
            if w in _PYTHON
            or (w.lower() in vocabulary and not w.isupper() and w.lower() not in allowed)
        }
    )


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize(
    "options",
    [
        ("estimate", "--details"),
        ("estimate", "--format", "markdown"),
        ("estimate", "--format", "html"),
        ("validate",),
    ],
    ids=lambda o: "-".join(o).replace("--", ""),
)
def test_a_french_command_on_an_example_says_nothing_in_english(path, options):
    command, *rest = options
    result = run_cli(command, str(path), *rest, "--lang", "fr", env=WIDE)
    assert result.returncode in (0, 1), result.stderr
    assert english_in(result.stdout + result.stderr, written(path)) == []


def test_french_what_if_diff_baseline_and_factors_say_nothing_in_english(tmp_path):
    shop, mail = EXAMPLES / "ecommerce.yaml", EXAMPLES / "webmail.yaml"
    saved = tmp_path / "shop.json"
    assert (
        run_cli("estimate", str(shop), "--format", "json", "--output", str(saved)).returncode == 0
    )
    runs = [
        ("estimate", str(shop), "--what-if", "hosting.storage.type=hdd"),
        ("estimate", str(shop), "--what-if", "usage.network_model=energy", "--format", "html"),
        ("estimate", str(mail), "--what-if", "messages.attachments_as_links=true"),
        ("diff", str(shop), str(mail)),
        ("diff", str(shop), str(mail), "--format", "markdown"),
        ("check", str(shop)),
        ("check", str(shop), "--format", "markdown"),
        ("check", str(shop), "--baseline", str(saved)),
        ("factors",),
        ("factors", "show", "server.physical.power_idle"),
    ]
    data = written(shop) + written(mail)
    for args in runs:
        result = run_cli(*args, "--lang", "fr", env=WIDE)
        assert result.returncode in (0, 1), (args, result.stderr)
        # The factor tables show units as published ('kg CO2 eq/server-year').
        allowed = unit_words() if args[0] == "factors" else frozenset()
        assert english_in(result.stdout + result.stderr, data, allowed) == [], args


def test_french_init_and_refused_input_say_nothing_in_english(tmp_path):
    answers = ["Essai", "", "beaucoup", "50 000", "", "", "2,5 Mo", "smartphone 50 %"]
    result = run_cli(
        "init", str(tmp_path / "s.yaml"), "--lang", "fr", stdin="\n".join(answers) + "\n" * 40
    )
    assert result.returncode == 0, result.stderr
    assert "Réponse refusée" in result.stdout  # the sweep read refusals too
    assert english_in(result.stdout, []) == []
    bad = sorted((ROOT / "tests" / "inputs" / "bad").glob("*.yaml"))
    refused = run_cli("validate", *map(str, bad), "--lang", "fr")
    assert refused.returncode == 2
    assert english_in(refused.stderr, []) == []


def test_the_sweep_finds_english():
    """It would pass on finding nothing: our English words, Python's, and the file's
    choices shown as values are found; data is not."""
    shown = "hosting.servers[0].power (idle) : per_server ; valeur refusée : None ; [CCF]"
    assert english_in(shown, []) == ["None", "idle", "per_server"]
    assert english_in("Particules fines  utilisateur  disease inc.  0,100 %", []) == [
        "disease",
        "inc",
    ]
    assert english_in("Boutique en ligne — hosting.infrastructure : par serveur", []) == []


@pytest.mark.parametrize(
    "change",
    ["usage.users=[1,2]", "usage.users={a: 1}", "usage.userz=3", "hosting.storage.type=floppy"],
)
def test_a_refused_french_what_if_says_nothing_in_english(change):
    shop = EXAMPLES / "ecommerce.yaml"
    result = run_cli("estimate", str(shop), "--what-if", change, "--lang", "fr")
    assert result.returncode == 2
    assert english_in(result.stderr, written(shop)) == [], result.stderr


def test_the_french_methodology_says_nothing_in_english_outside_its_code():
    """Formulas, factor ids and keys stay as written; the prose around them is French."""
    from acvnum.report import methodology

    prose = re.sub(r"^```.*?^```", " ", methodology.text("fr"), flags=re.S | re.M)
    prose = re.sub(r"`[^`]*`", " ", prose)
    names = [  # proper names and titles, as published
        "Cloud Carbon Footprint",
        "Carbon Trust",
        "Our World in Data",
        "Digital4Better",
        "Report on Power Losses",
        "Business Today",
        "Reserve Bank of India",
        "Global Electricity Review",
        "Global Energy Monitor",
    ]
    assert english_in(prose, names, allowed=frozenset({"ratio"})) == []  # 'ratio' is French
