"""Entry point; answers `--version` before importing the heavy modules so it stays instant.

Standard output may be closed (`acvnum ... >&-`), full (`> /dev/full`), a pipe whose reader
has gone (`| head -1`) or ASCII-only (`PYTHONIOENCODING=ascii`): each ends with exit 2 and
one line on stderr, or quietly for a pipe closed on purpose, never with a traceback.
"""

import atexit
import errno
import gc
import os
import sys
import threading
from typing import NoReturn

from acvnum import __version__

BAD_OUTPUT = 2  # ExitCode.BAD_INPUT, without importing acvnum.errors before it is needed
#: What writing to a standard stream can meet; any other OSError is a bug, shown as one.
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EFBIG, errno.EIO, errno.EDQUOT}


class _Closed:
    """Stands for a closed standard stream: any write fails as writing to it would."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _tolerant_streams() -> None:
    """A character the output's encoding lacks is written as an escape ('\\u00e9'), not a
    UnicodeEncodeError; a closed stream is replaced by one that says so when written to."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
    if sys.stdout is None:
        sys.stdout = _Closed()  # type: ignore[assignment]
    for name in ("stdout", "stderr"):
        reconfigure = getattr(getattr(sys, name), "reconfigure", None)
        try:
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        except OSError:  # its descriptor was closed after Python started
            quiet = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
            setattr(sys, name, _Closed() if name == "stdout" else quiet)


def _cannot_write(reason: str) -> str:
    """'cannot write to standard output: REASON', in the run's language once a command has
    run (it was English whatever --lang said); `--version` loads no command: English."""
    common = sys.modules.get("acvnum.commands.common")
    if common is None:
        return f"cannot write to standard output: {reason}"
    from acvnum.errors import message  # loaded with the commands

    return message("output.stdout_failed", reason=reason).render(common.spoken())


def _output_failed(error: OSError) -> None:
    """Exit 2 with the reason on stderr (quietly for a reader that has gone), and keep the
    interpreter's own final flush from failing again with a traceback."""
    if error.errno != errno.EPIPE:
        sys.stderr.write(f"acvnum: {_cannot_write(error.strerror or str(error))}\n")
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):  # no descriptor (closed, or a test's stream)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    raise SystemExit(BAD_OUTPUT)


def _one_blas_thread() -> None:
    """Ask numpy's OpenBLAS for no thread pool, unless the user chose a size.

    Our matrices are a few hundred numbers: a BLAS call never gains from threads, but
    importing numpy starts a pool that spins a core for some 50-100 ms (measured: `import
    numpy` took 0.18-0.26 s of CPU for 0.11 s of wall time on 2 cores; 0.13-0.15 s with one
    thread), CPU taken from a portfolio's workers or a CI runner's other jobs."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main() -> None:
    _one_blas_thread()
    # Start-up makes modules, classes and models that live to the end, no garbage: the
    # collector's passes over them (some 30, 5 ms) are skipped; cli.tune_gc turns it on.
    gc.disable()
    _tolerant_streams()
    try:
        try:
            if sys.argv[1:] in (["--version"], ["-V"]):
                print(f"acvnum {__version__}")
                return
            from acvnum.cli import run  # typer and the commands: not for --version

            run()
        finally:
            sys.stdout.flush()
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            raise
        _output_failed(error)


def command() -> NoReturn:
    """The installed command (and `python -m acvnum`): `main`, then the process ends without
    the interpreter's teardown, which frees every module and object one by one for nothing:
    the system takes a process's memory back at once (measured: 17 ms of a 10,000-service
    portfolio's 1.0 s, and some 20 ms of any command, whose whole run is 0.2-0.3 s).

    What an exit does that is not freeing is still done: the exit functions run (atexit's,
    multiprocessing's, a coverage tool's) and the standard streams are flushed. The exit
    status is the interpreter's: a SystemExit's code, 1 and its text for a text. A run still
    holding another thread, a stream that cannot be flushed or an uncaught error ends the
    ordinary way, so its wait, message or traceback are the interpreter's as ever."""
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = None
    if threading.active_count() > 1:  # the interpreter waits for them: so do we
        raise SystemExit(code)
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    atexit._run_exitfuncs()  # what the interpreter runs at exit (private, but CPython's own)
    try:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except (OSError, ValueError):  # the interpreter's own flush says it, as it always did
        raise SystemExit(code) from None
    os._exit(code or 0)


if __name__ == "__main__":
    command()
