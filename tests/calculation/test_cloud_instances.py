"""Cloud instances by name: vCPUs and host from Boavizta's archetypes, power from CCF's
per-vCPU figures (factors/cloud.csv); an unknown name gets the closest known one."""

import copy

import numpy as np
import pytest
import yaml
from conftest import MINIMAL, run_cli

from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, HOURS_PER_YEAR, service_arrays
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
ENERGY = CRITERION_IDS.index("energy")
CLIMATE = CRITERION_IDS.index("climate_change")
SERVERS = {a.phase: i for i, a in enumerate(ACTIVITIES) if a.item == "servers"}
M5 = {"name": "web", "type": "virtual", "provider": "aws", "instance": "m5.large"}


def make(*servers: dict) -> Questionnaire:
    data = yaml.safe_load(MINIMAL)
    data["hosting"] = {"location": "FRA", "pue": 1.0, "servers": copy.deepcopy(list(servers))}
    return as_record(data)


def servers(q: Questionnaire) -> np.ndarray:
    c = evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0]
    return c[[SERVERS["manufacturing"], SERVERS["use"]]]


def test_an_aws_instance_takes_its_vcpus_host_and_per_vcpu_power():
    # m5.large: 2 vCPU on an m5.metal host of 96 vCPU. 2 instances at 50%:
    # power 2 x 2 x (0.74 + (3.5 - 0.74) x 0.5) = 8.48 W -> 8.48 x 8,766 h = 74.34 kWh;
    # manufacturing 2 x 2 / 96 = 0.041667 host / 4 years x 1406 kg (a medium server)
    # = 14.646 kg a year.
    rows = servers(make(M5 | {"count": 2, "utilization": "50%"}))
    assert rows[1, ENERGY] == pytest.approx(8.48 * HOURS_PER_YEAR / 1000)
    assert rows[0, CLIMATE] == pytest.approx(2 * 2 / 96 / 4 * 1406)


def test_the_same_vcpus_written_by_hand_share_a_default_host():
    # Without the instance: 2 vCPU of a 64-vCPU default host and the generic host power.
    by_hand = servers(make({"name": "web", "type": "virtual", "vcpu": 2}))
    named = servers(make(M5))
    assert named[0, CLIMATE] == pytest.approx(by_hand[0, CLIMATE] * 64 / 96)


def test_a_provider_without_per_vcpu_figures_takes_the_mean_of_ccfs_three():
    # Scaleway pro2-xs: 4 vCPU; default utilisation 50%: 4 x (0.7433 + (3.84 - 0.7433) x 0.5)
    # = 4 x 2.29165 = 9.1666 W.
    rows = servers(
        make({"name": "app", "type": "virtual", "provider": "scaleway", "instance": "pro2-xs"})
    )
    assert rows[1, ENERGY] == pytest.approx(9.1666 * HOURS_PER_YEAR / 1000, rel=1e-4)


def test_instance_names_are_case_insensitive():
    np.testing.assert_allclose(servers(make(M5 | {"instance": "M5.Large"})), servers(make(M5)))


def _stderr(write_yaml, server: str) -> str:
    text = MINIMAL + "hosting:\n  servers:\n" + server
    result = run_cli("validate", str(write_yaml(text)))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    return result.stderr


def test_an_unknown_instance_gets_a_did_you_mean_at_its_line(write_yaml):
    server = (
        "    - name: db\n      type: virtual\n      provider: gcp\n      instance: n2-standrad-4\n"
    )
    assert (
        ":17:7: hosting.servers[0].instance: unknown gcp instance 'n2-standrad-4'; "
        "did you mean 'n2-standard-4'?"
    ) in _stderr(write_yaml, server)


def test_an_instance_needs_its_provider_and_no_vcpu(write_yaml):
    alone = "    - name: db\n      type: virtual\n      instance: m5.large\n"
    assert "a cloud instance needs both 'provider' and 'instance'" in _stderr(write_yaml, alone)
    both = (
        "    - name: db\n      type: virtual\n      provider: aws\n"
        "      instance: m5.large\n      vcpu: 4\n"
    )
    assert "'vcpu' comes from the instance; leave it out" in _stderr(write_yaml, both)
    physical = (
        "    - name: db\n      type: physical\n      provider: aws\n      instance: m5.large\n"
    )
    assert "write 'type: virtual'" in _stderr(write_yaml, physical)


@pytest.mark.parametrize("provider", ["aws", "azure", "gcp", "ovhcloud", "scaleway"])
def test_every_provider_has_instances_and_power_figures(provider):
    instances = [i for i in TABLE.ids if i.startswith(f"cloud.{provider}.") and i.endswith(".vcpu")]
    assert len(instances) >= 7
    assert f"cloud.power.{provider}_idle" in TABLE and f"cloud.power.{provider}_max" in TABLE
