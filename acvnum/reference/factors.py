"""The one reader of the factor tables: CSV files -> a FactorTable of arrays.

Every factor carries value, low, high, unit, source, reference year and a licence note;
a user's own table (`--factors FILE`) is merged over the defaults with the same checks.
"""

from __future__ import annotations

import csv
import difflib
import fnmatch
import io
import math
import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from acvnum.errors import InputError, Message, Problem, message
from acvnum.files import read_text
from acvnum.reference import store

COLUMNS = ("id", "value", "low", "high", "unit", "source", "year", "licence", "note")
REQUIRED = ("id", "value", "low", "high", "unit", "source", "year", "licence")
Position = tuple[int, int]  # (line, column), 1-based, of a cell in its file
#: CSV files beside the factor tables that are not factor tables (the registry of sources).
NOT_FACTORS = frozenset({"sources.csv"})
KINDS = (
    "electricity",
    "device",
    "network",
    "server",
    "storage",
    "datacenter",
    "boundary",
    "ai",
    "video",
    "messages",
    "cloud",
)


def default_directory() -> Path:
    """The shipped tables: inside the installed package, or the repository's `factors/`."""
    package = Path(__file__).parents[1]
    packaged = package / "_factors"
    return packaged if packaged.is_dir() else package.parent / "factors"


@dataclass(frozen=True)
class Factor:
    """One sourced number with its plausible range."""

    id: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    year: int
    licence: str
    note: str
    origin: str  # the file it came from
    line: int = 0  # its line in that file, for messages about it
    #: Where each of its cells starts in that file, for messages that point at one cell.
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class Limits:
    """The span a quantity can take at all: a factor outside it is a typo or a unit slip,
    and a divisor at zero or below turns every result into a division by zero or a NaN."""

    pattern: str  # fnmatch pattern over factor ids; the first that matches applies
    minimum: float
    strict: bool  # the minimum itself is excluded (the quantity divides something)
    maximum: float
    reason: str  # catalogue key: why the bound holds

    def refuses(self, number: float) -> bool:
        below = number <= self.minimum if self.strict else number < self.minimum
        return below or number > self.maximum

    def rule(self) -> Message:
        """'> 0', '>= 1 and <= 4': what the message asks for."""
        lower = f"{'>' if self.strict else '>='} {self.minimum:g}"
        if math.isinf(self.maximum):
            return message("factors.rule.lower", lower=lower)
        return message("factors.rule.both", lower=lower, upper=f"<= {self.maximum:g}")


_INF = math.inf
#: No quantity of the shipped tables comes within a factor 1,000 of it (the largest is a
#: global boundary, 5.3e14); above it a user's factor overflows the sums into inf and NaN.
_MAX = 1e18
#: The bounds of every quantity, by id pattern, first match wins; applied to value, low and
#: high of the shipped tables and of a user's table alike. Divisors are strictly positive.
LIMITS = (
    Limits("boundary.*", 0, True, _MAX, "limits.boundary"),
    Limits("*.lifetime", 0, True, _MAX, "limits.lifetime"),
    Limits("*.active_hours", 0, True, 24, "limits.active_hours"),
    Limits("*.host_vcpu", 0, True, _MAX, "limits.host_vcpu"),
    Limits("*.traffic", 0, True, _INF, "limits.traffic"),
    Limits("*.pue", 1, False, 4, "limits.pue"),
    Limits("*.utilization", 0, False, 1, "limits.utilization"),
    Limits("*.replicas", 1, False, 20, "limits.replicas"),
    Limits("*_density", 0, True, _MAX, "limits.component"),  # capacity / density: an area
    Limits("*.ram_module", 0, True, _MAX, "limits.component"),  # memory / module: a count
    Limits("*.server_power", 0, True, _MAX, "limits.server_power"),
    Limits("*", 0, False, _MAX, "limits.any"),
)


def limits_for(factor_id: str) -> Limits:
    """The bounds that apply to a factor id (the catch-all last entry always matches)."""
    return next(rule for rule in LIMITS if _matches(factor_id, rule.pattern))


def _matches(factor_id: str, pattern: str) -> bool:
    """fnmatch for the shapes LIMITS uses ('*', '*.pue', 'boundary.*') by string tests,
    a tenth of fnmatch's cost over the 460 shipped factors; any other shape by fnmatch."""
    if pattern == "*":
        return True
    wild = "*?["
    if pattern.startswith("*") and not any(c in pattern[1:] for c in wild):
        return factor_id.endswith(pattern[1:])
    if pattern.endswith("*") and not any(c in pattern[:-1] for c in wild):
        return factor_id.startswith(pattern[:-1])
    return fnmatch.fnmatchcase(factor_id, pattern)


def _number(text: str, column: str, where: Problem) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InputError(
            [_at(where, message("factors.not_a_number", column=column, text=repr(text)))]
        ) from None
    if not math.isfinite(number):
        raise InputError(
            [_at(where, message("factors.not_finite", column=column, text=repr(text)))]
        )
    return number


def _at(where: Problem, refusal: Message) -> Problem:
    return Problem(where.file, where.line, where.column, refusal)


class _Row:
    """One record of a factor CSV: its cells by column, and the lines it spans, from which
    where each cell starts is worked out only when a message or a user's factor needs it
    (working it out for every row was half the load of the shipped tables)."""

    def __init__(
        self,
        cells: dict[str, str],
        header: tuple[str, ...],
        lines: list[str],
        first: int,
        file: str,
    ):
        self.cells = cells
        self.header = header
        self.lines = lines
        self.line = first
        self.file = file

    @cached_property
    def positions(self) -> dict[str, Position]:
        return dict(zip(self.header, _field_starts(self.lines, self.line), strict=False))

    def where(self, column: str | None = None) -> Problem:
        """An empty problem located at a column's cell (the row's start when unknown)."""
        line, col = self.positions.get(column, (self.line, 1)) if column else (self.line, 1)
        return Problem(self.file, line, col, "")

    def number(self, column: str) -> float:
        text = self.cells[column]
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return _number(text, column, self.where(column))  # raises, located at the cell
        return number


def _check_limits(factor_id: str, numbers: dict[str, float], row: _Row) -> None:
    """Refuse the first of value, low, high that its quantity's bounds rule out."""
    rule = limits_for(factor_id)
    for column, number in numbers.items():
        if rule.refuses(number):
            refusal = message(
                "factors.out_of_bounds",
                id=factor_id,
                column=column,
                number=number,
                rule=rule.rule(),
                reason=message(rule.reason),
            )
            raise InputError([_at(row.where(column), refusal)])


#: The years a factor's source may be from (the shipped tables' are 2009 to 2026): outside,
#: a slip ('1e300' was printed as a 301-digit year, '2024.7' cut to 2024 and '-5' shown).
YEARS = (1900, 2100)


def _year(row: _Row) -> int:
    """The year of the factor's source: a whole number within YEARS."""
    year = row.number("year")
    if not year.is_integer() or not YEARS[0] <= year <= YEARS[1]:
        text = repr(row.cells["year"])
        refusal = message("factors.year", text=text, low=YEARS[0], high=YEARS[1])
        raise InputError([_at(row.where("year"), refusal)])
    return int(year)


def _check_id(factor_id: str, row: _Row) -> None:
    if factor_id.split(".", 1)[0] not in KINDS or factor_id.count(".") < 2:
        refusal = message("factors.bad_id", id=repr(factor_id), kinds=", ".join(KINDS))
        raise InputError([_at(row.where("id"), refusal)])


def _parse_row(row: _Row, positions: bool = True) -> Factor:
    missing = [column for column in REQUIRED if not row.cells.get(column, "")]
    if missing:
        where = row.where(missing[0])
        raise InputError([_at(where, message("factors.lacks", missing=", ".join(missing)))])
    cells = row.cells
    numbers = {c: row.number(c) for c in ("value", "low", "high")}
    value, low, high = numbers["value"], numbers["low"], numbers["high"]
    if not low <= value <= high:
        refusal = message("factors.order", id=cells["id"], low=low, value=value, high=high)
        raise InputError([_at(row.where("low"), refusal)])
    year = _year(row)
    _check_id(cells["id"], row)
    _check_limits(cells["id"], numbers, row)
    return Factor(
        cells["id"],
        value,
        low,
        high,
        cells["unit"],
        cells["source"],
        year,
        cells["licence"],
        cells.get("note", ""),
        row.file,
        row.line,
        row.positions if positions else {},
    )


_SEPARATORS = re.compile('[",]')


def _field_starts(lines: list[str], first: int) -> list[Position]:
    """Where each field of a record starts: commas outside quotes end a field ('""' inside
    a quoted field toggles twice, so it changes nothing). Only quotes and commas are
    visited (found by a regex), which keeps the shipped tables' load fast."""
    starts, quoted = [(first, 1)], False
    for number, line in enumerate(lines, start=first):
        for match in _SEPARATORS.finditer(line):
            if match.group() == '"':
                quoted = not quoted
            elif not quoted:
                starts.append((number, match.start() + 2))
    return starts


#: The csv module's errors by the start of their English words, and what a user is told
#: in the run's language (its words, and an unrelated hint about commas, were shown as such).
_CSV_ERRORS = (
    ("unexpected end of data", "csv.unclosed_quote"),
    ("field larger than field limit", "csv.field_too_long"),
    ("',' expected after '\"'", "csv.text_after_quote"),
)


def _csv_error(error: csv.Error) -> Message:
    """The csv module's words, said in terms of the file a user edits."""
    words = str(error)
    for start, key in _CSV_ERRORS:
        if words.startswith(start):
            return message(key, limit=csv.field_size_limit())
    return message("csv.malformed", detail=words)


def _csv_problem(error: csv.Error, lines: list[str], first: int, file: str) -> Problem:
    """An unterminated quote is shown where it opens (after it every comma is quoted, so it
    starts the last field); any other malformed row at its start."""
    unterminated = "unexpected end of data" in str(error)
    line, column = _field_starts(lines, first)[-1] if unterminated else (first, 1)
    return Problem(file, line, column, _csv_error(error))


def _shape_problem(cells: list[str], header: tuple[str, ...]) -> Message | None:
    """A row with more fields than the header, or missing a required one, is malformed."""
    if len(cells) > len(header):
        return message("csv.too_many_fields", fields=len(cells), header=len(header))
    absent = [c for c in header[len(cells) :] if c in REQUIRED]
    if absent:
        return message(
            "csv.too_few_fields", fields=len(cells), header=len(header), absent=", ".join(absent)
        )
    return None


def _columns_once(header: tuple[str, ...], lines: list[str], first: int, file: str) -> None:
    """Refuse a column of the table named twice in the header (at the second): its cells
    would be read from one of the two only, whichever the reader kept."""
    for index, column in enumerate(header):
        if column in COLUMNS and column in header[:index]:
            line, col = _field_starts(lines, first)[index]
            refusal = message("factors.column_twice", column=column)
            raise InputError([Problem(file, line, col, refusal)])


def _records(text: str, file: str) -> tuple[tuple[str, ...], list[_Row], list[Problem]]:
    """The header, every well-formed row and a problem for every malformed one."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(iter(lines), strict=True)
    header: tuple[str, ...] = ()
    rows: list[_Row] = []
    problems: list[Problem] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(_csv_problem(error, lines[start - 1 : reader.line_num], start, file))
            start = reader.line_num + 1
            continue
        first, start = start, reader.line_num + 1
        if not cells:
            continue  # a blank line
        if not header:
            header = tuple(c.strip() for c in cells)  # 'id, value': as the cells are
            _columns_once(header, lines[first - 1 : start - 1], first, file)
        elif (shape := _shape_problem(cells, header)) is not None:
            problems.append(Problem(file, first, 1, shape))
        else:
            named = dict(zip(header, (c.strip() for c in cells), strict=False))
            rows.append(_Row(named, header, lines[first - 1 : start - 1], first, file))
    return header, rows, problems


def parse_csv(text: str, file: str, positions: bool = True) -> list[Factor]:
    """CSV text -> factors; every problem names file:line:column. `positions`: each factor
    keeps where its cells start (a user's table, whose factors are checked against the
    defaults after parsing); the shipped tables' factors do without."""
    header, rows, problems = _records(text, file)
    absent = [c for c in REQUIRED if c not in header]
    if absent:
        refusal = message(
            "factors.lacks_columns", absent=", ".join(absent), expected=",".join(COLUMNS)
        )
        raise InputError([Problem(file, 1, 1, refusal)])
    factors, seen = [], {}
    for row in rows:
        try:
            factor = _parse_row(row, positions)
        except InputError as error:
            problems += error.problems
            continue
        if factor.id in seen:
            duplicate = message("factors.duplicate", id=factor.id, line=seen[factor.id])
            problems.append(_at(row.where("id"), duplicate))
        seen[factor.id] = row.line
        factors.append(factor)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line, p.column)))
    return factors


def read_table_file(path: Path, positions: bool = True) -> list[Factor]:
    """A factor table read within the bounds of every input file (see acvnum.files)."""
    return parse_csv(read_text(path, "a factor table (CSV)"), str(path), positions)


class FactorTable:
    """All factors, indexable by id, with value/low/high as aligned arrays."""

    def __init__(self, factors: list[Factor], user_ids: frozenset[str] = frozenset()):
        self.factors = {f.id: f for f in factors}
        self.ids = tuple(self.factors)
        self.position = {fid: i for i, fid in enumerate(self.ids)}
        self.values = np.array([f.value for f in self.factors.values()])
        self.low = np.array([f.low for f in self.factors.values()])
        self.high = np.array([f.high for f in self.factors.values()])
        self.user_ids = user_ids
        self._sources: tuple[str, ...] | None = None
        self._regions: tuple[str, ...] | None = None
        self._region_set: frozenset[str] | None = None
        self._central: FactorValues | None = None

    @cached_property
    def central_values(self) -> dict[str, float]:
        """Every factor's central value by id: what a result records of the numbers it used,
        so that a later comparison can tell a factor update from a change of the service."""
        return dict(zip(self.ids, self.values.tolist(), strict=True))

    def __getitem__(self, factor_id: str) -> Factor:
        return self.factors[factor_id]

    def __contains__(self, factor_id: str) -> bool:
        return factor_id in self.factors

    def value(self, factor_id: str) -> float:
        return self.factors[factor_id].value

    def regions(self) -> list[str]:
        """Electricity regions known to the tables (worked out once: every loaded
        questionnaire is checked against them, 1 ms a time over 400 factor ids)."""
        if self._regions is None:
            electricity = (fid for fid in self.ids if fid.startswith("electricity."))
            self._regions = tuple(sorted({fid.split(".")[1] for fid in electricity}))
        return list(self._regions)

    def knows_region(self, code: str) -> bool:
        """Whether the tables have electricity factors for `code` (asked once a file)."""
        if self._region_set is None:
            self._region_set = frozenset(self.regions())
        return code in self._region_set

    def sources(self) -> tuple[str, ...]:
        """Every source text of the table, sorted: worked out once and shared by every
        result (108 us a call; a portfolio of 10,000 asked 10,000 times)."""
        if self._sources is None:
            self._sources = tuple(sorted({f.source for f in self.factors.values()}))
        return self._sources

    def merged(self, extra: list[Factor]) -> FactorTable:
        """A new table with `extra` replacing or adding factors."""
        merged = {**self.factors, **{f.id: f for f in extra}}
        return FactorTable(list(merged.values()), self.user_ids | {f.id for f in extra})

    def central(self) -> FactorValues:
        """The central values, as a one-sample FactorValues: one for the table, so that
        what the engine derives from them is derived once (FactorValues.derived)."""
        if self._central is None:
            self._central = FactorValues(self, self.values[np.newaxis, :])
        return self._central


class FactorValues:
    """Values of every factor for S samples (S = 1 for the central estimate): shape (S, F)."""

    def __init__(self, table: FactorTable, matrix: np.ndarray):
        self.table = table
        self.matrix = matrix
        #: Read-only arrays the engine derives from these values alone (an item's impacts
        #: per criterion), made once: a portfolio's chunks and the levers' passes evaluate
        #: with the same central values, and each evaluation re-derived some forty of them
        #: from a thousand look-ups (a fixed cost of every chunk, whatever its size).
        self.derived: dict[str, np.ndarray] = {}

    def __getitem__(self, factor_id: str) -> np.ndarray:
        """The column of one factor, shape (S,)."""
        return self.matrix[:, self.table.position[factor_id]]

    @property
    def samples(self) -> int:
        return self.matrix.shape[0]


def shipped_tables() -> list[Path]:
    """The shipped factor tables, by name."""
    directory = default_directory()
    names = (n for n in os.listdir(directory) if n.endswith(".csv") and n not in NOT_FACTORS)
    return [directory / name for name in sorted(names)]


#: What a kept copy of the shipped factors holds: one list of these per factor.
_KEPT = ("id", "value", "low", "high", "unit", "source", "year", "licence", "note", "origin")
_KEPT_LAYOUT = "factors:" + ",".join((*_KEPT, "line"))


@cache
def default_factors() -> tuple[Factor, ...]:
    """The shipped factors, parsed, or read from the copy an earlier run kept (see store)."""
    tables = shipped_tables()

    def parsed() -> list[list[object]]:
        factors = (f for path in tables for f in read_table_file(path, positions=False))
        return [[*(getattr(f, name) for name in _KEPT), f.line] for f in factors]

    def made(rows: list[list[object]]) -> tuple[Factor, ...]:
        return tuple(Factor(*row) for row in rows)  # type: ignore[arg-type]

    return store.cached("factors", [Path(__file__), *tables], _KEPT_LAYOUT, parsed, made)


def load_factors(extra: str | Path | None = None) -> FactorTable:
    """The default tables, with a user's table merged over them when given."""
    table = FactorTable(list(default_factors()))
    if extra is None:
        return table
    user = read_table_file(Path(extra))
    unknown = [f for f in user if f.id not in table]
    suggested = {f.id for f in unknown[:MAX_SUGGESTIONS]}  # fuzzy matching is the costly part
    problems = [
        p for factor in user if (p := _mismatch(factor, table, factor.id in suggested)) is not None
    ]
    if problems:
        raise InputError(problems)
    return table.merged(user)


#: Unknown factor ids that get a "did you mean": each costs a fuzzy search of every id.
MAX_SUGGESTIONS = 5


def _mismatch(factor: Factor, defaults: FactorTable, suggest: bool = True) -> Problem | None:
    """A user's factor must replace a known one, in the same unit: a typo in an id or a
    unit would otherwise leave the default in force, or scale a result silently."""

    def where(column: str) -> Problem:
        line, col = factor.positions.get(column, (factor.line, 1))
        return Problem(factor.origin, line, col, "")

    if factor.id not in defaults:
        close = (
            difflib.get_close_matches(factor.id, defaults.ids, n=1, cutoff=0.6) if suggest else []
        )
        hint = (
            message("error.did_you_mean", name=close[0]) if close else message("factors.see_list")
        )
        return _at(where("id"), message("factors.unknown_id", id=factor.id, suggestion=hint))
    expected = defaults[factor.id].unit
    if factor.unit != expected:
        return _at(
            where("unit"),
            message("factors.unit", id=factor.id, unit=factor.unit, expected=expected),
        )
    return None
