"""PyYAML's and libyaml's own words for a malformed file, as catalogue messages.

The YAML readers say what is wrong in a finite set of English sentences (the scanner's,
the parser's, the composer's), a few with a quoted character or token. Each is matched
here to a catalogue key: the English template is the reader's own text (`{said}`, so
English output stays as it was), the French one says it in French, the quoted characters
kept. A sentence not in the table (a later PyYAML) is shown as it is in English and as a
generic sentence in French, never as English prose.
"""

from __future__ import annotations

import re

import yaml

from acvnum.errors import Message, message

#: The readers' sentences (libyaml's first, then pure-Python PyYAML's), by catalogue key.
#: A named group is an argument: `token` a quoted character or token, `count` a number.
SENTENCES: tuple[tuple[str, str], ...] = (
    # The context: where the reader was.
    ("while parsing a flow sequence", "flow_sequence"),
    ("while parsing a flow mapping", "flow_mapping"),
    ("while parsing a block mapping", "block_mapping"),
    ("while parsing a block collection", "block_collection"),
    ("while parsing a (?:block |flow )?node", "node"),
    ("while parsing a quoted scalar", "quoted"),
    ("while scanning a (?:double-|single-)?quoted scalar", "quoted"),
    ("while scanning a plain scalar", "plain"),
    ("while scanning a simple key", "simple_key"),
    ("while scanning a block scalar", "block_scalar"),
    ("while scanning for the next token", "next_token"),
    ("while scanning an anchor", "anchor"),
    ("while scanning an alias", "alias"),
    ("while (?:scanning|parsing) a tag", "tag"),
    (
        "while (?:scanning|parsing) (?:a|an) (?:%TAG |%YAML |tag )?directive(?: name)?",
        "directive",
    ),
    ("while increasing (?:block|flow) level", "level"),
    ("while composing a mapping", "composing"),
    ("expected a single document in the stream", "single_document"),
    ("found duplicate anchor; first occurrence", "anchor_first"),
    ("found duplicate anchor (?P<token>.+); first occurrence", "anchor_first_named"),
    # The problem: what it found.
    ("second occurrence", "anchor_second"),
    ("but found another document", "another_document"),
    ("did not find expected ',' or ']'", "expected_comma_bracket"),
    ("expected ',' or '\\]', but got (?P<token>.+)", "expected_comma_bracket_got"),
    ("did not find expected ',' or '}'", "expected_comma_brace"),
    ("expected ',' or '}', but got (?P<token>.+)", "expected_comma_brace_got"),
    ("mapping values are not allowed (?:in this context|here)", "mapping_values"),
    ("mapping keys are not allowed (?:in this context|here)", "mapping_keys"),
    ("(?:block )?sequence entries are not allowed (?:in this context|here)", "sequence_entries"),
    ("found character that cannot start any token", "cannot_start"),
    ("found character (?P<token>.+) that cannot start any token", "cannot_start"),
    ("found incompatible YAML document \\(version 1\\.\\* is required\\)", "yaml_version"),
    (
        "found a tab character (?:that violates indentation|where an indentation space is"
        " expected)",
        "tab",
    ),
    ("found unexpected end of stream", "end_of_stream"),
    ("found undefined alias", "undefined_alias"),
    ("found undefined alias (?P<token>.+)", "undefined_alias_named"),
    ("did not find expected key", "expected_key"),
    ("expected <block end>, but found (?P<token>.+)", "expected_block_end"),
    ("did not find expected node content", "expected_content"),
    ("expected the node content, but found (?P<token>.+)", "expected_content_found"),
    ("found unknown escape character", "unknown_escape"),
    ("found unknown escape character (?P<token>.+)", "unknown_escape_named"),
    ("found invalid Unicode character escape code", "bad_unicode_escape"),
    ("did not find expected hexdecimal number", "expected_hex"),
    (
        "expected escape sequence of (?P<count>\\d+) hexadecimal numbers, but found (?P<token>.+)",
        "expected_hex_found",
    ),
    ("found unexpected document (?:indicator|separator)", "document_separator"),
    ("found unknown directive name", "unknown_directive"),
    ("found incompatible YAML document", "yaml_version"),
    ("(?:found )?duplicate (?:%YAML|%TAG|YAML) directive", "duplicate_directive"),
    ("found extremely long version number", "long_version"),
    ("found undefined tag handle", "undefined_tag_handle"),
    ("found undefined tag handle (?P<token>.+)", "undefined_tag_handle_named"),
    ("found non-specific tag '!'", "non_specific_tag"),
    ("found an indentation indicator equal to 0", "indentation_zero"),
    ("expected indentation indicator in the range 1-9, but found 0", "indentation_zero"),
    ("did not find expected alphabetic or numeric character", "expected_alphanumeric"),
    ("expected alphabetic or numeric character, but found (?P<token>.+)", "expected_alnum_found"),
    ("did not find (?:the )?expected '>'", "expected_angle"),
    ("expected '>', but found (?P<token>.+)", "expected_angle_found"),
    ("did not find expected '!'", "expected_bang"),
    ("expected '!', but found (?P<token>.+)", "expected_bang_found"),
    ("did not find expected comment or line break", "expected_line_break"),
    (
        "expected (?:a comment or a line break|chomping or indentation indicators), but found"
        " (?P<token>.+)",
        "expected_line_break_found",
    ),
    ("could not find expected ':'", "expected_colon"),
    ("did not find expected '-' indicator", "expected_dash"),
    ("did not find expected <document start>", "expected_document_start"),
    ("expected '<document start>', but found (?P<token>.+)", "expected_document_start_found"),
    ("did not find expected whitespace(?: or line break)?", "expected_space"),
    ("expected ' ', but found (?P<token>.+)", "expected_space_found"),
    ("did not find expected digit or '.' character", "expected_digit"),
    ("expected a digit(?: or '.'| or ' ')?, but found (?P<token>.+)", "expected_digit_found"),
    ("did not find expected version number", "expected_version"),
    ("did not find expected directive name", "expected_directive"),
    ("did not find expected tag URI", "expected_uri"),
    ("expected URI, but found (?P<token>.+)", "expected_uri_found"),
    ("did not find URI escaped octet", "expected_uri_escape"),
    (
        "expected URI escape sequence of 2 hexadecimal numbers, but found (?P<token>.+)",
        "expected_uri_escape_found",
    ),
    ("found unexpected ':'", "unexpected_colon"),
    ("found unexpected non-alphabetical character", "non_alphabetical"),
    ("found duplicate key", "duplicate_key"),
    ("expected (?:DOCUMENT-START|DOCUMENT-END|STREAM-START)(?: or STREAM-END)?", "expected_event"),
    ("expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS", "expected_event"),
    ("expected nothing after STREAM-END", "expected_event"),
)

_TABLE = tuple((re.compile(pattern), key) for pattern, key in SENTENCES)

#: The tokens pure-Python PyYAML names ('<block mapping start>'), by catalogue key.
TOKENS = {
    "<stream start>": "stream_start",
    "<stream end>": "stream_end",
    "<directive>": "directive",
    "<document start>": "document_start",
    "<document end>": "document_end",
    "<block sequence start>": "block_sequence_start",
    "<block mapping start>": "block_mapping_start",
    "<block end>": "block_end",
    "<flow sequence start>": "flow_sequence_start",
    "<flow mapping start>": "flow_mapping_start",
    "<flow sequence end>": "flow_sequence_end",
    "<flow mapping end>": "flow_mapping_end",
    "<key>": "key",
    "<value>": "value",
    "<block entry>": "block_entry",
    "<flow entry>": "flow_entry",
    "<alias>": "alias",
    "<anchor>": "anchor",
    "<tag>": "tag",
    "<scalar>": "scalar",
}


def _token(written: str) -> object:
    """A quoted character or token as an argument: English shows it as the reader wrote it
    ("'<stream end>'", "'@'"), French in words or between guillemets."""
    inner = written[1:-1] if len(written) >= 2 and written[0] == written[-1] == "'" else None
    if inner is None:
        return written
    name = TOKENS.get(inner)
    if name is not None:
        return message(f"yaml.token.{name}")
    return message("yaml.quoted", char=inner)


def _sentence(text: str, found: str) -> Message:
    """One sentence of the reader's as a catalogue message; `found`: the character at the
    problem's place (libyaml does not quote it), for the French to name."""
    for pattern, key in _TABLE:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        arguments: dict[str, object] = {"said": text, "char": message("yaml.quoted", char=found)}
        for name, value in match.groupdict().items():
            arguments[name] = _token(value) if name == "token" else value
        if key == "cannot_start" and found == "\t":
            key = "cannot_start_tab"
        return message(f"yaml.said.{key}", **arguments)
    return _unknown(text)


def _character_at(text: str, mark: yaml.Mark | None) -> str:
    """The character at `mark` (line and column count characters), or ''."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def detail(error: yaml.MarkedYAMLError, text: str) -> Message:
    """What the reader said, in the catalogue: in English its very words ('while parsing a
    flow sequence did not find expected ...'), in French the problem, then where."""
    found = _character_at(text, error.problem_mark)
    english = " ".join(part for part in (error.context, error.problem) if part)
    problem = _sentence(error.problem, found) if error.problem else None
    context = _sentence(error.context, found) if error.context else None
    if problem is None or problem.key == _UNKNOWN:
        return context if context is not None and problem is None else _unknown(english)
    if context is None:
        return problem
    if context.key == _UNKNOWN:  # French leaves out where, English says it as it was
        return message("yaml.in_some_context", said=english, problem=problem)
    return message("yaml.in_context", context=context, problem=problem)


_UNKNOWN = "yaml.said.unknown"


def _unknown(said: str) -> Message:
    """A sentence the table does not know: English as said, French a generic sentence."""
    return message(_UNKNOWN, said=said)


#: libyaml's and PyYAML's sentence for a character no YAML file may hold, its code in hex.
_UNACCEPTABLE = re.compile(r"unacceptable character #x(?P<code>[0-9a-fA-F]+): [^\n]*")


def unreadable(error: yaml.YAMLError, text: str) -> tuple[int, int, Message]:
    """An error the reader raised without a place (a control character: the reader's own
    error): the line and column of the character, and what is wrong, in the catalogue."""
    said = str(error)
    match = _UNACCEPTABLE.match(said)
    if match is None:
        return 1, 1, _unknown(said)
    # The reader stops at the character's first occurrence; its own position counts bytes
    # under libyaml, characters under PyYAML: the text says where, either way.
    offset = max(text.find(chr(int(match["code"], 16))), 0)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column, message("yaml.said.control", said=match[0], code=match["code"])
