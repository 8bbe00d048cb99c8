"""Rules of the Store, each checked on SQLite and (with BACKLIB_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from store_support import YESTERDAY, _count, _fill, _mode, sample_routine

import backlib
from backlib.errors import StoreError
from backlib.plan.routine import Routine
from backlib.store import open_store
from backlib.store.frames import ENTRY_COLUMNS, SESSION_COLUMNS

# --- opening ------------------------------------------------------------------------------


def test_open_store_default_is_a_private_sqlite_file_in_the_user_data_dir(store_catalog):
    store = open_store(catalog=store_catalog)
    path = Path(store.engine.url.database)
    store.close()
    assert path == Path(os.environ["XDG_DATA_HOME"]) / "backlib" / "backlib.db"
    assert path.is_file()
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_backlib_store_variable_overrides_the_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKLIB_STORE", str(tmp_path / "elsewhere.db"))
    with open_store() as store:
        assert Path(store.engine.url.database) == tmp_path / "elsewhere.db"
    assert (tmp_path / "elsewhere.db").is_file()


def test_open_store_is_exported_from_the_package():
    assert backlib.open_store is open_store
    assert backlib.Store.__name__ == "Store"


# --- patients -----------------------------------------------------------------------------


def test_add_patient_refuses_an_id_already_taken_and_keeps_the_first(store):
    store.add_patient("anna", name="Anna")
    with pytest.raises(StoreError, match="already exists"):
        store.add_patient("anna", name="Someone else")
    assert list(store.patients()["name"]) == ["Anna"]


def test_delete_patient_removes_only_that_patients_records(store, store_catalog):
    _fill(store, store_catalog)
    store.delete_patient("ben")
    assert list(store.patients()["patient_id"]) == ["anna"]
    assert set(store.sessions()["patient_id"]) == {"anna"}
    assert set(store.entries()["patient_id"]) == {"anna"}
    assert len(store.outcomes("anna")) == 2
    with pytest.raises(StoreError, match="patient_id='ben'"):
        store.delete_patient("ben")


# --- sessions and entries -----------------------------------------------------------------


def test_log_session_records_the_routine_as_prescribed_by_default(store, store_catalog):
    routine = sample_routine(store_catalog)
    store.add_patient("anna")
    session_id = store.log_session("anna", routine, when=YESTERDAY, pain_before=4, pain_after=3)
    sessions = store.sessions("anna")
    assert tuple(sessions.columns) == SESSION_COLUMNS
    row = sessions.iloc[0]
    assert row["session_id"] == session_id
    assert row["started_at"] == pd.Timestamp(YESTERDAY)
    assert row["planned_minutes"] == pytest.approx(routine.total_seconds / 60)
    assert row["actual_minutes"] == pytest.approx(routine.total_seconds / 60)
    assert (row["pain_before"], row["pain_after"]) == (4, 3)
    assert pd.isna(row["pain_next_morning"]) and pd.isna(row["difficulty"])
    assert Routine.from_dict(json.loads(row["routine"]), store_catalog) == routine
    entries = store.entries("anna")
    assert tuple(entries.columns) == ENTRY_COLUMNS
    assert list(entries["exercise_id"]) == [item.exercise_id for item in routine.items]
    for column in ("sets", "reps", "hold_s", "duration_s"):
        left, right = entries[f"prescribed_{column}"], entries[f"done_{column}"]
        assert left.equals(right)
    assert entries["completed"].all()
    assert entries["prescribed_duration_s"].dtype == "Int64"


def test_log_session_without_routine_has_no_entries_and_empty_routine_text(store):
    store.add_patient("anna")
    store.log_session("anna", pain_before=2, notes="walked instead")
    session = store.sessions().iloc[0]
    assert session["routine"] == ""
    assert pd.isna(session["planned_minutes"])
    assert store.entries().empty


def test_log_session_refuses_an_unknown_patient(store):
    with pytest.raises(StoreError, match="patient_id='nobody'"):
        store.log_session("nobody", pain_before=3)
    assert _count(store, "sessions") == 0


def test_next_morning_pain_is_recorded_and_checked(store, store_catalog):
    store.add_patient("anna")
    session_id = store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY)
    store.set_next_morning_pain(session_id, 2)
    assert store.sessions().loc[0, "pain_next_morning"] == 2
    with pytest.raises(StoreError, match="pain_next_morning=11"):
        store.set_next_morning_pain(session_id, 11)
    with pytest.raises(StoreError, match="session_id=999"):
        store.set_next_morning_pain(999, 2)
    assert store.sessions().loc[0, "pain_next_morning"] == 2


def test_delete_session_removes_that_session_and_its_entries_only(store, store_catalog):
    store.add_patient("anna")
    routine = sample_routine(store_catalog)
    first = store.log_session("anna", routine, when=YESTERDAY - dt.timedelta(days=1))
    second = store.log_session("anna", routine, when=YESTERDAY)
    store.delete_session(first)
    assert list(store.sessions()["session_id"]) == [second]
    assert set(store.entries()["session_id"]) == {second}
    with pytest.raises(StoreError, match=f"session_id={first}"):
        store.delete_session(first)


# --- queries ------------------------------------------------------------------------------


def test_every_query_binds_its_parameters(store, store_catalog):
    """User text never reaches SQL text: it travels only as bound parameters."""
    statements = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    marker = "'); DROP TABLE sessions; --"
    store.add_patient("marker-patient", name=marker)
    session_id = store.log_session(
        "marker-patient", sample_routine(store_catalog), notes=marker, when=YESTERDAY
    )
    store.set_next_morning_pain(session_id, 3)
    store.log_outcome("marker-patient", "odi", 30)
    store.sessions("marker-patient", start="2000-01-01", end="2100-01-01")
    store.entries("marker-patient")
    store.outcomes("marker-patient")
    assert statements
    for statement in statements:
        assert "marker" not in statement and "DROP" not in statement and "2000" not in statement
    assert store.sessions().loc[0, "notes"] == marker
