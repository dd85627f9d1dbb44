"""The one reader of the factor tables: CSV files -> a FactorTable of arrays.

Every factor carries value, low, high, unit, source, reference year and a licence note;
a user's own table (`--factors FILE`) is merged over the defaults with the same checks.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from acvnum.loading import InputError, Problem

COLUMNS = ("id", "value", "low", "high", "unit", "source", "year", "licence", "note")
REQUIRED = ("id", "value", "low", "high", "unit", "source", "year", "licence")
KINDS = ("electricity", "device", "network", "server", "storage", "datacenter", "boundary")


def default_directory() -> Path:
    """The shipped tables: inside the installed package, or the repository's `factors/`."""
    packaged = Path(__file__).parent / "_factors"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "factors"


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

    @property
    def kind(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def exact(self) -> bool:
        return self.low == self.high


def _number(text: str, column: str, where: Problem) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InputError([_at(where, f"{column} {text!r} is not a number")]) from None
    if not math.isfinite(number):
        raise InputError([_at(where, f"{column} {text!r} is not finite")])
    return number


def _at(where: Problem, message: str) -> Problem:
    return Problem(where.file, where.line, where.column, message)


def _parse_row(row: dict[str, str | None], file: str, line: int) -> Factor:
    where = Problem(file, line, 1, "")
    missing = [column for column in REQUIRED if not (row.get(column) or "").strip()]
    if missing:
        raise InputError([_at(where, f"factor lacks {', '.join(missing)}")])
    cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
    value, low, high = (_number(cells[c], c, where) for c in ("value", "low", "high"))
    if not low <= value <= high:
        raise InputError(
            [
                _at(
                    where,
                    f"factor {cells['id']}: needs low <= value <= high, "
                    f"got {low:g} / {value:g} / {high:g}",
                )
            ]
        )
    year = _number(cells["year"], "year", where)
    if cells["id"].split(".", 1)[0] not in KINDS or cells["id"].count(".") < 2:
        raise InputError(
            [
                _at(
                    where,
                    f"factor id {cells['id']!r} must be kind.item.quantity "
                    f"with kind one of {', '.join(KINDS)}",
                )
            ]
        )
    return Factor(
        cells["id"],
        value,
        low,
        high,
        cells["unit"],
        cells["source"],
        int(year),
        cells["licence"],
        cells.get("note", ""),
        file,
        line,
    )


def parse_csv(text: str, file: str) -> list[Factor]:
    """CSV text -> factors; every problem names file:line."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    absent = [c for c in REQUIRED if c not in header]
    if absent:
        raise InputError(
            [
                Problem(
                    file,
                    1,
                    1,
                    f"factor table lacks column(s) {', '.join(absent)}; "
                    f"expected {','.join(COLUMNS)}",
                )
            ]
        )
    factors, seen, problems = [], {}, []
    for row in reader:
        try:
            factor = _parse_row(row, file, reader.line_num)
        except InputError as error:
            problems += error.problems
            continue
        if factor.id in seen:
            message = f"duplicate factor {factor.id} (first on line {seen[factor.id]})"
            problems.append(Problem(file, reader.line_num, 1, message))
        seen[factor.id] = reader.line_num
        factors.append(factor)
    if problems:
        raise InputError(problems)
    return factors


def read_table_file(path: Path) -> list[Factor]:
    if not path.is_file():
        raise InputError([Problem(str(path), 1, 1, "factor table not found")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(str(path), 1, 1, f"not UTF-8 text ({error.reason})")]) from None
    return parse_csv(text, str(path))


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

    def __getitem__(self, factor_id: str) -> Factor:
        return self.factors[factor_id]

    def __contains__(self, factor_id: str) -> bool:
        return factor_id in self.factors

    def value(self, factor_id: str) -> float:
        return self.factors[factor_id].value

    def regions(self) -> list[str]:
        """Electricity regions known to the tables."""
        return sorted({fid.split(".")[1] for fid in self.ids if fid.startswith("electricity.")})

    def sources(self) -> list[str]:
        return sorted({f.source for f in self.factors.values()})

    def merged(self, extra: list[Factor]) -> FactorTable:
        """A new table with `extra` replacing or adding factors."""
        merged = {**self.factors, **{f.id: f for f in extra}}
        return FactorTable(list(merged.values()), self.user_ids | {f.id for f in extra})

    def central(self) -> FactorValues:
        """The central values, as a one-sample FactorValues."""
        return FactorValues(self, self.values[np.newaxis, :])


class FactorValues:
    """Values of every factor for S samples (S = 1 for the central estimate): shape (S, F)."""

    def __init__(self, table: FactorTable, matrix: np.ndarray):
        self.table = table
        self.matrix = matrix

    def __getitem__(self, factor_id: str) -> np.ndarray:
        """The column of one factor, shape (S,)."""
        return self.matrix[:, self.table.position[factor_id]]

    @property
    def samples(self) -> int:
        return self.matrix.shape[0]


@cache
def _default_factors() -> tuple[Factor, ...]:
    directory = default_directory()
    return tuple(f for path in sorted(directory.glob("*.csv")) for f in read_table_file(path))


def load_factors(extra: str | Path | None = None) -> FactorTable:
    """The default tables, with a user's table merged over them when given."""
    table = FactorTable(list(_default_factors()))
    if extra is None:
        return table
    user = read_table_file(Path(extra))
    problems = [p for factor in user if (p := _mismatch(factor, table)) is not None]
    if problems:
        raise InputError(problems)
    return table.merged(user)


def _mismatch(factor: Factor, defaults: FactorTable) -> Problem | None:
    """A user's factor must replace a known one, in the same unit: a typo in an id or a
    unit would otherwise leave the default in force, or scale a result silently."""
    where = Problem(factor.origin, factor.line, 1, "")
    if factor.id not in defaults:
        close = difflib.get_close_matches(factor.id, defaults.ids, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else " (see: acvnum factors list)"
        return _at(where, f"unknown factor '{factor.id}'{hint}")
    expected = defaults[factor.id].unit
    if factor.unit != expected:
        return _at(
            where,
            f"factor {factor.id}: unit '{factor.unit}' differs from the default's "
            f"'{expected}'; convert the values to {expected}",
        )
    return None
