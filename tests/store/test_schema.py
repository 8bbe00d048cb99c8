"""Schema versions: old stores migrate forward keeping every row, newer ones are refused."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_support import YESTERDAY

from backlib.errors import StoreError
from backlib.store import open_store
from backlib.store import schema as store_schema
from backlib.store.engine import normalise_url

V1_STORE = Path(__file__).parent / "data" / "store_v1.db"


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
