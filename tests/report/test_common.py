"""What every human-readable report shares (acvnum.report.common): the flagship figures, the
scaled units, the labels and lines around the tables, an assumption's path with its note.
Each expected text is worked by hand from the catalogues (acvnum/locale/en.json, fr.json)
and words.format_number's rule: 3 significant digits, English '1,234.5', French
'1\u202f234,5' (a narrow no-break space between thousands)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import EXAMPLES, MINIMAL_DATA

import acvnum
from acvnum.analysis.comparison import FactorChange
from acvnum.analysis.found import Assessed
from acvnum.calculation.assumptions import QUESTIONNAIRE
from acvnum.calculation.results import Assumption, BoundaryComparison
from acvnum.i18n import Translator, Value
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.reference.sources import registry
from acvnum.report import common

EN, FR = Translator("en"), Translator("fr")
NNBSP = "\u202f"  # French thousands separator, and before French ';' and ':'
NBSP = "\u00a0"  # between a scaled figure and its unit, and inside the unit


@pytest.fixture(scope="module")
def assessed():
    return acvnum.estimate(dict(MINIMAL_DATA), levers=1).services()[0]


@pytest.fixture(scope="module")
def result(assessed):
    return assessed.result


# --- scaled units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "criterion", "english", "french"),
    [
        # Below the smallest scale (1e-3 kg): still in grams, 0.82 g to 3 digits.
        (0.00082, "climate_change", "0.820 g CO2e", "0,820 g CO2e"),
        (0.001, "climate_change", "1.00 g CO2e", "1,00 g CO2e"),  # a scale starts at its size
        (0.999, "climate_change", "999 g CO2e", "999 g CO2e"),  # not yet 1 kg
        (1.0, "climate_change", "1.00 kg CO2e", "1,00 kg CO2e"),
        # The largest scale is the tonne: 2.5e6 kg is 2,500 t, grouped as thousands.
        (2.5e6, "climate_change", "2,500 t CO2e", f"2{NNBSP}500 t CO2e"),
        (-0.002, "climate_change", "-2.00 g CO2e", "-2,00 g CO2e"),  # chosen by its size
        (0.0123, "energy", "12.3 Wh", "12,3 Wh"),
        (0.5, "energy", "500 Wh", "500 Wh"),
        (12_300.0, "energy", "12.3 MWh", "12,3 MWh"),
        (4.56e7, "energy", "45.6 GWh", "45,6 GWh"),
        # No scale for another criterion: the number alone, in the criterion's base unit.
        (0.00388, "water_use", "0.00388", "0,00388"),
    ],
)
def test_a_mass_or_an_energy_reads_in_its_best_unit(value, criterion, english, french):
    """Written with no-break spaces, so that a wrapped line keeps '22.0 g CO2e' whole."""
    assert common.scaled(value, criterion, EN) == english.replace(" ", NBSP)
    assert common.scaled(value, criterion, FR) == french.replace(" ", NBSP)


def test_only_mass_and_energy_have_scales():
    assert common.scale(0.5, "energy") == (1e-3, "Wh")
    assert common.scale(2.5e6, "climate_change") == (1e3, "t CO2e")
    assert common.scale(0.5, "water_use") is None


# --- the flagship figures --------------------------------------------------------------------


def _with(result, **changes: dict[str, float]):
    """The result with some criteria's per-visit figure or persons-equivalent set."""
    criteria = dict(result.criteria)
    for cid, fields in changes.items():
        c = criteria[cid]
        if "persons_equivalent" in fields:
            boundary = replace(c.boundary, persons_equivalent=fields.pop("persons_equivalent"))
            c = replace(c, boundary=boundary)
        criteria[cid] = replace(c, **fields)
    return replace(result, criteria=criteria)


def test_the_flagship_figures_and_the_criterion_the_service_uses_most(result):
    # Energy has no planetary boundary: it is never the dominant one, whatever its figure.
    shown = _with(
        result,
        energy={"per_visit": 0.0123},
        climate_change={"per_visit": 0.00082, "persons_equivalent": 0.5},
        water_use={"persons_equivalent": 41.5},
    )
    assert common.flagship(shown, EN) == common.Flagship(
        f"12.3{NBSP}Wh", f"0.820{NBSP}g{NBSP}CO2e", "41.5", "Water use"
    )
    assert common.flagship(shown, FR) == common.Flagship(
        f"12,3{NBSP}Wh", f"0,820{NBSP}g{NBSP}CO2e", "41,5", "Utilisation d'eau"
    )


def test_shares_of_a_sum_and_of_nothing():
    assert common.shares({"a": 1.0, "b": 3.0}) == {"a": 0.25, "b": 0.75}
    assert common.shares({"a": 0.0, "b": 0.0}) == {"a": 0.0, "b": 0.0}


def test_the_breakdown_labels_in_each_language():
    assert common.breakdown_labels(EN) == (
        {"terminals": "Terminals", "network": "Network", "datacenter": "Data centre"},
        {"manufacturing": "Manufacturing", "use": "Use"},
    )
    assert common.breakdown_labels(FR) == (
        {"terminals": "Terminaux", "network": "Réseau", "datacenter": "Centre de données"},
        {"manufacturing": "Fabrication", "use": "Utilisation"},
    )


# --- the lines around the tables -------------------------------------------------------------


def test_the_footer_names_the_network_model_the_result_used(result):
    version = result.factors_version
    assert common.factors_footer(result, EN) == (
        f"Factors {version}. Network allocated per GB, equipment and electricity (ADEME "
        "reference); per-GB network figures are an allocation convention: read them as "
        "orders of magnitude. Method: acvnum method."
    )
    data = {**MINIMAL_DATA, "usage": {**MINIMAL_DATA["usage"], "network_model": "energy"}}
    (energy,) = acvnum.estimate(data, levers=0)
    assert "Network allocated per GB, electricity only;" in common.factors_footer(energy, EN)
    assert "Réseau alloué par Go, électricité seule\u202f;" in common.factors_footer(energy, FR)
    # A result without the row (an older one) was allocated per GB, the default.
    bare = replace(energy, assumptions=[])
    assert "per GB, equipment and electricity" in common.factors_footer(bare, EN)


def test_the_population_the_boundaries_are_shared_among(result):
    # 8e9 people: 8.00 bn to 3 digits.
    assert common.population_note(result, EN) == (
        "Global boundaries of Sala et al. (2020) shared among 8.00 bn people (today's population)."
    )
    older = replace(
        result,
        boundaries=replace(result.boundaries, population_choice="sala2010", population=6.9e9),
    )
    assert common.population_note(older, FR) == (
        "Limites globales de Sala et al. (2020) partagées entre 6,90 Md de personnes "
        "(population de 2010, comme la source)."
    )


@pytest.mark.parametrize(
    ("days", "english", "french"),
    [
        (365.25, "1 year", "1 an"),
        (365.25 + 1e-7, "1 year", "1 an"),  # within 1e-6 of a year
        (30.0, "30.0 days", "30,0 jours"),  # a count of days to 3 digits
        (91.3125, "91.3 days", "91,3 jours"),
    ],
)
def test_the_period_in_words(result, days, english, french):
    period = replace(result, period_days=days)
    assert common.period_text(period, EN) == english
    assert common.period_text(period, FR) == french


def test_the_line_under_the_title(result):
    counted = replace(result, users=50_000.0, visits=1.2e6)
    assert common.summary_line(counted, EN) == "1 year · 50,000 users · 1,200,000 visits"
    assert common.summary_line(counted, FR) == (
        f"1 an · 50{NNBSP}000 utilisateurs · 1{NNBSP}200{NNBSP}000 visites"
    )


# --- the impacts and boundary tables ---------------------------------------------------------


@pytest.fixture(scope="module")
def figures(result):
    """Climate change with round figures: 4,321 kg over the period, 4.321 kg a user, 4.32 g a
    visit, 0.0424 persons-equivalent, 4.24e-5 of a person's boundary per user."""
    climate = replace(
        result.criteria["climate_change"],
        total=4321.0,
        per_user=4.321,
        per_visit=0.00432,
        boundary=BoundaryComparison(851.25, 0.0424, 4.24e-5),
    )
    return replace(result, criteria={**result.criteria, "climate_change": climate})


def test_the_impacts_table_one_row_per_criterion(figures):
    en, fr = common.impact_rows(figures, EN), common.impact_rows(figures, FR)
    assert [row[0] for row in en] == [EN(f"criterion.{cid}") for cid in CRITERION_IDS]
    assert en[0] == ["Climate change", "kg CO2 eq", "4,321", "4.32", "0.00432", "0.0424"]
    assert fr[0] == [
        "Changement climatique", "kg CO2 eq", f"4{NNBSP}321", "4,32", "0,00432", "0,0424"
    ]  # fmt: skip
    # Final energy has no planetary boundary: a dash for its persons-equivalent.
    assert en[-1][:2] == ["Final energy", "kWh"] and en[-1][-1] == fr[-1][-1] == "—"


def test_the_boundary_table_and_its_criteria_keep_one_order(figures):
    ids = common.boundary_ids(figures)
    assert ids == [cid for cid in CRITERION_IDS if cid != "energy"]
    en, fr = common.boundary_rows(figures, EN), common.boundary_rows(figures, FR)
    assert [row[0] for row in en] == [EN(f"criterion.{cid}") for cid in ids]
    # 851.25 kg to 3 digits; 4.24e-5 of a boundary is 0.00424 %.
    assert en[0] == ["Climate change", "851 kg CO2 eq", "0.0424", "0.00424\u00a0%"]
    assert fr[0] == ["Changement climatique", "851 kg CO2 eq", "0,0424", "0,00424\u202f%"]
    without = replace(figures.criteria["water_use"], boundary=None)
    fewer = replace(figures, criteria={**figures.criteria, "water_use": without})
    assert "water_use" not in common.boundary_ids(fewer)
    assert "Water use" not in [row[0] for row in common.boundary_rows(fewer, EN)]
    assert len(common.boundary_rows(fewer, EN)) == len(common.boundary_ids(fewer)) == 6


# --- sources ---------------------------------------------------------------------------------


def test_a_source_cell_cites_keys_or_says_the_questionnaire_or_keeps_the_text():
    assert common.source_cell(QUESTIONNAIRE, EN) == common.source_cell(QUESTIONNAIRE, FR)
    assert common.source_cell(QUESTIONNAIRE, FR) == "questionnaire"
    # 'Cloud Carbon Footprint' and 'Barroso' are the match phrases of factors/sources.csv,
    # cited in the order the text names them.
    cited = "Cloud Carbon Footprint constants, after Barroso and Hölzle"
    assert common.source_cell(cited, EN) == "[CCF] [Barroso-2007]"
    assert common.source_cell("our own meter, 2025", FR) == "our own meter, 2025"


def test_the_publications_cited_by_assumptions_and_levers(result, assessed):
    def row(source: str) -> Assumption:
        return Assumption("usage.users", Value(1.0), "default", source)

    rows = [row("Barroso (2007)"), row(QUESTIONNAIRE), row("acvnum default"), row("mine")]
    only_rows = Assessed(replace(result, assumptions=rows))
    # Sorted by key whatever the case; the questionnaire and an unknown text cite nothing.
    assert [s.key for s in common.cited([only_rows])] == ["acvnum-method", "Barroso-2007"]
    # The lever MINIMAL gets first (older_devices) cites ADEME and Arcep 2022.
    only_lever = Assessed(replace(result, assumptions=[]), assessed.found)
    assert [lever.lever.id for lever in assessed.found.levers] == ["older_devices"]
    assert [s.key for s in common.cited([only_lever])] == ["ADEME-Arcep-2022"]


def test_acvnum_s_method_is_cited_in_the_reader_s_language_others_as_published():
    method, ccf = registry()[common.OWN_METHOD], registry()["CCF"]
    assert common.citation(method, EN) == "acvnum, methodology (acvnum method)"
    assert common.citation(method, FR) == "acvnum, méthodologie (acvnum method --lang fr)"
    # No address for the method: the citation and a full stop.
    assert common.bibliography_entry(method, FR) == (
        "acvnum, méthodologie (acvnum method --lang fr)."
    )
    expected = (
        "Cloud Carbon Footprint, Methodology. https://www.cloudcarbonfootprint.org/docs/methodology"
    )
    assert common.bibliography_entry(ccf, EN) == common.bibliography_entry(ccf, FR) == expected


# --- the factors two results disagree on -----------------------------------------------------


def test_no_note_without_a_factor_change():
    assert common.factor_changes_note(None, ("1", "2"), EN) is None
    assert common.factor_changes_note([], ("1", "2"), EN) is None


def test_one_factor_change_with_its_relative_change():
    # 0.05 -> 0.06 is +20 %: '+20.0' to 3 digits, a no-break space before '%'.
    changes = [FactorChange("grid.FRA", 0.05, 0.06)]
    assert common.factor_changes_note(changes, ("2025.1", "2025.2"), EN) == (
        "Factor values differ between the two results (1; factors 2025.1 → 2025.2): "
        "grid.FRA 0.0500 → 0.0600 (+20.0\u00a0%)"
    )


def test_the_first_three_changes_then_how_many_more():
    changes = [
        FactorChange("a", None, 2.0),  # new: a dash before, no relative change
        FactorChange("b", 0.0, 1.0),  # from 0: no relative change either
        FactorChange("c", 4.0, 3.0),  # -25 %: its sign is the number's
        FactorChange("d", 1.0, None),
        FactorChange("e", 1.0, 1.5),
    ]
    assert common.factor_changes_note(changes, (None, "2025.2"), EN) == (
        "Factor values differ between the two results (5; factors ? → 2025.2): "
        "a — → 2.00; b 0 → 1.00; c 4.00 → 3.00 (-25.0\u00a0%)"
        "; and 2 more (acvnum diff --format json lists them all)"
    )
    assert common.factor_changes_note(changes, ("2025.1", None), FR) == (
        f"Des valeurs de facteurs diffèrent entre les deux résultats (5{NNBSP}; facteurs "
        f"2025.1 → ?){NNBSP}: a — → 2,00{NNBSP}; b 0 → 1,00{NNBSP}; c 4,00 → 3,00 (-25,0{NNBSP}%)"
        f"{NNBSP}; et 2 autres (acvnum diff --format json les liste tous)"
    )


def test_one_change_past_the_first_three_is_said_in_the_singular():
    changes = [FactorChange(name, 1.0, 2.0) for name in "abcd"]  # four: three shown, one more
    assert common.factor_changes_note(changes, ("1", "2"), EN).endswith(
        "; and 1 more (acvnum diff --format json lists them all)"
    )
    assert common.factor_changes_note(changes, ("1", "2"), FR).endswith(
        f"{NNBSP}; et 1 autre (acvnum diff --format json les liste tous)"
    )


# --- what a user wrote, and an assumption's path ---------------------------------------------


def test_readable_passes_each_user_written_text_through_shown(result, assessed):
    written = replace(result, name="Shop", functional_unit="a page", source_file="s.yaml")
    shown = common.readable(written, str.upper)
    assert (shown.name, shown.functional_unit, shown.source_file) == ("SHOP", "A PAGE", "S.YAML")
    assert shown.description is None and shown.criteria is written.criteria
    described = common.readable(replace(written, description="x"), str.upper)
    assert described.description == "X"
    (pair,) = common.readable_all([Assessed(written, assessed.found)], str.upper)
    assert pair.result.name == "SHOP" and pair.found is assessed.found


def test_a_path_with_its_note_is_the_json_s_in_english_and_said_in_french():
    run = acvnum.estimate(str(EXAMPLES / "ai-assistant.yaml"), levers=0)
    (service,) = run.to_dict()["services"]
    rows = run[0].assumptions
    # English: the path the JSON writes, note and all ('hosting.servers[0].power (idle)').
    assert [common.assumption_path(a, EN) for a in rows] == [
        a["path"] for a in service["assumptions"]
    ]
    french = {common.assumption_path(a, FR) for a in rows if a.note is not None}
    # fr.json: assumption.note.idle ' (au repos)', full_load ' (pleine charge)', api
    # ' (API)', choice ' ({word})' with choice.model_size.medium 'moyen'.
    assert french == {
        "hosting.servers[0].power (au repos)",
        "hosting.servers[0].power (pleine charge)",
        "hosting.servers[1].power (au repos)",
        "hosting.servers[1].power (pleine charge)",
        "ai.model.size (moyen)",
        "ai.pue (API)",
        "ai.location (API)",
    }
    assert all(common.assumption_path(a, FR) == a.path for a in rows if a.note is None)
