"""Read a YAML file into plain Python data while keeping where every value stood.

PyYAML composes a node tree with line marks; we build the data ourselves from it so that
we can refuse what a questionnaire never needs (explicit tags, duplicate keys, alias
bombs, absurd nesting or numbers) and map every later validation error back to
file:line:column.

Plain scalars are resolved with the YAML 1.2 core schema, not PyYAML's YAML 1.1 defaults:
under 1.1 `1:30` is the sexagesimal number 90, `010` the octal 8, `0x10` 16, `yes` true and
`2024-01-01` a date, all silently. Here `010` is ten, and `1:30`, `0x10`, `yes` and dates
stay text, which the questionnaire then refuses where it expects a number, saying how to
write it. (As before, `_` may group digits: `50_000`.)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import yaml

from acvnum.errors import InputError, Message, Problem, message
from acvnum.files import read_text

Path_ = tuple[str | int, ...]

#: A questionnaire is a few dozen values: anything this large is an alias bomb or a mistake.
MAX_NODES = 10_000
#: The deepest questionnaire path has 4 levels (hosting.servers[0].power); libyaml's composer
#: recurses in C and crashes the process on flow collections nested ~100,000 deep.
MAX_DEPTH = 50
#: No questionnaire value needs more digits; Python refuses to read ints above 4300.
MAX_DIGITS = 30

#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python.
FastSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
_INT_TAG = "tag:yaml.org,2002:int"


class QuestionnaireLoader(FastSafeLoader):  # type: ignore[valid-type,misc]
    """The fast safe loader with YAML 1.2 core-schema resolution of plain scalars."""

    yaml_implicit_resolvers: ClassVar[dict] = {}
    #: Tags resolved so far, by (kind, value, implicit): a portfolio's files repeat their
    #: keys and many values, and resolving is most of composing them (libyaml calls back).
    _resolved: ClassVar[dict[tuple[Any, ...], str]] = {}

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if value is None or len(value) <= _CACHED_UP_TO:
                if len(self._resolved) >= _CACHE_SIZE:
                    self._resolved.clear()
                self._resolved[key] = tag
        return tag


#: Only short scalars are remembered, and at most so many: memory stays bounded.
_CACHED_UP_TO, _CACHE_SIZE = 40, 20_000


def _core_resolver(tag: str, pattern: str, first: str) -> None:
    QuestionnaireLoader.add_implicit_resolver(
        "tag:yaml.org,2002:" + tag, re.compile(pattern, re.X), list(first)
    )


_core_resolver("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_core_resolver("null", r"^(?:~|null|Null|NULL|)$", "~nN")
QuestionnaireLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])
_core_resolver("int", r"^[-+]?[0-9]+(?:_[0-9]+)*$", "-+0123456789")
_core_resolver(
    "float",
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:_[0-9]+)*(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""",
    "-+0123456789.",
)
_core_resolver("merge", r"^(?:<<)$", "<")  # recognised only to be refused with a clear message


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """A decimal integer: '010' is ten (PyYAML's YAML 1.1 constructor reads it as octal 8)."""
    return int(loader.construct_scalar(node).replace("_", ""), 10)


QuestionnaireLoader.add_constructor(_INT_TAG, _construct_decimal)


class Document:
    """The data of a YAML file and the position (1-based line, column) of every path in it.

    The positions are worked out from the file's node tree, or its text, when first asked
    for (most files never are: they have no problem to locate).
    `verbatim`: the file's text when every text in the data (keys and values) is a piece of
    it as written, no escape read (the block reader's documents; a changed copy has none).
    `read`: makes the data when first asked for (see `unread`), in place of `data`.
    """

    __slots__ = ("_data", "_marks", "_read", "_root", "_text", "file", "verbatim")

    def __init__(
        self,
        file: str,
        data: Any,
        marks: dict[Path_, tuple[int, int]] | None = None,
        root: yaml.Node | None = None,
        text: str | None = None,
        verbatim: str | None = None,
        read: Callable[[], Any] | None = None,
    ):
        self.file = file
        self._data = data
        self._read = read
        later = root is not None or text is not None
        self._marks = marks if marks is not None or later else {}
        self._root = root
        self._text = text
        self.verbatim = verbatim

    @property
    def data(self) -> Any:
        if self._read is not None:
            self._data, self._read = self._read(), None
        return self._data

    @property
    def marks(self) -> dict[Path_, tuple[int, int]]:
        if self._marks is None:
            self._marks = _marks_of(self._root if self._text is None else _compose(self._text))
            self._root = self._text = None
        return self._marks

    def with_data(self, data: Any) -> Document:
        """A document of other data (a changed copy) at this file's positions."""
        return Document(self.file, data, self._marks, self._root, self._text)

    def locate(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists in the file."""
        marks = self.marks
        for end in range(len(path), -1, -1):
            if path[:end] in marks:
                return marks[path[:end]]
        return (1, 1)

    def problem(self, path: Path_, text: str | Message) -> Problem:
        line, column = self.locate(path)
        return Problem(self.file, line, column, text)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Walks a composed node tree into Python data, recording marks and refusing oddities."""

    def __init__(self, file: str, loader: yaml.SafeLoader):
        self.file = file
        self.loader = loader
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.visited = 0

    def fail(self, node: yaml.Node, text: Message) -> InputError:
        line, column = _mark(node)
        return InputError([Problem(self.file, line, column, text)])

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.fail(node, message("yaml.alias_bomb", limit=MAX_NODES))
        if len(path) > MAX_DEPTH:  # also stops recursive aliases (a: &x [*x])
            raise self.fail(node, _too_deep())
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, message("yaml.tag", tag=node.tag))
        self.marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        """The scalar's value; an integer too long to be a real figure is refused first, and
        a value its explicit tag cannot read ('!!int 0x10', '!!float abc', '!!bool maybe')."""
        if node.tag == _INT_TAG:
            digits = sum(char.isdigit() for char in node.value)
            if digits > MAX_DIGITS:
                refusal = message("yaml.digits", digits=digits, most=MAX_DIGITS)
                raise self.fail(node, _at(path, refusal))
        try:
            value = self.loader.construct_object(node)
        except (ValueError, KeyError, IndexError):  # PyYAML's constructors' own errors
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            refusal = message("yaml.tag_value", value=repr(node.value), tag=tag)
            raise self.fail(node, _at(path, refusal)) from None
        if _overflows(node.tag, node.value, value):
            refusal = message("yaml.out_of_range", text=node.value)
            raise self.fail(node, _at(path, refusal))
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, message("yaml.merge"))
            key = self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise self.fail(key_node, message("yaml.key_not_word"))
            if key in result:
                line, _ = self.marks[(*path, key)]
                raise self.fail(key_node, message("yaml.duplicate", key=str(key), line=line))
            self.marks[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def _at(path: Path_, refusal: Message) -> Message:
    """'usage.users: refusal' (the refusal alone at the root or in a key)."""
    where = ".".join(str(part) for part in path if part != "<key>")
    return message("error.at", path=where, reason=refusal) if where else refusal


def _too_deep() -> Message:
    return message("yaml.too_deep", depth=MAX_DEPTH)


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting beyond MAX_DEPTH before libyaml composes it (it would crash on it).

    Only flow collections ('[[[…', '{{{…') can nest deep enough in MAX_BYTES, so the event
    scan (libyaml's parser is not recursive) runs only when the text has that many brackets.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth, loader, last = 0, QuestionnaireLoader(text), None
    try:
        while (event := loader.get_event()) is not None:
            last = event.end_mark
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise InputError([Problem(file, mark.line + 1, mark.column + 1, _too_deep())])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.YAMLError as error:
        # PyYAML >= 6.0.2 stops flow nesting itself (at 1,000 levels, while scanning ahead):
        # report it as ours, where the nesting passes our limit.
        if "nesting depth" not in str(error):
            raise
        line, column = _flow_too_deep_at(text, last, depth)
        raise InputError([Problem(file, line, column, _too_deep())]) from None
    finally:
        loader.dispose()


def _flow_too_deep_at(text: str, after: yaml.Mark | None, depth: int) -> tuple[int, int]:
    """Where brackets first open more than MAX_DEPTH levels deep, scanning on from the last
    event the parser gave (`after`, at `depth`); quoted text is skipped."""
    index, line, column = (after.index, after.line + 1, after.column) if after else (0, 1, 0)
    quote = ""
    for char in text[index:]:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, column
        elif char in "]}":
            depth -= 1
    return 1, 1


def _overflows(tag: str, text: str, value: Any) -> bool:
    """Whether a float written with digits ('1e400', '-9.9e999') is too large for a float:
    refused where it is written, in the user's words, rather than later as 'inf'. YAML's
    own infinity ('.inf') is no overflow: the models' finite check refuses it."""
    return tag == _FLOAT_TAG and not math.isfinite(value) and any(char.isdigit() for char in text)


class _Unusual(Exception):
    """Raised by the fast reader at anything a plain questionnaire never has."""


def _plain_value(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    """A plain scalar's value, as the loader's constructors would give it."""
    tag = node.tag
    if tag == _STR_TAG:
        return node.value
    if tag == _INT_TAG:
        return _construct_decimal(loader, node)
    if tag == _FLOAT_TAG:
        return loader.construct_yaml_float(node)
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return loader.construct_yaml_bool(node)
    raise _Unusual  # a collection's tag on a scalar: _Builder's constructor refuses it


def _fast_build(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """The data of a plain questionnaire's node tree, no positions kept; _Unusual at
    anything `_Builder` would refuse (it then reads the file again, to say why and where)."""
    visited = 0
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode

    def build(node: yaml.Node, depth: int) -> Any:
        nonlocal visited
        visited += 1
        if visited > MAX_NODES or depth > MAX_DEPTH or node.tag not in _PLAIN_TAGS:
            raise _Unusual
        if isinstance(node, scalar):
            if node.tag == _INT_TAG and len(node.value) > MAX_DIGITS:
                raise _Unusual  # perhaps too many digits: _Builder counts them
            try:
                value = _plain_value(node, loader)
            except (ValueError, KeyError, IndexError):  # '!!int 0x10': _Builder says why
                raise _Unusual from None
            if _overflows(node.tag, node.value, value):
                raise _Unusual  # _Builder says where
            return value
        if isinstance(node, mapping):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = build(key_node, depth + 1)
                if type(key) not in _KEY_TYPES or key in result:
                    raise _Unusual
                result[key] = build(value_node, depth + 1)
            return result
        return [build(item, depth + 1) for item in node.value]

    return build(node, 0)


_STR_TAG, _FLOAT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:float"
_NULL_TAG, _BOOL_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_KEY_TYPES = (str, int, float, bool, type(None))
_SCALAR_TAGS = frozenset((_STR_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _BOOL_TAG))


# --- The plain block reader ------------------------------------------------------------------
#
# Composing a questionnaire with libyaml costs ~0.5 ms a file, nearly all of it PyYAML calling
# back into Python for every event, node and mark. A questionnaire as people write it is a
# few dozen lines of `key: value` and `- item` in block style: `_read_block` reads exactly
# that subset line by line, and gives up (None) at anything else, which libyaml then reads as
# before. It never reads a text differently from libyaml: tests/questionnaire/
# test_yaml_reader.py compares the two on generated texts, valid and broken.

#: The characters a plain scalar may not start with, plus those that start a YAML construct
#: the block reader leaves to libyaml (quotes are read by their own patterns).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: A line: its indent, `- ` (an item), a key as questionnaires write them (libyaml refuses
#: implicit keys past 1,024 characters) with its `:`, and the rest.
_LINE = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_]{0,200}):(?: +|$))?(.*)$", re.M)
_DOUBLE = re.compile(r'"([^"\\]*)"(?: *| +#.*)')
_SINGLE = re.compile(r"'([^']*)'(?: *| +#.*)")
#: Block nesting the reader follows; deeper files (none real) go to the locating builder.
_BLOCK_DEPTH = 12


class _GiveUp(Exception):
    """Raised by the block reader at anything outside its subset."""


class _Resolution(yaml.resolver.BaseResolver):
    """The loader's resolution of plain scalars, without a libyaml parser behind it."""

    yaml_implicit_resolvers: ClassVar[dict] = QuestionnaireLoader.yaml_implicit_resolvers


_RESOLVER, _CONSTRUCTOR = _Resolution(), yaml.constructor.SafeConstructor()
#: The implicit resolvers' patterns by the first character they are tried for (there is no
#: wildcard): a plain scalar none of them matches is text. `_DECIMAL`: the int resolver's
#: pattern, tried first for a digit or a sign.
_PATTERNS = {
    first: tuple(pattern for _, pattern in resolvers)
    for first, resolvers in QuestionnaireLoader.yaml_implicit_resolvers.items()
    if first
}
_DECIMAL = re.compile(r"[-+]?[0-9]+(?:_[0-9]+)*")
_NODE = yaml.ScalarNode
_values: dict[str, Any] = {}


def _scalar(rest: str) -> Any:
    """The value written after `key: ` or `- ` (from its first character to the end of the
    line, comment included), resolved and constructed as the loader does; remembered by
    what is written (values are immutable, and a portfolio's files repeat most of theirs)."""
    value = _values.get(rest, _values)
    if value is not _values:
        return value
    first = rest[0]
    if first == '"' or first == "'":
        match = (_DOUBLE if first == '"' else _SINGLE).fullmatch(rest)
        if match is None:
            raise _GiveUp
        value = match[1]
    else:
        cut = rest.find(" #")
        plain = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if first in _NOT_PLAIN_START and not (first == "-" and plain[1:2] not in ("", " ")):
            raise _GiveUp  # '-5' is a plain scalar, '- x' is not
        if ": " in plain or plain.endswith(":"):
            raise _GiveUp
        # As the resolver and the constructors would read it, without them for the usual:
        # text ('3 min', '60%', 'FRA': no pattern matches), or a decimal integer.
        patterns = _PATTERNS.get(first, ())
        if _DECIMAL.fullmatch(plain) and len(plain) <= MAX_DIGITS:  # the resolver's int
            return _remember(rest, int(plain.replace("_", ""), 10))  # as _construct_decimal
        for pattern in patterns:
            if pattern.match(plain):
                break
        else:
            return _remember(rest, plain)
        tag = _RESOLVER.resolve(_NODE, plain, (True, False))
        if tag not in _SCALAR_TAGS or (tag == _INT_TAG and len(plain) > MAX_DIGITS):
            raise _GiveUp  # '<<', or perhaps too many digits: _Builder says what and where
        value = _plain_value(_NODE(tag, plain), _CONSTRUCTOR)
        if _overflows(tag, plain, value):
            raise _GiveUp  # _Builder says what and where
    return _remember(rest, value)


def _remember(rest: str, value: Any) -> Any:
    if len(rest) <= _CACHED_UP_TO:
        if len(_values) >= _CACHE_SIZE:
            _values.clear()
        _values[rest] = value
    return value


#: The words a key as `_LINE` reads it may be that are not text: YAML's true, false and null.
#: Any other such key is itself as text (it starts with a letter or `_`: no number, no
#: construct), which is what `_scalar` would make of it.
_NOT_TEXT_KEYS = frozenset(
    ("true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL")
)
#: A line's reading: its indent, the width of its `- ` (0 if none), its key (None if none)
#: and its value: `_BELOW` for a key whose value is on the lines below, else the scalar. A
#: blank or comment line reads as `_BLANK`.
_Line = tuple[int, int, str | None, Any]
_BELOW = object()
_BLANK: _Line = (0, 0, None, None)
#: Lines read so far (the short ones, and at most _CACHE_SIZE): a portfolio's files repeat
#: most of theirs ('    type: virtual', '  devices:'), and a remembered line skips `_LINE`,
#: the checks and the scalar's reading. What a line reads as depends on it alone.
_lines: dict[str, _Line] = {}
_LINE_CACHED_UP_TO = 80


def _read_line(line: str) -> _Line:
    """One line (no line break) as `_read_block` reads it, or _GiveUp at a line it never takes
    wherever it stands; remembered if short."""
    spaces, dash, word, rest = _LINE.match(line).groups()  # type: ignore[union-attr]
    if rest and not rest.isprintable():  # tabs, \r, control and line-separator characters
        raise _GiveUp
    if not (dash or word):
        if rest and rest[0] != "#":
            raise _GiveUp  # a scalar on a line of its own, or any other construct
        read = _BLANK
    elif not word:
        if not rest or rest[0] == "#" or rest[0] == "-":
            raise _GiveUp  # an item on the lines below, or a sequence in a sequence
        read = (len(spaces), len(dash), None, _scalar(rest))
    else:
        if word in _NOT_TEXT_KEYS:
            raise _GiveUp  # true:, null:... : _Builder says what and where
        value = _BELOW if not rest or rest[0] == "#" else _scalar(rest)
        read = (len(spaces), len(dash) if dash else 0, word, value)
    if len(line) <= _LINE_CACHED_UP_TO:
        if len(_lines) >= _CACHE_SIZE:
            _lines.clear()
        _lines[line] = read
    return read


def _read_block(text: str) -> Any:
    """The data of a block-style questionnaire, or _GiveUp at anything else."""
    # Each open collection as [indent, container]; `pending`: a key written `key:` whose
    # value is on the lines below, with its mapping and indent.
    stack: list[list[Any]] = []
    pending: tuple[dict[Any, Any], Any, int] | None = None
    nodes = 0
    known = _lines
    top_indent, top = -1, None  # the innermost open collection, as left by the last line
    for line in text.split("\n"):  # the lines `_LINE` (re.M) finds: \r and others give up
        read = known.get(line)
        if read is None:
            read = _read_line(line)
        if read is _BLANK:
            continue
        indent, dash, word, value = read
        if (
            indent == top_indent
            and not dash
            and type(top) is dict
            and pending is None
            and len(stack) <= _BLOCK_DEPTH
        ):
            # The usual line, a key of the mapping the last line wrote in: what the general
            # steps below do for it, without their tests for the other cases.
            if word in top:
                raise _GiveUp
            nodes += 2
            if nodes > MAX_NODES // 3:
                raise _GiveUp
            if value is _BELOW:
                pending = (top, word, indent)
            else:
                top[word] = value
            continue
        if pending is not None:
            owner, key, at = pending
            pending = None
            if (dash and indent >= at) or (not dash and indent > at):
                owner[key] = child = [] if dash else {}
                stack.append([indent, child])
            else:
                owner[key] = None
        while stack and (
            stack[-1][0] > indent
            or (stack[-1][0] == indent and not dash and type(stack[-1][1]) is list)
        ):
            stack.pop()
        if not stack:
            if nodes:
                raise _GiveUp  # less indented than the root
            stack.append([indent, [] if dash else {}])
        top_indent, top = stack[-1]
        if top_indent != indent or len(stack) > _BLOCK_DEPTH:
            raise _GiveUp
        if dash:
            if type(top) is not list:
                raise _GiveUp
            nodes += 1
            if word is None:
                top.append(value)
                continue
            top.append(child := {})
            stack.append([top_indent := indent + dash, child])
            top = child
        elif type(top) is not dict:
            raise _GiveUp
        if word in top:
            raise _GiveUp  # a key given twice: _Builder says what and where
        nodes += 2
        if nodes > MAX_NODES // 3:  # _Builder counts every node (this count is under half)
            raise _GiveUp
        if value is _BELOW:
            pending = (top, word, stack[-1][0])
        else:
            top[word] = value
    if pending is not None:
        pending[0][pending[1]] = None
    if not stack:
        raise _GiveUp
    return stack[0][1]


def _marks_of(root: yaml.Node | None) -> dict[Path_, tuple[int, int]]:
    """The positions `_Builder` records, from a node tree `_fast_build` read whole."""
    marks: dict[Path_, tuple[int, int]] = {}
    loader = QuestionnaireLoader("")
    try:

        def walk(node: yaml.Node, path: Path_) -> None:
            marks.setdefault(path, _mark(node))
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    marks.setdefault((*path, "<key>"), _mark(key_node))
                    key = _plain_value(key_node, loader)
                    marks[(*path, key)] = _mark(key_node)
                    walk(value_node, (*path, key))
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    walk(item, (*path, i))

        if root is not None:
            walk(root, ())
    finally:
        loader.dispose()
    return marks


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a text the block reader has read (so libyaml reads it too)."""
    loader = QuestionnaireLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> Document:
    """YAML text -> Document, or InputError naming file:line:column.

    A plain questionnaire is read fast (no positions until one is asked for): by the block
    reader, else from libyaml's nodes; anything unusual, or malformed, is read again by
    `_Builder`, which says what and where.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # else _check_depth scans first
        try:
            return Document(file, _read_block(text), text=text, verbatim=text)
        except _GiveUp:
            pass
        loader = QuestionnaireLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                return Document(file, _fast_build(node, loader), root=node)
        except (yaml.YAMLError, _Unusual, RecursionError):
            pass
        finally:
            loader.dispose()
    return _parse_located(text, file)


def _parse_located(text: str, file: str) -> Document:
    """YAML text -> Document with every position, or InputError naming file:line:column."""
    loader = QuestionnaireLoader(text)
    try:
        _check_depth(text, file)
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(file, 1, 1, message("yaml.empty"))])
        builder = _Builder(file, loader)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as error:
        # Imported only for a malformed file: its ~80 patterns cost every run 5-10 ms.
        from acvnum.questionnaire import yaml_problems

        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        malformed = message("yaml.malformed", detail=yaml_problems.detail(error, text))
        raise InputError([Problem(file, line, column, malformed)]) from None
    except yaml.YAMLError as error:
        from acvnum.questionnaire import yaml_problems  # only for a malformed file (above)

        line, column, said = yaml_problems.unreadable(error, text)
        malformed = message("yaml.malformed", detail=said)
        raise InputError([Problem(file, line, column, malformed)]) from None
    except RecursionError:  # pure-Python PyYAML (no libyaml) recurses while composing
        raise InputError([Problem(file, 1, 1, _too_deep())]) from None
    finally:
        loader.dispose()
    return Document(file, data, builder.marks)


def load_scalar(text: str) -> Any:
    """One value typed on a command line or at a prompt, read as the questionnaire reads it."""
    loader = QuestionnaireLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        builder = _Builder("<answer>", loader)
        return builder.build(node, ())
    finally:
        loader.dispose()


def load_plain_yaml(text: str) -> Any:
    """Trusted YAML shipped with acvnum (catalogues): safe, fast, no marks kept."""
    return yaml.load(text, Loader=FastSafeLoader)


def unread(file: str, text: str, prepare: Callable[[Any], Any]) -> Document:
    """The document of a text the block reader reads, its data read (then `prepare`d) only
    when first asked for: a file read by `questionnaire.fast_path` rarely needs it (a
    what-if does), and building it was a fifth of reading a portfolio's file."""
    # Its slots set one by one, not by `__init__`'s keywords and tests (a portfolio makes
    # 10,000: what loading a chunk of 500 files costs besides reading the texts and the
    # fast path, 8.7 M instructions, is 7.4 M so). tests/questionnaire/test_yaml_reader.py
    # holds it equal to `__init__`'s.
    document = _new_document(Document)
    document.file = file
    document._data = None
    document._read = lambda: prepare(_read_block(text))
    document._marks = None  # (worked out from the text when asked for)
    document._root = None
    document._text = text
    document.verbatim = text
    return document


_new_document = object.__new__


def load_yaml(path: Path | str) -> Document:
    """Read and parse a YAML file; every failure is an InputError with a position."""
    name = os.fspath(path)  # not a Path per file: a portfolio reads 10,000
    return parse_yaml(read_text(name), name)
