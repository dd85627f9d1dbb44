"""examples/ci/ and .pre-commit-hooks.yaml: each file parses, and the commands it runs work
against the examples (in a throwaway git clone, as a CI runner would have it)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT

CI = EXAMPLES / "ci"
INSTALL = re.compile(r"^pip install ")
#: A bare `pip install acvnum` takes whatever PyPI holds under that name: not ours.
FROM_PYPI = re.compile(r"pip install\s+['\"]?acvnum(?![\w@ -]*git\+)")
PINNED = "acvnum @ git+https://github.com/OWNER/acvnum@v0.1.0"


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of a repository whose main branch holds the examples (the target branch)."""
    upstream = tmp_path / "upstream"
    shutil.copytree(EXAMPLES, upstream / "examples", ignore=shutil.ignore_patterns("ci"))
    git("init", "-q", "-b", "main", cwd=upstream)
    git("add", "examples", cwd=upstream)
    git("-c", "user.name=ci", "-c", "user.email=ci@example.org", "commit", "-qm", "x", cwd=upstream)
    git("clone", "-q", str(upstream), "work", cwd=tmp_path)
    return tmp_path / "work"


def run_script(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A CI shell script with acvnum taken from this checkout (`python -m acvnum`)."""
    shim = cwd.parent / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "acvnum").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m acvnum "$@"\n')
    (shim / "acvnum").chmod(0o755)
    full = {
        **os.environ,
        **env,
        "PATH": f"{shim}:{os.environ['PATH']}",
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=full, capture_output=True, text=True, timeout=120
    )


def without_install(lines: list[str]) -> str:
    return "\n".join(line for line in lines if not INSTALL.match(line))


def test_github_workflow_runs_and_passes(clone, tmp_path):
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    assert workflow[True] == {"pull_request": None}  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["acvnum"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert not any(FROM_PYPI.search(s) for s in scripts)
    assert any(PINNED in s for s in scripts)
    summary = tmp_path / "summary.md"
    summary.write_text("## An earlier step\n", encoding="utf-8")  # shared by the job's steps
    env = {
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
    }
    for script in scripts:
        result = run_script(without_install(script.splitlines()), clone, env)
        assert result.returncode == 0, result.stdout + result.stderr
    earlier, ours = summary.read_text(encoding="utf-8").split("\n", 1)
    assert earlier == "## An earlier step"  # appended to, not overwritten
    assert ours.startswith("## acvnum check: ✅")
    suites = ET.parse(clone / "acvnum-junit.xml").getroot()
    assert suites.get("failures") == "0" and int(suites.get("tests")) > 6
    assert steps[-1]["with"]["path"] == "acvnum-junit.xml"


def test_gitlab_job_runs_and_passes(clone):
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["acvnum-check"]
    assert job["artifacts"]["reports"]["junit"] == "acvnum-junit.xml"
    assert not any(FROM_PYPI.search(line) for line in job["before_script"])
    assert any(PINNED in line for line in job["before_script"])
    script = without_install(job["before_script"] + job["script"])
    result = run_script(script, clone, {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checks passed." in result.stdout
    assert ET.parse(clone / "acvnum-junit.xml").getroot().get("failures") == "0"


def test_gitlab_job_fails_when_the_merge_request_grows_the_footprint(clone):
    shop = clone / "examples" / "ecommerce.yaml"
    shop.write_text(shop.read_text().replace("2.5 MB", "25 MB"), encoding="utf-8")
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["acvnum-check"]
    script = without_install(job["script"])
    result = run_script(script, clone, {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "Network" in result.stdout


def test_pre_commit_hook_runs_check_on_the_files_it_matches():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "acvnum-check",
        "acvnum check",
        "python",
    )
    default = re.compile(hook["files"])
    assert default.search("services/shop.acv.yaml") and not default.search("compose.yaml")
    # the convention does not match acvnum's own examples: both files say so, and the
    # example configuration overrides `files:`
    assert not default.search("examples/ecommerce.yaml")
    hooks_text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    config_text = (CI / "pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "naming convention" in hooks_text and "naming convention" in config_text
    config = yaml.safe_load((CI / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    (used,) = config["repos"][0]["hooks"]
    assert used["id"] == hook["id"]
    files = sorted(
        str(p.relative_to(ROOT))
        for p in EXAMPLES.rglob("*")
        if re.search(used["files"], str(p.relative_to(ROOT)))
    )
    assert "examples/ecommerce.yaml" in files and not any("/ci/" in f for f in files)
    # only questionnaires with budgets: one without would leave nothing to check (exit 2)
    assert all("budgets:" in (ROOT / f).read_text(encoding="utf-8") for f in files)
    program, *args = shlex.split(hook["entry"])
    result = subprocess.run(
        [sys.executable, "-m", program, *args, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
