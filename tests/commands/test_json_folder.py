"""`estimate DIR --format json` in worker processes: the same document, the same problems,
nothing written after Ctrl-C, as done in one process."""

from __future__ import annotations

import contextlib
import errno
import json
import multiprocessing.context
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import CLI_ENV, ROOT, run_cli_in_process

from acvnum.commands import json_folder
from acvnum.files import Region

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_portfolio import generate, questionnaire


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """30 generated questionnaires: in chunks of 7, five chunks, the last one short."""
    generate(tmp_path, 30)
    return tmp_path


@pytest.fixture
def in_workers(monkeypatch):
    """Small folders go to two workers in chunks of 7 files (0: the run is in-process)."""

    def use(workers: int) -> None:
        monkeypatch.setattr(json_folder, "PARALLEL_FROM", 2 if workers else 10**9)
        monkeypatch.setattr(json_folder, "CHUNK", 7)
        monkeypatch.setattr(json_folder, "MIN_CHUNK", 1)
        monkeypatch.setattr(json_folder, "cores", lambda: max(workers, 1))

    return use


def _estimate(in_workers, workers: int, *args: str):
    in_workers(workers)
    return run_cli_in_process("estimate", *args, "--format", "json")


def test_the_document_made_in_workers_is_the_one_made_in_process(in_workers, folder):
    alone = _estimate(in_workers, 0, str(folder))
    shared = _estimate(in_workers, 2, str(folder))
    assert alone.returncode == shared.returncode == 0, alone.stderr + shared.stderr
    assert shared.stdout == alone.stdout  # byte for byte: same order, same totals
    assert len(json.loads(shared.stdout)["services"]) == 30


@pytest.fixture
def big_folder(tmp_path: Path) -> Path:
    """60 generated questionnaires: in chunks of 7, nine chunks (four or five a worker of
    two), the last one short."""
    folder = tmp_path / "sixty"
    folder.mkdir()
    generate(folder, 60)
    return folder


@pytest.mark.parametrize("workers", [2, 0])
def test_written_to_a_file_the_document_is_the_printed_one(
    in_workers, big_folder, tmp_path, workers
):
    """`-o FILE` (its draft gets each chunk as it comes: common._pour, regions copied by the
    kernel and counted copied) gives the bytes printed in-process, made in workers or not."""
    printed = _estimate(in_workers, 0, str(big_folder))
    assert printed.returncode == 0, printed.stderr
    output = tmp_path / "result.json"
    written = _estimate(in_workers, workers, str(big_folder), "-o", str(output))
    assert written.returncode == 0 and written.stdout == written.stderr == "", written.stderr
    assert output.read_bytes() == printed.stdout.encode("utf-8")
    assert len(json.loads(printed.stdout)["services"]) == 60


def test_problems_in_several_chunks_are_all_reported_and_nothing_is_written(
    in_workers, folder, tmp_path
):
    (folder / "service-00003.yaml").write_text("name: x\nusage:\n  users: many\n")
    (folder / "service-00024.yaml").write_text("name: [\n")
    output = tmp_path / "out" / "result.json"
    output.parent.mkdir()
    alone = _estimate(in_workers, 0, str(folder), "-o", str(output))
    shared = _estimate(in_workers, 2, str(folder), "-o", str(output))
    assert alone.returncode == shared.returncode == 2
    assert shared.stderr == alone.stderr
    assert "service-00003.yaml:3:3: usage.users: cannot read" in shared.stderr
    assert "service-00024.yaml:2:1: malformed YAML" in shared.stderr
    assert not output.exists() and os.listdir(output.parent) == []


def test_small_folders_and_single_cores_stay_in_process(monkeypatch):
    monkeypatch.setattr(json_folder, "cores", lambda: 2)
    monkeypatch.setattr(json_folder.sys, "platform", "linux")
    assert json_folder.workers_for(json_folder.PARALLEL_FROM - 1) == 0
    assert json_folder.workers_for(json_folder.PARALLEL_FROM) == 2
    monkeypatch.setattr(json_folder, "PARALLEL_FROM", 1)
    assert json_folder.workers_for(10) == 0  # an indented document: in-process
    monkeypatch.setattr(json_folder, "cores", lambda: 1)
    assert json_folder.workers_for(10_000) == 0
    monkeypatch.setattr(json_folder, "cores", lambda: 2)
    monkeypatch.setattr(json_folder.sys, "platform", "darwin")  # fork is not safe there
    assert json_folder.workers_for(10_000) == 0


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _portfolio_running(tmp_path: Path, seed: int, stderr: int) -> tuple[subprocess.Popen, Path]:
    """`acvnum estimate many -f json -o result.json` started on twice PARALLEL_FROM generated
    files in `tmp_path` (long enough for its workers to be seen), and its output's path."""
    rng = random.Random(seed)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(json_folder.PARALLEL_FROM * 2):
        (folder / f"s{i:04d}.yaml").write_text(questionnaire(i, rng), encoding="utf-8")
    output = tmp_path / "result.json"
    run = subprocess.Popen(
        [sys.executable, "-m", "acvnum", "estimate", str(folder), "-f", "json", "-o", str(output)],
        cwd=ROOT,
        env={**os.environ, **CLI_ENV},
        stderr=stderr,
        text=True,
    )
    return run, output


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
@pytest.mark.skipif(json_folder.cores() < 2, reason="one core: no worker processes")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_the_workers_and_writes_nothing(tmp_path, stop):
    run, output = _portfolio_running(tmp_path, 5, subprocess.PIPE)
    started = time.monotonic()
    # Two at least: the workers (the child reading the folder ahead is alone, and gone
    # before they are forked: read_ahead).
    while len(workers := _children(run.pid)) < 2 and time.monotonic() - started < 60:
        time.sleep(0.02)
    assert len(workers) >= 2, "no worker process started"
    run.send_signal(stop)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130  # as typer ends on Ctrl-C
    assert "Traceback" not in stderr
    assert not output.exists() and os.listdir(tmp_path) == ["many"]
    time.sleep(0.2)
    for pid in workers:  # stopped and reaped by the parent
        assert not Path(f"/proc/{pid}").exists()


def _running(pid: int, started: str) -> bool:
    """Whether process `pid` (started at `started`, /proc's clock ticks) still runs: not
    gone, not a zombie waiting for whoever adopted it, not another process given its id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2 :].split()  # after the name, which may hold spaces
    return fields[0] not in "ZX" and fields[19] == started


def _start_time(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()[19]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.skipif(json_folder.cores() < 2, reason="one core: no worker processes")
def test_workers_end_when_the_parent_is_killed_and_no_document_is_left(tmp_path):
    """SIGKILL leaves the parent no chance to stop its workers: each asked the kernel for a
    SIGTERM when the parent ends (json_folder._end_with), and ends within seconds instead
    of working on for nobody. No result.json: only a finished draft is renamed to it. Nor
    the draft itself on Linux: it has no name until it is finished (O_TMPFILE,
    common._draft); elsewhere a hidden named draft is left, the parent cannot remove it."""
    run, _ = _portfolio_running(tmp_path, 7, subprocess.DEVNULL)
    started = time.monotonic()
    while len(workers := _children(run.pid)) < 2 and time.monotonic() - started < 60:
        time.sleep(0.02)
    assert len(workers) >= 2, "no worker process started"
    alive = {}
    for pid in map(int, workers):
        with contextlib.suppress(OSError, IndexError):  # (ended meanwhile: nothing to test)
            alive[pid] = _start_time(pid)
    run.kill()
    assert run.wait(timeout=60) == -signal.SIGKILL  # killed, not ended by itself before
    assert alive, "the workers ended before the parent was killed"
    deadline = time.monotonic() + 10
    while any(_running(*worker) for worker in alive.items()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [pid for pid, start in alive.items() if _running(pid, start)]
    left = sorted(os.listdir(tmp_path))
    assert "result.json" not in left
    drafts = [name for name in left if name.startswith(".result.json.")]
    assert left == sorted(["many", *drafts])
    assert len(drafts) <= (0 if hasattr(os, "O_TMPFILE") else 1)


@pytest.mark.skipif(json_folder.cores() < 2, reason="one core: no worker processes")
def test_printed_to_a_file_the_workers_document_is_the_piped_one_or_nothing(tmp_path):
    """Standard output redirected to a file gets the chunks as they come (see
    common.write_chunks): the same bytes as through a pipe, and after a bad last file the
    file is cut back to empty (exit 2, the problem said)."""
    folder = tmp_path / "many"
    folder.mkdir()
    generate(folder, json_folder.PARALLEL_FROM)

    def run(stdout) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "acvnum", "estimate", str(folder), "-f", "json"]
        return subprocess.run(
            command, cwd=ROOT, env={**os.environ, **CLI_ENV}, stdout=stdout, stderr=subprocess.PIPE
        )

    piped = run(subprocess.PIPE)
    printed = tmp_path / "printed.json"
    with printed.open("wb") as stream:
        assert run(stream).returncode == 0
    assert piped.returncode == 0 and printed.read_bytes() == piped.stdout
    (folder / "zz-last.yaml").write_text("name: [\n", encoding="utf-8")
    with printed.open("wb") as stream:
        failed = run(stream)
    assert failed.returncode == 2
    assert b"zz-last.yaml:2:1: malformed YAML" in failed.stderr
    assert printed.read_bytes() == b""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_stopped_workers_end_at_once_and_leave_no_manager_thread_to_race_the_exit():
    # A worker's error (a --what-if that names a server a file lacks) or Ctrl-C stops the
    # pool: the running chunks are ended (they were left to finish, and the exit waited),
    # and the manager thread is gone (left running, it raced Python 3.11's exit: 'Exception
    # ignored ... Bad file descriptor' after the run's message, about one run in ten).
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import process as pool

    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    running = executor.submit(time.sleep, 30)
    started = time.monotonic()
    while not running.running() and time.monotonic() - started < 30:
        time.sleep(0.01)
    workers = list(executor._processes.values())
    json_folder._stop(executor)
    assert time.monotonic() - started < 10  # not the 30 s of the chunk
    assert not any(worker.is_alive() for worker in workers)
    managers = [t for t in threading.enumerate() if isinstance(t, pool._ExecutorManagerThread)]
    assert managers == []


def test_workers_read_decimal_commas_in_french_as_the_run_does(in_workers, folder):
    for path in list(folder.glob("*.yaml"))[:12]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("visit_duration: ", "visit_duration: 1,5 min #"))
    alone = _estimate(in_workers, 0, str(folder), "--lang", "fr")
    shared = _estimate(in_workers, 2, str(folder), "--lang", "fr")
    assert alone.returncode == shared.returncode == 0, alone.stderr + shared.stderr
    assert shared.stdout == alone.stdout
    assert '"value":"1.5 min"' in shared.stdout


_PARENT = os.getpid()  # the test process: a forked worker has another id
_WORK = json_folder._work


def _dies_on_the_second_chunk(chunk: int):
    """json_folder._work, but a worker handed the second chunk ends as a killed one would
    (at module level: the executor hands the function to its workers by name)."""
    if chunk == 1 and os.getpid() != _PARENT:
        os._exit(9)
    return _WORK(chunk)


def test_a_worker_that_dies_does_not_hang_the_run_and_the_document_is_the_same(
    in_workers, folder, monkeypatch
):
    alone = _estimate(in_workers, 0, str(folder))
    monkeypatch.setattr(json_folder, "_work", _dies_on_the_second_chunk)
    shared = _estimate(in_workers, 2, str(folder))
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout == alone.stdout  # the chunks it lost were done in this process
    assert "a worker process stopped before its files were done" in shared.stderr


def _refused(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))


@pytest.mark.parametrize("refused", ["a process", "shared memory", "a temporary file"])
def test_workers_the_system_refuses_leave_the_whole_run_to_this_process(
    in_workers, folder, monkeypatch, refused
):
    """A process limit (a container's pids.max), no shared memory or no temporary file:
    the run is done here, quietly, as for a small folder (the read-ahead child refused
    too reads nothing ahead); it was a traceback, or 'cannot write' the output."""
    alone = _estimate(in_workers, 0, str(folder))
    if refused == "a process":
        monkeypatch.setattr(os, "fork", _refused)
    elif refused == "shared memory":
        monkeypatch.setattr(multiprocessing.context.BaseContext, "RawArray", _refused)
    else:
        made = []  # the workers' files fail; the output's own spool (common._Spool) does not
        plain = tempfile.TemporaryFile

        def temporary_file(*args, **kwargs):
            made.append(kwargs)
            return plain(*args, **kwargs) if kwargs else _refused()

        monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    shared = _estimate(in_workers, 2, str(folder))
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout == alone.stdout and shared.stderr == ""


def _full_disk(fd: int, pieces: object, offset: int) -> int:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_worker_whose_file_cannot_take_its_chunk_hands_back_the_bytes(
    in_workers, folder, monkeypatch
):
    """The temporary folder full (or a size limit): the chunk comes back through the pool's
    pipe, the document is the same; it was 'cannot write to standard output'."""
    alone = _estimate(in_workers, 0, str(folder))
    monkeypatch.setattr(json_folder, "write_pieces", _full_disk)  # forked with the workers
    shared = _estimate(in_workers, 2, str(folder))
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout == alone.stdout and shared.stderr == ""


def _open_descriptors() -> set[str]:
    """This process's open descriptors, but multiprocessing's shared-memory arenas ('pym-'
    files, where the workers' shared counters live): its heap keeps them for the process's
    life, so the first run in a process leaves them open (the test failed run alone)."""
    kept = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # (the listing's own descriptor, closed by now)
            if "/pym-" not in os.readlink(f"/proc/self/fd/{fd}"):
                kept.add(fd)
    return kept


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux's /proc")
def test_workers_hand_back_where_their_bytes_are_and_their_files_are_closed_after(
    in_workers, folder, monkeypatch
):
    """A worker's chunk comes back as a Region of its temporary file, not as bytes through
    the pool's pipe; the files are closed when the run ends, after a problem too."""
    handed: list[object] = []
    compact = json_folder.json_format.compact

    def watched(parts):
        return compact(handed.append(type(p.services)) or p for p in parts)

    monkeypatch.setattr(json_folder.json_format, "compact", watched)
    before = _open_descriptors()
    shared = _estimate(in_workers, 2, str(folder))
    assert shared.returncode == 0, shared.stderr
    assert len(handed) == 5 and all(issubclass(kind, Region) for kind in handed)  # 30 in 7s
    (folder / "service-00024.yaml").write_text("name: [\n")
    assert _estimate(in_workers, 2, str(folder)).returncode == 2
    assert _open_descriptors() == before


def _spill(tmp_path: Path) -> tuple[json_folder._Spill, list[int], list[Region]]:
    """A worker's spill over a real file, the parent's count of its regions copied out (a
    list standing for the shared array), and the regions it frees."""
    stream = (tmp_path / "spill").open("w+b")
    copied, freed = [0], []
    spill = json_folder._Spill(stream.fileno(), 0, copied)
    spill.stream = stream  # kept open while the test runs
    return spill, copied, freed


def test_a_worker_writes_over_its_regions_once_the_parent_has_copied_them_all(
    tmp_path, monkeypatch
):
    """The file's pages are used again: the next chunk starts at the file's start once
    every region handed on is copied out; until then it goes after them, and the regions
    copied are freed, the others kept whole."""
    spill, copied, freed = _spill(tmp_path)
    monkeypatch.setattr(json_folder, "release", freed.append)
    first = spill.region([b"a" * 60, b"a" * 40])
    second = spill.region([b"b" * 50])  # the parent has copied none yet: after the first
    assert (first.offset, second.offset) == (0, 100)
    copied[0] = 1  # the first is copied out, not the second
    third = spill.region([b"c" * 10, b"", b"c" * 20])
    assert third.offset == 150 and freed == [first]
    assert os.pread(spill.fd, 50, 100) == b"b" * 50  # still to be copied: whole
    copied[0] = 3  # all copied: the next one is written over them
    fourth = spill.region([b"d" * 20])
    assert fourth.offset == 0 and freed == [first]  # written over, not freed
    assert os.pread(spill.fd, 20, 0) == b"d" * 20


def test_a_chunk_its_file_refuses_is_its_bytes_and_the_next_goes_where_it_would_have(
    tmp_path, monkeypatch
):
    spill, _, _ = _spill(tmp_path)
    first = spill.region([b"a" * 10])
    monkeypatch.setattr(json_folder, "write_pieces", _full_disk)
    assert spill.region([b"b" * 5, b"b" * 5]) == b"b" * 10  # no region: nothing to copy
    assert (spill.written, list(spill.kept), spill.end) == (1, [first], 10)
    monkeypatch.undo()
    assert spill.region([b"c" * 3]).offset == 10


def test_the_parent_counts_a_worker_region_it_copied_out(monkeypatch):
    """A region handed on by a worker tells its worker's count when copied (the other
    workers' counts stay); after the run, nothing is counted."""
    counts = [0, 0]
    job = json_folder._Job([], None, None, 1, spills=(7, 9), copied=counts)
    monkeypatch.setattr(json_folder, "_JOB", job)
    json_folder._Handed(9, 0, 10).copied()
    assert counts == [0, 1]
    monkeypatch.setattr(json_folder, "_JOB", None)
    json_folder._Handed(9, 0, 10).copied()
    assert counts == [0, 1]


_REGION = json_folder._Spill.region


def _once_all_copied(spill: json_folder._Spill, pieces) -> Region | bytes:
    """_Spill.region, but a worker first waits until the parent has copied out every region
    it handed on (the shared count: the real code's own condition for writing over them),
    so that each chunk after its first is written over the file's start."""
    deadline = time.monotonic() + 30  # a bound, not a timing: a hang fails below instead
    while spill._copied[spill._index] < spill.written and time.monotonic() < deadline:
        time.sleep(0.001)
    return _REGION(spill, pieces)


def test_a_worker_writes_its_next_chunks_over_those_copied_out_and_the_document_is_whole(
    in_workers, big_folder, tmp_path, monkeypatch
):
    """End to end, whatever the scheduling: written to a file (each region poured as it
    comes and counted copied), every worker writes each chunk after its first from its
    file's start, over bytes the parent has copied; the document is the one printed
    in-process. (A worker need not wait, as here: it writes after its regions while some are
    still to be copied; the wait only makes every chunk take the path under test.)"""
    printed = _estimate(in_workers, 0, str(big_folder))
    assert printed.returncode == 0, printed.stderr
    handed: list[Region] = []
    compact = json_folder.json_format.compact

    def watched(parts):
        return compact(handed.append(p.services) or p for p in parts)

    monkeypatch.setattr(json_folder.json_format, "compact", watched)
    monkeypatch.setattr(json_folder._Spill, "region", _once_all_copied)  # forked with them
    output = tmp_path / "result.json"
    written = _estimate(in_workers, 2, str(big_folder), "-o", str(output))
    assert written.returncode == 0 and written.stderr == "", written.stderr
    assert output.read_bytes() == printed.stdout.encode("utf-8")
    assert len(handed) == 9 and all(isinstance(r, Region) for r in handed)  # 60 in 7s
    by_file: dict[int, list[int]] = {}
    for region in handed:
        by_file.setdefault(region.fd, []).append(region.offset)
    assert all(offsets == [0] * len(offsets) for offsets in by_file.values())
    assert max(map(len, by_file.values())) >= 2  # a file's start written over: 9 chunks, 2 files


def test_a_worker_keeps_arenas_in_proportion_to_its_chunks():
    # 24 for chunks of 1,000; a folder of 1,000 (chunks of 250) 6; never more than 24.
    assert json_folder.CHUNK == 1000 and json_folder.KEPT_ARENAS == 24
    assert [json_folder.arenas_for(size) for size in (1000, 250, 50, 1, 5000)] == [24, 6, 2, 1, 24]


#: A process that makes and frees a chunk's small objects (150,000 texts of numbers, some
#: 8 MB) four times and prints the pages it faulted in the last three; "keep" first keeps
#: arenas for them.
_SMALL_OBJECTS_AGAIN = """
import resource, sys
from acvnum.commands.json_folder import keep_arenas

if sys.argv[1] == "keep":
    keep_arenas(12)
def chunk():
    texts = [b"%.17g" % (k / 7) for k in range(150_000)]
    del texts
chunk()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    chunk()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's own allocator")
def test_a_worker_keeps_its_small_object_arenas_for_the_next_chunks():
    """CPython gives an emptied arena of small objects back to the system, and the next
    chunk takes it again page by page: kept, the next chunks fault next to none of them."""

    def faults(how: str) -> int:
        run = [sys.executable, "-c", _SMALL_OBJECTS_AGAIN, how]
        done = subprocess.run(run, capture_output=True, text=True, env=CLI_ENV, check=True)
        return int(done.stdout)

    kept, given_back = faults("keep"), faults("default")
    assert given_back > 3 * 1000  # some 2,000 pages a chunk given back and taken again
    assert kept * 10 < given_back


#: A process that makes and frees what a chunk does (large arrays, middling blocks) four
#: times and prints the pages it faulted in the last three; "tune" first keeps freed memory.
_CHUNKS_AGAIN = """
import resource, sys
import numpy as np
from acvnum.commands.json_folder import keep_freed_memory

if sys.argv[1] == "tune" and not keep_freed_memory():
    print("untunable")
    raise SystemExit
def chunk():
    arrays = [np.ones(3 << 20) for _ in range(4)]  # four of 24 MB
    blocks = [bytes(200_000) for _ in range(200)]
    del arrays, blocks
chunk()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    chunk()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults_of_chunks_again(how: str) -> str:
    run = [sys.executable, "-c", _CHUNKS_AGAIN, how]
    done = subprocess.run(run, capture_output=True, text=True, env=CLI_ENV, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are Linux-only")
def test_a_worker_keeps_what_a_chunk_freed_for_the_next_one():
    """Memory given back after each chunk is taken again, page by page, by the next (a
    kernel fault each): measured with glibc's defaults, some ten times the pages. (In a
    process of its own: the test's process keeps glibc's defaults.)"""
    tuned = _faults_of_chunks_again("tune")
    if tuned == "untunable":
        pytest.skip("this C library has no mallopt (not glibc)")
    assert int(tuned) * 4 < int(_faults_of_chunks_again("defaults"))
