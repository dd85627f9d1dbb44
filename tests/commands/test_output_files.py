"""Output files that cannot be written: exit 2 with "cannot write PATH: reason", never a
traceback, whatever the command (estimate, check, diff, init) and whatever the OS refuses."""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import typer
from conftest import EXAMPLES, run_cli, run_cli_in_process, run_cli_process

from acvnum import files
from acvnum.commands import common
from acvnum.files import Region

try:
    import resource
except ImportError:  # not POSIX
    resource = None  # type: ignore[assignment]

BASE = str(EXAMPLES / "ecommerce.yaml")


def _targets(tmp_path: Path) -> list[tuple[Path, list[str], str]]:
    """(target, extra options, reason expected in the message)."""
    a_file = tmp_path / "base.yaml"
    a_file.write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    return [
        (a_file / "x.json", [], f"{a_file} is not a directory"),
        (tmp_path / "dir", ["--force"], "it is a directory"),
        (tmp_path / "absent" / "x.md", [], f"{tmp_path / 'absent'} does not exist"),
    ]


def _assert_refused(result, target: Path, reason: str | None = None) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"acvnum: cannot write {target}: ")
    if reason is not None:
        assert result.stderr.strip().endswith(reason)


@pytest.mark.parametrize("case", range(3))
def test_estimate_check_and_diff_refuse_an_impossible_output(tmp_path, case):
    target, extra, reason = _targets(tmp_path)[case]
    for command in (
        ["estimate", BASE],
        ["check", BASE, "--format", "junit"],
        ["diff", BASE, BASE],
    ):
        result = run_cli(*command, "--output", str(target), *extra)
        _assert_refused(result, target, reason)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_a_clear_refusal():
    result = run_cli("estimate", BASE, "--output", "/dev/full", "--force")
    _assert_refused(result, Path("/dev/full"), "No space left on device")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_place_the_os_refuses_is_a_clear_refusal():
    result = run_cli("check", BASE, "--format", "junit", "--output", "/proc/j.xml")
    _assert_refused(result, Path("/proc/j.xml"))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_init_refuses_a_place_the_os_refuses(tmp_path):
    result = run_cli("init", "/proc/x.yaml", "--no-input")
    _assert_refused(result, Path("/proc/x.yaml"))


def test_init_refuses_a_directory_even_with_force(tmp_path):
    target = tmp_path / "somedir"
    (target / "inside").mkdir(parents=True)
    result = run_cli("init", str(target), "--no-input", "--force")
    _assert_refused(result, target, "it is a directory")
    assert (target / "inside").is_dir()  # nothing was replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somedir"]  # no draft left behind


def test_a_writable_output_is_still_written(tmp_path):
    target = tmp_path / "report.md"
    result = run_cli("estimate", BASE, "--format", "markdown", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("form", [[], ["--format", "json"]])
def test_standard_output_named_as_output_is_written_in_place_without_force(form):
    """As the README shows it: a device or a pipe is not a file that --force would replace."""
    printed = run_cli_process("estimate", BASE, *form)
    result = run_cli_process("estimate", BASE, *form, "--output", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == printed.stdout


def test_a_named_pipe_and_the_null_device_take_output_without_force(tmp_path):
    assert run_cli("estimate", BASE, "--output", os.devnull).returncode == 0
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        result = run_cli("estimate", BASE, "--format", "json", "--output", str(fifo))
    finally:
        if reader.is_alive() and not got:  # the writer refused: let the reader go
            with open(fifo, "wb"):
                pass
        reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert got[0].startswith(b'{\n  "schema_version": 2')
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # written into, not replaced by a file


def test_an_existing_file_still_needs_force(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    result = run_cli("estimate", BASE, "--output", str(target))
    assert result.returncode == 2
    assert result.stderr == f"acvnum: {target} exists; add --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "old"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert run_cli("estimate", BASE, "--output", str(link)).returncode == 2


# --- atomic writes (issue 11) -----------------------------------------------------------------


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "named draft"])
def test_a_report_is_written_whole_with_or_without_an_unnamed_draft(tmp_path, monkeypatch, unnamed):
    """Linux writes the draft without a name (O_TMPFILE), named only to be moved over the
    report, so that a kill -9 leaves nothing behind; elsewhere a hidden named draft. Either
    way the report is the printed one and nothing else is left in the folder."""
    if unnamed and not (hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")):
        pytest.skip("no O_TMPFILE or /proc here (not Linux)")
    if not unnamed:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    target = tmp_path / "report.txt"
    fd, name = common._draft(target)
    os.close(fd)
    assert (name is None) == unnamed
    if name is not None:
        os.unlink(name)
    result = run_cli_in_process("estimate", BASE, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == run_cli_in_process("estimate", BASE).stdout
    assert os.listdir(tmp_path) == ["report.txt"]


def _size_limited(limit: int):
    """A child process whose files cannot grow past `limit` bytes (EFBIG, not a kill)."""

    def limit_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_size


@pytest.mark.skipif(resource is None, reason="needs POSIX resource limits")
@pytest.mark.parametrize("command", [["estimate", BASE], ["diff", BASE, BASE], ["schema"]])
def test_a_write_cut_short_keeps_the_old_report_and_leaves_nothing_behind(tmp_path, command):
    target = tmp_path / "report.txt"
    target.write_text("the old report\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "acvnum", *command, "--output", str(target), "--force"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_size_limited(200),
        # No bytecode written by the child: under the limit CPython would write a .pyc cut
        # at 200 bytes without a word, and every later run of that command would fail to
        # import it (an editable install whose bytecode is not written yet).
        env={**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    _assert_refused(result, target, "File too large")
    assert target.read_text(encoding="utf-8") == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_an_interrupted_write_removes_its_draft(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(common.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        common.write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_report_replaces_the_file_a_link_points_to_with_its_permissions(tmp_path):
    real, link = tmp_path / "real.md", tmp_path / "link.md"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link.symlink_to(real)
    common.write_atomically(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_new_report_gets_the_permissions_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        common.write_atomically(tmp_path / "r.csv", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.csv").stat().st_mode) == 0o644


def test_a_name_too_long_for_the_file_system_is_a_clear_refusal(tmp_path):
    target = tmp_path / ("x" * 300 + ".json")
    result = run_cli("estimate", BASE, "--output", str(target))
    _assert_refused(result, target, "File name too long")


@pytest.mark.parametrize("pieces", [[b'{"a": 1}\n'], [b"[1", b",2", b",3]\n"], []])
def test_a_document_in_pieces_is_written_whole(tmp_path, capsysbinary, pieces):
    """One piece (a one-file JSON) is published from memory, several through a temporary
    file: the same bytes either way, on stdout or in a file."""
    common.write_chunks(iter(pieces), None, False)
    assert capsysbinary.readouterr().out == b"".join(pieces)
    target = tmp_path / "out.json"
    common.write_chunks(iter(pieces), target, False)
    assert target.read_bytes() == b"".join(pieces)


def test_a_problem_in_a_later_piece_writes_nothing(tmp_path, capsysbinary):
    def pieces():
        yield b"[1"
        yield b",2"
        raise ValueError("the 9,000th file")

    target = tmp_path / "out.json"
    with pytest.raises(ValueError):
        common.write_chunks(pieces(), target, False)
    with pytest.raises(ValueError):
        common.write_chunks(pieces(), None, False)
    assert not target.exists()
    assert capsysbinary.readouterr().out == b""


def test_a_full_temporary_folder_is_named_not_standard_output(monkeypatch, capsysbinary):
    """A portfolio printed to a pipe waits whole in a temporary file: when that folder is
    full, the message says which folder and why, not 'cannot write to standard output'."""

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    with pytest.raises(typer.Exit) as raised:
        common.write_chunks(iter([b"[1", b",2]\n"]), None, False)
    assert raised.value.exit_code == 2
    said = capsysbinary.readouterr()
    assert said.out == b""
    assert said.err.decode() == (
        f"acvnum: cannot write {tempfile.gettempdir()}: No space left on device "
        "(a printed portfolio waits there until it is whole)\n"
    )


def test_a_block_within_another_leaves_sigterm_as_the_outer_one_found_it():
    found = signal.getsignal(signal.SIGTERM)
    outer, inner = common.terminate_cleanly(), common.terminate_cleanly()
    outer.__enter__()
    inner.__enter__()  # the workers' block, within --output's draft
    outer.__exit__(None, None, None)  # the draft's ends first (a failed write)
    inner.__exit__(None, None, None)  # then the workers' generator is closed
    assert signal.getsignal(signal.SIGTERM) is found  # not left raising KeyboardInterrupt


def test_regions_of_a_worker_s_file_are_written_in_their_place(tmp_path, capsysbinary):
    """A piece may be a Region of a file (a worker's chunk): copied where it comes, between
    the bytes around it, on stdout and in a file."""
    source = tmp_path / "chunks"
    source.write_bytes(b"..[1,2]..[3]")
    fd = os.open(source, os.O_RDONLY)
    try:

        def pieces():
            yield b'{"a":'
            yield Region(fd, 9, 3)  # before the first region written: order is kept
            yield b","
            yield Region(fd, 2, 5)
            yield b"}\n"

        common.write_chunks(pieces(), None, False)
        assert capsysbinary.readouterr().out == b'{"a":[3],[1,2]}\n'
        target = tmp_path / "out.json"
        common.write_chunks(pieces(), target, False)
        assert target.read_bytes() == b'{"a":[3],[1,2]}\n'
        alone = tmp_path / "alone.json"
        common.write_chunks(iter([Region(fd, 2, 5)]), alone, False)  # one piece, a region
        assert alone.read_bytes() == b"[1,2]"
    finally:
        os.close(fd)


def test_a_stream_without_a_buffer_gets_the_text_of_every_piece(tmp_path, monkeypatch):
    """A notebook's stdout has no byte buffer: the document is decoded as text, a character
    cut between two pieces (a region and the bytes after it) included."""
    source = tmp_path / "chunks"
    source.write_bytes('["caf\u00e9'.encode())  # the region below ends inside the é
    fd = os.open(source, os.O_RDONLY)
    try:
        text = io.StringIO()
        monkeypatch.setattr(sys, "stdout", text)
        cut = "é".encode()
        common.write_chunks(iter([Region(fd, 0, 6), cut[1:] + b'"]\n', b""]), None, False)
    finally:
        os.close(fd)
    assert text.getvalue() == '["caf\u00e9"]\n'


def _printing_to(monkeypatch, stream) -> None:
    """Standard output as a file object: `stream` (binary), wrapped as sys.stdout is."""
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stream, encoding="utf-8"))


def _late_problem(region: Region):
    yield b"[1"
    yield region
    raise ValueError("the 9,000th file")


def test_a_document_printed_to_a_file_is_cut_back_at_a_late_problem(tmp_path, monkeypatch):
    """Standard output redirected to a file gets the pieces as they come (no spool); a
    problem after some of them cuts the file back to where it was, what was there kept."""
    source = tmp_path / "chunks"
    source.write_bytes(b",2,3")
    out = tmp_path / "out.json"
    with open(out, "wb") as stream, open(source, "r+b") as chunks:
        stream.write(b"kept")
        stream.flush()
        _printing_to(monkeypatch, stream)
        with pytest.raises(ValueError):
            common.write_chunks(_late_problem(Region(chunks.fileno(), 0, 4)), None, False)
        sys.stdout.write("!")
        sys.stdout.flush()
        monkeypatch.undo()
    assert out.read_bytes() == b"kept!"  # the next write goes where the document started


def test_a_file_with_bytes_after_the_document_keeps_them_at_a_late_problem(tmp_path, monkeypatch):
    """Standard output opened on a file without truncating it (`1<>file`) and not at its
    end: the pieces are spooled as before, so a problem leaves the file as it was (cut
    back, the bytes after the document's start would be lost with it)."""
    source = tmp_path / "chunks"
    source.write_bytes(b",2,3")
    out = tmp_path / "out.json"
    out.write_bytes(b"precious old content")
    with open(out, "r+b") as stream, open(source, "r+b") as chunks:
        stream.seek(9)
        _printing_to(monkeypatch, stream)
        with pytest.raises(ValueError):
            common.write_chunks(_late_problem(Region(chunks.fileno(), 0, 4)), None, False)
        monkeypatch.undo()
    assert out.read_bytes() == b"precious old content"
    with open(out, "r+b") as stream:  # and a document that is made is written there
        stream.seek(9)
        _printing_to(monkeypatch, stream)
        common.write_chunks(iter([b"[1", b"]"]), None, False)
        sys.stdout.flush()
        monkeypatch.undo()
    assert out.read_bytes() == b"precious [1] content"


def _punches_holes(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_bytes(b"p" * 8192)
    with open(probe, "r+b") as stream:
        return files.release(Region(stream.fileno(), 0, 4096))


def test_a_document_printed_to_a_file_or_the_null_device_frees_the_regions(tmp_path, monkeypatch):
    """Written where it goes as it comes, a worker's region is freed in its file (the next
    chunk takes its pages); appended to a file (`>>`), the pieces are spooled as before."""
    if not _punches_holes(tmp_path):
        pytest.skip("no hole punching here (not Linux, or the file system cannot)")
    page = 4096
    out = tmp_path / "out.json"
    for target, mode, freed in [(out, "wb", True), (os.devnull, "wb", True), (out, "ab", False)]:
        source = tmp_path / "chunks"
        source.write_bytes(b"x" * page + b"y" * page)
        with open(target, mode) as stream, open(source, "r+b") as chunks:
            _printing_to(monkeypatch, stream)
            pieces = [b"[", Region(chunks.fileno(), page, page), b"]"]
            common.write_chunks(iter(pieces), None, False)
            sys.stdout.flush()
            monkeypatch.undo()
        left = b"\0" * page if freed else b"y" * page
        assert source.read_bytes() == b"x" * page + left, (target, mode)
    assert out.read_bytes() == (b"[" + b"y" * page + b"]") * 2


def test_a_document_written_to_output_frees_the_regions_and_a_pipe_keeps_them(
    tmp_path, capsysbinary
):
    """--output's draft takes the pieces as they come (regions freed); a stream that cannot
    take back what it was given (here pytest's capture, as a pipe) gets them at the end."""
    if not _punches_holes(tmp_path):
        pytest.skip("no hole punching here (not Linux, or the file system cannot)")
    source = tmp_path / "chunks"
    source.write_bytes(b"[1,2]")
    with open(source, "r+b") as chunks:
        common.write_chunks(iter([Region(chunks.fileno(), 0, 5), b"\n"]), None, False)
        assert source.read_bytes() == b"[1,2]"
        common.write_chunks(iter([Region(chunks.fileno(), 0, 5)]), tmp_path / "o.json", False)
    assert capsysbinary.readouterr().out == b"[1,2]\n"
    assert (tmp_path / "o.json").read_bytes() == b"[1,2]"
    assert source.read_bytes() == bytes(5)  # the whole region was a page's first bytes


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", BASE],
        ["estimate", BASE, "-f", "json"],
        ["check", BASE, "-f", "junit"],
        ["diff", BASE, BASE],
        ["schema"],
    ],
)
def test_dash_as_output_prints_the_report(tmp_path, args):
    # '-o -' wrote a file named '-'; the next run refused: '- exists; add --force'.
    printed = run_cli(*args, cwd=tmp_path)
    for _ in range(2):
        dashed = run_cli(*args, "-o", "-", cwd=tmp_path)
        assert (dashed.returncode, dashed.stdout) == (printed.returncode, printed.stdout)
    assert list(tmp_path.iterdir()) == []


def test_a_file_named_dash_is_written_by_a_path_to_it(tmp_path):
    result = run_cli("schema", "-o", str(tmp_path / "-"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("{")
