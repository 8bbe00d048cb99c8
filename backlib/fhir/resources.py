"""Store rows as FHIR R4 resources (plain dicts): Patient, Observation, QuestionnaireResponse.

The mapping (README "Data formats", FHIR export):

- a patient is a ``Patient`` with the stored id as an identifier and the stored name as text;
- a session is an ``Observation`` of category *activity* (it is something the person did and
  reported, not a procedure a clinician performed): its period, the minutes actually spent as
  its value, the planned minutes, programme version and difficulty as components, the session's
  notes as a note, and its pain ratings as members;
- each pain rating is an ``Observation`` coded LOINC 72514-3 with an integer value and a
  *pain-moment* component (before, during, after, next morning);
- each outcome total is an ``Observation`` (ODI as a percentage, NPRS and RMDQ as integers,
  PSFS as a {score}), ``derivedFrom`` the questionnaire it was scored from, when it was;
- each questionnaire is a ``QuestionnaireResponse`` with one item per answered item number
  (linkId "1", "2", ...; no wording), and a STarT Back total, which has no outcome row, is an
  ``Observation`` of its own with its risk group.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from backlib.fhir import codes, times
from backlib.fhir.ids import reference, resource_id

# The columns of a session that become components, with their code and how the value is carried.
_SESSION_COMPONENTS: tuple[tuple[str, codes.Code, codes.Unit | None], ...] = (
    ("planned_minutes", codes.PLANNED_MINUTES, codes.MINUTES),
    ("programme_version", codes.PROGRAMME_VERSION, None),
    ("difficulty", codes.DIFFICULTY, None),
)


def patient(row: pd.Series) -> dict[str, Any]:
    """The Patient: the store's id (as an identifier) and name; nothing else is stored."""
    return {
        "resourceType": "Patient",
        "id": resource_id("patient", row["patient_id"]),
        "identifier": [{"system": codes.PATIENT_ID_SYSTEM, "value": str(row["patient_id"])}],
        "name": [{"text": str(row["name"])}],
    }


def session_end(row: pd.Series) -> dt.datetime | None:
    """When a session ended: its start plus the minutes spent (None when they were not kept)."""
    minutes = row["actual_minutes"]
    if _missing(minutes):
        return None
    return row["started_at"].to_pydatetime() + dt.timedelta(minutes=float(minutes))


def session(
    row: pd.Series, subject: dict[str, Any], zone: dt.tzinfo | None, members: list[dict]
) -> dict[str, Any]:
    """One session as an activity Observation whose members are its pain ratings."""
    resource: dict[str, Any] = {
        **_observation(
            resource_id("session", row["uid"]), codes.ACTIVITY, codes.EXERCISE_SESSION, subject
        ),
        "identifier": [{"system": codes.SESSION_UID_SYSTEM, "value": row["uid"]}],
        **_when(row, zone),
    }
    if _missing(row["actual_minutes"]):
        resource["dataAbsentReason"] = {
            "coding": [{"system": codes.DATA_ABSENT_REASON, "code": codes.UNKNOWN}]
        }
    else:
        resource["valueQuantity"] = codes.MINUTES.quantity(float(row["actual_minutes"]))
    if row["notes"]:
        resource["note"] = [{"text": str(row["notes"])}]
    if members:
        resource["hasMember"] = [reference(member) for member in members]
    components = []
    for column, code, unit in _SESSION_COMPONENTS:
        value = row[column]
        if _missing(value):
            continue
        shown = (
            {"valueQuantity": unit.quantity(float(value))} if unit else {"valueInteger": int(value)}
        )
        components.append({"code": code.concept(), **shown})
    if components:
        resource["component"] = components
    return resource


def pain(
    row: pd.Series, column: str, subject: dict[str, Any], zone: dt.tzinfo | None
) -> dict[str, Any] | None:
    """One pain rating of a session (``column`` a PAIN_MOMENTS key), None when not recorded."""
    value = row[column]
    if _missing(value):
        return None
    return {
        **_observation(
            resource_id("pain", row["uid"], column), codes.SURVEY, codes.PAIN_NRS, subject
        ),
        **_pain_when(row, column, zone),
        "valueInteger": int(value),
        "component": [
            {
                "code": codes.PAIN_MOMENT.concept(),
                "valueCodeableConcept": codes.PAIN_MOMENTS[column].concept(),
            }
        ],
    }


def outcome(
    row: pd.Series, subject: dict[str, Any], answered: dict[str, Any] | None
) -> dict[str, Any]:
    """One outcome total; ``answered`` is the QuestionnaireResponse it was scored from."""
    code, unit = codes.OUTCOME_CODES[row["measure"]]
    score = float(row["score"])
    resource: dict[str, Any] = {
        **_observation(resource_id("outcome", row["uid"]), codes.SURVEY, code, subject),
        "identifier": [{"system": codes.OUTCOME_UID_SYSTEM, "value": row["uid"]}],
        "effectiveDateTime": times.day(row["measured_on"]),
    }
    if unit is None:
        resource["valueInteger"] = int(score)
    else:
        resource["valueQuantity"] = unit.quantity(score)
    if answered is not None:
        resource["derivedFrom"] = [reference(answered)]
    return resource


def questionnaire_response(answers: pd.DataFrame, subject: dict[str, Any]) -> dict[str, Any]:
    """One questionnaire (its item rows) as a QuestionnaireResponse, items by number only."""
    first = answers.iloc[0]
    items = []
    for answer in answers.sort_values("item").itertuples():
        item: dict[str, Any] = {
            "linkId": str(int(answer.item)),
            "answer": [{"valueInteger": int(answer.value)}],
        }
        if answer.text:  # a PSFS activity: the person's own name for it, not wording
            item["text"] = str(answer.text)
        items.append(item)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id("questionnaire", first["uid"]),
        "identifier": {"system": codes.QUESTIONNAIRE_UID_SYSTEM, "value": first["uid"]},
        "questionnaire": codes.questionnaire_url(first["instrument"]),
        "status": "completed",
        "subject": reference(subject),
        "authored": times.day(first["answered_on"]),
        "item": items,
    }


def start_back(
    answers: pd.DataFrame, subject: dict[str, Any], answered: dict[str, Any]
) -> dict[str, Any] | None:
    """A scored STarT Back's total and risk group (no outcome row holds it), else None."""
    first = answers.iloc[0]
    if _missing(first["total"]):
        return None
    resource: dict[str, Any] = {
        **_observation(
            resource_id("start_back", first["uid"]), codes.SURVEY, codes.START_BACK_TOTAL, subject
        ),
        "effectiveDateTime": times.day(first["answered_on"]),
        "valueInteger": int(first["total"]),
        "derivedFrom": [reference(answered)],
    }
    risk = codes.START_BACK_RISKS.get(first["band"])
    if risk is not None:
        resource["component"] = [
            {"code": codes.START_BACK_RISK.concept(), "valueCodeableConcept": risk.concept()}
        ]
    return resource


def _observation(
    resource_id_: str, category: str, code: Any, subject: dict[str, Any]
) -> dict[str, Any]:
    """What every Observation of the bundle starts with: final, its category, code and patient."""
    return {
        "resourceType": "Observation",
        "id": resource_id_,
        "status": "final",
        "category": [_category(category)],
        "code": code.concept(),
        "subject": reference(subject),
    }


def _category(code: str) -> dict[str, Any]:
    return {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": code}]}


def _when(row: pd.Series, zone: dt.tzinfo | None) -> dict[str, Any]:
    """A session's time: its period when the minutes are known, else its start."""
    start = times.date_time(row["started_at"], zone)
    end = session_end(row)
    if end is None:
        return {"effectiveDateTime": start}
    return {"effectivePeriod": {"start": start, "end": times.date_time(end, zone)}}


def _pain_when(row: pd.Series, column: str, zone: dt.tzinfo | None) -> dict[str, Any]:
    """When a rating applies: before at the start, during over the session, after at its end,
    the next morning on the following day (a day: the store keeps no time for it)."""
    if column == "pain_before":
        return {"effectiveDateTime": times.date_time(row["started_at"], zone)}
    if column == "pain_during":
        return _when(row, zone)
    if column == "pain_after":
        end = session_end(row)
        return {"effectiveDateTime": times.date_time(end or row["started_at"], zone)}
    following = row["started_at"].date() + dt.timedelta(days=1)
    return {"effectiveDateTime": times.day(following)}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)
