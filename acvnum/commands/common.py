"""What every command shares: bad input -> exit 2 with located messages; safe output."""

from __future__ import annotations

import codecs
import errno
import io
import os
import shutil
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from acvnum.errors import ExitCode, InputError, Message, Problem, message, shown
from acvnum.escaping import terminal, terminal_line
from acvnum.files import Region, copy_range


class Lang(StrEnum):
    en = "en"
    fr = "fr"


def _dash_is_standard_output(output: Path | None) -> Path | None:
    """'-o -' prints, as '-' means standard output to most commands: it wrote a file named
    '-', and the next run refused to overwrite it (a path to it, `-o "$PWD/-"`, still does)."""
    return None if output is not None and str(output) == "-" else output


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file.",
        callback=_dash_is_standard_output,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")]
LANG_HELP = "(default: the locale's, from LC_ALL, LC_MESSAGES or LANG; else en)"
LangOption = Annotated[
    Lang | None, typer.Option("--lang", help=f"Language of the report: en or fr {LANG_HELP}.")
]


#: The run's language once its command has chosen it (`speak`): the messages made far from
#: the command's options ('cannot write PATH') are shown in it.
_SPOKEN: ContextVar[str | None] = ContextVar("spoken", default=None)


def speak(lang: str | None) -> None:
    """Make `lang` the language of the run's messages (None: the locale's again)."""
    _SPOKEN.set(lang)


def spoken() -> str:
    """The run's language: the command's choice (`speak`), else the locale's."""
    return _SPOKEN.get() or language(None)


def language(chosen: Lang | None, environ: dict[str, str] | None = None) -> str:
    """--lang when given, else French when the locale is (the first of LC_ALL, LC_MESSAGES
    and LANG that is set decides, as POSIX orders them), else English."""
    if chosen is not None:
        return chosen.value
    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return Lang.fr.value if value.lower().startswith("fr") else Lang.en.value
    return Lang.en.value


FactorsOption = Annotated[
    Path | None,
    typer.Option("--factors", help="Your own factor table (CSV), merged over the defaults."),
]


class NetworkModel(StrEnum):
    per_gb = "per_gb"
    energy = "energy"
    power = "power"


#: Every command that calculates offers it, so a check or a diff runs the model an estimate ran.
NetworkModelOption = Annotated[
    NetworkModel | None,
    typer.Option(
        "--network-model",
        help="Network allocation for every file, over usage.network_model: per_gb "
        "(ADEME reference), energy (kWh per GB only) or power (per connection-hour + per GB).",
    ),
]


def network_model(chosen: NetworkModel | None) -> str | None:
    return chosen.value if chosen is not None else None


#: Problems printed before the rest are only counted: a million bad rows is one screen.
MAX_SHOWN_PROBLEMS = 50


def print_problems(problems: list[Problem], lang: str | None = None) -> None:
    """One line per problem on stderr, file:line:column first, like a compiler, in the run's
    language (`lang`, else the locale's); past MAX_SHOWN_PROBLEMS, how many more there are."""
    lang = lang or spoken()
    count = len(problems)
    for problem in problems[:MAX_SHOWN_PROBLEMS]:
        sys.stderr.write(f"{terminal_line(problem.render(lang))}\n")  # a key's '\n' too
    if count > MAX_SHOWN_PROBLEMS:
        rest = count - MAX_SHOWN_PROBLEMS  # one more is said in the singular
        more = message("problems.more_one" if rest == 1 else "problems.more", count=rest)
        sys.stderr.write(f"acvnum: {more.render(lang)}\n")
    found = message("problems.found_one" if count == 1 else "problems.found", count=count)
    sys.stderr.write(f"acvnum: {found.render(lang)}\n")


@contextmanager
def input_errors(lang: str | None = None) -> Iterator[None]:
    """Turn InputError into its exit code (2) with its messages in `lang` (else the locale's
    language), never a traceback."""
    try:
        yield
    except InputError as error:
        print_problems(error.problems, lang)
        raise typer.Exit(error.exit_code) from None


def fail(
    text: str | Message, lang: str | None = None, code: ExitCode = ExitCode.BAD_INPUT
) -> typer.Exit:
    """A usage problem that has no file position: message on stderr (a catalogued one in
    `lang`, else the locale's language), exit `code` (an AcvnumError's own, when one is
    the problem)."""
    sys.stderr.write(f"acvnum: {terminal(shown(text, lang or spoken()))}\n")
    return typer.Exit(code)


def cannot_write(path: Path, reason: str | Message) -> typer.Exit:
    """The one message for an output that cannot be written: exit 2, never a traceback.
    `reason`: catalogued, or the system's own words (an OSError's)."""
    return fail(message("output.cannot_write", path=str(path), reason=reason))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_writable(path: Path) -> None:
    """Refuse early what no write can succeed on: a directory, or a parent that is missing or
    a file (`base.yaml/x.json`), so a report or an interview is not done for nothing."""
    if path.is_dir():
        raise cannot_write(path, message("output.is_directory"))
    parent = path.parent
    if not parent.exists():
        raise cannot_write(path, message("output.no_parent", parent=str(parent)))
    if not parent.is_dir():
        raise cannot_write(path, message("output.parent_not_directory", parent=str(parent)))


def write_file(path: Path, text: str, shown: Path | None = None) -> None:
    """Write UTF-8 text, turning any OS refusal (read-only place, full disk, /proc, a
    directory) into "cannot write PATH: reason", exit 2; `shown` names it when `path` is
    a draft of it."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise cannot_write(shown or path, _reason(error)) from None


def replace_file(draft: Path, path: Path) -> None:
    """Move a finished draft over `path`; a refusal is exit 2, naming `path`."""
    try:
        draft.replace(path)
    except OSError as error:
        raise cannot_write(path, _reason(error)) from None


def _is_regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:  # absent, or a refusal the write itself will report
        return True


def _mode_for(target: Path) -> int:
    """The permissions the report gets: the replaced file's, or what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """A SIGTERM unwinds like Ctrl-C: a draft being written is removed, worker processes
    are stopped. Within another such block (the workers' inside the draft's), nothing
    more: the outer one restores the handling it found, whichever block ends first."""
    if signal.getsignal(signal.SIGTERM) is _raise_interrupt:
        yield
        return
    try:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread: keep the default
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a draft in the same folder, flushed to disk, then rename it over
    `path`: a kill, a full disk or a size limit leaves the old file whole and no draft
    behind. A device or a pipe (`/dev/stdout`) is written in place: it cannot be renamed."""
    data = text.encode("utf-8", errors="backslashreplace")  # a lone surrogate, shown
    _publish(path, lambda stream: stream.write(data))


def _publish(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write_atomically` for whatever `write` puts in the stream it is given."""
    if not _is_regular_or_absent(path):
        try:
            with path.open("wb") as stream:
                write(stream)
        except OSError as error:
            raise cannot_write(path, _reason(error)) from None
        return
    target = Path(os.path.realpath(path))  # replace what a symbolic link points to
    draft: str | None = None
    try:
        with terminate_cleanly():
            fd, draft = _draft(target)
            with os.fdopen(fd, "wb") as stream:
                os.fchmod(stream.fileno(), _mode_for(target))
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
                if draft is None:  # unnamed: named now, then moved over the target
                    draft = _named(stream.fileno(), target)
            os.replace(draft, target)
            draft = None
    except OSError as error:
        raise cannot_write(path, _reason(error)) from None
    finally:
        if draft is not None:
            with suppress(OSError):
                os.unlink(draft)


def _draft(target: Path) -> tuple[int, str | None]:
    """A file to write `target`'s new content in, in its folder (the rename stays on one file
    system): without a name where Linux can make one (O_TMPFILE), so that a kill -9 leaves
    nothing behind; else a hidden named draft (None: not named yet)."""
    unnamed = getattr(os, "O_TMPFILE", 0)
    if unnamed and os.path.isdir("/proc/self/fd"):  # (naming it goes through /proc)
        try:
            return os.open(target.parent, unnamed | os.O_WRONLY, 0o600), None
        except OSError:  # a file system without it (some network ones): a named draft
            pass
    import tempfile  # here: a run that prints its document does without it (start-up time)

    fd, draft = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    return fd, draft


def _named(fd: int, target: Path) -> str:
    """Give the unnamed file `fd` a hidden name beside `target`, for the rename over it.
    (A folder's descriptor makes os.link call linkat with AT_SYMLINK_FOLLOW: plain link()
    would link /proc's symbolic link itself, across file systems.)"""
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(100):
            name = f".{target.name}.{os.urandom(6).hex()}"
            try:
                os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder)
            except FileExistsError:
                continue
            return str(target.with_name(name))
    finally:
        os.close(folder)
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target.parent))


def write_output(text: str, output: Path | None, force: bool) -> None:
    """Print, or write to `output`; an existing file is only replaced with --force."""
    if output is None:
        sys.stdout.write(text)
        return
    refuse_to_overwrite(output, force)
    write_atomically(output, text)


def refuse_to_overwrite(output: Path, force: bool) -> None:
    """Exit 2 before any work if `output` cannot be written, or is a file (or a link to one)
    that exists, without --force. A device or a pipe (`-o /dev/stdout`) is written in place,
    nothing of it replaced: no --force needed."""
    try:
        check_writable(output)
        found = output.stat()
    except FileNotFoundError:  # absent, or a link to nowhere: the file is made
        return
    except OSError as error:  # a name too long, a link loop
        raise cannot_write(output, _reason(error)) from None
    if stat.S_ISREG(found.st_mode) and not force:
        raise fail(message("output.exists", path=str(output)))


def write_chunks(chunks: Iterable[bytes | Region], output: Path | None, force: bool) -> None:
    """`write_output` for a UTF-8 document made piece by piece (a portfolio's JSON): a
    problem found in the 9,000th file leaves no half document behind, and memory holds one
    piece at a time. A piece is bytes, or a Region of a worker's file
    (acvnum.commands.json_folder): each byte of the document is copied once, by the kernel.

    Where what is written can be taken back (--output's draft, renamed at the end; standard
    output redirected to a file, cut back after a problem; the null device), each piece goes
    there as it comes, and a region is then said copied (`Region.copied`: its worker may
    write over it). Elsewhere (a pipe, a terminal: a reader may already have the text) the
    pieces are kept until the last is made, then printed; a document made in one piece (up
    to json_format.INDENT_UP_TO services) from memory."""
    if output is not None:
        refuse_to_overwrite(output, force)
        if _is_regular_or_absent(output):
            _publish(output, lambda stream: _pour(chunks, stream))
            return
    else:
        cut_back = _stdout_cut_back()
        if cut_back is not None:
            _print_or_cut_back(chunks, cut_back)
            return
    with _Spool() as spool:
        for piece in chunks:
            spool.add(piece)
        if output is None:
            _print_bytes(spool)
            return
        _publish(output, spool.copy_to)


def _pour(chunks: Iterable[bytes | Region], target: BinaryIO) -> None:
    """Each piece to `target` as it comes; a region, once copied, said so (Region.copied)."""
    for piece in chunks:
        if isinstance(piece, Region):
            copy_range(*piece, target)
            piece.copied()
        else:
            target.write(piece)


def _stdout_cut_back() -> Callable[[], None] | None:
    """How to take back what is written to standard output from now on, when it can be:
    a regular file that ends where it is now is cut back there (not one opened to append:
    another process may write after us; not one with bytes after that point, which a
    problem must leave as they were), the null device keeps nothing. None for anything
    else."""
    try:
        fd = sys.stdout.buffer.fileno()
        found = os.fstat(fd)
    except (AttributeError, OSError, ValueError):  # no descriptor (a notebook's stdout)
        return None
    if stat.S_ISCHR(found.st_mode):
        null = os.stat(os.devnull)
        return (lambda: None) if found.st_rdev == null.st_rdev else None
    if not stat.S_ISREG(found.st_mode) or _appends(fd):
        return None
    sys.stdout.flush()
    start = os.lseek(fd, 0, os.SEEK_CUR)
    if os.fstat(fd).st_size > start:
        return None  # bytes past us (`1<>file`): cut back, they would be lost with ours

    def cut_back() -> None:
        try:
            sys.stdout.flush()  # what the buffer holds goes too, then is cut with the rest
        except (OSError, ValueError):  # it cannot be written: nothing will be, even later
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
        os.ftruncate(fd, start)
        os.lseek(fd, start, os.SEEK_SET)

    return cut_back


def _appends(fd: int) -> bool:
    """Whether `fd` was opened to append (`>>`), where that can be told (not on Windows)."""
    try:
        import fcntl  # here: only a portfolio printed to a file asks (start-up time)
    except ImportError:
        return True
    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND)


def _print_or_cut_back(chunks: Iterable[bytes | Region], cut_back: Callable[[], None]) -> None:
    """The document to standard output as it is made; at a problem (a bad file, Ctrl-C, a
    full disk) what was written is taken back, and the problem goes on."""
    buffer = sys.stdout.buffer
    try:
        _pour(chunks, buffer)
        buffer.flush()
    except BaseException:
        with suppress(OSError):
            cut_back()
        raise


class _Spool:
    """A document's pieces in order: bytes in a temporary file (in memory while there is one
    piece), a Region where it is, its file held open by a duplicate of its descriptor (the
    run's own is closed when the workers are done: json_folder._from_workers)."""

    def __init__(self) -> None:
        self.memory: bytes | None = None  # the only piece so far
        self.segments: list[tuple[int, int, int]] = []  # (descriptor, offset, size) in order
        self._file: BinaryIO | None = None
        self._end = 0
        self._held: dict[int, int] = {}  # a worker file's descriptor -> this spool's

    def add(self, piece: bytes | Region) -> None:
        if isinstance(piece, Region):
            self._spill_memory()
            fd = self._held.get(piece.fd)
            if fd is None:
                fd = self._held[piece.fd] = os.dup(piece.fd)
            self.segments.append((fd, piece.offset, piece.size))
        elif self.memory is None and not self.segments:
            self.memory = piece
        else:
            self._spill_memory()
            self._write(piece)

    def _spill_memory(self) -> None:
        if self.memory is not None:
            memory, self.memory = self.memory, None
            self._write(memory)

    def _write(self, data: bytes) -> None:
        import tempfile  # here: a one-piece document does without it (start-up time)

        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115 - see close
            rest = memoryview(data)
            while rest:  # (unbuffered: a write may take part of it, a full disk's last)
                taken = self._file.write(rest)
                if not taken:
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
                rest = rest[taken:]
        except OSError as error:  # the temporary folder's limit, not standard output's
            reason = message("output.spool_full", reason=_reason(error))
            raise cannot_write(Path(tempfile.gettempdir()), reason) from None
        fd, end = self._file.fileno(), self._end
        last = self.segments[-1] if self.segments else None
        if last is not None and last[0] == fd and last[1] + last[2] == end:
            self.segments[-1] = (fd, last[1], last[2] + len(data))  # one piece after another
        else:
            self.segments.append((fd, end, len(data)))
        self._end += len(data)

    def copy_to(self, target: BinaryIO) -> None:
        """The whole document to `target`: by the kernel where it can, else read and written."""
        if self.memory is not None:  # in pieces: a reader that left is then told at once
            shutil.copyfileobj(io.BytesIO(self.memory), target)
            return
        for fd, offset, size in self.segments:
            copy_range(fd, offset, size, target)

    def pieces(self) -> Iterator[bytes]:
        """The document read back a megabyte at a time (for a stream without a descriptor)."""
        if self.memory is not None:
            yield self.memory
            return
        for fd, offset, size in self.segments:
            for at in range(offset, offset + size, 1 << 20):
                yield os.pread(fd, min(1 << 20, offset + size - at), at)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        for fd in self._held.values():
            os.close(fd)
        self._held.clear()

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _print_bytes(spool: _Spool) -> None:
    """UTF-8 bytes to stdout: to its buffer when it has one, else as text (a notebook's)."""
    buffer = getattr(sys.stdout, "buffer", None)
    sys.stdout.flush()
    if buffer is None:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for piece in spool.pieces():
            sys.stdout.write(decoder.decode(piece))
        sys.stdout.write(decoder.decode(b"", final=True))
        return
    spool.copy_to(buffer)
    buffer.flush()


def color_wanted(output: Path | None) -> bool:
    """Colour only on a terminal, never in a file or with NO_COLOR set."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
