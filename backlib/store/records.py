"""One patient's records read in one snapshot, each row with its store uid: what an export
to another system (FHIR) needs to give the same record the same id every time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.store import frames
from backlib.store.schema import outcomes, questionnaires, sessions


@dataclass(frozen=True)
class PatientRecords:
    """A patient's row and frames for a period, as the Store's frames give them, plus ``uid``.

    Attributes
    ----------
    patient
        patient_id, name, created, weight_kg, target_per_week.
    sessions
        ``frames.SESSION_COLUMNS`` and ``uid`` (stable across CSV export and import).
    outcomes
        ``frames.OUTCOME_COLUMNS`` and ``uid`` (a questionnaire's total shares its uid).
    questionnaires
        ``frames.QUESTIONNAIRE_COLUMNS`` (one row per item answer) and ``uid``.
    """

    patient: pd.Series
    sessions: pd.DataFrame
    outcomes: pd.DataFrame
    questionnaires: pd.DataFrame


def read_patient_records(
    conn: Connection, patient_id: str, start: Any = None, end: Any = None
) -> PatientRecords:
    """Read one patient's records from start to end (inclusive) in the caller's transaction.

    Raises
    ------
    StoreError
        For an unknown patient (``field="patient_id"``) or a bad start or end (naming it).
    """
    frames.require_patient(conn, patient_id)
    people = frames.patients_frame(conn)
    patient = people.loc[people["patient_id"] == patient_id].iloc[0]
    session_frame = frames.sessions_frame(conn, patient_id, start, end)
    outcome_frame = frames.outcomes_frame(conn, patient_id, start, end)
    answer_frame = frames.questionnaires_frame(conn, patient_id, start, end)
    return PatientRecords(
        patient=patient,
        sessions=_with_uids(conn, session_frame, sessions, "session_id", patient_id),
        outcomes=_with_uids(conn, outcome_frame, outcomes, "outcome_id", patient_id),
        questionnaires=_with_uids(
            conn, answer_frame, questionnaires, "questionnaire_id", patient_id
        ),
    )


def _with_uids(
    conn: Connection, frame: pd.DataFrame, table: sa.Table, key: str, patient_id: str
) -> pd.DataFrame:
    """The frame with a ``uid`` column looked up by its row key (one query per table)."""
    query = sa.select(table.c[key], table.c.uid).where(table.c.patient_id == patient_id)
    uids = {int(row_key): str(uid) for row_key, uid in conn.execute(query).all()}
    frame = frame.copy()
    frame["uid"] = frame[key].map(uids).astype(str) if len(frame) else pd.Series(dtype=str)
    return frame
