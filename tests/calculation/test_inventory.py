"""The inventory's per-service factor overrides (the hook of assumption levers)."""

import numpy as np
import pytest
import yaml
from conftest import MINIMAL

from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.questionnaire.models import Questionnaire
from acvnum.reference.factors import load_factors

TABLE = load_factors()
Q = Questionnaire.model_validate(yaml.safe_load(MINIMAL))
LAPTOP = [a.tier == "terminals" and a.item == "laptop" for a in ACTIVITIES]


def test_a_factor_scale_applies_to_its_service_only():
    arrays = service_arrays([Q, Q], [{}, {"device.laptop.lifetime": 2.0}])
    amounts = evaluate(arrays, TABLE.central()).inventory[:, 0]
    manufacturing = [
        i for i, a in enumerate(ACTIVITIES) if LAPTOP[i] and a.phase == "manufacturing"
    ]
    use = [i for i, a in enumerate(ACTIVITIES) if LAPTOP[i] and a.phase == "use"]
    np.testing.assert_allclose(amounts[1, manufacturing], amounts[0, manufacturing] / 2)
    np.testing.assert_allclose(amounts[1, use], amounts[0, use])
    others = [i for i in range(len(ACTIVITIES)) if not LAPTOP[i]]
    np.testing.assert_allclose(amounts[1, others], amounts[0, others])


def test_without_overrides_nothing_changes():
    plain = evaluate(service_arrays([Q]), TABLE.central()).total
    unit = evaluate(service_arrays([Q], [{"device.laptop.power": 1.0}]), TABLE.central()).total
    np.testing.assert_array_equal(plain, unit)


def test_only_factors_read_per_service_can_be_scaled():
    with pytest.raises(ValueError, match="cannot be scaled per service"):
        service_arrays([Q], [{"server.physical.lifetime": 2.0}])
