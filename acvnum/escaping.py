"""Text from users, shown safely: one function per place it is shown.

A name, a key, a unit or a factor source is written by someone else: on a terminal its
escape sequences would retitle the window or clear the screen; in a spreadsheet a leading
'=' runs a formula; in a markdown table a '|' or a newline breaks the row; in XML 1.0 a
control character makes the file unreadable. Each output kind has its own function here;
HTML is escaped by the standard library where the page is built (report/html.py).
"""

from __future__ import annotations

import re
from functools import cache

#: How much of a long value a message quotes.
QUOTED_CHARS = 60


def shorten(text: str, limit: int = QUOTED_CHARS) -> str:
    """The text, or its start and how long it was, so a message stays one screen."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


#: What a terminal acts on: C0 controls but tab and newline (ESC starts every sequence that
#: retitles a window, clears the screen or makes a hyperlink), DEL, C1 controls (CSI and OSC
#: alone), the bidirectional overrides that reorder what is shown, and lone surrogates.
_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_TERMINAL = re.compile(f"[{_CONTROLS}]")
#: The same and newline, for a text that must keep its line (a name in a heading or a phrase).
_TERMINAL_LINE = re.compile(rf"[\n{_CONTROLS}]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Text for a terminal or a log: every control character shown as its escape ('\\x1b'),
    so a message says what was there and the terminal never acts on it."""
    return _TERMINAL.sub(_escaped, text)


def terminal_line(text: str) -> str:
    """`terminal` for a text shown on one line of a terminal (a service's or a server's
    name): a newline shown as its escape too ('\\x0a'), so it cannot split the line."""
    return _TERMINAL_LINE.sub(_escaped, text)


#: Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CSV_BREAK = re.compile(r"[\r\n]+")
#: What a spreadsheet would show reordered (bidirectional overrides and isolates) or could
#: not hold (lone surrogates): shown as escapes, as on a terminal and in HTML.
_CSV_VISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def csv_cell(text: str) -> str:
    """A user-written CSV cell: line breaks made spaces, other control characters removed,
    bidirectional overrides shown as their escapes ('\\u202e', so that a cell cannot read
    otherwise than written), and a cell that starts like a formula prefixed with a quote so
    that a spreadsheet shows it as text (an escape starts with '\\', never a formula)."""
    text = _CSV_CONTROL.sub("", _CSV_BREAK.sub(" ", text))
    text = _CSV_VISIBLE.sub(_escaped, text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


_MARKDOWN_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def markdown_text(text: str) -> str:
    """Text for a Markdown line or table cell: one line (a newline would end the row or start
    a heading), '|' escaped (it would split the cell), '<' and '>' as entities (no HTML)."""
    text = terminal(_MARKDOWN_BREAK.sub(" ", text))
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


_BACKTICKS = re.compile(r"`+")


def markdown_code(text: str) -> str:
    """Text as a Markdown code span (a file name), shown as written: nothing is escaped in
    a code span, so `markdown_text`'s '\\|' and '&lt;' would show as such. Line breaks made
    spaces and control characters shown as their escapes ('\\x1b'), as `markdown_text`
    does; the span's fence longer than any run of backticks inside it, and padded with a
    space each side when the text starts or ends with a backtick (or with spaces: one each
    side is taken off). Not for a table cell, where '|' still splits the row."""
    text = terminal(_MARKDOWN_BREAK.sub(" ", text))
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    if text.startswith("`") or text.endswith("`") or (text[:1] == text[-1:] == " "):
        text = f" {text} "
    return f"{fence}{text}{fence}"


@cache
def _not_xml() -> re.Pattern[str]:
    """Characters XML 1.0 cannot hold at all, even escaped (compiled when first needed:
    8 ms, which every command paid at start-up for the JUnit report of `check`)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold: characters outside its range removed."""
    return _not_xml().sub("", text)
