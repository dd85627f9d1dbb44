"""A folder's questionnaires: which files a list of paths stands for, in which order.

Apart from the reader so that it imports nothing heavy: `acvnum.commands.read_ahead` lists a
folder in a process forked before numpy and the models are imported.
"""

from __future__ import annotations

import os
import stat
from operator import attrgetter
from pathlib import Path

from acvnum.errors import InputError, Problem, message
from acvnum.files import folder_scan, is_folder


def expand_names(paths: list[str | Path]) -> list[str]:
    """Files as given, as the text of their paths (as `str(Path)` spells them); a directory
    stands for the YAML files inside it, sorted.

    A file named twice (`examples examples/ecommerce.yaml`, or by two spellings of one
    path) is kept once, where it first appears: a portfolio would otherwise count it twice.
    Text, not Paths: a folder of 10,000 files is listed before any worker starts, and a Path
    a file cost some 5 us there and 3 us again in a worker to be made text (measured: 10,000
    files listed in 103 ms, then 31 ms of `os.fspath`)."""
    expanded: list[tuple[str, str | None]] = []  # each file and its resolved path, if known
    for raw in paths:
        path = Path(raw)
        if not is_folder(path):
            expanded.append((str(path), None))
            continue
        inside = _yaml_files(path)
        if not inside:
            empty = message("load.empty_directory")
            raise InputError([Problem(str(path), 1, 1, empty)])
        expanded += inside
    return _first_of_each(expanded)


#: The suffixes of a questionnaire's file name. pathlib reads a name's suffix from its last dot
#: if that is neither its first nor its last character: 'a.yaml' has '.yaml', '.yaml' none.
_YAML_SUFFIXES = (".yaml", ".yml")
#: Whether names differ by case here (os.path.normcase leaves them as they are: POSIX), so a
#: folder's names are sorted, and files told apart, as they are written, without a call each.
_CASE_KEPT = os.path.normcase("Ab") == "Ab"


def _by_case_folded_name(entry: os.DirEntry[str]) -> str:
    return os.path.normcase(entry.name)


def _yaml_files(folder: Path) -> list[tuple[str, str | None]]:
    """The YAML files of a folder, sorted, with their resolved paths: a plain file's is the
    resolved folder's and its name. Kinds come from the folder's listing (no stat call for
    a plain file)."""
    try:
        resolved: str | None = os.path.join(str(folder.resolve()), "")
    except (OSError, RuntimeError):
        resolved = None
    # Sorted as pathlib orders a folder's files (10,000 names: 12 ms with a call a name).
    entries = [
        e
        for e in folder_scan(folder)
        if e.name.endswith(_YAML_SUFFIXES) and e.name not in _YAML_SUFFIXES
    ]
    entries.sort(key=attrgetter("name") if _CASE_KEPT else _by_case_folded_name)
    # `folder / name` as text: Path('.') / 'a.yaml' is 'a.yaml'.
    prefix = "" if str(folder) == "." else os.path.join(str(folder), "")
    found: list[tuple[str, str | None]] = []
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            found.append((prefix + entry.name, None if resolved is None else resolved + entry.name))
        elif entry.is_symlink() and _to_a_file_or_nowhere(prefix + entry.name):
            found.append((prefix + entry.name, None))
    return found


def _to_a_file_or_nowhere(link: str) -> bool:
    """Whether a symbolic link of a folder stands for a questionnaire: one to a file, and one
    whose target cannot be looked at (dangling, a link loop, no permission), which reading
    then refuses at its 1:1 with the message it gets when named (it was left out without a
    word). A link to a folder or a pipe is left out as such an entry itself is."""
    try:
        return stat.S_ISREG(os.stat(link).st_mode)
    except (OSError, ValueError):
        return True


def _first_of_each(paths: list[tuple[str, str | None]]) -> list[str]:
    """Each file once, by its resolved path (symbolic links and `..` included)."""
    seen: set[str] = set()
    unique = []
    for path, resolved in paths:
        key = resolved
        if key is None:
            try:
                key = str(Path(path).resolve(strict=True))
            except (OSError, RuntimeError):  # a link loop or to nowhere: reading it says so
                key = os.path.abspath(path)  # (each link once, not each missing target)
        if not _CASE_KEPT:  # one file however its name is cased, where case does not count
            key = os.path.normcase(key)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
