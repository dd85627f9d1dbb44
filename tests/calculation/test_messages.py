"""The messages block: hand-checked from the cited factors (factors/media.csv), its levers.

MINIMAL: 1000 users, a 1-year period (365.25 days), all traffic on fixed access. Defaults
(ADEME Impact CO2 model, email rules): 1 MB, 1 recipient, kept 10 years, 3 copies;
0.04486 Wh of mail-server electricity per item handled (sent or received); SSD storage
(factors/datacenter.csv: storage.ssd.*), no hosting section: PUE 1.56 (the default).
"""

import copy

import numpy as np
import pytest
import yaml
from conftest import MINIMAL

from acvnum.analysis.levers import Context, apply, catalogue
from acvnum.analysis.variants import Variant
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, HOURS_PER_YEAR, service_arrays
from acvnum.calculation.workloads import message_arrays, message_inventory
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
V = TABLE.value
CONTEXT = Context(TABLE, boundaries(TABLE))
LEVERS = {lever.id: lever for lever in catalogue()}
ENERGY = CRITERION_IDS.index("energy")
CLIMATE = CRITERION_IDS.index("climate_change")
ROW = {
    a.phase: i for i, a in enumerate(ACTIVITIES) if (a.tier, a.item) == ("datacenter", "messages")
}
TRAFFIC = {
    a.phase: i for i, a in enumerate(ACTIVITIES) if (a.tier, a.item) == ("network", "messages")
}
MAIL = {"per_user": "100 / year", "size": "2 MB", "recipients": 4, "retention": "5 years"}


def make(messages: dict | None) -> Questionnaire:
    data = yaml.safe_load(MINIMAL)
    if messages is not None:
        data["messages"] = copy.deepcopy(messages)
    return as_record(data)


def quantities(q: Questionnaire) -> list[float]:
    """(GB, server kWh before PUE, stored TB, TB-lifetimes) of one service."""
    out = message_inventory(message_arrays([q]), TABLE.central(), np.array([[q.period_years]]))
    return [float(x[0, 0]) for x in out]


def contributions(q: Questionnaire) -> np.ndarray:
    return evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0]


def test_transfers_server_work_and_the_stock_built_up():
    # 1000 users x 100 = 100,000 items a year, each handled 1 + 4 = 5 times:
    # 500,000 x 2 MB = 1,000 GB over the networks; 500,000 x 4.486e-5 = 22.43 kWh.
    # Stock: 100,000 x 0.002 GB x 5 mailboxes x 3 copies x 5 years = 15,000 GB = 15 TB.
    gigabytes, server_kwh, stored_tb, tb_lives = quantities(make(MAIL))
    assert gigabytes == pytest.approx(1000)
    assert server_kwh == pytest.approx(22.43)
    assert stored_tb == pytest.approx(15)
    assert tb_lives == pytest.approx(15 / V("storage.ssd.lifetime"))


def test_the_transfers_have_network_rows_of_their_own():
    # 1,000 GB of messages (above) on fixed access: equipment 1,000 x 0.0008803 kg CO2 eq
    # per GB plus the box's 63.04 / (2,432 x 5) = 0.0051842 kg per GB = 6.0645 kg CO2 eq;
    # the visits' own rows are those of a service without the block.
    plain, mail = contributions(make(None)), contributions(make(MAIL))
    assert mail[TRAFFIC["manufacturing"], CLIMATE] == pytest.approx(6.0645, rel=1e-4)
    own = [i for i, a in enumerate(ACTIVITIES) if a.tier == "network" and a.item != "messages"]
    np.testing.assert_allclose(mail[own], plain[own])


def test_the_datacenter_rows_take_the_pue_and_the_storage_power():
    # (22.43 kWh + 15 TB x storage.ssd.power W/TB x 8,766 h / 1000) x PUE 1.56.
    expected = (22.43 + 15 * V("storage.ssd.power") * HOURS_PER_YEAR / 1000) * 1.56
    c = contributions(make(MAIL))
    assert c[ROW["use"], ENERGY] == pytest.approx(expected)
    # Manufacturing: 15 TB / lifetime x 160 kg CO2 eq per TB of SSD.
    expected_kg = 15 / V("storage.ssd.lifetime") * V("storage.ssd.climate_change")
    assert c[ROW["manufacturing"], CLIMATE] == pytest.approx(expected_kg)


def test_defaults_are_the_ademe_models():
    # 100,000 items x (1 + 1) x 1 MB = 200 GB; stock 100,000 x 0.001 x 2 x 3 x 10 = 6 TB.
    gigabytes, _, stored_tb, _ = quantities(make({"per_user": "100 / year"}))
    assert (gigabytes, stored_tb) == (pytest.approx(200), pytest.approx(6))


def test_links_store_each_file_once():
    assert quantities(make(MAIL | {"attachments_as_links": True}))[2] == pytest.approx(3)


def test_without_the_block_nothing_changes():
    assert quantities(make(None)) == [0.0, 0.0, 0.0, 0.0]
    assert not contributions(make(None))[list(ROW.values())].any()


def test_retention_policy_keeps_two_years_given_or_default():
    for block, stock in ((MAIL, 15 * 2 / 5), ({"per_user": "100 / year"}, 6 * 2 / 10)):
        variant = apply(LEVERS["message_retention"], Variant(make(block)), CONTEXT)
        assert quantities(variant.copy())[2] == pytest.approx(stock)
    short = MAIL | {"retention": "1 year"}
    assert apply(LEVERS["message_retention"], Variant(make(short)), CONTEXT) is None


@pytest.mark.parametrize("lever_id", ["message_retention", "attachments_as_links"])
@pytest.mark.parametrize("block", [MAIL, {"per_user": "3 / day", "recipients": 0}])
def test_no_message_lever_raises_any_criterion(lever_id, block):
    q = make(block)
    variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
    before, after = contributions(q).sum(axis=0), contributions(variant.copy()).sum(axis=0)
    assert np.all(after <= before * (1 + 1e-12)), lever_id
