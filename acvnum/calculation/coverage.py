"""Which activities have a factor for each criterion: the coverage statement of a result.

Water use and fossil resource use are sourced for some activities only (devices,
electricity, AI hardware...); an activity without a factor row for a criterion adds
nothing to it. That is never silent: each result lists, per criterion, the activities the
service uses that are covered and those that are not, worked out from the factor table
itself (a row present or absent), so a user's `--factors` table or a new row changes the
statement with no hand-written list to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

import numpy as np

from acvnum.calculation.engine import factor_prefixes, item_prefixes
from acvnum.calculation.inventory import ACTIVITIES, ServiceArrays
from acvnum.reference.criteria import CRITERION_IDS, ENERGY, IMPACT_IDS
from acvnum.reference.factors import FactorTable

#: The keys of the activities, as in a result's `by_item` (tier.phase.item).
ACTIVITY_KEYS = tuple(f"{a.tier}.{a.phase}.{a.item}" for a in ACTIVITIES)
#: Final energy counts the electricity used; manufacturing is outside it by definition.
_IN_SCOPE = np.array(
    [[a.phase == "use" or c != ENERGY for c in range(len(CRITERION_IDS))] for a in ACTIVITIES]
)


@dataclass(frozen=True)
class Coverage:
    """One criterion's coverage for one service: activity keys (tier.phase.item) the
    service uses, with a factor for the criterion and without one."""

    covered: tuple[str, ...]
    not_covered: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.not_covered


def factor_presence(s: ServiceArrays, table: FactorTable) -> np.ndarray:
    """(N, activities, criteria) True where the row a service's activity reads exists."""
    bits = _presence_bits(s, table)
    return np.unpackbits(bits, axis=2, count=len(CRITERION_IDS)).astype(bool)


def _presence_bits(s: ServiceArrays, table: FactorTable) -> np.ndarray:
    """(N, activities, bytes): `factor_presence`, each activity's criteria packed in bits.

    Looked up once per distinct prefix (a handful, each once a run: kept with the table's
    central values), each activity's prefixes numbered, then one gather for every service
    and activity (not a stack and a gather an activity)."""
    if not s.count:
        return np.zeros((0, len(ACTIVITIES), _BYTES), dtype=np.uint8)
    codes: dict[str, int] = {}  # prefix -> its row in `present`
    columns = []
    for names, index in factor_prefixes(s):
        ids = np.array([codes.setdefault(name, len(codes)) for name in names], dtype=int)
        columns.append(ids[index])
    derived = table.central().derived
    present = np.array([_present(prefix, table, derived) for prefix in codes])
    return present[np.stack(columns, axis=1)]


#: Bytes of one activity's criteria, packed.
_BYTES = -(-len(CRITERION_IDS) // 8)


def _present(prefix: str, table: FactorTable, derived: dict[str, np.ndarray]) -> np.ndarray:
    """Per criterion, whether the table has the factor a row of `prefix` reads, packed in
    bits (kept in `derived`, the table's central values' memo)."""
    key = f"present:{prefix}"
    found = derived.get(key)
    if found is None:
        parts = prefix.split("+")  # a row mixing items needs every item's factor
        flags = [all(f"{p}.{c}" in table for p in parts) for c in CRITERION_IDS]
        flags[ENERGY] = prefix.startswith("electricity.")  # kWh per kWh
        found = derived[key] = np.packbits(flags)
        found.flags.writeable = False
    return found


def coverage(
    s: ServiceArrays, amounts: np.ndarray, table: FactorTable
) -> list[dict[str, Coverage]]:
    """Per service, per criterion, its coverage. `amounts` (N, activities): the inventory
    (an activity the service does not use is neither covered nor missing).

    Most services of a portfolio share one statement: each distinct one is made once a
    run, known by its services' bits, the activities used and each one's criteria with a
    factor, packed ((N, activities) and (N, activities, bytes): not the (N, activities,
    criteria) masks a service, 0.86 -> 0.3 ms a chunk of 500)."""
    if not s.count:
        return []
    used = amounts != 0
    present = _presence_bits(s, table)
    keys = np.concatenate([np.packbits(used, axis=1), present.reshape(s.count, -1)], axis=1)
    statements = _STATEMENTS
    if len(statements) >= _HELD:
        statements.clear()
    # Each service's key as one bytes object, by one C call (not a row object a service)
    rows = keys.view(f"V{keys.shape[1]}").ravel().tolist()
    found = list(map(statements.get, rows))
    for n in [n for n, statement in enumerate(found) if statement is None]:
        statement = statements.get(rows[n])  # made already for an earlier service
        if statement is None:
            has = np.unpackbits(present[n], axis=1, count=len(CRITERION_IDS)).astype(bool)
            statement = _statement(used[n, :, np.newaxis] & _IN_SCOPE, has)
            statements[rows[n]] = statement
        found[n] = statement
    return found


#: The statements made, by the bits of what their services use and what has a factor
#: (which is all a statement is made from): a portfolio's chunks share a few dozen, made
#: once for the run, and the same objects let the JSON write each once (report.criteria_json).
_STATEMENTS: dict[bytes, dict[str, Coverage]] = {}
_HELD = 4096


def _statement(used: np.ndarray, present: np.ndarray) -> dict[str, Coverage]:
    """(A, C) used and present -> {criterion: Coverage}: each criterion's keys picked by one
    mask, in the activities' order."""
    covered = (used & present).T.tolist()
    missing = (used & ~present).T.tolist()
    return {
        cid: Coverage(covered=tuple(_picked(covered[c])), not_covered=tuple(_picked(missing[c])))
        for c, cid in enumerate(CRITERION_IDS)
    }


def _picked(mask: list[bool]) -> list[str]:
    return list(compress(ACTIVITY_KEYS, mask))


def table_coverage(table: FactorTable) -> dict[str, Coverage]:
    """Per impact criterion, every item whose factors the engine reads (device.laptop,
    network.fixed, electricity.FRA...) with a row for it and without one: the coverage of
    the table itself, whatever the service (`acvnum factors coverage`)."""
    items = [*item_prefixes(), *(f"electricity.{r}" for r in table.regions())]
    return {
        cid: Coverage(
            covered=tuple(i for i in items if f"{i}.{cid}" in table),
            not_covered=tuple(i for i in items if f"{i}.{cid}" not in table),
        )
        for cid in IMPACT_IDS
    }
