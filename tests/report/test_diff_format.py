"""The reports of `acvnum diff`: what users wrote, escaped for where it is shown."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, NASTY_SHOP, run_cli

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")


def _diff(folder, name: str, *options: str):
    """`acvnum diff NAME ECOMMERCE` in `folder`, NAME holding NASTY_SHOP (a short relative
    name, so that the legend is not wrapped at the width)."""
    (folder / name).write_text(NASTY_SHOP, encoding="utf-8")
    result = run_cli("diff", name, ECOMMERCE, *options, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_name_in_the_text_legend_keeps_its_line(tmp_path, lang):
    """A newline in a name is shown as its escape, like every control character on a
    terminal: 'A: ...' and 'B: ...' stay one line each."""
    a, b, blank = _diff(tmp_path, "shop.yaml", "--lang", lang).split("\n")[:3]
    assert a == "A: S<script>|\\u202e\\x1b[2J\\x0aY (shop.yaml)"
    assert b == f"B: Boutique en ligne ({ECOMMERCE})"
    assert blank == ""


def test_a_file_name_in_the_text_legend_keeps_its_line(tmp_path):
    a = _diff(tmp_path, "a\nb\x1b[2J.yaml").split("\n")[0]
    assert a == "A: S<script>|\\u202e\\x1b[2J\\x0aY (a\\x0ab\\x1b[2J.yaml)"


def test_markdown_keeps_the_name_on_its_line_with_escapes(tmp_path):
    """One line, and control characters as escapes ('\\x1b') as the README says and as
    the rest of a Markdown document shows them (it said U+FFFD)."""
    report = _diff(tmp_path, "a\x1b[2J|b.yaml", "-f", "markdown")
    title, _, a = report.split("\n")[:3]
    assert title == "## S&lt;script&gt;\\|\\u202e\\x1b[2J Y → Boutique en ligne"
    # the file as code: nothing is escaped in a code span, so '|' is written as it is
    assert a == "- **A**: S&lt;script&gt;\\|\\u202e\\x1b[2J Y (`a\\x1b[2J|b.yaml`)"
    assert "\ufffd" not in report


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a|b.yaml", "a|b.yaml"),  # it showed 'a\|b.yaml': a code span keeps the backslash
        ("a`b<i>&amp;.yaml", "a`b<i>&amp;.yaml"),  # the backtick was made a quote
        ("``x|\x1b[2J\u202e\nb`.yaml", "``x|\\x1b[2J\\u202e b`.yaml"),
        ("`a.yaml", "`a.yaml"),
    ],
)
def test_markdown_shows_a_file_name_as_written_in_its_code_span(tmp_path, name, shown):
    """The legend's file, parsed as CommonMark: one code span holding the name as written,
    control characters as escapes ('\\x1b'), a newline as a space, nothing else around."""
    from markdown_it import MarkdownIt

    a = _diff(tmp_path, name, "-f", "markdown").split("\n")[2]
    (inline,) = MarkdownIt("commonmark").parseInline(a)
    parts = [(token.type, token.content) for token in inline.children]
    assert [p for p in parts if p[0] == "code_inline"] == [("code_inline", shown)]
    assert parts[-1] == ("text", ")") and not any(p[0].startswith("html") for p in parts)
