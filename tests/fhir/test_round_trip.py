"""Round trip: the exported bundle read back into numbers equals the store's frames (pain per
session and moment, session minutes, programme version and difficulty, outcome totals,
questionnaire item answers)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from fhir_support import ZONE, read_answers, read_outcomes, read_sessions

from backlib.fhir import patient_bundle
from backlib.fhir.bundle import patient_ids
from backlib.fhir.export import bundle_text

_SESSION = [
    "started_at",
    "actual_minutes",
    "planned_minutes",
    "programme_version",
    "difficulty",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "notes",
]


def _exported(store, patient_id: str) -> dict:
    """The bundle as a record system receives it: through its JSON text."""
    return json.loads(bundle_text(patient_bundle(store, patient_id, tz=ZONE)))


def _check(store, patient_id: str) -> None:
    bundle = _exported(store, patient_id)
    stored = store.sessions(patient_id)[_SESSION].reset_index(drop=True)
    read = read_sessions(bundle).reindex(columns=_SESSION)
    assert len(read) == len(stored)
    for column in _SESSION:
        want, got = stored[column], read[column]
        if column == "started_at":
            assert list(got) == list(want)
        elif column == "notes":
            assert list(got.fillna("")) == list(want)
        else:
            assert list(pd.to_numeric(got).astype("Float64")) == list(want.astype("Float64")), (
                column
            )
    outcomes = store.outcomes(patient_id)[["measured_on", "measure", "score"]]
    pd.testing.assert_frame_equal(
        read_outcomes(bundle).reset_index(drop=True),
        outcomes.reset_index(drop=True),
        check_dtype=False,
    )
    answers = store.questionnaires(patient_id)[
        ["instrument", "answered_on", "item", "value", "text"]
    ]
    pd.testing.assert_frame_equal(
        read_answers(bundle).reset_index(drop=True),
        answers.reset_index(drop=True),
        check_dtype=False,
    )


def test_every_demo_patient_reads_back_as_the_store_holds_them(demo_store):
    for patient_id in patient_ids(demo_store):
        _check(demo_store, patient_id)


def test_a_clinic_patient_with_questionnaires_and_programmes_reads_back(clinic):
    _check(clinic, "anna")
    assert read_answers(_exported(clinic, "anna"))["instrument"].nunique() == 4


def test_the_round_trip_notices_a_changed_number(clinic):
    # The comparison can fail: a pain rating changed after export no longer matches.
    bundle = _exported(clinic, "anna")
    session_id = int(clinic.sessions("anna")["session_id"].iloc[0])
    clinic.correct_session(session_id, pain_before=9)
    stored = clinic.sessions("anna")["pain_before"].astype("Float64")
    assert list(read_sessions(bundle)["pain_before"].astype("Float64")) != list(stored)


@pytest.mark.parametrize("patient_id", ["anna", "ben"])
def test_a_bundle_holds_only_its_own_patients_records(clinic, patient_id):
    bundle = _exported(clinic, patient_id)
    (patient,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    for entry in bundle["entry"]:
        subject = entry["resource"].get("subject")
        assert subject is None or subject["reference"] == patient["fullUrl"]
