"""The fast path for a portfolio's questionnaires: text -> records in one pass over its lines.

The reference path reads a file in three steps: the block reader makes its data
(`yaml_reader`), `service._normalise` upper-cases the countries, and the plain reader turns
the data into records (`plain.read`). A portfolio's files are all block mappings, block
lists of mappings and `key: value` lines, and repeat most of their lines ('    type:
virtual', '  location: FRA') and many of their small sections (a network split, a
server). `read` takes such a file in one pass: each line is read by the block reader's own
line reader, each field by the plain reader's own field reader and each section checked by
its own checks, but what a line reads as in a section is remembered, and so is what a
section read whole (a device or network split) or an item of a list (a server) reads as,
by its exact lines; there is no data in between (the document reads it when asked).

It returns the records, or None at anything else: other YAML, a possible range, a key or
value or section a reader or check refuses. The reference path then reads the file, and
words any problem. tests/questionnaire/test_fast_path.py holds the two equal on generated
texts, valid and broken.
"""

from __future__ import annotations

from typing import Any

from acvnum.questionnaire import plain, records, rules, units
from acvnum.questionnaire.yaml_reader import _BELOW, _BLANK, MAX_DEPTH, _lines, _read_line

#: How a section is read: field by field into a record, whole (its key: value pairs given at
#: once to its reader: the shares, a budget), or as a block list of items.
_FIELDS, _WHOLE, _ITEMS = 0, 1, 2
#: The sections whose country `service._normalise` upper-cases before they are read.
_UPPERCASED = (records.Usage, records.Hosting, records.Terminals, records.SelfHosted)
#: Lines (or sections) remembered per section at most, then it starts again: memory stays
#: bounded. Only what read without a refusal is remembered.
REMEMBERED = 4096
#: Longer files go the reference way (a questionnaire is some 30 lines).
MAX_LINES = 1000


class _Declined(Exception):
    """The fast path does not take this file."""


class _Section:
    """How the fast path reads one section of the questionnaire, made from its reader."""

    __slots__ = (
        "check",
        "children",
        "cls",
        "item",
        "kind",
        "known",
        "lists",
        "read",
        "readers",
        "required",
    )

    def __init__(self, reader: plain.Reader):
        shape = plain.SHAPES.get(reader)
        self.read = reader
        self.item = None
        self.cls, self.readers, self.check = None, {}, None
        self.required: frozenset[str] = frozenset()
        #: What each line of the section read as (by decimal-comma convention; see `_read`),
        #: and for a shares section or an item the record of its exact lines (a tuple).
        self.known: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
        self.children: dict[str, _Section] = {}
        if shape is not None:
            self.kind = _FIELDS
            self.cls, self.readers, self.check = shape.cls, shape.readers, shape.check
            self.required = shape.required
            self.children = {key: _Section(read) for key, read in shape.readers.items()}
        elif reader in plain.ITEMS:
            self.kind = _ITEMS
            self.item = _Section(plain.ITEMS[reader])
        else:
            self.kind = _WHOLE
        #: Whether the section's records may hold a list (not remembered whole then).
        self.lists = any(child.kind == _ITEMS for child in self.children.values())


_ROOT = _Section(plain._QUESTIONNAIRE)


def read(text: str) -> records.Questionnaire | None:
    """The records `text` reads as by the reference path, or None where it must read it."""
    if ("[" in text or "{" in text) and text.count("[") + text.count("{") > MAX_DEPTH:
        return None  # the reference path scans such a text for its depth first
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return None
    dots = ".." in text or "\u2026" in text  # perhaps a range, or a misspelt one
    try:
        questionnaire = _read(lines, units.comma_in_force(), dots)
    except Exception:  # any refusal or surprise: the reference path reads it and says why
        return None
    return None if rules.impossible(questionnaire) else questionnaire


def _read(lines: list[str], comma: bool, dots: bool) -> records.Questionnaire:
    """The lines' records; _Declined (or a reader's refusal) at anything else. `dots`: the
    text has two dots or an ellipsis, perhaps only in a comment; a value with them is
    declined (questionnaire.ranges reads it, as a range or to refuse a misspelt one).

    Each open section is a frame [section, indent of its keys (or items' dashes), its values
    by key (or items), first line, its key in the section around it]; `at` is the innermost
    frame's indent, or -1 while `pending`, a `key:` whose value is on the lines below.
    `known`: the innermost section's remembered lines, each as (its indent if it is a plain
    `key: value` or `key:` line, else -1; key; value read, or _BELOW).
    """
    frames: list[list[Any]] = [[_ROOT, 0, {}, 0, None]]
    section, at, values = _ROOT, 0, frames[0][2]
    known = _ROOT.known[comma]
    pending: tuple[str, int] | None = None
    last = len(lines) - 1
    for number, line in enumerate(lines):
        entry = known.get(line)
        if entry is not None and entry[0] == at:
            # The usual line: a key of the open section, read before in such a section.
            word = entry[1]
            if word in values:
                raise _Declined  # a key given twice
            value = entry[2]
            if value is _BELOW:  # `key:`: the next line says where its value is
                values[word] = None  # its place among the keys, as the data would hold it
                child = section.children[word]
                below = child.known[comma].get(lines[number + 1]) if number < last else None
                if below is not None and below[0] > at and child.kind != _ITEMS:
                    # The next line, a key of the section below read before: it opens it
                    # (what `pending` would find, one look-up sooner).
                    frames.append([child, below[0], {}, number + 1, word])
                    section, at, values, known = child, below[0], frames[-1][2], child.known[comma]
                    continue
                pending, at = (word, at), -1
                continue
            values[word] = value
            continue
        reading = _lines.get(line)
        if reading is None:
            reading = _read_line(line)
        if reading is _BLANK:
            continue
        indent, dash, word, value = reading
        if dots and type(value) is str and (".." in value or "\u2026" in value):
            raise _Declined
        if pending is not None:  # the value of the `key:` before: below it, or none
            key, key_at = pending
            pending = None
            child = section.children[key]
            below = indent > key_at or (dash and indent == key_at)  # a list may start there
            if below and (child.kind == _ITEMS) == bool(dash):
                frames.append([child, indent, [] if dash else {}, number, key])
                section, values, known = child, frames[-1][2], child.known[comma]
                at = indent
            elif not below:
                values[key] = section.readers[key](None)
                at = key_at
            else:
                raise _Declined  # a section of another kind: the reference refuses it
        # This line closes the sections it is left of, and a list at its own indent.
        while indent < at or (indent == at and not dash and section.kind == _ITEMS):
            _close(frames, lines, number, comma)
            section, at, values = frames[-1][0], frames[-1][1], frames[-1][2]
            known = section.known[comma]
        if indent != at:
            raise _Declined
        if section.kind == _ITEMS:
            if not dash or word is None or section.item.kind == _ITEMS:
                raise _Declined  # an item of one value: no section has such items
            section = section.item
            at += dash
            frames.append([section, at, {}, number, None])
            values, known = frames[-1][2], section.known[comma]
        elif dash:
            raise _Declined
        if word in values:
            raise _Declined  # a key given twice
        if value is _BELOW and (section.kind != _FIELDS or word not in section.readers):
            raise _Declined
        entry = known.get(line)  # (the section may have changed since the first look)
        if entry is None:
            read_value = value
            if section.kind == _FIELDS and value is not _BELOW:
                read_value = section.readers[word](_normalised(section, word, value))
            entry = (-1 if dash else indent, word, read_value)
            if len(known) >= REMEMBERED:
                known.clear()
            known[line] = entry
        if value is _BELOW:
            values[word] = None
            pending, at = (word, at), -1
        else:
            values[word] = entry[2]
    if pending is not None:
        values[pending[0]] = section.readers[pending[0]](None)
    while len(frames) > 1:
        _close(frames, lines, len(lines), comma)
    return _record(_ROOT, frames[0][2])


def _normalised(section: _Section, word: str, value: Any) -> Any:
    """A country as `service._normalise` writes it in the data the plain reader reads."""
    if word == "location" and section.cls in _UPPERCASED and isinstance(value, str):
        return value.strip().upper()
    return value


def _close(frames: list[list[Any]], lines: list[str], end: int, comma: bool) -> None:
    """Read the innermost open section and give its value to the one around it."""
    section, _, values, first, key = frames.pop()
    if section.kind == _ITEMS:
        value = values
    elif section.kind == _FIELDS and (key is not None or section.lists):
        value = _record(section, values)
    else:
        # A shares section or an item of a list (a server), remembered by its exact lines:
        # the same text reads the same, into a frozen record that holds no list.
        known = section.known[comma]
        text = tuple(lines[first:end])
        value = known.get(text, known)
        if value is known:
            value = section.read(values) if section.kind == _WHOLE else _record(section, values)
            if len(known) >= REMEMBERED:
                known.clear()
            known[text] = value
    outer_values = frames[-1][2]
    if key is None:
        outer_values.append(value)  # an item
    else:
        outer_values[key] = value


def _record(section: _Section, values: dict[str, Any]) -> Any:
    """The record `plain.section` makes of these values (then `plain.checked`'s check)."""
    if not section.required <= values.keys():
        raise _Declined  # a required key left out
    record = section.cls.trusted(frozenset(values), values)
    if section.check is not None:
        section.check(record)
    return record
