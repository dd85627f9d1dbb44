"""The one table of defaults: what fills each value a file leaves out, and that every
reader (inventory, assumptions, levers, what-if) uses the same one."""

import re

import pytest
import yaml
from conftest import MINIMAL, ROOT

from acvnum.analysis import whatif
from acvnum.analysis.lever_kinds import Context
from acvnum.calculation import assumptions
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference import defaults
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import COLUMNS, load_factors

TABLE = load_factors()


@pytest.mark.parametrize("pattern", [*defaults.FACTOR_DEFAULTS, *defaults.REGION_DEFAULTS])
def test_every_default_fills_an_optional_questionnaire_value(pattern):
    info = modelpath.place(Questionnaire, pattern).field
    assert info is not None and not info.is_required() and info.default is None, pattern


def test_default_values_in_the_questionnaire_base_unit():
    # 4 years of server life, in seconds; the PUE as the table gives it.
    lifetime = defaults.value(("hosting", "servers", "*", "lifetime"), TABLE)
    assert lifetime == TABLE.value("server.physical.lifetime") * units.SECONDS_PER_YEAR
    assert defaults.value(("hosting", "pue"), TABLE) == TABLE.value("datacenter.default.pue")
    assert defaults.value(("usage", "location"), TABLE) == "WLD"
    assert defaults.value(("hosting", "servers", "*", "power"), TABLE) is None  # modelled


def test_a_user_factor_table_changes_the_default_everywhere(tmp_path):
    """One table: the inventory, the assumptions, the levers and what-if all use the user's
    PUE for a file that gives none."""
    mine_csv = tmp_path / "mine.csv"
    row = "datacenter.default.pue,1.3,1.2,1.4,1,my survey,2024,mine,\n"
    mine_csv.write_text(",".join(COLUMNS) + "\n" + row, encoding="utf-8")
    mine = load_factors(mine_csv)
    data = yaml.safe_load(MINIMAL) | {"hosting": {"servers": [{"name": "a", "type": "physical"}]}}
    q = as_record(data)
    rows = {a.path: a for a in assumptions.collect(q, mine)}
    assert str(rows["hosting.pue"].value) == "1.3"
    assert Context(mine, boundaries(mine)).defaulted(("hosting", "pue")) == 1.3
    assert str(whatif._shown(q, ("hosting", "pue"), mine)) == "1.3 (default)"
    # The inventory: 1.3 / 1.56 of the default table's data-centre electricity.
    kwh = [i for i, a in enumerate(ACTIVITIES) if a.tier == "datacenter" and a.phase == "use"]
    arrays = service_arrays([q])
    ours = evaluate(arrays, mine.central()).inventory[0, 0, kwh].sum()
    shipped = evaluate(arrays, TABLE.central()).inventory[0, 0, kwh].sum()
    assert ours / shipped == pytest.approx(1.3 / TABLE.value("datacenter.default.pue"))


#: A questionnaire with every section a default fills: all device types (and every kind of
#: kept equipment), a physical server,
#: storage, a self-hosted model without PUE or utilisation, messages with nothing but a rate.
EVERY_SECTION = yaml.safe_load(MINIMAL) | {
    "usage": yaml.safe_load(MINIMAL)["usage"]
    | {
        "devices": dict.fromkeys(["smartphone", "tablet", "laptop", "desktop", "television"], "20%")
    },
    "hosting": {
        "location": "DEU",
        "servers": [{"name": "a", "type": "physical"}],
        "storage": {"volume": "1 TB"},
    },
    "terminals": {d: {} for d in ("smartphone", "tablet", "laptop", "desktop", "television")}
    | {k: {} for k in ("game_console", "printer", "speaker")}
    | {"equipment": {"game_console": 0.5, "printer": 0.3, "speaker": 0.3}},
    "ai": {
        "requests_per_visit": 1,
        "output_tokens": 300,
        "model": {"size": "medium"},
        "self_hosted": {"gpus": 2},
    },
    "messages": {"per_user": "10 / month"},
}


def _inventory(q: Questionnaire):
    return evaluate(service_arrays([q]), TABLE.central()).inventory[0, 0]


@pytest.mark.parametrize("pattern", defaults.FACTOR_DEFAULTS, ids=".".join)
def test_writing_the_default_changes_nothing(pattern):
    """The table's value, written into the file, gives the inventory the file left out:
    the table and the calculation agree on every default (factor, unit conversion)."""
    q = as_record(EVERY_SECTION)
    path = modelpath.with_index(pattern, 0)
    value = defaults.value(pattern, TABLE)
    written = modelpath.replace(q, path, value)
    assert modelpath.get(q, path) is None
    assert _inventory(written) == pytest.approx(_inventory(q), rel=1e-12, abs=0)
    # ...and a different value moves the inventory: the default really is read.
    doubled = modelpath.replace(q, path, value * (0.5 if "utilization" in pattern else 2))
    assert _inventory(doubled) != pytest.approx(_inventory(q), rel=1e-9, abs=0)


def test_a_left_out_value_inherits_before_its_default():
    """A self-hosted model without a PUE runs at the hosting's, the devices draw the users'
    country's electricity: what-if shows (and the assumptions list) the inherited value."""
    data = EVERY_SECTION | {"hosting": EVERY_SECTION["hosting"] | {"pue": 1.25}}
    q = as_record(data)
    assert str(whatif._shown(q, ("ai", "self_hosted", "pue"), TABLE)) == "1.25 (default)"
    assert str(whatif._shown(q, ("terminals", "location"), TABLE)) == "FRA (default)"
    rows = {a.path: str(a.value) for a in assumptions.collect(q, TABLE)}
    assert rows["ai.self_hosted.pue"] == "1.25"
    # Without the hosting's PUE, the table's default.
    bare = as_record(EVERY_SECTION)
    pue = TABLE.value("datacenter.default.pue")
    assert str(whatif._shown(bare, ("ai", "self_hosted", "pue"), TABLE)) == f"{pue:.3g} (default)"


def test_what_if_and_assumptions_show_the_defaults_of_terminals_and_messages():
    """Before a change to a value the file left out, the default the calculation used."""
    q = as_record(EVERY_SECTION)
    lifetime = TABLE.value("device.laptop.lifetime")  # years
    shown = whatif._shown(q, ("terminals", "laptop", "lifetime"), TABLE)
    assert shown.default and shown.amount == pytest.approx(lifetime * units.SECONDS_PER_YEAR)
    retention = whatif._shown(q, ("messages", "retention"), TABLE)
    assert retention.amount == TABLE.value("messages.default.retention") * units.SECONDS_PER_YEAR
    rows = {a.path: a for a in assumptions.collect(q, TABLE)}
    assert rows["messages.size"].status == "default"
    assert rows["messages.size"].source == TABLE["messages.default.size"].source
    assert (
        rows["terminals.laptop.hours_per_day"].source == TABLE["device.laptop.active_hours"].source
    )


_DEFAULT_IDS = "|".join(re.escape(d.factor) for d in defaults.FACTOR_DEFAULTS.values())
#: A default spelled in place: a default's factor id or the default region in quotes, or a
#: device factor id built from its parts (defaults.device_factor_id is the one that does).
_SPELLED = re.compile(
    rf"[\"'](?:{_DEFAULT_IDS}|{defaults.DEFAULT_REGION})[\"']|device\.\{{[^}}]+\}}\.\{{"
)


#: Readers of the table that once spelled a default themselves.
_READERS = (
    "calculation/engine.py",
    "calculation/assumptions.py",
    "questionnaire/interview.py",
    "analysis/whatif.py",
)


@pytest.mark.parametrize("module", _READERS)
def test_no_reader_spells_a_default_the_table_holds(module):
    assert _SPELLED.findall((ROOT / "acvnum" / module).read_text()) == []


def test_a_kept_device_s_default_is_the_table_s_in_the_inventory_and_the_assumptions(
    monkeypatch,
):
    """Pointing the table at another factor moves both readers with it: neither builds the
    device factor's id itself."""
    q = as_record(EVERY_SECTION)
    before = _inventory(q)
    monkeypatch.setitem(
        defaults.FACTOR_DEFAULTS,
        ("terminals", "printer", "lifetime"),
        defaults.Default("server.physical.lifetime", units.SECONDS_PER_YEAR),
    )
    row = {a.path: a for a in assumptions.collect(q, TABLE)}["terminals.printer.lifetime"]
    assert row.source == TABLE["server.physical.lifetime"].source
    assert TABLE.value("server.physical.lifetime") != TABLE.value("device.printer.lifetime")
    assert _inventory(q) != pytest.approx(before, rel=1e-9, abs=0)
