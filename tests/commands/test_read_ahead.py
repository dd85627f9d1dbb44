"""A folder's files read by a child process while the engine is imported: the same listing
and bytes as reading them later, what it could not read left to the usual reader (which
says why), a child still at work stopped where it is, and the CLI's document unchanged."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli_in_process

from acvnum import files
from acvnum.commands import read_ahead
from acvnum.commands.read_ahead import ReadAhead, reading_ahead
from acvnum.errors import InputError
from acvnum.questionnaire.listing import expand_names

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five questionnaires (one empty, one not UTF-8), a file too large to be read, a
    note that is not YAML, a sub-folder and a link to one of them."""
    root = tmp_path / "services"
    root.mkdir()
    for i in range(3):
        (root / f"s{i}.yaml").write_text(f"name: service {i}\n", encoding="utf-8")
    (root / "empty.yaml").write_bytes(b"")
    (root / "latin1.yml").write_bytes(b"name: caf\xe9\n")
    (root / "huge.yaml").write_bytes(b"#" * (files.MAX_BYTES + 1))
    (root / "notes.txt").write_text("not a questionnaire\n")
    (root / "inner.yaml").mkdir()  # a folder named like a file: not listed
    (root / "link.yaml").symlink_to(root / "s1.yaml")
    return root


def _read_to_the_end(folder):
    """The child's listing and files once it has read them all."""
    ahead = ReadAhead.start([folder])
    assert ahead is not None
    ahead.join()
    listed, shelf = ahead.taken()
    ahead.close()
    return listed, shelf


def test_the_child_lists_the_folder_as_expand_names_does_and_reads_the_same_bytes(folder):
    listed, shelf = _read_to_the_end(folder)
    assert listed == expand_names([folder])
    assert shelf is not None
    for name in listed:
        if name.endswith("huge.yaml"):
            assert shelf.get(name) is None  # over MAX_BYTES: the usual reader refuses it
        else:
            assert shelf.get(name) == files.read_bytes(name)
    assert shelf.get(str(folder / "notes.txt")) is None  # not listed, not read


def test_links_to_nowhere_are_listed_by_the_child_too_and_left_to_the_usual_reader(folder):
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "dangling.yaml").symlink_to("nope.yaml")
    listed, shelf = _read_to_the_end(folder)
    assert listed == expand_names([folder])
    assert {str(folder / "loop.yaml"), str(folder / "dangling.yaml")} <= set(listed)
    assert shelf is not None
    assert shelf.get(str(folder / "loop.yaml")) is None
    assert shelf.get(str(folder / "dangling.yaml")) is None
    assert shelf.get(str(folder / "s0.yaml")) == b"name: service 0\n"


def test_read_bytes_gives_the_files_read_ahead_until_they_are_forgotten(folder, monkeypatch):
    ahead = ReadAhead.start([folder])
    assert ahead is not None
    ahead.join()
    _, shelf = ahead.taken()
    ahead.close()
    name = str(folder / "s0.yaml")
    (folder / "s0.yaml").write_text("name: changed since\n", encoding="utf-8")
    files.read_ahead(shelf)
    try:
        assert files.read_bytes(name) == b"name: service 0\n"  # as read ahead
        huge = str(folder / "huge.yaml")
        with pytest.raises(InputError, match="larger than"):
            files.read_bytes(huge)  # not read ahead: read, and refused, as ever
    finally:
        files.read_ahead(None)
    assert files.read_bytes(name) == b"name: changed since\n"


def test_a_child_still_reading_is_stopped_and_what_it_finished_is_kept(folder, monkeypatch):
    # The child (forked with this patch) reads two files, then hangs on the third: taken()
    # must not wait for it, and must keep the two it finished.
    read_into = files.read_into
    count = {"files": 0}

    def slow(name, room):
        count["files"] += 1
        if count["files"] == 3:
            time.sleep(60)
        return read_into(name, room)

    monkeypatch.setattr(files, "read_into", slow)
    ahead = ReadAhead.start([folder])
    assert ahead is not None
    header = memoryview(ahead._mapping)[:16].cast("Q")
    deadline = time.monotonic() + 10
    while header[1] < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    header.release()
    started, pid = time.monotonic(), ahead._pid
    listed, shelf = ahead.taken()
    assert time.monotonic() - started < 5
    assert listed == expand_names([folder]) and shelf is not None
    # In order: empty.yaml read, huge.yaml refused (too large), latin1.yml where it hangs.
    assert [Path(name).name for name in listed[:3]] == ["empty.yaml", "huge.yaml", "latin1.yml"]
    got = [name for name in listed if shelf.get(name) is not None]
    assert got == listed[:1]
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # collected: no process left behind
    signalled: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: signalled.append(pid))
    monkeypatch.setattr(os, "waitpid", lambda pid, flags: signalled.append(pid) or (0, 0))
    ahead.close()  # twice: the number, maybe another process's by now, is left alone
    assert signalled == []


def test_the_signals_held_across_the_fork_are_held_no_longer_after(tmp_path):
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    (tmp_path / "a.yaml").write_text("name: a\n", encoding="utf-8")
    ahead = ReadAhead.start([tmp_path])
    assert ahead is not None
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    ahead.close()


def test_paths_it_cannot_list_are_left_to_the_usual_listing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    ahead = ReadAhead.start([empty])
    assert ahead is not None
    ahead.join()
    assert ahead.taken() == (None, None)  # json_folder lists again, which says why
    ahead.close()


def test_a_refused_fork_leaves_the_run_to_read_as_usual(folder, monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(read_ahead.os, "fork", refused)
    assert ReadAhead.start([folder]) is None


def test_single_files_and_other_formats_are_not_read_ahead(folder, monkeypatch):
    assert ReadAhead.start([folder / "s0.yaml"]) is None
    with reading_ahead([folder], wanted=False) as ahead:
        assert ahead is None
    monkeypatch.setattr(read_ahead.sys, "platform", "darwin")
    assert ReadAhead.start([folder]) is None


def test_the_cli_reads_a_folder_ahead_and_writes_the_same_document(tmp_path, monkeypatch):
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_portfolio import generate

    generate(tmp_path, 12)
    taken = []
    original = ReadAhead.taken

    def recorded(self):
        self.join()  # in-process the engine is imported already: no time to read meanwhile
        found = original(self)
        taken.append(found)
        return found

    monkeypatch.setattr(ReadAhead, "taken", recorded)
    ahead = run_cli_in_process("estimate", str(tmp_path), "--format", "json")
    monkeypatch.setattr(read_ahead, "BUDGET", 16)  # no room: every file read as usual
    plain = run_cli_in_process("estimate", str(tmp_path), "--format", "json")
    assert ahead.returncode == plain.returncode == 0, ahead.stderr + plain.stderr
    assert ahead.stdout == plain.stdout
    assert len(json.loads(ahead.stdout)["services"]) == 12
    listed, shelf = taken[0]
    assert len(listed) == 12 and all(shelf.get(name) for name in listed)
    assert taken[1] == (None, None)
    assert files._READ_AHEAD == {}  # forgotten once the document is written


def test_the_child_lists_a_pipe_but_never_opens_it(folder):
    # A FIFO's open for reading waits for a writer (and, once opened, lets a waiting writer
    # through): the child lists it, as expand_names does, and leaves it to the usual reader.
    import threading

    pipe = folder / "pipe.yaml"
    os.mkfifo(pipe)
    writer: dict[str, int] = {}
    # this open returns only when a reader opens the pipe: the child must not be that reader
    thread = threading.Thread(target=lambda: writer.setdefault("fd", os.open(pipe, os.O_WRONLY)))
    thread.start()
    try:
        ahead = ReadAhead.start([folder])
        assert ahead is not None
        deadline = time.monotonic() + 10
        while os.waitpid(ahead._pid, os.WNOHANG) == (0, 0):  # done within the timeout
            assert time.monotonic() < deadline, "the child did not finish"
            time.sleep(0.01)
        ahead._pid = None  # collected above
        listed, shelf = ahead.taken()
        assert listed == expand_names([folder]) and str(pipe) in listed
        assert shelf is not None and shelf.get(str(pipe)) is None
        assert shelf.get(str(folder / "s0.yaml")) == b"name: service 0\n"
        thread.join(timeout=0.2)
        assert thread.is_alive(), "the child opened the pipe for reading"
    finally:
        reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer's open return
        thread.join(timeout=5)
        os.close(reader)
        if "fd" in writer:
            os.close(writer["fd"])
