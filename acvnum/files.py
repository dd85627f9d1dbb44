"""Reading the files a user gives us, within bounds, with a located error when we cannot."""

from __future__ import annotations

from pathlib import Path

from acvnum.errors import InputError, Problem

#: No questionnaire, factor table or result file we read needs more.
MAX_BYTES = 1_000_000


def read_text(path: Path) -> str:
    """A UTF-8 text file, or an InputError saying why it cannot be read."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, 1, 1, "file not found")])
    if path.is_dir():
        raise InputError([Problem(name, 1, 1, "is a directory, not a YAML file")])
    if path.stat().st_size > MAX_BYTES:
        raise InputError([Problem(name, 1, 1, f"file larger than {MAX_BYTES} bytes: refused")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(name, 1, 1, f"not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise InputError([Problem(name, 1, 1, f"cannot read: {error.strerror}")]) from None
