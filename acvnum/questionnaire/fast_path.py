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
The few lines a file holds for the first time (a name, a user count, a volume) are mostly
`key: number unit` or `key: text`: they are read without the line reader, and a number by
its template's plan, made once from the field's own reader (see `_plan`).

A file of a portfolio's usual shape is read whole, each line by its place in the shape
rather than line by line (see `_usual`).

It returns the records, or None at anything else: other YAML, a possible range, a key or
value or section a reader or check refuses. The reference path then reads the file, and
words any problem. tests/questionnaire/test_fast_path.py holds the two equal on generated
texts, valid and broken.
"""

from __future__ import annotations

import math
import re
from typing import Any

from acvnum.questionnaire import plain, records, rules, units
from acvnum.questionnaire.yaml_reader import (
    _BELOW,
    _BLANK,
    _CACHE_SIZE,
    _LINE_CACHED_UP_TO,
    _NOT_TEXT_KEYS,
    MAX_DEPTH,
    _lines,
    _read_line,
    _scalar,
)

#: How a section is read: field by field into a record, whole (its key: value pairs given at
#: once to its reader: the shares, a budget), or as a block list of items.
_FIELDS, _WHOLE, _ITEMS = 0, 1, 2
#: The sections whose country `service._normalise` upper-cases before they are read.
_UPPERCASED = (records.Usage, records.Hosting, records.Terminals, records.SelfHosted)
#: Lines (or sections) remembered per section at most, then it starts again: memory stays
#: bounded. Only what read without a refusal is remembered.
REMEMBERED = 4096
#: The longest text remembered (a line, or a section's or an item's lines, in characters),
#: so that what a cache holds is bounded by its size too: 100,000 files, each with a server
#: named in 100 KB, kept some 930 MB remembered. A questionnaire's lines are tens of
#: characters, a server's lines some 120 together.
REMEMBERED_UP_TO = 512
#: Longer files go the reference way (a questionnaire is some 30 lines).
MAX_LINES = 1000
#: A `key: number` line, the number perhaps followed by a unit or a percent sign ('  users:
#: 390384', '    volume: 3703 GB', '      utilization: 35%'): indent, key, number, unit.
_TEMPLATE = re.compile(
    r"( *)([A-Za-z_][A-Za-z0-9_]{0,40}): "
    r"((?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?)((?: [A-Za-z]{1,8}|%)?)"
)
#: A `key: text` line whose text YAML reads as itself: it starts with a letter (no number, no
#: construct), holds no `:` or `#` (no mapping, no comment) and no space at either end
#: ('name: Service 00123'); the block reader's word for it, but for a yes/no or null word.
_TEXT = re.compile(
    r"( *)([A-Za-z_][A-Za-z0-9_]{0,40}): ([A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*)"
)
#: Numbers a plan is tried on besides its template's own: whole and decimal, small and large,
#: among them some that one multiplication and one division by the same unit read apart
#: (57 / 100 is not 57 * 0.01; neither is 123456.789 * 60 the same as / (1 / 60)).
_PROBES = ("1", "2", "7", "57", "0.5", "0.07", "0.3", "2.5", "4.35", "12.34", "86.5")
_PROBES += ("123456.789", "999999999999", "0.123456")
#: Plans a section keeps at most (by key and unit: a handful in a real file).
PLANS = 256


class _Declined(Exception):
    """The fast path does not take this file."""


class _Section:
    """How the fast path reads one section of the questionnaire, made from its reader."""

    __slots__ = (
        "by_lines",
        "check",
        "children",
        "cls",
        "fractions",
        "item",
        "kind",
        "known",
        "lists",
        "plans",
        "read",
        "readers",
        "required",
        "shares",
    )

    def __init__(self, reader: plain.Reader):
        shape = plain.SHAPES.get(reader)
        self.read = reader
        self.item = None
        self.cls, self.readers, self.check = None, {}, None
        self.required: frozenset[str] = frozenset()
        #: What each line of the section read as (by decimal-comma convention; see `_read`).
        self.known: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
        #: For a shares section or an item, the record of its exact lines (a tuple), kept
        #: apart from the lines: a portfolio's thousands of shares sections and servers
        #: would otherwise fill `known` and clear the lines they are read from.
        self.by_lines: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
        self.children: dict[str, _Section] = {}
        #: How a number field's `key: number unit` line reads, by (key, unit), per
        #: decimal-comma convention: a plan (see `_plan`), or False where there is none.
        self.plans: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
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
        #: A shares section's reader's parts, and each of its lines read as its key and
        #: fraction (see `_shares`), per decimal-comma convention.
        self.shares = plain.SHARES.get(reader)
        self.fractions: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        #: Whether the section's records may hold a list (not remembered whole then).
        self.lists = any(child.kind == _ITEMS for child in self.children.values())


_ROOT = _Section(plain._QUESTIONNAIRE)


def read(text: str) -> records.Questionnaire | None:
    """The records `text` reads as by the reference path, or None where it must read it."""
    if ("[" in text or "{" in text) and text.count("[") + text.count("{") > MAX_DEPTH:
        return None  # the reference path scans such a text for its depth first
    if len(text) >= MAX_LINES and text.count("\n") >= MAX_LINES:  # (counted if it may be)
        return None
    dots = ".." in text or "\u2026" in text  # perhaps a range, or a misspelt one
    comma = units.comma_in_force()
    questionnaire = None if dots else _usual(text, comma)
    if questionnaire is not None:
        return questionnaire  # (its usage checked by `_usual`)
    try:
        questionnaire = _read(text.split("\n"), comma, dots)
    except Exception:  # any refusal or surprise: the reference path reads it and says why
        return None
    return None if rules.impossible(questionnaire) else questionnaire


#: `_read`'s indent while a `key:` waits for the lines below it: one no remembered line has
#: (a plain line's is its indent, an item's first line's -1). With -1, an item's first line
#: read before (`    - count: 2`) was taken, after a `key:` with no value, as one more key
#: of the item above: two servers read as one, a file the reference refuses taken.
_PENDING = -2


def _remember(cache: dict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Keep `value` by `key` unless the key's text (`size` characters) is too long to keep
    (REMEMBERED_UP_TO); a full cache is emptied first (REMEMBERED)."""
    if size <= REMEMBERED_UP_TO:
        if len(cache) >= REMEMBERED:
            cache.clear()
        cache[key] = value


def _read(lines: list[str], comma: bool, dots: bool) -> records.Questionnaire:
    """The lines' records; _Declined (or a reader's refusal) at anything else. `dots`: the
    text has two dots or an ellipsis, perhaps only in a comment; a value with them is
    declined (questionnaire.ranges reads it, as a range or to refuse a misspelt one).

    Each open section is a frame [section, indent of its keys (or items' dashes), its values
    by key (or items), first line, its key in the section around it]; `at` is the innermost
    frame's indent, or _PENDING while `pending`, a `key:` whose value is on the lines below.
    `known`: the innermost section's remembered lines, each as (its indent if it is a plain
    `key: value` or `key:` line, else -1 (an item's first line, after its dash); key; value
    read, or _BELOW)."""
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
                pending, at = (word, at), _PENDING
                continue
            values[word] = value
            continue
        reading = _lines.get(line)
        template = None
        if reading is None:
            template = _TEMPLATE.fullmatch(line)
            if template is not None and section.kind == _FIELDS:
                # A new number in a field of the open section (a user count, a volume): read
                # by its template's plan as below, without the checks the line cannot fail
                # (no dash or `..`, at the section's indent, not after a `key:`: at is _PENDING).
                spaces, word, digits, unit = template.groups()  # (number: the line's)
                plan = section.plans[comma].get((word, unit)) if len(spaces) == at else None
                if plan:
                    if word in values:
                        raise _Declined  # a key given twice
                    factor, divide, check = plan
                    written = float(digits)
                    value = written / factor if divide else written * factor
                    if not math.isfinite(value):
                        raise _Declined  # (as _planned)
                    value = check(value)
                    _remember(known, line, (at, word, value), len(line))
                    values[word] = value
                    continue
            reading, template = _new_line(line, template)
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
            entry = _entry(section, line, reading, template, comma)
        if value is _BELOW:
            values[word] = None
            child = section.children[word]
            below = child.known[comma].get(lines[number + 1]) if number < last else None
            if below is not None and below[0] > at and child.kind != _ITEMS:
                # As above: '  network:' closed the devices, its next line opens it.
                frames.append([child, below[0], {}, number + 1, word])
                section, at, values, known = child, below[0], frames[-1][2], child.known[comma]
                continue
            pending, at = (word, at), _PENDING
        else:
            values[word] = entry[2]
    if pending is not None:
        values[pending[0]] = section.readers[pending[0]](None)
    while len(frames) > 1:
        _close(frames, lines, len(lines), comma)
    return _record(_ROOT, frames[0][2])


def _new_line(line: str, template: re.Match[str] | None) -> tuple[Any, re.Match[str] | None]:
    """A line not read before, as the block reader's `_read_line` reads it, and its number
    template if it has one. The usual new line, a `key: number unit` or `key: text` line (a
    user count, a name), is read without it: its value is what YAML makes of it, the number
    (int or float) alone, else the text as written (a number and its unit, or text that
    starts with a letter and is no yes/no or null word). `template`: the line's match of
    _TEMPLATE, or None."""
    if template is not None and template[2] not in _NOT_TEXT_KEYS:
        number, unit = template[3], template[4]
        value = number + unit if unit else float(number) if "." in number else int(number)
        return (len(template[1]), 0, template[2], value), template
    text = _TEXT.fullmatch(line)
    if text is None or text[2] in _NOT_TEXT_KEYS or text[3] in _NOT_TEXT_KEYS:
        return _read_line(line), None
    reading = (len(text[1]), 0, text[2], text[3])
    if len(line) <= _LINE_CACHED_UP_TO:  # as `_read_line` keeps it ('  location: FRA' closes
        if len(_lines) >= _CACHE_SIZE:  # the shares above it: read again in its section)
            _lines.clear()
        _lines[line] = reading
    return reading, None


def _entry(
    section: _Section, line: str, reading: Any, template: re.Match[str] | None, comma: bool
) -> tuple[int, str, Any]:
    """What a line new to its section reads as there (`reading`: the line's, as `_new_line`
    gives it, with its template), remembered in the section's `known`."""
    indent, dash, word, value = reading
    entry = None if template is None else _planned(section, template, comma)
    if entry is None:  # the reference way (and a plan made of it, for a number)
        read_value = value
        if section.kind == _FIELDS and value is not _BELOW:
            read_value = section.readers[word](_normalised(section, word, value))
        entry = (-1 if dash else indent, word, read_value)
        if template is not None:
            _learn(section, template, comma, read_value)
    _remember(section.known[comma], line, entry, len(line))
    return entry


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
        by_lines = section.by_lines[comma]
        text = tuple(lines[first:end])
        value = by_lines.get(text, by_lines)
        if value is by_lines:
            value = section.read(values) if section.kind == _WHOLE else _record(section, values)
            _remember(by_lines, text, value, sum(map(len, text)))
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


# --- numbers read by plans ----------------------------------------------------------------
#
# A portfolio's files repeat most of their lines, but some 5 a file hold a number seen for
# the first time ('  users: 390384', '    volume: 3703 GB'), and reading one the reference
# way (the line, the YAML scalar, the unit's text, the field's check) is most of a file's
# cost. Such a line is a template ('  users: #') and a number: per section and (key, unit),
# a plan says what the field's reader makes of the number: one multiplication, or one
# division, by what it makes of a 1 written with the same unit (the forms `units`'
# conversions take), then the field's own check. A plan is kept only if it gives what the
# reader gives, bit for bit, on the template's number and on every one of _PROBES, and the
# other form does not: otherwise the template's lines go the reference way.


def _planned(section: _Section, template: re.Match[str], comma: bool) -> tuple[Any, ...] | None:
    """The line's entry read by its template's plan; None where there is no plan yet."""
    plan = section.plans[comma].get((template[2], template[4]))
    if not plan:
        return None
    return len(template[1]), template[2], _by_plan(plan, template[3])


def _by_plan(plan: tuple[Any, ...], number: str) -> Any:
    """What a plan reads `number` (as written) as."""
    factor, divide, check = plan
    written = float(number)
    value = written / factor if divide else written * factor
    if not math.isfinite(value):
        raise _Declined  # (the reference refuses a quantity that overflows its base unit)
    return check(value)


def _learn(section: _Section, template: re.Match[str], comma: bool, read: Any) -> None:
    """Make the template's plan from its first line, read the reference way as `read`."""
    plans = section.plans[comma]
    key = (template[2], template[4])
    if key in plans:
        return
    parts = plain.NUMBERS.get(section.readers.get(template[2])) if section.kind == _FIELDS else None
    plan = parts is not None and _plan(*parts, template[3], template[4], read)
    if len(plans) >= PLANS:
        plans.clear()
    plans[key] = plan


def _plan(read_value: Any, check: Any, number: str, unit: str, read: Any) -> Any:
    """(factor, whether it divides, check) reading `number unit` as `read`, or False."""
    try:
        one = read_value(_scalar("1" + unit))
    except Exception:
        return False
    if type(one) is not float or not math.isfinite(one) or one <= 0:
        return False
    forms = [(one, False)]
    if one != 1.0 and (1 / one).is_integer():
        forms.append((1 / one, True))
    fitting = [form for form in forms if all(_fits(read_value, form, p, unit) for p in _PROBES)]
    if len(fitting) != 1:
        return False
    factor, divide = fitting[0]
    written = float(number)
    value = written / factor if divide else written * factor
    try:
        fits = repr(check(value)) == repr(read) and type(read) is float
    except Exception:
        return False
    return (
        (factor, divide, check) if fits and _fits(read_value, fitting[0], number, unit) else False
    )


def _fits(read_value: Any, form: tuple[float, bool], number: str, unit: str) -> bool:
    """Whether the form reads `number unit` as the field's reader does, bit for bit."""
    try:
        expected = read_value(_scalar(number + unit))
    except Exception:
        return False
    factor, divide = form
    written = float(number)
    value = written / factor if divide else written * factor
    return type(expected) is float and repr(expected) == repr(value)


# --- the usual shape, read whole ------------------------------------------------------------
#
# A portfolio's files are nearly all of one shape: a name, the usage's four quantities, its
# devices and network shares and country, the hosting's country, PUE, servers and perhaps
# its storage, in that order. One regular expression cuts such a file at its sections'
# keys, so no line is read for where it stands (no open sections, no indents compared at
# each line): each is looked up among the lines its section read before
# (`_Section.known`, which says its indent and key), or read by its template's plan (a
# new number), or else read now as `_read` reads a line new to its section; a shares
# section or a server is looked up by its exact text. Anything else (a line astray, a
# refusal) sends the file the line-by-line way, which reads it or declines it.
# `read` over files 500-1500 of /tmp/p10k after the first 500 (cachegrind): 300k
# instructions a file line by line, 190k so (80k for a file read whole again). The regular
# expression is some 24k of them: its sections are runs of lines, not a lazy `.+?`, which
# sre steps one character at a time (48k); cutting the text with str.split and list.index
# instead costs as much (22k).

#: A value on the key's line (not `key:`, nor `key: # note`). Possessive, as are the lines
#: below: what they take is never given back (the pattern after them starts with a line
#: break, or a key left of their lines' indent), and sre then keeps no state to backtrack
#: to: `_USUAL.fullmatch` took 20.8k instructions a file, 13.4k so.
_VALUE = r"[^\s#][^\n]*+"
_LINES = r"((?:    [^\n]*+\n)++)"  # a section's lines, each checked on its own
#: A number field's value: its number and unit as `_TEMPLATE` cuts them (two more groups)
#: where the line is one of its `key: number unit` lines, else any value (the groups None).
_NUMBER = (
    r"(?:((?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?)((?: [A-Za-z]{1,8}|%)?)(?=\n)"
    rf"|{_VALUE})"
)
#: The usual shape: each key's line a group; a shares section or the servers one group
#: each (their lines, each with its line break).
_USUAL = re.compile(
    rf"name: ([A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*)\n"
    rf"usage:\n"
    rf"(  users: {_NUMBER})\n"
    rf"(  visits_per_user: {_VALUE})\n"
    rf"(  visit_duration: {_VALUE})\n"
    rf"(  data_per_visit: {_NUMBER})\n"
    rf"  devices:\n{_LINES}"
    rf"  network:\n{_LINES}"
    rf"(  location: {_VALUE})\n"
    rf"hosting:\n"
    rf"(  location: {_VALUE})\n"
    rf"(  pue: {_VALUE})\n"
    rf"  servers:\n{_LINES}"
    rf"(?:  storage:\n(    volume: {_NUMBER})\n(    type: {_VALUE})\n(    replicas: {_VALUE})\n)?"
)
_USAGE = _ROOT.children["usage"]
_DEVICES, _NETWORK = _USAGE.children["devices"], _USAGE.children["network"]
_HOSTING = _ROOT.children["hosting"]
_SERVER = _HOSTING.children["servers"].item
_STORAGE = _HOSTING.children["storage"]
#: The keys each record of the usual shape is given (its `given`): always the same.
_USAGE_KEYS = frozenset(
    (
        "users",
        "visits_per_user",
        "visit_duration",
        "data_per_visit",
        "devices",
        "network",
        "location",
    )
)
_HOSTING_KEYS = frozenset(("location", "pue", "servers"))
_STORED_KEYS = _HOSTING_KEYS | {"storage"}
_STORAGE_KEYS = frozenset(("volume", "type", "replicas"))
_ROOT_KEYS = frozenset(("name", "usage", "hosting"))
#: `_usual` makes its records whole: each a new object given its fields at once (each
#: field, its value or its record's default, and `given`), the records `Record.trusted`
#: makes of the values the file gave, without the dict of those values in between and the
#: defaults' copy: 4 records a file, 84.3 M instructions a chunk of 500 files read so
#: 78.4 M. A test holds them equal to `trusted`'s, field for field.
_made = object.__new__
_setattr = object.__setattr__  # (a record's own refuses: it is frozen)
_YEAR = records.Questionnaire.DEFAULTS["period"]


def _usual(text: str, comma: bool) -> records.Questionnaire | None:
    """The records of a file of the usual shape, as `_read` reads it; None for any other
    file, or at a line `_read` would not take where it stands (`_read` then reads it).
    The usual shape's sections have no check of their own, and hold their required keys."""
    match = _USUAL.fullmatch(text)
    if match is None:
        return None
    name, users, users_number, users_unit, visits, duration, data, *usage = match.groups()
    data_number, data_unit, devices, network, country, host_country, pue, servers, *stored = usage
    volume, volume_number, volume_unit, storage_type, replicas = stored
    if name in _NOT_TEXT_KEYS:  # (as `_new_line` reads a `key: text` line)
        return None
    try:
        known = _USAGE.known[comma]  # (looked up inline: a call a line was 3 % of reading)
        usage = _made(records.Usage)
        _setattr(
            usage,
            "__dict__",
            {
                "users": _number(_USAGE, "users", users, users_number, users_unit, comma),
                "visits_per_user": (known.get(visits) or _new(_USAGE, visits, comma))[2],
                "visit_duration": (known.get(duration) or _new(_USAGE, duration, comma))[2],
                "data_per_visit": _number(
                    _USAGE, "data_per_visit", data, data_number, data_unit, comma
                ),
                "devices": _whole(_DEVICES, devices, comma),
                "network": _whole(_NETWORK, network, comma),
                "location": (known.get(country) or _new(_USAGE, country, comma))[2],
                "network_model": None,
                "given": _USAGE_KEYS,
            },
        )
        known = _HOSTING.known[comma]
        location = (known.get(host_country) or _new(_HOSTING, host_country, comma))[2]
        efficiency = (known.get(pue) or _new(_HOSTING, pue, comma))[2]
        hosted = _servers(servers, comma)
        storage = None
        if volume is not None:
            known = _STORAGE.known[comma]
            storage = _made(records.Storage)
            _setattr(
                storage,
                "__dict__",
                {
                    "volume": _number(
                        _STORAGE, "volume", volume, volume_number, volume_unit, comma
                    ),
                    "type": (known.get(storage_type) or _new(_STORAGE, storage_type, comma))[2],
                    "replicas": (known.get(replicas) or _new(_STORAGE, replicas, comma))[2],
                    "given": _STORAGE_KEYS,
                },
            )
        hosting = _made(records.Hosting)
        _setattr(
            hosting,
            "__dict__",
            {
                "location": location,
                "pue": efficiency,
                "servers": hosted,
                "storage": storage,
                "shared": [],
                "environments": 1,
                "electricity_factor": None,
                "infrastructure": None,
                "given": _HOSTING_KEYS if storage is None else _STORED_KEYS,
            },
        )
        questionnaire = _made(records.Questionnaire)
        _setattr(
            questionnaire,
            "__dict__",
            {
                # The pattern's name is text of ASCII characters, not empty: the name's
                # reader (text(min_length=1)) takes it as it is (not called: 3.7k
                # instructions a file).
                "name": name,
                "description": None,
                "functional_unit": None,
                "period": _YEAR,
                "usage": usage,
                "hosting": hosting,
                "terminals": None,
                "ai": None,
                "video": None,
                "messages": None,
                "budgets": [],
                "given": _ROOT_KEYS,
            },
        )
    except Exception:  # a line astray, or a refusal: the line-by-line way
        return None
    return questionnaire if _possible(questionnaire, visits, duration, comma) else None


#: Whether a usual file's usage is possible (`rules.impossible`), by the lines of its visits
#: and visit duration, per decimal-comma convention: all the check reads, the usual shape
#: giving no period and no video (4.3k instructions a file, a look-up so).
_POSSIBLE: tuple[dict[tuple[str, str], bool], dict[tuple[str, str], bool]] = ({}, {})


def _possible(
    questionnaire: records.Questionnaire, visits: str, duration: str, comma: bool
) -> bool:
    """Whether `rules.impossible` lets the usual file's questionnaire pass (else the line-by-
    line way reads it, and declines it)."""
    possible = _POSSIBLE[comma]
    key = (visits, duration)
    answer = possible.get(key)
    if answer is None:
        answer = not rules.impossible(questionnaire)
        _remember(possible, key, answer, len(visits) + len(duration))
    return answer


def _number(
    section: _Section, key: str, line: str, number: str | None, unit: str | None, comma: bool
) -> Any:
    """A number field's value, read by its plan from the number and unit `_USUAL` cut from
    its line (a user count, a data size, a volume: mostly written once in a portfolio, so
    neither looked up nor remembered by line); else as a line new to its section. Some
    2.5 such lines a file, read by `_TEMPLATE`, `_planned` and `_remember`: 114.6 M
    instructions a chunk of 500 files, 108.4 M so."""
    if number is not None:
        plan = section.plans[comma].get((key, unit))
        if plan:
            return _by_plan(plan, number)
    return (section.known[comma].get(line) or _new(section, line, comma))[2]


def _new(section: _Section, line: str, comma: bool) -> tuple[int, str, Any]:
    """A `key: value` line new to its section (`_USUAL` placed its key), read and
    remembered as `_read` reads it there: a number by its template's plan."""
    template = _TEMPLATE.fullmatch(line)
    entry = None if template is None else _planned(section, template, comma)
    if entry is None:
        return _learned(section, line, comma)
    _remember(section.known[comma], line, entry, len(line))
    return entry


def _learned(section: _Section, line: str, comma: bool) -> tuple[int, str, Any]:
    """A line new to its section, read and remembered as `_read` reads it there."""
    reading = _lines.get(line)
    template = None
    if reading is None:
        reading, template = _new_line(line, _TEMPLATE.fullmatch(line))
    _, dash, word, value = reading
    if word is None or value is _BELOW or (dash and section is not _SERVER):
        raise _Declined  # a blank or comment line, a `key:`, an item: not the usual shape
    return _entry(section, line, reading, template, comma)


def _whole(section: _Section, block: str, comma: bool) -> Any:
    """A shares section's record, by its exact text (its lines as `_close` would read them)."""
    by_text = section.by_lines[comma]
    record = by_text.get(block)
    if record is None:
        lines = block[:-1].split("\n")
        record = _shares(section, lines, comma)
        if record is None:
            record = section.read(_values(section, lines, 4, comma))
        _remember(by_text, block, record, len(block))
    return record


def _shares(section: _Section, lines: list[str], comma: bool) -> Any:
    """A shares section new by its text but of the usual kind, read from its lines' fractions
    (each line remembered as its key and fraction): its record as its reader makes it, or
    None where the reader must read it. Half a portfolio's files hold a devices section
    not seen before (10,000 files, 4,957 of them), which the reader read from the lines'
    values, each fraction looked up by its text again: 78.4 M instructions a chunk of 500
    files read so 74.4 M."""
    memo = section.fractions[comma]
    fractions: dict[str, float] = {}
    for line in lines:
        share = memo.get(line) or _share(section, line, comma)
        if share is None or share[0] in fractions:
            return None  # (a key given twice: `_values` declines it)
        fractions[share[0]] = share[1]
    return section.shares.usual(fractions, sum(fractions.values()))


def _share(section: _Section, line: str, comma: bool) -> tuple[str, float] | None:
    """A shares section's line as its key and fraction, where `_values` takes it (a known
    key at the section's indent) and its fraction is from 0 to 1; else None."""
    try:
        at, key, value = section.known[comma].get(line) or _learned(section, line, comma)
        fraction = section.shares.read_fraction(value)
    except Exception:  # a refusal: `_values` and the reader meet it again, and say so
        return None
    if at != 4 or key not in section.shares.keys or type(fraction) is not float:
        return None
    if not 0.0 <= fraction <= 1.0:
        return None
    share = (key, fraction)
    _remember(section.fractions[comma], line, share, len(line))
    return share


def _servers(block: str, comma: bool) -> list[Any]:
    """The servers' records, each by its exact text (its lines as `_close` reads an item)."""
    if not block.startswith("    - "):
        raise _Declined
    by_text = _SERVER.by_lines[comma]
    servers = []
    for item in block[6:-1].split("\n    - "):  # (an item's other lines are indented 6)
        server = by_text.get(item)
        if server is None:
            if item[0] == " ":
                raise _Declined  # a wider dash: its item's keys stand further right
            lines = ("    - " + item).split("\n")
            server = _record(_SERVER, _values(_SERVER, lines, 6, comma))
            _remember(by_text, item, server, len(item))
        servers.append(server)
    return servers


def _values(section: _Section, lines: list[str], indent: int, comma: bool) -> dict[str, Any]:
    """The values of a section's lines, each a key and its value at `indent` (an item's
    first line after its dash); _Declined at any other line or a key given twice."""
    known = section.known[comma]
    values: dict[str, Any] = {}
    for line in lines:
        at, key, value = known.get(line) or _learned(section, line, comma)
        if at != (-1 if line[indent - 2] == "-" else indent) or value is _BELOW or key in values:
            raise _Declined  # (-1: an item's dash, see `_entry`)
        values[key] = value
    return values
