"""Reading the store back as pandas frames with the column names and dtypes declared below."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.constants import DOSE_VARIABLES
from backlib.errors import StoreError
from backlib.store import validate as check
from backlib.store.schema import (
    PATIENT_VALUES,
    SESSION_VALUES,
    entries,
    outcomes,
    patients,
    questionnaire_items,
    questionnaires,
    sessions,
)

PATIENT_COLUMNS = PATIENT_VALUES
SESSION_COLUMNS = ("session_id", *SESSION_VALUES, "target_per_week", "routine")
DOSE_COLUMNS = tuple(f"{kind}_{key}" for kind in ("prescribed", "done") for key in DOSE_VARIABLES)
ENTRY_COLUMNS = (
    "entry_id",
    "session_id",
    "patient_id",
    "started_at",
    "exercise_id",
    "phase",
    *DOSE_COLUMNS,
    "completed",
    "pain_during",
)
OUTCOME_COLUMNS = ("outcome_id", "patient_id", "measured_on", "measure", "score")
# One row per item answer (Store.questionnaires): the questionnaire's id, patient, instrument and
# date, the item number, its value, its text (the PSFS activity name, else empty), and the
# questionnaire's total (NaN when not scorable) and band or risk (empty when it has none).
QUESTIONNAIRE_COLUMNS = (
    "questionnaire_id",
    "patient_id",
    "instrument",
    "answered_on",
    "item",
    "value",
    "text",
    "total",
    "band",
)
_SESSION_INTS = (
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "difficulty",
    "programme_version",
)


def bounds(start: Any, end: Any) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive [start, end] as datetimes; an end given as a date includes that whole day."""
    low = None if start is None else _moment("start", start)
    high = None
    if end is not None:
        high = _moment("end", end)
        if _is_whole_day(end):
            high = high + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return low, high


def _is_whole_day(value: Any) -> bool:
    if isinstance(value, str):
        return len(value.strip()) <= 10
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _moment(field: str, value: Any) -> dt.datetime:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise StoreError(
            f"{field}={value!r} is not a date or time (use ISO 8601)", field=field
        ) from None
    if stamp is pd.NaT:
        raise StoreError(f"{field}={value!r} is not a date or time (use ISO 8601)", field=field)
    moment = stamp.to_pydatetime()
    if moment.tzinfo is not None:  # the store keeps naive local times
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def require_patient(conn: Connection, patient_id: str) -> None:
    """StoreError unless patient_id is a well-formed id of a patient in the store."""
    check.patient_id(patient_id)
    found = conn.execute(
        sa.select(patients.c.patient_id).where(patients.c.patient_id == patient_id)
    ).first()
    if found is None:
        raise StoreError(
            f"patient_id={patient_id!r} is not in the store (add it with add_patient)",
            field="patient_id",
        )


def patients_frame(conn: Connection) -> pd.DataFrame:
    rows = conn.execute(sa.select(*patients.c).order_by(patients.c.patient_id)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[c.name for c in patients.c])
    frame = frame.reindex(columns=list(PATIENT_COLUMNS))
    frame["patient_id"] = frame["patient_id"].astype(str)
    frame["name"] = frame["name"].astype(str)
    frame["created"] = _datetimes(frame["created"])
    frame["weight_kg"] = frame["weight_kg"].astype("float64")
    frame["target_per_week"] = frame["target_per_week"].astype("int64")
    return frame


def sessions_frame(
    conn: Connection, patient_id: str | None, start: Any, end: Any, session_id: int | None = None
) -> pd.DataFrame:
    query = sa.select(
        *(sessions.c[name] for name in SESSION_COLUMNS if name != "target_per_week"),
        patients.c.target_per_week,
    ).join(patients, patients.c.patient_id == sessions.c.patient_id)
    query = _filtered(conn, query, patient_id, start, end, session_id)
    query = query.order_by(sessions.c.started_at, sessions.c.session_id)
    rows = conn.execute(query).all()
    columns = [name for name in SESSION_COLUMNS if name != "target_per_week"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[*columns, "target_per_week"])
    frame = frame.reindex(columns=list(SESSION_COLUMNS))
    frame["session_id"] = frame["session_id"].astype("int64")
    frame["patient_id"] = frame["patient_id"].astype(str)
    frame["started_at"] = _datetimes(frame["started_at"])
    for column in ("planned_minutes", "actual_minutes"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in _SESSION_INTS:
        frame[column] = frame[column].astype("Int64")
    for column in ("notes", "routine"):
        frame[column] = frame[column].fillna("").astype(str)
    frame["target_per_week"] = frame["target_per_week"].astype("int64")
    return frame


def entries_frame(
    conn: Connection, patient_id: str | None, start: Any, end: Any, session_id: int | None
) -> pd.DataFrame:
    query = sa.select(
        entries.c.entry_id,
        entries.c.session_id,
        sessions.c.patient_id,
        sessions.c.started_at,
        entries.c.exercise_id,
        entries.c.phase,
        *(entries.c[name] for name in DOSE_COLUMNS),
        entries.c.completed,
        entries.c.pain_during,
    ).join(sessions, sessions.c.session_id == entries.c.session_id)
    query = _filtered(conn, query, patient_id, start, end, session_id)
    query = query.order_by(sessions.c.started_at, sessions.c.session_id, entries.c.position)
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(ENTRY_COLUMNS))
    frame["entry_id"] = frame["entry_id"].astype("int64")
    frame["session_id"] = frame["session_id"].astype("int64")
    frame["patient_id"] = frame["patient_id"].astype(str)
    frame["started_at"] = _datetimes(frame["started_at"])
    frame["exercise_id"] = frame["exercise_id"].astype(str)
    frame["phase"] = frame["phase"].astype(str)
    for column in (*DOSE_COLUMNS, "pain_during"):
        frame[column] = frame[column].astype("Int64")
    frame["completed"] = frame["completed"].astype(bool)
    return frame


def outcomes_frame(conn: Connection, patient_id: str | None, start: Any, end: Any) -> pd.DataFrame:
    query = sa.select(*(outcomes.c[name] for name in OUTCOME_COLUMNS))
    query = _in_range(
        conn,
        query,
        outcomes.c.patient_id,
        outcomes.c.measured_on,
        patient_id,
        start,
        end,
        dates=True,
    )
    query = query.order_by(outcomes.c.measured_on, outcomes.c.outcome_id)
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(OUTCOME_COLUMNS))
    frame["outcome_id"] = frame["outcome_id"].astype("int64")
    frame["patient_id"] = frame["patient_id"].astype(str)
    frame["measured_on"] = _datetimes(frame["measured_on"])
    frame["measure"] = frame["measure"].astype(str)
    frame["score"] = frame["score"].astype("float64")
    return frame


def questionnaires_frame(
    conn: Connection, patient_id: str | None, start: Any, end: Any
) -> pd.DataFrame:
    q, items = questionnaires, questionnaire_items
    query = sa.select(
        q.c.questionnaire_id,
        q.c.patient_id,
        q.c.instrument,
        q.c.answered_on,
        items.c.item,
        items.c.value,
        items.c.text,
        q.c.value.label("total"),
        q.c.band,
    ).join(items, items.c.questionnaire_id == q.c.questionnaire_id)
    query = _in_range(
        conn, query, q.c.patient_id, q.c.answered_on, patient_id, start, end, dates=True
    )
    query = query.order_by(q.c.answered_on, q.c.questionnaire_id, items.c.item)
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(QUESTIONNAIRE_COLUMNS))
    frame["questionnaire_id"] = frame["questionnaire_id"].astype("int64")
    frame["patient_id"] = frame["patient_id"].astype(str)
    frame["instrument"] = frame["instrument"].astype(str)
    frame["answered_on"] = _datetimes(frame["answered_on"])
    frame["item"] = frame["item"].astype("int64")
    frame["value"] = frame["value"].astype("int64")
    frame["text"] = frame["text"].fillna("").astype(str)
    frame["total"] = pd.to_numeric(frame["total"], errors="coerce").astype("float64")
    frame["band"] = frame["band"].fillna("").astype(str)
    return frame


def _filtered(conn, query, patient_id, start, end, session_id):
    query = _in_range(
        conn, query, sessions.c.patient_id, sessions.c.started_at, patient_id, start, end
    )
    if session_id is not None:
        query = query.where(sessions.c.session_id == session_id)
    return query


def _in_range(
    conn: Connection,
    query: sa.Select,
    patient_column: sa.ColumnElement,
    time_column: sa.ColumnElement,
    patient_id: str | None,
    start: Any,
    end: Any,
    *,
    dates: bool = False,
) -> sa.Select:
    """The query narrowed to one patient (who must exist) and to start..end, both inclusive.

    ``dates`` compares calendar days, for tables that store a date rather than a moment.
    """
    if patient_id is not None:
        require_patient(conn, patient_id)
        query = query.where(patient_column == patient_id)
    low, high = bounds(start, end)
    if low is not None:
        query = query.where(time_column >= (low.date() if dates else low))
    if high is not None:
        query = query.where(time_column <= (high.date() if dates else high))
    return query


def _datetimes(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).astype("datetime64[ns]")
