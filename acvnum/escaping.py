"""Text from users, shown safely: one function per place it is shown.

A name, a key, a unit or a factor source is written by someone else: on a terminal its
escape sequences would retitle the window or clear the screen; in a spreadsheet a leading
'=' runs a formula; in a markdown table a '|' or a newline breaks the row; in XML 1.0 a
control character makes the file unreadable. Each output kind has its own function here;
HTML is escaped by the standard library where the page is built (report/html.py).
"""

from __future__ import annotations

#: How much of a long value a message quotes.
QUOTED_CHARS = 60


def shorten(text: str, limit: int = QUOTED_CHARS) -> str:
    """The text, or its start and how long it was, so a message stays one screen."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"
