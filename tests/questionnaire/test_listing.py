"""A folder's entries that are links to nowhere: listed, so that reading them says what is
wrong at their 1:1 as when they are named, with the folder's other problems (they were left
out without a word: a folder of them was 'no questionnaire', a folder with a good file
passed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINIMAL, run_cli, run_cli_process

import acvnum
from acvnum.errors import InputError
from acvnum.questionnaire.listing import expand_names

LOOP = "cannot read: too many levels of symbolic links (a link loop?)"


def _links(folder: Path) -> None:
    folder.mkdir()
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "dangling.yaml").symlink_to("nope.yaml")
    (folder / "also-dangling.yaml").symlink_to("nope.yaml")  # the same missing target
    (folder / "sub.yaml").symlink_to(folder.parent)  # a link to a folder: not a questionnaire


def test_links_to_nowhere_are_listed_each_once_and_a_link_to_a_folder_is_not(tmp_path):
    _links(tmp_path / "services")
    names = [Path(name).name for name in expand_names([tmp_path / "services"])]
    assert names == ["also-dangling.yaml", "dangling.yaml", "loop.yaml"]
    # named as well as inside their folder: still once each, where first given
    again = [str(tmp_path / "services" / "loop.yaml"), tmp_path / "services"]
    assert [Path(name).name for name in expand_names(again)] == [
        "loop.yaml",
        "also-dangling.yaml",
        "dangling.yaml",
    ]


def test_a_folder_of_broken_links_is_refused_entry_by_entry_as_when_they_are_named(tmp_path):
    _links(tmp_path / "services")
    named = run_cli("validate", "services/loop.yaml", "services/dangling.yaml", cwd=tmp_path)
    result = run_cli("validate", "services", cwd=tmp_path)
    assert result.returncode == named.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "services/also-dangling.yaml:1:1: file not found",
        "services/dangling.yaml:1:1: file not found",
        f"services/loop.yaml:1:1: {LOOP}",
        "acvnum: 3 problems found; nothing was computed.",
    ]
    assert named.stderr.splitlines()[:2] == [
        f"services/loop.yaml:1:1: {LOOP}",
        "services/dangling.yaml:1:1: file not found",
    ]


@pytest.mark.parametrize("command", [["validate"], ["estimate"], ["estimate", "-f", "json"]])
def test_a_folder_with_good_files_and_broken_links_fails_with_all_of_them(tmp_path, command):
    _links(tmp_path / "services")
    (tmp_path / "services" / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "services" / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    result = run_cli(*command, "services", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "services/also-dangling.yaml:1:1: file not found",
        "services/bad.yaml:1:1: missing required key 'usage'",
        "services/dangling.yaml:1:1: file not found",
    ]
    assert f"services/loop.yaml:1:1: {LOOP}" in lines
    assert lines[-1] == "acvnum: 4 problems found; nothing was computed."


def test_the_api_gives_every_problem_of_a_folder_not_only_its_first(tmp_path):
    _links(tmp_path / "services")
    with pytest.raises(InputError) as caught:
        acvnum.estimate(tmp_path / "services")
    assert [Path(p.file).name for p in caught.value.problems] == [
        "also-dangling.yaml",
        "dangling.yaml",
        "loop.yaml",
    ]


PIPE = "is a named pipe (FIFO), not a YAML file"


def _with_a_pipe(folder: Path) -> Path:
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    (folder / "inner.yaml").mkdir()  # a folder named like a file: not a questionnaire
    (folder / "to-inner.yaml").symlink_to("inner.yaml")  # nor a link to it
    os.mkfifo(folder.parent / "elsewhere")
    (folder / "to-pipe.yaml").symlink_to("../elsewhere")  # a link to a pipe out of the folder
    return folder


def test_a_pipe_and_a_link_to_it_are_listed_a_folder_is_not(tmp_path):
    folder = _with_a_pipe(tmp_path / "services")
    regular: set[str] = set()
    (folder / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    names = expand_names([folder], regular)
    assert [Path(name).name for name in names] == ["good.yaml", "pipe.yaml", "to-pipe.yaml"]
    assert regular == {str(folder / "good.yaml")}  # the only one a reader may open


@pytest.mark.parametrize("command", [["validate"], ["estimate"], ["estimate", "-f", "json"]])
def test_a_pipe_in_a_folder_is_refused_at_its_1_1_as_when_it_is_named(tmp_path, command):
    # It was left out without a word: the folder's good file passed, exit 0. A subprocess
    # with a timeout: a reader that opened the pipe to read it would wait for a writer.
    _with_a_pipe(tmp_path / "services")
    (tmp_path / "services" / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "services" / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    named = run_cli_process("validate", "services/pipe.yaml", cwd=tmp_path)
    assert named.stderr.splitlines()[0] == f"services/pipe.yaml:1:1: {PIPE}"
    result = run_cli_process(*command, "services", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.splitlines() == [
        "services/bad.yaml:1:1: missing required key 'usage'",
        f"services/pipe.yaml:1:1: {PIPE}",
        f"services/to-pipe.yaml:1:1: {PIPE}",
        "acvnum: 3 problems found; nothing was computed.",
    ]


def test_hidden_names_are_not_a_folders_questionnaires(tmp_path):
    # macOS's '._shop.yaml' (binary metadata) and Emacs's lock '.#shop.yaml' (a link to
    # nowhere while the file is edited) were read, and failed the whole folder.
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "shop.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "._shop.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (folder / ".#shop.yaml").symlink_to("user@host.1234:1700000000")
    (folder / ".yml").write_text("", encoding="utf-8")
    assert expand_names([folder]) == [str(folder / "shop.yaml")]
    result = run_cli("validate", str(folder))
    assert (result.returncode, result.stdout) == (0, f"{folder}/shop.yaml: OK\n")
    named = run_cli("validate", str(folder / "._shop.yaml"))  # named, it is read
    assert named.returncode == 2 and "._shop.yaml:1:" in named.stderr
