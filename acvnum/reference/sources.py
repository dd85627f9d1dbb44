"""The one registry of cited publications: `factors/sources.csv`, keyed by a short label.

A factor's `source` cell says exactly where its number was read (a table, a row, a field);
the reports cite the publication behind it by key ([ADEME-BE], [Boavizta-PCF]) and resolve
the keys in a bibliography. A key is cited by a text that contains one of its `match`
phrases, so the factor tables need no second column to keep in step with the first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from acvnum.reference import store
from acvnum.reference.factors import default_directory, default_factors, shipped_tables

FILE_NAME = "sources.csv"


@dataclass(frozen=True)
class Source:
    """One publication: its citation as published, year, licence and where to read it."""

    key: str
    citation: str
    year: int
    licence: str
    url: str
    match: tuple[str, ...]  # phrases of a source text that cite this publication

    def label(self) -> str:
        return f"[{self.key}]"


@cache
def registry() -> dict[str, Source]:
    """Every known publication by key, in the file's order."""
    path = default_directory() / FILE_NAME
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["key"]: Source(
            row["key"],
            row["citation"],
            int(row["year"]),
            row["licence"],
            row["url"],
            tuple(p for p in row["match"].split("|") if p),
        )
        for row in rows
    }


def cite(text: str) -> tuple[str, ...]:
    """The keys a source text cites, in the order the text names them."""
    shipped = _shipped().get(text)
    return shipped if shipped is not None else _cite(text)


@cache
def _shipped() -> dict[str, tuple[str, ...]]:
    """What every source text of the shipped factor tables cites (a result JSON cites them
    all): matched once, then read from the copy an earlier run kept (see store)."""

    def matched() -> dict[str, list[str]]:
        return {text: list(_cite(text)) for text in sorted({f.source for f in default_factors()})}

    def made(data: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {str(text): tuple(map(str, keys)) for text, keys in data.items()}

    files = [Path(__file__), default_directory() / FILE_NAME, *shipped_tables()]
    return store.cached("citations", files, "citations:1", matched, made)


@cache
def _cite(text: str) -> tuple[str, ...]:
    found = {
        key: min(position for phrase in source.match if (position := text.find(phrase)) >= 0)
        for key, source in registry().items()
        if any(phrase in text for phrase in source.match)
    }
    return tuple(sorted(found, key=lambda key: found[key]))


def citation_text(text: str) -> str:
    """'[ADEME-BE] [Boavizta-API]' for a source text, or the text itself when it cites no
    known publication (a user's own factor table, the questionnaire)."""
    keys = cite(text)
    return " ".join(f"[{key}]" for key in keys) if keys else text


def bibliography(texts: Iterable[str]) -> list[Source]:
    """The publications the given source texts cite, once each, sorted by key."""
    keys = {key for text in texts for key in cite(text)}
    return [registry()[key] for key in sorted(keys, key=str.casefold)]
