"""Every bundle parses with fhir.resources' R4B models: every demo patient's and every clinic
patient's; and the library's structural errors reach backlib's check."""

from __future__ import annotations

import copy
from pathlib import Path

import fhir
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir_support import ZONE

from backlib.fhir import library_problems, patient_bundle
from backlib.fhir.bundle import patient_ids

_MODELS = {
    "Patient": Patient,
    "Observation": Observation,
    "QuestionnaireResponse": QuestionnaireResponse,
}


def _parse(bundle: dict) -> Bundle:
    """The bundle as R4B models: a structural error raises pydantic's ValidationError."""
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    for entry in parsed.entry:
        assert type(entry.resource) is _MODELS[entry.resource.get_resource_type()]
    return parsed


def test_the_library_is_the_installed_fhir_resources_not_a_folder_of_the_same_name():
    assert "tests" not in Path(fhir.__file__).parts[-3:], fhir.__file__


def test_every_demo_patients_bundle_parses_with_the_r4b_models(demo_store):
    ids = patient_ids(demo_store)
    assert len(ids) == 3
    for patient_id in ids:
        parsed = _parse(patient_bundle(demo_store, patient_id, tz=ZONE))
        assert len(parsed.entry) > 100, "twelve weeks of sessions and their pain"


def test_every_clinic_patients_bundle_parses_with_the_r4b_models(clinic):
    for patient_id in patient_ids(clinic):
        _parse(patient_bundle(clinic, patient_id, tz=ZONE))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r.pop("status"), "status"),
        (lambda r: r.update(effectivePeriod={"start": "2025-01-14T18:30:00"}), "start"),
        (lambda r: r.update(colour="blue"), "colour"),
    ],
)
def test_a_structural_error_is_found_by_the_library(clinic, change, where):
    bundle = copy.deepcopy(patient_bundle(clinic, "anna", tz=ZONE))
    change(bundle["entry"][1]["resource"])
    problems = library_problems(bundle)
    assert problems and where in problems[0]
