"""The one table of defaults: what fills each value a file leaves out, and that every
reader (inventory, assumptions, levers, what-if) uses the same one."""

import pytest
import yaml
from conftest import MINIMAL

from acvnum.analysis import whatif
from acvnum.analysis.lever_kinds import Context
from acvnum.calculation import assumptions
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire import units
from acvnum.questionnaire.models import Questionnaire
from acvnum.reference import defaults
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import COLUMNS, load_factors

TABLE = load_factors()


def _field(pattern: defaults.Pattern):
    """The model field a pattern names, walking the models."""
    model, info = Questionnaire, None
    for part in pattern:
        if part == "*":
            continue
        info = model.model_fields[part]
        model = modelpath.field_model(info.annotation)[0]
    return info


@pytest.mark.parametrize("pattern", [*defaults.FACTOR_DEFAULTS, *defaults.REGION_DEFAULTS])
def test_every_default_fills_an_optional_questionnaire_value(pattern):
    info = _field(pattern)
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
    q = Questionnaire.model_validate(data)
    rows = {a.path: a for a in assumptions.collect(q, mine)}
    assert rows["hosting.pue"].value == "1.3"
    assert Context(mine, boundaries(mine)).defaulted(("hosting", "pue")) == 1.3
    assert str(whatif._shown(q, ("hosting", "pue"), mine)) == "1.3 (default)"
    # The inventory: 1.3 / 1.56 of the default table's data-centre electricity.
    kwh = [i for i, a in enumerate(ACTIVITIES) if a.tier == "datacenter" and a.phase == "use"]
    arrays = service_arrays([q])
    ours = evaluate(arrays, mine.central()).inventory[0, 0, kwh].sum()
    shipped = evaluate(arrays, TABLE.central()).inventory[0, 0, kwh].sum()
    assert ours / shipped == pytest.approx(1.3 / TABLE.value("datacenter.default.pue"))
