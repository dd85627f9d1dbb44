"""The result JSON (`--format json`, docs/json.md): an API for CI pipelines, SCHEMA_VERSION 2.

One envelope whether one questionnaire or a folder was given: what the run shares, one
object per service, the portfolio when there are several, then once per document what
services would otherwise repeat: the levers' rationales (`lever_catalogue`) and the
publications cited (`sources`, from factors/sources.csv, named by key).
Keys are stable; adding one is fine, renaming or removing one bumps the version
(schema/result.schema.json locks them).

Small documents are indented: people read them and diff them as CI baselines. Past
INDENT_UP_TO services the document is compact and written a service at a time by orjson
(floats and dicts written in native code: a service's 25 KB in 0.03 ms, against 0.43 ms with
json's C encoder), from results that may come in batches, so a portfolio of 10,000 is never
held whole. orjson and json read back to the same document; only the spelling of some small
numbers differs (orjson's `1e-7` and `0.00005` are json's `1e-07` and `5e-05`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from acvnum.analysis import portfolio
from acvnum.analysis.found import NOTHING, Assessed, Found
from acvnum.calculation.assumptions import QUESTIONNAIRE
from acvnum.calculation.coverage import Coverage
from acvnum.calculation.results import (
    METHOD_VERSION,
    SCHEMA_VERSION,
    Assumption,
    CriterionResult,
    ServiceResult,
    Uncertainty,
)
from acvnum.files import Region
from acvnum.i18n import Translator
from acvnum.reference.defaults import FROM_ANSWERS
from acvnum.reference.sources import cite, registry
from acvnum.report import assumptions_json, criteria_json

if TYPE_CHECKING:  # a lever's type, read here only
    from acvnum.analysis.levers import LeverResult

try:
    import orjson
except ImportError:  # json writes the same document without it (see _orjson)
    orjson = None

#: Documents with at most this many services are indented for people to read.
INDENT_UP_TO = 10
FUNCTIONAL_UNIT = (
    "the service as used by its users over the period; "
    "per_user and per_visit divide the total by users and visits"
)
_ENGLISH = Translator("en")


_COMPACT = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), check_circular=False
)


def _plain(value: Any) -> Any:
    """What orjson cannot write itself: a numpy scalar as its Python number (json writes a
    numpy float as a float); anything else is refused, as json refuses it."""
    item = getattr(value, "item", None)
    if item is None:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return item()


def encode(data: Any) -> bytes:
    """Compact UTF-8 JSON. What orjson refuses and json writes (a lone surrogate in a name,
    a key that is not text, an integer past 64 bits) is written by json, as before."""
    orjson = _orjson()
    if orjson is not None:
        try:
            return orjson.dumps(data, default=_plain)
        except orjson.JSONEncodeError:
            pass
    return _COMPACT.encode(data).encode("utf-8", errors="backslashreplace")


def indented(data: Any) -> bytes:
    """Indented UTF-8 JSON, byte for byte what `json.dumps(data, indent=2,
    ensure_ascii=False, allow_nan=False)` writes, in a fifth of its time: json indents in
    pure Python (some 8 ms for one service). orjson writes it, each float handed over as
    json spells it; what orjson refuses (see `encode`) is written by json."""
    orjson = _orjson()
    if orjson is not None:
        try:
            return orjson.dumps(_json_floats(data, orjson.Fragment), option=orjson.OPT_INDENT_2)
        except (orjson.JSONEncodeError, _NotFinite):
            pass  # json writes it, or refuses it, as it did
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8", errors="backslashreplace")


class _NotFinite(ValueError):
    """A NaN or infinity, which json refuses (orjson would write null)."""


def _json_floats(value: Any, fragment: Any) -> Any:
    """`value` with every float as the JSON text json writes for it (`float.__repr__`:
    orjson's own spelling differs below 1e-4 and from 1e16)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotFinite(value)
        return fragment(float.__repr__(value).encode())
    if isinstance(value, dict):
        return {key: _json_floats(item, fragment) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_floats(item, fragment) for item in value]
    return value


def _orjson() -> Any:
    """orjson, or None in an environment installed before acvnum required it: json then
    writes the same document, slower."""
    return orjson


def count(value: float) -> int | float:
    """A count as an integer when it is whole (50000, not 50000.0); the centre of a range
    of users, or visits at a rate over a period, may be fractional and stay so."""
    return int(value) if float(value).is_integer() else value


@cache
def _label(criterion_id: str) -> str:
    return _ENGLISH(f"criterion.{criterion_id}")


def _criterion(
    c: CriterionResult, made: dict[int, tuple[Any, Any]] | None = None
) -> dict[str, Any]:
    """A criterion's object; `made`: a Part's objects made once (see `_coverage`)."""
    data: dict[str, Any] = {
        "label": _label(c.id),
        "unit": c.unit,
        "total": c.total,
        "per_user": c.per_user,
        "per_visit": c.per_visit,
        "by_tier": c.by_tier,
        "by_phase": c.by_phase,
        "by_item": c.by_item,
        "planetary_boundary": None,
    }
    if c.boundary is not None:
        b = c.boundary
        data["planetary_boundary"] = {
            "per_person_year": b.per_person_year,
            "persons_equivalent": b.persons_equivalent,
            "share_per_user": b.share_per_user,
        }
    if c.interval is not None:
        data["interval"] = c.interval
    if c.tier_intervals is not None:
        data["interval_by_tier"] = c.tier_intervals
    if c.coverage is not None:
        data["coverage"] = _coverage(c.coverage, made)
    return data


def _coverage(c: Coverage, made: dict[int, tuple[Any, Any]] | None) -> dict[str, list[str]]:
    """A criterion's coverage; in a Part, made once per coverage object (most services of a
    portfolio share one: acvnum.calculation.coverage), by identity, as assumption rows are."""
    if made is None:
        return {"covered": list(c.covered), "not_covered": list(c.not_covered)}
    hit = made.get(id(c))
    if hit is None:
        hit = made[id(c)] = (c, {"covered": list(c.covered), "not_covered": list(c.not_covered)})
    return hit[1]


def _uncertainty(u: Uncertainty) -> dict[str, Any]:
    """How the intervals were drawn and what drives them (see acvnum.analysis.uncertainty)."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "percentiles": [5, 50, 95],
        "distribution": "split lognormal: median = central value, p5 = low, p95 = high",
        "sensitivity": {
            "method": "Spearman rank correlation with the criterion's total",
            "top": [asdict(d) for d in u.drivers],
            "by_criterion": {
                cid: [asdict(d) for d in drivers] for cid, drivers in u.drivers_by_criterion.items()
            },
        },
    }


class Citations:
    """The publications a document cites (those behind its factor table, its assumptions,
    boundaries and levers), gathered as its values are written: the `sources` table at its
    end has every key a value names."""

    def __init__(self, encoded: bool = False) -> None:
        self.keys: set[str] = set()
        self.own: dict[str, str] = {}  # key -> a source text that cites no known publication
        self._known: dict[str, list[str]] = {}  # text -> its keys: texts repeat per service
        self.levers: dict[str, dict[str, Any]] = {}  # the lever catalogue, by lever id
        #: `encoded`: the services' data is encoded at once and dropped (a Part), so an
        #: assumption row or a coverage many services share (most are) is made into a dict
        #: once, by object.
        self.rows: dict[int, tuple[Any, dict[str, Any]]] | None = {} if encoded else None

    def keys_of(self, text: str) -> list[str]:
        """The keys `text` cites; a text citing none (a user's own table) is its own entry."""
        keys = self._known.get(text)
        if keys is None:
            cited = cite(FROM_ANSWERS.get(text, text))  # another answer: the method's key
            keys = self._known[text] = list(cited) or [self._own(text)]
            self.keys.update(keys)
        return list(keys)

    def cite(self, texts: Iterable[str]) -> None:
        """Cite the keys of each of `texts` (`keys_of`, without the lists)."""
        known = self._known
        for text in texts:
            if text not in known:
                self.keys_of(text)

    def merge(self, other: Citations) -> Citations:
        """Add what another part of the same document cited (a worker's batch)."""
        self.keys |= other.keys
        self.own.update(other.own)
        for lever, entry in other.levers.items():
            self.levers.setdefault(lever, entry)
        return self

    def __getstate__(self) -> dict[str, Any]:
        """What a worker hands back: the texts it has looked up are not needed."""
        return {
            "keys": self.keys,
            "own": self.own,
            "levers": self.levers,
            "_known": {},
            "rows": None,
        }

    def _own(self, text: str) -> str:
        key = "own-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        self.own[key] = text
        return key

    def table(self) -> dict[str, dict[str, Any]]:
        known = registry()
        entries = {}
        for key in sorted(self.keys, key=str.casefold):
            if key in known:
                s = known[key]
                entries[key] = {
                    "citation": s.citation,
                    "year": s.year,
                    "licence": s.licence,
                    "url": s.url or None,
                }
            else:
                entries[key] = {
                    "citation": self.own[key],
                    "year": None,
                    "licence": None,
                    "url": None,
                }
        return entries


def _assumption(a: Assumption, cited: Citations) -> dict[str, Any]:
    """A row's object: its path is the key, then what acvnum adds after it in English."""
    keys = [] if a.source == QUESTIONNAIRE else cited.keys_of(a.source)
    path = a.path if a.note is None else f"{a.path}{a.note}"
    return assumptions_json.row(path, str(a.value), a.status, keys)


def _assumptions(rows: Sequence[Assumption], cited: Citations) -> list[dict[str, Any]]:
    """A service's assumptions; in a Part, each row object's dict made once (by identity: the
    row is held beside it, so its id is not reused while the Part is being made)."""
    made = cited.rows
    if made is None:
        return [_assumption(a, cited) for a in rows]
    found = []
    for a in rows:
        hit = made.get(id(a))
        if hit is None:
            hit = made[id(a)] = (a, _assumption(a, cited))
        found.append(hit[1])
    return found


#: What the rows' texts are written with (`_row_json`): the keys of each source text, looked
#: up once; a source's keys are the same in every document (acvnum.reference.sources.cite; a
#: text citing none is keyed by its hash).
_RUN_CITED = Citations()


def _row_json(row: Assumption) -> bytes:
    """A row's JSON text, kept on the row: rows are frozen, and most are shared by the
    pieces and services of a run (a PUE, a lifetime, a factor's default)."""
    text = row.__dict__.get("_json")
    if text is None:
        text = row.__dict__["_json"] = _orjson().dumps(_assumption(row, _RUN_CITED))
    return text


@lru_cache(maxsize=256)
def _warnings_json(keys: tuple[str, ...]) -> bytes:
    """A service's warnings as JSON text, made once per set of warnings (a portfolio's
    services have a few)."""
    return _orjson().dumps([{"code": key, "message": _ENGLISH(key)} for key in keys])


def _warnings(result: ServiceResult, found: Found, fragments: bool) -> Any:
    keys = Assessed(result, found).warnings()
    if fragments:
        return _orjson().Fragment(_warnings_json(tuple(keys)))
    return [{"code": key, "message": _ENGLISH(key)} for key in keys]


def _lever(lever: LeverResult, cited: Citations) -> dict[str, Any]:
    """A proposed lever; its rationale and source, the same for every service, go once to
    the document's `lever_catalogue`."""
    _cite_levers((lever.lever,), cited)
    return lever.entry()


def _levers(found: Found, cited: Citations, fragments: bool) -> dict[str, Any]:
    """A service's `levers` and `levers_combined`; with `fragments` (the compact document,
    written by orjson), the JSON the levers' analysis wrote from its arrays where it did
    (acvnum.analysis.levers.Proposals.encoded: the same bytes, without the objects)."""
    encoded = found.proposals.encoded() if fragments and found.proposals else None
    if encoded is None:
        combined = found.levers_combined
        return {
            "levers": [_lever(lever, cited) for lever in found.levers],
            "levers_combined": combined.to_dict() if combined else None,
        }
    _cite_levers(encoded.used, cited)
    fragment = _orjson().Fragment
    combined_json = encoded.combined
    return {
        "levers": fragment(encoded.levers),
        "levers_combined": None if combined_json is None else fragment(combined_json),
    }


def _cite_levers(used: Iterable[Any], cited: Citations) -> None:
    """Put the levers `used` (catalogue entries) in the document's lever catalogue."""
    for lever in used:
        if lever.id not in cited.levers:
            source = lever.source
            cited.levers[lever.id] = {
                "title": lever.title["en"],
                "tier": lever.tier,
                "rationale": " ".join(lever.rationale["en"].split()),
                "source": source,
                "sources": cited.keys_of(source),
            }


def service_dict(
    result: ServiceResult,
    cited: Citations,
    found: Found = NOTHING,
    fragments: bool = False,
    criteria: Any = None,
    assumptions: Any = None,
) -> dict[str, Any]:
    """One service's result, with what the analyses found: an element of `services`
    (`fragments`: parts already encoded by orjson may be orjson Fragments, see `_levers`;
    `criteria`, `assumptions`: those objects already written, orjson Fragments: see `part`)."""
    if criteria is None:
        criteria = {cid: _criterion(c, cited.rows) for cid, c in result.criteria.items()}
    return {
        "service": _header(result),
        "criteria": criteria,
        **_levers(found, cited, fragments),
        **({"what_if": found.what_if.to_dict()} if found.what_if else {}),
        "budgets": [o.to_dict() for o in found.budgets],  # when judged (check, the API)
        "assumptions": (
            _assumptions(result.assumptions, cited) if assumptions is None else assumptions
        ),
        "warnings": _warnings(result, found, fragments),
        **_more(result),
        **({"uncertainty": _uncertainty(found.uncertainty)} if found.uncertainty else {}),
    }


def _header(result: ServiceResult) -> dict[str, Any]:
    """A service's `service` object: what it is, its audience and period."""
    return {
        "name": result.name,
        "description": result.description,
        "file": result.source_file,
        "period_days": result.period_days,
        "users": count(result.users),
        "visits": count(result.visits),
        "functional_unit": result.functional_unit or FUNCTIONAL_UNIT,
    }


def head(result: ServiceResult, cited: Citations) -> dict[str, Any]:
    """What the whole run shares, read from any one of its results; the factor table's
    citations are gathered too (the document cites every publication behind its numbers)."""
    for text in result.factor_sources:
        cited.keys_of(text)
    b = result.boundaries
    return {
        "schema_version": SCHEMA_VERSION,
        "method": {"name": "acvnum", "version": METHOD_VERSION},
        "factors": {
            "version": result.factors_version,
            "user_factors": result.user_factors,
            "values": dict(result.factor_values),
        },
        "boundaries": {
            "population": count(b.population),
            "population_choice": b.population_choice,
            "sources": cited.keys_of(b.source),
        },
    }


def document(services: Sequence[Assessed]) -> dict[str, Any]:
    """The whole result document as Python data (what `Assessment.to_dict()` gives)."""
    cited = Citations()
    data = head(services[0].result, cited)
    data["services"] = [service_dict(r, cited, found) for r, found in services]
    if len(services) > 1:
        data["portfolio"] = portfolio.Tally().add(services).to_dict()
    data["lever_catalogue"] = dict(sorted(cited.levers.items()))
    data["sources"] = cited.table()
    return data


@dataclass(eq=False)
class Part:
    """A batch of services as the compact document holds them: what a worker process hands
    back (acvnum.commands.json_folder), or what the document is written from in-process."""

    services: bytes | Region  # the services' objects, comma-separated (Region: in a file)
    tally: portfolio.Tally
    cited: Citations
    head: bytes | None = None  # the run's shared head, from the document's first part


def part(
    batch: Sequence[Assessed],
    first: bool,
    write: Callable[[list[bytes]], Region | bytes] | None = None,
) -> Part:
    """Encode a batch of services; `first`: the document's first batch, which gives the head;
    `write`: where the services' pieces go (a worker's file: their Region, or their bytes
    where the file cannot take them) instead of being joined.

    The criteria of services assessed together are written from their chunk's arrays
    (acvnum.report.criteria_json), their assumptions from their questionnaires, slot by slot
    (acvnum.report.assumptions_json), the same bytes as from their results, in a fraction of
    the time; each service's object is then pieces of text (`_service_pieces`), and the
    batch's pieces are joined once (or written as they are)."""
    cited = Citations(encoded=True)
    top = encode(head(batch[0].result, cited)) if first else None
    results = [result for result, _ in batch]
    written = _criteria_written(results)
    rows = _assumptions_written(results, cited)
    pieces: list[bytes] = []  # joined once: no service's bytes made on their own
    for (result, found), criteria, assumptions in zip(batch, written, rows, strict=True):
        pieces += _service_pieces(result, cited, found, criteria, assumptions)
        pieces.append(b",")
    del pieces[-1]  # the comma after the last
    services = b"".join(pieces) if write is None else write(pieces)
    cited.rows = None  # encoded: the rows' dicts are not needed any more
    return Part(services, portfolio.Tally().add(batch), cited, top)


def _criteria_written(results: Sequence[ServiceResult]) -> list[bytes | None]:
    """Each service's `criteria` object's JSON when it is written from its chunk's arrays,
    None when it is made from its results (intervals; no orjson)."""
    orjson = _orjson()
    if orjson is None:
        return [None] * len(results)
    return criteria_json.texts([r.criteria for r in results], orjson, _label)


def _assumptions_written(results: Sequence[ServiceResult], cited: Citations) -> list[Any]:
    """Each service's `assumptions` list's JSON, in pieces (assumptions_json.texts), when it
    is written from its questionnaire (acvnum.report.assumptions_json), None when from its
    rows (another shape, rows already read, no orjson, a text orjson refuses)."""
    orjson = _orjson()
    found: list[Any] = [None] * len(results)
    if orjson is None:
        return found
    plain: dict[int, tuple[Any, list[int], list[Any]]] = {}  # per table: its services
    for i, result in enumerate(results):
        view = result.assumptions
        q = assumptions_json.plain(view)
        if q is not None:
            entry = plain.setdefault(id(view.table), (view.table, [], []))
            entry[1].append(i)
            entry[2].append(q)
    for table, where, qs in plain.values():
        writer = assumptions_json.Writer(table, cited, _row_json, orjson.dumps)
        try:
            written = assumptions_json.texts(qs, writer)
        except orjson.JSONEncodeError:  # a text orjson refuses: each service on its own
            written = [None] * len(qs)
            for k, q in enumerate(qs):
                with suppress(orjson.JSONEncodeError):  # else written from its rows, by json
                    written[k] = assumptions_json.texts([q], writer)[0]
        for i, text in zip(where, written, strict=True):
            found[i] = text
    return found


def _service_pieces(
    result: ServiceResult,
    cited: Citations,
    found: Found,
    criteria: bytes | None,
    assumptions: Sequence[bytes] | None = None,
) -> Sequence[bytes]:
    """A service of the compact document, in pieces to be joined, its criteria and
    assumptions (their JSON, or None) and levers written from their arrays or questionnaire
    where they were: from one template when all were (`_templated`), else its dict with
    those parts as Fragments; a service orjson refuses (see `encode`) is written from the
    objects, by json, as it was."""
    orjson = _orjson()
    if orjson is None:
        return (encode(service_dict(result, cited, found)),)
    if criteria is not None and assumptions is not None:
        pieces = _templated(result, cited, found, criteria, assumptions, orjson)
        if pieces is not None:
            return pieces
    if found.proposals is not None or criteria is not None or assumptions is not None:
        rows = None if assumptions is None else assumptions_json.joined(assumptions)
        parts = [None if text is None else orjson.Fragment(text) for text in (criteria, rows)]
        try:
            data = service_dict(result, cited, found, True, *parts)
            return (orjson.dumps(data, default=_plain),)
        except orjson.JSONEncodeError:
            pass  # json writes it, from the objects, as it did
    return (encode(service_dict(result, cited, found)),)


#: The keys of a service's object but `extras`' (service_dict's).
_ENVELOPE = frozenset(
    [
        "service",
        "criteria",
        "levers",
        "levers_combined",
        "what_if",
        "budgets",
        "assumptions",
        "warnings",
        "market_based",
        "uncertainty",
    ]
)


def _more(result: ServiceResult) -> dict[str, object]:
    """What a service's object has after its warnings: its market-based figures when its file
    gives a contract's electricity factor, then what a command added (`extras`: check's)."""
    if result.market_based is None:
        return dict(result.extras)
    return {"market_based": result.market_based.to_dict(), **result.extras}


def _templated(
    result: ServiceResult,
    cited: Citations,
    found: Found,
    criteria: bytes,
    assumptions: Sequence[bytes],
    orjson: Any,
) -> tuple[bytes, ...] | None:
    """A service's object as service_dict's keys in its order, in pieces: the parts already
    written and the service's header, with no dict for orjson to walk. None for a
    service with more (a what-if, budgets, uncertainty, extras named as a key of the
    envelope), levers written from their objects, or a header orjson refuses."""
    if found.what_if is not None or found.budgets or found.uncertainty is not None:
        return None
    if result.extras and not _ENVELOPE.isdisjoint(result.extras):
        return None
    extras = _more(result)
    levers, combined = b"[]", b"null"
    if found.proposals is not None:
        encoded = found.proposals.encoded()
        if encoded is None:
            return None
        _cite_levers(encoded.used, cited)
        levers = encoded.levers
        combined = b"null" if encoded.combined is None else encoded.combined
    try:
        header = orjson.dumps(_header(result), default=_plain)
        more = b"," + orjson.dumps(extras, default=_plain)[1:-1] if extras else b""
    except orjson.JSONEncodeError:
        return None
    warnings = _warnings_json(tuple(result.warnings))  # no what-if: no warnings of its own
    return (
        b'{"service":',
        header,
        b',"criteria":',
        criteria,
        b',"levers":',
        levers,
        b',"levers_combined":',
        combined,
        b',"budgets":[],"assumptions":[',
        *assumptions,
        b'],"warnings":',
        warnings,
        more,
        b"}",
    )


def compact(parts: Iterable[Part]) -> Generator[bytes | Region, None, None]:
    """The compact document from its parts, in order: the head, each part's services as it
    comes, then the portfolio and the sources once all are written. Only a part is held (a
    Region is handed on as it is: its file is open until the parts end)."""
    cited, tally, separator = Citations(), portfolio.Tally(), b""
    for piece in parts:
        if not separator:
            assert piece.head is not None, "the first part gives the head"
            yield piece.head[:-1] + b',"services":['
        if separator:
            yield separator
        yield piece.services
        separator = b","
        cited.merge(piece.cited)
        tally.merge(piece.tally)
    yield b"]"
    if len(tally.ranked) > 1:
        yield b',"portfolio":' + encode(tally.to_dict())
    yield b',"lever_catalogue":' + encode(dict(sorted(cited.levers.items())))
    yield b',"sources":' + encode(cited.table()) + b"}\n"


def _compact(batches: Iterator[Sequence[Assessed]]) -> Generator[bytes | Region, None, None]:
    """The compact document, each batch encoded as it comes and then dropped."""
    return compact(part(batch, first=i == 0) for i, batch in enumerate(batches))


def _handed_on(pending: list[Any], batches: Iterator[Sequence[Assessed]]):
    """The batches already taken, then the rest, keeping no reference to a written one."""
    while pending:
        batch = pending.pop(0)
        if batch is not None:
            yield batch
    yield from batches


def stream(batches: Iterable[Sequence[Assessed]]) -> Generator[bytes | Region, None, None]:
    """The document as UTF-8 from services that come in batches (from
    acvnum.assessment.batches, each batch's `services()`):
    indented when it has at most INDENT_UP_TO services, otherwise compact and written a
    service at a time, each batch dropped once written."""
    rest = iter(batches)
    pending: list[Any] = [list(next(rest))]
    pending.append(next(rest, None))
    if pending[1] is None and len(pending[0]) <= INDENT_UP_TO:
        yield indented(document(pending[0])) + b"\n"
        return
    yield from _compact(_handed_on(pending, rest))


def render(services: Sequence[Assessed]) -> str:
    return b"".join(stream([services])).decode("utf-8")
