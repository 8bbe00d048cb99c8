"""patient_bundle: a collection of one Patient and their records, stable ids, zoned times, a
period, and errors that name the field at fault."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir_support import SUMMER, WINTER, ZONE, resources

from backlib.errors import BacklibError, RequestError, StoreError
from backlib.fhir import codes, patient_bundle
from backlib.store import open_store


def _without_timestamp(bundle: dict) -> dict:
    return {key: value for key, value in bundle.items() if key != "timestamp"}


def test_a_bundle_is_a_collection_with_one_patient_and_urn_uuid_full_urls(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    (patient,) = resources(bundle, "Patient")
    assert patient["name"] == [{"text": 'Anna "K" Müller'}]
    assert patient["identifier"] == [{"system": codes.PATIENT_ID_SYSTEM, "value": "anna"}]
    assert set(patient) == {"resourceType", "id", "identifier", "name"}, "nothing not stored"
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_exporting_the_same_records_again_gives_the_same_bundle(clinic):
    first = patient_bundle(clinic, "anna", tz=ZONE)
    again = patient_bundle(clinic, "anna", tz=ZONE)
    assert _without_timestamp(first) == _without_timestamp(again)


def test_ids_follow_the_records_uids_across_a_csv_move_to_another_store(
    clinic, store_catalog, tmp_path
):
    clinic.export_csv(tmp_path / "csv")
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=store_catalog) as copy:
        copy.import_csv(tmp_path / "csv")
        moved = patient_bundle(copy, "anna", tz=ZONE)
    here = patient_bundle(clinic, "anna", tz=ZONE)
    assert [e["fullUrl"] for e in here["entry"]] == [e["fullUrl"] for e in moved["entry"]]


def test_one_observation_per_recorded_pain_rating_each_naming_its_moment(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    pains = [
        obs
        for obs in resources(bundle, "Observation")
        if obs["code"]["coding"][0]["code"] == codes.PAIN_NRS.code and "component" in obs
    ]
    moments = [p["component"][0]["valueCodeableConcept"]["coding"][0]["code"] for p in pains]
    # winter: all four; summer: before and after (during was not rated); the third: before
    assert moments == ["before", "during", "after", "next-morning", "before", "after", "before"]


def test_store_times_carry_the_zone_given_with_daylight_saving_on_each_date(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    starts = [
        obs["effectivePeriod"]["start"]
        for obs in resources(bundle, "Observation")
        if "effectivePeriod" in obs and obs["code"]["coding"][0]["code"] == "exercise-session"
    ]
    assert starts == ["2025-01-14T18:30:00+01:00", "2025-07-14T07:05:00+02:00"]


def test_without_a_zone_the_machines_own_zone_is_used(clinic, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        bundle = patient_bundle(clinic, "anna")
    finally:
        monkeypatch.undo()
        time.tzset()
    text = json.dumps(bundle)
    assert "2025-01-14T18:30:00-05:00" in text and "2025-07-14T07:05:00-04:00" in text


def test_a_day_without_a_time_is_exported_as_a_date_not_an_invented_time(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    responses = resources(bundle, "QuestionnaireResponse")
    assert {r["authored"] for r in responses} == {
        WINTER.date().isoformat(),
        SUMMER.date().isoformat(),
    }
    next_morning = [
        obs
        for obs in resources(bundle, "Observation")
        if obs.get("component", [{}])[0]
        .get("valueCodeableConcept", {})
        .get("coding", [{}])[0]
        .get("code")
        == "next-morning"
    ]
    assert [obs["effectiveDateTime"] for obs in next_morning] == ["2025-01-15"]


def test_a_session_carries_its_minutes_programme_version_and_pain_members(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    sessions = [
        obs
        for obs in resources(bundle, "Observation")
        if obs["code"]["coding"][0]["code"] == "exercise-session"
    ]
    winter = sessions[0]
    assert winter["category"][0]["coding"][0]["code"] == "activity"
    assert winter["valueQuantity"]["code"] == "min" and winter["valueQuantity"][
        "value"
    ] == pytest.approx(470 / 60)
    parts = {c["code"]["coding"][0]["code"]: c for c in winter["component"]}
    assert parts["programme-version"]["valueInteger"] == 1
    assert parts["difficulty"]["valueInteger"] == 4
    assert len(winter["hasMember"]) == 4
    assert winter["note"] == [{"text": "knee clicked, line two"}]
    unplanned = sessions[2]
    assert "valueQuantity" not in unplanned and unplanned["dataAbsentReason"]
    assert "effectiveDateTime" in unplanned, "no minutes, so no period"


def test_an_outcome_scored_from_a_questionnaire_is_derived_from_its_response(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    urls = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    responses = {
        r["questionnaire"].rsplit(":", 1)[1]: r for r in resources(bundle, "QuestionnaireResponse")
    }
    by_code = {}
    for obs in resources(bundle, "Observation"):
        by_code.setdefault(obs["code"]["coding"][0]["code"], []).append(obs)
    (odi,) = by_code[codes.ODI_TOTAL.code]
    assert odi["valueQuantity"]["code"] == "%"
    assert odi["valueQuantity"]["value"] == pytest.approx(21 / 45 * 100)
    odi_responses = [
        r for r in resources(bundle, "QuestionnaireResponse") if r["questionnaire"].endswith("odi")
    ]
    assert odi["derivedFrom"][0]["reference"] in {urls[r["id"]] for r in odi_responses}
    (start_back,) = by_code[codes.START_BACK_TOTAL.code]
    assert start_back["valueInteger"] == 7
    assert start_back["derivedFrom"][0]["reference"] == urls[responses["start_back"]["id"]]
    assert start_back["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "high"
    (nprs,) = [o for o in by_code[codes.PAIN_NRS.code] if "component" not in o]
    assert nprs["valueInteger"] == 6 and "derivedFrom" not in nprs, "logged, not scored"


def test_questionnaire_items_go_by_number_without_wording(clinic):
    bundle = patient_bundle(clinic, "anna", tz=ZONE)
    responses = {r["questionnaire"]: r for r in resources(bundle, "QuestionnaireResponse")}
    rmdq = responses[codes.questionnaire_url("rmdq")]
    answered = [(i["linkId"], i["answer"][0]["valueInteger"]) for i in rmdq["item"]]
    assert answered == [("1", 1), ("5", 1), ("24", 1)]
    assert all("text" not in item for item in rmdq["item"])
    psfs = responses[codes.questionnaire_url("psfs")]
    assert [i["text"] for i in psfs["item"]] == ["carrying shopping", "gardening", "driving"]


def test_a_period_keeps_only_its_records(clinic):
    bundle = patient_bundle(clinic, "anna", start="2025-07-01", end="2025-07-31", tz=ZONE)
    assert len(resources(bundle, "QuestionnaireResponse")) == 1  # the summer PSFS
    sessions = [
        o
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "exercise-session"
    ]
    assert len(sessions) == 2  # the summer session and the one three days later


def test_a_patient_with_no_records_gets_a_bundle_of_their_patient_alone(clinic):
    bundle = patient_bundle(clinic, "ben", tz=ZONE)
    assert [r["resourceType"] for r in resources(bundle)] == ["Patient"]


@pytest.mark.parametrize(
    ("kwargs", "kind", "field"),
    [
        ({"patient_id": "nobody"}, StoreError, "patient_id"),
        ({"patient_id": "Not A Slug!"}, StoreError, "patient_id"),
        ({"tz": "Mars/Olympus"}, RequestError, "tz"),
        ({"tz": ""}, RequestError, "tz"),
        ({"start": "last tuesday"}, StoreError, "start"),
        ({"end": "2025-13-45"}, StoreError, "end"),
        ({"start": "2025-08-01", "end": "2025-07-01"}, RequestError, "end"),
    ],
)
def test_bad_input_is_refused_naming_the_field(clinic, kwargs, kind, field):
    args = {"patient_id": "anna", **kwargs}
    with pytest.raises(kind) as caught:
        patient_bundle(clinic, args.pop("patient_id"), **args)
    assert caught.value.field == field
    assert isinstance(caught.value, BacklibError)


def test_a_tzinfo_object_is_taken_as_the_zone(clinic):
    bundle = patient_bundle(clinic, "anna", tz=dt.UTC)
    assert "2025-01-14T18:30:00+00:00" in json.dumps(bundle)
