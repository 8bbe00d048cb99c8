"""backlib's own checks catch what a FHIR library does not: codes from the expected systems,
values within each measure's range, references that resolve inside the bundle, zoned times."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fhir_support import ZONE, resources

from backlib.constants import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    OUTCOME_MEASURES,
    PAIN_MAX,
    PAIN_MIN,
    SESSION_MINUTES_MAX,
)
from backlib.errors import ExportError
from backlib.fhir import bundle_problems, check_bundle, codes, library_problems, patient_bundle
from backlib.questionnaires import INSTRUMENTS


@pytest.fixture
def bundle(clinic):
    return patient_bundle(clinic, "anna", tz=ZONE)


def _first(bundle: dict, code: str) -> dict:
    return next(
        r for r in resources(bundle, "Observation") if r["code"]["coding"][0]["code"] == code
    )


def _broken(bundle: dict, change) -> list[str]:
    broken = copy.deepcopy(bundle)
    change(broken)
    return bundle_problems(broken)


def test_a_bundle_patient_bundle_made_breaks_no_rule(bundle):
    assert bundle_problems(bundle) == []
    assert library_problems(bundle) == []


def test_a_code_from_another_system_is_refused(bundle):
    def change(b):
        _first(b, codes.ODI_TOTAL.code)["code"]["coding"][0]["system"] = "http://snomed.info/sct"

    assert any("is not a code backlib exports" in p for p in _broken(bundle, change))


def test_a_wrong_category_is_refused(bundle):
    def change(b):
        _first(b, "exercise-session")["category"][0]["coding"][0]["code"] = "survey"

    assert any(".category:" in p for p in _broken(bundle, change))


@pytest.mark.parametrize(
    ("code", "key", "value"),
    [
        (codes.PAIN_NRS.code, "valueInteger", 11),
        (codes.PAIN_NRS.code, "valueInteger", -1),
        (codes.PAIN_NRS.code, "valueInteger", 4.5),
        (codes.RMDQ_TOTAL.code, "valueInteger", 25),
        (codes.START_BACK_TOTAL.code, "valueInteger", 10),
    ],
)
def test_an_integer_outside_its_measures_range_is_refused(bundle, code, key, value):
    def change(b):
        _first(b, code)[key] = value

    assert any("Integer" in p for p in _broken(bundle, change))


@pytest.mark.parametrize(
    ("code", "value"),
    [(codes.ODI_TOTAL.code, 100.5), (codes.PSFS_MEAN.code, 10.2), ("exercise-session", -1)],
)
def test_a_quantity_outside_its_measures_range_is_refused(bundle, code, value):
    def change(b):
        _first(b, code)["valueQuantity"]["value"] = value

    assert any("outside" in p for p in _broken(bundle, change))


def test_a_quantity_in_another_unit_is_refused(bundle):
    def change(b):
        _first(b, codes.ODI_TOTAL.code)["valueQuantity"]["code"] = "{score}"

    assert any("the unit must be UCUM '%'" in p for p in _broken(bundle, change))


def test_a_component_out_of_range_or_unknown_is_refused(bundle):
    def difficulty(b):
        session = _first(b, "exercise-session")
        part = next(
            c for c in session["component"] if c["code"]["coding"][0]["code"] == "difficulty"
        )
        part["valueInteger"] = 6

    def moment(b):
        pain = next(
            o
            for o in resources(b, "Observation")
            if "component" in o and o["code"]["coding"][0]["code"] == codes.PAIN_NRS.code
        )
        pain["component"][0]["valueCodeableConcept"]["coding"][0]["code"] = "at-lunch"

    assert any("difficulty" not in p and "Integer: 6" in p for p in _broken(bundle, difficulty))
    assert any("'at-lunch'" in p for p in _broken(bundle, moment))


def test_a_reference_outside_the_bundle_is_refused(bundle):
    def change(b):
        _first(b, codes.ODI_TOTAL.code)["derivedFrom"][0]["reference"] = (
            "urn:uuid:00000000-0000-0000-0000-000000000000"
        )

    assert any("is not in the bundle" in p for p in _broken(bundle, change))


def test_a_reference_to_the_wrong_kind_of_resource_is_refused(bundle):
    def change(b):
        session = _first(b, "exercise-session")
        session["hasMember"][0] = dict(session["subject"])

    assert any("points at a Patient, not a Observation" in p for p in _broken(bundle, change))


def test_full_urls_must_be_unique_urn_uuids_matching_the_ids(bundle):
    def change(b):
        b["entry"][1]["fullUrl"] = b["entry"][2]["fullUrl"]

    def not_uuid(b):
        b["entry"][1]["fullUrl"] = "urn:uuid:not-a-uuid"

    assert any("appears twice" in p for p in _broken(bundle, change))
    assert any("is not urn:uuid:" in p for p in _broken(bundle, not_uuid))


def test_a_time_without_a_zone_is_refused_but_a_day_is_not(bundle):
    def naive(b):
        _first(b, "exercise-session")["effectivePeriod"]["start"] = "2025-01-14T18:30:00"

    def day(b):
        _first(b, "exercise-session")["effectivePeriod"]["start"] = "2025-01-14"

    assert any("has a time without a zone" in p for p in _broken(bundle, naive))
    assert _broken(bundle, day) == []


def test_questionnaire_items_must_be_item_numbers_with_allowed_answers(bundle):
    def item_number(b):
        resources(b, "QuestionnaireResponse")[0]["item"][0]["linkId"] = "11"  # ODI has 10

    def answer(b):
        resources(b, "QuestionnaireResponse")[0]["item"][0]["answer"][0]["valueInteger"] = 6

    def instrument(b):
        resources(b, "QuestionnaireResponse")[0]["questionnaire"] = "urn:backlib:questionnaire:sf36"

    assert any("is not a new item number of odi" in p for p in _broken(bundle, item_number))
    assert any("is not one of [0, 1, 2, 3, 4, 5]" in p for p in _broken(bundle, answer))
    assert any("is not an instrument" in p for p in _broken(bundle, instrument))


def test_check_bundle_raises_an_export_error_listing_every_problem(bundle):
    broken = copy.deepcopy(bundle)
    _first(broken, codes.RMDQ_TOTAL.code)["valueInteger"] = 30
    del _first(broken, codes.ODI_TOTAL.code)["status"]  # a structural error for the library
    with pytest.raises(ExportError) as caught:
        check_bundle(broken)
    assert len(caught.value.problems) == 2
    assert caught.value.field.startswith("entry.")
    assert "not written" in str(caught.value)


def test_the_readmes_list_of_checked_ranges_matches_the_constants():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    measures = OUTCOME_MEASURES
    for phrase in (
        f"pain {PAIN_MIN}–{PAIN_MAX}",
        f"ODI {measures['odi']['min']}–{measures['odi']['max']} %",
        f"RMDQ {measures['rmdq']['min']}–{measures['rmdq']['max']}",
        f"PSFS {measures['psfs']['min']}–{measures['psfs']['max']}",
        f"STarT Back 0–{len(INSTRUMENTS['start_back'].items)}",
        f"minutes 0–{SESSION_MINUTES_MAX}",
        f"difficulty {DIFFICULTY_MIN}–{DIFFICULTY_MAX}",
    ):
        assert phrase in readme, phrase
