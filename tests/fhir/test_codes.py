"""The codes: LOINC where a code is known, a local system otherwise, one per outcome measure."""

from __future__ import annotations

from backlib.constants import OUTCOME_MEASURES
from backlib.fhir import codes


def test_pain_and_the_oswestry_total_use_their_loinc_codes():
    assert (codes.PAIN_NRS.system, codes.PAIN_NRS.code) == ("http://loinc.org", "72514-3")
    assert (codes.ODI_TOTAL.system, codes.ODI_TOTAL.code) == ("http://loinc.org", "97909-6")


def test_every_outcome_measure_has_a_code_and_the_expected_value_type():
    assert set(codes.OUTCOME_CODES) == set(OUTCOME_MEASURES)
    units = {measure: unit and unit.code for measure, (_code, unit) in codes.OUTCOME_CODES.items()}
    assert units == {"nprs": None, "odi": "%", "rmdq": None, "psfs": "{score}"}


def test_measures_without_a_loinc_code_use_backlibs_local_system():
    for code in (codes.RMDQ_TOTAL, codes.PSFS_MEAN, codes.START_BACK_TOTAL):
        assert code.system.startswith("urn:backlib:")


def test_the_four_pain_moments_are_the_stores_four_pain_columns():
    assert list(codes.PAIN_MOMENTS) == [
        "pain_before",
        "pain_during",
        "pain_after",
        "pain_next_morning",
    ]


def test_a_concept_carries_its_coding_and_a_text():
    concept = codes.PAIN_NRS.concept()
    assert concept["text"] == codes.PAIN_NRS.display
    assert concept["coding"][0]["code"] == "72514-3"
