"""Monte Carlo propagation of the factors' ranges (and of questionnaire ranges) through the engine.

Distribution. Every uncertain quantity has a central value v and a range [low, high]. It is
drawn from a *split lognormal*: its median is v, its 5th percentile low and its 95th
percentile high, each half of the distribution having its own spread
(sigma_low = ln(v / low) / 1.645 below the median, sigma_high = ln(high / v) / 1.645 above).
An asymmetric range therefore stays asymmetric, never goes negative, and keeps the central
value as the most likely middle: the deterministic result is the sample median of every
factor. A range that reaches zero (low <= 0) cannot be lognormal: such a quantity is a split
*normal* with the same percentiles, clipped at zero when low >= 0. low == high is exact.

Sampling. One seeded numpy Generator draws standard normal scores for every uncertain
quantity, chunk after chunk of samples; each chunk goes through the engine in one vectorised
evaluation. The draws are sequential, so the results do not depend on the chunk size. A
worker thread draws the next chunk while the engine evaluates the current one, and takes
half of the percentiles' rows: numpy releases the GIL in both, so two cores overlap them,
and the numbers are those of a sequential run.

Memory. A chunk holds at most CHUNK_CELLS numbers per (services, samples, activities,
criteria) array (8 MB), whatever the sample count; two chunks are in flight at a time. What
is kept for the percentiles is the impact by tier and criterion of every service and sample
plus their totals: 192 bytes per service-sample (e.g. 192 MB for 1,000,000 samples of one
service); the percentiles are taken in place. Runs above MAX_SERVICE_SAMPLES
service-samples (about 400 MB) are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from acvnum.calculation.engine import characterisation_rows
from acvnum.calculation.inventory import ACTIVITIES, TIERS, ServiceArrays, inventory
from acvnum.errors import TooManySamples
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import FactorTable, FactorValues

Z95 = 1.6448536269514722  # the standard normal's 95th percentile
PERCENTILES = (5.0, 50.0, 95.0)
DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 0
CHUNK_CELLS = 2**20
MAX_SERVICE_SAMPLES = 2_000_000
SENSITIVITY_SAMPLES = 10_000


class SplitDistribution:
    """K uncertain quantities: central values and 5th/95th percentiles, each of shape (K,)."""

    def __init__(self, central: np.ndarray, low: np.ndarray, high: np.ndarray):
        self.central, self.low, self.high = central, low, high
        self.logarithmic = low > 0

        def positive(values: np.ndarray) -> np.ndarray:
            return np.where(self.logarithmic, values, 1.0)

        log_below = np.log(positive(central) / positive(low))
        log_above = np.log(positive(high) / positive(central))
        #: The sigma of each half, in log units (lognormal) or in the quantity's unit.
        self.below = np.where(self.logarithmic, log_below, central - low) / Z95
        self.above = np.where(self.logarithmic, log_above, high - central) / Z95

    def quantiles(self, z: np.ndarray, axis: int = -1) -> np.ndarray:
        """The values at standard normal scores z, same shape; the K quantities along `axis`.

        propagate passes scores transposed to (K, S) (axis=0): each quantity's samples are
        then contiguous, which is how the engine reads them, one factor at a time.
        """
        shape = [1] * z.ndim
        shape[axis] = -1

        def along(values: np.ndarray) -> np.ndarray:
            return values.reshape(shape)

        central, logarithmic = along(self.central), along(self.logarithmic)
        # step = z x (below if z < 0 else above), branch-free: on random signs np.where
        # mispredicts half its branches and took 3x as long. Exact: one term is always 0.
        step = np.minimum(z, 0.0, dtype=float)
        step *= along(self.below)
        upper = np.maximum(z, 0.0, dtype=float)
        upper *= along(self.above)
        step += upper
        if self.logarithmic.all():
            np.exp(step, out=step)
            step *= central
            return step
        lognormal = central * np.exp(np.where(logarithmic, step, 0.0))
        normal = central + step
        normal = np.where(along(self.low) >= 0, np.maximum(normal, 0.0), normal)
        return np.where(logarithmic, lognormal, normal)


class SampledFactors(FactorValues):
    """Factor values for S samples where only the uncertain factors are materialised.

    The other factors are zero-stride views of their central value: no (S, F) matrix.
    """

    def __init__(self, table: FactorTable, sampled: dict[str, np.ndarray], samples: int):
        super().__init__(table, table.values[np.newaxis, :])
        self.sampled = sampled
        self.count = samples

    def __getitem__(self, factor_id: str) -> np.ndarray:
        column = self.sampled.get(factor_id)
        if column is not None:
            return column
        return np.broadcast_to(self.table.values[self.table.position[factor_id]], (self.count,))

    @property
    def samples(self) -> int:
        return self.count


def tier_impacts(arrays: ServiceArrays, factors: FactorValues) -> np.ndarray:
    """(N, tiers, S, criteria): the engine's contributions summed by tier.

    Equal to summing evaluate(...).contributions by tier, without materialising the
    (N, S, activities, criteria) arrays: activities sharing a characterisation row (the
    users' or the hosting grid) are summed first, then multiplied once. Tiers come before
    samples so that each tier accumulates into one contiguous block (twice as fast as
    adding into a strided (N, S, tiers, criteria) view).
    """
    amounts = inventory(arrays, factors)
    rows = characterisation_rows(arrays, factors)
    n, s = amounts.shape[:2]
    out = np.zeros((n, len(TIERS), s, len(CRITERION_IDS)))
    for t, tier in enumerate(TIERS):
        groups: dict[int, tuple[np.ndarray, list[int]]] = {}
        for a, activity in enumerate(ACTIVITIES):
            if activity.tier == tier:
                groups.setdefault(id(rows[a]), (rows[a], []))[1].append(a)
        for row, members in groups.values():
            amount = (
                amounts[..., members].sum(axis=-1) if len(members) > 1 else amounts[..., members[0]]
            )
            out[:, t] += amount[..., np.newaxis] * row
    return out


# --- which quantities are uncertain ------------------------------------------------------


@dataclass(frozen=True)
class InputCell:
    """One questionnaire range: the ServiceArrays field it feeds and the row it occupies."""

    field: str  # a ServiceArrays field, or "<part>.<field>" for a field of a part of them
    row: int
    service: int


#: The parts of ServiceArrays with fields of their own: server groups (one row per group)
#: and the optional blocks (one row per service).
_PARTS = ("servers", "ai", "video", "messages")


def _numeric_fields(arrays: Any, prefix: str = "") -> Iterator[str]:
    for item in fields(arrays):
        value = getattr(arrays, item.name)
        if isinstance(value, np.ndarray) and value.dtype == float and value.ndim == 2:
            yield prefix + item.name


def _split(name: str) -> tuple[str | None, str]:
    """'servers.power' -> ('servers', 'power'); 'gigabytes' -> (None, 'gigabytes')."""
    part, _, rest = name.partition(".")
    return (part, rest) if rest else (None, name)


def _field(arrays: ServiceArrays, name: str) -> np.ndarray:
    part, field_name = _split(name)
    return getattr(getattr(arrays, part) if part else arrays, field_name)


def input_cells(low: ServiceArrays, high: ServiceArrays) -> list[InputCell]:
    """Every (field, row) where the low and high questionnaires differ."""
    names = [*_numeric_fields(low)]
    for part in _PARTS:
        names += _numeric_fields(getattr(low, part), f"{part}.")
    cells = []
    for name in names:
        lo, hi = _field(low, name)[:, 0], _field(high, name)[:, 0]
        owner = low.servers.service if name.startswith("servers.") else np.arange(low.count)
        for row in np.flatnonzero((lo != hi) & ~np.isnan(lo)):
            cells.append(InputCell(name, int(row), int(owner[row])))
    return cells


def _with_inputs(
    arrays: ServiceArrays, cells: list[InputCell], values: np.ndarray
) -> ServiceArrays:
    """The arrays with each cell's row replaced by its samples (values: (S, cells))."""
    columns: dict[str, np.ndarray] = {}
    for k, cell in enumerate(cells):
        if cell.field not in columns:
            base = _field(arrays, cell.field)
            columns[cell.field] = np.repeat(base, values.shape[0], axis=1)
        columns[cell.field][cell.row] = values[:, k]
    changed: dict[str | None, dict[str, np.ndarray]] = {}
    for name, column in columns.items():
        part, field_name = _split(name)
        changed.setdefault(part, {})[field_name] = column
    parts = {part: replace(getattr(arrays, part), **changed[part]) for part in changed if part}
    return replace(arrays, **changed.get(None, {}), **parts)


def _chunk_size(services: int) -> int:
    return max(1, CHUNK_CELLS // (services * len(ACTIVITIES) * len(CRITERION_IDS)))


def relevant_factors(arrays: ServiceArrays, table: FactorTable) -> np.ndarray:
    """(N, F) booleans: the factors that are uncertain and change the service's result.

    One probe evaluation, chunked: sample k moves factor k to the far end of its range.
    """
    candidates = np.flatnonzero(table.low != table.high)
    far = np.where(table.high != table.values, table.high, table.low)
    central_result = tier_impacts(arrays, table.central()).sum(axis=1)
    mask = np.zeros((arrays.count, len(table.ids)), dtype=bool)
    step = _chunk_size(arrays.count)
    for start in range(0, len(candidates), step):
        chosen = candidates[start : start + step]
        sampled = {
            table.ids[k]: np.where(np.arange(len(chosen)) == i, far[k], table.values[k])
            for i, k in enumerate(chosen)
        }
        probe = tier_impacts(arrays, SampledFactors(table, sampled, len(chosen))).sum(axis=1)
        moved = np.abs(probe - central_result) > 1e-12 * np.abs(central_result) + 1e-300
        mask[:, chosen] = moved.any(axis=2)
    return mask


# --- propagation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Propagation:
    """Percentiles of the sampled impacts, and what the sensitivity analysis needs."""

    samples: int
    seed: int
    tiers: np.ndarray  # (percentiles, N, tiers, criteria)
    totals: np.ndarray  # (percentiles, N, criteria)
    portfolio: np.ndarray  # (percentiles, criteria): the sum over the services
    scores: np.ndarray  # (first samples, drivers): the standard normal draws
    outputs: np.ndarray  # (N, first samples, criteria): the totals of those samples
    factor_ids: tuple[str, ...]  # the sampled factors, first drivers
    cells: list[InputCell]  # the questionnaire ranges, next drivers
    relevant: np.ndarray  # (N, drivers): which drivers can move each service


def _chunks(samples: int, step: int) -> list[tuple[int, int]]:
    return [(start, min(samples, start + step)) for start in range(0, samples, step)]


@dataclass(frozen=True)
class _Draw:
    """One chunk of samples: the scores (samples, K) and the values (K, samples)."""

    start: int
    stop: int
    scores: np.ndarray
    values: np.ndarray


def _draws(
    distribution: SplitDistribution,
    width: int,
    chunks: list[tuple[int, int]],
    seed: int,
    pool: ThreadPoolExecutor,
) -> Iterator[_Draw]:
    """The chunks' scores and values, each drawn on the worker while the previous one is used.

    Why a worker: drawing the normal scores and turning them into values takes as long as the
    engine's evaluation, and numpy releases the GIL in both, so on two cores they overlap it.
    The one worker draws the chunks in order from one Generator: the stream, hence every
    result, is the same as in a sequential run.
    """
    rng = np.random.default_rng(seed)

    def draw(start: int, stop: int) -> _Draw:
        scores = rng.standard_normal((stop - start, width), dtype=np.float32)
        values = distribution.quantiles(np.ascontiguousarray(scores.T), axis=0)
        return _Draw(start, stop, scores, values)

    if not chunks:
        return
    pending = pool.submit(draw, *chunks[0])
    for following in [*chunks[1:], None]:
        current = pending.result()
        if following is not None:
            pending = pool.submit(draw, *following)
        yield current


def _percentiles(values: np.ndarray, pool: ThreadPoolExecutor) -> np.ndarray:
    """np.percentile(values, PERCENTILES, axis=-1), half of the rows on the worker.

    The partitions behind np.percentile release the GIL and each row is independent: two
    cores halve the time, with the same numbers. `values` is partitioned in place.
    """
    rows = values.reshape(-1, values.shape[-1])
    half = len(rows) // 2

    def part(block: np.ndarray) -> np.ndarray:
        return np.percentile(block, PERCENTILES, axis=-1, overwrite_input=True)

    first = pool.submit(part, rows[:half])
    second = part(rows[half:])
    both = np.concatenate([first.result(), second], axis=1)
    return both.reshape(len(PERCENTILES), *values.shape[:-1])


def _distribution(
    central: ServiceArrays,
    low: ServiceArrays,
    high: ServiceArrays,
    table: FactorTable,
    chosen: np.ndarray,
    cells: list[InputCell],
) -> SplitDistribution:
    """The sampled factors (chosen) then the questionnaire ranges (cells), in driver order."""

    def ends(arrays: ServiceArrays, column: np.ndarray) -> np.ndarray:
        inputs = [_field(arrays, c.field)[c.row, 0] for c in cells]
        return np.concatenate([column[chosen], inputs])

    return SplitDistribution(
        ends(central, table.values), ends(low, table.low), ends(high, table.high)
    )


def propagate(
    central: ServiceArrays,
    low: ServiceArrays,
    high: ServiceArrays,
    table: FactorTable,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Propagation:
    """Sample every uncertain factor and questionnaire range; percentiles by tier and total."""
    n = central.count
    if n * samples > MAX_SERVICE_SAMPLES:
        raise TooManySamples(
            "sampling.too_many_samples", services=n, samples=samples, limit=MAX_SERVICE_SAMPLES
        )
    relevant_by_factor = relevant_factors(central, table)
    chosen = np.flatnonzero(relevant_by_factor.any(axis=0))
    factor_ids = tuple(table.ids[k] for k in chosen)
    cells = input_cells(low, high)
    distribution = _distribution(central, low, high, table, chosen, cells)
    kept = np.empty((n, len(TIERS), len(CRITERION_IDS), samples))  # samples last: contiguous
    first = min(samples, SENSITIVITY_SAMPLES)
    scores = np.empty((first, len(chosen) + len(cells)))
    with ThreadPoolExecutor(max_workers=1) as pool:
        chunks = _chunks(samples, _chunk_size(n))
        for draw in _draws(distribution, len(chosen) + len(cells), chunks, seed, pool):
            start, stop = draw.start, draw.stop
            if start < first:
                scores[start : min(stop, first)] = draw.scores[: first - start]
            factors = SampledFactors(
                table, dict(zip(factor_ids, draw.values, strict=False)), stop - start
            )
            inputs = draw.values[len(chosen) :].T
            arrays = _with_inputs(central, cells, inputs) if cells else central
            kept[..., start:stop] = np.swapaxes(tier_impacts(arrays, factors), 2, 3)
        totals = kept.sum(axis=1)  # (N, criteria, samples)
        outputs = np.moveaxis(totals[..., :first], -1, 1).copy()
        # One service: the portfolio is that service, its percentiles those of its totals.
        portfolio = totals.sum(axis=0) if n > 1 else None
        by_total = _percentiles(totals, pool)
        by_tier = _percentiles(kept, pool)
        by_portfolio = by_total[:, 0] if portfolio is None else _percentiles(portfolio, pool)
    owner = np.array([c.service for c in cells], dtype=int) == np.arange(n)[:, np.newaxis]
    return Propagation(
        samples=samples,
        seed=seed,
        tiers=by_tier,
        totals=by_total,
        portfolio=by_portfolio,
        scores=scores,
        outputs=outputs,
        factor_ids=factor_ids,
        cells=cells,
        relevant=np.concatenate([relevant_by_factor[:, chosen], owner], axis=1),
    )
