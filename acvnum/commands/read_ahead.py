"""A folder's files listed and read by a child process while this one imports the engine.

`estimate DIR --format json` spends its first ~0.15 s importing numpy, the models and the
report writers on one core, the other idle; then worker processes list, open and read the
folder's files (some 6 us a file: 60 ms of CPU for 10,000) between their real work. Forked
before those imports, a child lists the folder and reads its files into memory shared with
this process; the workers, forked later, find the bytes there. The child only reads, and
only what the listing saw to be a folder's regular files (a FIFO is never opened: its open
would wait for a writer): what it did not or could not read (named on the command line, not
a regular file, too large, unreadable) is read again where it is needed, which reports it
as ever; what it read is what that read would have given, read a
moment earlier (as the listing always was).

The child never waits on this process: it writes into an anonymous shared mapping and
exits. When the bytes are wanted (`taken`), a child not yet done is stopped where it is:
the files it finished are used, the others are read as usual. Linux only (fork, and the
workers it serves); elsewhere `start` returns None and nothing changes.

Measured on 10,000 generated services (2 cores, farm-bench, 15 runs paired with the run
before): 1.121 -> 1.081 s of wall time (median), the same CPU time: the reading moved to the
core that was idle.
"""

from __future__ import annotations

import marshal
import mmap
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from acvnum import files
from acvnum.errors import InputError
from acvnum.questionnaire.listing import expand_names

#: Bytes of files read ahead at most (the rest are read as usual): the mapping's pages are
#: only taken as they are written, so a folder of small files takes what it needs.
BUDGET = 64 << 20
#: A file's length saying it was not read ahead (too large, not regular, unreadable).
_UNREAD = 0xFFFFFFFF
#: The mapping starts with the child's progress: the listing's size, files done.
_HEADER = 16
#: The signals that stop a run, held while the child is forked.
_STOPS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def reading_ahead(paths: Sequence[str | Path], wanted: bool) -> Iterator[ReadAhead | None]:
    """A child reading `paths` ahead while the block runs (None: not `wanted`, or nothing
    to gain), stopped when it ends, and the files it read (handed to files.read_ahead by
    whoever took them) forgotten."""
    ahead = ReadAhead.start(paths) if wanted else None
    try:
        yield ahead
    finally:
        if ahead is not None:
            ahead.close()
            files.read_ahead(None)


class ReadAhead:
    """The child's process and mapping; `taken` ends the child and hands over its work."""

    def __init__(self, pid: int, mapping: mmap.mmap) -> None:
        self._pid: int | None = pid  # None once collected: the number may be another's then
        self._mapping = mapping

    @classmethod
    def start(cls, paths: Sequence[str | Path]) -> ReadAhead | None:
        """Fork the child for `paths` if one of them is a folder (a single file gains
        nothing), on Linux; None otherwise, or when the system refuses the mapping or the
        process (out of memory, too many processes): the run then reads as it always did."""
        if not sys.platform.startswith("linux") or not any(map(files.is_folder, map(Path, paths))):
            return None
        # Ctrl-C and SIGTERM are held across the fork: one that came before the child set
        # its own handling would unwind the child through this process's code.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            mapping = mmap.mmap(-1, BUDGET)
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            return None
        if pid == 0:
            _child(list(paths), mapping, held)  # never returns
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # one held comes now, here
        return cls(pid, mapping)

    def taken(self) -> tuple[list[str] | None, Shelf | None]:
        """The listing the child made (None if it did not finish it, or refused the
        paths: they are listed again, which says why) and the files it read (None: none)."""
        self.close()
        header = memoryview(self._mapping)[:_HEADER].cast("Q")
        listing_size, done = header.tolist()
        header.release()
        if not listing_size:
            return None, None
        listed = marshal.loads(self._mapping[_HEADER : _HEADER + listing_size])
        lengths, starts = _tables(self._mapping, _HEADER + listing_size, len(listed))
        index = dict(zip(listed[:done], range(done), strict=True))
        return listed, Shelf(index, lengths, starts, self._mapping)

    def join(self) -> None:
        """Wait for the child to finish its work (taken() does not: it stops it)."""
        if self._pid is not None:
            with suppress(ChildProcessError):  # already collected
                os.waitpid(self._pid, 0)
            self._pid = None

    def close(self) -> None:
        """Stop the child if it still runs, and collect it (once: its number may then be
        another process's); the mapping goes with the last Shelf using it."""
        if self._pid is not None:
            _stop(self._pid)
            self._pid = None


class Shelf:
    """The files the child read: `get(name)`, their bytes, or None (not read ahead)."""

    def __init__(
        self, index: dict[str, int], lengths: list[int], starts: list[int], mapping: mmap.mmap
    ) -> None:
        self._index, self._lengths, self._starts, self._mapping = index, lengths, starts, mapping

    def get(self, name: str) -> bytes | None:
        i = self._index.get(name)
        if i is None or self._lengths[i] == _UNREAD:
            return None
        start = self._starts[i]
        return self._mapping[start : start + self._lengths[i]]


def _tables(mapping: mmap.mmap, at: int, count: int) -> tuple[list[int], list[int]]:
    """The files' lengths (u32) and starts (u64) the child wrote from `at`."""
    view = memoryview(mapping)
    try:
        lengths = view[at : at + 4 * count].cast("I").tolist()
        at += 4 * count
        starts = view[at : at + 8 * count].cast("Q").tolist()
    finally:
        view.release()
    return lengths, starts


def _stop(pid: int) -> None:
    """End the child (if it is still at work) and collect its exit."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:  # already collected
        pass


def _child(paths: list[str | Path], mapping: mmap.mmap, mask: set[signal.Signals]) -> None:
    """In the child: list `paths`, publish the listing, then read the files one by one
    into the mapping, counting each when done. Ends with os._exit: no atexit handler, no
    flush of the parent's buffers, no traceback (Ctrl-C and SIGTERM end it quietly: held
    until their default is set, then `mask`, the parent's, is restored)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        regular: set[str] = set()  # only these are opened: a FIFO's open would wait
        try:
            listed = expand_names(paths, regular)
        except InputError:
            os._exit(0)
        blob = marshal.dumps(listed)
        tables = _HEADER + len(blob)
        at = tables + 12 * len(listed)  # the lengths (u32), the starts (u64), the bytes
        if at > len(mapping):
            os._exit(0)
        shared = memoryview(mapping)
        shared[_HEADER:tables] = blob
        header = shared[:_HEADER].cast("Q")
        header[0] = len(blob)
        lengths = shared[tables : tables + 4 * len(listed)].cast("I")
        starts = shared[tables + 4 * len(listed) : at].cast("Q")
        for i, name in enumerate(listed):
            length = files.read_into(name, shared[at:]) if name in regular else None
            lengths[i] = _UNREAD if length is None else length
            starts[i] = at
            at += length or 0
            header[1] = i + 1
    except BaseException:
        os._exit(1)
    os._exit(0)
