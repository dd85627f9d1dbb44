"""The Markdown report: what users wrote, escaped once for Markdown wherever it is said."""

from __future__ import annotations

import pytest
from conftest import NASTY_SHOP

from acvnum.assessment import Settings, assess
from acvnum.i18n import Translator
from acvnum.report import markdown

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
