"""`acvnum init`: driven through stdin as a user would answer; the file always validates."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from conftest import assert_golden, run_cli, run_cli_in_process

from acvnum.errors import ExitCode
from acvnum.questionnaire.interview import defaults, questions
from acvnum.questionnaire.models import load
from acvnum.reference.factors import load_factors

ANSWERS_EN = [
    "Shop",  # name
    "",  # period: Enter keeps 1 year
    "-5",  # Q1 refused: users must be at least 1
    "50000",  # Q1
    "2 / month",  # Q2
    "",  # Q3 default: 5 min
    "2.5 MB",  # Q4
    "phone 50%, laptop 50%",  # Q5 refused: unknown device
    "smartphone 70%, laptop 20%",  # Q5 refused: sums to 90%
    "smartphone 60%, laptop 40%",  # Q5
    "mobile: 40%; fixed: 60%",  # Q6
    "fra",  # Q7 (any case)
    "XYZ",  # Q8 refused: unknown country
    "DEU",  # Q8
    "0.9",  # Q8 PUE refused: at least 1
    "1.3",  # Q8 PUE
    "2",  # Q9 virtual servers
    "8",  # Q9 vCPUs
    "0",  # Q9 physical servers: none
    "2",  # Q9 environments: production and pre-production
    "500 GB",  # Q10 volume
    "hdd",  # Q10 type
    "",  # Q10 replicas: Enter keeps the factor tables' default, left out of the file
    "",  # AI requests per visit: Enter keeps 0, no `ai:` block
    "",  # video: none
    "",  # messages: none
]


PERIOD_PROMPT = "Span the figures cover (e.g. 1 year, 6 months) [1 year]: "


def answer(path, lines, *args):
    return run_cli("init", str(path), *args, stdin="\n".join(lines) + "\n")


def test_answers_are_checked_at_once_and_written_as_given(tmp_path):
    path = tmp_path / "shop.yaml"
    result = answer(path, ANSWERS_EN)
    assert result.returncode == 0, result.stderr
    refusals = [line for line in result.stdout.splitlines() if line.startswith("Not accepted")]
    assert refusals == [
        "Not accepted: users must be between 1 and 1e+10, got -5. Please answer again.",
        "Not accepted: unknown name 'phone'. Please answer again.",
        "Not accepted: device shares must sum to 100%, they sum to 90.0% "
        "(smartphone 70%, laptop 20%). Please answer again.",
        "Not accepted: unknown country or region 'XYZ'; known: "
        + ", ".join(load_factors().regions())
        + ". Please answer again.",
        "Not accepted: PUE must be between 1 and 4, got 0.9. Please answer again.",
    ]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == "Shop"
    assert data["usage"]["users"] == 50000
    assert data["usage"]["visit_duration"] == "5 min"
    assert data["usage"]["devices"] == {"smartphone": "60%", "laptop": "40%"}
    assert data["usage"]["network"] == {"mobile": "40%", "fixed": "60%"}
    assert (data["usage"]["location"], data["hosting"]["location"]) == ("FRA", "DEU")
    assert data["hosting"]["servers"] == [
        {"name": "virtual", "count": 2, "type": "virtual", "vcpu": 8}
    ]
    assert data["hosting"]["storage"] == {"volume": "500 GB", "type": "hdd"}
    assert (data["period"], data["hosting"]["pue"], data["hosting"]["environments"]) == (
        "1 year",
        1.3,
        2,
    )
    assert "    # replicas: 3" in path.read_text(encoding="utf-8")  # the default, said
    assert run_cli("validate", str(path)).returncode == 0


def test_every_question_is_asked_in_order_with_its_default(tmp_path):
    result = answer(tmp_path / "s.yaml", [""] * 30)
    assert result.returncode == 0, result.stderr
    prompts = [line for line in result.stdout.splitlines() if line.endswith("]: ")]
    assert prompts[:2] == ["Name of the service [My service]: ", PERIOD_PROMPT]
    numbers = [p.split(" ", 1)[0] for p in prompts[2:]]
    assert numbers == [
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "Q5",
        "Q6",
        "Q7",
        "Q8",
        "Q8",  # PUE
        "Q9",
        "Q9",
        "Q9",
        "Q9",  # environments
        "Q10",
        "Q10",
        "Q10",  # replicas
        "+",  # the optional blocks: AI, video, messages (Enter keeps 0 and skips each)
        "+",
        "+",
    ]
    asked = defaults(["WLD"], "en")  # the follow-ups of a skipped block are not asked
    assert len(prompts) == len([q for q in questions(["WLD"]) if q.asked(asked)])


def test_defaults_typed_or_not_give_the_template(tmp_path):
    typed, template = tmp_path / "typed.yaml", tmp_path / "template.yaml"
    assert answer(typed, [""] * 30).returncode == 0
    result = run_cli("init", str(template), "--no-input")
    assert result.returncode == 0, result.stderr
    assert typed.read_text(encoding="utf-8") == template.read_text(encoding="utf-8")
    assert_golden("init_template_en.yaml", template.read_text(encoding="utf-8"))


def test_french_interview_and_file(tmp_path):
    path = tmp_path / "service.yaml"
    result = answer(path, [""] * 30, "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("acvnum init\u202f: quelques questions")
    # The prompt's form and its default the French way: a narrow no-break space groups
    # thousands and stands before the colon and the percent sign.
    assert "Q1 Utilisateurs sur la période (un nombre) [1\u202f000]\u202f: " in result.stdout
    assert "[smartphone\u202f: 60\u202f%, laptop\u202f: 30\u202f%, desktop\u202f: 10\u202f%]" in (
        result.stdout
    )
    assert_golden("init_template_fr.yaml", path.read_text(encoding="utf-8"))
    assert run_cli("validate", str(path)).returncode == 0


def test_an_existing_file_is_kept_without_force(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("keep me\n", encoding="utf-8")
    result = run_cli("init", str(path), "--no-input")
    assert result.returncode == 2
    assert result.stderr == f"acvnum: {path} exists; add --force to overwrite it\n"
    assert path.read_text(encoding="utf-8") == "keep me\n"
    assert run_cli("init", str(path), "--no-input", "--force").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("# acvnum questionnaire")


def test_input_ending_early_writes_nothing(tmp_path):
    path = tmp_path / "s.yaml"
    result = answer(path, ["Shop", "100"])
    assert result.returncode == 2
    assert "the input ended before every question was answered" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_piped_answers_are_echoed_with_their_control_characters_escaped(tmp_path):
    # The transcript printed the answer as read (ESC ] 0 ; ... BEL retitled the terminal),
    # and the refusal of an answer quoted it so.
    path = tmp_path / "s.yaml"
    result = answer(path, ["Shop\x1b]0;pwned\x07\r", "1 month\x1b[2J"])
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Name of the service [My service]: Shop\\x1b]0;pwned\\x07\n" in result.stdout
    assert f"{PERIOD_PROMPT}1 month\\x1b[2J\nNot accepted: " in result.stdout
    assert "unknown duration unit 'month\\x1b[2J'; did you mean 'month'?" in result.stdout


def test_a_link_loop_is_refused_as_output_refuses_it(tmp_path):
    # exists() calls a loop absent: init replaced the link with its file, without --force.
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    result = run_cli("init", "a.yaml", "--no-input", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "acvnum: cannot write a.yaml: Too many levels of symbolic links\n"
    assert (tmp_path / "a.yaml").is_symlink()


def test_force_through_a_link_writes_its_file_as_output_does(tmp_path):
    # The link was replaced by a file; `estimate -o` writes the file it points to.
    (tmp_path / "real.yaml").write_text("old", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    result = run_cli("init", "link.yaml", "--no-input", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.yaml").is_symlink()
    assert (tmp_path / "real.yaml").read_text(encoding="utf-8").startswith("# ")


def test_missing_directory_is_exit_2(tmp_path):
    result = run_cli("init", str(tmp_path / "absent" / "s.yaml"), "--no-input", "--lang", "fr")
    assert result.returncode == 2
    assert "n'existe pas" in result.stderr


def _init_from(tmp_path, stdin) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "acvnum", "init", str(tmp_path / "s.yaml")],
        stdin=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"},
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_input_is_refused_without_reading_it_all(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is absent on this system")
    with open(device, "rb") as stdin:
        result = _init_from(tmp_path, stdin)
    assert result.returncode == 2
    stderr = result.stderr.decode("utf-8", "replace")
    assert "an answer longer than 1000 characters: refused" in stderr or "not UTF-8" in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_an_answer_refused_ten_times_in_a_row_gives_up(tmp_path):
    result = answer(tmp_path / "s.yaml", ["Shop"] + ["-5"] * 20)
    assert result.returncode == 2
    assert "10 answers refused in a row; nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_optional_blocks_are_asked_after_the_ten_and_written_when_answered(tmp_path):
    path = tmp_path / "blocks.yaml"
    ten = [""] * 18  # name, period, the ten questions at their defaults (visits of 5 min)
    blocks = ["0.5", "400", "1500", "huge", "small", "10 min", "4 min", "sd", "5 / day"]
    result = answer(path, ten + blocks)
    assert result.returncode == 0, result.stderr
    refusals = [line for line in result.stdout.splitlines() if line.startswith("Not accepted")]
    assert refusals == [
        "Not accepted: write one of small, medium, large, frontier. Please answer again.",
        "Not accepted: 10 min is longer than a visit (5 min). Please answer again.",
    ]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["ai"] == {
        "requests_per_visit": 0.5,
        "output_tokens": 400,
        "input_tokens": 1500,
        "model": {"size": "small"},
    }
    assert data["video"] == {"watched_per_visit": "4 min", "quality": "sd"}
    assert data["messages"] == {"per_user": "5 / day"}
    assert run_cli("validate", str(path)).returncode == 0


def test_ctrl_c_says_nothing_was_written(tmp_path, monkeypatch):
    from acvnum.commands import init as command

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "_interview", interrupted)
    path = tmp_path / "service.yaml"
    result = run_cli_in_process("init", str(path), stdin="\n")  # the patch is this process's
    assert result.returncode == ExitCode.INTERRUPTED == 130  # as shells expect after Ctrl-C
    assert "Interrupted: nothing was written." in result.stdout
    assert not path.exists()
    french = run_cli_in_process("init", str(path), "--lang", "fr", stdin="\n")
    assert french.returncode == 130
    assert "Interrompu\u202f: aucun fichier n'a été écrit." in french.stdout
    assert not path.exists()


def test_the_exit_code_of_ctrl_c_is_documented():
    assert "130 stopped by Ctrl-C" in run_cli("--help").stdout
    assert "exit code 130" in run_cli("init", "--help").stdout


def test_each_default_is_shown_and_enter_keeps_it(tmp_path):
    path = tmp_path / "s.yaml"
    result = answer(path, [""] * 30, "--lang", "fr")
    assert result.returncode == 0, result.stderr
    prompts = [line for line in result.stdout.splitlines() if line.endswith("]\u202f: ")]
    shown = dict(p.removesuffix("]\u202f: ").rsplit(" [", 1) for p in prompts)
    assert shown["Durée couverte par les chiffres (p.\u00a0ex. 1 an, 6 mois)"] == "1 an"
    # the factor tables' defaults (datacenter.default.pue 1.56, storage.default.replicas 3)
    assert [v for k, v in shown.items() if k.startswith("Q8 PUE")] == ["1,56"]
    assert [v for k, v in shown.items() if "Copies des données" in k] == ["3"]
    assert [v for k, v in shown.items() if "Copies de l'hébergement" in k] == ["1"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "pue" not in data["hosting"] and "environments" not in data["hosting"]
    assert "replicas" not in data["hosting"]["storage"]
    estimate = run_cli("estimate", str(path), "--format", "json")
    (service,) = json.loads(estimate.stdout)["services"]
    statuses = {a["path"]: a["status"] for a in service["assumptions"]}
    assert statuses["hosting.pue"] == statuses["hosting.storage.replicas"] == "default"


def test_a_french_default_typed_back_as_shown_gives_the_default(tmp_path):
    """What the prompt shows ('1 000', 'smartphone : 60 %') reads back as the default."""
    shown, kept = tmp_path / "shown.yaml", tmp_path / "kept.yaml"
    typed = [
        "",
        "",
        "1\u202f000",
        "",
        "",
        "",
        "smartphone\u202f: 60\u202f%, laptop : 30 %, desktop : 10 %",
    ]
    assert answer(shown, typed + [""] * 30, "--lang", "fr").returncode == 0
    assert answer(kept, [""] * 30, "--lang", "fr").returncode == 0
    # The same questionnaire ('60 %' written as typed, '60%' as the default was).
    assert load(str(shown)) == load(str(kept))


def test_a_french_answer_with_a_decimal_comma_is_written_as_every_language_reads_it(tmp_path):
    path = tmp_path / "s.yaml"
    answers = [""] * 10 + ["1,25"] + [""] * 20  # Q8 PUE, after the name, period and Q1-Q8
    result = answer(path, answers, "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["hosting"]["pue"] == 1.25


def test_no_server_at_all_is_pointed_out(tmp_path):
    path = tmp_path / "shop.yaml"
    lines = [*ANSWERS_EN]
    lines[lines.index("2")] = "0"  # Q9 virtual servers: none (and so no vCPU question)
    lines.remove("8")
    result = answer(path, lines)
    assert result.returncode == 0, result.stderr
    assert "Note: no server declared" in result.stdout
    assert "no server declared" not in answer(tmp_path / "b.yaml", ANSWERS_EN).stdout


def test_enter_at_the_input_tokens_leaves_them_out(tmp_path):
    # Enter keeps 0: the input is not counted (EcoLogits' method) and the key is not written.
    path = tmp_path / "ai.yaml"
    result = answer(path, [""] * 18 + ["1", "300", "", "medium", "0", "0"])
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["ai"] == {
        "requests_per_visit": 1,
        "output_tokens": 300,
        "model": {"size": "medium"},
    }
