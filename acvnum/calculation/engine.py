"""Inventory x characterisation matrix -> impacts. Pure numpy, no I/O.

The characterisation matrix holds, for each activity, its impact per unit on every
criterion: manufacturing rows take an item's embodied impacts, use rows the electricity
mix of the users' or the hosting country (and 1 kWh/kWh on the energy criterion).
Every breakdown (tier, phase, item) is a sum over the one array of contributions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from acvnum.calculation.inventory import (
    ACTIVITIES,
    PHASES,
    TIERS,
    Activity,
    Regions,
    ServiceArrays,
    any_configured,
    inventory_columns,
    label_mask,
    network_per_gb,
    present_columns,
    server_profile,
)
from acvnum.calculation.workloads import ai_inventory, gpu_prefix
from acvnum.questionnaire.rules import DEVICE_TYPES, EQUIPMENT_TYPES, GPU_TYPES
from acvnum.reference import defaults
from acvnum.reference.criteria import CRITERION_IDS, ENERGY, IMPACT_IDS
from acvnum.reference.factors import FactorValues

#: Which embodied-impact factors each manufacturing activity takes (None: per service).
_EMBODIED = {("terminals", d): f"device.{d}" for d in (*DEVICE_TYPES, *EQUIPMENT_TYPES)} | {
    ("network", "fixed"): "network.fixed",
    ("network", "mobile"): "network.mobile",
    ("network", "box"): "network.box",
    ("datacenter", "servers"): "server.physical",
    ("datacenter", "ai_servers"): "ai.server",
    ("datacenter", "video"): "server.physical",
    ("datacenter", "messages"): "storage.ssd",
    ("datacenter", "network_gear"): "datacenter.gear",
    ("datacenter", "building"): "datacenter.building",
}


def _impact_vector(f: FactorValues, prefix: str) -> np.ndarray:
    """(S, criteria) embodied impacts of one item; energy is outside the perimeter (0).

    A criterion without a factor row for the item adds nothing here: it is not covered,
    and acvnum.calculation.coverage says so in every report (never a silent zero).
    Made once per FactorValues and prefix (read-only: rows share it)."""
    vector = f.derived.get(prefix)
    if vector is None:
        vector = np.zeros((f.samples, len(CRITERION_IDS)))
        for index, criterion in enumerate(IMPACT_IDS):
            factor_id = f"{prefix}.{criterion}"
            if factor_id in f.table:
                vector[:, index] = f[factor_id]
        vector.flags.writeable = False
        f.derived[prefix] = vector
    return vector


def _padded(profile: np.ndarray) -> np.ndarray:
    """(N, S, impact criteria) -> (N, S, criteria), 1 on energy (a manufacturing row's 0)."""
    ones = np.ones((*profile.shape[:-1], len(CRITERION_IDS)))
    ones[..., : len(IMPACT_IDS)] = profile
    return ones


def _grid_table(f: FactorValues, unique: list[str]) -> np.ndarray:
    """(R, S, criteria) impacts of one kWh in each of the regions `unique` (energy: 1)."""
    table = np.stack([_impact_vector(f, f"electricity.{r}") for r in unique])  # (R, S, C)
    table[..., ENERGY] = 1.0
    return table


def _grid(f: FactorValues, regions: list[str]) -> np.ndarray:
    """(N, S, criteria) impacts of one kWh in each service's region (read-only)."""
    unique = sorted(set(regions))
    table = _grid_table(f, unique)
    if len(unique) == 1:  # one region for all: its row, broadcast (no gather)
        return np.broadcast_to(table[0], (len(regions), *table.shape[1:]))
    index = {r: k for k, r in enumerate(unique)}
    # no Python loop per service; np.take, not fancy indexing: the same rows, faster
    codes = np.fromiter(map(index.__getitem__, regions), np.intp, len(regions))
    return np.take(table, codes, axis=0)


def _ai_grid(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(N, S, criteria) per kWh where AI runs: an API's world mix spans `ai.api.grid_scale`
    (its data centres are unknown); the energy criterion stays 1 kWh per kWh."""
    grid = _grid(f, s.ai.region)
    scale = np.where(s.ai.api[..., np.newaxis] == 1, f["ai.api.grid_scale"][:, np.newaxis], 1.0)
    scale = np.broadcast_to(scale, grid.shape).copy()
    scale[..., ENERGY] = 1.0
    return grid * scale


#: The optional blocks whose data goes over the users' networks in rows of their own.
_BLOCK_TRAFFIC = ("video", "messages")


def _block_traffic(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(N, S, criteria) embodied impacts of one GB of a block's traffic: the service's fixed
    and mobile equipment and, under the per-GB model, the home box's share, per GB."""
    per_gb = network_per_gb(s, f)
    parts = ((0, "network.fixed"), (1, "network.mobile"), (4, "network.box"))
    return sum(per_gb[..., [k]] * _impact_vector(f, prefix) for k, prefix in parts)


def _ai_gpus(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(S or N x S, criteria) impacts of making one GPU-lifetime, by each service's GPU type.

    A service whose training runs on another type than its inference takes the mix of the
    two, weighted by their GPU-hours: the row times the GPU-lifetimes is then the sum of
    each part's GPU-lifetimes times its type's impacts.
    """
    a = s.ai
    types = list(dict.fromkeys(a.gpu + a.training_gpu)) or ["ai.gpu"]
    vectors = {p: _impact_vector(f, p) for p in types}
    if len(types) == 1:
        return vectors[types[0]]
    inference = np.stack([vectors[p] for p in a.gpu])
    if a.gpu == a.training_gpu:
        return inference
    training = np.stack([vectors[p] for p in a.training_gpu])
    _, used, _ = ai_inventory(a, f, s.period_years, f[defaults.factor_id(defaults.AI_PUE)])
    total = np.broadcast_to(used.inference + used.training, (s.count, f.samples))
    part = np.broadcast_to(used.training, total.shape)
    share = np.divide(part, total, out=np.zeros(total.shape), where=total > 0)
    return inference + share[..., np.newaxis] * (training - inference)


def characterisation_rows(s: ServiceArrays, f: FactorValues) -> list[np.ndarray]:
    """One row per activity, each broadcastable to (N, S, criteria).

    Rows that are the same object (a grid shared by several use activities) may be applied
    once to the sum of their activities' amounts: acvnum.analysis.uncertainty does so for speed.
    """
    first: dict[int, np.ndarray] = {}  # one view per row object: the same object stays one

    def services_first(row: np.ndarray) -> np.ndarray:
        if row.ndim == 2:
            return row
        if id(row) not in first:
            first[id(row)] = np.moveaxis(row, -1, 0)
        return first[id(row)]

    rows = _rows(s, f, [True] * len(ACTIVITIES))
    return [services_first(row) for row in rows if row is not None]


def _rows(s: ServiceArrays, f: FactorValues, wanted: list[bool]) -> list[np.ndarray | None]:
    """The characterisation rows, services last: (S, criteria) where every service has the
    same, (S, criteria, N) where each has its own; None for the activities not `wanted`. A
    row shared by several activities (a grid, the storage or traffic row) is made once,
    when first wanted; rows of different pieces are different objects (uncertainty sums
    the amounts of one object's activities), even where they hold the same vector."""
    made: dict[str, np.ndarray] = {}

    def piece(key: str) -> np.ndarray:
        if key not in made:
            # The devices' grid is the users' unless terminals.location says otherwise.
            alike = key == "network" and "terminals" in made
            if alike and s.user_region == s.terminal_region:
                made[key] = made["terminals"]
            else:
                made[key] = _PIECES[key](s, f)
        return made[key]

    rows: list[np.ndarray | None] = []
    for activity, want in zip(ACTIVITIES, wanted, strict=True):
        if not want:
            rows.append(None)
        elif activity.phase == "use":
            rows.append(piece(_grid_of(activity)))
        elif activity.item == "storage":
            rows.append(piece("storage"))
        elif activity.tier == "network" and activity.item in _BLOCK_TRAFFIC:
            rows.append(piece("traffic"))
        elif (activity.tier, activity.item) == ("datacenter", "servers"):
            rows.append(piece("servers"))
        elif activity.item == "ai_gpus":
            rows.append(_services_last(_ai_gpus(s, f)))
        else:
            rows.append(_impact_vector(f, _EMBODIED[activity.tier, activity.item]))
    return rows


def _services_last(row: np.ndarray) -> np.ndarray:
    """A row broadcastable to (N, S, criteria) as `_rows` keeps it: (S, criteria) as it
    is, (N, S, criteria) copied to (S, criteria, N)."""
    return row if row.ndim < 3 else np.ascontiguousarray(np.moveaxis(row, 0, -1))


def _grid_rows(f: FactorValues, regions: Regions) -> np.ndarray:
    """`_grid`, services last: one region's (S, criteria) row (a view of its own), or
    each service's region's gathered as (S, criteria, N), by the regions' codes."""
    used = np.flatnonzero(regions.used()).tolist()
    if len(used) == 1:
        return _held_grid(f, (regions.names[used[0]],))[..., 0]  # a view of its own
    # mode="clip": no bounds check a service (the codes index `names` by construction)
    return np.take(_held_grid(f, regions.names), regions.codes, axis=-1, mode="clip")


def _held_grid(f: FactorValues, names: tuple[str, ...]) -> np.ndarray:
    """(S, criteria, R) `_grid_table` of `names`, services last, made once per values and
    names (read-only, in `f.derived`): a lever pass's hosts name every region of the
    table, and stacking their rows anew took 7 of them a chunk, whatever its size."""
    key = "grid:" + "|".join(names)
    table = f.derived.get(key)
    if table is None:
        table = np.ascontiguousarray(np.moveaxis(_grid_table(f, list(names)), 0, -1))
        table.flags.writeable = False
        f.derived[key] = table
    return table


def _storage_row(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """Each service's storage type's embodied impacts: the one type's (a view) where all
    are alike, else gathered, services last."""
    hdd = s.storage_hdd[:, 0] == 1
    if hdd.all() or not hdd.any():
        return _impact_vector(f, "storage.hdd" if hdd.all() else "storage.ssd")[...]
    table = np.stack([_impact_vector(f, "storage.ssd"), _impact_vector(f, "storage.hdd")], -1)
    return np.take(table, hdd.astype(np.intp), axis=-1, mode="clip")  # codes 0 and 1


def _servers_row(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """The servers' embodied impacts weighed by each service's profile: where no group is
    configured every profile is 1, and x * 1 is x, so the medium server's vector (a view)."""
    vector = _impact_vector(f, "server.physical")
    if not any_configured(s):
        return vector[...]
    return _services_last(vector * _padded(server_profile(s, f)))


#: The rows shared by several activities, by name, services last: the grids of the users'
#: terminals and networks, of the hosting and of the AI, the storage, the block traffic,
#: the servers.
_PIECES = {
    "terminals": lambda s, f: _grid_rows(f, s.terminal_region),
    "network": lambda s, f: _grid_rows(f, s.user_region),
    "datacenter": lambda s, f: _grid_rows(f, s.host_region),
    "ai": lambda s, f: _services_last(_ai_grid(s, f)),
    "storage": _storage_row,
    "traffic": lambda s, f: _services_last(_block_traffic(s, f)),
    "servers": _servers_row,
}


def item_prefixes() -> tuple[str, ...]:
    """Every item whose embodied factors a row may read (electricity aside), sorted."""
    gpus = {gpu_prefix(gpu) for gpu in GPU_TYPES}
    return tuple(sorted({*_EMBODIED.values(), *gpus, "storage.ssd", "storage.hdd"}))


def _codes(names: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Distinct names in order of first appearance, and each entry's index among them
    (a dict, not np.unique: sorting 10,000 strings is what would cost)."""
    distinct = tuple(dict.fromkeys(names))
    if len(distinct) == 1:  # one name for all (an absent block's)
        return distinct, np.zeros(len(names), dtype=int)
    index = {name: k for k, name in enumerate(distinct)}
    return distinct, np.fromiter(map(index.__getitem__, names), int, len(names))


def _first_used(regions: Regions) -> tuple[tuple[str, ...], np.ndarray]:
    """`_codes` of regions, from their codes: the names used in order of first use, and
    each service's index among them."""
    n, names = len(regions.codes), len(regions.names)
    first = np.full(names, n)
    np.minimum.at(first, regions.codes, np.arange(n))
    used = np.flatnonzero(first < n)
    used = used[np.argsort(first[used], kind="stable")]
    renumbered = np.zeros(names, dtype=int)
    renumbered[used] = np.arange(len(used))
    return tuple(regions.names[k] for k in used.tolist()), renumbered[regions.codes]


def factor_prefixes(s: ServiceArrays) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """For each activity, the factor-id prefixes its rows read (`electricity.FRA`,
    `device.laptop`, `storage.hdd`; 'a+b' when a row mixes several items' factors) and, per
    service, the index of its own: the same choices as `characterisation_rows`, as names,
    so that acvnum.calculation.coverage can tell which criteria have a factor. Distinct
    names only (a handful), so a portfolio of 10,000 services costs one gather each."""
    regions = {
        "terminals": s.terminal_region,
        "network": s.user_region,
        "datacenter": s.host_region,
    }
    every = np.zeros(s.count, dtype=int)
    storage = (("storage.ssd", "storage.hdd"), (s.storage_hdd[:, 0] == 1).astype(int))
    grids = {key: _first_used(names) for key, names in regions.items()}
    grids["ai"] = _codes(s.ai.region)
    prefixes = []
    for activity in ACTIVITIES:
        if activity.phase == "use":
            names, index = grids[_grid_of(activity)]
            prefixes.append((tuple(f"electricity.{r}" for r in names), index))
        elif activity.item == "storage":
            prefixes.append(storage)
        elif activity.tier == "network" and activity.item in _BLOCK_TRAFFIC:
            prefixes.append((("network.fixed+network.mobile+network.box",), every))
        elif activity.item == "ai_gpus":
            gpu, training = s.ai.gpu, s.ai.training_gpu
            pairs = zip(gpu, training, strict=True)
            mixed = gpu if gpu == training else [g if g == t else f"{g}+{t}" for g, t in pairs]
            prefixes.append(_codes(mixed))
        else:
            prefixes.append(((_EMBODIED[activity.tier, activity.item],), every))
    return prefixes


def _grid_of(activity: Activity) -> str:
    """Whose electricity a use activity draws: its tier's, or the AI's for AI inference."""
    return "ai" if activity.item == "ai" else activity.tier


@dataclass(frozen=True, eq=False)
class Footprint:
    """Contributions of every activity to every criterion: shape (N, S, activities, criteria)."""

    contributions: np.ndarray
    inventory: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """(N, S, criteria)."""
        return self.contributions.sum(axis=2)

    def by(self, attribute: str, labels: tuple[str, ...]) -> np.ndarray:
        """(N, S, labels, criteria): the sum over the activities of each label."""
        return np.einsum("nsac,la->nslc", self.contributions, label_mask(attribute, labels))

    def by_tier(self) -> np.ndarray:
        return self.by("tier", TIERS)

    def by_phase(self) -> np.ndarray:
        return self.by("phase", PHASES)


def evaluate_totals(s: ServiceArrays, f: FactorValues) -> np.ndarray:
    """(N, S, criteria): `evaluate(s, f).total`, bit for bit, without the (N, S, activities,
    criteria) array, nor the (N, S, activities) inventory: each activity's column of amounts
    times its row, added in activity order, as the sum over that axis adds them (the
    levers' passes need only the totals, and most rows are one (S, criteria) vector shared
    by every service).

    An activity whose amounts are zero in every row (a block no service has, equipment no
    one keeps: 17 of 39 in a lever pass) is left out, its row not even made, its column not
    worked out where the inventory knows it is 0.0 (`present_columns`): adding its zero
    terms changes no sum but a zero one (-0.0 + 0.0 is 0.0), so the rows whose total has a
    zero are added again with every term. Its row is finite (a lever changes no factor,
    and the services' own figures were refused if not finite), so 0 x row is 0."""
    shape = (s.count, f.samples)
    amounts = [None if c is None else _spread(c, shape) for c in present_columns(s, f)]
    live = [a is not None and bool(a.any()) for a in amounts]
    if all(live) or not any(live):
        return _added(_zero_filled(amounts, shape), _rows(s, f, [True] * len(live)), shape)
    total = _added(amounts, _rows(s, f, live), shape)
    if not (total == 0).any():  # mostly: no row to look for (a twentieth of the rows' look)
        return total
    zero = np.flatnonzero((total == 0).any(axis=(1, 2)))
    if len(zero):
        every = _rows(s, f, [True] * len(live))
        total[zero] = _added(_zero_filled(amounts, shape), every, shape)[zero]
    return total


def _spread(column: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A column broadcast to (N, S); itself where it is that already (most, central)."""
    return column if column.shape == shape else np.broadcast_to(column, shape)


def _services_last_operand(row: np.ndarray) -> np.ndarray:
    """A row as `_rows` makes it, broadcastable to (S, criteria, N)."""
    return row if row.ndim == 3 else row[..., np.newaxis]


def _zero_filled(amounts: list[np.ndarray | None], shape: tuple[int, int]) -> list[np.ndarray]:
    """The amounts with a column of 0.0 for each the inventory left unmade."""
    zero = np.zeros(shape)
    return [zero if a is None else a for a in amounts]


def _added(
    amounts: list[np.ndarray | None], rows: list[np.ndarray | None], shape: tuple[int, int]
) -> np.ndarray:
    """(N, S, criteria): the terms amounts[a] x rows[a] ((N, S) amounts, rows as `_rows`
    makes them: (S, criteria) or, services last, (S, criteria, N)) of the rows not None,
    added in activity order from the first term.

    Worked as (S, criteria, N), the services last: each product and sum is then numpy's
    inner loop over the N services, contiguous on both sides (a row of one value per
    service is made services last, not moved there: a strided operand took numpy's slow
    loop), where (N, S, criteria) ran it over 8 criteria (the same products and sums)."""
    n, samples = shape
    terms = [
        (amount.T[:, np.newaxis, :], _services_last_operand(row))
        for amount, row in zip(amounts, rows, strict=True)
        if row is not None
    ]
    total = np.empty((samples, len(CRITERION_IDS), n))
    # Started from the first activity's terms, as the sum is (not from 0: -0.0 stays -0.0).
    np.multiply(*terms[0], out=total)
    term = np.empty_like(total)  # each term written here: no array made per activity
    for amount, row in terms[1:]:
        np.multiply(amount, row, out=term)
        total += term
    return np.ascontiguousarray(np.moveaxis(total, -1, 0))


def evaluate(s: ServiceArrays, f: FactorValues) -> Footprint:
    """The footprint of N services under S factor samples.

    Each activity's amounts times its row is worked out services last, (S, criteria, N),
    numpy's loop over the services on both sides (as the totals' terms are), then laid out
    (N, S, activities, criteria) in C order by one copy: the characterisation stacked as
    (N, S, activities, criteria) first was a copy a row, 8 values at a time (the same
    products). In C order, its sum over activities adds them in order."""
    shape = (s.count, f.samples)
    columns = [_spread(c, shape) for c in inventory_columns(s, f)]
    rows = _rows(s, f, [True] * len(columns))
    products = np.empty((f.samples, len(columns), len(CRITERION_IDS), s.count))
    for a, (column, row) in enumerate(zip(columns, rows, strict=True)):
        assert row is not None
        np.multiply(column.T[:, np.newaxis, :], _services_last_operand(row), out=products[:, a])
    contributions = np.ascontiguousarray(products.transpose(3, 0, 1, 2))
    return Footprint(contributions, np.stack(columns, axis=-1))
