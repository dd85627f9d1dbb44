"""The questionnaire's own rules: impossible usage, whole counts, shares, messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLI_ENV, MINIMAL

from acvnum.errors import InputError
from acvnum.questionnaire.models import Questionnaire, validate
from acvnum.questionnaire.yaml_reader import parse_yaml

HOSTING = """\
hosting:
  servers:
    - name: web
      type: virtual
      vcpu: 4
      count: {count}
  storage:
    volume: 10 GB
    replicas: {replicas}
"""


def load(text: str) -> Questionnaire:
    return validate(parse_yaml(text, "s.yaml"))  # type: ignore[return-value]


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(text)
    return [str(p) for p in caught.value.problems]


def test_more_than_24_hours_of_use_a_day_is_refused_at_the_visits():
    text = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 100 / day")
    text = text.replace("6 min", "2 h")
    assert problems(text) == [
        "s.yaml:4:3: usage.visits_per_user: 100 / day visits of 2 h each are 200 h of use "
        "per user per day; a day has 24 h"
    ]


def test_exactly_24_hours_a_day_is_possible():
    text = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 12 / day")
    assert load(text.replace("6 min", "2 h")).usage.visit_duration == 7200


def test_a_count_over_the_period_is_averaged_over_its_days():
    # 400 visits of 24 h in a year: more hours than the year has.
    text = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 400")
    assert "h of use per user per day" in problems(text.replace("6 min", "24 h"))[0]
    # 300 of them fit in 365 days.
    assert load(MINIMAL.replace("visits_per_user: 10", "visits_per_user: 300")).visits == 3e5


def test_the_visits_bound_applies_to_the_count_a_rate_makes_over_the_period():
    text = MINIMAL.replace("visits_per_user: 10", "visits_per_user: 1000000 / s")
    (message,) = problems(text.replace("6 min", "1 s"))
    assert "makes 3.16e+13 visits per user over the period; at most 1e+13" in message


@pytest.mark.parametrize(
    ("count", "replicas", "message"),
    [
        ("2.5", "3", "hosting.servers[0].count: count must be a whole number, got 2.5"),
        ("2", "1.5", "hosting.storage.replicas: replicas must be a whole number, got 1.5"),
        ("0", "3", "count must be between 1 and 1e+06, got 0"),
    ],
)
def test_servers_and_replicas_are_whole_numbers(count, replicas, message):
    text = MINIMAL + HOSTING.format(count=count, replicas=replicas)
    assert any(message in p for p in problems(text))


def test_whole_numbers_written_as_floats_or_text_are_accepted():
    q = load(MINIMAL + HOSTING.format(count="2.0", replicas="'3'"))
    assert (q.hosting.servers[0].count, q.hosting.storage.replicas) == (2.0, 3.0)


def test_a_virtual_server_above_512_vcpu_is_refused():
    text = (MINIMAL + HOSTING.format(count=1, replicas=3)).replace("vcpu: 4", "vcpu: 1000")
    assert any("vcpu must be between 0.001 and 512, got 1000" in p for p in problems(text))


def test_shares_within_the_tolerance_are_renormalised_to_100_percent():
    text = MINIMAL.replace("laptop: 100%", "laptop: 60.4%\n    smartphone: 40%")
    devices = load(text).usage.devices
    assert devices.laptop + devices.smartphone == pytest.approx(1.0, abs=1e-12)
    assert devices.laptop == pytest.approx(0.604 / 1.004)


def test_shares_beyond_the_tolerance_are_still_refused():
    text = MINIMAL.replace("laptop: 100%", "laptop: 61%\n    smartphone: 40%")
    assert "device shares must sum to 100%, they sum to 101.0%" in problems(text)[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("name: Minimal", "name: 123", "s.yaml:1:1: name: must be text, got 123"),
        ("name: Minimal", "name: 2024-01-01", None),  # a date stays text under YAML 1.2
        ("fixed: 100%", "fixed: 100%\n    satellite: 0%", "unknown key 'satellite'"),
    ],
)
def test_messages_speak_yaml_not_python(old, new, message):
    text = MINIMAL.replace(old, new)
    if message is None:
        assert load(text).name == "2024-01-01"
    else:
        assert any(message in p for p in problems(text))


def test_a_literal_lists_its_choices_plainly():
    text = MINIMAL + "budgets:\n  - {criterion: energy, per: session, max: 1 Wh}\n"
    assert problems(text) == [
        "s.yaml:13:25: budgets[0].per: 'session' is not allowed: write one of visit, user, total"
    ]


AI_BLOCK = """\
ai:
  requests_per_visit: 1
  output_tokens: {tokens}
  model:
    size: small
"""


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        (
            "users: 1000",
            "users: beaucoup",
            "cannot read 'beaucoup' as a number: write a count such as 50000",
        ),
        ("users: 1000", "users: 5 MB", "a plain number without a unit (a count such as 50000)"),
        ("visit_duration: 6 min", "visit_duration: long", "e.g. '5 min'"),
        ("data_per_visit: 10 MB", "data_per_visit: lots", "e.g. '2.5 MB'"),
        ("laptop: 100%", "laptop: all", "a percentage such as '60%' or a fraction such as 0.6"),
        ("visits_per_user: 10", "visits_per_user: often", "a count (24) or a rate ('2 / month')"),
    ],
)
def test_each_field_s_hint_speaks_of_that_field(old, new, hint):
    (problem,) = problems(MINIMAL.replace(old, new))
    assert hint in problem


def test_a_pue_is_a_ratio_and_output_tokens_a_count_not_a_data_size():
    pue = problems(MINIMAL + "hosting:\n  pue: high\n")
    assert pue == [
        "s.yaml:13:3: hosting.pue: cannot read 'high' as a number: write a ratio such as 1.5"
    ]
    tokens = problems(MINIMAL + AI_BLOCK.format(tokens="many"))
    assert tokens == [
        "s.yaml:14:3: ai.output_tokens: cannot read 'many' as a number: write a count such as 300"
    ]
    assert "MB" not in " ".join(pue + tokens)


def test_pydantic_s_own_errors_are_worded_for_a_yaml_author():
    assert problems(MINIMAL.replace("usage:\n", "usage: 3\nx:\n")) == [
        "s.yaml:2:1: usage: must be a mapping of keys, got 3",
        "s.yaml:3:1: unknown key 'x'",
    ]
    listed = problems(MINIMAL + "budgets: none\n")
    assert listed == ["s.yaml:12:1: budgets: must be a list (items starting with '- '), got 'none'"]
    flag = problems(MINIMAL + "messages:\n  per_user: 3\n  attachments_as_links: maybe\n")
    assert flag == [
        "s.yaml:14:3: messages.attachments_as_links: must be true or false, got 'maybe'"
    ]
    assert problems(MINIMAL.replace("name: Minimal", "name: ''")) == [
        "s.yaml:1:1: name: must not be empty"
    ]


def test_a_refused_value_is_quoted_short():
    long_list = "[" + ", ".join(["1"] * 100) + "]"
    (problem,) = problems(MINIMAL.replace("usage:\n", f"usage: {long_list}\nx:\n")[:-1])[:1]
    assert problem.endswith("…") and len(problem) < 120


KEPT = """\
terminals:
  equipment:
    speaker: {count}
  speaker:
    standby: {standby}
"""


def test_kept_devices_are_counts_per_user_and_their_standby_a_power():
    q = load(MINIMAL + KEPT.format(count=0.29, standby="1.5 W"))
    assert q.terminals.equipment.speaker == 0.29
    assert q.terminals.setting("speaker", "standby") == 1.5
    assert q.terminals.equipment.printer == 0  # a kind left out is kept by nobody


def test_a_negative_kept_count_or_standby_is_refused_where_written():
    found = problems(MINIMAL + KEPT.format(count=-1, standby="-2 W"))
    assert len(found) == 2
    assert found[0] == (
        "s.yaml:14:5: terminals.equipment.speaker: count must be between 0 and 1e+06, got -1"
    )
    assert found[1].startswith("s.yaml:16:5: terminals.speaker.standby: ")


def test_an_unknown_kind_of_kept_device_says_the_nearest():
    (found,) = problems(MINIMAL + "terminals:\n  equipment:\n    speakers: 1\n")
    assert "speakers" in found and "speaker" in found.split("speakers", 1)[1]


def test_problems_at_one_place_come_in_the_same_order_whatever_the_hash_seed(tmp_path: Path):
    """Five missing keys are all reported at the section's line and column: they used to be
    deduplicated through a set and sorted by position only, so their order followed the
    string hashes, which change with every process (PYTHONHASHSEED)."""
    (tmp_path / "m.yaml").write_text("name: x\nusage:\n  users: 100\n", encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        run = subprocess.run(
            [sys.executable, "-m", "acvnum", "validate", "m.yaml"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, **CLI_ENV, "PYTHONHASHSEED": seed},
            timeout=60,
        )
        assert run.returncode == 2, run.stderr
        outputs.add(run.stderr)
    (stderr,) = outputs
    missing = ["data_per_visit", "devices", "network", "visit_duration", "visits_per_user"]
    expected = [f"m.yaml:2:1: usage: missing required key '{key}'" for key in missing]
    assert stderr.splitlines()[:5] == expected
