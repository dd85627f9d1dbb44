"""A compact copy of what the shipped tables give once parsed, kept between runs.

Parsing the factor CSVs and matching their source texts to the publications they cite is
some 10 % of a one-file `estimate`; reading the copy back (JSON, through the C decoder)
takes about a millisecond. A copy is named by the SHA-256 of the files it was made from
(the tables and the modules that read them), the Python version and the layout it holds, so
an edited table or reader is read again; it is written atomically (a temporary file,
renamed over) and never required: one that cannot be read, written or understood is
ignored and the tables are parsed.

Kept in $ACVNUM_CACHE_DIR, else $XDG_CACHE_HOME/acvnum, else ~/.cache/acvnum; an empty
ACVNUM_CACHE_DIR turns the copies off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: Copies kept per name (a table edited back and forth, several checkouts side by side).
KEEP = 8


def directory() -> Path | None:
    """Where the copies are kept; None when they are turned off."""
    given = os.environ.get("ACVNUM_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "acvnum"


def digest(files: Iterable[Path], layout: str) -> str:
    """The name of a copy: every file's name and bytes, and what else shapes the copy."""
    hashed = hashlib.sha256(f"{sys.version}\0{layout}\0".encode())
    for path in files:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:32]


def cached(
    name: str,
    files: Iterable[Path],
    layout: str,
    build: Callable[[], Any],
    make: Callable[[Any], T],
) -> T:
    """`make(build())`, with what `build` returns (JSON data) kept in a copy named after
    `files` and `layout`, and read from it when a run made it before; `make` raises
    TypeError, ValueError, KeyError or AttributeError on data it does not understand
    (then it is built again)."""
    where = directory()
    try:
        path = None if where is None else where / f"{name}-{digest(files, layout)}.json"
    except OSError:  # a file went away: no name for the copy, parse as usual
        path = None
    if path is not None:
        try:
            return make(_loads(path.read_bytes()))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # none yet, or unreadable: built and written again below
    data = build()
    if path is not None:
        _write(path, data)
    return make(data)


def _loads(data: bytes) -> Any:
    """A copy read back: by orjson when installed (the factors' copy is some 0.5 MB, read
    in half json's time), else by json. A copy neither reads is a ValueError: made again."""
    try:
        import orjson  # here: json is enough when it is missing
    except ImportError:
        return json.loads(data)
    return orjson.loads(data)


def _write(path: Path, data: Any) -> None:
    """Write the copy whole or not at all (another run may be reading it); never fails.
    Data JSON would not give back as it is (a number as a key, a tuple) is not kept."""
    import tempfile  # here: only a run that writes a copy needs it (start-up time)

    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        if json.loads(text) != data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        _prune(path)
    except (OSError, ValueError, TypeError):
        pass


def _prune(path: Path) -> None:
    """Keep the KEEP newest copies of the same name."""
    prefix = path.name.rsplit("-", 1)[0] + "-"
    copies = sorted(
        (p for p in path.parent.glob(f"{prefix}*.json")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in copies[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
