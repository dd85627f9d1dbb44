"""The result JSON of a folder (`estimate DIR --format json`), made in worker processes.

A large folder is cut into chunks of files; each worker process reads, validates, assesses
and encodes a chunk into a `json_format.Part` (bytes, a tally, citations) while this process
writes the parts in order: reading and encoding are most of a portfolio's time, and they
run on every core. A worker writes its chunks' bytes (some 26 MB each) to a temporary file
this process opened for it before the fork and hands back only where they are (a Region),
which the kernel copies into the document (where the document can take it at once:
common.write_chunks; the worker then writes its next chunk over it, see _Spill): pickled
through the pool's pipe, they cost this process, which shares the cores with the workers,
a second of CPU per 10,000 services.
Workers are forked after the imports, so they start with the modules and the factor tables
already loaded (Linux only). A small folder, or a machine with one core, is done in this
process, as is a run with --uncertainty (its portfolio interval samples every service
together; `stream` is not used then).

As in-process, every file is read even after a problem, all problems are raised together
at the end and nothing of the document is handed on after the first problem; Ctrl-C (or
SIGTERM) stops the workers and leaves no output behind. A worker that dies (killed, out of
memory) cannot hang the run: concurrent.futures reports it (multiprocessing.Pool would wait
for its chunk forever), and the chunks not yet received are done in this process, with a
warning.
"""

from __future__ import annotations

import gc
import math
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from acvnum.assessment import Settings, assess_services, batches
from acvnum.calculation.assumptions import DESIGN_DEFAULT
from acvnum.commands.common import spoken, terminate_cleanly
from acvnum.commands.cpu_quota import cpu_quota
from acvnum.errors import InputError, Problem, message
from acvnum.escaping import terminal
from acvnum.files import Region, read_ahead, release, write_pieces
from acvnum.questionnaire.service import expand_names, load_files
from acvnum.reference.factors import FactorTable, load_factors
from acvnum.reference.sources import cite
from acvnum.report import json_format

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from acvnum.commands.read_ahead import ReadAhead

#: Folders with fewer files are done in this process: starting workers costs more than
#: they save below this (measured: 300 generated services take as long either way).
PARALLEL_FROM = 300
#: Files per chunk at most: a chunk's results and bytes are what a worker holds (its peak
#: resident size: 93 MB at 500, 121 MB at 1,000). A chunk also costs a few ms whatever its
#: size (the engine's and the levers' array passes; some 28 M instructions). Measured on
#: 10,000 generated services, paired runs: 1,000 a chunk against 500, wall 0.98x (with
#: KEPT_ARENAS; before the arenas were kept, 1,000 gained nothing).
CHUNK = 1000
#: Files per chunk at least: a smaller chunk costs more in hand-overs than it spreads.
MIN_CHUNK = 50


@dataclass(frozen=True, eq=False)
class _Job:
    """What the forked workers inherit: the run's files, factor table and settings."""

    files: list[str]
    table: FactorTable
    settings: Settings
    size: int
    spills: tuple[int, ...] = ()  # a temporary file per worker (descriptors), unlinked
    taken: Any = None  # a multiprocessing.Value: how many of `spills` the workers took
    #: A multiprocessing.RawArray: per file of `spills`, how many of its regions this process
    #: has copied out (only this process writes it).
    copied: Any = None


_JOB: _Job | None = None

#: The signals that stop a run (Ctrl-C, SIGTERM), held while the workers are forked.
_STOPS = {signal.SIGINT, signal.SIGTERM}


class _Spill:
    """In a worker: its temporary file, where its chunks' bytes go one after the other, the
    parent copying each from there when its turn comes.

    Once the parent has copied out every region written so far, the next chunk is written
    from the file's start, over them: into pages the file already has. New pages cost some
    4 ms of system time a chunk of 500 files (13 MB), a tenth of a 10,000-service
    portfolio's system time (measured: 2.7 % less CPU in all, paired runs). While some are
    still to be copied, the chunk goes after them, and the regions already copied are freed
    (files.release): the file holds what the parent has yet to copy, and the chunk being
    written. Where the file cannot take a chunk (`region`), its bytes go back themselves."""

    def __init__(self, fd: int, index: int, copied: Any) -> None:
        self.fd = fd
        self.end = 0
        self.written = 0  # regions handed on
        self.kept: deque[Region] = deque()  # the last ones, in order, not known to be copied
        self._copied, self._index = copied, index

    def region(self, pieces: Sequence[bytes]) -> Region | bytes:
        """Write a chunk's `pieces` over the chunks copied out, or after the others; where
        they are. Where the file cannot take them (its folder full, a size limit), the
        bytes themselves, handed back through the pool's pipe as a chunk done in-process
        would be: the temporary folder's limit is not the document's."""
        self._free(self.written - self._copied[self._index])
        try:
            size = write_pieces(self.fd, pieces, self.end)
        except OSError:
            return b"".join(pieces)
        region = Region(self.fd, self.end, size)
        self.kept.append(region)
        self.end += region.size
        self.written += 1
        return region

    def _free(self, uncopied: int) -> None:
        """Start again from the file's start when every region is copied out; else free
        the pages of those that are."""
        if not uncopied:
            self.kept.clear()
            self.end = 0
        while len(self.kept) > uncopied:
            release(self.kept.popleft())


class _Handed(Region):
    """In the parent: a worker's region, which tells its worker when it is copied out (the
    worker then writes over it, or frees it: _Spill) instead of freeing its pages."""

    __slots__ = ()

    def copied(self) -> None:
        job = _JOB
        if job is not None and job.copied is not None:  # the run's: its workers may be at work
            job.copied[job.spills.index(self.fd)] += 1


_SPILL: _Spill | None = None  # a worker's, taken when it starts; None in the parent


def cores() -> int:
    """The cores this process may run on, fewer under a CPU quota (see cpu_quota: a
    container given 2 CPUs of a 64-core machine gets 2 workers, not 64, each some 120 MB)."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        available = os.cpu_count() or 1
    quota = cpu_quota()
    return available if quota is None else max(1, min(available, math.ceil(quota)))


def workers_for(count: int) -> int:
    """How many worker processes a folder of `count` files gets (0: none, in-process; so is
    a document small enough to be indented)."""
    available = cores()
    if count < max(PARALLEL_FROM, json_format.INDENT_UP_TO + 1) or available < 2:
        return 0
    # Forking a process that has loaded numpy is safe on Linux; macOS's system libraries are
    # not fork-safe and Windows cannot fork: there the run stays in-process.
    return min(available, 8) if sys.platform.startswith("linux") else 0


def stream(
    paths: list[str | Path], settings: Settings, ahead: ReadAhead | None = None
) -> Generator[bytes | Region, None, None]:
    """The result document of `paths` as UTF-8 pieces, in order (json_format.stream's
    document): from worker processes when the folder is large enough. `ahead`: a child
    listing and reading the folder since the command started (its listing and bytes are
    taken here, before the workers are forked)."""
    listed, read = ahead.taken() if ahead is not None else (None, None)
    if read is not None:
        read_ahead(read)  # forgotten when the command's reading_ahead block ends
    if listed is None:
        try:
            listed = expand_names(paths)
        except InputError:  # reported by `batches`, after a bad --factors table as ever
            listed = None
    files = listed or []
    workers = workers_for(len(files))
    if not workers:
        found = batches(paths, settings, files=listed)
        return json_format.stream(batch.services() for batch in found)
    table = load_factors(settings.factors_file)
    size = max(MIN_CHUNK, min(CHUNK, math.ceil(len(files) / (workers * 2))))
    workers = min(workers, math.ceil(len(files) / size))
    _warm(table, settings)
    return json_format.compact(_parts(_Job(files, table, settings, size), workers))


def _warm(table: FactorTable, settings: Settings) -> None:
    """Before the workers are forked, what each would otherwise do for itself: import the
    lever modules and read their catalogue, import orjson, list the table's sources and
    central values, find what each source text cites (some 5 ms a worker). Then everything
    made so far is frozen: the workers' collections leave the parent's objects (and so their
    shared pages) alone."""
    cited = [*table.sources(), DESIGN_DEFAULT]  # (also what a default from an answer cites)
    if settings.levers:
        # Imported here: only a large folder with levers needs them before its first chunk.
        from acvnum.analysis.levers import catalogue

        cited += [lever.source for lever in catalogue()]
    for text in cited:  # the citations' cache (read from disk) and what each text cites
        cite(text)
    json_format.encode({})
    table.central_values  # noqa: B018 (a cached property: made once, shared by the workers)
    gc.freeze()


def _parts(job: _Job, workers: int) -> Iterator[json_format.Part]:
    """The chunks' parts in order, until the first problem; then every chunk's problems.
    Those the workers could not do are done in this process: all of them when the system
    refuses the workers (a process or file limit), as it does for a small folder; those
    not yet received, with a warning, when a worker dies."""
    problems: list[Problem] = []
    received = 0
    try:
        for found in _from_workers(job, workers):
            received += 1
            yield from _kept(found, problems)
    except _Refused:
        pass
    except _broken():
        _warn_lost()
    for chunk in range(received, math.ceil(len(job.files) / job.size)):
        yield from _kept(_chunk_part(job, chunk), problems)
    if problems:
        raise InputError(problems)


class _Refused(Exception):
    """The system would not give the workers what they need: a process, a temporary file,
    shared memory (its OSError is the cause)."""


def _from_workers(job: _Job, workers: int) -> Iterator[json_format.Part | list[Problem]]:
    """Each chunk's part (or problems), in order, from `workers` forked processes; _Refused
    before the first when they cannot be started."""
    global _JOB
    # Imported here: only a large folder uses workers (see workers_for).
    import multiprocessing
    import tempfile

    spills: list[BinaryIO] = []
    try:
        try:
            spills += [tempfile.TemporaryFile() for _ in range(workers)]  # noqa: SIM115 - closed below
            context = multiprocessing.get_context("fork")
            taken, copied = context.Value("i", 0), context.RawArray("q", workers)
        except OSError as error:
            raise _Refused from error
        # The workers' copy, forked with them (the spills' descriptors too).
        spilled = tuple(f.fileno() for f in spills)
        _JOB = replace(job, spills=spilled, taken=taken, copied=copied)
        count = math.ceil(len(job.files) / job.size)
        with terminate_cleanly(), _executor(workers, context) as executor:
            yield from _submitted(executor, count)
    finally:
        _JOB = None
        for spill in spills:  # a region handed on is held open by its reader (common._Spool)
            spill.close()


def _kept(found: json_format.Part | list[Problem], problems: list[Problem]) -> Iterable:
    """A chunk's part, unless a problem came before it; its problems join the others."""
    if isinstance(found, list):
        problems += found
        return ()
    if problems:
        return ()
    if isinstance(found.services, Region):  # from a worker's file
        found = replace(found, services=_Handed(*found.services))
    return (found,)


def _submitted(executor: ProcessPoolExecutor, count: int) -> Iterator:
    """Every chunk handed to the workers, their results in order; _Refused if the workers
    cannot be forked. Ctrl-C is held while the workers are forked (they are forked when the
    first chunk is handed over): one that came then would leave the workers already
    started running."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        results = executor.map(_work, range(count))
    except (OSError, RuntimeError) as error:  # no process, or no thread to manage them
        raise _Refused from error
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held comes now
    return results


def _broken() -> type[Exception]:
    """The error concurrent.futures raises when a worker died (imported with it)."""
    from concurrent.futures.process import BrokenProcessPool

    return BrokenProcessPool


def _warn_lost() -> None:
    """Say on stderr that a worker died and the rest is done here (the result is the same)."""
    note = message("workers.lost").render(spoken())
    sys.stderr.write(terminal(f"acvnum: {note}") + "\n")


@contextmanager
def _executor(workers: int, context: Any) -> Iterator[ProcessPoolExecutor]:
    """Workers forked by the multiprocessing `context`, stopped on leaving: at once after
    Ctrl-C or a problem (the chunks not started are dropped, the running ones ended), after
    their last chunk otherwise."""
    # Imported here: only a large folder uses workers (see workers_for).
    from concurrent.futures import ProcessPoolExecutor

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])  # (blocking nothing: read only)
    executor = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(os.getpid(), mask)
    )
    try:
        yield executor
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now: drop the chunks not started, end the running ones, then wait
    for the pool's manager thread to close its pipe: left running, it raced Python 3.11's
    exit, which wakes it through that pipe ('Exception ignored ... Bad file descriptor'
    after the run's own message, about one run in ten after a worker's error)."""
    manager = getattr(executor, "_executor_manager_thread", None)  # shutdown() forgets it
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()  # (it shuts the pool down too, after taking the workers)
    else:
        # Taken before shutdown(), which forgets them: they were then left to end their
        # chunks, and the exit waited for them.
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()  # before 3.14 the only way; the workers hold nothing to save
    if manager is not None:
        manager.join(timeout=10)  # it ends once it sees the workers gone


def _work(chunk: int) -> json_format.Part | list[Problem]:
    """In a worker: a chunk's part, its bytes in the worker's file, or its problems."""
    assert _JOB is not None, "forked from _from_workers"
    return _chunk_part(_JOB, chunk, None if _SPILL is None else _SPILL.region)


def _chunk_part(
    job: _Job, chunk: int, write: Callable[[list[bytes]], Region | bytes] | None = None
) -> json_format.Part | list[Problem]:
    """A chunk's part, or the problems of its files; `write`: where its bytes go (None:
    they are the part's, as in this process or where no file was left for a worker)."""
    files = job.files[chunk * job.size : (chunk + 1) * job.size]
    try:
        services = load_files(files, job.table)
        assessed = assess_services(services, job.table, job.settings).services()
    except InputError as error:
        return error.problems
    return json_format.part(assessed, first=chunk == 0, write=write)


def _start(parent: int, mask: set[signal.Signals]) -> None:
    """A worker's start: signals as _quiet says, freed memory and small-object arenas kept, a
    temporary file of its own."""
    _quiet(parent, mask)
    keep_freed_memory()
    assert _JOB is not None, "forked from _from_workers"
    keep_arenas(arenas_for(_JOB.size))
    _take_spill()


#: glibc's mallopt parameters (malloc.h) and the values a worker sets.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: Freed memory at the top of the heap is handed back to the system above this only: a
#: worker's chunks each need some 100 MB, and gave them back after every chunk.
TRIM_THRESHOLD = 256 << 20
#: Blocks from this size up get pages of their own (glibc's largest automatic threshold).
#: Left automatic, the threshold follows the blocks freed, and a chunk's large arrays
#: came and went by mmap each time.
MMAP_THRESHOLD = 32 << 20


def keep_freed_memory() -> bool:
    """Have glibc's malloc keep what a chunk frees for the next one (True where it could).

    Each page a process takes anew costs a fault in the kernel: with glibc's automatic
    settings, a worker handed a chunk's memory back and took it again for the next, some
    8,000 pages a chunk (measured on 10,000 generated services: 171,000 faults and 1.4 s of
    system time in the workers; so set, 66,000 faults and 0.9 s). The peak is the same (a
    worker keeps what its largest chunk took); what stays is freed when the worker ends.
    Elsewhere (another C library, not Linux) nothing changes.
    """
    try:
        import ctypes  # only in a worker process, only here

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )


#: Python's small-object arenas a worker keeps (of 1 MiB) for chunks of CHUNK files (fewer
#: for smaller chunks): a chunk of 1,000 generated services has some 42 in use at its peak,
#: 15 of them the imports' (sys._debugmallocstats).
#: Measured on 10,000 services, paired runs: at 500 a chunk, 24 kept against none, wall
#: 0.98x; at 1,000, 16 or 32 no better than 24, 40 the same for 8 MB more (each arena kept
#: is faulted in at the worker's start).
KEPT_ARENAS = 24
#: Small objects made per arena to keep one (bytes of 433: pymalloc's 448-byte class, 36 to
#: a 16 KiB pool, 2,304 to an arena) and one kept in so many: two or three an arena.
_PER_ARENA, _KEEP_ONE_IN = 2304, 1000
_KEPT: list[bytes] = []


def arenas_for(size: int) -> int:
    """The arenas a worker keeps for chunks of `size` files: KEPT_ARENAS for CHUNK, fewer
    in proportion for smaller chunks (a folder of 1,000 on 2 cores has chunks of 250: a
    worker's peak 72 -> 56 MB, CPU 0.96x)."""
    return min(KEPT_ARENAS, math.ceil(KEPT_ARENAS * size / CHUNK))


def keep_arenas(count: int) -> None:
    """Keep `count` arenas of Python's small-object allocator for the next chunks.

    CPython takes the memory of small objects (up to 512 bytes) in arenas of 1 MiB and
    gives an arena back to the system as soon as it holds none: a chunk's small objects
    (the numbers' texts of its JSON, its questionnaires' records) took some six arenas
    anew at every chunk of 500, each page a kernel fault (1,500-2,000 a chunk after the first,
    against 0-700 so kept). An object left in an arena keeps it: `count` arenas' worth of
    objects are made here, one in _KEEP_ONE_IN kept for the worker's life. Elsewhere than
    CPython this only costs the objects' making."""
    made = [bytes(400) for _ in range(count * _PER_ARENA)]
    _KEPT[:] = made[::_KEEP_ONE_IN]


def _take_spill() -> None:
    """Take the first temporary file no other worker has taken."""
    global _SPILL
    assert _JOB is not None, "forked from _from_workers"
    with _JOB.taken.get_lock():
        index = _JOB.taken.value
        _JOB.taken.value += 1
    if index < len(_JOB.spills):
        _SPILL = _Spill(_JOB.spills[index], index, _JOB.copied)


def _quiet(parent: int, mask: set[signal.Signals]) -> None:
    """A worker leaves Ctrl-C to the parent, which stops it, ends at once when stopped (the
    parent's SIGTERM handler would unwind it with a traceback), and when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    _end_with(parent)


def _end_with(parent: int) -> None:
    """Linux: be sent SIGTERM when the parent ends, even killed (elsewhere the pool stops
    its workers whenever the parent ends by itself)."""
    try:
        import ctypes  # only in a worker process, only here

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before: nobody will send it
        os._exit(1)
