"""The result JSON, version 2 (docs/json.md): the contract CI pipelines rely on.

Real outputs of the CLI (one file, a folder, sampled, with levers and what-if, from check,
a compact portfolio) are validated against the published schema, and the figures are
checked against each other.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, run_cli

from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report.json_format import INDENT_UP_TO, count
from acvnum.report.result_schema import SCHEMA_FILE, result_schema

ECOMMERCE = str(EXAMPLES / "ecommerce.yaml")
BUDGETS = """\
budgets:
  - criterion: climate_change
    per: visit
    max: 50 g
"""


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def estimate(*args: str, cwd: Path | None = None) -> str:
    result = run_cli("estimate", *args, "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_valid(validator, text: str) -> dict:
    document = json.loads(text)
    errors = [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(document)]
    assert errors == []
    return document


@pytest.fixture(scope="module")
def one() -> str:
    return estimate(ECOMMERCE)


def test_one_file_is_one_service_in_the_envelope(validator, one):
    document = assert_valid(validator, one)
    assert document["schema_version"] == 2
    assert "portfolio" not in document
    (service,) = document["services"]
    assert service["service"]["name"] == "Boutique en ligne"
    assert len(service["levers"]) == 5  # levers are on by default


def test_counts_are_integers(one):
    (service,) = json.loads(one)["services"]
    # 50000 users x 2 visits a month x 12 months = 1,200,000 visits: whole, so integers
    assert service["service"]["users"] == 50000 and type(service["service"]["users"]) is int
    assert service["service"]["visits"] == 1_200_000 and type(service["service"]["visits"]) is int
    assert '"users": 50000,' in one


def test_count_is_whole_or_left_alone():
    assert (count(3.0), count(2.5), count(1e10)) == (3, 2.5, 10_000_000_000)
    assert type(count(3.0)) is int


def test_every_criterion_adds_up(one):
    (service,) = json.loads(one)["services"]
    users, visits = service["service"]["users"], service["service"]["visits"]
    assert list(service["criteria"]) == list(CRITERION_IDS)
    for c in service["criteria"].values():
        assert sum(c["by_tier"].values()) == pytest.approx(c["total"])
        assert sum(c["by_phase"].values()) == pytest.approx(c["total"])
        assert sum(c["by_item"].values()) == pytest.approx(c["total"])
        assert c["per_user"] == pytest.approx(c["total"] / users)
        assert c["per_visit"] == pytest.approx(c["total"] / visits)


def test_planetary_boundary_block(one):
    document = json.loads(one)
    (service,) = document["services"]
    climate = service["criteria"]["climate_change"]
    # 6.81e12 kg / 8.0e9 people = 851.25 kg CO2e per person-year (Sala et al. 2020, Table 3)
    assert climate["planetary_boundary"]["per_person_year"] == pytest.approx(851.25)
    assert climate["planetary_boundary"]["persons_equivalent"] == pytest.approx(
        climate["total"] / 851.25
    )
    assert service["criteria"]["energy"]["planetary_boundary"] is None
    assert document["boundaries"]["population"] == 8_000_000_000


def test_every_source_key_resolves_once(one):
    document = json.loads(one)
    sources = document["sources"]
    (service,) = document["services"]
    named = {key for a in service["assumptions"] for key in a["sources"]}
    named |= {key for lever in document["lever_catalogue"].values() for key in lever["sources"]}
    assert named | set(document["boundaries"]["sources"]) <= set(sources)
    assert document["boundaries"]["sources"] == ["Sala-2020"]
    assert sources["Sala-2020"]["year"] == 2020 and "Sala" in sources["Sala-2020"]["citation"]
    assumptions = {a["path"]: a for a in service["assumptions"]}
    assert assumptions["usage.users"]["sources"] == []  # the questionnaire's own answer
    lifetime = assumptions["hosting.servers[0].lifetime"]
    assert lifetime["status"] == "default" and "Boavizta-PCF" in lifetime["sources"]


SERVERS = """\
hosting:
  servers:
    - name: app
      type: virtual
      provider: aws
      instance: m5.large
    - name: db
      type: physical
"""
API_MODEL = """\
ai:
  requests_per_visit: 0.5
  output_tokens: 400
  model:
    size: medium
"""


def _noted_paths(service: dict) -> set[str]:
    return {a["path"] for a in service["assumptions"] if "(" in a["path"]}


def test_the_words_acvnum_adds_follow_the_key_in_the_path(tmp_path):
    """A row keeps its words ('idle', the model's size) apart from its key; the JSON writes
    them after it in English, as ever: from the rows (one file) and from the questionnaires
    (a folder's services of the common shape, acvnum.report.assumptions_json)."""
    servers = {
        "hosting.servers[0].power per vCPU (idle)",  # a cloud instance: the provider's watts
        "hosting.servers[0].power per vCPU (full load)",
        "hosting.servers[1].power (idle)",  # a physical server: the archetype's watts
        "hosting.servers[1].power (full load)",
    }
    api = {"ai.model.size (medium)", "ai.pue (API)", "ai.location (API)"}
    (service,) = json.loads(estimate(write(tmp_path / "ai.yaml", SERVERS + API_MODEL)))["services"]
    assert _noted_paths(service) == servers | api
    folder = tmp_path / "folder"
    folder.mkdir()
    for i in range(INDENT_UP_TO + 1):  # the compact route
        write(folder / f"s{i:02d}.yaml", SERVERS)
    services = json.loads(estimate(str(folder)))["services"]
    assert [_noted_paths(s) for s in services] == [servers] * (INDENT_UP_TO + 1)


def write(path: Path, hosting: str) -> str:
    path.write_text(MINIMAL + hosting, encoding="utf-8")
    return str(path)


def test_without_factors_of_one_s_own_no_source_is_keyed_own(tmp_path):
    """terminals.location left out is the users' location, a convention of the method: it
    was an `own-` entry citing 'usage.location', which docs/json.md keeps for --factors."""
    for i in range(INDENT_UP_TO + 1):  # the compact route (a folder's) as well as one file
        (tmp_path / f"s{i:02d}.yaml").write_text(MINIMAL.replace("Minimal", f"S{i}"), "utf-8")
    for text in (estimate(ECOMMERCE), estimate(str(EXAMPLES)), estimate(str(tmp_path))):
        document = json.loads(text)
        assert [k for k in document["sources"] if k.startswith("own-")] == []
        for service in document["services"]:
            assumptions = {a["path"]: a for a in service["assumptions"]}
            located = assumptions["terminals.location"]
            if located["status"] == "default":
                assert located["sources"] == ["acvnum-method"]


def test_a_market_based_total_cites_the_method_not_an_own_source(validator, tmp_path):
    """The market-based climate total is worked out from another answer, the contract's
    factor (hosting.electricity_factor): like a location taken from the users', it cites the
    method, never an `own-` entry (docs/json.md keeps those for --factors). The service's
    `market_based` object is in the schema, which refused it."""
    shop = (EXAMPLES / "ecommerce.yaml").read_text(encoding="utf-8")
    contract = shop.replace("  pue: 1.5", "  electricity_factor: 20 g/kWh\n  pue: 1.5", 1)
    assert contract != shop
    for i in range(INDENT_UP_TO + 1):  # the compact route (a folder's) as well as one file
        (tmp_path / f"s{i:02d}.yaml").write_text(contract.replace("Boutique", f"S{i}"), "utf-8")
    for text in (estimate(str(tmp_path / "s00.yaml")), estimate(str(tmp_path))):
        document = assert_valid(validator, text)
        assert [k for k in document["sources"] if k.startswith("own-")] == []
        for service in document["services"]:
            assumptions = {a["path"]: a for a in service["assumptions"]}
            assert assumptions["market_based_climate"]["sources"] == ["acvnum-method"]
            assert assumptions["hosting.electricity_factor"]["sources"] == []
            market = service["market_based"]
            assert market["electricity_factor"] == {"value": 0.02, "unit": "kg CO2 eq/kWh"}
            assert market["climate_change"]["unit"] == "kg CO2 eq"


def test_docs_name_every_key_of_the_factors_and_say_budgets_are_always_there(one):
    """docs/json.md describes what a plain estimate writes: factors.values, budgets: []."""
    docs = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    document = json.loads(one)
    (line,) = [line for line in docs.splitlines() if line.startswith("factors ")]
    named = line.split("{", 1)[1].replace(":", ",").replace("}", ",")
    for key in document["factors"]:
        assert f"{key}," in named.replace(" ", ""), key
    assert document["services"][0]["budgets"] == []
    (line,) = [line for line in docs.splitlines() if line.startswith("budgets ")]
    following = docs.splitlines()[docs.splitlines().index(line) + 1]
    assert "[] when nothing was judged (estimate)" in following


def test_lever_rationales_are_written_once_in_the_catalogue():
    """Four services with five levers each: each lever's rationale once, not per service."""
    document = json.loads(estimate(str(EXAMPLES)))
    used = {lever["id"] for s in document["services"] for lever in s["levers"]}
    assert set(document["lever_catalogue"]) == used
    for service in document["services"]:
        for lever in service["levers"]:
            entry = document["lever_catalogue"][lever["id"]]
            assert entry["title"] == lever["title"] and entry["rationale"]
            assert "rationale" not in lever and "source" not in lever


def test_a_users_own_source_is_its_own_entry(write_yaml, tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text(
        "id,value,low,high,unit,source,year,licence,note\n"
        "electricity.FRA.climate_change,0.1,0.05,0.2,kg CO2 eq/kWh,"
        "Our own grid study,2025,internal,\n",
        encoding="utf-8",
    )
    text = estimate(str(write_yaml(MINIMAL)), "--factors", str(table))
    document = json.loads(text)
    own = [k for k, s in document["sources"].items() if s["citation"] == "Our own grid study"]
    assert len(own) == 1 and own[0].startswith("own-")
    assert document["factors"]["user_factors"] == ["electricity.FRA.climate_change"]
    assumptions = {a["path"]: a for a in document["services"][0]["assumptions"]}
    assert assumptions["period"]["sources"] == ["acvnum-method"]  # a convention of the method


def test_a_folder_has_the_portfolio(validator):
    document = assert_valid(validator, estimate(str(EXAMPLES)))
    names = [s["service"]["name"] for s in document["services"]]
    assert len(names) == len(list(EXAMPLES.glob("*.yaml"))) == document["portfolio"]["services"]
    assert {r["name"] for r in document["portfolio"]["ranking"]} == set(names)
    for cid, c in document["portfolio"]["criteria"].items():
        parts = [s["criteria"][cid]["total"] for s in document["services"]]
        assert c["total"] == pytest.approx(sum(parts))


def test_sampled_with_what_if_is_valid(validator):
    text = estimate(
        ECOMMERCE,
        str(EXAMPLES / "internal-app.yaml"),
        "--uncertainty",
        "--samples",
        "200",
        "--what-if",
        "usage.data_per_visit=1 MB",
    )
    document = assert_valid(validator, text)
    for service in document["services"]:
        assert service["uncertainty"]["samples"] == 200
        interval = service["criteria"]["climate_change"]["interval"]
        assert interval["p5"] <= interval["p50"] <= interval["p95"]
        assert service["what_if"]["changes"][0]["path"] == "usage.data_per_visit"
    assert set(document["portfolio"]["criteria"]["energy"]["interval"]) == {"p5", "p50", "p95"}


def test_check_output_is_a_valid_result(validator, write_yaml, tmp_path):
    path = write_yaml(MINIMAL + BUDGETS)
    saved = tmp_path / "baseline.json"
    assert run_cli("estimate", str(path), "-f", "json", "-o", str(saved)).returncode == 0
    result = run_cli("check", str(path), "--baseline", str(saved), "-f", "json")
    assert result.returncode == 0, result.stderr
    document = assert_valid(validator, result.stdout)
    (service,) = document["services"]
    assert service["check"]["passed"] is True
    assert [b["criterion"] for b in service["budgets"]] == ["climate_change"]


def test_a_large_portfolio_is_compact_and_valid(validator, tmp_path):
    for i in range(INDENT_UP_TO + 1):
        (tmp_path / f"s{i:02d}.yaml").write_text(MINIMAL.replace("Minimal", f"S{i}"), "utf-8")
    text = estimate(str(tmp_path), "--levers", "0")
    assert text.count("\n") == 1  # one line: no indentation past INDENT_UP_TO services
    document = assert_valid(validator, text)
    assert len(document["services"]) == document["portfolio"]["services"] == INDENT_UP_TO + 1
    small = estimate(*[str(p) for p in sorted(tmp_path.glob("*.yaml"))[:2]], "--levers", "0")
    assert document["services"][0] == json.loads(small)["services"][0]
    # the citations are written once per document, not once per service
    assert text.count("Sala S., Crenna E.") == small.count("Sala S., Crenna E.") == 1


def test_committed_schema_is_what_the_code_gives():
    committed = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert committed == result_schema(), "run: acvnum schema --result --force -o " + SCHEMA_FILE


def test_schema_command_prints_it():
    result = run_cli("schema", "--result")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")


def test_a_document_streamed_from_batches_is_the_whole_document():
    """The compact text written batch by batch reads back as the document built whole."""
    import acvnum
    from acvnum.report.json_format import document, stream

    results = acvnum.estimate(str(EXAMPLES), levers=1).services()
    many = results * 3  # 12 services, past INDENT_UP_TO: compact
    text = b"".join(stream([many[:5], many[5:7], many[7:]])).decode("utf-8")
    assert text.count("\n") == 1
    assert json.loads(text) == json.loads(json.dumps(document(many)))


@pytest.mark.parametrize(
    ("example", "added"),
    [
        ("ai-assistant", {"datacenter.use.ai", "datacenter.manufacturing.ai_gpus"}),
        ("video-conferencing", {"datacenter.use.video", "datacenter.manufacturing.video"}),
        ("webmail", {"datacenter.use.messages", "datacenter.manufacturing.messages"}),
    ],
)
def test_a_block_s_keys_are_valid_and_only_in_its_service(validator, example, added):
    document = assert_valid(validator, estimate(str(EXAMPLES / f"{example}.yaml")))
    by_item = document["services"][0]["criteria"]["climate_change"]["by_item"]
    assert added <= set(by_item)
    ecommerce = json.loads(estimate(ECOMMERCE))["services"][0]["criteria"]["climate_change"]
    assert not added & set(ecommerce["by_item"])


def test_an_unknown_by_item_key_is_refused(validator, one):
    document = json.loads(one)
    document["services"][0]["criteria"]["energy"]["by_item"]["datacenter.use.gpu"] = 1.0
    assert any("by_item" in e.json_path for e in validator.iter_errors(document))


def _json_bytes(data) -> bytes:
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8", errors="backslashreplace")


@pytest.mark.parametrize(
    "data",
    [
        # Small and large floats: orjson spells some apart from json (1e-7, 0.00005), the
        # value read back is the same; shortest round-trip digits either way.
        {"a": [1e-7, 5e-05, 1.2345e-6, 0.0001, 1e16, 1.5e17, 3816955.639627021, -0.0, 5e-324]},
        {"name": 'Boutique é 日本 \u2028 \x00 \x7f "quoted" \\ back'},
        [1, 0, -1, 2**63 - 1, True, False, None, [], {}],
    ],
)
def test_encode_reads_back_as_json_writes_it(data):
    from acvnum.report.json_format import encode

    assert json.loads(encode(data)) == json.loads(_json_bytes(data))


@pytest.mark.parametrize(
    "data",
    [
        {"name": "lone \udc80 surrogate"},  # a file name that is not UTF-8
        {"n": 2**70},  # past 64 bits
        {1: "not a text key"},
    ],
)
def test_what_orjson_refuses_is_written_as_json_wrote_it(data):
    from acvnum.report.json_format import encode

    assert encode(data) == _json_bytes(data)


def test_a_numpy_number_is_written_as_its_float():
    import numpy as np

    from acvnum.report.json_format import encode

    assert encode({"x": np.float64(0.1) * 3}) == b'{"x":0.30000000000000004}'
    with pytest.raises(TypeError):
        encode({"x": object()})


def test_without_orjson_json_writes_the_same_document(monkeypatch):
    from acvnum.report import json_format

    data = {"a": [1e-7, 0.1, 3], "name": "é"}
    with_orjson = json_format.encode(data)
    monkeypatch.setattr(json_format, "_orjson", lambda: None)
    assert json_format.encode(data) == _json_bytes(data)
    assert json.loads(json_format.encode(data)) == json.loads(with_orjson)


_AWKWARD = [
    # Floats orjson spells apart from json (1e-7, 0.00005, 1e16), a numpy float, a tuple.
    {"a": [1e-7, 5e-05, 1.2345e-6, 0.0001, 1e16, 1.5e17, 3816955.639627021, -0.0, 5e-324]},
    {"numpy": __import__("numpy").float64(0.1) * 3, "pair": (1.5, 2)},
    {"name": 'Boutique é 日本 \u2028 \x00 \x1f \x7f "quoted" \\ back', "empty": [{}, []]},
    [1, 0, -1, 2**63 - 1, True, False, None, [], {}, {"nested": {"deep": [0.5]}}],
    # What orjson refuses: json writes it.
    {"name": "lone \udc80 surrogate"},
    {"n": 2**70},
    {1: "not a text key", 2.5: 0.1},
]


@pytest.mark.parametrize("data", _AWKWARD)
def test_indented_is_byte_for_byte_json_s_indent(data):
    """The one-file document (json.dumps with indent=2, as the goldens hold it), written by
    orjson: the same bytes, floats included."""
    from acvnum.report.json_format import indented

    expected = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    assert indented(data) == expected.encode("utf-8", errors="backslashreplace")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_indented_refuses_what_json_refuses(bad):
    """orjson would write null for a NaN; json refuses it, and so does `indented`."""
    from acvnum.report.json_format import indented

    with pytest.raises(ValueError, match="JSON compliant"):
        indented({"x": [1.0, bad]})
    with pytest.raises(TypeError):
        indented({"x": object()})


# --- the folder JSON's levers, written from the arrays they were found in ---------------------


def _service_data(draw, index: int) -> dict:
    """A service without optional blocks: the levers' array path takes it."""
    import copy

    from conftest import MINIMAL_DATA

    st = _strategies()
    data = copy.deepcopy(MINIMAL_DATA)
    data["name"] = f"Service {index}"
    mobile = draw(st.integers(0, 100))
    data["usage"] |= {
        # 0 min and 0 MB without hosting: no lever saves anything
        "visit_duration": f"{draw(st.sampled_from([0, 1, 6, 44, 90]))} min",
        "data_per_visit": f"{draw(st.sampled_from([0, 0.42, 3, 40]))} MB",
        "network": {"mobile": f"{mobile}%", "fixed": f"{100 - mobile}%"},
        "devices": draw(
            st.sampled_from([{"laptop": "100%"}, {"smartphone": "60%", "tablet": "40%"}])
        ),
    }
    if draw(st.booleans()):
        hosting: dict = {"location": draw(st.sampled_from(["FRA", "DEU", "USA", "SWE", "WLD"]))}
        if draw(st.booleans()):
            hosting["pue"] = draw(st.sampled_from([1.05, 1.5, 2.1]))
        if draw(st.booleans()):
            hosting["environments"] = draw(st.integers(1, 4))
        servers = []
        for k in range(draw(st.integers(0, 3))):
            group: dict = {"name": f"s{k}", "count": draw(st.integers(1, 12))}
            if draw(st.booleans()):
                group |= {"type": "virtual", "vcpu": draw(st.sampled_from([2, 8]))}
            else:
                group["type"] = "physical"
                if draw(st.booleans()):
                    group["power"] = f"{draw(st.integers(20, 900))} W"
            if draw(st.booleans()):
                group["utilization"] = f"{draw(st.integers(0, 100))}%"
            if draw(st.booleans()):
                group["lifetime"] = f"{draw(st.integers(1, 9))} years"
            servers.append(group)
        hosting["servers"] = servers
        if draw(st.booleans()):
            hosting["storage"] = {
                "volume": f"{draw(st.integers(0, 900))} GB",
                "type": draw(st.sampled_from(["ssd", "hdd"])),
            }
        data["hosting"] = hosting
    return data


def _strategies():
    from hypothesis import strategies

    return strategies


def _examples() -> list[dict]:
    """The examples: AI, video and messages blocks take the per-service path."""
    import yaml

    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]


def _compact_both_ways(data: list[dict], count: int) -> tuple[bytes, bytes, int]:
    """The compact document of `data` with `count` levers, written with the levers' fast
    path and without it (each service's LeverResult and Combination objects, as before),
    in two parts (a worker's each); and how many services took the fast path."""
    import acvnum
    import acvnum.analysis.levers as levers_module
    from acvnum.report import json_format

    def written(assessed: list) -> bytes:
        parts = [json_format.part(assessed[:3], first=True)]
        if len(assessed) > 3:
            parts.append(json_format.part(assessed[3:], first=False))
        return b"".join(json_format.compact(parts))

    assessed = acvnum.estimate(data, levers=count).services()
    fast = written(assessed)
    took = sum(a.found.proposals.encoded() is not None for a in assessed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(levers_module._ArrayProposals, "encoded", lambda self: None)
        slow = written(acvnum.estimate(data, levers=count).services())
    return fast, slow, took


def test_folder_levers_written_from_arrays_are_the_objects_bytes():
    """Generated services (with and without hosting, servers and storage; some that no lever
    helps), the examples with optional blocks among them, one lever (no combination) or
    several: the same document to the byte, the fast path taken by every plain service."""
    from hypothesis import HealthCheck, given, settings

    st = _strategies()
    examples = _examples()
    plain = sum(not ({"ai", "video", "messages"} & set(e)) for e in examples)

    @st.composite
    def portfolios(draw) -> list[dict]:
        services = [_service_data(draw, i) for i in range(draw(st.integers(1, 7)))]
        if draw(st.booleans()):
            services += draw(st.lists(st.sampled_from(examples), min_size=1, max_size=3))
        return services

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(portfolios(), st.sampled_from([1, 2, 5]))
    def check(data: list[dict], count: int) -> None:
        fast, slow, took = _compact_both_ways(data, count)
        assert fast == slow
        assert took == sum(not ({"ai", "video", "messages"} & set(d)) for d in data)

    check()
    fast, slow, took = _compact_both_ways(examples, 5)
    assert fast == slow and took == plain > 0


def test_folder_levers_with_equal_savings_are_ranked_alike(monkeypatch):
    """Two levers of equal savings (a copy of one under another id, before it in the
    alphabet): ranked by id in both ways, and the copy is in the catalogue once."""
    import dataclasses

    from conftest import MINIMAL_DATA

    import acvnum.analysis.levers as levers_module

    levers = levers_module.catalogue()
    original = next(lever for lever in levers if lever.id == "shorter_journeys")
    twin = dataclasses.replace(original, id="a_shorter_journeys_twin")
    monkeypatch.setattr(levers_module, "catalogue", lambda: (*levers, twin))
    examples = _examples()
    plain = sum(not ({"ai", "video", "messages"} & set(e)) for e in examples)
    fast, slow, took = _compact_both_ways([MINIMAL_DATA] * 4 + examples, 5)
    assert fast == slow and took == 4 + plain
    document = json.loads(fast)
    ids = [lever["id"] for lever in document["services"][0]["levers"]]
    assert ids.index("a_shorter_journeys_twin") + 1 == ids.index("shorter_journeys")
    assert "a_shorter_journeys_twin" in document["lever_catalogue"]


def _awkward_folder(folder: Path) -> Path:
    """The examples (AI, video, messages, storage, optional blocks), 40 generated services,
    one given a range, one a tiny audience and no locations (the default regions)."""
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_portfolio import generate

    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    generate(folder, 40)
    first = (folder / "service-00001.yaml").read_text(encoding="utf-8")
    lines = first.splitlines()
    ranged = [
        "  data_per_visit: 2 MB..4 MB" if line.startswith("  data_per_visit:") else line
        for line in lines
    ]
    (folder / "ranged.yaml").write_text("\n".join(ranged) + "\n", encoding="utf-8")
    tiny = [
        "  users: 1"
        if line.startswith("  users:")
        else "  visits_per_user: 1e-9 / month"
        if line.startswith("  visits_per_user:")
        else line
        for line in lines
        if not line.startswith("  location:")
    ]
    (folder / "tiny.yaml").write_text("\n".join(tiny) + "\n", encoding="utf-8")
    return folder


_ONES = """\
name: Ones
usage:
  users: 1.0
  visits_per_user: 1 / month
  visit_duration: 0 min
  data_per_visit: 1 MB
  devices:
    desktop: 1.0
  network:
    mobile: 1
    fixed: 0
hosting:
  location: SWE
  pue: 1.0
  environments: 1
  servers:
    - name: one
      count: 1.0
      type: virtual
      vcpu: 1
"""


@pytest.mark.parametrize("region_candidates", [None, ["ATA"]])
def test_folder_levers_of_awkward_services_are_the_objects_bytes(
    tmp_path, monkeypatch, region_candidates
):
    """The examples, 40 generated services, a range, a tiny audience in default regions,
    values written 1 / 1.0, no visit time; with the catalogue's regions, and with a region
    lever whose candidates have no factor (it has nothing to propose): the folder JSON's
    levers written from the arrays are the objects' bytes."""
    import dataclasses

    import acvnum.analysis.levers as levers_module

    if region_candidates is not None:
        found = levers_module.catalogue()
        changed = tuple(
            dataclasses.replace(lever, change={**lever.change, "candidates": region_candidates})
            if lever.change["kind"] == "region"
            else lever
            for lever in found
        )
        monkeypatch.setattr(levers_module, "catalogue", lambda: changed)
    folder = _awkward_folder(tmp_path)
    (folder / "ones.yaml").write_text(_ONES, encoding="utf-8")
    fast, slow, took = _compact_both_ways(str(folder), 5)
    assert fast == slow
    import yaml

    read = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")]
    assert took == sum(not {"ai", "video", "messages"} & set(data) for data in read) > 40
    assert (b'"id":"low_carbon_region"' in fast) == (region_candidates is None)


def test_a_part_s_rows_made_once_per_part_are_byte_for_byte_the_service_s_own(
    tmp_path,
):
    """In a Part, rows many services share (assumptions, coverage) are made into dicts once:
    the bytes are those of each service written on its own, a service orjson refuses (a
    name that is not UTF-8, written by json) included."""
    import dataclasses

    import acvnum
    from acvnum.report import json_format

    services = acvnum.estimate(str(_awkward_folder(tmp_path))).services()
    assert len(services) == 50
    first = services[0]
    services.append(
        first._replace(result=dataclasses.replace(first.result, name="lone \udc80 surrogate"))
    )
    part = json_format.part(services, first=True)
    plain = json_format.Citations()  # not a Part's: the rows' dicts, encoded with the service
    expected = [json_format.encode(json_format.service_dict(r, plain, f)) for r, f in services]
    assert part.services == b",".join(expected)
    assert b"\\udc80" in expected[-1]  # json wrote the last one
    assert b"2 MB..4 MB (central 2.83 MB)" in part.services


def test_folder_levers_orjson_refuses_are_written_from_the_objects(monkeypatch):
    """A change's text orjson refuses (a lone surrogate): the chunk's levers are written
    from the objects, as before (then by json, when orjson refuses those too)."""
    import orjson
    from conftest import MINIMAL_DATA

    from acvnum.analysis import lever_arrays

    def refused(text):
        raise orjson.JSONEncodeError("str is not valid UTF-8: surrogates not allowed")

    monkeypatch.setattr(lever_arrays, "_escaped", refused)
    monkeypatch.setattr(lever_arrays, "_WRITTEN", {})  # no value written before
    fast, slow, took = _compact_both_ways([MINIMAL_DATA] * 12, 5)
    assert fast == slow and took == 0


def test_folder_levers_whose_best_combination_is_the_top_lever_alone(monkeypatch):
    """When no longer prefix saves more than the best lever alone (forced here: the longer
    prefixes are compared with a zero baseline, so they save less than nothing), the
    combination is that lever with its own changes and saving, the same bytes both ways."""
    import numpy as np
    from conftest import MINIMAL_DATA

    import acvnum.analysis.levers as levers_module

    original = levers_module._array_combinations

    def worse(frame, steps, at, lengths, top, levers, base, *rest):
        return original(frame, steps, at, lengths, top, levers, np.zeros_like(base), *rest)

    monkeypatch.setattr(levers_module, "_array_combinations", worse)
    fast, slow, took = _compact_both_ways([MINIMAL_DATA] * 12, 5)
    assert fast == slow and took == 12
    for service in json.loads(fast)["services"]:
        top, combined = service["levers"][0], service["levers_combined"]
        assert len(service["levers"]) > 1 and combined["levers"] == [top["id"]]
        keys = ("changes", "reduction", "saving", "persons_equivalent_saved")
        assert [combined[key] for key in keys] == [top[key] for key in keys]


def test_a_document_of_services_read_before_is_the_same_bytes():
    """A service whose criteria or levers were read before (made: they let go of their
    chunk's arrays) is written from its objects: the same document to the byte."""
    from conftest import MINIMAL_DATA

    import acvnum
    from acvnum.report import json_format

    data = [{**MINIMAL_DATA, "name": f"s{i}"} for i in range(3)] + _examples()

    def written(assessed: list) -> bytes:
        parts = [json_format.part(assessed[:4], first=True), json_format.part(assessed[4:], False)]
        return b"".join(json_format.compact(parts))

    fresh = written(acvnum.estimate(data).services())
    assessed = acvnum.estimate(data).services()
    for result, found in assessed[::2]:
        assert result.criteria["climate_change"].total > 0 and found.levers
    assert assessed[0].result.criteria.chunk is None  # read: written from its objects
    assert assessed[0].found.proposals.encoded() is None
    assert assessed[1].result.criteria.chunk is not None  # not read: from the arrays
    assert assessed[1].found.proposals.encoded() is not None
    assert written(assessed) == fresh


def test_a_combination_of_the_top_lever_alone_shares_no_dict_with_it(monkeypatch):
    """Its saving is the lever's, but its own object: a caller changing the combination's
    figures in `to_dict()` (or the objects) leaves the lever's as they were."""
    import numpy as np
    from conftest import MINIMAL_DATA

    import acvnum
    import acvnum.analysis.levers as levers_module

    original = levers_module._array_combinations

    def worse(frame, steps, at, lengths, top, levers, base, *rest):  # see the test above
        return original(frame, steps, at, lengths, top, levers, np.zeros_like(base), *rest)

    monkeypatch.setattr(levers_module, "_array_combinations", worse)
    assessment = acvnum.estimate([MINIMAL_DATA] * 3)
    found = assessment.found(0)
    assert found.levers_combined.levers == (found.levers[0].lever.id,)
    assert found.levers_combined.effect == found.levers[0].effect
    assert found.levers_combined.effect.saving is not found.levers[0].effect.saving
    service = assessment.to_dict()["services"][0]
    kept = service["levers"][0]["saving"]["climate_change"]
    service["levers_combined"]["saving"]["climate_change"] = -1.0
    service["levers_combined"]["reduction"]["climate_change"] = -1.0
    assert service["levers"][0]["saving"]["climate_change"] == kept
    assert service["levers"][0]["reduction"]["climate_change"] != -1.0
