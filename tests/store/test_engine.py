"""Store URLs and engines: private WAL-mode SQLite files, psycopg 3, one connection per thread,
and writers that queue instead of losing sessions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_support import (
    PATIENT_ROW,
    PG_ENV,
    YESTERDAY,
    _count,
    _mode,
    sample_routine,
    write_import,
)

from backlib.errors import StoreError
from backlib.store import StoreBusyError, open_store
from backlib.store import engine as store_engine
from backlib.store import schema as store_schema
from backlib.store.engine import normalise_url


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


# --- connections --------------------------------------------------------------------------


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


# --- nothing lost -------------------------------------------------------------------------


_LOGGER = """
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path({tests!r}).parent))  # store_support is in tests/, one folder up
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


# --- locks and races ------------------------------------------------------------------------


@contextmanager
def _write_lock_held_elsewhere(store_url: str) -> Iterator[None]:
    """Another connection holds the write lock (SQLite) or the patients table (PostgreSQL)."""
    url = normalise_url(store_url)
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    engine = sa.create_engine(url)
    with engine.connect() as other:
        other.exec_driver_sql("LOCK TABLE patients IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.rollback()
    engine.dispose()


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)


def test_a_store_locked_past_the_busy_timeout_raises_store_busy_error(
    store_url, store_catalog, short_busy_timeout, tmp_path
):
    store = open_store(store_url, catalog=store_catalog)
    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW])
    # The calls run in a worker thread, so that a store that never gives up waiting fails this
    # test after a bound instead of hanging it (the lock is released before the pool waits).
    with ThreadPoolExecutor(max_workers=1) as pool, _write_lock_held_elsewhere(store_url):
        for call in (lambda: store.add_patient("anna"), lambda: store.import_csv(folder)):
            with pytest.raises(StoreBusyError, match="busy with another import; try again"):
                pool.submit(call).result(timeout=30)
    store.add_patient("anna")  # the lock is gone: the same store writes again
    assert list(store.patients()["patient_id"]) == ["anna"]
    store.close()


def test_an_id_added_by_another_writer_after_the_check_is_the_usual_already_exists(store):
    def insert_it_first(conn, cursor, statement, parameters, context, executemany):
        # The same row, inserted by "another writer" between the store's check and its insert.
        if statement.startswith("INSERT INTO patients"):
            cursor.execute(statement, parameters)

    sa.event.listen(store.engine, "before_cursor_execute", insert_it_first)
    with pytest.raises(StoreError, match="already exists") as caught:
        store.add_patient("anna")
    sa.event.remove(store.engine, "before_cursor_execute", insert_it_first)
    assert caught.value.field == "patient_id"
    assert store.patients().empty


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} is not set")
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_two_connections_adding_one_id_at_once_give_one_patient_and_already_exists(
    store_url, store_catalog
):
    store = open_store(store_url, catalog=store_catalog)
    engine = sa.create_engine(normalise_url(store_url))
    with engine.connect() as other, ThreadPoolExecutor(max_workers=1) as pool:
        other.execute(store_schema.patients.insert(), dict(_ROW, patient_id="anna"))  # open
        racing = pool.submit(store.add_patient, "anna", name="Second")
        deadline = time.monotonic() + 30
        while not _waiting_for_a_lock(engine) and time.monotonic() < deadline:
            time.sleep(0.01)
        other.commit()  # the first writer wins; the second finds the id taken at its insert
        with pytest.raises(StoreError, match="already exists"):
            racing.result(timeout=60)
    engine.dispose()
    assert list(store.patients()["name"]) == ["First"]
    store.close()


_ROW = {
    "patient_id": "x",
    "name": "First",
    "created": dt.datetime(2025, 1, 1),
    "target_per_week": 3,
}


def _waiting_for_a_lock(engine) -> bool:
    with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_locks WHERE NOT granted"
        return conn.exec_driver_sql(query).scalar() > 0
