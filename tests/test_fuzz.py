"""Property-based fuzzing of every way in: questionnaire text, quantity strings, --budget and
--what-if strings, baseline JSON. Whatever comes in, the CLI answers with exit 0, 1 or 2,
never a traceback, within a bounded time, and what it writes is strict JSON or well-formed
XML. Fixed seed (derandomize) and small example counts keep CI fast and repeatable."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET

import pytest
from conftest import MINIMAL, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acvnum.errors import UnitError
from acvnum.questionnaire import units

FUZZ = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,  # the time is asserted below, with room for a loaded CI machine
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Wall time one run may take, whatever its input (a second or so on an idle machine).
SECONDS = 20.0

#: Text as a user could type it on a command line: no NUL, no lone surrogate.
ARGUMENT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
#: The pieces quantities, ranges, rates and budgets are made of, mixed at random.
_WORDS_TEXT = (
    "1 0 2.5 - + e E . , .. ... … / % MB min month W g kWh boundary <= = : _ 0x nan inf 1e400 "
    "1e-320 visit user total all climate_change energy [ ] { } ' \" é | \x1b"
)
_WORDS = _WORDS_TEXT.split(" ")
PIECES = st.lists(
    st.sampled_from([*_WORDS, " ", " " * 50, " " * 30_000, "\n", "\t", "9" * 40]), max_size=30
).map("".join)


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def _located(stderr: str) -> None:
    """The first message names FILE:LINE:COLUMN, as every bad-input message does."""
    first = stderr.splitlines()[0]
    parts = first.split(":")
    assert parts[1].isdigit() and parts[2].isdigit(), first


def _run(*args: str):
    started = time.perf_counter()
    result = run_cli(*args)
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)
    assert elapsed < SECONDS, f"{elapsed:.1f} s for {args!r}"
    if result.returncode == 2:
        assert result.stderr.strip(), "exit 2 without a message"
    return result


# --- quantities: the parsers alone, many examples, well under a second each -------------------


@settings(FUZZ, max_examples=300)
@given(text=st.one_of(PIECES, ARGUMENT))
def test_quantity_parsers_answer_a_number_or_a_unit_error(text):
    started = time.process_time()  # CPU time: another process's load does not count
    for parse in (
        lambda t: units.parse(t, units.DATA, "MB"),
        lambda t: units.parse(t, units.TIME, "min"),
        units.parse_number,
        units.parse_fraction,
        units.parse_frequency,
    ):
        try:
            parse(text)
        except UnitError as error:
            assert len(str(error)) < 600
    assert time.process_time() - started < 1.0


# --- the questionnaire, end to end ------------------------------------------------------------


@FUZZ
@given(
    value=st.one_of(PIECES, ARGUMENT),
    field=st.sampled_from(
        [
            "visit_duration: 6 min",
            "data_per_visit: 10 MB",
            "visits_per_user: 10",
            "users: 1000",
            "laptop: 100%",
            "location: FRA",
        ]
    ),
)
def test_any_value_in_any_field_is_read_or_refused_at_its_line(write_yaml, value, field):
    key = field.split(":")[0]
    text = MINIMAL.replace(field, f"{key}: {json.dumps(value)}")
    result = _run("estimate", str(write_yaml(text)), "--format", "json")
    if result.returncode == 0:
        _strict_json(result.stdout)
    else:
        _located(result.stderr)


@FUZZ
@given(
    tag=st.sampled_from(["!!int", "!!float", "!!bool", "!!str", "!!null"]),
    value=st.one_of(PIECES, ARGUMENT),
    key=st.sampled_from(["users", "visits_per_user", "laptop", "location"]),
)
def test_any_explicitly_tagged_value_is_read_or_refused_at_its_line(write_yaml, tag, value, key):
    """'!!int "0x10"' and '!!bool maybe' were tracebacks: PyYAML's constructors raised."""
    written = f"{tag} {json.dumps(value)}"
    text = re.sub(rf"(?m)^(\s*{key}): .*$", lambda m: f"{m[1]}: {written}", MINIMAL, count=1)
    result = _run("validate", str(write_yaml(text)))
    if result.returncode == 2:
        _located(result.stderr)


@FUZZ
@given(position=st.integers(0, len(MINIMAL)), insert=ARGUMENT)
def test_any_text_inserted_anywhere_in_a_questionnaire(write_yaml, position, insert):
    text = MINIMAL[:position] + insert + MINIMAL[position:]
    result = _run("validate", str(write_yaml(text)))
    if result.returncode == 2:
        _located(result.stderr)


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_questionnaire(tmp_path, data):
    path = tmp_path / "q.yaml"
    path.write_bytes(data)
    _run("validate", str(path))


# --- --budget and --what-if strings ------------------------------------------------------------


@FUZZ
@given(budget=st.one_of(PIECES, ARGUMENT))
def test_any_budget_string(write_yaml, budget):
    result = _run("check", str(write_yaml(MINIMAL)), "--budget", budget, "--format", "junit")
    if result.returncode in (0, 1):
        ET.fromstring(result.stdout.encode("utf-8"))


@FUZZ
@given(
    path=st.sampled_from(["usage.data_per_visit", "usage.users", "usage.devices.laptop", "x"]),
    value=st.one_of(PIECES, ARGUMENT),
)
def test_any_what_if_string(write_yaml, path, value):
    result = _run(
        "estimate", str(write_yaml(MINIMAL)), "--what-if", f"{path}={value}", "--format", "json"
    )
    if result.returncode == 0:
        _strict_json(result.stdout)


# --- baseline JSON -----------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "schema_version",
                    "services",
                    "service",
                    "criteria",
                    "name",
                    "users",
                    "visits",
                    "total",
                    "by_tier",
                    "unit",
                    "energy",
                    "network",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def real_baseline(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "q.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_cli("estimate", str(folder / "q.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return folder / "q.yaml", result.stdout


@FUZZ
@given(document=JSON_VALUES)
def test_any_json_document_as_a_baseline(tmp_path, real_baseline, document):
    questionnaire, _ = real_baseline
    path = tmp_path / "b.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # NaN and Infinity included
    result = _run("check", str(questionnaire), "--baseline", str(path), "--format", "junit")
    if result.returncode in (0, 1):
        ET.fromstring(result.stdout.encode("utf-8"))


#: The figures a baseline is judged on: each may be replaced by something hostile.
_READ = re.compile(
    r'"(?:schema_version|users|visits|period_days|total|terminals|network|datacenter|name)": '
    r'("[^"]*"|-?\d[\d.eE+-]*)'
)
_HOSTILE = ["NaN", "-Infinity", "1e400", "0", "-1", "9" * 5000, "[" * 100 + "]" * 100]
_HOSTILE += ['"\\ud800"', "null", '"x"', "{}", "true", '"\\u001b[2J<b>|\\n# x"']


@FUZZ
@given(which=st.integers(0, 10_000), replacement=st.sampled_from(_HOSTILE))
def test_a_real_baseline_with_a_figure_replaced(tmp_path, real_baseline, which, replacement):
    questionnaire, text = real_baseline
    spans = [m.span(1) for m in _READ.finditer(text)]
    start, end = spans[which % len(spans)]
    path = tmp_path / "b.json"
    path.write_text(text[:start] + replacement + text[end:], encoding="utf-8")
    for fmt in ("json", "junit"):
        result = _run("check", str(questionnaire), "--baseline", str(path), "--format", fmt)
        if result.returncode in (0, 1) and fmt == "json":
            _strict_json(result.stdout)
        elif result.returncode in (0, 1):
            ET.fromstring(result.stdout.encode("utf-8"))
