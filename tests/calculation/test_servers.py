"""A server's configuration weighed against the default medium server."""

import numpy as np

from acvnum.calculation import servers
from acvnum.questionnaire.rules import SERVER_ARCHETYPES
from acvnum.reference.factors import FactorValues, load_factors

TABLE = load_factors()


def test_servers_all_medium_take_ratios_of_one_the_configuration_model_s_to_the_bit():
    """Where every server group is the default medium one with no part given (most
    portfolios, every lever pass over them), its medium equivalents and power scales are 1
    and its GPU watts the medium's, without the configuration model's arrays: the very
    numbers the model works out for those groups among configured ones (whose presence
    makes it run), under one sample and three."""
    medium = SERVER_ARCHETYPES.index(servers.DEFAULT_ARCHETYPE)
    plain = 5
    archetype = np.array([[medium]] * plain + [[SERVER_ARCHETYPES.index("large")]])
    given = {p: np.full((plain + 1, 1), np.nan) for p in servers.PARTS}
    given["memory"][-1, 0] = 512.0
    spread = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low, TABLE.high]))
    for f in (TABLE.central(), spread):
        mixed = [
            servers.medium_equivalents(f, archetype, given),
            *servers.power_scales(f, archetype, given),
        ]
        only = {p: v[:plain] for p, v in given.items()}
        alone = [
            servers.medium_equivalents(f, archetype[:plain], only),
            *servers.power_scales(f, archetype[:plain], only),
        ]
        for whole, fast in zip(mixed, alone, strict=True):
            assert fast.shape == (plain, f.samples)
            assert fast.tobytes() == whole[:plain].tobytes()
        assert (alone[0] == 1).all() and (alone[1] == 1).all() and (alone[2] == 1).all()
        assert not (mixed[0][plain:] == 1).all()  # the configured one is weighed


def test_the_medium_server_s_own_figures_are_worked_out_once_as_they_were():
    """Its carbon and component watts, kept per set of factor values (read-only), are the
    ones the configuration model works out from the medium archetype's parts."""
    f = FactorValues(TABLE, np.stack([TABLE.values, TABLE.low]))
    parts = [f[f"server.{servers.DEFAULT_ARCHETYPE}.{p}"] for p in servers.PARTS]
    idle, full = servers._component_power(f, *parts[:4])
    expected = {"carbon": servers.component_carbon(f, *parts), "idle": idle, "full": full}
    for name, value in expected.items():
        kept = servers._medium(f, name)
        assert kept is servers._medium(f, name) and not kept.flags.writeable
        assert kept.shape == (f.samples,) and kept.tobytes() == value.tobytes()
