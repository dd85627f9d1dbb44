"""The `criteria` objects written from a chunk's arrays (acvnum.report.criteria_json) are, byte
for byte, those the reference writes from each service's CriterionResults
(json_format._criterion): over generated services mixed with every example's optional blocks,
and over made-up chunks with the edge cases a questionnaire cannot reach (no visits, numbers
near the ends of the doubles, criteria without a boundary or without coverage)."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest
from conftest import EXAMPLES, ROOT

from acvnum.analysis.found import Assessed
from acvnum.assessment import Settings, assess_services
from acvnum.calculation.coverage import Coverage
from acvnum.calculation.inventory import ACTIVITIES
from acvnum.calculation.results import ChunkCriteria, CriteriaChunk, ServiceResult
from acvnum.questionnaire.service import load_files
from acvnum.reference.boundaries import Boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors
from acvnum.report import criteria_json, json_format

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_portfolio import generate

TABLE = load_factors()
#: Usage at both ends of what a questionnaire accepts.
EDGES = {
    "tiny.yaml": """\
name: Tiny
usage:
  users: 1
  visits_per_user: 0.000000001
  visit_duration: 1 s
  data_per_visit: 1 B
  devices:
    smartphone: 100%
  network:
    mobile: 100%
  location: WLD
""",
    "huge.yaml": """\
name: Huge
period: 3 days
usage:
  users: 10000000000
  visits_per_user: 100 / day
  visit_duration: 10 min
  data_per_visit: 4 GB
  devices:
    television: 70%
    desktop: 30%
  network:
    fixed: 100%
  location: CHN
hosting:
  location: IND
  servers:
    - name: farm
      count: 100000
      type: physical
""",
}


def reference(criteria: object) -> bytes:
    """The criteria object as the reference writes it, from CriterionResults."""
    assert isinstance(criteria, dict)
    return orjson.dumps({cid: json_format._criterion(c) for cid, c in criteria.items()})


def written(results: list[ServiceResult]) -> list[bytes | None]:
    return criteria_json.texts([r.criteria for r in results], orjson, json_format._label)


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> list:
    """Generated services, every example (AI, video, messages, equipment, no hosting) and
    the edge cases, mixed."""
    folder = tmp_path_factory.mktemp("chunk")
    generate(folder, 60, seed=3)
    for name, text in EDGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    files = sorted(folder.glob("*.yaml"))
    files[5:5] = sorted(EXAMPLES.glob("*.yaml"))
    files[40:40] = sorted(EXAMPLES.glob("*.yaml"))
    return load_files(files, TABLE)


@pytest.fixture
def chunk(services) -> list[ServiceResult]:
    """`services` assessed in one chunk, anew for each test: a view read lets go of its
    chunk's arrays (and is then written from its results)."""
    return list(assess_services(services, TABLE, Settings()).results)


def test_a_mixed_chunk_s_criteria_are_the_reference_s_bytes(chunk):
    assert all(isinstance(r.criteria, ChunkCriteria) for r in chunk)
    fast = written(chunk)
    # The chunk mixes coverage statements (read before the views are: then they let go).
    assert len({id(r.criteria.chunk.coverage[r.criteria.row]) for r in chunk}) > 3
    # Some of a chunk's services, out of order, and services not from a chunk (None).
    some = [chunk[i] for i in (50, 3, 7, 60, 0)]
    plain = dataclasses.replace(chunk[1], criteria=dict(chunk[1].criteria))
    assert written([*some, plain]) == [*(fast[i] for i in (50, 3, 7, 60, 0)), None]
    assert fast == [reference(dict(r.criteria)) for r in chunk]
    # ... and sets of activities shown.
    assert len({tuple(r.criteria["energy"].by_item) for r in chunk}) > 3


def test_a_part_is_the_same_bytes_from_the_arrays_as_from_the_results(tmp_path):
    """The document's services and tally, levers on, with no CriterionResult made."""
    generate(tmp_path, 40, seed=5)
    files = [*sorted(tmp_path.glob("*.yaml")), *sorted(EXAMPLES.glob("*.yaml"))]
    assessed = assess_services(load_files(files, TABLE), TABLE, Settings(levers=5)).services()
    fast = json_format.part(assessed, first=True)
    assert "results" not in assessed[0].result.criteria.chunk.__dict__  # none made
    made = [
        a._replace(result=dataclasses.replace(a.result, criteria=dict(a.result.criteria)))
        for a in assessed
    ]
    slow = json_format.part(made, first=True)
    assert fast.services == slow.services and fast.head == slow.head
    assert fast.tally.to_dict() == slow.tally.to_dict()
    assert orjson.dumps(fast.tally.to_dict()) == orjson.dumps(slow.tally.to_dict())


def _made_up(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, activities, criteria) contributions from 1e-300 to 1e300, with zeros (optional
    blocks unused), negative values and -0.0."""
    shape = (n, len(ACTIVITIES), len(CRITERION_IDS))
    values = 10.0 ** rng.uniform(-300, 300, shape) * rng.choice([1.0, 1.0, -1.0], shape)
    values[rng.random(shape) < 0.3] = 0.0
    values[rng.random(shape) < 0.05] = -0.0
    optional = np.array([a.optional for a in ACTIVITIES])
    unused = rng.random((n, len(ACTIVITIES))) < 0.7
    values[unused & optional] = 0.0
    return values


def test_numbers_at_the_ends_no_visits_and_criteria_without_boundary_or_coverage():
    rng = np.random.default_rng(11)
    n = 60
    contributions = _made_up(rng, n)
    users = rng.choice([1, 3, 0.5, 1e10, 7e-9], n).tolist()
    visits = rng.choice([0.0, 1.0, 1e-9, 3.3e13, 0.1], n).tolist()
    years = rng.choice([1.0, 1 / 365, 30.0, 0.7], n).tolist()
    limits = {cid: 10.0 ** rng.uniform(-12, 12) for cid in CRITERION_IDS[::2]}
    limits[CRITERION_IDS[2]] = 1e-300  # persons-equivalents past the largest double: null
    bounds = Boundaries("made up", 8e9, limits, "a test")
    covers = [Coverage(("a.b.c",), ()), Coverage((), ("x.y.z", 'é"\\%')), Coverage((), ())]
    statements = [
        {cid: covers[(c + k) % 3] for c, cid in enumerate(CRITERION_IDS) if c != k}
        for k in range(3)
    ]
    for coverage in (None, [statements[k % 3] for k in range(n)]):
        chunk = CriteriaChunk.of(contributions, users, visits, years, bounds, coverage)
        fast = written([_result(view) for view in chunk.views()])
        assert fast == [reference(made) for made in chunk.results]
    joined = b"".join(fast)
    assert b"null" in joined and re.search(rb"\de\+?2\d\d", joined) and b"e-2" in joined
    assert any(v == 0.0 for v in visits)


def _result(criteria: ChunkCriteria) -> ServiceResult:
    """A result around a chunk's view (only its criteria are read here)."""
    return ServiceResult("s", None, "s.yaml", 365.0, 1.0, 1.0, criteria, [], [], None, "", ())


def test_orjson_spells_a_float64_array_as_it_spells_python_floats():
    """What the chunk's text rests on, checked in every version CI installs (the lowest
    orjson and numpy allowed included): every exponent, subnormals, zeros, infinities."""
    rng = np.random.default_rng(2)
    bits = rng.integers(0, 2**63, 100_000, dtype=np.uint64) | (
        rng.integers(0, 2, 100_000, dtype=np.uint64) << np.uint64(63)
    )
    specials = [0.0, -0.0, 5e-324, 1e-7, 1e-5, 1e16, 1e15, 2.0**53, np.inf, -np.inf, np.nan]
    numbers = np.concatenate([bits.view(np.float64), specials])
    spelled = orjson.dumps(numbers, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].split(b",")
    assert spelled == [orjson.dumps(x) for x in numbers.tolist()]


def test_the_criteria_of_the_json_are_written_from_the_arrays_in_a_folder_run(tmp_path):
    """An end-to-end check that the fast path is the one a compact document takes."""
    generate(tmp_path, json_format.INDENT_UP_TO + 2, seed=8)
    made: list[int] = []
    original = criteria_json.chunk_texts

    def counted(*args):
        found = original(*args)
        made.append(len(found))
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(criteria_json, "chunk_texts", counted)
        text = json_format.render(
            assess_services(
                load_files(sorted(Path(tmp_path).glob("*.yaml")), TABLE), TABLE, Settings()
            ).services()
        )
    assert made == [json_format.INDENT_UP_TO + 2]
    assert text.count('"planetary_boundary"') == len(CRITERION_IDS) * made[0]


def test_a_service_orjson_refuses_is_written_by_json_from_its_results(chunk):
    """A lone surrogate in a name: json writes the whole service, criteria made from the
    results, as the reference path does (json cannot take the text written from arrays)."""
    odd = dataclasses.replace(chunk[2], name="a\ud800")
    fast = json_format.part([Assessed(chunk[1]), Assessed(odd)], first=False)
    slow = json_format.part(
        [Assessed(dataclasses.replace(r, criteria=dict(r.criteria))) for r in (chunk[1], odd)],
        first=False,
    )
    assert fast.services == slow.services
    assert b'"name":"a\\ud800"' in fast.services


def test_without_orjson_a_part_is_written_by_json_from_the_results(chunk, monkeypatch):
    monkeypatch.setattr(json_format, "_orjson", lambda: None)
    views = [Assessed(r) for r in chunk[:12]]
    made = [Assessed(dataclasses.replace(r, criteria=dict(r.criteria))) for r in chunk[:12]]
    fast, slow = json_format.part(views, first=True), json_format.part(made, first=True)
    assert fast.services == slow.services and b'"climate_change":{"label"' in fast.services
    assert fast.tally.to_dict() == slow.tally.to_dict()


def test_zeros_and_per_person_figures_are_written_into_the_groups_pieces(chunk):
    """A group's pieces (made once for the run) hold the figures its services share: each
    boundary's per-person figure and the zeros of what they do not use; the numbers set in
    are the others, and the text is the reference's."""
    criteria_json._TEMPLATES.clear()
    assert written(chunk) == [reference(dict(r.criteria)) for r in chunk]
    blocks = [block for _, block in criteria_json._TEMPLATES.values()]
    assert len(blocks) > 3
    for block in blocks:
        pieces = [piece for piece in block if piece is not None]
        assert block.count(None) == len(pieces) - 1  # a number between two pieces
        assert not any(piece.endswith(b'"per_person_year":') for piece in pieces)
        assert b'"per_person_year":' in b"".join(pieces)
    assert any(re.search(rb'":0\.0[,}]', b"".join(p for p in b if p)) for b in blocks)


def test_services_are_grouped_by_their_fixed_numbers_and_statement_in_order_of_first_come():
    """`_groups`: one group per distinct row of fixed-number flags and coverage statement,
    its services in order, the groups in the order their first service comes; a flag apart
    or a statement apart is a group apart (statement numbers past one byte included)."""
    fixed = np.array(
        [[True, False, True], [True, False, True], [False, False, True], [True, False, True],
         [True, False, True], [False, False, True], [True, False, False]]
    )  # fmt: skip
    said = np.array([0, 0, 0, 1, 0, 256, 0])
    expected = [([0, 1, 4], 0), ([2], 0), ([3], 1), ([5], 256), ([6], 0)]
    assert criteria_json._groups(fixed, said) == expected


@pytest.mark.parametrize(
    "fixed",
    [[], [True], [False], [False, False], [True, False, True], [False, True, True, False]],
)
def test_a_block_is_its_slots_with_the_fixed_numbers_set_in_and_none_for_the_others(fixed):
    """_block (joined once and cut at NULs) against its meaning, number by number: a run
    of slots and fixed numbers is one text, each other number a None, at the ends too."""
    slots = [b"{%d:" % j if j < len(fixed) else b"}" for j in range(len(fixed) + 1)]
    written = [b"%d.5" % j for j, is_fixed in enumerate(fixed) if is_fixed]
    expected: list = [slots[0]]
    texts = iter(written)
    for j, is_fixed in enumerate(fixed):
        if is_fixed:
            expected[-1] += next(texts) + slots[j + 1]
        else:
            expected += [None, slots[j + 1]]
    block = criteria_json._block(slots, np.array(fixed, dtype=bool), written)
    assert block == expected
