"""--what-if: a path and a value checked like the file, errors that name the path."""

import copy

import pytest
from conftest import EXAMPLES, MINIMAL, run_cli

from acvnum.analysis.whatif import WhatIfError, _edited, changed_service, parse_assignment
from acvnum.errors import InputError
from acvnum.i18n import Translator
from acvnum.questionnaire import paths as modelpath
from acvnum.questionnaire.models import Questionnaire
from acvnum.questionnaire.service import load_service, load_services, service_from_document
from acvnum.reference.factors import load_factors

TABLE = load_factors()
SHOP = EXAMPLES / "ecommerce.yaml"


def apply(*texts: str):
    service = load_service(SHOP, TABLE)
    return service, changed_service(service, [parse_assignment(t) for t in texts], TABLE)


def test_a_value_is_read_with_its_unit_like_in_the_file():
    service, changed = apply("usage.data_per_visit=1MB", "hosting.location=swe")
    assert changed.questionnaire.usage.data_per_visit == 1e6
    assert changed.questionnaire.hosting.location == "SWE"  # normalised like the file
    assert service.questionnaire.usage.data_per_visit == 2.5e6  # the input is untouched
    assert service.document.data["usage"]["data_per_visit"] == "2.5 MB"


def test_a_section_the_file_left_out_is_created(write_yaml):
    service = load_service(write_yaml(MINIMAL), TABLE)
    changed = changed_service(service, [parse_assignment("hosting.pue=1.2")], TABLE)
    assert changed.questionnaire.hosting.pue == 1.2
    assert service.questionnaire.hosting is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "usage.data_per_vist=1MB",
            "unknown key 'data_per_vist' in usage; did you mean 'data_per_visit'?",
        ),
        ("hostng.pue=1.2", "unknown key 'hostng' in the questionnaire; did you mean 'hosting'?"),
        (
            "hosting.servers.count=1",
            "hosting.servers is a list: name an item, e.g. hosting.servers[0].count",
        ),
        ("usage[0].users=1", "usage is not a list: remove [0]"),
        ("usage.users.x=1", "usage.users is a value: it has no key 'x'"),
        ("usage.devices=1", "usage.devices is a section: change one of its keys"),
        ("period=2 years", "the period cannot change"),
        ("usage.users", "write PATH=VALUE"),
        ("usage.users=", "write PATH=VALUE"),
        ("usage.users=[1, 2]", "must be a single value"),
        ("usage.users=[1", "cannot read the value"),
    ],
)
def test_a_bad_path_or_value_is_refused_with_a_message_naming_it(text, message):
    with pytest.raises(WhatIfError) as error:
        parse_assignment(text)
    assert message in str(error.value)
    assert text.split("=")[0] in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hosting.servers[5].count=1", "hosting.servers has 2 item(s), so [5] does not exist"),
        ("usage.data_per_visit=abc", "usage.data_per_visit: cannot read 'abc' as a quantity"),
        ("hosting.location=XXX", "unknown country or region 'XXX'"),
        ("hosting.pue=0.5", "hosting.pue: PUE must be between 1 and 4, got 0.5"),
        ("usage.devices.smartphone=100%", "device shares must sum to 100%"),
    ],
)
def test_a_value_the_questionnaire_refuses_names_the_file_and_the_what_if(text, message):
    with pytest.raises(WhatIfError) as error:
        apply(text)
    assert str(error.value).startswith(f"{SHOP}: ")
    assert message in str(error.value)


def test_before_after_and_saving_are_the_engine_s():
    from acvnum.assessment import Settings, assess

    assessment = assess([SHOP], Settings(what_if=("hosting.environments=1",)))
    (result,), (w,) = assessment, assessment.what_if
    assert w.changes[0].path == "hosting.environments"
    assert (str(w.changes[0].before), str(w.changes[0].after)) == ("2", "1")
    for cid, c in result.criteria.items():
        assert w.before[cid] == pytest.approx(c.total, rel=1e-12)
        assert w.effect.saving[cid] == pytest.approx(w.before[cid] - w.after[cid])
    # One environment instead of two halves the data-centre tier and leaves the rest.
    datacenter = result.criteria["energy"].by_tier["datacenter"]
    assert w.effect.saving["energy"] == pytest.approx(datacenter / 2)
    assert w.effect.persons_equivalent > 0


def test_every_service_gets_the_change_and_a_failing_one_is_named(write_yaml):
    from acvnum.assessment import Settings, assess

    minimal = write_yaml(MINIMAL, "minimal.yaml")
    both = assess([SHOP, minimal], Settings(what_if=("usage.users=2000",)))
    assert [str(w.changes[0].after) for w in both.what_if] == ["2000", "2000"]
    # 1000 -> 2000 users doubles the minimal service: terminals and network only.
    assert both.what_if[1].effect.reduction["energy"] == pytest.approx(-1.0)
    with pytest.raises(WhatIfError, match=rf"^{minimal}: --what-if hosting.servers\[0\]"):
        assess([SHOP, minimal], Settings(what_if=("hosting.servers[0].count=3",)))


def test_a_list_in_a_section_the_file_left_out_is_said_to_be_absent(write_yaml):
    service = load_service(write_yaml(MINIMAL), TABLE)
    with pytest.raises(WhatIfError) as error:
        changed_service(service, [parse_assignment("hosting.servers[0].count=2")], TABLE)
    assert "hosting is absent from the file, so [0] does not exist" in str(error.value)
    assert "empty" not in str(error.value)


def test_a_value_left_to_its_default_is_shown_with_the_value_used(write_yaml):
    from acvnum.assessment import Settings, assess

    shop = ("hosting.servers[1].utilization=30%", "hosting.servers[0].lifetime=5 years")
    (w,) = assess([SHOP], Settings(what_if=shop)).what_if
    changes = [(str(c.before), str(c.after)) for c in w.changes]
    assert changes == [("50% (default)", "30%"), ("4 years (default)", "5 years")]
    minimal = write_yaml(MINIMAL)
    (w,) = assess([minimal], Settings(what_if=("hosting.environments=2",))).what_if
    (change,) = w.changes
    assert (str(change.before), str(change.after)) == ("1 (default)", "2")
    # Numbers until shown: the value used and whether it was the default.
    assert (change.before.amount, change.before.default) == (1, True)
    assert (change.after.amount, change.after.default) == (2, False)


def test_a_value_set_back_to_its_default_is_shown_with_the_value_used():
    """`hosting.pue=null` (docs/levers.md: back to the default) is shown as the default the
    calculation then uses, as a value the file left out is, not as the word 'default'."""
    from acvnum.assessment import Settings, assess

    what_if = ("hosting.pue=null", "hosting.servers[1].lifetime=null")
    (w,) = assess([SHOP], Settings(what_if=what_if)).what_if
    changes = [(str(c.before), str(c.after)) for c in w.changes]
    assert changes == [("1.5", "1.56 (default)"), ("5 years", "4 years (default)")]
    (pue, _) = w.changes
    assert (pue.after.amount, pue.after.default) == (1.56, True)


def test_a_hosting_change_without_hosting_warns_that_it_has_no_effect(write_yaml):
    from acvnum.assessment import Settings, assess

    settings = Settings(what_if=("hosting.pue=1.2",))
    bare = assess([write_yaml(MINIMAL)], settings)
    assert bare.what_if[0].effect.persons_equivalent == 0
    assert "warning.what_if_no_hosting" in bare.services()[0].warnings()
    shop = assess([SHOP], settings)
    assert "warning.what_if_no_hosting" not in shop.services()[0].warnings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("usage.users=" + "9" * 250, "a number with 250 digits"),
        (
            "usage.users=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "levels",
        ),
    ],
)
def test_values_are_read_as_the_questionnaire_reads_them(text, message):
    # the same YAML 1.2 reader as the file: no traceback on hostile values, a short message
    with pytest.raises(WhatIfError, match=message) as caught:
        parse_assignment(text)
    assert len(str(caught.value)) < 300


def test_a_sexagesimal_duration_is_not_read_as_hours():
    # YAML 1.1 would read 1:30 as 90 (minutes here): the questionnaire reader keeps it as text,
    # which the duration parser then refuses
    assert parse_assignment("usage.visit_duration=1:30").value == "1:30"


def test_a_long_what_if_is_refused_quoting_only_its_start():
    # A 120 kB value was echoed in full; the cap refuses it before the YAML reader runs.
    text = "usage.data_per_visit=" + "1" * 120_000
    with pytest.raises(WhatIfError, match=r"too long \(at most 300 characters\)") as caught:
        parse_assignment(text)
    assert len(str(caught.value)) < 200
    assert "120021 characters" in str(caught.value)


def test_a_visit_rate_is_shown_as_a_rate_not_a_traceback():
    from acvnum.assessment import Settings, assess

    (w,) = assess([SHOP], Settings(what_if=("usage.visits_per_user=3 / week",))).what_if
    (change,) = w.changes
    assert str(change) == "usage.visits_per_user: 2 / month → 3 / week"
    assert (
        change.text(Translator("fr"))
        == "usage.visits_per_user\u202f: 2\u00a0/ mois → 3\u00a0/ semaine"
    )


# --- the edit: one section validated again, not the whole file ----------------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
EDITS = [
    "hosting.pue=1.2",
    "hosting.pue=0.5",
    "usage.users=2000",
    "usage.users=2.5",
    "usage.users=-3",
    "hosting.servers[0].count=3",
    "hosting.servers[0].count=2.5",
    "hosting.servers[0].utilization=130%",
    "hosting.servers[0].instance=m5.zzz",
    "usage.location=deu",
    "usage.location=XXX",
    "hosting.location=usa",
    "usage.data_per_visit=1 parsec",
    "usage.devices.smartphone=50%",
    "usage.visits_per_user=3 / week",
    "usage.visit_duration=1:30",
]


def _whole_file(service, assignments):
    """The file's route: the change set into a copy of its data, validated whole."""
    data = copy.deepcopy(service.document.data)
    for a in assignments:
        modelpath.set_creating(data, a.path, a.value)
    return service_from_document(service.document.with_data(data), TABLE)


def _outcome(make):
    try:
        changed = make()
    except (InputError, WhatIfError) as error:
        return str(error)
    return changed and changed.questionnaire


@pytest.mark.parametrize("text", EDITS)
def test_an_edit_gives_what_validating_the_changed_file_gives(text):
    """Values, the keys each section was given (defaults are shown as such), refusals and
    their words: the same as validating the whole changed file, for every example."""
    assignments = [parse_assignment(text)]
    edited = 0
    for service in load_services(EXAMPLE_FILES, TABLE):
        got = _outcome(lambda s=service: _edited(s, assignments, TABLE))
        if got is None:
            continue  # a file with ranges: the file's route
        edited += 1
        want = _outcome(lambda s=service: _whole_file(s, assignments))
        assert got == want, service.file
        if isinstance(got, Questionnaire):
            path = assignments[0].path
            for depth in range(1, len(path)):
                section = modelpath.get(got, path[:depth])
                if not isinstance(section, list):
                    assert section.given == modelpath.get(want, path[:depth]).given
    assert edited >= 4  # most examples have no ranges: the edit is what runs


def test_two_changes_in_one_section_are_validated_together():
    service = load_service(SHOP, TABLE)
    assignments = [parse_assignment("hosting.pue=1.3"), parse_assignment("hosting.environments=1")]
    edited = _edited(service, assignments, TABLE)
    assert edited is not None
    assert edited.questionnaire == _whole_file(service, assignments).questionnaire
    assert (edited.questionnaire.hosting.pue, edited.questionnaire.hosting.environments) == (1.3, 1)


def test_what_the_edit_cannot_do_alone_goes_the_file_s_route(write_yaml):
    minimal = load_service(write_yaml(MINIMAL), TABLE)
    absent = [parse_assignment("hosting.pue=1.2")]  # the file has no hosting: created
    assert _edited(minimal, absent, TABLE) is None
    assert changed_service(minimal, absent, TABLE).questionnaire.hosting.pue == 1.2
    ranged = [parse_assignment("usage.users=1000..3000")]
    assert _edited(minimal, ranged, TABLE) is None
    nested = [parse_assignment("usage.users=10"), parse_assignment("usage.devices.laptop=1")]
    assert _edited(minimal, nested, TABLE) is None  # usage holds usage.devices


@pytest.mark.parametrize(
    ("refused", "said"),
    [
        ("usage.users=-3", "usage.users: users must be between 1 and 1e+10, got -3"),
        ("hosting.pue=0.2", "hosting.pue: PUE must be between 1 and 4, got 0.2"),
        ("usage.visits_per_user=1000 / day", "usage.visits_per_user: 1000 / day visits of 5 min"),
    ],
)
def test_a_refused_value_and_an_unknown_country_are_said_together(refused, said):
    """Each alone, as the file's route says them: the country was said only once the value
    was fixed."""
    service = load_service(SHOP, TABLE)
    assignments = [parse_assignment(refused), parse_assignment("hosting.location=XYZ")]
    with pytest.raises(InputError) as caught:
        _edited(service, assignments, TABLE)
    with pytest.raises(InputError) as whole:
        _whole_file(service, assignments)
    messages = [str(p.message) for p in caught.value.problems]
    assert messages == [str(p.message) for p in whole.value.problems]
    assert len(messages) == 2
    assert any(m.startswith(said) for m in messages)
    assert any(m.startswith("hosting.location: unknown country or region 'XYZ'") for m in messages)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "both set usage.users: give each path once"),
        ("fr", "fixent tous deux usage.users\u202f: donnez chaque chemin une fois"),
    ],
)
def test_one_path_given_twice_is_refused_naming_both_what_ifs(lang, said):
    """They are applied together: the second was kept without a word, said twice."""
    result = run_cli(
        "estimate", str(SHOP), "--what-if", "usage.users=100", "--what-if", "usage.users=200",
        "--lang", lang,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"acvnum: --what-if usage.users=100 {'and' if lang == 'en' else 'et'} "
        f"--what-if usage.users=200 {said}"
    ]


def test_two_paths_of_one_section_are_still_applied_together():
    from acvnum.assessment import Settings, assess

    texts = ("hosting.servers[0].count=1", "hosting.servers[1].count=2")
    (w,) = assess([SHOP], Settings(what_if=texts)).what_if
    assert [c.path for c in w.changes] == ["hosting.servers[0].count", "hosting.servers[1].count"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1.5", 1.5), ("3", 3), ("true", True), ("null", None), ("2024-01-01", "2024-01-01")],
)
def test_a_value_is_read_as_one_scalar_of_the_questionnaire_s_types(typed, value):
    """Assignment.value is a Scalar: a YAML date stays the text typed, not a datetime."""
    read = parse_assignment(f"usage.data_per_visit={typed}").value
    assert read == value and type(read) is type(value)
