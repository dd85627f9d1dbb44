"""Reading the files a user gives us, within bounds, with a located error when we cannot.

Every reader (questionnaire, factor table, result JSON, folder) goes through here, so the
limits are the same for all: at most MAX_BYTES are ever read, whatever the file claims to
be (`/dev/zero` reports a size of 0), only regular files are read (a FIFO without a writer
would block for ever), and a byte that is not text is reported at its own line and column.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from acvnum.errors import InputError, Message, Problem, Refusal, message

#: No questionnaire, factor table or result file we read needs more.
MAX_BYTES = 1_000_000
#: A folder stands for its questionnaires; more entries than this is not a folder of them.
MAX_FOLDER_ENTRIES = 10_000
#: A result JSON nests 6 levels; deeper is not one (and would exhaust Python's recursion).
MAX_JSON_DEPTH = 50
#: No figure needs more digits; Python refuses to read past 4,300 with a traceback.
MAX_JSON_DIGITS = 30
_CHUNK = 65_536

#: What a file that is not regular is, for the message that refuses it (catalogue keys).
_KINDS = (
    (stat.S_ISDIR, "file.kind.directory"),
    (stat.S_ISFIFO, "file.kind.fifo"),
    (stat.S_ISCHR, "file.kind.character_device"),
    (stat.S_ISBLK, "file.kind.block_device"),
    (stat.S_ISSOCK, "file.kind.socket"),
)

#: The OS refusals a user can cause, said in their words (catalogue keys).
_REASONS = {
    errno.ENOENT: "file.not_found",
    errno.ELOOP: "file.link_loop",
    errno.ENAMETOOLONG: "file.name_too_long",
    errno.EACCES: "file.permission_denied",
}
#: What the caller expected, in the catalogue's words ('is a directory, not a YAML file').
_EXPECTED = {
    "a YAML file": "file.expected.yaml",
    "a result JSON": "file.expected.result_json",
    "a factor table (CSV)": "file.expected.factor_table",
}


def _refusal(name: str, text: Message) -> InputError:
    return InputError([Problem(name, 1, 1, text)])


def _cannot_read(error: OSError) -> Message:
    """An OS refusal: in the user's words when we know it, else the system's own."""
    key = _REASONS.get(error.errno or 0)
    return message(key) if key else message("file.cannot_read", reason=error.strerror or str(error))


_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def _open(name: str, what: str) -> tuple[int, int]:
    """A descriptor on a regular file, and the size the system gives it. O_NONBLOCK keeps a
    FIFO without a writer from blocking the open; the kind is then checked on the open
    file, not on its name."""
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except OSError as error:
        raise _refusal(name, _cannot_read(error)) from None
    status = os.fstat(fd)
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((k for test, k in _KINDS if test(mode)), "file.kind.other")
        expected = message(_EXPECTED[what]) if what in _EXPECTED else what
        raise _refusal(name, message("file.not_regular", kind=message(kind), expected=expected))
    return fd, status.st_size


def _read(fd: int, name: str, count: int) -> bytes:
    try:
        return os.read(fd, count)
    except OSError as error:
        raise _refusal(name, _cannot_read(error)) from None


def _read_at_most(fd: int, name: str, expected: int | None = None) -> bytes:
    """Up to MAX_BYTES; one byte more is the proof the file is too large (the size the
    system gives may be stale, or 0 for a file made as it is read). `expected`: that size;
    a first read of exactly that many bytes, one more asked, is the whole file, with no
    second read to find its end (a portfolio reads 10,000 small files)."""
    chunks, size = [], 0
    if expected is not None and expected <= MAX_BYTES:
        first = _read(fd, name, expected + 1)
        if len(first) == expected:
            return first
        chunks.append(first)
        size = len(first)
    while size <= MAX_BYTES:
        chunk = _read(fd, name, min(_CHUNK, MAX_BYTES + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _refusal(name, message("file.too_large", limit=MAX_BYTES))


class _ReadAlready(Protocol):
    def get(self, name: str) -> bytes | None: ...


#: Files already read (`read_ahead`): read_bytes gives their bytes from here.
_READ_AHEAD: _ReadAlready = {}


def read_ahead(read: _ReadAlready | None) -> None:
    """Have read_bytes give the files `read` has (its `get(name)`: their bytes, or None)
    as they were read already (by acvnum.commands.read_ahead's child process, `read_into`)
    instead of reading them again; None forgets them."""
    global _READ_AHEAD
    _READ_AHEAD = {} if read is None else read


def read_into(name: str, room: memoryview) -> int | None:
    """Read file `name` into `room` if read_bytes would give its bytes: how many, or None
    when it is not a regular file of at most MAX_BYTES that fits, or cannot be read (then
    read_bytes reads it again, and says why)."""
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        size = status.st_size
        if not stat.S_ISREG(status.st_mode) or size > min(MAX_BYTES, len(room) - 1):
            return None
        got = os.readv(fd, [room[: size + 1]])  # one byte more: a file that grew is read again
        return got if got == size else None
    except OSError:
        return None
    finally:
        os.close(fd)


def read_bytes(path: Path | str, what: str = "a YAML file") -> bytes:
    """The bytes of a regular file of at most MAX_BYTES, or an InputError saying why not;
    `what` names the expected kind in the message ('is a directory, not a YAML file')."""
    name = os.fspath(path)
    read = _READ_AHEAD.get(name)
    if read is not None:
        return read
    fd, expected = _open(name, what)
    try:
        return _read_at_most(fd, name, expected)
    finally:
        os.close(fd)


def position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of the byte at `offset`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without its byte-order mark; an invalid byte or a NUL is reported where
    it is (a spreadsheet's 'CSV UTF-8' starts with a BOM: it is read, not refused)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = position(data, error.start)
        byte = data[error.start : error.start + 1].hex()
        refusal = message("file.not_utf8", byte=byte, reason=error.reason)
        raise InputError([Problem(name, line, column, refusal)]) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = position(data, nul)
        raise InputError([Problem(name, line, column, message("file.nul_byte"))])
    return text.removeprefix("\ufeff")


def read_text(path: Path | str, what: str = "a YAML file") -> str:
    """A UTF-8 text file, read within the bounds above, or an InputError saying why not."""
    name = os.fspath(path)
    return decode(read_bytes(name, what), name)


def is_folder(path: Path) -> bool:
    """Whether `path` is a directory; a name too long or a link loop is not one (reading
    it then says why), where `Path.is_dir` would raise."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def folder_entries(path: Path) -> list[Path]:
    """The entries of a folder, at most MAX_FOLDER_ENTRIES of them, or an InputError."""
    return [path / entry.name for entry in folder_scan(path)]


def folder_scan(path: Path) -> list[os.DirEntry[str]]:
    """`folder_entries` as the system lists them: a name and a kind each, without a Path or
    a stat call per entry (a folder of 10,000 files is listed before any worker starts)."""
    entries: list[os.DirEntry[str]] = []
    try:
        with os.scandir(path) as scan:
            for entry in scan:
                if len(entries) == MAX_FOLDER_ENTRIES:
                    crowded = message("file.crowded_folder", limit=MAX_FOLDER_ENTRIES)
                    raise _refusal(str(path), crowded)
                entries.append(entry)
    except OSError as error:
        raise _refusal(str(path), _cannot_read(error)) from None
    return entries


#: What the JSON scan looks at: strings (skipped whole), brackets, and the number forms
#: Python's reader takes but JSON does not have (NaN, Infinity) or that are too long. A
#: string left open runs to the end (possessively): every quote after it is not rescanned.
_JSON_TOKENS = re.compile(
    r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[{]|[\]}]|-?(?:NaN|Infinity)'
    rf"|-?\d[\d.eE+-]{{{MAX_JSON_DIGITS},}}"
)


def _json_refusal(text: str, offset: int, refusal: Message, name: str) -> InputError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return InputError([Problem(name, line, column, refusal)])


def _scan_json(text: str, name: str) -> None:
    """Refuse, at their line and column, what json.loads would take or choke on: nesting
    deeper than MAX_JSON_DEPTH, NaN and Infinity, numbers longer than MAX_JSON_DIGITS."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        first = token.group()[0]
        if first == '"':
            continue
        if first in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                deep = message("json.too_deep", depth=MAX_JSON_DEPTH)
                raise _json_refusal(text, token.start(), deep, name)
        elif first in "]}":
            depth -= 1
        elif "N" in token.group() or "I" in token.group():
            not_json = message("json.not_a_number", token=token.group())
            raise _json_refusal(text, token.start(), not_json, name)
        else:
            long = message("json.too_long", length=len(token.group()), most=MAX_JSON_DIGITS)
            raise _json_refusal(text, token.start(), long, name)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise Refusal("json.out_of_range", text=text)
    return number


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) < len(keys):
        duplicate = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise Refusal("json.duplicate", key=repr(duplicate[:60]))
    return dict(pairs)


#: The JSON reader's sentences (a finite set, in json.decoder and its C scanner), by
#: catalogue key: English shows the reader's own words, French its own.
JSON_SENTENCES = {
    "Expecting value": "value",
    "Expecting property name enclosed in double quotes": "property_name",
    "Expecting ':' delimiter": "colon",
    "Expecting ',' delimiter": "comma",
    "Unterminated string starting at": "unterminated",
    "Invalid control character at": "control",
    "Invalid \\escape": "escape",
    "Invalid \\uXXXX escape": "unicode_escape",
    "Extra data": "extra",
    "Illegal trailing comma before end of object": "trailing_comma",
    "Illegal trailing comma before end of array": "trailing_comma",
}


def _json_said(said: str) -> Message:
    """The JSON reader's sentence in the catalogue; the pure-Python reader adds the
    character to two ('Invalid \\escape: 'q''), which the key does not need."""
    key = JSON_SENTENCES.get(said) or JSON_SENTENCES.get(said.split(": ")[0])
    if key is None:
        key = "control" if said.startswith("Invalid control character") else "unknown"
    return message(f"json.said.{key}", said=said)


def strict_json(text: str, name: str) -> object:
    """JSON as the standard defines it, or an InputError at the line and column of the
    first problem: no NaN or Infinity, finite numbers, bounded nesting and digits, each
    key once."""
    _scan_json(text, name)
    try:
        return json.loads(text, parse_float=_finite_float, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        refusal = message("json.invalid", detail=_json_said(error.msg))
        raise InputError([Problem(name, error.lineno, error.colno, refusal)]) from None
    except Refusal as error:
        raise InputError(
            [Problem(name, 1, 1, message("json.invalid", detail=error.message))]
        ) from None
    except (ValueError, RecursionError) as error:
        refusal = message("json.invalid", detail=message("json.said.unknown", said=str(error)))
        raise InputError([Problem(name, 1, 1, refusal)]) from None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_position(text: str, path: Sequence[str | int]) -> tuple[int, int]:
    """The line and column (1-based) where the value at `path` (object keys and list
    indices) starts in `text`, JSON that strict_json took; where the path stops leading
    (a key missing, a list too short), the value that holds the rest."""
    skip = json.JSONDecoder().raw_decode
    at = _JSON_SPACE.match(text).end()
    for step in path:
        found = _json_member(text, at, step, skip)
        if found is None:
            break
        at = found
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _json_member(
    text: str, at: int, step: str | int, skip: Callable[[str, int], tuple[object, int]]
) -> int | None:
    """Where the value of key `step` (an object at `at`) or item `step` (a list) starts."""
    opening = text[at : at + 1]
    if opening != ("{" if isinstance(step, str) else "["):
        return None
    at = _JSON_SPACE.match(text, at + 1).end()
    index = 0
    while text[at : at + 1] not in ("}", "]", ""):
        if opening == "{":
            key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
            at = _JSON_SPACE.match(text, at).end() + 1  # past the ':'
            at = _JSON_SPACE.match(text, at).end()
            if key == step:
                return at
        elif index == step:
            return at
        index += 1
        at = _JSON_SPACE.match(text, skip(text, at)[1]).end()
        at = _JSON_SPACE.match(text, at + 1 if text[at : at + 1] == "," else at).end()
    return None


class Region(NamedTuple):
    """`size` bytes at `offset` of the open file `fd`: a piece of a document that a worker
    process wrote to a file it shares with this process (acvnum.commands.json_folder), so
    that the kernel copies it where it goes instead of it being pickled through a pipe.
    Once copied where it goes, its bytes are not needed again: `copied` frees them here;
    a worker's region is a json_folder._Handed, which tells the worker instead (it writes
    its next chunk over them).
    A NamedTuple, not a dataclass: this module is imported by every command, and a
    dataclass is some 0.7 ms of compiling at each start."""

    fd: int
    offset: int
    size: int

    def copied(self) -> None:
        """Said once its bytes are copied where they go: its pages are freed (`release`)."""
        release(self)


def write_pieces(fd: int, pieces: Sequence[bytes], offset: int) -> int:
    """Write `pieces` one after the other at `offset` of the file `fd`; how many bytes.

    A worker's chunk of services is some 32 pieces a service (26 MB at 1,000): written as
    they are (pwritev, up to _IOV_MAX at a time) they are not joined first, which was a
    copy of the whole and, in a fresh worker, new pages for it (measured at 500 services a
    chunk, 13 MB: 2.5 ms a chunk against 3.4 ms for the join and one write, and some 3,000
    pages)."""
    start = offset
    for first in range(0, len(pieces), _IOV_MAX):
        group = pieces[first : first + _IOV_MAX]
        size = sum(map(len, group))
        done = os.pwritev(fd, group, offset) if size else 0
        if done < size:  # a short write (a signal came): the rest, a piece at a time
            _write_rest(fd, group, offset, offset + done)
        offset += size
    return offset - start


def _write_rest(fd: int, group: Sequence[bytes], offset: int, written_to: int) -> None:
    """Write what is left of `group`, laid out from `offset`, after `written_to`."""
    at = offset
    for piece in group:
        view, position = memoryview(piece)[max(0, written_to - at) :], max(at, written_to)
        while view:
            count = os.pwrite(fd, view, position)
            if not count:  # nothing taken, no error said: it would never end
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            view, position = view[count:], position + count
        at += len(piece)


#: The most buffers one pwritev takes (POSIX's IOV_MAX: 1024 on Linux).
_IOV_MAX = 1024


#: What copy_file_range and sendfile say when they cannot copy between these two files
#: (another file system before Linux 5.3, a terminal, not Linux): then read and write.
_NO_KERNEL_COPY = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF}


def copy_range(fd: int, offset: int, size: int, target: BinaryIO) -> None:
    """Append `size` bytes at `offset` of `fd` to `target` (its buffer flushed first): in the
    kernel when both are files (a portfolio's document is some 260 MB), else read and
    written a megabyte at a time (a target without a descriptor: a notebook's stdout)."""
    target.flush()
    done = _kernel_copy(fd, offset, size, target)
    while done < size:
        piece = os.pread(fd, min(size - done, 1 << 20), offset + done)
        if not piece:
            raise OSError(errno.EIO, "the file ended before its region")
        target.write(piece)
        done += len(piece)
    target.flush()


def _kernel_copy(fd: int, offset: int, size: int, target: BinaryIO) -> int:
    """How many bytes the kernel copied (0: it cannot between these two)."""
    try:
        out = target.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return 0
    copy = getattr(os, "copy_file_range", None)
    if copy is None or not stat.S_ISREG(os.fstat(out).st_mode):
        copy = _sendfile
    done = 0
    try:
        while done < size:
            count = copy(fd, out, size - done, offset + done)
            if count == 0:
                break
            done += count
    except OSError as error:
        if done or error.errno not in _NO_KERNEL_COPY:
            raise
    return done


def release(region: Region) -> bool:
    """Free the pages of a region copied where it goes (Linux: a hole punched in its file;
    True where it could, False elsewhere or where its file system cannot).

    A portfolio's chunks pass through the workers' files on their way to the output: freed
    as they go, each chunk's pages are taken again by the next chunk written, instead of
    the whole document's (some 260 MB for 10,000 services) being new pages, which cost
    far more than recycled ones (measured on a 2-core VM: 263 MB written in 13 MB pieces,
    0.6-1.0 s of system time; 0.08-0.10 s with each piece punched out after it)."""
    punch = _hole_puncher()
    return punch is not None and punch(region.fd, _PUNCH_HOLE, region.offset, region.size) == 0


#: fallocate(2)'s FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE: free the range, keep the size.
_PUNCH_HOLE = 0x01 | 0x02


@cache
def _hole_puncher() -> Callable[[int, int, int, int], int] | None:
    """libc's fallocate, or None where there is none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # only a run with worker processes gets here

        fallocate = ctypes.CDLL(None, use_errno=True).fallocate64
    except (OSError, AttributeError):
        return None
    fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    fallocate.restype = ctypes.c_int
    return fallocate


def _sendfile(fd: int, out: int, count: int, offset: int) -> int:
    """os.sendfile with copy_file_range's arguments (to a pipe or a terminal)."""
    return os.sendfile(out, fd, offset, count)
