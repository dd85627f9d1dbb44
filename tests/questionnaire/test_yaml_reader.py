"""Bad input: one located message per problem, exit code 2, never a traceback.

Every case of the issue has a file under tests/inputs/bad/ and a golden message.
"""

import random
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, assert_golden, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acvnum.errors import InputError
from acvnum.questionnaire.yaml_reader import (
    FastSafeLoader,
    QuestionnaireLoader,
    load_scalar,
    load_yaml,
    parse_yaml,
)

BAD = ROOT / "tests" / "inputs" / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_a_located_message(case):
    result = run_cli("estimate", f"tests/inputs/bad/{case}.yaml")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"tests/inputs/bad/{case}.yaml:")
    assert_golden(f"errors/{case}.txt", result.stderr)


def test_missing_file(tmp_path):
    result = run_cli("estimate", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("nowhere.yaml:1:1: file not found")


def test_directory_without_questionnaires(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("estimate", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty:1:1: is a directory with no questionnaire" in result.stderr


def test_a_directory_given_to_the_loader_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a YAML file"):
        load_yaml(tmp_path)


def test_marks_point_at_keys_and_items():
    document = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n", "f.yaml")
    assert document.marks[("a", "b")] == (2, 3)
    assert document.marks[("a", "c", 1)] == (5, 7)
    assert document.locate(("a", "c", 1, "missing")) == (5, 7)


def test_anchors_within_the_limit_are_allowed():
    document = parse_yaml("a: &x {k: 1}\nb: *x\n", "f.yaml")
    assert document.data == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\n<<: {b: 2}\n", "merge keys"),
        ("? [1, 2]\n: x\n", "a key must be a plain word"),
        ("a: !custom 1\n", "YAML tag '!custom' is not allowed"),
    ],
)
def test_oddities_are_refused(text, message):
    with pytest.raises(InputError, match=message):
        parse_yaml(text, "f.yaml")


@pytest.mark.parametrize(
    ("text", "written", "tag"),
    [
        ("!!int '0x10'", "'0x10'", "!!int"),
        ("!!int 1:30", "'1:30'", "!!int"),
        ("!!int ''", "''", "!!int"),
        ("!!float abc", "'abc'", "!!float"),
        ("!!float ''", "''", "!!float"),
        ("!!bool maybe", "'maybe'", "!!bool"),
    ],
)
def test_a_value_its_explicit_tag_cannot_read_is_refused_where_it_stands(text, written, tag):
    """PyYAML's constructors raise ValueError, KeyError or IndexError at these: a traceback,
    before, from each of the readers (the fast one gives up, the located one words it)."""
    with pytest.raises(InputError) as error:
        parse_yaml(f"usage:\n  users: {text}\n", "f.yaml")
    (problem,) = error.value.problems
    assert (problem.line, problem.column) == (2, 10)
    expected = f"usage.users: {written} cannot be read as YAML's {tag}: write the value"
    assert str(problem.message).startswith(expected)
    with pytest.raises(InputError, match="cannot be read as YAML's"):
        parse_yaml(f"- [{text}]\n", "f.yaml")  # in a list, from the node reader too


def test_a_value_its_explicit_tag_reads_is_taken():
    assert parse_yaml("a: !!float 2\nb: !!str 5\nc: !!int 7\n", "f.yaml").data == {
        "a": 2.0,
        "b": "5",
        "c": 7,
    }


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Boutique \xe9t\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_yaml(path)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("010", 10),  # YAML 1.1: octal 8
        ("1:30", "1:30"),  # YAML 1.1: sexagesimal 90
        ("0x10", "0x10"),  # YAML 1.1: 16; refused later where a number is expected
        ("0o17", "0o17"),
        ("yes", "yes"),  # YAML 1.1: true
        ("2024-01-01", "2024-01-01"),  # YAML 1.1: a date
        ("true", True),
        ("~", None),
        ("1e5", 100000.0),  # PyYAML's YAML 1.1: the string '1e5'
        ("-2.5", -2.5),
        ("50_000", 50000),
        (".inf", float("inf")),
        ("5 min", "5 min"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, value):
    assert parse_yaml(f"a: {text}\n", "f.yaml").data == {"a": value}


def test_the_fast_loader_is_kept():
    assert issubclass(QuestionnaireLoader, FastSafeLoader)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: " + "[" * 300_000 + "]" * 300_000 + "\n", (1, 53)),  # crashed libyaml's composer
        ("a: " + "{b: " * 60 + "1" + "}" * 60 + "\n", (1, 200)),
        ("a: &x [*x]\n", (1, 4)),  # a recursive alias: an endless nesting
    ],
)
def test_deep_nesting_is_refused_where_it_goes_too_deep(text, where):
    with pytest.raises(InputError, match="nested more than 50 levels deep") as caught:
        parse_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == where


def test_a_block_nesting_within_the_limit_is_read():
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    data = parse_yaml(text, "f.yaml").data
    for i in range(40):
        data = data[f"k{i}"]
    assert data == "v"


def test_an_integer_too_long_for_python_is_refused_with_its_place():
    text = "usage:\n  users: " + "9" * 5000 + "\n"
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 10)
    assert str(problem.message).startswith("usage.users: a number with 5000 digits")


@pytest.mark.parametrize(
    ("text", "where", "written"),
    [
        # The block reader's line ('key: value'), libyaml's flow nodes, a list item, a long float.
        ("usage:\n  users: 1e400\n", (2, 10), "1e400"),
        ("usage: {users: -2.5E+999}\n", (1, 16), "-2.5E+999"),
        ("usage:\n  users:\n    - 1.0e309\n", (3, 7), "1.0e309"),
        ("a: " + "9" * 500 + ".0\n", (1, 4), "9" * 500 + ".0"),
    ],
)
def test_a_float_too_large_is_refused_where_it_is_written_in_its_own_words(text, where, written):
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == where
    assert str(problem.message).endswith(
        f"{written} is out of range for a number (the largest is about 1.8e308)"
    )


def test_yaml_s_own_infinity_is_left_to_the_finite_check():
    # '.inf' is no overflow: the models refuse it ('inf is not a finite number').
    assert parse_yaml("a: .inf\nb: -.Inf\n", "f.yaml").data == {
        "a": float("inf"),
        "b": float("-inf"),
    }


def test_an_answer_too_large_is_refused_as_in_a_file():
    with pytest.raises(InputError, match="1e400 is out of range for a number"):
        load_scalar("1e400")


def test_validate_refuses_hostile_numbers_without_a_traceback(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nusage:\n  users: " + "9" * 5000 + "\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:3:10: usage.users: a number with 5000 digits")


@pytest.mark.parametrize(("text", "value"), [("010", 10), ("1:30", "1:30"), ("", None)])
def test_one_answer_is_read_as_the_file_reads_it(text, value):
    assert load_scalar(text) == value


FAST_CASES = [
    "a:\n  b: 1\n  c:\n    - x\n    - {d: 2.5, e: null, f: true}\n",
    "a: &x {k: 010}\nb: *x\n1: one\nfalse: yes\n~: null\n'q': \"2 MB..4 MB\"\n",
    "usage:\n  users: 50_000\n  data_per_visit: .inf\n  x: -.5e3\n",
]


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_fast_reader_gives_the_locating_readers_data_and_marks(path):
    from acvnum.questionnaire.yaml_reader import _parse_located

    text = path.read_text(encoding="utf-8")
    fast, located = parse_yaml(text, str(path)), _parse_located(text, str(path))
    assert fast.data == located.data
    assert fast.marks == located.marks


@pytest.mark.parametrize("text", FAST_CASES)
def test_the_fast_reader_agrees_on_odd_but_valid_documents(text):
    from acvnum.questionnaire.yaml_reader import _parse_located

    fast, located = parse_yaml(text, "f.yaml"), _parse_located(text, "f.yaml")
    assert repr(fast.data) == repr(located.data)  # types too: 10 not 8, 1 not '1'
    assert fast.marks == located.marks
    # A changed copy keeps the file's positions, worked out when first asked for.
    assert fast.with_data({}).locate(("a",)) == located.locate(("a",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!binary eA==\n", "YAML tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("a: 1\na: 2\n", "duplicate key 'a' (first given on line 1)"),
        ("a: " + "9" * 31 + "\n", "a number with 31 digits"),
    ],
)
def test_what_the_fast_reader_skips_is_refused_with_its_position(text, message):
    with pytest.raises(InputError, match=re.escape(message)) as error:
        parse_yaml(text, "f.yaml")
    assert error.value.problems[0].line >= 1


def test_tags_resolved_once_are_the_same_for_the_next_file():
    first = parse_yaml("a: 010\nb: 1:30\nc: true\nd: ''\ne:\n", "f.yaml").data
    again = parse_yaml("a: 010\nb: 1:30\nc: true\nd: ''\ne:\n", "g.yaml").data
    assert first == again == {"a": 10, "b": "1:30", "c": True, "d": "", "e": None}


# The block reader (plain block-style questionnaires, line by line) must read every text it
# accepts exactly as libyaml does, and give up on the rest: generated texts, valid and broken.

_FRAGMENTS = [
    *("1", "010", "-5", "+3", "1.5", ".5", "1e5", ".inf", "-.Inf", ".nan", "50_000", "0x10"),
    *("true", "False", "yes", "~", "null", "Null", "", " ", "  ", "a b", "2 MB..4 MB", "60%"),
    *("a #c", "a#b", "#c", " # c", "'q'", '"d"', "'a''b'", '"a\\"b"', "'x' #c", '"y"  '),
    *("a: b", "a:", ":", "a:b", "- x", "-", "--", "---", "...", "?", "?x", ":x", "- - y"),
    *("[1]", "{a: 1}", "x]", "a,b", "&x", "*x", "!t", "!!str 1", "|", ">", "%", "@", "`"),
    *("\t", "é", "日本", "\u2028", "\x85", "\xa0", "\ufeff", "\x07", "\r", "<<"),
]
_KEYS = ["a", "b", "name", "usage", "k_1", "true", "null", "1", "yes", "-k", "'q'", "a b"]


# The strategies _block_texts draws from, built once: built in the loop, each would be
# made and validated again at every draw (most of the test's time). The same strategies,
# so the same texts.
_LINES = st.integers(1, 12)
_INDENTS = st.integers(0, 6)
_DASHES = st.sampled_from(["", "", "", "- ", "-  ", "-"])
_ANY_KEY = st.sampled_from(["", *_KEYS])
_PLAIN_KEY = st.sampled_from(_KEYS[:5])
_COLONS = st.sampled_from([": ", ": ", ":", ":  ", ":x", " :"])
_VALUES = st.lists(st.sampled_from(_FRAGMENTS), max_size=3)
_COMMENTS = st.sampled_from(["", "", " # note", "#x", "   "])
_NEWLINES = st.sampled_from(["\n", "\n", "\r\n"])
_ENDS = st.sampled_from(["\n", "", "\n\n"])


@st.composite
def _block_texts(draw) -> str:
    """Block-style texts near the reader's subset: keys, items and values at varied
    indents, fragments that are valid, odd or broken in YAML mixed in."""
    lines = []
    for _ in range(draw(_LINES)):
        indent = " " * draw(_INDENTS)
        dash = draw(_DASHES)
        key = draw(_ANY_KEY) if draw(st.booleans()) else draw(_PLAIN_KEY)
        colon = draw(_COLONS) if key else ""
        value = "".join(draw(_VALUES))
        comment = draw(_COMMENTS)
        lines.append(indent + dash + key + colon + value + comment)
    return draw(_NEWLINES).join(lines) + draw(_ENDS)


@given(_block_texts())
@settings(
    derandomize=True, max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_the_block_reader_reads_what_it_accepts_as_libyaml_does(text):
    from acvnum.questionnaire.yaml_reader import _GiveUp, _parse_located, _read_block

    try:
        data = _read_block(text)
    except _GiveUp:
        return
    located = _parse_located(text, "f.yaml")  # an InputError here: accepted a broken text
    assert repr(data) == repr(located.data)
    # Every text in the data is a piece of the file's text as written (Document.verbatim)
    assert all(piece in text for piece in _texts_in(data))


def _texts_in(data: object) -> list[str]:
    """Every string of `data`: its keys and values, at any depth."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [t for key, value in data.items() for t in _texts_in(key) + _texts_in(value)]
    if isinstance(data, list):
        return [t for item in data for t in _texts_in(item)]
    return []


def test_only_a_document_read_by_the_block_reader_is_verbatim():
    assert parse_yaml("a: 'x'\n", "f.yaml").verbatim == "a: 'x'\n"
    assert parse_yaml('a: "x\\x2e\\x2e"\n', "f.yaml").verbatim is None  # escapes: libyaml's
    assert parse_yaml("{a: 1}\n", "f.yaml").verbatim is None
    assert parse_yaml("a: 1\n", "f.yaml").with_data({"a": 2}).verbatim is None


def test_the_block_reader_reads_generated_portfolios_and_gives_positions_from_the_text():
    from acvnum.questionnaire.yaml_reader import _parse_located, _read_block

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_portfolio import questionnaire

    rng = random.Random(3)
    for i in range(200):
        text = questionnaire(i, rng)
        assert repr(_read_block(text)) == repr(_parse_located(text, "f.yaml").data)
    document, located = parse_yaml(text, "f.yaml"), _parse_located(text, "f.yaml")
    assert document.marks == located.marks


@pytest.mark.parametrize(
    "written",
    [
        *("7", "010", "-0", "+3", "1_000", "1__0", "1_", "_1", "0x1F", "12 MB", "3 min"),
        *("1.5", ".5", "1e3", "-.inf", "true", "False", "null", "~", "name", "_x", "é 2"),
        *("Yes", "no", "x" * 50, "9" * 30, "12 # a note", "a b  ", "28 / month", "35%"),
        *("-5 W", "+.5e3 kWh", "0.42 MB", ".x", "~x", "nullx", "true story", "<<x"),
    ],
)
def test_a_value_the_block_reader_reads_is_what_libyaml_reads(written):
    from acvnum.questionnaire.yaml_reader import _parse_located

    text = f"a: {written}\nb:\n  - {written}\n"
    read = parse_yaml(text, "f.yaml")
    assert read.verbatim is not None or written.startswith("-")  # '- -0': not the block reader's
    assert repr(read.data) == repr(_parse_located(text, "f.yaml").data)
    assert repr(parse_yaml(text, "f.yaml").data) == repr(read.data)  # remembered: the same again


def test_a_remembered_line_reads_the_same_wherever_it_stands(monkeypatch):
    """Lines are remembered by what is written: the same line in another place, indent or
    file reads as libyaml reads it there; the memory is bounded; a refused or long line is
    not remembered."""
    from acvnum.questionnaire import yaml_reader

    monkeypatch.setattr(yaml_reader, "_lines", {})
    monkeypatch.setattr(yaml_reader, "_CACHE_SIZE", 4)
    texts = [
        "a:\n  b: 1\n  c:\n    - 2\n",
        "c:\n  b: 1\na:\n",  # 'a:' at the end: null; '  b: 1' under another key
        "x:\n  - 2\n  - b: 1\n",  # '  - 2' now an item of x; '  - b: 1' opens a mapping
        "k: " + "v" * 100 + "\n",  # long: read, not remembered
    ]
    for text in texts * 2:
        read = yaml_reader._read_block(text)
        assert repr(read) == repr(yaml_reader._parse_located(text, "f.yaml").data)
        assert len(yaml_reader._lines) <= 4
    assert all(len(line) <= yaml_reader._LINE_CACHED_UP_TO for line in yaml_reader._lines)
    with pytest.raises(yaml_reader._GiveUp):
        yaml_reader._read_block("a: 1\nb: [1]\n")
    assert "b: [1]" not in yaml_reader._lines


@pytest.mark.parametrize("depth", [1, 2, 10, 11, 12, 13, 14])
def test_the_block_reader_follows_nesting_to_its_limit_then_gives_up(depth):
    """Keys after the first of a mapping take the reader's short way; at the deepest
    level the reader follows (_BLOCK_DEPTH open collections) it still reads them as libyaml
    does, one level deeper it gives up, and libyaml reads the file."""
    from acvnum.questionnaire.yaml_reader import _BLOCK_DEPTH, _GiveUp, _parse_located, _read_block

    lines = [" " * (2 * level) + f"k{level}:" for level in range(depth - 1)]
    inner = " " * (2 * (depth - 1))
    lines += [inner + "a: 1", inner + "b: two", inner + "c:", inner + "d: 4"]
    text = "\n".join(lines) + "\n"
    located = _parse_located(text, "f.yaml").data
    assert repr(parse_yaml(text, "f.yaml").data) == repr(located)
    if depth <= _BLOCK_DEPTH:
        assert repr(_read_block(text)) == repr(located)
    else:
        with pytest.raises(_GiveUp):
            _read_block(text)
    # A sequence of mappings there: the item's second key is two levels deeper still
    items = text + inner + "s:\n" + inner + "- a: 1\n" + inner + "  b: 2\n"
    located = _parse_located(items, "f.yaml").data
    assert repr(parse_yaml(items, "f.yaml").data) == repr(located)
    if depth + 2 <= _BLOCK_DEPTH:
        assert repr(_read_block(items)) == repr(located)
    else:
        with pytest.raises(_GiveUp):
            _read_block(items)


def test_an_unread_document_is_the_one_its_init_makes_read_when_asked():
    """`unread` sets a Document's slots itself: each as `__init__` sets it for a text read
    later (no slot left unset), its data read and prepared when first asked for."""
    from acvnum.questionnaire.yaml_reader import Document, unread

    text = "name: a\nusage:\n  users: 10\n"
    unread_document = unread("f.yaml", text, lambda data: {**data, "prepared": True})
    made = Document("f.yaml", None, text=text, verbatim=text, read=lambda: None)
    for slot in Document.__slots__:
        if slot != "_read":
            assert getattr(unread_document, slot) == getattr(made, slot), slot
    assert unread_document.data == {"name": "a", "usage": {"users": 10}, "prepared": True}
    assert unread_document.marks == parse_yaml(text, "f.yaml").marks
