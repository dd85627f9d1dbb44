"""A lever's changes in words, in both languages, with the technical change as fallback."""

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from acvnum.analysis.levers import Context, apply, catalogue
from acvnum.analysis.variants import Change, Variant
from acvnum.i18n import Translator, Value
from acvnum.questionnaire.models import Questionnaire, as_record
from acvnum.questionnaire.service import load_service
from acvnum.reference.boundaries import boundaries
from acvnum.reference.factors import load_factors
from acvnum.report.lever_words import described, sentence, words


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "keep laptops 7.5 years instead of 5 years"),
        ("fr", "garder les ordinateurs portables 7,5\u00a0ans au lieu de 5\u00a0ans"),
    ],
)
def test_a_device_lifetime(lang, expected):
    change = Change(
        "device.laptop.lifetime", Value(5.0, "year", factor=True), Value(7.5, "year", factor=True)
    )
    assert words(change, Translator(lang)) == expected


def test_a_whole_server_count_speaks_of_servers():
    change = Change("hosting.servers[1].count", Value(3.0), Value(2.0), subject="web")
    assert words(change, Translator("en")) == "2 'web' servers instead of 3"


def test_one_server_and_one_copy_are_singular():
    one = Change("hosting.servers[0].count", Value(2.0), Value(1.0), subject="web")
    assert words(one, Translator("en")) == "1 'web' server instead of 2"
    assert words(one, Translator("fr")) == "1 serveur «\u00a0web\u00a0» au lieu de 2"
    copies = Change("hosting.storage.replicas", Value(3.0), Value(1.0))
    assert words(copies, Translator("en")) == "a single copy of the data instead of 3"


def test_french_keeps_the_singular_below_two():
    # French writes '0,35 requête', '1,5 an'; English '0.35 AI requests'.
    fewer = Change("ai.requests_per_visit", Value(0.5), Value(0.35))
    assert words(fewer, Translator("fr")) == "0,35 requête d'IA par visite au lieu de 0,5"
    assert words(fewer, Translator("en")) == "0.35 AI requests per visit instead of 0.5"


def test_a_switch_says_which_way_it_goes():
    on = Change("messages.attachments_as_links", Value(False), Value(True))
    off = Change("messages.attachments_as_links", Value(True), Value(False))
    assert words(on, Translator("en")) == "send attachments as links instead of copies"
    assert words(off, Translator("en")) == "send attachments as copies instead of links"


def test_a_storage_type_is_named_in_capitals():
    change = Change("hosting.storage.type", Value("ssd"), Value("hdd"))
    assert words(change, Translator("en")) == "store the data on HDD instead of SSD"


def test_a_path_without_a_sentence_is_shown_technically():
    change = Change("hosting.electricity_factor", Value(0.06), Value(0.05))
    assert words(change, Translator("en")) == "hosting.electricity_factor: 0.06 → 0.05"
    assert described(change, Translator("en")) == (words(change, Translator("en")), None)


@pytest.mark.parametrize(
    ("path", "lang", "expected"),
    [
        # a --what-if on a device's answer reads as the lever on the device's factor
        ("terminals.laptop.lifetime", "en", "keep laptops 7 years instead of 5 years"),
        (
            "terminals.tablet.lifetime",
            "fr",
            "garder les tablettes 7\u00a0ans au lieu de 5\u00a0ans",
        ),
    ],
)
def test_a_device_answer_is_said_as_the_device(path, lang, expected):
    change = Change(path, Value(5 * 365.25 * 86400, "s"), Value(7 * 365.25 * 86400, "s"))
    assert words(change, Translator(lang)) == expected
    said, technical = described(change, Translator(lang))
    assert said == expected and technical == change.text(Translator(lang))


def test_a_share_of_visits_on_a_device_speaks_of_the_device():
    change = Change("usage.devices.laptop", Value(0.3, "%"), Value(0.5, "%"))
    assert words(change, Translator("en")) == "50% of visits on laptops instead of 30%"
    assert words(change, Translator("fr")) == (
        "50\u202f% des visites sur les ordinateurs portables au lieu de 30\u202f%"
    )


def test_a_what_if_on_a_server_names_it():
    from acvnum.assessment import Settings, assess

    settings = Settings(what_if=("hosting.servers[1].utilization=30%",))
    (what_if,) = assess([EXAMPLES / "internal-app.yaml"], settings).what_if
    (change,) = what_if.changes
    assert change.subject == "database"
    assert words(change, Translator("en")).startswith("'database' servers busy 30% of the time")


def test_sentence_joins_the_changes_in_the_language():
    changes = (
        Change("usage.visit_duration", Value(300.0, "s"), Value(240.0, "s")),
        Change("usage.data_per_visit", Value(2.5e6, "B"), Value(2e6, "B")),
    )
    assert sentence(changes, Translator("fr")) == (
        "des visites de 4\u00a0min au lieu de 5\u00a0min\u202f; 2\u00a0Mo transférés par visite "
        "au lieu de 2,5\u00a0Mo"
    )


# --- every lever of the catalogue, as it changes real questionnaires ----------------------

TABLE = load_factors()
CONTEXT = Context(TABLE, boundaries(TABLE))
SELF_HOSTED = {
    "requests_per_visit": 1,
    "output_tokens": 300,
    "model": {"parameters": "70B"},
    "self_hosted": {"gpus": 8, "utilization": "40%"},
}


def _questionnaires() -> list[Questionnaire]:
    """Every example, and a self-hosted model (batching applies to no example)."""
    examples = [load_service(path, TABLE).questionnaire for path in sorted(EXAMPLES.glob("*.yaml"))]
    hosted = as_record(yaml.safe_load(MINIMAL) | {"ai": SELF_HOSTED})
    return [*examples, hosted]


def _changes_by_lever() -> dict[str, list[Change]]:
    found: dict[str, list[Change]] = {lever.id: [] for lever in catalogue()}
    for q in _questionnaires():
        for lever in catalogue():
            variant = apply(lever, Variant(q), CONTEXT)
            found[lever.id] += [] if variant is None else list(variant.changes)
    return found


CHANGES = _changes_by_lever()


@pytest.mark.parametrize("lever_id", sorted(CHANGES))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_lever_is_said_in_words_in_both_languages(lever_id, lang):
    t = Translator(lang)
    changes = CHANGES[lever_id]
    assert changes, f"{lever_id} applies to none of the questionnaires: add one it applies to"
    for change in changes:
        said = words(change, t)
        assert said != change.text(t), f"{change.path}: no sentence in {lang}"
        assert "{" not in said and "→" not in said, said
        assert "True" not in said and "False" not in said, said


@pytest.mark.parametrize("lever_id", sorted(CHANGES))
def test_no_lever_shows_a_fraction_of_a_server_or_gpu(lever_id):
    # Switching non-production copies off leaves virtual servers running part of the time:
    # shown as the share of hours they run (100% -> 65%), never as '2 -> 1.3' servers.
    for change in CHANGES[lever_id]:
        if change.path.rsplit(".", 1)[-1] in ("count", "gpus"):
            for value in (change.before, change.after):
                assert float(value.amount).is_integer(), f"{lever_id}: {change}"


def test_off_hours_speaks_of_hours_running_for_a_virtual_server():
    # ecommerce: 2 environments; the second runs 50 h of 168 h: (1 + 50 / 168) / 2 =
    # 0.649 of the hours -> '65%'; the engine counts 2 x 0.649 = 1.30 servers on average.
    (shop,) = [q for q in _questionnaires() if q.name == "Boutique en ligne"]
    lever = next(lever for lever in catalogue() if lever.id == "environments_off_hours")
    variant = apply(lever, Variant(shop), CONTEXT)
    first = variant.changes[0]
    assert str(first) == "hosting.servers[0].hours_running: 100% → 65%"
    assert words(first, Translator("en")) == (
        "'web' servers running 65% of the time on average instead of 100%"
    )
    assert variant.get(("hosting", "servers", 0, "count")) == pytest.approx(2 * (1 + 50 / 168) / 2)
