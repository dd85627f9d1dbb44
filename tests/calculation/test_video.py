"""The video block: hand-checked from the cited factors (factors/media.csv), and its levers.

MINIMAL: 1000 users x 10 visits of 6 min = 10,000 visits, all on fixed access, 10 MB each.
Central factors: HD 3 GB/h, SD 0.7 GB/h, audio 168 / 1024 = 0.1641 GB/h; back end
0.001947 kWh/GB and 8.852e-7 server-years per viewing hour (ADEME's streaming model, from
Netflix 2019), server.physical.lifetime 4 years.
"""

import copy

import numpy as np
import pytest
import yaml
from conftest import MINIMAL, run_cli

from acvnum.analysis.levers import Context, apply, catalogue
from acvnum.analysis.variants import Variant
from acvnum.calculation.engine import evaluate
from acvnum.calculation.inventory import ACTIVITIES, service_arrays
from acvnum.calculation.workloads import video_arrays, video_gigabytes
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.reference.boundaries import boundaries
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.factors import load_factors

TABLE = load_factors()
CONTEXT = Context(TABLE, boundaries(TABLE))
LEVERS = {lever.id: lever for lever in catalogue()}
ENERGY = CRITERION_IDS.index("energy")
CLIMATE = CRITERION_IDS.index("climate_change")
ROW = {
    f"{a.phase}.{a.item}": i
    for i, a in enumerate(ACTIVITIES)
    if (a.tier, a.item) == ("datacenter", "video")
}
TRAFFIC = {a.phase: i for i, a in enumerate(ACTIVITIES) if (a.tier, a.item) == ("network", "video")}
NETWORK = [i for i, a in enumerate(ACTIVITIES) if a.tier == "network"]
STREAM = {"watched_per_visit": "5 min", "quality": "hd"}


def make(video: dict | None) -> Questionnaire:
    data = yaml.safe_load(MINIMAL)
    if video is not None:
        data["video"] = copy.deepcopy(video)
    return as_record(data)


def contributions(q: Questionnaire) -> np.ndarray:
    return evaluate(service_arrays([q]), TABLE.central()).contributions[0, 0]


def gigabytes(q: Questionnaire) -> float:
    return float(video_gigabytes(video_arrays([q]), TABLE.central())[0, 0])


def test_a_stream_takes_its_quality_rate_and_the_back_end_per_gb_and_per_hour():
    # 10,000 visits x 5 min = 833.33 h x 3 GB/h = 2,500 GB.
    q = make(STREAM)
    assert gigabytes(q) == pytest.approx(2500)
    c = contributions(q)
    # Back end: 2,500 GB x 0.001947 kWh/GB = 4.8675 kWh.
    assert c[ROW["use.video"], ENERGY] == pytest.approx(4.8675)
    # Servers: 833.33 h x 8.852e-7 = 7.3767e-4 server-years / 4 years = 1.8442e-4 of a
    # server's manufacturing x 1406 kg (a medium server) = 0.25929 kg CO2 eq.
    assert c[ROW["manufacturing.video"], CLIMATE] == pytest.approx(0.25929, rel=1e-4)


def test_video_data_is_carried_by_the_users_networks_like_the_visits_data():
    # 2,500 GB of video on top of 10,000 x 10 MB = 100 GB: the network rows grow 26-fold.
    plain, video = contributions(make(None)), contributions(make(STREAM))
    np.testing.assert_allclose(video[NETWORK, ENERGY].sum(), 26 * plain[NETWORK, ENERGY].sum())


def test_video_traffic_has_network_rows_of_its_own():
    # The visits' own 100 GB stay in the fixed-access rows; the 2,500 GB of video go to the
    # video rows, at the same per-GB factors (all fixed access): 25 times the visits' rows.
    plain, video = contributions(make(None)), contributions(make(STREAM))
    own = [i for i in NETWORK if i not in TRAFFIC.values()]
    np.testing.assert_allclose(video[own], plain[own])
    np.testing.assert_allclose(
        video[list(TRAFFIC.values())].sum(axis=0), 25 * plain[NETWORK].sum(axis=0)
    )
    # Use, as for the visits' GB: fixed network 0.03294 kWh/GB plus the box's share of its
    # power under the per-GB model, 8 W x 8,766 h / 1000 / 2,432 GB a year = 0.028836 kWh/GB:
    # 2,500 GB x 0.061776 = 154.44 kWh.
    assert video[TRAFFIC["use"], ENERGY] == pytest.approx(154.44, rel=1e-4)


def test_video_traffic_rows_follow_the_access_mix():
    # Half of the data on mobile: the video's equipment row takes half of each access's
    # per-GB manufacturing and half of the box's share (the box is on the fixed line):
    # box 63.04 kg / (2,432 GB a year x 5 years) = 0.0051842 kg/GB;
    # 2,500 GB x 0.5 x (fixed 0.0008803 + mobile 0.01436 + 0.0051842) = 25.531 kg CO2 eq.
    data = yaml.safe_load(MINIMAL)
    data["usage"]["network"] = {"fixed": "50%", "mobile": "50%"}
    data["video"] = dict(STREAM)
    c = contributions(as_record(data))
    assert c[TRAFFIC["manufacturing"], CLIMATE] == pytest.approx(25.531, rel=1e-4)


def test_a_call_shares_one_back_end_among_its_participants():
    stream, call = make(STREAM), make(STREAM | {"call_participants": 4})
    assert gigabytes(call) == gigabytes(stream)  # each participant sends and receives a stream
    np.testing.assert_allclose(
        contributions(call)[list(ROW.values())], contributions(stream)[list(ROW.values())] / 4
    )


def test_audio_in_background_streams_sound_for_the_screen_off_share():
    # 833.33 h: 40% with the screen off at 0.1641 GB/h, 60% at 3 GB/h:
    # 333.33 x 0.1641 + 500 x 3 = 54.69 + 1500 = 1554.69 GB.
    video = STREAM | {"background_share": "40%", "audio_in_background": True}
    assert gigabytes(make(video)) == pytest.approx(1554.69, rel=1e-4)
    assert gigabytes(make(video | {"audio_in_background": False})) == pytest.approx(2500)


def test_watched_per_user_over_the_period():
    # 1000 users x 50 min = 833.33 h, as 10,000 visits x 5 min.
    per_user = {"watched_per_user": "50 min", "quality": "hd"}
    assert gigabytes(make(per_user)) == pytest.approx(gigabytes(make(STREAM)))


def test_without_the_block_nothing_changes():
    assert gigabytes(make(None)) == 0
    assert not contributions(make(None))[list(ROW.values())].any()


@pytest.mark.parametrize(
    ("quality", "lower"), [("uhd", "full_hd"), ("full_hd", "sd"), ("hd", "sd"), ("sd", None)]
)
def test_lower_quality_steps_to_the_next_lower_rate_not_below_sd(quality, lower):
    # full_hd and hd share 3 GB/h: from full HD the next lower rate is SD's.
    variant = apply(
        LEVERS["video_lower_quality"], Variant(make(STREAM | {"quality": quality})), CONTEXT
    )
    assert (variant and variant.get(("video", "quality"))) == (lower or None)


@pytest.mark.parametrize("lever_id", [k for k in LEVERS if k.startswith("video_")])
@pytest.mark.parametrize(
    "video",
    [
        STREAM,
        STREAM | {"quality": "uhd", "background_share": "30%"},
        {"watched_per_user": "40 min", "quality": "full_hd", "call_participants": 3},
    ],
)
def test_no_video_lever_raises_any_criterion(lever_id, video):
    q = make(video)
    variant = apply(LEVERS[lever_id], Variant(q), CONTEXT)
    if variant is None:
        return
    before, after = contributions(q).sum(axis=0), contributions(variant.copy()).sum(axis=0)
    assert np.all(after <= before * (1 + 1e-12)), lever_id


def test_more_video_than_the_visit_lasts_is_refused_at_its_line(write_yaml):
    path = write_yaml(MINIMAL + "video:\n  watched_per_visit: 10 min\n  quality: hd\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert ":13:3: video.watched_per_visit: 10 min is longer than a visit (6 min)" in (
        result.stderr
    )
