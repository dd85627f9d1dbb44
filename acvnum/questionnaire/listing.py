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


def expand_names(paths: list[str | Path], regular: set[str] | None = None) -> list[str]:
    """Files as given, as the text of their paths (as `str(Path)` spells them); a directory
    stands for the YAML files inside it, sorted: its entries named so but folders (and
    links to folders), so that reading one that is not a regular file (a FIFO, a socket, a
    device, a link to nowhere) refuses it at its 1:1 with the message it gets when named.

    `regular`, if given, receives the names listed from a folder that the listing saw to be
    regular files (a link's target looked at, never opened): the only ones a reader that
    must not wait may open (read_ahead's child: a FIFO's open blocks until a writer comes).

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
        inside = _yaml_files(path, regular)
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


def _is_questionnaire_name(name: str) -> bool:
    """A name a folder's questionnaire has: '*.yaml' or '*.yml' as the shell matches it, a
    hidden name ('.x.yaml') not: macOS's '._shop.yaml' (binary metadata beside each file
    copied to a foreign disk) and Emacs's lock '.#shop.yaml' (a link to nowhere while the
    file is edited) failed the whole folder. Named on the command line, one is read."""
    return name.endswith(_YAML_SUFFIXES) and not name.startswith(".")


def _by_case_folded_name(entry: os.DirEntry[str]) -> str:
    return os.path.normcase(entry.name)


def _yaml_files(folder: Path, regular: set[str] | None) -> list[tuple[str, str | None]]:
    """The YAML files of a folder, sorted, with their resolved paths: a plain file's is the
    resolved folder's and its name. Kinds come from the folder's listing (no stat call for
    a plain file); the names of regular files are added to `regular` (expand_names)."""
    try:
        resolved: str | None = os.path.join(str(folder.resolve()), "")
    except (OSError, RuntimeError):
        resolved = None
    # Sorted as pathlib orders a folder's files (10,000 names: 12 ms with a call a name).
    entries = [e for e in folder_scan(folder) if _is_questionnaire_name(e.name)]
    entries.sort(key=attrgetter("name") if _CASE_KEPT else _by_case_folded_name)
    # `folder / name` as text: Path('.') / 'a.yaml' is 'a.yaml'.
    prefix = "" if str(folder) == "." else os.path.join(str(folder), "")
    found: list[tuple[str, str | None]] = []
    for entry in entries:
        name = prefix + entry.name
        if entry.is_file(follow_symlinks=False):
            found.append((name, None if resolved is None else resolved + entry.name))
            kind = _REGULAR
        elif entry.is_symlink():
            kind = _link_kind(name)
            if kind == _FOLDER:
                continue
            found.append((name, None))
        elif entry.is_dir(follow_symlinks=False):
            continue
        else:  # a FIFO, a socket, a device: reading it says what it is (never opened here)
            found.append((name, None if resolved is None else resolved + entry.name))
            continue
        if regular is not None and kind == _REGULAR:
            regular.add(name)
    return found


#: What a folder's link stands for (`_link_kind`).
_REGULAR, _FOLDER, _OTHER = "regular", "folder", "other"


def _link_kind(link: str) -> str:
    """What a symbolic link of a folder leads to, looked at without opening it: a regular
    file, a folder (not a questionnaire: left out, as such an entry itself is), or anything
    else, listed so that reading it refuses it at its 1:1 with the message it gets when
    named: a FIFO, a socket or a device, and a target that cannot be looked at (dangling, a
    link loop, no permission; it was left out without a word)."""
    try:
        mode = os.stat(link).st_mode
    except (OSError, ValueError):
        return _OTHER
    if stat.S_ISREG(mode):
        return _REGULAR
    return _FOLDER if stat.S_ISDIR(mode) else _OTHER


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
