"""Rules of the session store, each checked on SQLite and (with BACKLIB_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from store_support import sample_routine

import backlib
from backlib.errors import StoreError
from backlib.plan.routine import Routine, RoutineItem
from backlib.store import open_store
from backlib.store import schema as store_schema
from backlib.store.csv_format import FILES, CsvImportError
from backlib.store.engine import normalise_url
from backlib.store.frames import (
    ENTRY_COLUMNS,
    OUTCOME_COLUMNS,
    PATIENT_COLUMNS,
    SESSION_COLUMNS,
)

V1_STORE = Path(__file__).parent / "data" / "store_v1.db"
NOW = dt.datetime.now().replace(microsecond=0)
YESTERDAY = NOW - dt.timedelta(days=1)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _count(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()


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


def test_new_sqlite_store_and_its_new_folders_are_owner_only(tmp_path, store_catalog):
    path = tmp_path / "a" / "b" / "store.db"
    with open_store(f"sqlite:///{path}", catalog=store_catalog) as store:
        store.add_patient("anna")
        for file in path.parent.glob("store.db*"):  # the database, its WAL and shared memory
            assert _mode(file) == 0o600, file
    assert _mode(tmp_path / "a") == 0o700
    assert _mode(tmp_path / "a" / "b") == 0o700


def test_sqlite_store_runs_in_wal_mode_with_a_busy_timeout(tmp_path, store_catalog):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with open_store(url, catalog=store_catalog) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "not a url at all"]
)
def test_unsupported_or_memory_urls_are_refused_with_the_url_named(url):
    with pytest.raises(StoreError, match="store URL"):
        open_store(url)


def test_postgresql_urls_use_the_psycopg3_driver():
    assert normalise_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u:p@h/db").drivername == "postgresql+psycopg"


def test_unreachable_postgresql_server_raises_store_error_without_password():
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "s3cret" not in str(caught.value)


def test_open_store_is_exported_from_the_package():
    assert backlib.open_store is open_store
    assert backlib.Store.__name__ == "Store"


# --- patients -----------------------------------------------------------------------------
def test_patients_frame_has_the_contract_columns_and_dtypes(store):
    store.add_patient("anna-k", name="Anna K.", weight_kg=64.5, target_per_week=4)
    store.add_patient("ben")
    frame = store.patients()
    assert tuple(frame.columns) == PATIENT_COLUMNS
    assert list(frame["patient_id"]) == ["anna-k", "ben"]
    assert frame["created"].dtype == "datetime64[ns]"
    assert frame["weight_kg"].dtype == "float64"
    assert pd.isna(frame.loc[1, "weight_kg"])
    assert list(frame["target_per_week"]) == [4, 3]
    assert frame.loc[1, "name"] == "ben"  # the id stands in for a missing name


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"patient_id": "Anna K"}, "patient_id"),
        ({"patient_id": "x'; DROP TABLE patients; --"}, "patient_id"),
        ({"patient_id": "anna", "weight_kg": 5}, "weight_kg"),
        ({"patient_id": "anna", "weight_kg": "heavy"}, "weight_kg"),
        ({"patient_id": "anna", "target_per_week": 0}, "target_per_week"),
        ({"patient_id": "anna", "target_per_week": 2.5}, "target_per_week"),
    ],
)
def test_add_patient_refuses_bad_values_naming_field_and_value(store, kwargs, field):
    kwargs = dict(kwargs)  # the same dict serves both back ends
    patient_id = kwargs.pop("patient_id")
    with pytest.raises(StoreError, match=field):
        store.add_patient(patient_id, **kwargs)
    assert store.patients().empty


def test_add_patient_refuses_an_id_already_taken_and_keeps_the_first(store):
    store.add_patient("anna", name="Anna")
    with pytest.raises(StoreError, match="already exists"):
        store.add_patient("anna", name="Someone else")
    assert list(store.patients()["name"]) == ["Anna"]


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


def test_log_session_done_map_records_what_was_done_and_what_was_skipped(store, store_catalog):
    store.add_patient("anna")
    done = {
        "glute-bridge": {"sets": 1, "reps": 8, "pain_during": 4},
        "march-in-place": {"duration_s": 90, "completed": False},
        "cat-cow": {"sets": 1, "reps": 6},  # not in the routine: done in addition
    }
    session_id = store.log_session(
        "anna", sample_routine(store_catalog), when=YESTERDAY, done=done, actual_minutes=9
    )
    entries = store.entries(session_id=session_id).set_index("exercise_id")
    assert entries.loc["glute-bridge", "done_sets"] == 1
    assert entries.loc["glute-bridge", "done_hold_s"] == 5  # left out: as prescribed
    assert not entries.loc["march-in-place", "completed"]
    assert entries.loc["march-in-place", "done_duration_s"] == 90
    assert not entries.loc["child-pose", "completed"]  # in the routine, missing from done
    assert pd.isna(entries.loc["child-pose", "done_duration_s"])
    assert pd.isna(entries.loc["cat-cow", "prescribed_sets"])
    assert entries.loc["cat-cow", "phase"] == "main"
    session = store.sessions().iloc[0]
    assert session["pain_during"] == 4  # the worst entry pain when not given
    assert session["actual_minutes"] == 9.0


def test_log_session_without_routine_has_no_entries_and_empty_routine_text(store):
    store.add_patient("anna")
    store.log_session("anna", pain_before=2, notes="walked instead")
    session = store.sessions().iloc[0]
    assert session["routine"] == ""
    assert pd.isna(session["planned_minutes"])
    assert store.entries().empty


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"pain_before": 11}, "pain_before", "11"),
        ({"pain_after": -1}, "pain_after", "-1"),
        ({"pain_during": 3.5}, "pain_during", "3.5"),
        ({"pain_before": "5"}, "pain_before", "'5'"),
        ({"pain_before": True}, "pain_before", "True"),
        ({"difficulty": 6}, "difficulty", "6"),
        ({"actual_minutes": -2}, "actual_minutes", "-2"),
        ({"when": NOW + dt.timedelta(days=2)}, "when", str((NOW + dt.timedelta(days=2)).year)),
        ({"when": "yesterday"}, "when", "yesterday"),
        ({"done": {"no-such-exercise": {}}}, "exercise_id", "no-such-exercise"),
        ({"done": {"glute-bridge": {"sets": -1}}}, "sets", "-1"),
        ({"done": {"glute-bridge": {"pain_during": 12}}}, "pain_during", "12"),
        ({"done": {"glute-bridge": {"weight": 5}}}, "weight", "weight"),
        ({"done": {"glute-bridge": {"completed": "yes"}}}, "completed", "yes"),
    ],
)
def test_log_session_refuses_bad_values_and_writes_nothing(store, kwargs, field, value):
    store.add_patient("anna")
    with pytest.raises(StoreError) as caught:
        store.log_session("anna", **kwargs)
    assert field in str(caught.value) and value in str(caught.value)
    assert _count(store, "sessions") == 0 and _count(store, "entries") == 0


def test_log_session_refuses_an_unknown_patient(store):
    with pytest.raises(StoreError, match="patient_id='nobody'"):
        store.log_session("nobody", pain_before=3)
    assert _count(store, "sessions") == 0


def test_log_session_refuses_a_routine_with_exercises_outside_the_catalog(store, tmp_path):
    from store_support import CATALOG_TOML

    from backlib.catalog import load_catalog

    other = tmp_path / "other.toml"
    other.write_text(CATALOG_TOML.replace('"glute-bridge"', '"hip-thrust"'), encoding="utf-8")
    foreign = RoutineItem(
        load_catalog(other)["hip-thrust"], "main", 2, 10, 5, None, False, 150, "not ours"
    )
    routine = Routine(items=(foreign,), areas=("glutes",), minutes=3)
    store.add_patient("anna")
    with pytest.raises(StoreError, match="hip-thrust"):
        store.log_session("anna", routine)


def test_log_session_stores_values_exactly_as_a_core_insert_would(store, store_catalog):
    """The prepared inserts bind values as Connection.execute does (same stored text/types)."""
    store.add_patient("anna")
    session_id = store.log_session(
        "anna", sample_routine(store_catalog), when=YESTERDAY, pain_before=3, pain_after=2
    )
    sessions, entries = store_schema.sessions, store_schema.entries
    with store.engine.begin() as conn:
        session = dict(conn.execute(sa.select(sessions)).mappings().one())
        rows = [dict(row) for row in conn.execute(sa.select(entries)).mappings()]
        session.update(session_id=session_id + 100, uid="core-copy")
        conn.execute(sessions.insert(), session)
        for row in rows:
            row.update(entry_id=row["entry_id"] + 100, session_id=session_id + 100)
        conn.execute(entries.insert(), rows)

    def stored(table, key, value):
        as_text = [sa.cast(column, sa.Text) for column in table.c if column.name not in ignore]
        query = sa.select(*as_text).where(key == value)
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]

    ignore = {"session_id", "uid", "entry_id"}
    assert stored(sessions, sessions.c.session_id, session_id) == stored(
        sessions, sessions.c.session_id, session_id + 100
    )
    assert len(stored(entries, entries.c.session_id, session_id)) == 3
    assert stored(entries, entries.c.session_id, session_id) == stored(
        entries, entries.c.session_id, session_id + 100
    )


def test_store_keeps_one_connection_between_calls_and_gives_it_back_on_close(store):
    store.add_patient("anna")
    for pain in range(3):
        store.log_session("anna", pain_before=pain, when=YESTERDAY)
    store.sessions("anna")
    assert store.engine.pool.checkedout() == 1
    store.close()
    assert store.engine.pool.checkedout() == 0


def test_a_failed_write_rolls_back_and_the_next_call_works(store, store_catalog):
    store.add_patient("anna")
    store.log_session("anna", pain_before=1, when=YESTERDAY)  # anna is now known to the store
    with store.engine.begin() as conn:  # another connection removes her meanwhile
        conn.execute(store_schema.sessions.delete())
        conn.execute(store_schema.patients.delete())
    with pytest.raises(StoreError, match="patient_id='anna'"):
        store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY)
    assert _count(store, "sessions") == 0 and _count(store, "entries") == 0
    store.add_patient("anna")
    store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY)
    assert len(store.sessions("anna")) == 1 and len(store.entries("anna")) == 3


def test_threads_sharing_a_store_each_log_through_their_own_connection(store, store_catalog):
    from concurrent.futures import ThreadPoolExecutor

    store.add_patient("anna")
    routine = sample_routine(store_catalog)

    def log_twenty(worker: int) -> list[int]:
        return [
            store.log_session("anna", routine, when=YESTERDAY, notes=f"{worker}-{n}")
            for n in range(20)
        ]

    with ThreadPoolExecutor(max_workers=3) as pool:
        ids = [sid for batch in pool.map(log_twenty, range(3)) for sid in batch]
    assert len(set(ids)) == 60
    assert len(store.sessions("anna")) == 60 and len(store.entries("anna")) == 180


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


def test_sessions_are_sorted_by_start_and_filtered_inclusively(store):
    store.add_patient("anna")
    store.add_patient("ben")
    days = [dt.datetime(2025, 3, d, 18, 30) for d in (10, 3, 7, 1)]
    for day in days:
        store.log_session("anna", when=day, pain_before=3)
    store.log_session("ben", when=dt.datetime(2025, 3, 5, 8), pain_before=1)
    frame = store.sessions("anna")
    assert list(frame["started_at"]) == sorted(pd.Timestamp(d) for d in days)
    window = store.sessions("anna", start="2025-03-03", end=dt.date(2025, 3, 7))
    assert [t.day for t in window["started_at"]] == [3, 7]  # the end date counts whole
    assert len(store.sessions()) == 5
    assert set(store.sessions(start=dt.datetime(2025, 3, 5, 8))["patient_id"]) == {"anna", "ben"}


def test_queries_for_an_unknown_patient_raise_naming_it(store):
    for method in (store.sessions, store.entries, store.outcomes):
        with pytest.raises(StoreError, match="patient_id='ghost'"):
            method("ghost")


def test_empty_frames_still_have_the_contract_columns_and_dtypes(store):
    sessions, entries, outcomes = store.sessions(), store.entries(), store.outcomes()
    assert tuple(sessions.columns) == SESSION_COLUMNS
    assert tuple(entries.columns) == ENTRY_COLUMNS
    assert tuple(outcomes.columns) == OUTCOME_COLUMNS
    assert sessions["started_at"].dtype == "datetime64[ns]"
    assert sessions["pain_before"].dtype == "Int64"
    assert entries["completed"].dtype == bool
    assert outcomes["score"].dtype == "float64"


# --- outcomes -----------------------------------------------------------------------------
def test_outcomes_are_recorded_per_measure_and_sorted_by_date(store):
    store.add_patient("anna")
    store.log_outcome("anna", "odi", 42, when=dt.date(2025, 2, 1))
    store.log_outcome("anna", "rmdq", 12, when=dt.date(2025, 1, 1))
    store.log_outcome("anna", "psfs", 4.3, when="2025-03-01")
    store.log_outcome("anna", "nprs", 6)
    frame = store.outcomes("anna")
    assert tuple(frame.columns) == OUTCOME_COLUMNS
    assert list(frame["measure"]) == ["rmdq", "odi", "psfs", "nprs"]
    assert frame["measured_on"].dtype == "datetime64[ns]"
    assert frame["measured_on"].iloc[-1] == pd.Timestamp(dt.date.today())
    assert list(store.outcomes(start="2025-02-01", end="2025-03-01")["measure"]) == ["odi", "psfs"]


@pytest.mark.parametrize(
    ("measure", "score", "match"),
    [
        ("odi", 101, "score=101"),
        ("rmdq", 25, "score=25"),
        ("psfs", -0.5, "score=-0.5"),
        ("nprs", 10.5, "score=10.5"),
        ("vas", 3, "measure='vas'"),
        ("odi", float("nan"), "score=nan"),
    ],
)
def test_log_outcome_refuses_scores_outside_the_measure_range(store, measure, score, match):
    store.add_patient("anna")
    with pytest.raises(StoreError, match=match):
        store.log_outcome("anna", measure, score)
    assert store.outcomes().empty


def test_log_outcome_refuses_future_dates_and_unknown_patients(store):
    store.add_patient("anna")
    with pytest.raises(StoreError, match="in the future"):
        store.log_outcome("anna", "odi", 20, when=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(StoreError, match="patient_id='bob'"):
        store.log_outcome("bob", "odi", 20)
    assert store.outcomes().empty


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


# --- CSV ----------------------------------------------------------------------------------
def _fill(store, catalog) -> None:
    routine = sample_routine(catalog)
    store.add_patient("anna", name='Anna "K", Jr.', weight_kg=61.25, target_per_week=4)
    store.add_patient("ben")
    for day in range(6):
        when = YESTERDAY - dt.timedelta(days=day, minutes=7 * day)
        done = {"glute-bridge": {"sets": 1, "pain_during": 4}} if day % 2 else None
        sid = store.log_session(
            "anna" if day < 4 else "ben",
            routine if day != 3 else None,
            when=when,
            pain_before=day % 5,
            pain_after=2,
            difficulty=3 if day % 2 else None,
            notes="line one\nline, two é" if day == 1 else "",
            done=done,
        )
        if day % 3 == 0:
            store.set_next_morning_pain(sid, 1)
    store.log_outcome("anna", "odi", 38, when=dt.date.today() - dt.timedelta(days=30))
    store.log_outcome("anna", "psfs", 5.666666666666667)


def test_export_then_import_round_trips_exactly(store, store_catalog, tmp_path, store_url):
    _fill(store, store_catalog)
    first = tmp_path / "first"
    written = store.export_csv(first)
    assert sorted(p.name for p in written) == sorted(FILES)
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    with open_store(copy_url, catalog=store_catalog) as copy:
        counts = copy.import_csv(first)
        assert counts == {
            "patients.csv": 2,
            "sessions.csv": 6,
            "entries.csv": 16,
            "outcomes.csv": 2,
        }
        copy.export_csv(tmp_path / "second")
        for name in FILES:
            assert (first / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
        pd.testing.assert_frame_equal(copy.patients(), store.patients())
        ids = ["session_id"]
        pd.testing.assert_frame_equal(
            copy.sessions().drop(columns=ids), store.sessions().drop(columns=ids)
        )
        ids = ["session_id", "entry_id"]
        pd.testing.assert_frame_equal(
            copy.entries().drop(columns=ids), store.entries().drop(columns=ids)
        )
        ids = ["outcome_id"]
        pd.testing.assert_frame_equal(
            copy.outcomes().drop(columns=ids), store.outcomes().drop(columns=ids)
        )


def test_exported_files_are_owner_only(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    folder = tmp_path / "export"
    for path in store.export_csv(folder):
        assert _mode(path) == 0o600
    assert _mode(folder) == 0o700


def test_reimporting_the_same_files_adds_nothing(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    before = [len(store.sessions()), len(store.entries()), len(store.outcomes())]
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert [len(store.sessions()), len(store.entries()), len(store.outcomes())] == before


def test_hand_written_files_without_uids_import_once(store, tmp_path):
    folder = tmp_path / "hand"
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\ncara,Cara,2025-01-02T09:00:00,,3\n"
    )
    (folder / "sessions.csv").write_text(
        header["sessions.csv"] + "\n,cara,2025-01-03T18:00:00,,20,4,5,3,,,,\n"
    )
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n,cara,2025-01-03,odi,40\n")
    assert store.import_csv(folder)["sessions.csv"] == 1
    assert set(store.import_csv(folder).values()) == {0}
    assert len(store.sessions()) == 1 and len(store.outcomes()) == 1


def test_import_reports_every_bad_row_and_writes_nothing(store, store_catalog, tmp_path):
    source = tmp_path / "source"
    with open_store(f"sqlite:///{tmp_path / 'source.db'}", catalog=store_catalog) as other:
        _fill(other, store_catalog)
        other.export_csv(source)
    sessions = (source / "sessions.csv").read_text().splitlines()
    fields = sessions[2].split(",")
    fields[5] = "11"  # pain_before
    sessions[2] = ",".join(fields)
    (source / "sessions.csv").write_text("\n".join(sessions) + "\n")
    entries = (source / "entries.csv").read_text().splitlines()
    last = entries[-1].split(",")
    last[2] = "no-such-exercise"
    entries[-1] = ",".join(last)
    (source / "entries.csv").write_text("\n".join(entries) + "\n")
    with (source / "outcomes.csv").open("a") as handle:
        handle.write("x1,anna,2999-01-01,odi,20\n")
        handle.write("x2,zed,2025-01-01,rmdq,30\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(source)
    found = {(p.file, p.column) for p in caught.value.problems}
    assert ("sessions.csv", "pain_before") in found
    assert ("entries.csv", "exercise_id") in found
    assert ("outcomes.csv", "measured_on") in found
    assert ("outcomes.csv", "patient_id") in found
    assert ("outcomes.csv", "score") in found
    lines = {(p.file, p.column): p.line for p in caught.value.problems}
    assert lines[("outcomes.csv", "measured_on")] == 4
    assert lines[("outcomes.csv", "patient_id")] == 5
    assert "pain_before=11" in str(caught.value)
    assert "sessions.csv line 3" in str(caught.value)
    for table in ("patients", "sessions", "entries", "outcomes"):
        assert _count(store, table) == 0, table


def test_import_refuses_a_row_that_contradicts_the_store(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    text = (tmp_path / "out" / "patients.csv").read_text().replace(",61.25,", ",90.0,")
    (tmp_path / "out" / "patients.csv").write_text(text)
    with pytest.raises(StoreError, match="weight_kg"):
        store.import_csv(tmp_path / "out")
    assert store.patients().loc[0, "weight_kg"] == 61.25


def test_import_reports_missing_files_and_wrong_headers(store, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "patients.csv").write_text("id,name\nanna,Anna\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    problems = {(p.file, p.line) for p in caught.value.problems}
    assert ("patients.csv", 1) in problems
    assert ("sessions.csv", 0) in problems and ("outcomes.csv", 0) in problems


# --- schema versions ----------------------------------------------------------------------
def test_a_version_1_sqlite_file_migrates_forward_keeping_every_row(tmp_path, store_catalog):
    copy = tmp_path / "old.db"
    shutil.copy(V1_STORE, copy)
    raw = sqlite3.connect(copy)
    old_sessions = raw.execute("SELECT session_id, started_at, notes FROM sessions").fetchall()
    assert raw.execute("SELECT version FROM schema_version").fetchone() == (1,)
    raw.close()
    with open_store(f"sqlite:///{copy}", catalog=store_catalog) as store:
        assert store.migrated_from == 1
        with store.engine.connect() as conn:
            version = conn.execute(sa.select(store_schema.schema_version.c.version)).scalar()
        assert version == store_schema.SCHEMA_VERSION
        assert len(store.patients()) == 2
        sessions = store.sessions()
        assert [(s, n) for s, _, n in old_sessions] == list(
            zip(sessions["session_id"], sessions["notes"], strict=True)
        )
        assert (sessions["actual_minutes"] == 12.5).all()
        assert (sessions["target_per_week"] == 3).all()
        entries = store.entries()
        assert len(entries) == 18
        assert entries["done_sets"].eq(2).all() and entries["prescribed_sets"].isna().all()
        assert entries["completed"].sum() == 12
        new_id = store.log_session("anna", when=YESTERDAY, pain_before=2, difficulty=2)
        store.log_outcome("anna", "odi", 20)
        assert store.sessions("anna")["session_id"].iloc[-1] == new_id


@pytest.mark.skipif(not os.environ.get("BACKLIB_TEST_PG_URL"), reason="needs PostgreSQL")
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_a_version_1_postgresql_store_migrates_forward(store_url, store_catalog):
    engine = sa.create_engine(normalise_url(store_url))
    with engine.begin() as conn:
        for statement in store_schema.V1_DDL:
            conn.exec_driver_sql(statement.replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY"))
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1)")
        conn.exec_driver_sql("INSERT INTO patients VALUES ('anna', 'Anna', '2024-01-01 09:00')")
        conn.exec_driver_sql(
            "INSERT INTO sessions (patient_id, started_at, minutes, pain_before) "
            "VALUES ('anna', '2024-01-02 18:00', 10, 4)"
        )
        conn.exec_driver_sql(
            "INSERT INTO entries (session_id, position, exercise_id, phase, sets, reps, completed)"
            " VALUES (1, 0, 'glute-bridge', 'main', 2, 10, true)"
        )
    engine.dispose()
    with open_store(store_url, catalog=store_catalog) as store:
        assert store.migrated_from == 1
        assert store.sessions().loc[0, "actual_minutes"] == 10.0
        assert store.entries().loc[0, "done_reps"] == 10
        store.log_session("anna", when=YESTERDAY)
        assert len(store.sessions()) == 2


def test_a_failed_migration_leaves_the_old_store_untouched(tmp_path, store_catalog, monkeypatch):
    copy = tmp_path / "old.db"
    shutil.copy(V1_STORE, copy)

    def broken(conn):
        conn.exec_driver_sql("ALTER TABLE patients ADD COLUMN weight_kg FLOAT")
        raise RuntimeError("disk gremlin")

    monkeypatch.setitem(store_schema.MIGRATIONS, 1, broken)
    with pytest.raises(RuntimeError, match="gremlin"):
        open_store(f"sqlite:///{copy}", catalog=store_catalog)
    raw = sqlite3.connect(copy)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(patients)")]
    assert columns == ["patient_id", "name", "created"]
    assert raw.execute("SELECT version FROM schema_version").fetchone() == (1,)
    assert raw.execute("SELECT count(*) FROM sessions").fetchone() == (6,)
    raw.close()


def test_a_store_from_a_newer_backlib_is_refused(store_url, store_catalog):
    with open_store(store_url, catalog=store_catalog) as store, store.engine.begin() as conn:
        conn.execute(store_schema.schema_version.update().values(version=99))
    with pytest.raises(StoreError, match="version 99"):
        open_store(store_url, catalog=store_catalog)


# --- nothing lost -------------------------------------------------------------------------
_LOGGER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from store_support import sample_routine
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, name, count, go = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
routine = sample_routine(store.catalog)
deadline = time.monotonic() + 60
while not Path(go).exists() and time.monotonic() < deadline:
    time.sleep(0.01)
for number in range(int(count)):
    store.log_session("anna", routine, pain_before=number % 11, notes=f"{{name}} {{number}}")
"""


@pytest.mark.slow
def test_two_processes_logging_500_sessions_each_store_exactly_1000(
    store, store_url, store_catalog_path, tmp_path
):
    import subprocess
    import sys

    store.add_patient("anna")
    script = _LOGGER.format(tests=str(Path(__file__).parent))
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, store_url, str(store_catalog_path), name, "500", str(go)]
        )
        for name in ("first", "second")
    ]
    go.touch()
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0]
    sessions = store.sessions("anna")
    assert len(sessions) == 1000
    assert sessions["session_id"].is_unique
    assert sorted(sessions["notes"]) == sorted(
        f"{name} {n}" for name in ("first", "second") for n in range(500)
    )
    assert len(store.entries("anna")) == 3000


_IMPORTER = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, folder, marker = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
batches = 0

@sa.event.listens_for(store.engine, "after_cursor_execute")
def pause_half_way(conn, cursor, statement, parameters, context, executemany):
    global batches
    if statement.lstrip().upper().startswith("INSERT INTO SESSIONS"):
        batches += 1
        if batches == 5:  # half of the 10,000 sessions are written, none committed
            Path(marker).write_text("half way")
            time.sleep(120)

store.import_csv(folder)
"""


def _write_big_import(folder: Path, rows: int) -> None:
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\nbulk,Bulk,2020-01-01T08:00:00,70.0,3\n"
    )
    start = dt.datetime(2020, 1, 2, 18, 0)
    lines = [header["sessions.csv"]]
    for number in range(rows):
        when = (start + dt.timedelta(minutes=90 * number)).isoformat()
        lines.append(f"s-{number:05d},bulk,{when},20.0,19.5,{number % 11},4,3,,2,,")
    (folder / "sessions.csv").write_text("\n".join(lines) + "\n")
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n")


@pytest.mark.slow
def test_sigkill_during_a_10000_row_import_leaves_all_or_none(
    store, store_url, store_catalog_path, tmp_path
):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "big"
    _write_big_import(folder, 10_000)
    marker = tmp_path / "marker"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _IMPORTER,
            store_url,
            str(store_catalog_path),
            str(folder),
            str(marker),
        ]
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), "the import never reached its half-way point"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    with open_store(store_url, catalog=store.catalog) as reopened:
        assert len(reopened.sessions()) == 0
        assert reopened.patients().empty
        assert reopened.import_csv(folder)["sessions.csv"] == 10_000
        assert len(reopened.sessions("bulk")) == 10_000


def test_delete_patient_removes_only_that_patients_records(store, store_catalog):
    _fill(store, store_catalog)
    store.delete_patient("ben")
    assert list(store.patients()["patient_id"]) == ["anna"]
    assert set(store.sessions()["patient_id"]) == {"anna"}
    assert set(store.entries()["patient_id"]) == {"anna"}
    assert len(store.outcomes("anna")) == 2
    with pytest.raises(StoreError, match="patient_id='ben'"):
        store.delete_patient("ben")
