"""Bounded, located reading of every input file: size caps without st_size, only regular
files, the true line and column of a bad byte, a byte-order mark read."""

from __future__ import annotations

import errno
import io
import os
import threading
from pathlib import Path

import pytest
from conftest import MINIMAL, run_cli

from acvnum import files
from acvnum.errors import InputError


def _problem(path: Path, what: str = "a YAML file"):
    with pytest.raises(InputError) as caught:
        files.read_text(path, what)
    (problem,) = caught.value.problems
    return problem


def test_a_regular_file_is_read_without_its_byte_order_mark(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfid,value\n")
    assert files.read_text(path) == "id,value\n"


def test_one_byte_over_the_cap_is_refused_and_the_cap_itself_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * files.MAX_BYTES)
    assert len(files.read_text(path)) == files.MAX_BYTES
    path.write_bytes(b"#" * (files.MAX_BYTES + 1))
    assert "file larger than 1000000 bytes" in str(_problem(path).message)


@pytest.mark.parametrize(
    ("stated", "reads"),
    [
        (5, 1),  # the size the system gave: one read, one byte more asked, is the whole file
        (3, 3),  # it grew since: read on to the end
        (9, 2),  # it shrank: the short read, then the end
        (0, 3),  # a file made as it is read states 0: read on to the end
    ],
)
def test_the_stated_size_spares_a_read_only_when_it_is_the_file_s(
    tmp_path, monkeypatch, stated, reads
):
    path = tmp_path / "t.yaml"
    path.write_bytes(b"a: 1\n")
    counted = []

    def read(fd, count, real=os.read):
        counted.append(count)
        return real(fd, count)

    monkeypatch.setattr(files.os, "read", read)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert files._read_at_most(fd, str(path), stated) == b"a: 1\n"
    finally:
        os.close(fd)
    assert len(counted) == reads
    assert counted[0] == stated + 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_by_kind_never_read(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is absent on this system")
    problem = _problem(Path(device), "a result JSON")
    assert str(problem.message) == "is a character device, not a result JSON"


def test_a_fifo_without_a_writer_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = threading.Event()

    def read():
        with pytest.raises(InputError, match=r"is a named pipe \(FIFO\), not a YAML file"):
            files.read_text(fifo)
        done.set()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=5)
    if not done.is_set():  # unblock the reader so the run ends, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert done.is_set(), "reading a FIFO blocked"


def test_a_directory_names_what_was_expected(tmp_path):
    assert str(_problem(tmp_path, "a factor table (CSV)").message) == (
        "is a directory, not a factor table (CSV)"
    )


def test_a_symlink_loop_and_a_name_too_long_are_said_so(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert "symbolic links" in str(_problem(loop).message)
    long = tmp_path / ("x" * 300 + ".yaml")
    assert str(_problem(long).message) == "cannot read: the file name is too long"


@pytest.mark.parametrize(
    ("data", "line", "column", "message"),
    [
        # after 'cé' (two characters, three bytes) the bad byte is column 3, not byte 4
        (b"a: 1\nb: 2\nc\xc3\xa9\xff: 3\n", 3, 3, "not UTF-8 text: byte 0xff"),
        (b"a: 1\n  b: \x00\n", 2, 6, "NUL byte"),
        (b"\x00", 1, 1, "NUL byte"),
    ],
)
def test_a_bad_byte_is_located_where_it_is(tmp_path, data, line, column, message):
    path = tmp_path / "q.yaml"
    path.write_bytes(data)
    problem = _problem(path)
    assert (problem.line, problem.column) == (line, column)
    assert message in str(problem.message)


def test_a_folder_of_too_many_entries_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FOLDER_ENTRIES", 3)
    for i in range(4):
        (tmp_path / f"{i}.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(InputError, match="folder with more than 3 entries"):
        files.folder_entries(tmp_path)
    (tmp_path / "0.yaml").unlink()
    assert len(files.folder_entries(tmp_path)) == 3


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["validate", "/dev/zero"], "/dev/zero:1:1: is a character device, not a YAML file"),
        (
            ["check", "examples/ecommerce.yaml", "--baseline", "/dev/urandom"],
            "/dev/urandom:1:1: is a character device, not a result JSON",
        ),
        (
            ["estimate", "examples/ecommerce.yaml", "--factors", "/dev/zero"],
            "/dev/zero:1:1: is a character device, not a factor table (CSV)",
        ),
        (["diff", "/dev/zero", "examples/ecommerce.yaml"], "/dev/zero:1:1: is a character"),
    ],
)
def test_every_reader_refuses_a_device_with_exit_2(command, message):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    result = run_cli(*command)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_questionnaire_exits_2_without_hanging(tmp_path):
    fifo = tmp_path / "q.yaml"
    os.mkfifo(fifo)
    result = run_cli("validate", str(fifo))  # run_cli times out after 60 s
    assert result.returncode == 2
    assert "is a named pipe (FIFO), not a YAML file" in result.stderr


def test_a_folder_holding_a_link_loop_is_assessed_without_traceback(tmp_path):
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "ok.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_cli("validate", str(tmp_path), str(tmp_path / "loop.yaml"))
    assert result.returncode == 2
    assert "symbolic links" in result.stderr
    assert "Traceback" not in result.stderr


def _source(tmp_path: Path, data: bytes) -> int:
    """An open file holding `data` (closed by the test's end)."""
    path = tmp_path / "source"
    path.write_bytes(data)
    return os.open(path, os.O_RDONLY)


@pytest.mark.parametrize("size", [0, 1, 5, 3 << 20])
def test_a_region_is_copied_whole_to_a_file_a_pipe_and_memory(tmp_path, size):
    """The kernel copies to a file (copy_file_range) and a pipe (sendfile); a target
    without a descriptor is written from memory: the same bytes, after what it held."""
    data = bytes(range(256)) * (size // 256 + 2)
    fd = _source(tmp_path, data)
    try:
        region = files.Region(fd, 7, size)
        expected = b"head" + data[7 : 7 + size]
        assert _copied_through("file", tmp_path, region) == expected
        memory = io.BytesIO(b"head")
        memory.seek(4)
        files.copy_range(*region, memory)
        assert memory.getvalue() == expected
        assert _copied_through("pipe", tmp_path, region) == expected
    finally:
        os.close(fd)


def _drain(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def test_a_region_past_the_end_of_its_file_is_an_error_not_a_short_copy(tmp_path):
    fd = _source(tmp_path, b"12345")
    try:
        with pytest.raises(OSError):
            files.copy_range(*files.Region(fd, 2, 10), io.BytesIO())
        with open(tmp_path / "out", "wb") as out, pytest.raises(OSError):
            files.copy_range(*files.Region(fd, 2, 10), out)
    finally:
        os.close(fd)


def _refusing(calls: list[int], code: int):
    """A kernel copy (copy_file_range or sendfile) that refuses with `code`, counting calls."""

    def refuse(*args: object) -> int:
        calls.append(code)
        raise OSError(code, os.strerror(code))

    return refuse


def _copied_through(target: str, tmp_path: Path, region: files.Region) -> bytes:
    """copy_range of `region` after b"head" (buffered) to a regular file, or to a pipe."""
    if target == "file":
        with open(tmp_path / "out", "w+b") as out:
            out.write(b"head")  # buffered: flushed before the kernel writes after it
            files.copy_range(*region, out)
        return (tmp_path / "out").read_bytes()
    read, write = os.pipe()
    got = bytearray()
    reader = threading.Thread(target=lambda: got.extend(_drain(read)))
    reader.start()
    with os.fdopen(write, "wb") as pipe:
        pipe.write(b"head")
        files.copy_range(*region, pipe)
    reader.join()
    return bytes(got)


@pytest.mark.parametrize(
    "code",
    [errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF],
    ids=errno.errorcode.get,
)
@pytest.mark.parametrize(
    ("kernel", "target"), [("copy_file_range", "file"), ("sendfile", "pipe"), ("sendfile", "file")]
)
def test_where_the_kernel_cannot_copy_the_region_is_read_and_written(
    tmp_path, monkeypatch, kernel, target, code
):
    """copy_file_range (to a file) and sendfile (to a pipe; to a file where there is no
    copy_file_range) refusing at once, as between two file systems before Linux 5.3 or to
    a terminal: the bytes are read and written instead, the same ones (over a megabyte:
    several reads)."""
    size = (3 << 20) + 5
    data = bytes(range(256)) * (size // 256 + 2)
    fd = _source(tmp_path, data)
    calls: list[int] = []
    if kernel == "sendfile" and target == "file":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    monkeypatch.setattr(os, kernel, _refusing(calls, code), raising=False)
    try:
        got = _copied_through(target, tmp_path, files.Region(fd, 7, size))
    finally:
        os.close(fd)
    assert calls == [code]  # the kernel was asked, once, and refused
    assert got == b"head" + data[7 : 7 + size]


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="no copy_file_range here")
def test_a_kernel_copy_that_fails_after_copying_some_is_an_error_not_a_second_copy(
    tmp_path, monkeypatch
):
    """Bytes the kernel copied are in the output: a refusal after them (even one that
    would mean 'cannot copy here') is raised, not followed by reading them again."""
    data = bytes(range(256)) * 64
    fd = _source(tmp_path, data)
    copy = os.copy_file_range
    calls: list[int] = []

    def some_then_refused(src: int, dst: int, count: int, offset_src: int, *rest: object) -> int:
        calls.append(count)
        if len(calls) > 1:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return copy(src, dst, 1000, offset_src)

    monkeypatch.setattr(os, "copy_file_range", some_then_refused)
    try:
        with open(tmp_path / "out", "wb") as out, pytest.raises(OSError) as raised:
            files.copy_range(*files.Region(fd, 0, len(data)), out)
    finally:
        os.close(fd)
    assert raised.value.errno == errno.EXDEV and len(calls) == 2
    assert (tmp_path / "out").read_bytes() == data[:1000]


def test_a_released_region_gives_its_blocks_back_and_leaves_the_rest(tmp_path):
    # 3 MiB written, the middle MiB (page-aligned) released: 1 MiB fewer blocks allocated
    # (st_blocks counts 512-byte blocks: 2,048 a MiB), zeros there, the rest as written.
    mib = 1 << 20
    path = tmp_path / "spill"
    path.write_bytes(b"a" * mib + b"b" * mib + b"c" * mib)
    fd = os.open(path, os.O_RDWR)
    try:
        before = os.fstat(fd).st_blocks
        if not files.release(files.Region(fd, mib, mib)):
            pytest.skip("no hole punching here (not Linux, or the file system cannot)")
        assert before - os.fstat(fd).st_blocks == 2048
        assert os.fstat(fd).st_size == 3 * mib
    finally:
        os.close(fd)
    assert path.read_bytes() == b"a" * mib + bytes(mib) + b"c" * mib


def test_a_region_of_a_file_not_open_for_writing_is_not_released(tmp_path):
    path = tmp_path / "chunks"
    path.write_bytes(b"x" * 8192)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert files.release(files.Region(fd, 0, 4096)) is False
    finally:
        os.close(fd)
    assert path.read_bytes() == b"x" * 8192


def _pieces(count: int) -> list[bytes]:
    """`count` pieces of 0 to 6 bytes, each told apart by its letter and length."""
    return [bytes([97 + k % 26]) * (k % 7) for k in range(count)]


@pytest.mark.skipif(not hasattr(os, "pwritev"), reason="pwritev: Linux, BSD, macOS 11")
@pytest.mark.parametrize("count", [1, 1024, 2500])  # one call, exactly IOV_MAX, three calls
def test_pieces_are_written_at_their_offset_as_if_joined(tmp_path, count):
    pieces = _pieces(count)
    path = tmp_path / "spill"
    path.write_bytes(b"----")
    fd = os.open(path, os.O_RDWR)
    try:
        assert files.write_pieces(fd, pieces, 4) == sum(map(len, pieces))
    finally:
        os.close(fd)
    assert path.read_bytes() == b"----" + b"".join(pieces)


@pytest.mark.skipif(not hasattr(os, "pwritev"), reason="pwritev: Linux, BSD, macOS 11")
def test_a_short_write_of_pieces_is_finished(tmp_path, monkeypatch):
    # pwritev writes 5 bytes of each call (a signal came), and pwrite 2 a call: the rest of
    # each group is still written, at its place.
    write = os.pwritev

    def short(fd: int, buffers: list[bytes], offset: int) -> int:
        return write(fd, [b"".join(buffers)[:5]], offset)

    real_pwrite = os.pwrite
    monkeypatch.setattr(files.os, "pwritev", short)
    monkeypatch.setattr(files.os, "pwrite", lambda fd, data, at: real_pwrite(fd, data[:2], at))
    pieces = _pieces(1500)
    path = tmp_path / "spill"
    path.touch()
    fd = os.open(path, os.O_RDWR)
    try:
        assert files.write_pieces(fd, pieces, 0) == sum(map(len, pieces))
    finally:
        os.close(fd)
    assert path.read_bytes() == b"".join(pieces)


def test_a_write_that_takes_nothing_and_says_nothing_is_an_error_not_a_loop(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "pwritev", lambda fd, buffers, offset: 0)
    monkeypatch.setattr(files.os, "pwrite", lambda fd, data, at: 0)
    fd = os.open(tmp_path / "spill", os.O_RDWR | os.O_CREAT)
    try:
        with pytest.raises(OSError) as raised:
            files.write_pieces(fd, [b"abc"], 0)
    finally:
        os.close(fd)
    assert raised.value.errno == errno.EIO


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ((), (1, 1)),
        (("a",), (1, 7)),
        (("b", "c"), (2, 13)),
        (("b", "c", 1), (2, 17)),
        (("b", "c", 1, "d"), (2, 23)),
        (("b", "c", 2), (2, 27)),
        (("e",), (3, 8)),
        (("b", "c", 5), (2, 13)),  # a list too short: the list
        (("b", "x"), (2, 7)),  # a key missing: its object
        (("a", "x"), (1, 7)),  # a path through a number: the number
    ],
)
def test_json_position_finds_a_value_by_its_keys_and_indices(path, position):
    from acvnum.files import json_position

    text = '{"a": 1,\n "b": {"c": [1, {"d": 2}, 3]},\n"e" :  "x, y"}'
    assert json_position(text, path) == position
