"""The questionnaire's rules on their own: each check's bounds (inclusive, as the code writes
them), what it accepts and refuses, and its message in English and in French.

The models and the plain reader call these checks (tests/questionnaire/test_models.py and
test_plain.py test them through a whole questionnaire); here each is called directly.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from acvnum.errors import Refusal
from acvnum.questionnaire import rules, units
from acvnum.questionnaire.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR

NNBSP = "\u202f"  # French: before '%', ';' and inside guillemets


def refused(check, *args) -> Refusal:
    with pytest.raises(Refusal) as caught:
        check(*args)
    return caught.value


def said(check, *args, lang: str = "en") -> str:
    """The refusal's message in `lang`."""
    return refused(check, *args).message.render(lang)


# --- readers ------------------------------------------------------------------------------


def test_plain_number_readers_name_what_they_count_in_their_refusal():
    assert rules.read_users("50000") == 50000
    assert rules.read_ratio(1.5) == 1.5
    # hint.count 'a count such as {example:g}' with the users' example, 50000
    assert "a count such as 50000" in said(rules.read_users, "many")
    assert "un nombre entier comme 50000" in said(rules.read_users, "many", lang="fr")
    # a PUE is a ratio, not a count: hint.ratio with 1.5
    assert "a ratio such as 1.5" in said(rules.read_ratio, "high")
    assert "un rapport comme 1,5" in said(rules.read_ratio, "high", lang="fr")


@pytest.mark.parametrize(
    ("reader", "plain", "base"),
    [
        (rules.read_data_size, 2, 2e6),  # a plain number is in MB: 2 MB = 2e6 B
        (rules.read_storage_size, 3, 3e9),  # in GB
        (rules.read_duration, 6, 360.0),  # in minutes: 6 min = 360 s
        (rules.read_long_duration, 1, SECONDS_PER_YEAR),  # in years
        (rules.read_daily_hours, 2, 7200.0),  # in hours
        (rules.read_power, 50, 50.0),  # in W
        (rules.read_energy, 2, 2.0),  # in kWh
    ],
)
def test_quantity_readers_take_a_plain_number_in_their_own_unit(reader, plain, base):
    assert reader(plain) == pytest.approx(base)


def test_quantity_readers_take_a_written_unit_over_their_plain_one():
    assert rules.read_data_size("1 GB") == 1e9
    assert rules.read_duration("2 h") == 7200.0
    assert rules.read_energy("500 Wh") == pytest.approx(0.5)
    with pytest.raises(units.UnitError):
        rules.read_power("5 kg")  # a mass is no power


# --- generic checks -----------------------------------------------------------------------


def test_check_range_keeps_both_bounds_and_says_the_range_and_the_value():
    assert rules.check_range(1, "users", 1, 10) == 1
    assert rules.check_range(10, "users", 1, 10) == 10
    # error.range: '{what} must be between {low:g} and {high:g}{unit}, got {value:g}{unit}'
    assert said(rules.check_range, 11, "users", 1, 10) == "users must be between 1 and 10, got 11"
    assert said(rules.check_range, 0.5, "power", 1, 10, " W") == (
        "power must be between 1 and 10 W, got 0.5 W"
    )
    # French keeps the YAML key and writes the numbers with a decimal comma
    assert said(rules.check_range, 0.5, "power", 1, 10, " W", lang="fr") == (
        f"power{NNBSP}: attendu entre 1 et 10 W, reçu 0,5 W"
    )


def test_not_negative_accepts_zero_and_refuses_below():
    assert rules.not_negative(0, "watched_per_visit") == 0
    assert said(rules.not_negative, -1, "watched_per_visit", " s") == (
        "watched_per_visit must be 0 or more, got -1 s"
    )
    assert said(rules.not_negative, -1.5, "watched_per_visit", " s", lang="fr") == (
        "watched_per_visit\u202f: attendu 0 ou plus, reçu -1,5 s"
    )


def test_whole_refuses_a_fraction_unless_at_a_range_centre():
    assert rules.whole(3.0, "replicas", range_centres=False) == 3.0
    assert said(rules.whole, 2.5, "replicas", False) == "replicas must be a whole number, got 2.5"
    assert said(rules.whole, 2.5, "replicas", False, lang="fr") == (
        f"replicas{NNBSP}: attendu un nombre entier, reçu 2,5"
    )
    # 'replicas: 2..3' is validated at its centre, 2.45 (see RANGE_CENTRES)
    assert rules.whole(2.45, "replicas", range_centres=True) == 2.45


#: The optional(...) checks of a range whose lower bound is 0 or more.
OPTIONAL_RANGES = [
    rules.device_power,
    rules.device_standby,
    rules.server_memory,
    rules.server_ssd,
    rules.server_vcpu,
    rules.server_utilization,
    rules.server_power,
    rules.shared_energy,
    rules.pue,
    rules.requests_per_visit,
    rules.input_tokens,
    rules.gpu_utilization,
    rules.watched_per_visit,
    rules.watched_per_user,
    rules.message_size,
    rules.recipients,
    rules.copies,
]
#: Every check that lets a field left out (None) pass.
OPTIONAL_CHECKS = [
    *OPTIONAL_RANGES,
    rules.device_lifetime,
    rules.hours_per_day,
    rules.server_lifetime,
    rules.electricity_factor,
    rules.parameters,
    rules.retention,
    rules.requests_per_user,
]


@pytest.mark.parametrize("check", OPTIONAL_CHECKS)
def test_a_field_left_out_passes_every_optional_check(check):
    assert check(None) is None


@pytest.mark.parametrize("check", OPTIONAL_RANGES)
def test_an_optional_check_still_refuses_a_written_value(check):
    with pytest.raises(Refusal):
        check(-1.0)


# --- shares -------------------------------------------------------------------------------


def test_renormalised_scales_shares_within_the_tolerance_to_exactly_one():
    # 60% + 40.4% = 100.4%: within SHARE_TOLERANCE (0.5%), each divided by 1.004
    shares = rules.renormalised({"laptop": "60%", "smartphone": "40.4%"})
    assert shares == pytest.approx({"laptop": 0.6 / 1.004, "smartphone": 0.404 / 1.004})
    assert sum(shares.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "data",
    [
        {"laptop": "60%", "smartphone": "30%"},  # 90%: for shares_sum_to_one to report
        {"laptop": "120%", "smartphone": "-20%"},  # sums to 100%, but out of 0-100%
        {"laptop": "lots"},  # unreadable
        {},
        "laptop",
        None,
    ],
)
def test_renormalised_leaves_what_it_cannot_fix_as_written(data):
    assert rules.renormalised(data) is data


def test_a_share_is_between_0_and_1():
    assert rules.share(0) == 0
    assert rules.share(1) == 1
    assert said(rules.share, 1.5) == "a share must be between 0 and 1, got 1.5"
    assert said(rules.share, 1.5, lang="fr") == f"une part{NNBSP}: attendu entre 0 et 1, reçu 1,5"


def test_shares_must_sum_to_one_and_the_refusal_lists_the_nonzero_ones():
    assert rules.shares_sum_to_one({"laptop": 0.996}, "device") == {"laptop": 0.996}
    shares = {"laptop": 0.5, "smartphone": 0.3, "tablet": 0.0}
    # {total:.1%} of 0.8 is 80.0%; shares.item '{name} {share:.0%}'; the 0% tablet left out
    assert said(rules.shares_sum_to_one, shares, "device") == (
        "device shares must sum to 100%, they sum to 80.0% (laptop 50%, smartphone 30%)"
    )
    assert said(rules.shares_sum_to_one, {"fixed": 0.7}, "network", lang="fr") == (
        f"les parts par réseau doivent totaliser 100{NNBSP}%, leur total est 70,0{NNBSP}% "
        f"(fixed 70{NNBSP}%)"
    )


# --- usage --------------------------------------------------------------------------------


def test_users_from_one_to_ten_billion():
    assert rules.users(1) == 1
    assert rules.users(1e10) == 1e10
    assert said(rules.users, 0) == "users must be between 1 and 1e+10, got 0"


def test_visits_per_user_are_checked_on_their_count():
    weekly = units.Frequency(3, 7 * SECONDS_PER_DAY)
    assert rules.visits_per_user(weekly) is weekly
    assert said(rules.visits_per_user, units.Frequency(0)) == (
        "visits per user must be between 1e-09 and 1e+13, got 0"
    )
    assert said(rules.visits_per_user, units.Frequency(0), lang="fr") == (
        f"les visites par utilisateur{NNBSP}: attendu entre 1e-09 et 1e+13, reçu 0"
    )


def test_a_visit_lasts_from_nothing_to_a_day():
    assert rules.visit_duration(0) == 0
    assert rules.visit_duration(SECONDS_PER_DAY) == SECONDS_PER_DAY
    assert said(rules.visit_duration, 86401.0) == (
        "a visit must last from 0 s (no device time) to at most 24 h, got 86401 s"
    )


def test_data_per_visit_is_at_most_a_terabyte_and_the_refusal_shows_its_size():
    assert rules.data_per_visit(1e12) == 1e12
    assert said(rules.data_per_visit, 2e12) == "data per visit must be between 0 and 1 TB, got 2 TB"
    assert said(rules.data_per_visit, 2e12, lang="fr") == (
        f"les données par visite sont entre 0 et 1 To, reçu{NNBSP}: 2\u00a0To"
    )


# --- terminals and servers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "english"),
    [
        (rules.device_lifetime, "a device lifetime must be between 1 month and 30 years"),
        (rules.server_lifetime, "a server lifetime must be between 1 month and 30 years"),
    ],
)
def test_lifetimes_run_from_30_days_to_30_years(check, english):
    assert check(30 * SECONDS_PER_DAY) == 30 * SECONDS_PER_DAY
    assert check(30 * SECONDS_PER_YEAR) == 30 * SECONDS_PER_YEAR
    assert said(check, 29 * SECONDS_PER_DAY) == english
    assert said(check, 31 * SECONDS_PER_YEAR) == english


def test_hours_per_day_are_above_zero_and_at_most_24_and_said_in_hours():
    assert rules.hours_per_day(SECONDS_PER_DAY) == SECONDS_PER_DAY
    assert said(rules.hours_per_day, 0.0) == "hours per day must be above 0 and at most 24, got 0"
    assert said(rules.hours_per_day, 25 * SECONDS_PER_HOUR) == (
        "hours per day must be above 0 and at most 24, got 25"
    )
    assert said(rules.hours_per_day, 25 * SECONDS_PER_HOUR, lang="fr") == (
        f"les heures par jour sont au-dessus de 0 et au plus 24, reçu{NNBSP}: 25"
    )


def test_device_power_and_equipment_count():
    assert rules.device_power(1e4) == 1e4
    assert said(rules.device_power, 10001.0) == ("power must be between 0 and 10000 W, got 10001 W")
    assert rules.equipment_count(0) == 0
    assert said(rules.equipment_count, 2e6) == "count must be between 0 and 1e+06, got 2e+06"


@pytest.mark.parametrize(("name", "bounds"), rules.SERVER_PARTS.items())
def test_server_parts_are_whole_and_within_their_bounds(name, bounds):
    low, high = bounds
    assert rules.server_part(name, None, False) is None
    assert rules.server_part(name, low, False) == low
    assert rules.server_part(name, high, False) == high
    assert said(rules.server_part, name, high + 1, False) == (
        f"{name} must be between {low} and {high}, got {high + 1}"
    )
    assert said(rules.server_part, name, low + 0.5, False) == (
        f"{name} must be a whole number, got {low + 0.5:g}"
    )
    assert rules.server_part(name, low + 0.5, True) == low + 0.5


def test_server_count_and_replicas_are_whole():
    assert rules.server_count(2, False) == 2
    assert said(rules.server_count, 0, False) == "count must be between 1 and 1e+06, got 0"
    assert said(rules.server_count, 1.5, False) == "count must be a whole number, got 1.5"
    assert rules.storage_replicas(None, False) is None
    assert rules.storage_replicas(20, False) == 20
    assert said(rules.storage_replicas, 21, False) == ("replicas must be between 1 and 20, got 21")


def server(type="virtual", vcpu=None, provider=None, instance=None):
    return SimpleNamespace(type=type, vcpu=vcpu, provider=provider, instance=instance)


@pytest.mark.parametrize(
    "ok",
    [
        server("virtual", vcpu=4),
        server("physical"),
        server("virtual", provider="aws", instance="m5.large"),
    ],
)
def test_a_consistent_server_passes(ok):
    assert rules.server_consistent(ok) is None


@pytest.mark.parametrize(
    ("bad", "english"),
    [
        (server(provider="aws"), "a cloud instance needs both 'provider' and 'instance'"),
        (server(instance="m5.large"), "a cloud instance needs both 'provider' and 'instance'"),
        (
            server("physical", provider="aws", instance="m5.large"),
            "a cloud instance is a virtual server: write 'type: virtual'",
        ),
        (
            server(vcpu=2, provider="aws", instance="m5.large"),
            "'vcpu' comes from the instance; leave it out",
        ),
        (
            server("virtual"),
            "a virtual server needs 'vcpu' (its share of a host), or a cloud 'provider' and "
            "'instance'",
        ),
        (server("physical", vcpu=8), "'vcpu' applies to virtual servers only"),
    ],
)
def test_an_inconsistent_server_is_told_what_to_write(bad, english):
    assert said(rules.server_consistent, bad) == english


def test_a_french_server_refusal_quotes_the_keys_in_guillemets():
    assert said(rules.server_consistent, server("physical", vcpu=8), lang="fr") == (
        f"«{NNBSP}vcpu{NNBSP}» ne vaut que pour les serveurs virtuels"
    )


def test_storage_pue_environments_and_electricity_factor():
    assert said(rules.storage_volume, -1.0) == (
        "storage volume must be between 0 and 1e+18 B, got -1 B"
    )
    assert rules.pue(1.0) == 1.0
    assert said(rules.pue, 0.9) == "PUE must be between 1 and 4, got 0.9"
    assert rules.environments(20) == 20
    assert said(rules.environments, 0) == "environments must be between 1 and 20, got 0"
    # electricity_factor is in kg CO2e/kWh, said in grams: 2.5 kg is 2500 g
    assert rules.electricity_factor(2.0) == 2.0
    assert said(rules.electricity_factor, 2.5) == (
        "electricity_factor must be between 0 and 2000 g CO2e/kWh, got 2500 g"
    )


# --- the questionnaire --------------------------------------------------------------------


def test_the_period_runs_from_a_day_to_a_century():
    assert rules.period(SECONDS_PER_DAY) == SECONDS_PER_DAY
    assert rules.period(100 * SECONDS_PER_YEAR) == 100 * SECONDS_PER_YEAR
    assert said(rules.period, 3600.0) == "the period must be between 1 day and 100 years"
    assert said(rules.period, 3600.0, lang="fr") == "la période est entre 1 jour et 100 ans"


def test_at_puts_the_dotted_path_before_the_reason():
    reason = refused(rules.users, 0).message
    path = ("hosting", "servers", 0, "count")
    assert str(rules.at(path, reason)) == (
        "hosting.servers[0].count: users must be between 1 and 1e+10, got 0"
    )
    assert (
        rules.at(path, reason)
        .render("fr")
        .startswith(f"hosting.servers[0].count{NNBSP}: users{NNBSP}:")
    )
    assert rules.at((), reason) is reason


def questionnaire(visits, duration, video=None, period=SECONDS_PER_YEAR):
    usage = SimpleNamespace(visits_per_user=visits, visit_duration=duration)
    return SimpleNamespace(usage=usage, video=video, period=period)


def video(per_visit=None, per_user=None):
    return SimpleNamespace(watched_per_visit=per_visit, watched_per_user=per_user)


DAILY = SECONDS_PER_DAY


def test_exactly_24_hours_of_use_a_day_is_possible():
    # 12 visits a day of 2 h: 24 h a day, whatever the period's length
    assert rules.impossible_usage(questionnaire(units.Frequency(12, DAILY), 7200.0)) == []


def test_more_than_24_hours_a_day_is_refused_at_the_visits():
    # 13 visits a day of 2 h: 26 h of use a day
    ((path, refusal),) = rules.impossible_usage(questionnaire(units.Frequency(13, DAILY), 7200.0))
    assert path == ("usage", "visits_per_user")
    assert str(refusal) == (
        "usage.visits_per_user: 13 / day visits of 2 h each are 26 h of use per user per day; "
        "a day has 24 h"
    )
    assert refusal.render("fr") == (
        # a quantity keeps its number and unit together (a no-break space): '2\u00a0h'
        f"usage.visits_per_user{NNBSP}: 13\u00a0/ jour visites de 2\u00a0h, cela fait 26 h "
        f"d'usage par "
        f"utilisateur et par jour{NNBSP}; un jour a 24 h"
    )


def test_a_count_over_the_period_is_averaged_over_its_days():
    # 300 visits of 24 h over 365.25 days fit; 400 do not (26.3 h a day)
    assert rules.impossible_usage(questionnaire(units.Frequency(300), DAILY)) == []
    ((_, refusal),) = rules.impossible_usage(questionnaire(units.Frequency(400), DAILY))
    assert "are 26.3 h of use per user per day" in str(refusal)


def test_an_absurd_rate_is_refused_by_its_count_over_the_period():
    # 1e6 visits a second over a year (31,557,600 s): 3.16e13 visits, above 1e13
    q = questionnaire(units.Frequency(1e6, 1.0), 0.0)
    ((path, refusal),) = rules.impossible_usage(q)
    assert path == ("usage", "visits_per_user")
    assert str(refusal).endswith("makes 3.16e+13 visits per user over the period; at most 1e+13")


def test_video_watched_per_visit_cannot_outlast_the_visit():
    q = questionnaire(units.Frequency(10), 360.0, video(per_visit=600.0))
    ((path, refusal),) = rules.impossible_video(q)
    assert path == ("video", "watched_per_visit")
    assert str(refusal) == (
        "video.watched_per_visit: 10 min is longer than a visit (6 min); "
        "video time is part of the visit"
    )
    assert rules.impossible_video(questionnaire(units.Frequency(10), 600.0, video(600.0))) == []


def test_video_watched_per_user_cannot_outlast_the_visits():
    # 10 visits of 6 min: 1 h of visits per user over the period; 2 h watched is too much
    q = questionnaire(units.Frequency(10), 360.0, video(per_user=7200.0))
    ((path, refusal),) = rules.impossible_video(q)
    assert path == ("video", "watched_per_user")
    assert str(refusal) == "video.watched_per_user: 2 h is more than a user's visits last (1 h)"
    assert (
        rules.impossible_video(questionnaire(units.Frequency(10), 360.0, video(None, 3600.0))) == []
    )
    assert rules.impossible_video(questionnaire(units.Frequency(10), 360.0)) == []


def test_impossible_reports_the_usage_and_the_video_each_at_its_path():
    q = questionnaire(units.Frequency(13, DAILY), 7200.0, video(per_visit=3 * 3600.0))
    paths = [path for path, _ in rules.impossible(q)]
    assert paths == [("usage", "visits_per_user"), ("video", "watched_per_visit")]


# --- AI -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "billions"),
    [
        ("70B", 70.0),
        ("1.8 T", 1800.0),
        ("350M", 0.35),
        ("8b", 8.0),
        (8, 8.0),
        (0.5, 0.5),
        ("1__0B", 10.0),  # underscores between digits, as units reads numbers
    ],
)
def test_parse_parameters_reads_billions(written, billions):
    assert rules.parse_parameters(written) == pytest.approx(billions)


def test_parse_parameters_refuses_what_is_no_parameter_count():
    with pytest.raises(units.UnitError) as caught:
        rules.parse_parameters(True)
    assert str(caught.value) == "expected a parameter count such as '70B' or 8, got True"
    with pytest.raises(units.UnitError) as caught:
        rules.parse_parameters("70 GB")
    assert str(caught.value).startswith("cannot read '70 GB' as a parameter count: write '8B'")


@pytest.mark.parametrize("known", rules.GPU_TYPES)
def test_every_gpu_type_is_accepted_as_written_and_in_capitals(known):
    assert rules.gpu_type(known) == known
    assert rules.gpu_type(known.upper()) == known


@pytest.mark.parametrize(
    ("full_name", "known"),
    [
        ("NVIDIA H100 SXM5 80GB", "h100"),
        ("NVIDIA A100 PCIe", "a100_pcie"),
        ("a100-pcie", "a100_pcie"),
        ("Tesla P100", "p100"),
        ("NVIDIA L4 Tensor Core GPU", "l4"),
    ],
)
def test_a_gpu_full_name_loses_its_noise_words(full_name, known):
    assert rules.gpu_type(full_name) == known


def test_an_unknown_gpu_gets_a_suggestion_when_one_is_close():
    known = "h100, a100, a100_pcie, l4, p100"
    # 'h10' is 'h100' but one digit: difflib's ratio 2*3/7 = 0.86, above the 0.6 cutoff
    assert said(rules.gpu_type, "h10") == (
        f"unknown GPU type 'h10'; did you mean 'h100'? (known: {known}: the types with "
        "sourced power and manufacturing)"
    )
    assert said(rules.gpu_type, "tpu").startswith("unknown GPU type 'tpu' (known: h100,")
    assert said(rules.gpu_type, 100) == f"expected a GPU type ({known}), got 100"
    assert said(rules.gpu_type, "h10", lang="fr").startswith(
        f"type de GPU inconnu « h10 »{NNBSP}; vouliez-vous dire «{NNBSP}h100{NNBSP}»{NNBSP}?"
    )


def test_a_model_has_from_a_million_to_100_trillion_parameters():
    assert rules.parameters(1e-3) == 1e-3
    assert rules.parameters(1e5) == 1e5
    assert said(rules.parameters, 2e5) == (
        "a model has between 1 million and 100 trillion parameters, got 200000 billion"
    )


def model(size=None, parameters=None, active=None):
    return SimpleNamespace(size=size, parameters=parameters, active_parameters=active)


def test_a_model_gives_a_size_or_its_parameters():
    assert rules.model_consistent(model(size="small")) is None
    assert rules.model_consistent(model(parameters=70, active=12)) is None
    either = "give either 'size' or 'parameters'"
    assert said(rules.model_consistent, model()) == either
    assert said(rules.model_consistent, model("small", 70)) == either
    assert said(rules.model_consistent, model("small", active=5)) == (
        "'active_parameters' goes with 'parameters', not with 'size'"
    )
    assert said(rules.model_consistent, model(parameters=70, active=80)) == (
        "active_parameters (80B) cannot exceed parameters (70B)"
    )


def test_gpus_gpu_hours_and_amortisation():
    assert said(rules.gpus, 0, False) == "gpus must be between 1 and 100000, got 0"
    assert said(rules.gpus, 1.5, False) == "gpus must be a whole number, got 1.5"
    assert rules.gpu_hours(1e-3) == 1e-3
    assert said(rules.gpu_hours, 0) == "gpu_hours must be between 0.001 and 1e+09, got 0"
    assert rules.amortised_over(SECONDS_PER_DAY) == SECONDS_PER_DAY
    assert said(rules.amortised_over, 31 * SECONDS_PER_YEAR) == (
        "amortised_over must be between 1 day and 30 years"
    )
    assert said(rules.output_tokens, 2e6) == (
        "output_tokens must be between 0 and 1e+06, got 2e+06"
    )


@pytest.mark.parametrize(
    ("check", "a", "b"),
    [
        (rules.ai_consistent, "requests_per_visit", "requests_per_user"),
        (rules.video_consistent, "watched_per_visit", "watched_per_user"),
    ],
)
def test_exactly_one_of_two_keys(check, a, b):
    assert check(SimpleNamespace(**{a: 1.0, b: None})) is None
    assert check(SimpleNamespace(**{a: None, b: 1.0})) is None
    for neither_or_both in ({a: None, b: None}, {a: 1.0, b: 1.0}):
        assert said(check, SimpleNamespace(**neither_or_both)) == (
            f"give exactly one of '{a}' or '{b}'"
        )
        assert said(check, SimpleNamespace(**neither_or_both), lang="fr") == (
            f"donnez une seule des deux clés «{NNBSP}{a}{NNBSP}» ou «{NNBSP}{b}{NNBSP}»"
        )


# --- video and messages -------------------------------------------------------------------


def test_a_call_has_from_2_to_1000_whole_participants():
    assert rules.call_participants(None, False) is None
    assert rules.call_participants(2, False) == 2
    assert said(rules.call_participants, 1, False) == (
        "call_participants must be between 2 and 1000, got 1"
    )
    assert said(rules.call_participants, 2.5, False) == (
        "call_participants must be a whole number, got 2.5"
    )


def test_messages_are_said_in_words_in_each_language():
    none = units.Frequency(0)
    assert rules.messages_per_user(none) is none
    assert said(rules.messages_per_user, units.Frequency(-1)) == (
        "messages per user must be between 0 and 1e+13, got -1"
    )
    assert said(rules.message_size, 2e10, lang="fr") == (
        f"la taille d'un message{NNBSP}: attendu entre 0 et 1e+10 B, reçu 2e+10 B"
    )
    assert rules.copies(1) == 1
    assert said(rules.copies, 0) == "copies must be between 1 and 20, got 0"
    assert rules.retention(100 * SECONDS_PER_YEAR) == 100 * SECONDS_PER_YEAR
    assert said(rules.retention, -1.0) == "retention must be between 0 and 100 years"


# --- budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "written", "base"),
    [
        ("climate_change", "2 g CO2e", 0.002),  # kg
        ("climate_change", "2 g CO2 eq", 0.002),
        ("climate_change", "2 g co2eq.", 0.002),
        ("climate_change", "2 g", 0.002),
        ("climate_change", 2, 2.0),  # a plain number in kg
        ("energy", "500 Wh", 0.5),  # kWh
        ("energy", 3, 3.0),
        ("fossil_resources", "1 kWh", 3.6),  # an energy content in MJ: 1 kWh = 3.6 MJ
        ("fossil_resources", 5, 5.0),  # a plain number is in MJ
        ("fossil_resources", "10 MJ", 10.0),
        ("minerals_metals", "1e-6 kg Sb eq", 1e-6),  # the criterion's unit
        ("particulate_matter", "3e-9 disease inc.", 3e-9),  # its short unit
        ("acidification", "0.01 molH+eq", 0.01),  # spaces and case aside
        ("water_use", "0.2", 0.2),  # a number written as text
        ("water_use", 0.2, 0.2),
    ],
)
def test_budget_limit_reads_max_in_the_criterion_base_unit(criterion, written, base):
    assert rules.budget_limit(criterion, written) == pytest.approx(base)


def test_budget_limit_refuses_another_unit_for_a_plain_criterion():
    with pytest.raises(units.UnitError) as caught:
        rules.budget_limit("minerals_metals", "1e-6 kg Sb")
    assert str(caught.value) == (
        "minerals_metals takes a plain number in kg Sb eq, got '1e-6 kg Sb'"
    )
    with pytest.raises(units.UnitError) as caught:
        rules.budget_limit("water_use", True)
    assert str(caught.value) == "water_use takes a plain number in m3 world eq, got True"


@pytest.mark.parametrize("criterion", rules.BUDGET_CRITERIA)
def test_every_budget_criterion_is_accepted(criterion):
    assert rules.budget_criterion(criterion) == criterion


def test_a_near_miss_criterion_is_refused_with_a_suggestion():
    # 'climate' against 'climate_change': difflib's ratio 2*7/21 = 0.67, above 0.6
    message = said(rules.budget_criterion, "climate")
    assert message.startswith(
        "unknown criterion 'climate'; did you mean 'climate_change'? (known: climate_change, "
    )
    assert message.endswith(", energy, all)")
    assert said(rules.budget_criterion, "xyz").startswith("unknown criterion 'xyz' (known: ")


def test_budget_max_reads_max_only_for_one_known_criterion():
    assert rules.budget_max("energy", None) is None
    assert rules.budget_max(None, "2 g") == 0.0  # the unknown criterion is reported alone
    assert rules.budget_max("climate_change", "2 g CO2e") == pytest.approx(0.002)
    assert said(rules.budget_max, "all", "2 g") == (
        "'max' needs one criterion (their units differ); for 'all' use max_boundary_share"
    )


def budget(max=None, share=None, criterion="climate_change"):
    return SimpleNamespace(max=max, max_boundary_share=share, criterion=criterion)


def test_a_budget_has_one_positive_limit():
    assert rules.budget_consistent(budget(max=0.002)) is None
    assert rules.budget_consistent(budget(share=0.1, criterion="all")) is None
    assert rules.budget_consistent(budget(max=rules.MIN_BUDGET_LIMIT)) is None
    one_of = "give exactly one of 'max' or 'max_boundary_share'"
    assert said(rules.budget_consistent, budget()) == one_of
    assert said(rules.budget_consistent, budget(1.0, 0.1)) == one_of
    assert said(rules.budget_consistent, budget(max=0.0)) == "a budget's limit must be above zero"
    assert said(rules.budget_consistent, budget(share=-0.1)) == (
        "a budget's limit must be above zero"
    )
    assert said(rules.budget_consistent, budget(max=1e-101)) == (
        "a budget's limit must be at least 1e-100"
    )
    assert said(rules.budget_consistent, budget(share=0.1, criterion="energy")) == (
        "energy has no planetary boundary: give 'max' (e.g. '0.5 Wh')"
    )
