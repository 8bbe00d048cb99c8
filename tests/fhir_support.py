"""FHIR test helpers: a store with every kind of record, and a bundle read back into frames
the way a record system would read it (by codes and references only, no backlib internals)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
from store_support import YESTERDAY, sample_routine

from backlib.fhir import codes

ZONE = "Europe/Paris"
# A day in each half of the year, so daylight saving shows in the offsets (+01:00 / +02:00).
WINTER = dt.datetime(2025, 1, 14, 18, 30)
SUMMER = dt.datetime(2025, 7, 14, 7, 5)


def fill_clinic(store, catalog) -> None:
    """Two patients: anna with a programme in two versions, sessions in winter and summer
    (one with notes, next-morning pain and difficulty, one without minutes), every
    questionnaire kind (an ODI with a section missing, one not scorable), and a plain
    outcome; ben with nothing but his name."""
    routine = sample_routine(catalog)
    store.add_patient("anna", name='Anna "K" Müller')
    store.add_patient("ben")
    first = store.save_programme("anna", routine, when=WINTER - dt.timedelta(days=1))
    store.save_programme(
        "anna", first.with_dose("glute-bridge", catalog=catalog, reps=12), when=WINTER
    )
    winter = store.log_session(
        "anna",
        routine,
        when=WINTER,
        pain_before=4,
        pain_during=5,
        pain_after=3,
        difficulty=4,
        notes="knee clicked, line two",
        programme_version=1,
    )
    store.set_next_morning_pain(winter, 2)
    store.log_session(
        "anna", routine, when=SUMMER, pain_before=2, pain_after=1, programme_version=2
    )
    store.log_session(
        "anna",
        None,
        when=min(SUMMER + dt.timedelta(days=3), YESTERDAY),
        pain_before=0,
        actual_minutes=None,
    )
    store.log_questionnaire("anna", "odi", {n: n % 6 for n in range(1, 10)}, when=WINTER)
    store.log_questionnaire("anna", "odi", {1: 3, 2: 2, 3: 1}, when=WINTER)  # not scorable
    store.log_questionnaire("anna", "rmdq", {1: 1, 5: 1, 24: 1}, when=WINTER)
    store.log_questionnaire(
        "anna", "psfs", [("carrying shopping", 3), ("gardening", 5), ("driving", 8)], when=SUMMER
    )
    store.log_questionnaire("anna", "start_back", [1, 0, 1, 1, 1, 1, 0, 1, 3], when=WINTER)
    store.log_outcome("anna", "nprs", 6, when=WINTER)


def resources(bundle: dict, kind: str | None = None) -> list[dict]:
    """The bundle's resources (of one type when given), in entry order."""
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def _coding(concept: dict) -> tuple[str, str]:
    first = concept["coding"][0]
    return first["system"], first["code"]


def _local(text: str, zone: str) -> pd.Timestamp:
    """A zoned FHIR dateTime as the naive local time the store keeps."""
    moment = dt.datetime.fromisoformat(text).astimezone(ZoneInfo(zone))
    return pd.Timestamp(moment.replace(tzinfo=None))


def read_sessions(bundle: dict, zone: str = ZONE) -> pd.DataFrame:
    """One row per session Observation: start, minutes, components, pain by moment."""
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    moments = {code.code: column for column, code in codes.PAIN_MOMENTS.items()}
    rows = []
    for obs in resources(bundle, "Observation"):
        if _coding(obs["code"]) != (codes.SESSION_SYSTEM, "exercise-session"):
            continue
        start = obs.get("effectivePeriod", {}).get("start") or obs["effectiveDateTime"]
        row = {
            "started_at": _local(start, zone),
            "actual_minutes": obs.get("valueQuantity", {}).get("value", float("nan")),
            "notes": " ".join(note["text"] for note in obs.get("note", [])),
        }
        for component in obs.get("component", []):
            code = component["code"]["coding"][0]["code"].replace("-", "_")
            row[code] = component.get(
                "valueInteger", component.get("valueQuantity", {}).get("value")
            )
        for member in obs.get("hasMember", []):
            pain = by_url[member["reference"]]
            assert _coding(pain["code"]) == (codes.LOINC, "72514-3")
            moment = pain["component"][0]["valueCodeableConcept"]["coding"][0]["code"]
            row[moments[moment]] = pain["valueInteger"]
        rows.append(row)
    return pd.DataFrame(rows)


def read_outcomes(bundle: dict) -> pd.DataFrame:
    """measured_on, measure, score of every outcome total (session pain excluded)."""
    measures = {(code.system, code.code): m for m, (code, _unit) in codes.OUTCOME_CODES.items()}
    rows = []
    for obs in resources(bundle, "Observation"):
        measure = measures.get(_coding(obs["code"]))
        if measure is None or (measure == "nprs" and "component" in obs):
            continue  # a session, a STarT Back total, or a session's pain rating
        value = obs.get("valueInteger", obs.get("valueQuantity", {}).get("value"))
        rows.append(
            {
                "measured_on": pd.Timestamp(obs["effectiveDateTime"]),
                "measure": measure,
                "score": float(value),
            }
        )
    return pd.DataFrame(rows, columns=["measured_on", "measure", "score"])


def read_answers(bundle: dict) -> pd.DataFrame:
    """instrument, answered_on, item, value, text of every questionnaire item answered."""
    rows = []
    for response in resources(bundle, "QuestionnaireResponse"):
        instrument = response["questionnaire"].removeprefix(codes.QUESTIONNAIRE_CANONICAL)
        for item in response["item"]:
            rows.append(
                {
                    "instrument": instrument,
                    "answered_on": pd.Timestamp(response["authored"]),
                    "item": int(item["linkId"]),
                    "value": item["answer"][0]["valueInteger"],
                    "text": item.get("text", ""),
                }
            )
    return pd.DataFrame(rows, columns=["instrument", "answered_on", "item", "value", "text"])
