"""One patient's records for a period as a FHIR R4 Bundle of type ``collection``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from backlib.errors import RequestError
from backlib.fhir import resources, times
from backlib.fhir.checks import check_bundle
from backlib.fhir.codes import PAIN_MOMENTS
from backlib.fhir.ids import full_url
from backlib.store import Store
from backlib.store.frames import bounds


def patient_bundle(
    store: Store,
    patient_id: str,
    *,
    start: Any = None,
    end: Any = None,
    tz: str | dt.tzinfo | None = None,
) -> dict[str, Any]:
    """The patient, their sessions with pain, outcome totals and questionnaires as a Bundle.

    Parameters
    ----------
    store
        The store to read (one snapshot).
    patient_id
        An existing patient.
    start, end
        The first and last day (or moment) to include, inclusive; None for no bound.
    tz
        The zone the store's local times are in: an IANA name (``Europe/London``) or a tzinfo;
        None for this machine's zone (with its daylight-saving rules).

    Returns
    -------
    dict
        The Bundle as JSON-ready data (``json.dumps`` it). Resource ids are name-based uuids of
        the store's record uids, so exporting the same records again gives the same ids.

    Raises
    ------
    StoreError
        For an unknown patient (``field="patient_id"``) or a start or end that is not a date.
    RequestError
        For an unknown time zone (``field="tz"``) or an end before the start (``field="end"``).
    ExportError
        When the bundle breaks a rule of FHIR or of backlib's checks (nothing to write then).
    """
    zone = times.resolve_zone(tz)
    low, high = bounds(start, end)
    if low is not None and high is not None and high < low:
        raise RequestError(f"end={end!r} is before start={start!r}", field="end")
    records = store.patient_records(patient_id, start, end)
    person = resources.patient(records.patient)
    found: list[dict[str, Any]] = [person]
    for _, row in records.sessions.iterrows():
        pains = [resources.pain(row, column, person, zone) for column in PAIN_MOMENTS]
        members = [pain for pain in pains if pain is not None]
        found.append(resources.session(row, person, zone, members))
        found.extend(members)
    answered: dict[str, dict[str, Any]] = {}
    for _, answers in records.questionnaires.groupby("questionnaire_id", sort=False):
        response = resources.questionnaire_response(answers, person)
        answered[str(answers["uid"].iloc[0])] = response
        found.append(response)
        if answers["instrument"].iloc[0] == "start_back":
            total = resources.start_back(answers, person, response)
            if total is not None:
                found.append(total)
    for _, row in records.outcomes.iterrows():
        found.append(resources.outcome(row, person, answered.get(str(row["uid"]))))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": times.now(zone),
        "entry": [{"fullUrl": full_url(resource), "resource": resource} for resource in found],
    }
    check_bundle(bundle)
    return bundle


def patient_ids(store: Store) -> list[str]:
    """Every patient id of the store, sorted (what ``export --fhir --all`` writes)."""
    frame: pd.DataFrame = store.patients()
    return [str(value) for value in frame["patient_id"]]
