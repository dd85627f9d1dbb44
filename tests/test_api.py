"""The Python API: acvnum.estimate(...) -> Assessment, .to_dict() -> the result JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL, run_cli

import acvnum
from acvnum.errors import InputError
from acvnum.reference.factors import load_factors


def test_import_stays_cheap():
    """`import acvnum` loads neither numpy nor pydantic: estimate and AcvnumError are
    imported on first use."""
    heavy = "{'numpy', 'pydantic', 'acvnum.api', 'acvnum.errors'}"
    code = f"import sys, acvnum; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert callable(acvnum.estimate)
    assert issubclass(acvnum.AcvnumError, Exception)
    with pytest.raises(AttributeError):
        acvnum.not_there  # noqa: B018


def test_to_dict_is_the_documents_json(tmp_path):
    """The API and the CLI give the same document (the file path as given to each)."""
    path = str(EXAMPLES / "ecommerce.yaml")
    from_api = acvnum.estimate(path).to_dict()
    from_cli = json.loads(run_cli("estimate", path, "--format", "json").stdout)
    assert json.loads(json.dumps(from_api)) == from_cli


def test_a_dict_is_a_questionnaire(write_yaml):
    """MINIMAL: 1000 users x 10 visits x 6 min = 1000 laptop-hours, so terminal use is
    1000 h x the laptop's power in W / 1000 kWh; a dict or a file gives the same figures."""
    (from_dict,) = acvnum.estimate(yaml.safe_load(MINIMAL), levers=0)
    watts = load_factors().value("device.laptop.power")  # 26.5 W (ADEME Impact CO2, 2026)
    assert from_dict.criteria["energy"].by_item["terminals.use.laptop"] == pytest.approx(watts)
    (from_file,) = acvnum.estimate(write_yaml(MINIMAL), levers=0)
    assert from_dict.criteria == from_file.criteria
    assert from_dict.source_file == "<dict 0>"


def test_several_inputs_make_a_portfolio(write_yaml):
    data = yaml.safe_load(MINIMAL.replace("Minimal", "From a dict"))
    assessment = acvnum.estimate([data, str(EXAMPLES)], levers=0)
    assert len(assessment) == 1 + len(list(EXAMPLES.glob("*.yaml")))
    document = assessment.to_dict()
    assert document["portfolio"]["services"] == len(assessment)
    assert document["services"][0]["service"]["name"] == "From a dict"


def test_options_are_the_clis():
    assessment = acvnum.estimate(
        str(EXAMPLES / "ecommerce.yaml"),
        uncertainty=200,
        levers=2,
        what_if=["usage.data_per_visit=1 MB"],
        network_model="energy",
    )
    (result,), found = assessment, assessment.found(0)
    assert found.uncertainty is not None and found.uncertainty.samples == 200
    assert [lever.rank for lever in found.levers] == [1, 2]
    assert found.what_if is not None
    cli = run_cli(
        "estimate", str(EXAMPLES / "ecommerce.yaml"), "--network-model", "energy", "-f", "json"
    )
    network = json.loads(cli.stdout)["services"][0]["criteria"]["climate_change"]["by_tier"][
        "network"
    ]
    assert result.criteria["climate_change"].by_tier["network"] == network


def test_budgets_are_judged_as_check_judges_them(tmp_path):
    """`budgets=True` judges the file's own budgets, a list adds --budget texts; the
    outcomes are those `acvnum check --format json` writes, in the same place."""
    path = str(EXAMPLES / "ecommerce.yaml")
    plain = acvnum.estimate(path, levers=0)
    assert plain.budgets == () and plain.to_dict()["services"][0]["budgets"] == []
    judged = acvnum.estimate(path, levers=0, budgets=True)
    checked = json.loads(run_cli("check", path, "--format", "json").stdout)["services"][0]
    assert judged.to_dict()["services"][0]["budgets"] == checked["budgets"] != []
    assert judged.within_budgets == checked["check"]["passed"] is True
    tight = acvnum.estimate(path, levers=0, budgets=["climate_change<=1g/visit"])
    (*own, added) = tight.budgets[0]
    assert len(own) == len(judged.budgets[0]) and (added.limit, added.passed) == (0.001, False)
    assert not tight.within_budgets


def test_budgets_none_is_not_judged_and_to_dict_is_the_caller_s_copy():
    path = str(EXAMPLES / "ecommerce.yaml")
    assessment = acvnum.estimate(path, levers=0, budgets=None)
    assert assessment.budgets == ()
    document = assessment.to_dict()
    document["services"][0]["criteria"]["climate_change"]["by_tier"]["network"] = -1.0
    assert (
        assessment.to_dict()["services"][0]["criteria"]["climate_change"]["by_tier"]["network"]
        == assessment[0].criteria["climate_change"].by_tier["network"]
        > 0
    )


def test_a_budget_that_cannot_be_read_is_input_error():
    with pytest.raises(InputError) as caught:
        acvnum.estimate(str(EXAMPLES / "ecommerce.yaml"), budgets=["ok<=1g/visit", "nonsense"])
    assert [p.file for p in caught.value.problems] == ["<budget 0>", "<budget 1>"]


def test_no_questionnaire_is_input_error_not_a_crash():
    with pytest.raises(InputError) as caught:
        acvnum.estimate([])  # was an IndexError deep in the inventory
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]) == (
        "<questionnaires>:1:1: no questionnaire given: pass a file, a folder, a dict of a "
        "questionnaire's data, or a list of them"
    )


def test_an_empty_path_is_input_error_not_the_current_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a folder with a questionnaire: '' must not assess it
    (tmp_path / "here.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        acvnum.estimate([str(tmp_path / "here.yaml"), ""])
    assert [p.file for p in caught.value.problems] == ["<path 1>"]
    assert str(caught.value.problems[0]) == (
        "<path 1>:1:1: an empty path names no file or folder (it would be read as the current "
        "folder)"
    )


def test_bad_input_raises_input_error_with_every_problem():
    data = yaml.safe_load(MINIMAL)
    data["usage"]["users"] = -1
    del data["usage"]["devices"]
    with pytest.raises(InputError) as caught:
        acvnum.estimate([data, data])
    messages = [f"{p.file}: {p.message}" for p in caught.value.problems]
    assert any(m.startswith("<dict 1>: usage.users") for m in messages)
    assert any("devices" in m for m in messages) and len(messages) == 4
    assert data["usage"]["users"] == -1  # the caller's dict is not changed


def test_an_int_too_large_for_a_float_is_input_error():
    """A dict can hold ints YAML cannot (a file's are cut at 30 digits): 10**400 has no float
    and 3 * 10**5000 no repr; both are refused as inf is, never an OverflowError's traceback."""
    data = yaml.safe_load(MINIMAL)
    data["usage"]["users"] = 10**400
    data["usage"]["data_per_visit"] = -3 * 10**5000
    data["budgets"] = [{"criterion": "water_use", "per": "visit", "max": 10**400}]
    with pytest.raises(InputError) as caught:
        acvnum.estimate(data)
    messages = sorted(str(p.message) for p in caught.value.problems)
    assert messages == [
        "budgets[0].max: 1e+400 is not a finite number",
        "usage.data_per_visit: -3e+5000 is not a finite number",
        "usage.users: 1e+400 is not a finite number",
    ]


def test_a_dict_that_holds_itself_is_input_error():
    """A cycle no YAML file can make (its nesting is bounded on reading) sent the range
    look-up into a RecursionError: refused as too deep, as a file nested so would be."""
    data = yaml.safe_load(MINIMAL)
    data["usage"]["devices"] = data
    hosting: dict = {"servers": []}
    hosting["servers"].append(hosting)
    for given in (data, {**yaml.safe_load(MINIMAL), "hosting": hosting}):
        with pytest.raises(InputError) as caught:
            acvnum.estimate(given)
        (problem,) = caught.value.problems
        assert str(problem.message).startswith("values nested more than 50 levels deep")


def test_a_refused_value_with_a_lone_surrogate_is_input_error():
    """Quoted in a refusal, 'a\\ud800' (a str YAML cannot write) made pydantic raise
    UnicodeEncodeError: the message reaches the caller instead, the text as given."""
    data = yaml.safe_load(MINIMAL)
    data["usage"]["data_per_visit"] = "5 \udc80B"
    data["budgets"] = [{"criterion": "a\ud800", "per": "user", "max_boundary_share": "1%"}]
    with pytest.raises(InputError) as caught:
        acvnum.estimate(data)
    messages = sorted(str(p.message) for p in caught.value.problems)
    assert messages[0].startswith("budgets[0].criterion: unknown criterion 'a\ud800'")
    assert messages[1].startswith("usage.data_per_visit: unknown data unit '\udc80B'")


SAMPLES = "must be a whole number from 100 to 1000000"


@pytest.mark.parametrize(
    ("keywords", "said"),
    [
        ({"levers": -1}, "<levers>:1:1: must be a whole number of 0 or more, got -1"),
        ({"levers": "3"}, "<levers>:1:1: must be a whole number of 0 or more, got '3'"),
        ({"levers": True}, "<levers>:1:1: must be a whole number of 0 or more, got True"),
        ({"seed": -2}, "<seed>:1:1: must be a whole number of 0 or more, got -2"),
        ({"uncertainty": 3}, f"<uncertainty>:1:1: {SAMPLES}, got 3"),
        # 10**9 samples would take memory without bound: refused as --samples refuses it
        ({"uncertainty": 10**9}, f"<uncertainty>:1:1: {SAMPLES}, got 1000000000"),
        ({"population": "bogus"},
         "<population>:1:1: 'bogus' is not a choice; choose one of 'current', 'sala2010'"),
        ({"network_model": "x"},
         "<network_model>:1:1: 'x' is not a choice; choose one of 'per_gb', 'energy', 'power'"),
        ({"what_if": [1]}, "<what_if 0>:1:1: must be text, got 1"),
        ({"budgets": ["climate_change<=2g/visit", 7]}, "<budget 1>:1:1: must be text, got 7"),
    ],
)  # fmt: skip
def test_a_keyword_the_cli_would_refuse_is_input_error_naming_it(keywords, said):
    # Before: a KeyError (population), a ValueError from a tuple (network_model), a numpy
    # error (levers='3'), a negative dimension (uncertainty=-5), or a run that went ahead.
    with pytest.raises(InputError) as caught:
        acvnum.estimate(str(EXAMPLES / "ecommerce.yaml"), **keywords)
    assert [str(p) for p in caught.value.problems] == [said]


def test_every_refused_keyword_is_said_at_once():
    with pytest.raises(InputError) as caught:
        acvnum.estimate(str(EXAMPLES / "ecommerce.yaml"), levers=-1, seed=-1, population="x")
    assert [p.file for p in caught.value.problems] == ["<levers>", "<seed>", "<population>"]


WHAT_IF_KEYS = (
    "unknown key 'nokey' in the questionnaire (known: name, description, functional_unit, "
    "period, usage, hosting, terminals, ai, video, messages, budgets)"
)


def test_a_what_if_that_cannot_be_read_is_input_error_said_with_the_other_keywords():
    # It was acvnum.errors.WhatIfError (a ValueError), alone, after the run had started.
    with pytest.raises(InputError) as caught:
        acvnum.estimate(
            str(EXAMPLES / "ecommerce.yaml"), what_if=["usage.users=2", "nokey=1", "x"], levers=-1
        )
    assert [str(p) for p in caught.value.problems] == [
        "<levers>:1:1: must be a whole number of 0 or more, got -1",
        f"<what_if 1>:1:1: --what-if nokey=1: {WHAT_IF_KEYS}",
        "<what_if 2>:1:1: --what-if x: write PATH=VALUE, e.g. usage.data_per_visit=1MB",
    ]


def test_a_what_if_a_questionnaire_refuses_is_input_error_naming_the_file():
    shop = str(EXAMPLES / "ecommerce.yaml")
    with pytest.raises(InputError) as caught:
        acvnum.estimate(shop, what_if=["usage.users=-1"])
    assert [str(p) for p in caught.value.problems] == [
        f"<what_if>:1:1: {shop}: with --what-if usage.users=-1: usage.users: users must be "
        "between 1 and 1e+10, got -1"
    ]
    # the CLI says the same as it did, exit 2
    result = run_cli("estimate", shop, "--what-if", "usage.users=-1")
    assert result.returncode == 2
    assert result.stderr == f"acvnum: {caught.value.problems[0].message}\n"


def test_a_what_if_refused_by_several_questionnaires_is_said_for_each(tmp_path):
    # The API said only the first file's refusal, and so did the CLI (one line, exit 2)
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes((EXAMPLES / "ecommerce.yaml").read_bytes())
    with pytest.raises(InputError) as caught:
        acvnum.estimate(str(tmp_path), what_if=["usage.users=-1"], levers=0)
    refused = "with --what-if usage.users=-1: usage.users: users must be between 1 and 1e+10"
    assert [str(p) for p in caught.value.problems] == [
        f"<what_if>:1:1: {tmp_path / name}: {refused}, got -1" for name in ("a.yaml", "b.yaml")
    ]
    result = run_cli("estimate", str(tmp_path), "--what-if", "usage.users=-1", "--levers", "0")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "".join(f"acvnum: {p.message}\n" for p in caught.value.problems)


def test_more_samples_than_the_services_can_keep_is_input_error():
    # Within --samples' bounds, but 3 x 1,000,000 service-samples exceed what is kept in
    # memory: it raised TooManySamples (a ValueError) through the API; the CLI exits 2
    shop = str(EXAMPLES / "ecommerce.yaml")
    with pytest.raises(InputError) as caught:
        acvnum.estimate([shop, shop, shop], uncertainty=1_000_000, levers=0)
    assert [str(p) for p in caught.value.problems] == [
        "<uncertainty>:1:1: 3 services x 1,000,000 samples exceeds 2,000,000 service-samples: "
        "lower uncertainty (the samples) or assess fewer services at once"
    ]


def test_keywords_within_the_cli_s_bounds_are_taken():
    import numpy as np

    path = str(EXAMPLES / "ecommerce.yaml")
    # numpy integers are whole numbers; 0 samples is no uncertainty, as False is
    taken = acvnum.estimate(path, levers=np.int64(0), seed=np.int32(1), uncertainty=0)
    assert taken.settings.samples is None and taken.settings.seed == 1
    # one --what-if text given as a string is one change (as one budget text is)
    (service,) = acvnum.estimate(path, levers=0, what_if="usage.users=3").to_dict()["services"]
    assert [c["path"] for c in service["what_if"]["changes"]] == ["usage.users"]


@pytest.mark.parametrize(
    ("given", "name"),
    [
        (123, "<questionnaires>"),
        (None, "<questionnaires>"),
        (b"examples/ecommerce.yaml", "<questionnaires>"),  # bytes: not a list of numbers
        ([None], "<questionnaire 0>"),
    ],
)
def test_what_is_not_a_questionnaire_is_input_error(given, name):
    with pytest.raises(InputError) as caught:
        acvnum.estimate(given)
    assert [p.file for p in caught.value.problems] == [name]
    assert "must be a questionnaire's path (a file or a folder) or a dict of its data, got" in str(
        caught.value.problems[0]
    )


def test_any_iterable_of_questionnaires_is_taken():
    from_glob = acvnum.estimate(EXAMPLES.glob("ecommerce.yaml"), levers=0)
    from_name = acvnum.estimate(str(EXAMPLES / "ecommerce.yaml"), levers=0)
    assert from_glob.to_dict() == from_name.to_dict()
